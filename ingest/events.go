package ingest

import (
	"strings"

	"github.com/newsgraph/newsgraph/schema"
)

// findEvents finds event nouns ("talks", "summit") with the words before
// them that belong to the event's name ("Iran-US", "nuclear", "NATO").
func (x *Extractor) findEvents(s *sentence) {
	lx := x.lex
	toks := s.toks
	for h := 0; h < len(toks); h++ {
		t := toks[h]
		if t.Kind != Word || s.mentionAt(h) != nil {
			continue
		}
		group, ok := lx.eventHeads[t.Low]
		// "news conference", "state visit": a many-word noun decides
		phraseStart := h
		for _, p := range lx.eventPhrases[t.Low] {
			k := h - len(p.before)
			if k < 0 || k >= phraseStart {
				continue
			}
			match := true
			for n, w := range p.before {
				if toks[k+n].Low != w {
					match = false
					break
				}
			}
			if match {
				group, ok, phraseStart = p.group, true, k
			}
		}
		if !ok {
			continue
		}
		if h+1 < len(toks) && lx.eventHeads[toks[h+1].Low] != "" && toks[h+1].Kind == Word {
			// "a ministerial forum", "a summit meeting": the last noun
			// is the head, this one its modifier
			continue
		}
		if h > 0 && (toks[h-1].bits&lNotverb != 0) {
			continue
		}
		// "meeting with X", "visiting Y" as verbs after a name
		if strings.HasSuffix(t.Low, "ing") && h > 0 && s.mentionAt(h-1) != nil && s.mentionAt(h-1).class == schema.Person {
			continue
		}
		start := phraseStart
		var mods []*mention
		topic := ""
		for j := phraseStart - 1; j >= 0; j-- {
			tj := toks[j]
			if tj.Cap && j == 0 && x.lex.gaz.English[tj.Low] && (s.mentionAt(j) == nil || s.mentionAt(j).common) {
				break // "Previous ceasefires ...": a capital for the sentence only
			}
			if m := s.mentionAt(j); m != nil {
				if m.class == schema.Event {
					break
				}
				mods = append(mods, m)
				j = m.start
				start = j
				continue
			}
			if tj.Text == "-" || tj.Text == "–" || tj.Text == "/" {
				// "Iran-US", "US–Iran", "de-escalation": a dash between words
				if j > 0 && (s.mentionAt(j-1) != nil || toks[j-1].Kind == Word || toks[j-1].Kind == Number) && (tj.Glued || tj.Text != "-") {
					start = j
					continue
				}
				break
			}
			if tj.Kind == Word && (j+1 < h && isDash(toks[j+1]) || j > 0 && tj.Glued && isDash(toks[j-1])) {
				// part of a hyphenated modifier: "anti-government",
				// "behind-the-scenes"
				start = j
				continue
			}
			if tj.bits&lTopic != 0 {
				if topic == "" {
					topic = tj.Low
				}
				start = j
				continue
			}
			if (tj.bits&lEventmod != 0) || (tj.Cap && tj.Kind == Word && (!(tj.bits&lStop != 0) || j+1 < h && toks[j+1].Cap || j > 0 && toks[j-1].Cap)) || tj.Kind == Number {
				start = j
				continue
			}
			break
		}
		if h+1 < len(toks) && (toks[h+1].bits&lEventnotafter != 0) {
			continue
		}
		// "a regional war", "any talks": indefinite and unnamed is no event
		d := start - 1
		for d >= 0 && toks[d].Kind == Quote {
			d--
		}
		det := s.low(d)
		if (det == "a" || det == "an" || det == "any" || det == "another") && len(mods) == 0 && phraseStart == h && topic == "" {
			continue
		}
		// a possessive before the noun is its party: "Iran's talks"
		m := &mention{start: start, end: h + 1, sent: s.idx, class: schema.Event, kind: mEvent,
			surface: s.text(start, h+1), group: group, head: h, mods: mods, topic: topic}
		for j := start; j <= h; j++ {
			s.at[j] = nil
		}
		s.add(m)
	}
}

// eventArgs returns the parties and place an event mention names after its
// noun: "talks between Tehran and Washington", "summit in Vilnius",
// "talks with the United States", "talks on trade".
func (x *Extractor) eventArgs(s *sentence, m *mention) (parties []*mention, place *mention, topic string) {
	toks := s.toks
	for _, mod := range m.mods {
		switch mod.class {
		case schema.Country, schema.Person:
			parties = append(parties, mod)
		case schema.Place:
			if place == nil {
				place = mod
			}
		}
	}
	topic = m.topic
	j := m.end
	skipped := 0
	for j < len(toks) && skipped <= 3 {
		w := toks[j].Low
		switch {
		case w == "between" || w == "with" || w == "involving":
			k := j + 1
			for k < len(toks) {
				if mm := s.mentionAt(k); mm != nil && (mm.class == schema.Country || mm.class == schema.Person || mm.class == schema.Organization) {
					if w != "with" || mm.class != schema.Organization {
						parties = append(parties, mm)
					}
					k = mm.end
					continue
				}
				if lw := toks[k].Low; lw == "and" || lw == "," || lw == "the" {
					k++
					continue
				}
				break
			}
			if k == j+1 {
				return
			}
			j = k
			skipped = 0
		case (w == "in" || w == "at" || w == "to" && m.group == "visit") && j+1 < len(toks):
			k := j + 1
			if toks[k].Low == "the" {
				k++
			}
			if k < len(toks) {
				if mm := s.mentionAt(k); mm != nil && (mm.class == schema.Place || mm.class == schema.Country) && mm.kind != mDemonym {
					if place == nil {
						place = mm
					}
					j = mm.end
					continue
				}
			}
			return
		case (w == "on" || w == "over" || w == "about" || w == "regarding" || w == "concerning") && j+1 < len(toks) && toks[j+1].Kind == Word && !x.isDateWord(toks[j+1]):
			// "talks on border security", "a meeting on Myanmar"
			k := j + 1
			for k < len(toks) && k < j+5 && toks[k].Kind == Word && !(toks[k].bits&lStop != 0) && !(toks[k].bits&lFiller != 0) {
				k++
			}
			if k == j+1 {
				return
			}
			if topic == "" || len(topic) < len(s.text(j+1, k)) {
				topic = s.text(j+1, k)
			}
			j = k
		case toks[j].Kind == Punct || toks[j].Kind == Quote || x.lex.is(lStop, w) && w != "this" && w != "next" && w != "last" && w != "week" || s.mentionAt(j) != nil:
			return
		default:
			j++
			skipped++
		}
	}
	return
}

// isDash reports a hyphen or dash glued to the word before it.
func isDash(t Token) bool {
	return t.Glued && (t.Text == "-" || t.Text == "–")
}
