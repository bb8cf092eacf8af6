// Package corpus generates synthetic news articles for scale tests and
// benchmarks: each reports one diplomatic event in a city of the
// gazetteer, with invented officials of real countries, in sentence forms
// the extractor reads, and lists the facts it states. The same seed gives
// the same articles, and article i does not depend on the others, so a
// corpus can be made in any order or in part.
//
// It is for scale, not for quality: the team-written dev set in
// testdata/dev measures the extractor.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/newsgraph/newsgraph/schema"
)

// Fact is one fact an article states, as the extractor's fact lines name
// it: entity names, or a literal for title.
type Fact struct {
	Subject, Predicate, Object string
}

func (f Fact) String() string { return f.Subject + "\t" + f.Predicate + "\t" + f.Object }

// Article is one generated article.
type Article struct {
	ID        string
	Title     string
	Published string // YYYY-MM-DD
	Text      string
	// Facts are the facts the text states, sorted.
	Facts []Fact
}

// Words returns the number of whitespace-separated words of the text.
func (a Article) Words() int { return len(strings.Fields(a.Text)) }

type country struct {
	name, demonym string
	cities        []string
}

// office is a title the generator gives officials.
var offices = []string{"President", "Prime Minister", "Foreign Minister", "Defence Minister", "Trade Minister", "Energy Minister"}

// Version changes whenever the articles of a seed change.
const Version = 2

// Generator makes articles. It is safe for concurrent use.
type Generator struct {
	seed      uint64
	countries []country
	hosts     []int // indexes of countries with at least one city
	english   map[string]bool
	// officials[c][o] is the name of country c's holder of offices[o].
	officials [][]string
}

// New returns a generator of the articles of seed.
func New(seed int64) (*Generator, error) {
	gz, err := schema.LoadGazetteer()
	if err != nil {
		return nil, err
	}
	g := &Generator{seed: uint64(seed), english: gz.English}
	byCode := map[string]int{}
	names := map[string]bool{}
	for _, c := range gz.Countries {
		names[strings.ToLower(c.Name)] = true
		for _, a := range c.Aliases {
			names[strings.ToLower(a)] = true
		}
	}
	for _, c := range gz.Countries {
		if len(c.Demonyms) == 0 || strings.ContainsAny(c.Name, "'-().") || strings.Contains(c.Name, " and ") {
			continue
		}
		byCode[c.Code] = len(g.countries)
		g.countries = append(g.countries, country{name: c.Name, demonym: c.Demonyms[0]})
	}
	for _, p := range gz.Places {
		i, ok := byCode[p.Country]
		if p.Kind != "city" || !ok || names[strings.ToLower(p.Name)] || strings.ContainsAny(p.Name, "'-().") ||
			strings.Contains(p.Name, g.countries[i].name) || strings.Contains(p.Name, " City") {
			continue
		}
		g.countries[i].cities = append(g.countries[i].cities, p.Name)
	}
	for i, c := range g.countries {
		if len(c.cities) > 0 {
			g.hosts = append(g.hosts, i)
		}
	}
	if len(g.hosts) < 10 || len(g.countries) < 50 {
		return nil, fmt.Errorf("corpus: gazetteer too small (%d countries, %d with cities)", len(g.countries), len(g.hosts))
	}
	g.makeOfficials()
	return g, nil
}

// rng returns the random source of one stream of the seed.
func (g *Generator) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed, stream))
}

var givenNames = strings.Fields(`Amara Daniel Lucia Joseph Miriam Tomas Ines Yusuf Leila Arjun Sofia Kwame Elena
	Mateo Nadia Hassan Aiko Viktor Priya Omar Rosa Ivan Fatima Pablo Ingrid Kofi Mei Rafael Zainab Anton Carmen
	Emeka Hana Marco Selin Dmitri Amina Luis Noor Henrik Chiara Tariq Ana Oskar Layla Jonas Esther Kenji Farah Diego`)

var (
	onsets = strings.Fields("b d f g k l m n p r s t v z br dr gr kr tr st")
	vowels = strings.Fields("a e i o u a e o")
	codas  = strings.Fields("ni vu li ra ko za ssi nte vic ran dov mir")
)

