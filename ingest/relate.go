package ingest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/newsgraph/newsgraph/schema"
)

// elemKind is the kind of one element of a relation pattern.
type elemKind uint8

const (
	eWord elemKind = iota
	eSubject
	eObject
	eDate
	eGap
	eSalient
)

type elem struct {
	kind     elemKind
	gap      int             // eGap: most words skipped
	forms    map[string]bool // eWord: every inflection of the alternatives
	optional bool
	classes  map[schema.Class]bool // eSubject, eObject
}

// rule is a compiled line of relations.txt.
type rule struct {
	// implied: the object is not in the text but understood (O*)
	implied bool
	pred    schema.Predicate
	elems   []elem
	anchor  map[string]bool // forms of the first required word, to skip sentences fast
	src     string
}

const maxGap = 6

func (x *Extractor) compileRules(rules []schema.Rule) error {
	for _, r := range rules {
		p, ok := x.lex.preds[r.Predicate]
		if !ok {
			return fmt.Errorf("%s:%d: unknown predicate %q", r.File, r.Line, r.Predicate)
		}
		cr := rule{pred: r.Predicate, src: fmt.Sprintf("%s:%d", r.File, r.Line)}
		for _, e := range r.Elements {
			var el elem
			switch {
			case e == "...":
				el.kind = eGap
				el.gap = maxGap
			case strings.HasPrefix(e, "...") && len(e) > 3:
				// "...12": a longer gap
				n, err := strconv.Atoi(e[3:])
				if err != nil || n < 1 || n > 30 {
					return fmt.Errorf("%s:%d: bad gap %q", r.File, r.Line, e)
				}
				el.kind, el.gap = eGap, n
			case e == ",":
				el.kind = eWord
				el.forms = map[string]bool{",": true}
				if cr.anchor == nil {
					cr.anchor = el.forms
				}
			case e == "D":
				el.kind = eDate
			case strings.HasPrefix(e, "@"):
				// any word of a lexicon list: "@placeword"
				el.kind = eWord
				if _, ok := x.lex.words[e[1:]]; !ok {
					return fmt.Errorf("%s:%d: no word list %q in lexicon.txt", r.File, r.Line, e[1:])
				}
				el.forms = x.lex.words[e[1:]]
			case e == "S" || strings.HasPrefix(e, "S:") || e == "O" || strings.HasPrefix(e, "O:") || e == "O*":
				el.kind = eSubject
				allowed := p.Domain
				if e[0] == 'O' {
					el.kind = eObject
					allowed = p.Range
				}
				if e == "O*" {
					// no object in the text: the article's main event
					el.kind = eSalient
					cr.implied = true
				}
				if i := strings.IndexByte(e, ':'); i >= 0 {
					allowed = strings.Split(e[i+1:], ",")
				}
				el.classes = map[schema.Class]bool{}
				for _, c := range allowed {
					el.classes[schema.Class(c)] = true
				}
			default:
				el.kind = eWord
				if strings.HasSuffix(e, "?") {
					el.optional = true
					e = strings.TrimSuffix(e, "?")
				}
				el.forms = map[string]bool{}
				for _, alt := range strings.Split(e, "|") {
					for _, f := range x.lex.inflections(strings.ToLower(alt)) {
						el.forms[f] = true
					}
				}
				if cr.anchor == nil && !el.optional {
					cr.anchor = el.forms
				}
			}
			cr.elems = append(cr.elems, el)
		}
		if cr.anchor == nil {
			return fmt.Errorf("%s:%d: a pattern needs at least one required word", r.File, r.Line)
		}
		x.rules = append(x.rules, cr)
	}
	x.ruleIndex = map[string][]int{}
	for ri, r := range x.rules {
		for f := range r.anchor {
			x.ruleIndex[f] = append(x.ruleIndex[f], ri)
		}
	}
	return nil
}

// binding collects what a pattern's slots matched.
type binding struct {
	subj, obj []*Entity
	date      string
}

