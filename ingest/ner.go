package ingest

import (
	"strings"

	"github.com/newsgraph/newsgraph/schema"
)

// sentence is a sentence under analysis: its tokens and the mentions
// found in it, in text order.
type sentence struct {
	idx      int
	toks     []Token
	mentions []*mention
	at       []*mention // at[i] is the mention covering token i, if any
	dates    []dateExpr
	titles   []int16 // titleAt's answers, -1 until asked
}

func (s *sentence) add(m *mention) {
	s.mentions = append(s.mentions, m)
	for i := m.start; i < m.end; i++ {
		s.at[i] = m
	}
}

func (s *sentence) text(a, b int) string {
	var sb strings.Builder
	for i := a; i < b; i++ {
		if i > a && !s.toks[i].Glued {
			sb.WriteByte(' ')
		}
		sb.WriteString(s.toks[i].Text)
	}
	return sb.String()
}

// textWithout is text(a, b) without tokens of kind k.
func (s *sentence) textWithout(a, b int, k Kind) string {
	var sb strings.Builder
	space := false
	for i := a; i < b; i++ {
		t := s.toks[i]
		space = space || !t.Glued
		if t.Kind == k {
			continue
		}
		if sb.Len() > 0 && space {
			sb.WriteByte(' ')
		}
		space = false
		sb.WriteString(t.Text)
	}
	return sb.String()
}

// mentionAt returns the mention covering token i; nil out of range.
func (s *sentence) mentionAt(i int) *mention {
	if i < 0 || i >= len(s.toks) {
		return nil
	}
	return s.at[i]
}

// has reports whether token i is in the word list; false out of range.
func (s *sentence) has(i int, l wordList) bool {
	return i >= 0 && i < len(s.toks) && s.toks[i].bits&l != 0
}

// low returns the lower-case form of token i, or "" out of range.
func (s *sentence) low(i int) string {
	if i < 0 || i >= len(s.toks) {
		return ""
	}
	return s.toks[i].Low
}

// findMentions finds the named entities, titles and event nouns of a
// sentence.
func (x *Extractor) findMentions(s *sentence) {
	lx := x.lex
	toks := s.toks
	for i := 0; i < len(toks); {
		t := toks[i]
		if t.Kind != Word {
			i++
			continue
		}
		// A title, possibly with modifiers, then honorifics, then a name.
		if n := x.titleAt(s, i); n > 0 {
			i = x.titled(s, i, n)
			continue
		}
		if t.Cap || t.Upper {
			if n, class := x.chunkAt(s, i); n > 0 {
				x.chunkMention(s, i, n, class)
				i += n
				continue
			}
			if es, n := lx.names.match(toks, i); n > 0 && !x.partOfName(s, i, n) {
				m := x.gazetteerMention(s, i, n, es)
				i += n
				if m != nil && m.class == schema.Country {
					i = x.govBody(s, m)
				}
				continue
			}
			if n := x.nameRun(s, i); n > 0 {
				x.runMention(s, i, n, false)
				i += n
				continue
			}
		}
		i++
	}
	x.findEvents(s)
}

// partOfName reports whether a gazetteer match at i is really a word of a
// longer capitalised name: "Jordan" in "Michael Jordan Smith" is not the
// country. Only a run that already started before i counts.
func (x *Extractor) partOfName(s *sentence, i, n int) bool {
	if i == 0 || s.mentionAt(i-1) != nil {
		return false
	}
	p := s.toks[i-1]
	if !p.Cap || p.Kind != Word || p.Glued || (p.bits&lStop != 0) {
		return false
	}
	if es, _ := x.lex.names.match(s.toks, i-1); es != nil {
		return false
	}
	if m, _ := x.lex.titles.match(s.toks, i-1); m != nil {
		return false
	}
	// previous word is an unknown capitalised word directly before: the
	// gazetteer word continues a name only when it is no country name
	es, _ := x.lex.names.match(s.toks, i)
	for _, e := range es {
		if e.kind == kCountry || e.kind == kDemonym || e.kind == kOrg {
			return false
		}
	}
	return i-1 > 0 && n == 1
}

