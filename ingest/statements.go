package ingest

import (
	"strings"

	"github.com/newsgraph/newsgraph/schema"
)

// statements finds the quotations of a sentence with their speakers:
// `"...," X said`, `"...," said X`, `X said: "..."` and
// `X said (that) ... "..."`.
func (x *Extractor) statements(s *sentence, ctx *docContext) []*Statement {
	toks := s.toks
	var spans []span
	open := -1
	for i, t := range toks {
		if t.Kind != Quote || t.Text == "'" || t.Text == "’" || t.Text == "‘" {
			continue
		}
		closing := t.Text == "”" || t.Text == "»" || (t.Text == `"` && open >= 0)
		if !closing {
			open = i
			continue
		}
		if open >= 0 && i > open+1 {
			spans = append(spans, span{open + 1, i})
		}
		open = -1
	}
	// the speech verb and its speaker
	verb := -1
	var speaker *Entity
	for i, t := range toks {
		if !(t.bits&lSpeech != 0) || s.mentionAt(i) != nil || inSpans(i, spans) {
			continue
		}
		// "X is said to have": passive, no one speaks
		if i > 0 && s.has(i-1, lBe) || s.low(i+1) == "to" && t.Low == "said" {
			continue
		}
		if sp := x.speakerBefore(s, ctx, i); sp != nil {
			verb, speaker = i, sp
			break
		}
		if sp := x.speakerAfter(s, ctx, i); sp != nil {
			verb, speaker = i, sp
			break
		}
	}
	// Only quotations make statements: reported speech has no words of
	// the speaker's own to store, and what it paraphrases is not a quote.
	if speaker == nil || len(spans) == 0 {
		return nil
	}
	var text string
	if len(spans) > 0 && spans[0].a < verb {
		// `"...," he said`: the quoted words, all of them
		var parts []string
		for _, sp := range spans {
			parts = append(parts, strings.Trim(s.text(sp.a, sp.b), " ,"))
		}
		text = strings.Join(parts, " ")
	} else {
		// `X said (that) ... "..."`: the clause after the verb, which
		// holds the quoted words and what frames them
		a, b := verb+1, len(toks)
		// "telling reporters in Brasilia that ...": the words begin
		// after "that"
		for k := a; k < b && k < a+8 && k < spans[0].a; k++ {
			if toks[k].Low == "that" {
				a = k + 1
				break
			}
		}
		for a < b && (toks[a].Low == "that" || toks[a].Low == "on" || toks[a].Low == ":" || toks[a].Low == ",") || a < b && x.dateAt(s, a) > a {
			if e := x.dateAt(s, a); e > a {
				a = e
				continue
			}
			a++
		}
		for b > a && toks[b-1].Kind == Punct {
			b--
		}
		if b-a < 2 {
			return nil
		}
		text = s.textWithout(a, b, Quote)
	}
	text = strings.TrimSpace(strings.Trim(text, ` ,.;:"“”`))
	if text == "" {
		return nil
	}
	if spans[0].a > verb {
		// "he ordered talks after Trump threatened "bad things"": the
		// quote is the words of whoever speaks right before it
		if other := x.nearSpeaker(s, ctx, verb, spans[0].a); other != nil && other != speaker {
			speaker = other
			text = strings.Trim(s.text(spans[0].a, spans[0].b), " ,")
		}
	}
	st := &Statement{Speaker: speaker, Text: text, Sentence: s.idx}
	// "said on Tuesday"
	for _, d := range s.dates {
		if d.start >= verb-1 && d.start <= verb+3 {
			st.Date = d.value
			break
		}
	}
	return []*Statement{st}
}

func (x *Extractor) dateAt(s *sentence, i int) int {
	for _, d := range s.dates {
		if d.start == i {
			return d.end
		}
	}
	return i
}

// span is a run of tokens strictly inside quotation marks.
type span struct{ a, b int }

func inSpans(i int, spans []span) bool {
	for _, sp := range spans {
		if i >= sp.a && i < sp.b {
			return true
		}
	}
	return false
}

func speakerClass(e *Entity) bool {
	switch e.Class {
	case schema.Person, schema.Country, schema.Organization:
		return true
	}
	return false
}