// relate applies every rule to a sentence.
func (x *Extractor) relate(s *sentence, ctx *docContext) []Fact {
	var facts []Fact
	// the rules whose anchor word the sentence has
	candidate := make([]bool, len(x.rules))
	for _, t := range s.toks {
		for _, ri := range x.ruleIndex[t.Low] {
			candidate[ri] = true
		}
	}
	for ri := range x.rules {
		if !candidate[ri] {
			continue
		}
		r := &x.rules[ri]
		first := &r.elems[0]
		for start := 0; start < len(s.toks); start++ {
			switch first.kind {
			case eWord:
				if !first.forms[s.toks[start].Low] {
					continue
				}
			case eSubject, eObject:
				if !x.canStartGroup(s, start) {
					continue
				}
			}
			var b binding
			if !x.matchAt(s, ctx, r, 0, start, &b, true) {
				continue
			}
			for _, f := range x.bind(s, r, &b) {
				f.implied = r.implied
				facts = append(facts, f)
			}
		}
	}
	// a fact whose object the text leaves to be understood ("X was
	// invited", meaning the main event) yields to one that names it
	named := map[string]bool{}
	for _, f := range facts {
		if !f.implied {
			named[fmt.Sprintf("%p|%s", f.Subject.canon(), f.Predicate)] = true
		}
	}
	out := facts[:0]
	for _, f := range facts {
		if f.implied && named[fmt.Sprintf("%p|%s", f.Subject.canon(), f.Predicate)] {
			continue
		}
		out = append(out, f)
	}
	return out
}

// bind turns a match into facts, keeping only ends whose classes fit.
func (x *Extractor) bind(s *sentence, r *rule, b *binding) []Fact {
	var out []Fact
	for _, sub := range b.subj {
		if r.pred == schema.Date {
			if b.date != "" {
				out = append(out, Fact{Subject: sub, Predicate: r.pred, Literal: b.date, Sentence: s.idx})
			}
			continue
		}
		for _, obj := range b.obj {
			if sub.canon() == obj.canon() {
				continue
			}
			out = append(out, Fact{Subject: sub, Predicate: r.pred, Object: obj, Sentence: s.idx})
		}
	}
	return out
}

// matchAt matches elements ei... of r at token i. first says no element
// has matched yet, so no filler may be skipped.
func (x *Extractor) matchAt(s *sentence, ctx *docContext, r *rule, ei, i int, b *binding, first bool) bool {
	if ei == len(r.elems) {
		return true
	}
	el := &r.elems[ei]
	if el.kind == eWord && !first {
		// a pattern word may itself be a filler word ("to", "be")
		if i < len(s.toks) && x.wordFree(s, i) && el.forms[s.toks[i].Low] && x.matchAt(s, ctx, r, ei+1, i+1, b, false) {
			return true
		}
	}
	if !first {
		i = x.skipFiller(s, i)
	}
	if i > len(s.toks) {
		return false
	}
	switch el.kind {
	case eWord:
		if i < len(s.toks) && x.wordFree(s, i) && el.forms[s.toks[i].Low] {
			if x.matchAt(s, ctx, r, ei+1, i+1, b, false) {
				return true
			}
		}
		return el.optional && !first && x.matchAt(s, ctx, r, ei+1, i, b, false)
	case eGap:
		for j := i; j <= i+el.gap && j <= len(s.toks); j++ {
			if j > i {
				t := s.toks[j-1]
				if t.Kind == Punct && (t.Text == "." || t.Text == ";" || t.Text == ":" || t.Text == "?") {
					return false
				}
			}
			if x.matchAt(s, ctx, r, ei+1, j, b, false) {
				return true
			}
		}
		return false
	case eDate:
		for _, d := range s.dates {
			if d.start == i || (d.start == i+1 && (s.low(i) == "on" || s.low(i) == "for")) {
				save := b.date
				b.date = d.value
				if x.matchAt(s, ctx, r, ei+1, d.end, b, false) {
					return true
				}
				b.date = save
			}
		}
		return false
	case eSalient:
		if ctx.salient == nil {
			return false
		}
		save := b.obj
		b.obj = []*Entity{ctx.salient}
		if x.matchAt(s, ctx, r, ei+1, i, b, false) {
			return true
		}
		b.obj = save
		return false
	case eSubject, eObject:
		ents, end := x.group(s, ctx, i, el.classes)
		if len(ents) == 0 {
			return false
		}
		save := b.subj
		if el.kind == eObject {
			save = b.obj
			b.obj = ents
		} else {
			b.subj = ents
		}
		ok := x.matchAt(s, ctx, r, ei+1, end, b, false)
		if !ok && len(ents) == 1 && ents[0].Class == schema.Event {
			// "talks in Doha mediated by Qatar": an event's place or day
			// may stand between it and the rest of the pattern
			if k := x.eventTail(s, end); k > end {
				ok = x.matchAt(s, ctx, r, ei+1, k, b, false)
			}
		}
		if !ok && end > i && s.has(end-1, lAgentnoun) && s.mentionAt(end-1) == nil {
			// "the Thai delegation was led by": the pattern may name the
			// noun the demonym stands before
			ok = x.matchAt(s, ctx, r, ei+1, end-1, b, false)
		}
		// a subject may carry an apposition or relative clause:
		// "Dar, the deputy prime minister, will ..."
		if !ok && el.kind == eSubject && end < len(s.toks) && s.toks[end].Low == "," {
			// the comma that closes an apposition before the name
			ok = x.matchAt(s, ctx, r, ei+1, end+1, b, false)
		}
		if !ok && el.kind == eSubject && end < len(s.toks) && s.toks[end].Low == "," {
			for k := end + 1; k < len(s.toks) && k <= end+12; k++ {
				if s.toks[k].Kind == Quote || s.toks[k].Text == "." {
					break
				}
				if s.toks[k].Low == "," {
					ok = x.matchAt(s, ctx, r, ei+1, k+1, b, false)
					break
				}
			}
		}
		if !ok {
			if el.kind == eObject {
				b.obj = save
			} else {
				b.subj = save
			}
		}
		return ok
	}
	return false
}

