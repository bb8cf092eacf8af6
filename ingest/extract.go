package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/newsgraph/newsgraph/schema"
)

// Extractor turns documents into articles of entities and facts. Build one
// with NewExtractor; it is safe for concurrent use.
type Extractor struct {
	tok   *Tokenizer
	lex   *lexicon
	rules []rule
	// ruleIndex maps a word to the rules anchored on it
	ruleIndex map[string][]int
	placeOf   map[string]int // normalised place name -> index
	orgOf     map[string]int // normalised organisation name -> index
}

// NewExtractor compiles the gazetteers and rules embedded in package schema.
func NewExtractor() (*Extractor, error) {
	g, err := schema.LoadGazetteer()
	if err != nil {
		return nil, fmt.Errorf("load gazetteer: %w", err)
	}
	tk := &Tokenizer{abbrev: map[string]bool{}, stop: map[string]bool{}}
	for _, e := range g.Lexicon["abbrev"] {
		tk.abbrev[strings.Join(e, " ")] = true
	}
	for _, e := range g.Lexicon["stop"] {
		tk.stop[strings.Join(e, " ")] = true
	}
	lx, err := newLexicon(g, tk)
	if err != nil {
		return nil, err
	}
	tk.bits = lx.wordBits
	x := &Extractor{tok: tk, lex: lx, placeOf: map[string]int{}, orgOf: map[string]int{}}
	for i, p := range g.Places {
		x.placeOf[schema.NormName(p.Name)] = i
	}
	for i, o := range g.Organizations {
		x.orgOf[schema.NormName(o.Name)] = i
	}
	rules, err := schema.Rules()
	if err != nil {
		return nil, err
	}
	if err := x.compileRules(rules); err != nil {
		return nil, err
	}
	return x, nil
}

// Tokenizer returns the extractor's tokenizer.
func (x *Extractor) Tokenizer() *Tokenizer { return x.tok }

// Article is what the extractor found in one document.
type Article struct {
	x   *Extractor
	Doc Document
	// Hash is the SHA-256 of the document's text, in hex.
	Hash       string
	Entities   []*Entity
	Facts      []Fact
	Statements []*Statement
	// Sentences are the byte spans of the text's sentences, which Fact and
	// Statement indices refer to.
	Sentences [][2]int
}

// docContext is what the analysis of one sentence may know of the others.
type docContext struct {
	persons []personAt
	// salient is the event the article is mostly about.
	salient *Entity
}

type personAt struct {
	sent, tok int
	ent       *Entity
}

// lastPerson returns the person named last before token tok of sentence
// sent, for "he" and "she".
func (c *docContext) lastPerson(sent, tok int) *Entity {
	var e *Entity
	for _, p := range c.persons {
		if p.sent > sent || (p.sent == sent && p.tok >= tok) {
			break
		}
		e = p.ent
	}
	if e != nil {
		return e.canon()
	}
	return nil
}