// titleAt returns the length of a title (with its modifiers) at i, or 0.
func (x *Extractor) titleAt(s *sentence, i int) int {
	if i < 0 || i >= len(s.toks) {
		return 0
	}
	if s.titles == nil {
		s.titles = make([]int16, len(s.toks))
		for k := range s.titles {
			s.titles[k] = -1
		}
	}
	if n := s.titles[i]; n >= 0 {
		return int(n)
	}
	n := x.titleAtUncached(s, i)
	s.titles[i] = int16(n)
	return n
}

func (x *Extractor) titleAtUncached(s *sentence, i int) int {
	j := i
	for j < len(s.toks) && s.has(j, lTitlemod) {
		j++
	}
	_, n := x.lex.titles.match(s.toks, j)
	if n == 0 {
		// "Human Rights Commissioner", "Deputy US Trade Representative":
		// a portfolio, or a country, before the title
		k := j
		if _, c := x.countryIn(s, k); c > 0 && j > i {
			k += c
		}
		for p := 0; p < 3 && k < len(s.toks); p++ {
			if _, n2 := x.lex.titles.match(s.toks, k); n2 > 0 && (k > j || p > 0) {
				if k+n2 < len(s.toks) && (s.toks[k+n2].Cap || s.toks[k+n2].Low == ",") && (s.toks[i].Cap || k > j) {
					return k + n2 - i
				}
				break
			}
			t := s.toks[k]
			// "the EU's foreign policy chief": after a possessive, the
			// portfolio may be in lower case
			possessed := s.low(i-1) == "'s" || s.low(i-1) == "’s"
			if !(t.Cap || possessed) || t.Kind != Word || (t.bits&lStop != 0) || (t.bits&lOrgword != 0) || s.mentionAt(k) != nil {
				break
			}
			if es, _ := x.lex.names.match(s.toks, k); es != nil {
				break
			}
			k++
		}
	}
	if n == 0 && j > i {
		// "chief" is a modifier and a title of its own
		j = i
		_, n = x.lex.titles.match(s.toks, j)
	}
	if n == 0 {
		return 0
	}
	// a lower-case title counts only before a name or in an apposition
	if !s.toks[i].Cap {
		k := j + n
		if k >= len(s.toks) {
			return 0
		}
		nt := s.toks[k]
		if !(nt.Cap || nt.Kind == Punct || (nt.bits&lTitlenext != 0)) {
			return 0
		}
	}
	return j + n - i
}

// countryIn returns the country a gazetteer name or demonym at j names,
// with the name's length, or 0.
func (x *Extractor) countryIn(s *sentence, j int) (string, int) {
	es, n := x.lex.names.match(s.toks, j)
	for _, e := range es {
		if e.kind == kCountry || e.kind == kDemonym {
			return x.lex.gaz.Countries[e.idx].Code, n
		}
	}
	return "", 0
}

// titleText returns the canonical spelling of the title at [i, i+n).
func (x *Extractor) titleText(s *sentence, i, n int) (string, bool) {
	var parts []string
	j := i
	for j < i+n && s.has(j, lTitlemod) {
		if _, l := x.lex.titles.match(s.toks, j+1); l == 0 {
			break
		}
		parts = append(parts, capitalise(s.toks[j].Low))
		j++
	}
	es, m := x.lex.titles.match(s.toks, j)
	if m == 0 {
		if _, c := x.countryIn(s, j); c > 0 {
			j += c
			es, m = x.lex.titles.match(s.toks, j)
		}
	}
	if m == 0 {
		// a portfolio before the title: the title as written
		var words []string
		for k := j; k < i+n; k++ {
			words = append(words, capitalise(s.toks[k].Low))
		}
		if len(words) == 0 {
			return "", false
		}
		return strings.Join(append(parts, words...), " "), false
	}
	honor := true
	title := ""
	for _, e := range es {
		if e.kind == kTitle {
			honor = false
			title = x.lex.gaz.Titles[e.idx].Title
			break
		}
		title = x.lex.gaz.Titles[e.idx].Title
	}
	if honor && len(parts) == 0 {
		return "", true
	}
	parts = append(parts, title)
	return strings.Join(parts, " "), false
}

func capitalise(w string) string {
	if w == "" {
		return w
	}
	return strings.ToUpper(w[:1]) + w[1:]
}