// skipFiller moves past auxiliaries, hedges and adverbs (and quotation
// marks, which wrap names as often as words).
func (x *Extractor) skipFiller(s *sentence, i int) int {
	for n := 0; i < len(s.toks) && n < 8; n++ {
		t := s.toks[i]
		if s.mentionAt(i) != nil {
			return i
		}
		if t.Kind == Quote {
			i++
			continue
		}
		if l := x.phraseAt(s, i, "filler"); l > 0 {
			i += l
			continue
		}
		if t.bits&lFiller != 0 || isAdverb(t) {
			i++
			continue
		}
		return i
	}
	return i
}

// isAdverb reports a lower-case -ly word ("repeatedly", "publicly"),
// which changes no relation; nouns ending so are listed in [notadverb].
func isAdverb(t Token) bool {
	return t.Kind == Word && !t.Cap && len(t.Low) > 4 && strings.HasSuffix(t.Low, "ly") && t.bits&lNotadverb == 0
}

// phraseAt returns the length of a multi-word entry of list at token i.
func (x *Extractor) phraseAt(s *sentence, i int, list string) int {
	if i >= len(s.toks) || !x.lex.phraseStart[s.toks[i].Low] {
		return 0
	}
	best := 0
	for _, p := range x.lex.phrases[list] {
		if len(p) <= best || i+len(p) > len(s.toks) {
			continue
		}
		ok := true
		for k, w := range p {
			if s.toks[i+k].Low != w {
				ok = false
				break
			}
		}
		if ok {
			best = len(p)
		}
	}
	return best
}

// group reads a mention, or a list of them ("A, B and C"), at token i and
// returns the entities of the allowed classes with the index after it.
// "he" and "she" stand for the person last named.
func (x *Extractor) group(s *sentence, ctx *docContext, i int, classes map[schema.Class]bool) ([]*Entity, int) {
	var out []*Entity
	j := i
	for j < len(s.toks) {
		if s.low(j) == "the" {
			j++
			continue
		}
		// "Finance Minister X", "Iran's Foreign Minister X", "Iranian
		// President X": the person, not the title or its country
		if k := x.skipTitle(s, j); k > j {
			j = k
			continue
		}
		m := (*mention)(nil)
		if j < len(s.toks) {
			m = s.mentionAt(j)
		}
		var e *Entity
		end := j
		switch {
		case m != nil && m.start == j && m.ent != nil:
			e, end = m.ent.canon(), m.end
			if s.low(end) == "'s" || s.low(end) == "’s" {
				// "Qatar's Ministry of Foreign Affairs": the owned is
				// the actor; "Iran's president": no actor here
				if end+1 < len(s.toks) && s.mentionAt(end+1) != nil && s.mentionAt(end+1).start == end+1 && s.mentionAt(end+1).ent != nil {
					j = end + 1
					continue
				}
				if s.has(end+1, lAgentnoun) && classes[e.Class] {
					// "Pakistan's delegation was led by": the pattern goes
					// on at the noun
					return append(out, e), end + 1
				}
				return out, j
			}
			if m.kind == mDemonym {
				// a demonym names its country before a place noun ("the
				// Yemeni port of") or a noun for the state's agents
				// ("Egyptian troops", "Qatari mediation")
				switch {
				case s.has(end, lPlaceword):
				case s.has(end, lAgentnoun):
					end++
				default:
					return out, j
				}
			}
		case m == nil && s.has(j, lPronoun) && len(out) == 0:
			e, end = ctx.lastPerson(s.idx, j), j+1
		}
		if e == nil {
			break
		}
		if classes[e.Class] {
			out = append(out, e)
		}
		j = end
		// the list goes on: ", B", "and B", ", and B"
		k := j
		if s.low(k) == "(" {
			// "United Arab Emirates (UAE)"
			for k < len(s.toks) && s.low(k) != ")" {
				k++
			}
			k++
			j = k
		}
		if s.low(k) == "," {
			k++
		}
		if s.low(k) == "and" || s.low(k) == "or" {
			k++
		}
		if k == j || k >= len(s.toks) {
			break
		}
		next := k
		if s.low(next) == "the" {
			next++
		}
		if next >= len(s.toks) || s.mentionAt(next) == nil || s.mentionAt(next).start != next {
			break
		}
		j = k
	}
	if len(out) == 0 {
		return nil, i
	}
	return out, j
}