// Extract runs the whole pipeline on one document.
func (x *Extractor) Extract(doc Document) *Article {
	sum := sha256.Sum256([]byte(doc.Text))
	a := &Article{x: x, Doc: doc, Hash: hex.EncodeToString(sum[:])}
	raw := x.tok.Sentences(doc.Text)
	raw = splitDateline(raw)
	sents := make([]*sentence, 0, len(raw))
	dateline := -1
	for _, rs := range raw {
		if x.boilerplate(rs.Tokens) {
			continue // "Reporting by ...; Editing by ..."
		}
		s := &sentence{idx: len(sents), toks: rs.Tokens, at: make([]*mention, len(rs.Tokens))}
		sents = append(sents, s)
		a.Sentences = append(a.Sentences, [2]int{rs.Start, rs.End})
		x.findMentions(s)
		sort.Slice(s.mentions, func(p, q int) bool { return s.mentions[p].start < s.mentions[q].start })
		if len(sents) == 1 && isDateline(rs.Tokens) {
			// "ISTANBUL, Feb 3 (Reuters) -": where and when the story
			// was filed, not when anything in it happens
			dateline = 0
			continue
		}
		findDates(s, doc.Published)
	}
	r := &resolver{x: x, byKey: map[string]*Entity{}}
	r.resolve(sents)
	r.nameEvents(sents)
	for _, e := range r.events {
		// "the briefing", said once and of no one: not worth a node
		// unless a fact needs it
		if e.mentions == 1 && len(e.parties) == 0 && e.place == nil && !hasCapital(e.Name) && !strings.Contains(e.Name, " ") {
			e.mentions = 0
		}
	}

	ctx := &docContext{}
	for _, e := range r.events {
		if e.mentions > 0 && (ctx.salient == nil || e.mentions > ctx.salient.mentions) {
			ctx.salient = e
		}
	}
	for _, s := range sents {
		quoted := quotedTokens(s)
		for _, m := range s.mentions {
			// a person named inside a quotation is not who "he" is
			if m.ent != nil && m.ent.canon().Class == schema.Person && !quoted[m.start] {
				ctx.persons = append(ctx.persons, personAt{s.idx, m.start, m.ent})
			}
		}
	}
	var facts []Fact
	for _, s := range sents {
		facts = append(facts, x.phraseFacts(s)...)
		rel := x.relate(s, ctx)
		facts = append(facts, rel...)
		facts = append(facts, x.eventDate(s, rel)...)
		sts := x.statements(s, ctx)
		for _, st := range sts {
			st.Reporter = x.reporter(s, false)
			a.Statements = append(a.Statements, st)
		}
		rep := x.reporter(s, true)
		if s.idx == dateline {
			rep = datelineAgency(s)
		}
		if rep != nil && len(sts) == 0 {
			found := false
			for _, m := range s.mentions {
				if m.class == schema.Event && m.ent != nil && m.ent.canon().mentions > 0 {
					facts = append(facts, Fact{Subject: m.ent.canon(), Predicate: schema.ReportedBy, Object: rep, Sentence: s.idx})
					found = true
				}
			}
			// "..., AFP reported": the outlet reports the story, whose
			// event is the article's main one
			if !found && ctx.salient != nil {
				facts = append(facts, Fact{Subject: ctx.salient, Predicate: schema.ReportedBy, Object: rep, Sentence: s.idx})
			}
		}
	}
	facts = append(facts, representedAt(facts, ctx.salient)...)
	a.Facts = x.dedupe(facts)
	// keep entities that are named, or that a fact needs (a demonym's
	// country: "Iranian President X" states a fact about Iran)
	used := map[*Entity]bool{}
	for _, f := range a.Facts {
		used[f.Subject.canon()] = true
		if f.Object != nil {
			used[f.Object.canon()] = true
		}
	}
	for _, st := range a.Statements {
		used[st.Speaker.canon()] = true
	}
	seen := map[*Entity]bool{}
	for _, e := range r.order {
		e = e.canon()
		if seen[e] || (e.mentions == 0 && !used[e]) || e.Name == "" {
			continue
		}
		seen[e] = true
		a.Entities = append(a.Entities, e)
	}
	return a
}

// phraseFacts are the facts a noun phrase states by itself: titles
// ("Iranian President X"), event parties and places ("Iran-US talks in
// Istanbul"), event topics and dates ("talks on Friday").
func (x *Extractor) phraseFacts(s *sentence) []Fact {
	var out []Fact
	for _, m := range s.mentions {
		if m.ent == nil {
			continue
		}
		e := m.ent.canon()
		switch m.class {
		case schema.Person:
			if e.Class != schema.Person {
				continue
			}
			if m.title != "" {
				out = append(out, Fact{Subject: e, Predicate: schema.Title, Literal: m.title, Sentence: s.idx})
			}
			if m.affiliation != nil && m.affiliation.ent != nil {
				out = append(out, Fact{Subject: e, Predicate: schema.OfficialOf, Object: m.affiliation.ent.canon(), Sentence: s.idx})
			} else if m.title != "" {
				// "Kenya's electoral commission declared President X the
				// winner": an office whose country the sentence names once
				if c := soleCountryBefore(s, m.start); c != nil {
					out = append(out, Fact{Subject: e, Predicate: schema.OfficialOf, Object: c, Sentence: s.idx, implied: true})
				}
			}
			out = append(out, x.apposition(s, m, e)...)
		case schema.Event:
			for _, p := range m.mods {
				if p.ent == nil {
					continue
				}
				pe := p.ent.canon()
				if e.place != nil && pe == e.place.canon() && p.start >= m.end {
					continue // "protests in Iran": a place, not a party
				}
				switch pe.Class {
				case schema.Country, schema.Person:
					if p.class != schema.Place {
						out = append(out, Fact{Subject: pe, Predicate: schema.ParticipatesIn, Object: e, Sentence: s.idx})
					}
				}
			}
			if e.place != nil {
				out = append(out, Fact{Subject: e, Predicate: schema.HeldIn, Object: e.place.canon(), Sentence: s.idx})
			}
			if m.topic != "" {
				out = append(out, Fact{Subject: e, Predicate: schema.About, Literal: m.topic, Sentence: s.idx})
			}
		}
	}
	return out
}