// titled handles a title at [i, i+n): the affiliation before it, the
// honorifics and the name after it, or an apposition (", Ayatollah X").
// It returns the index after what it consumed.
func (x *Extractor) titled(s *sentence, i, n int) int {
	title, honor := x.titleText(s, i, n)
	j := i + n
	// more titles or honorifics: "Grand Ayatollah", "President Dr."
	for j < len(s.toks) {
		k := x.titleAt(s, j)
		if k == 0 {
			break
		}
		t2, h2 := x.titleText(s, j, k)
		if !h2 && title == "" {
			title = t2
		}
		if h2 {
			honor = true
		}
		j += k
	}
	aff := x.affiliationBefore(s, i)
	if aff == nil {
		// "Deputy US Trade Representative X"
		for k := i; k < j; k++ {
			if _, c := x.countryIn(s, k); c > 0 {
				es, _ := x.lex.names.match(s.toks, k)
				aff = x.gazetteerMention(s, k, c, es)
				break
			}
		}
	}
	if aff == nil && (s.low(i-1) == "its" || s.low(i-1) == "their") {
		// "Its foreign minister, X": the country or body named last
		for _, p := range s.mentions {
			if p.start < i && (p.class == schema.Country || p.class == schema.Organization) {
				aff = p
			}
		}
	}
	if title == "Counterpart" {
		// "his Polish counterpart, X": the same office as the person
		// named before, for another country
		title = ""
		for _, p := range s.mentions {
			if p.start < i && p.class == schema.Person && p.title != "" {
				title = p.title
			}
		}
	}
	// "Iran's supreme leader, Ayatollah Ali Khamenei,"
	if j < len(s.toks) && s.toks[j].Low == "," && j+1 < len(s.toks) {
		k := j + 1
		for k < len(s.toks) {
			m := x.titleAt(s, k)
			if m == 0 {
				break
			}
			k += m
		}
		if es, _ := x.lex.names.match(s.toks, k); es == nil {
			if n := x.nameRun(s, k); n > 0 {
				m := x.runMention(s, k, n, true)
				if m != nil && m.class == schema.Person {
					x.setTitle(m, title, aff)
					return k + n
				}
			}
		}
	}
	// "the foreign minister of Iran" with no name: an affiliation for an
	// apposition, handled from the name's side.
	if n := x.nameRun(s, j); n > 0 {
		m := x.runMention(s, j, n, true)
		if m != nil && m.class == schema.Person {
			m.honorific = m.honorific || honor
			if aff == nil {
				aff = x.affiliationAfter(s, j+n)
			}
			x.setTitle(m, title, aff)
		}
		return j + n
	}
	return j
}

func (x *Extractor) setTitle(m *mention, title string, aff *mention) {
	title = x.bareTitle(title)
	if title != "" && m.title == "" {
		m.title = title
	}
	if aff != nil && m.affiliation == nil {
		m.affiliation = aff
	}
}

// affiliationBefore returns the country or organisation that owns a title
// starting at i: "Iranian President", "Iran's Foreign Minister",
// "Foreign Office Spokesperson".
func (x *Extractor) affiliationBefore(s *sentence, i int) *mention {
	j := i - 1
	if j >= 0 && (s.toks[j].Low == "'s" || s.toks[j].Low == "’s") {
		j--
	}
	if j < 0 {
		return nil
	}
	m := s.mentionAt(j)
	if m == nil || m.end != j+1 && m.end != j+2 {
		return nil
	}
	switch m.class {
	case schema.Country, schema.Organization:
		return m
	}
	return nil
}