// speakerBefore finds the speaker standing before a verb of saying: "X
// said", "X has said", "he added".
func (x *Extractor) speakerBefore(s *sentence, ctx *docContext, v int) *Entity {
	i := v - 1
	for i >= 0 && s.mentionAt(i) == nil && (s.has(i, lFiller) && !s.has(i, lPronoun)) {
		i--
	}
	// "X, while speaking to Y, confirmed": step over the parenthesis;
	// "Russia's commissioner, Yelena Voronova, said": the name inside it
	if i > 0 && s.toks[i].Low == "," {
		for k := i - 1; k >= 0 && k >= i-20; k-- {
			if m := s.mentionAt(k); m != nil && m.ent != nil && m.class == schema.Person && s.low(k+1) != "'s" && s.low(k+1) != "’s" && m.end == i {
				return m.ent.canon()
			}
			if s.toks[k].Low == "," {
				i = k - 1
				break
			}
			if s.toks[k].Kind == Quote {
				break
			}
		}
	}
	// "X, Malaysia's foreign minister, who said": the one "who" is
	if i > 0 && s.toks[i].Low == "who" {
		for k := i - 1; k >= 0 && k >= i-20; k-- {
			if m := s.mentionAt(k); m != nil && m.ent != nil && m.class == schema.Person && s.low(m.end) == "," {
				return m.ent.canon()
			}
		}
		return nil
	}
	if i < 0 {
		return nil
	}
	if m := s.mentionAt(i); m != nil && m.ent != nil && m.kind != mDemonym && speakerClass(m.ent.canon()) {
		return m.ent.canon()
	}
	if s.has(i, lPronoun) && s.toks[i].Low != "him" && s.toks[i].Low != "his" && s.toks[i].Low != "her" {
		return ctx.lastPerson(s.idx, i)
	}
	return nil
}

// speakerAfter finds the speaker after the verb at the end of a quote or
// clause: `"...," said X.`
func (x *Extractor) speakerAfter(s *sentence, ctx *docContext, v int) *Entity {
	if v == 0 || s.toks[v-1].Kind != Quote && s.toks[v-1].Low != "," {
		return nil
	}
	i := v + 1
	if s.low(i) == "the" {
		i++
	}
	i = x.skipTitle(s, i) // "said Polish Foreign Minister X"
	if i >= len(s.toks) {
		return nil
	}
	m := s.mentionAt(i)
	if m == nil || m.ent == nil || m.kind == mDemonym || !speakerClass(m.ent.canon()) {
		return nil
	}
	// the sentence ends after the speaker (and perhaps a date)
	end := x.dateAt(s, m.end)
	if s.low(end) == "on" {
		end = x.dateAt(s, end+1)
	}
	if end < len(s.toks) && s.toks[end].Kind != Punct && s.toks[end].Low != "who" && s.toks[end].Low != "in" && s.toks[end].Low != "at" {
		return nil
	}
	return m.ent.canon()
}

// reporter finds the news organisation a sentence attributes itself to:
// "according to Reuters", "AFP reported", and, when forEvent is false
// (for a quotation), also "told Reuters", "speaking to Geo News", "in an
// interview with CNN", which name where words were said rather than who
// reported an event.
func (x *Extractor) reporter(s *sentence, forEvent bool) *Entity {
	for _, m := range s.mentions {
		if m.ent == nil || m.class != schema.Organization {
			continue
		}
		prev := []string{s.low(m.start - 1), s.low(m.start - 2), s.low(m.start - 3)}
		switch {
		case prev[0] == "to" && prev[1] == "according",
			(prev[0] == "a" || prev[0] == "an" || prev[0] == "the") && prev[1] == "to" && prev[2] == "according",
			s.has(m.end, lReportverb):
			return m.ent.canon()
		case forEvent:
		case prev[0] == "to" && (prev[1] == "speaking" || prev[1] == "told"),
			prev[0] == "told", prev[0] == "with" && prev[2] == "interview", prev[0] == "with" && prev[1] == "interview":
			return m.ent.canon()
		}
	}
	return nil
}

// nearSpeaker returns the speaker of a verb of saying that stands between
// token from and a quotation starting at q: `X said Y threatened "..."`.
func (x *Extractor) nearSpeaker(s *sentence, ctx *docContext, from, q int) *Entity {
	for v := q - 1; v > from; v-- {
		if s.has(v, lSpeech) && s.mentionAt(v) == nil {
			return x.speakerBefore(s, ctx, v)
		}
	}
	return nil
}