// makeOfficials invents the holders of every office of every country:
// names of given names and made-up surnames that are no English word, no
// country and no two alike in their consonants (so that cross-article
// name matching never merges two of them).
func (g *Generator) makeOfficials() {
	r := g.rng(1 << 62)
	seen := map[string]bool{}
	g.officials = make([][]string, len(g.countries))
	for c := range g.countries {
		g.officials[c] = make([]string, len(offices))
		for o := range offices {
			for {
				var b strings.Builder
				n := 2 + r.IntN(2)
				for i := 0; i < n; i++ {
					b.WriteString(onsets[r.IntN(len(onsets))])
					b.WriteString(vowels[r.IntN(len(vowels))])
				}
				b.WriteString(codas[r.IntN(len(codas))])
				sur := b.String()
				key := consonants(sur)
				if seen[key] || g.english[sur] || len(key) < 4 {
					continue
				}
				seen[key] = true
				g.officials[c][o] = givenNames[r.IntN(len(givenNames))] + " " + strings.ToUpper(sur[:1]) + sur[1:]
				break
			}
		}
	}
}

func consonants(s string) string {
	var b strings.Builder
	for _, r := range s {
		if !strings.ContainsRune("aeiouyh", r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var topics = strings.Fields("trade security energy climate water border maritime migration health fisheries")

var heads = []string{"talks", "summit", "conference", "negotiations"}

var sources = []string{"the Foreign Ministry", "officials", "a government spokesperson", "diplomatic sources", "the ministry"}

var weekdays = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// fillers are background sentences naming no entity and no event (no
// "meeting", "session" or other event noun of events.tsv); %s is the
// topic.
var fillers = []string{
	"Analysts said the outcome could shape %s policy in the region for years to come.",
	"The agenda is expected to cover %s cooperation, financing and a timetable for follow-up work.",
	"Diplomats have spent weeks preparing draft texts, and several points remain open.",
	"Observers noted that earlier efforts ended without a joint statement, although the tone was described as constructive.",
	"Business groups have urged governments to agree on practical steps rather than broad declarations.",
	"Several delegations are expected to bring technical experts as well as senior political figures.",
	"Local authorities said security around the venue would be tightened for several days.",
	"Critics argue that such diplomacy rarely produces binding commitments on %s.",
	"A senior diplomat, speaking on condition of anonymity, said the mood among participants was cautiously optimistic.",
	"The organisers said the proceedings would be closed to the press, with a statement planned at the end of each day.",
	"Some participants have called for a permanent working group to monitor progress.",
	"Economists warned that without coordinated action, costs linked to %s would continue to rise.",
	"The last comparable effort took place more than a year ago and ended with a short communique.",
	"Civil society groups have asked to present their proposals to the delegations.",
	"Officials stressed that any agreement would need approval from national parliaments before taking effect.",
	"Preparatory work at the level of senior officials was completed earlier this month.",
	"Regional newspapers have described the effort as a test of the governments' ability to work together.",
	"The delegations are also expected to discuss funding for joint projects and the sharing of data on %s.",
}

// quotes are things officials say; %s is the topic.
var quotes = []string{
	"We expect a fair outcome for everyone at the table",
	"Our priority is practical cooperation on %s",
	"This is a chance to build trust and we intend to use it",
	"No country can solve these problems alone",
	"We come with concrete proposals and an open mind",
	"The time for statements is over and the time for action has come",
}

// Article returns article i of the seed.
func (g *Generator) Article(i int) Article {
	r := g.rng(uint64(i))
	published := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(3*365))
	hostIdx := g.hosts[r.IntN(len(g.hosts))]
	host := g.countries[hostIdx]
	city := host.cities[r.IntN(len(host.cities))]
	topic := topics[r.IntN(len(topics))]
	head := heads[r.IntN(len(heads))]
	event := topic + " " + head + " in " + city
	day := weekdays[(int(published.Weekday())+2+r.IntN(4))%7]
	source := sources[r.IntN(len(sources))]

	// the invited: two to five other countries
	perm := r.Perm(len(g.countries))
	n := 2 + r.IntN(4)
	var invited []int
	for _, c := range perm {
		if c != hostIdx {
			invited = append(invited, c)
		}
		if len(invited) == n {
			break
		}
	}
	var facts []Fact
	fact := func(s, p, o string) { facts = append(facts, Fact{s, p, o}) }
	var paras []string
	say := func(format string, args ...interface{}) { paras = append(paras, fmt.Sprintf(format, args...)) }

	var names []string
	for _, c := range invited {
		names = append(names, g.countries[c].name)
		fact(g.countries[c].name, "invitedTo", event)
	}
	article := "a"
	if strings.ContainsRune("aeiou", rune(topic[0])) {
		article = "an"
	}
	if head == "talks" || head == "negotiations" {
		say("%s have been invited to %s %s in %s, %s said on %s.", list(names), topic, head, city, source, weekdays[published.Weekday()])
	} else {
		say("%s have been invited to %s %s %s in %s, %s said on %s.", list(names), article, topic, head, city, source, weekdays[published.Weekday()])
	}
	fact(event, "heldIn", city)

	say("The %s will open in the %s city of %s on %s.", head, host.demonym, city, day)
	fact(city, "locatedIn", host.name)

	// a host official speaks
	ho := r.IntN(len(offices))
	hostOfficial := g.officials[hostIdx][ho]
	say("%s %s %s said the %s would focus on %s.", host.demonym, offices[ho], hostOfficial, head, topic)
	fact(hostOfficial, "officialOf", host.name)
	fact(hostOfficial, "title", offices[ho])

	fill := r.Perm(len(fillers))
	nf := 0
	filler := func() {
		f := fillers[fill[nf%len(fillers)]]
		nf++
		if strings.Contains(f, "%s") {
			f = fmt.Sprintf(f, topic)
		}
		say("%s", f)
	}
	filler()

	// delegations of some of the invited
	for k, c := range invited {
		if k >= 3 {
			break
		}
		o := 2 + r.IntN(len(offices)-2) // ministers lead delegations
		p := g.officials[c][o]
		say("The %s delegation will be led by %s %s.", g.countries[c].demonym, offices[o], p)
		fact(p, "officialOf", g.countries[c].name)
		fact(p, "title", offices[o])
		fact(p, "represents", g.countries[c].name)
		if k == 0 {
			q := quotes[r.IntN(len(quotes))]
			if strings.Contains(q, "%s") {
				q = fmt.Sprintf(q, topic)
			}
			sur := p[strings.LastIndexByte(p, ' ')+1:]
			say("\"%s,\" %s said.", q, sur)
			fact(p, "said", q)
		}
		filler()
	}
	if r.IntN(2) == 0 {
		say("The %s will be hosted by %s, %s said.", head, host.name, sources[r.IntN(len(sources))])
		fact(event, "hostedBy", host.name)
	}
	if r.IntN(3) == 0 {
		// a warning between two of the invited
		a, b := invited[0], invited[1]
		o := r.IntN(len(offices))
		p := g.officials[a][o]
		say("%s %s %s warned %s against any escalation before the %s.", g.countries[a].demonym, offices[o], p, g.countries[b].name, head)
		fact(p, "officialOf", g.countries[a].name)
		fact(p, "title", offices[o])
		fact(p, "warned", g.countries[b].name)
	}
	words := 0
	for _, p := range paras {
		words += len(strings.Fields(p))
	}
	for words < 300 {
		filler()
		words += len(strings.Fields(paras[len(paras)-1]))
	}
	sort.Slice(facts, func(i, j int) bool { return facts[i].String() < facts[j].String() })
	facts = dedupe(facts)
	title := fmt.Sprintf("%s invited to %s %s in %s", names[0], topic, head, city)
	if len(names) > 1 {
		title = fmt.Sprintf("%s and %s invited to %s %s in %s", names[0], plural(len(names)-1), topic, head, city)
	}
	return Article{
		ID:        fmt.Sprintf("gen-%d-%07d", int64(g.seed), i),
		Title:     title,
		Published: published.Format("2006-01-02"),
		Text:      strings.Join(paras, "\n\n") + "\n",
		Facts:     facts,
	}
}

func plural(n int) string {
	if n == 1 {
		return "one other country"
	}
	return fmt.Sprintf("%d other countries", n)
}

func list(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func dedupe(fs []Fact) []Fact {
	out := fs[:0]
	for i, f := range fs {
		if i == 0 || f != fs[i-1] {
			out = append(out, f)
		}
	}
	return out
}