// affiliationAfter reads "of Iran" / "of the Foreign Office" at i.
func (x *Extractor) affiliationAfter(s *sentence, i int) *mention {
	if s.low(i) != "of" {
		return nil
	}
	j := i + 1
	if s.low(j) == "the" {
		j++
	}
	if j >= len(s.toks) {
		return nil
	}
	if m := s.mentionAt(j); m != nil && (m.class == schema.Country || m.class == schema.Organization) {
		// "of Ukraine's Coordination Headquarters": the country's
		// organisation (but a party's committee is the party's)
		if w := s.low(m.end); m.class == schema.Country && (w == "'s" || w == "’s") && m.end+1 < len(s.toks) {
			if o := s.mentionAt(m.end + 1); o != nil && o.class == schema.Organization {
				return o
			}
			if n, class := x.chunkAt(s, m.end+1); n > 0 && class == schema.Organization {
				return x.chunkMention(s, m.end+1, n, class)
			}
		}
		return m
	}
	// not found yet: mentions are found left to right, so look it up
	if es, n := x.lex.names.match(s.toks, j); n > 0 {
		m := x.gazetteerMention(s, j, n, es)
		if m != nil && (m.class == schema.Country || m.class == schema.Organization) {
			return m
		}
	}
	if n := x.nameRun(s, j); n > 0 {
		if m := x.runMention(s, j, n, false); m != nil && m.class == schema.Organization {
			return m
		}
	}
	return nil
}

// gazetteerMention records a gazetteer match at [i, i+n).
func (x *Extractor) gazetteerMention(s *sentence, i, n int, es []entry) *mention {
	g := x.lex.gaz
	e := pick(es)
	if s.has(i-1, lLocprep) || (s.low(i-1) == "the" && s.has(i-2, lLocprep)) {
		// "in Brussels" is the city, whatever Brussels stands for elsewhere
		for _, alt := range es {
			if alt.kind == kCapital || alt.kind == kPlace {
				e = alt
				break
			}
		}
	}
	m := &mention{start: i, end: i + n, sent: s.idx, surface: s.text(i, i+n)}
	switch e.kind {
	case kCountry:
		c := g.Countries[e.idx]
		m.class, m.key = schema.Country, "country:"+c.Code
	case kDemonym:
		c := g.Countries[e.idx]
		m.class, m.key, m.kind = schema.Country, "country:"+c.Code, mDemonym
	case kMetonym:
		c := g.Countries[e.idx]
		m.class, m.key = schema.Country, "country:"+c.Code
	case kCapital:
		c := g.Countries[e.idx]
		if s.has(i-1, lLocprep) || (s.low(i-1) == "the" && s.has(i-2, lLocprep)) ||
			s.low(i-1) == "," && s.has(i-2, lPlaceword) {
			// "in Tehran", "the Qatari capital, Doha": the city
			m.class, m.key = schema.Place, "place:"+schema.NormName(c.Capital)
		} else {
			m.class, m.key = schema.Country, "country:"+c.Code
		}
	case kPlace:
		p := g.Places[e.idx]
		m.class, m.key = schema.Place, "place:"+schema.NormName(p.Name)
	case kOrg:
		o := g.Organizations[e.idx]
		m.class, m.key = schema.Organization, "org:"+schema.NormName(o.Name)
	default:
		return nil
	}
	s.add(m)
	return m
}

// pick chooses among the entries of one surface form: a country over an
// organisation over a capital (which may act as its country) over a place.
func pick(es []entry) entry {
	best := es[0]
	rank := func(k entryKind) int {
		switch k {
		case kCountry:
			return 0
		case kMetonym:
			return 1
		case kOrg:
			return 2
		case kCapital:
			return 3
		case kPlace:
			return 4
		}
		return 5
	}
	for _, e := range es[1:] {
		if rank(e.kind) < rank(best.kind) {
			best = e
		}
	}
	return best
}