// skipTitle returns the index after a title (with the country or
// organisation that owns it) at j when a person's name follows it, else j.
func (x *Extractor) skipTitle(s *sentence, j int) int {
	k := j
	if m := s.mentionAt(k); m != nil && m.start == k && (m.class == schema.Country || m.class == schema.Organization) {
		k = m.end
		if w := s.low(k); w == "'s" || w == "’s" {
			k++
		}
	}
	n := x.titleAt(s, k)
	if n == 0 {
		return j
	}
	k += n
	for n = x.titleAt(s, k); n > 0; n = x.titleAt(s, k) {
		k += n
	}
	if s.low(k) == "," {
		k++ // "its senior adviser, Hamid Tijani Musa"
	}
	if m := s.mentionAt(k); m != nil && m.start == k && m.class == schema.Person {
		return k
	}
	return j
}

// canStartGroup reports whether group may find anything at token i: a
// mention, "the", a pronoun, or a title before a name.
func (x *Extractor) canStartGroup(s *sentence, i int) bool {
	return s.mentionAt(i) != nil || s.toks[i].Low == "the" || s.toks[i].Low == "who" || s.has(i, lPronoun) || x.titleAt(s, i) > 0
}

// eventTail returns the index after the place and day that follow an
// event mention ending at i ("in Doha", "at the Hofburg", "on Friday"),
// or i.
func (x *Extractor) eventTail(s *sentence, i int) int {
	for {
		w := s.low(i)
		k := i + 1
		if w == "in" || w == "at" || w == "near" {
			if s.low(k) == "the" {
				k++
			}
			if m := s.mentionAt(k); m != nil && m.start == k && (m.class == schema.Place || m.class == schema.Country) {
				i = m.end
				// "in Asuncion, the Paraguayan capital,": the place's
				// apposition too
				if s.low(i) == "," {
					for a := i + 1; a < len(s.toks) && a <= i+6; a++ {
						if s.low(a) == "," && s.has(a-1, lPlaceword) {
							i = a
							break
						}
					}
				}
				continue
			}
			return i
		}
		if w == "on" || w == "this" || w == "next" || w == "last" {
			for _, d := range s.dates {
				if d.start == k || d.start == i {
					i = d.end
					break
				}
			}
			if i < k {
				return i
			}
			continue
		}
		return i
	}
}

// wordFree reports whether a pattern word may match token i: any token
// outside a name, and the nouns of an event ("hold talks with").
func (x *Extractor) wordFree(s *sentence, i int) bool {
	m := s.mentionAt(i)
	return m == nil || m.class == schema.Event
}

// antecedent returns the person a relative clause at the comma c speaks
// of: the person named before c, past an apposition.
func (x *Extractor) antecedent(s *sentence, c int) *Entity {
	for k := c - 1; k >= 0 && k >= c-20; k-- {
		if m := s.mentionAt(k); m != nil && m.ent != nil && m.class == schema.Person && (m.end == c || s.low(m.end) == ",") {
			return m.ent.canon()
		}
	}
	return nil
}