// apposition reads a title after a name: "X, the foreign minister of Y,"
// or "X, Y's foreign minister,".
func (x *Extractor) apposition(s *sentence, m *mention, e *Entity) []Fact {
	i := m.end
	if s.low(i) != "," {
		return nil
	}
	i++
	if w := s.low(i); w == "the" || w == "a" || w == "an" {
		i++
	}
	var aff *mention
	var affEnt *Entity
	if i < len(s.toks) && s.mentionAt(i) != nil && (s.mentionAt(i).class == schema.Country || s.mentionAt(i).class == schema.Organization) {
		aff = s.mentionAt(i)
		i = aff.end
		if w := s.low(i); w == "'s" || w == "’s" {
			i++
		}
	} else if s.low(i) == "country" && (s.low(i+1) == "'s" || s.low(i+1) == "’s") {
		// "the country's foreign minister": the country named last
		for _, c := range s.mentions {
			if c.start < m.start && c.class == schema.Country && c.ent != nil {
				affEnt = c.ent.canon()
			}
		}
		i += 2
	}
	// "the IMF's mission chief": a word or two may qualify the title
	var qual []string
	if w := s.low(i + 1); w == "'s" || w == "’s" {
		i += 2 // "the bloc's High Representative": an owner we cannot name
	}
	for k := 0; k < 2 && x.titleAt(s, i) == 0 && i < len(s.toks) && s.toks[i].Kind == Word && !s.toks[i].Cap && s.mentionAt(i) == nil; k++ {
		qual = append(qual, capitalise(s.toks[i].Low))
		i++
	}
	n := x.titleAt(s, i)
	if n == 0 {
		return nil
	}
	title, honor := x.titleText(s, i, n)
	if honor || title == "" {
		return nil
	}
	if len(qual) > 0 {
		title = strings.Join(qual, " ") + " " + title
	}
	if aff == nil {
		aff = x.affiliationAfter(s, i+n)
	}
	out := []Fact{{Subject: e, Predicate: schema.Title, Literal: x.bareTitle(title), Sentence: s.idx}}
	if aff != nil && aff.ent != nil {
		affEnt = aff.ent.canon()
	}
	if affEnt != nil {
		out = append(out, Fact{Subject: e, Predicate: schema.OfficialOf, Object: affEnt, Sentence: s.idx})
	}
	return out
}

// dedupe drops repeated facts and facts whose ends break the predicate's
// domain or range, keeping the first sentence that stated each.
func (x *Extractor) dedupe(facts []Fact) []Fact {
	seen := map[string]bool{}
	var out []Fact
	for _, f := range facts {
		f.Subject = f.Subject.canon()
		if f.Object != nil {
			f.Object = f.Object.canon()
			if f.Object == f.Subject {
				continue
			}
		}
		p, ok := x.lex.preds[f.Predicate]
		if !ok || !classIn(f.Subject.Class, p.Domain) || (f.Object != nil && !classIn(f.Object.Class, p.Range)) {
			continue
		}
		key := fmt.Sprintf("%p|%s|%p|%s", f.Subject, f.Predicate, f.Object, f.Literal)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, f)
	}
	return out
}

func classIn(c schema.Class, list []string) bool {
	for _, l := range list {
		if l == string(c) {
			return true
		}
	}
	return false
}

// Published returns the document's publication date as YYYY-MM-DD, or "".
func (d Document) published() string {
	if d.Published.IsZero() {
		return ""
	}
	return d.Published.Format("2006-01-02")
}

var _ = time.Time{}

// quotedTokens marks the tokens of a sentence inside quotation marks.
func quotedTokens(s *sentence) []bool {
	q := make([]bool, len(s.toks))
	in := false
	for i, t := range s.toks {
		if t.Kind == Quote && t.Text != "'" && t.Text != "’" && t.Text != "‘" {
			switch t.Text {
			case "“", "«", "„":
				in = true
			case "”", "»":
				in = false
			default:
				in = !in
			}
			continue
		}
		q[i] = in
	}
	return q
}