// nameRun returns the length of a run of capitalised words at i that the
// gazetteer does not know, allowing name particles ("bin", "al-") inside.
func (x *Extractor) nameRun(s *sentence, i int) int {
	toks := s.toks
	j := i
	for j < len(toks) {
		t := toks[j]
		if j > i {
			if es, n := x.lex.names.match(toks, j); es != nil && !glued(toks, j) {
				// "North Darfur", "Upper Nile": a compass word makes a
				// place of its own with the gazetteer's place
				if j == i+1 && (toks[i].bits&lCompass != 0) && placeEntry(es) {
					j += n
					break
				}
				break
			}
			if x.titleAt(s, j) > 0 && t.Cap {
				break
			}
		}
		if t.Kind == Word && (t.Cap || t.Upper) && !(j == i && (t.bits&lStop != 0)) {
			j++
			continue
		}
		// "Al-Sisi", "Jean-Yves": a glued hyphen between capitalised words
		if j > i && t.Text == "-" && t.Glued && j+1 < len(toks) && toks[j+1].Glued && toks[j+1].Cap {
			j++
			continue
		}
		// particles: "Mohammed bin Salman", "Ursula von der Leyen"
		if j > i && (t.bits&lParticle != 0) && !t.Cap {
			k := j
			for k < len(toks) && (toks[k].bits&lParticle != 0) && !toks[k].Cap {
				k++
			}
			if k+1 < len(toks) && toks[k].Text == "-" && toks[k].Glued && toks[k+1].Glued {
				k++ // "al-Jubouri"
			}
			if k < len(toks) && toks[k].Cap {
				j = k
				continue
			}
		}
		break
	}
	// names end in a word, not a particle or hyphen
	for j > i && (toks[j-1].Kind != Word) {
		j--
	}
	// "Mr.": a trailing abbreviation is no name
	return j - i
}

func glued(toks []Token, j int) bool {
	return toks[j].Glued && j > 0 && toks[j-1].Kind == Word
}

// runMention classifies the capitalised run at [i, i+n) as a person,
// organisation or place and records it. cued says a title or honorific
// stands before it.
func (x *Extractor) runMention(s *sentence, i, n int, cued bool) *mention {
	if s.mentionAt(i) != nil {
		return s.mentionAt(i)
	}
	lx := x.lex
	toks := s.toks[i : i+n]
	first, last := toks[0].Low, toks[n-1].Low
	m := &mention{start: i, end: i + n, sent: s.idx, surface: s.text(i, i+n)}
	hasOf := false
	for _, t := range toks {
		if t.Low == "of" {
			hasOf = true
		}
	}
	if n == 1 && i == 0 && (toks[0].bits&(lOrgword|lPlaceword) != 0) && !cued {
		// "Army delegation chief X": a common noun starting a sentence
		return nil
	}
	switch {
	case !cued && (lx.is(lOrgword, last) || (lx.is(lOrgstart, first) && hasOf)):
		m.class, m.key = schema.Organization, "org:"+schema.NormName(m.surface)
	case !cued && lx.is(lPlaceword, last) && n > 1:
		m.class, m.key = schema.Place, "place:"+schema.NormName(m.surface)
	case cued:
		m.class = schema.Person
	case n == 1 && toks[0].Upper && len(strings.Trim(toks[0].Text, ".")) >= 2 && len(toks[0].Text) <= 6:
		// "its intelligence agency, MIT": an unknown acronym names a body
		m.class, m.key = schema.Organization, "org:"+schema.NormName(m.surface)
	case n >= 2 && s.low(i+n) == "(" && i+n+1 < len(s.toks) && s.toks[i+n+1].Upper:
		// "Samagi Jana Balawegaya (SJB)": people have no acronyms
		m.class, m.key = schema.Organization, "org:"+schema.NormName(m.surface)
	case x.commonWords(toks) && (words(toks) > 1 || lx.is(lStop, first)):
		// "Freedom Edge", "Foreign Affairs": words, not a name
		return nil
	case x.commonWords(toks):
		// one common word ("Xi", "Rose"): a name only if it is the
		// surname of someone the article names in full
		m.class, m.kind, m.common = schema.Person, mUnknown, true
	case words(toks) >= 2:
		if lx.is(lMonth, first) || lx.is(lWeekday, first) {
			return nil
		}
		m.class = schema.Person
		if s.has(i-1, lNameprep) || s.low(i-1) == "the" && s.has(i-2, lNameprep) {
			// "in Siem Reap": a place, unless the article names a person so
			m.kind = mUnknown
		}
	default:
		// one capitalised word: a surname, a speaker, a place, or nothing
		if lx.is(lStop, first) || lx.is(lMonth, first) || lx.is(lWeekday, first) {
			return nil
		}
		m.class, m.kind = schema.Person, mUnknown
	}
	s.add(m)
	return m
}

