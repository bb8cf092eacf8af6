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
	for i := a; i < b; i++ {
		if s.toks[i].Kind == k {
			continue
		}
		if sb.Len() > 0 && !s.toks[i].Glued {
			sb.WriteByte(' ')
		}
		sb.WriteString(s.toks[i].Text)
	}
	return sb.String()
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
			if es, n := lx.names.match(toks, i); n > 0 && !x.partOfName(s, i, n) {
				x.gazetteerMention(s, i, n, es)
				i += n
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
	if i == 0 || s.at[i-1] != nil {
		return false
	}
	p := s.toks[i-1]
	if !p.Cap || p.Kind != Word || p.Glued || x.lex.is("stop", p.Low) {
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
	j := i
	for j < len(s.toks) && x.lex.is("titlemod", s.toks[j].Low) {
		j++
	}
	es, n := x.lex.titles.match(s.toks, j)
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
		if !(nt.Cap || nt.Low == "," || nt.Low == "of") {
			return 0
		}
	}
	_ = es
	return j + n - i
}

// titleText returns the canonical spelling of the title at [i, i+n).
func (x *Extractor) titleText(s *sentence, i, n int) (string, bool) {
	var parts []string
	j := i
	for j < i+n && x.lex.is("titlemod", s.toks[j].Low) {
		parts = append(parts, capitalise(s.toks[j].Low))
		j++
	}
	es, m := x.lex.titles.match(s.toks, j)
	if m == 0 {
		return "", false
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
		if n := x.nameRun(s, k); n > 0 {
			m := x.runMention(s, k, n, true)
			if m != nil && m.class == schema.Person {
				x.setTitle(m, title, aff)
				return k + n
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
	m := s.at[j]
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
	if m := s.at[j]; m != nil && (m.class == schema.Country || m.class == schema.Organization) {
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
		if x.lex.is("locprep", s.low(i-1)) || (s.low(i-1) == "the" && x.lex.is("locprep", s.low(i-2))) {
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
			if es, _ := x.lex.names.match(toks, j); es != nil && !glued(toks, j) {
				break
			}
			if x.titleAt(s, j) > 0 && t.Cap {
				break
			}
		}
		if t.Kind == Word && (t.Cap || t.Upper) && !(j == i && x.lex.is("stop", t.Low)) {
			j++
			continue
		}
		// "Al-Sisi", "Jean-Yves": a glued hyphen between capitalised words
		if j > i && t.Text == "-" && t.Glued && j+1 < len(toks) && toks[j+1].Glued && toks[j+1].Cap {
			j++
			continue
		}
		// particles: "Mohammed bin Salman", "Ursula von der Leyen"
		if j > i && x.lex.is("particle", t.Low) && !t.Cap {
			k := j
			for k < len(toks) && x.lex.is("particle", toks[k].Low) && !toks[k].Cap {
				k++
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
	if s.at[i] != nil {
		return s.at[i]
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
	switch {
	case !cued && (lx.is("orgword", last) || (lx.is("orgstart", first) && hasOf)):
		m.class, m.key = schema.Organization, "org:"+schema.NormName(m.surface)
	case !cued && lx.is("placeword", last) && n > 1:
		m.class, m.key = schema.Place, "place:"+schema.NormName(m.surface)
	case cued || n >= 2:
		if !cued && (lx.is("month", first) || lx.is("weekday", first)) {
			return nil
		}
		m.class, m.key = schema.Person, ""
	default:
		// one capitalised word: a surname, a speaker, or nothing
		if lx.is("stop", first) || lx.is("month", first) || lx.is("weekday", first) {
			return nil
		}
		m.class, m.kind = schema.Person, mUnknown
	}
	s.add(m)
	return m
}