// eventDate dates the one event a sentence speaks of with the day the
// sentence names, when no pattern did: "leaders opened their annual summit
// in Manila on Thursday". A day right after a verb of saying ("said on
// Tuesday") dates the saying, not the event.
func (x *Extractor) eventDate(s *sentence, facts []Fact) []Fact {
	if len(s.dates) == 0 {
		return nil
	}
	var ev *Entity
	for _, m := range s.mentions {
		if m.class != schema.Event || m.ent == nil || m.ent.canon().mentions == 0 {
			continue
		}
		if ev != nil && ev != m.ent.canon() {
			return nil // two events: which day is whose?
		}
		ev = m.ent.canon()
	}
	if ev == nil {
		return nil
	}
	for _, f := range facts {
		if f.Predicate == schema.Date && f.Subject.canon() == ev {
			return nil
		}
	}
	for _, d := range s.dates {
		k := d.start - 1
		if s.low(k) == "on" {
			k--
		}
		if k >= 0 && s.mentionAt(k) == nil && s.has(k, lSpeech) {
			continue
		}
		return []Fact{{Subject: ev, Predicate: schema.Date, Literal: d.value, Sentence: s.idx, implied: true}}
	}
	return nil
}

// representedAt adds what representation implies in an article about an
// event: who represents a country or organisation there takes part in
// the event, and so does what they represent ("Cambodia was represented
// by Sok Vanna" at the talks the article reports).
func representedAt(facts []Fact, salient *Entity) []Fact {
	if salient == nil {
		return nil
	}
	invited := map[*Entity]bool{}
	for _, f := range facts {
		if f.Predicate == schema.InvitedTo && f.Object != nil && f.Object.canon() == salient {
			invited[f.Subject.canon()] = true
		}
	}
	var out []Fact
	for _, f := range facts {
		if f.Predicate != schema.Represents || f.Object == nil {
			continue
		}
		out = append(out, Fact{Subject: f.Subject, Predicate: schema.ParticipatesIn, Object: salient, Sentence: f.Sentence, implied: true})
		// an invited country is not yet a party: only its envoy is there
		if !invited[f.Object.canon()] {
			out = append(out, Fact{Subject: f.Object, Predicate: schema.ParticipatesIn, Object: salient, Sentence: f.Sentence, implied: true})
		}
	}
	return out
}

// isDateline reports whether a text's first sentence is a wire dateline:
// a place in capitals, perhaps a date, the agency in parentheses and a
// dash ("ISTANBUL, Feb 3 (Reuters) -").
func isDateline(toks []Token) bool {
	if len(toks) < 4 || !toks[0].Upper || len(toks[0].Text) < 3 {
		return false
	}
	last := toks[len(toks)-1].Text
	return (last == "-" || last == "–" || last == "—") && toks[len(toks)-2].Text == ")"
}

// splitDateline cuts a wire dateline off the first sentence, so that it
// is a sentence of its own.
func splitDateline(raw []Sentence) []Sentence {
	if len(raw) == 0 {
		return raw
	}
	toks := raw[0].Tokens
	for i := 1; i < len(toks) && i < 16; i++ {
		t := toks[i].Text
		if (t == "-" || t == "–" || t == "—") && toks[i-1].Text == ")" && isDateline(toks[:i+1]) && i+1 < len(toks) {
			head := Sentence{Tokens: toks[: i+1 : i+1], Start: raw[0].Start, End: toks[i].End}
			tail := Sentence{Tokens: toks[i+1:], Start: toks[i+1].Start, End: raw[0].End}
			return append([]Sentence{head, tail}, raw[1:]...)
		}
	}
	return raw
}

// datelineAgency returns the agency a dateline names in parentheses.
func datelineAgency(s *sentence) *Entity {
	for _, m := range s.mentions {
		if m.class == schema.Organization && m.ent != nil && s.low(m.start-1) == "(" {
			return m.ent.canon()
		}
	}
	return nil
}

// boilerplate reports a sentence that credits the story's staff
// ("Reporting by ...; Editing by ...") rather than reporting news.
func (x *Extractor) boilerplate(toks []Token) bool {
	i := 0
	if i < len(toks) && toks[i].Text == "(" {
		i++
	}
	for _, p := range x.lex.phrases["boilerplate"] {
		if i+len(p) > len(toks) {
			continue
		}
		ok := true
		for k, w := range p {
			if toks[i+k].Low != w {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// soleCountryBefore returns the one country a sentence names before token
// i, or nil when it names none or several.
func soleCountryBefore(s *sentence, i int) *Entity {
	var c *Entity
	for _, m := range s.mentions {
		if m.start >= i || m.ent == nil || m.class != schema.Country {
			continue
		}
		e := m.ent.canon()
		if c != nil && c != e {
			return nil
		}
		c = e
	}
	return c
}