// chunkAt reads a capitalised name that ends in a word saying what kind of
// thing it names, gazetteer words inside and all: "Chinese Foreign
// Ministry", "Central Bank of Sri Lanka", "United Nations Assistance
// Mission in Afghanistan", "Ta Muen Thom temple". It returns the name's
// length and class, or 0 when there is no such name at i.
func (x *Extractor) chunkAt(s *sentence, i int) (int, schema.Class) {
	lx := x.lex
	toks := s.toks
	head, class := -1, schema.Class("")
	j := i
	for j < len(toks) {
		t := toks[j]
		if t.Kind == Word && (t.Cap || t.Upper) && !(j == i && (t.bits&lStop != 0)) {
			if j > i && x.titleAt(s, j) > 0 {
				break // "Foreign Ministry Spokesperson X"
			}
			switch {
			case (t.bits&lOrgword != 0):
				head, class = j, schema.Organization
			case (t.bits&lPlaceword != 0) && j > i:
				head, class = j, schema.Place
			}
			j++
			continue
		}
		if j == i || j+1 >= len(toks) {
			break
		}
		next := toks[j+1]
		if next.Low == "the" && j+2 < len(toks) {
			next = toks[j+2]
		}
		capNext := next.Kind == Word && (next.Cap || next.Upper)
		switch {
		case t.Kind == Word && !t.Cap && (t.bits&lPlaceword != 0) && head < 0 && !x.gazetteerOnly(s, i, j):
			// "Ta Muen Thom temple", but not "Thai province"
			head, class = j, schema.Place
			j++
		case t.Kind == Word && !t.Cap && head < 0 && j+1 < len(toks) && toks[j+1].Kind == Word && !toks[j+1].Cap &&
			(toks[j+1].bits&lPlaceword != 0) && (t.bits&lStop == 0) && !x.gazetteerOnly(s, i, j):
			// "Villacoublay air base", "Evin prison compound"
			head, class = j+1, schema.Place
			j += 2
		case t.Kind == Word && !t.Cap && (t.bits&lOrgtail != 0) && head < 0 && !x.gazetteerOnly(s, i, j) && j-i >= 2:
			// "the Unidad Nacional Progresista party", "Tuoi Tre newspaper"
			head, class = j, schema.Organization
			j++
		case (t.Low == "of" || t.Low == "for") && capNext && !x.isDateWord(next),
			(t.Low == "in" || t.Low == "on") && capNext && head == j-1 && (toks[head].bits&lOrgin != 0),
			t.Low == "on" && capNext && head == j-1 && (toks[head].bits&lOrgon != 0),
			(t.Low == "'s" || t.Low == "’s") && capNext && j > i && toks[j-1].Cap && !x.isCountryAt(s, j-1) && (toks[j-1].bits&lOrgword == 0),
			(t.Low == "and" || t.Text == "&") && capNext && toks[j+1].Low != "the" && !x.isCountryAt(s, j-1),
			t.Text == "-" && t.Glued && next.Glued && capNext:
			if toks[j+1].Low == "the" {
				j++
			}
			j++
			continue
		}
		break
	}
	if head < 0 || head == i && class == schema.Place {
		return 0, ""
	}
	// the name runs to its last capitalised word: "Extended Fund
	// Facility", "Central Bank of Sri Lanka" (a title after it, as in
	// "Foreign Office Spokesperson", already ended it)
	end := j
	for end > i && toks[end-1].Kind != Word {
		end--
	}
	if end-i < 2 && !(class == schema.Organization && toks[i].Upper) {
		return 0, ""
	}
	// a gazetteer name as long or longer wins: it has the canonical name
	if _, n := lx.names.match(toks, i); n >= end-i {
		return 0, ""
	}
	return end - i, class
}

// isCountryAt reports whether token i ends a country or demonym name.
func (x *Extractor) isCountryAt(s *sentence, i int) bool {
	for k := i; k >= 0 && k >= i-3; k-- {
		if es, n := x.lex.names.match(s.toks, k); n > 0 && k+n == i+1 {
			for _, e := range es {
				if e.kind == kCountry || e.kind == kDemonym || e.kind == kCapital {
					return true
				}
			}
		}
	}
	return false
}

// chunkMention records a name found by chunkAt, noting the country its
// words name ("Chinese Foreign Ministry" is China's).
func (x *Extractor) chunkMention(s *sentence, i, n int, class schema.Class) *mention {
	m := &mention{start: i, end: i + n, sent: s.idx, class: class, surface: s.text(i, i+n)}
	if last := s.toks[i+n-1]; !last.Cap && n > 1 {
		// "Syunik province": the place is Syunik; "the X party": X;
		// "Villacoublay air base": Villacoublay
		e := i + n
		for e > i+1 && !s.toks[e-1].Cap {
			e--
		}
		m.alias = m.surface
		m.surface = s.text(i, e)
	}
	m.key = "place:" + schema.NormName(m.surface)
	if class == schema.Organization {
		m.key = "org:" + schema.NormName(m.surface)
	}
	for k := i; k < i+n; k++ {
		if es, l := x.lex.names.match(s.toks, k); l > 0 {
			for _, e := range es {
				if e.kind == kCountry || e.kind == kDemonym {
					m.country = x.lex.gaz.Countries[e.idx].Code
				}
			}
			k += l - 1
		}
	}
	s.add(m)
	return m
}

// words counts the words of a name: "Adeyemi-Bello" is one.
func words(toks []Token) int {
	n := 0
	for i, t := range toks {
		if t.Kind == Word && (i == 0 || !t.Glued) {
			n++
		}
	}
	return n
}

// commonWords reports whether every word of a run is a common English
// word or a group name, which no person's name is made of alone.
func (x *Extractor) commonWords(toks []Token) bool {
	for _, t := range toks {
		if t.Kind != Word {
			continue
		}
		if !x.lex.gaz.English[t.Low] && !(t.bits&lCommoncap != 0) && !(t.bits&lStop != 0) {
			return false
		}
	}
	return true
}

// gazetteerOnly reports whether tokens [i, j) are all gazetteer names
// ("Thai", "North Korean"): no new name to make a place of.
func (x *Extractor) gazetteerOnly(s *sentence, i, j int) bool {
	for k := i; k < j; {
		_, n := x.lex.names.match(s.toks, k)
		if n == 0 {
			return false
		}
		k += n
	}
	return true
}

func (x *Extractor) isDateWord(t Token) bool {
	return (t.bits&lMonth != 0) || (t.bits&lWeekday != 0)
}

// placeEntry reports whether a gazetteer match names a place or country.
func placeEntry(es []entry) bool {
	for _, e := range es {
		switch e.kind {
		case kPlace, kCapital, kCountry:
			return true
		}
	}
	return false
}

// govBody records "France's foreign ministry", "the Iranian judiciary":
// a state's body named in lower case after the country (possessive) or
// demonym mention c. It returns the index after it, or c.end.
func (x *Extractor) govBody(s *sentence, c *mention) int {
	i := c.end
	if c.kind != mDemonym {
		if w := s.low(i); w != "'s" && w != "’s" {
			return c.end
		}
		i++
	}
	for k := i; k < len(s.toks) && k < i+3; k++ {
		t := s.toks[k]
		if t.Kind != Word || t.Cap || x.titleAt(s, k) > 0 {
			break
		}
		if t.bits&lGovbody != 0 {
			if k+1 < len(s.toks) && s.toks[k+1].Kind == Word && !s.toks[k+1].Cap && s.toks[k+1].bits&lGovbody != 0 {
				continue // "the foreign ministry office"
			}
			m := &mention{start: i, end: k + 1, sent: s.idx, class: schema.Organization,
				surface: s.text(i, k+1), country: strings.TrimPrefix(c.key, "country:")}
			m.key = "org:" + schema.NormName(m.surface)
			m.alias = s.text(c.start, k+1)
			s.add(m)
			return k + 1
		}
	}
	return c.end
}

// bareTitle drops the country from a title as written: "Former Tanzanian
// Prime Minister" is "Former Prime Minister" (the country is the
// officialOf fact).
func (x *Extractor) bareTitle(title string) string {
	toks := x.tok.Tokenize(title)
	s := &sentence{toks: toks, at: make([]*mention, len(toks))}
	var words []string
	for i := 0; i < len(toks); i++ {
		if _, n := x.countryIn(s, i); n > 0 {
			i += n - 1
			continue
		}
		words = append(words, toks[i].Text)
	}
	return strings.Join(words, " ")
}
