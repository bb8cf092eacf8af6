package ingest

import (
	"strings"

	"github.com/newsgraph/newsgraph/schema"
)

// resolver turns mentions into the article's entities: one entity per
// real-world thing, whatever forms the article names it by.
type resolver struct {
	x       *Extractor
	byKey   map[string]*Entity
	persons []*Entity
	events  []*Entity
	order   []*Entity // every entity, in order of first mention
}

func (r *resolver) entity(class schema.Class, key, name string) *Entity {
	if e := r.byKey[key]; e != nil {
		return e.canon()
	}
	e := &Entity{Class: class, Name: name, key: key}
	r.byKey[key] = e
	r.order = append(r.order, e)
	return e
}

// resolve assigns an entity to every mention of the article.
func (r *resolver) resolve(sents []*sentence) {
	g := r.x.lex.gaz
	// Pass 1: gazetteer and organisation names, and full person names.
	for _, s := range sents {
		var prev *mention
		for _, m := range s.mentions {
			// "Samagi Jana Balawegaya (SJB)": the acronym names the one
			// before it, here and wherever else the article uses it
			if prev != nil && prev.ent != nil && prev.end == m.start-1 && s.low(m.start-1) == "(" && s.low(m.end) == ")" &&
				m.end-m.start == 1 && s.toks[m.start].Upper && prev.class != schema.Person {
				m.ent, m.class = prev.ent, prev.class
				prev.ent.addAlias(m.surface)
				if m.key != "" {
					r.byKey[m.key] = prev.ent
				}
				prev = m
				continue
			}
			prev = m
			switch m.class {
			case schema.Country:
				code := strings.TrimPrefix(m.key, "country:")
				c := g.Countries[r.x.lex.countryOf[code]]
				e := r.entity(schema.Country, m.key, c.Name)
				e.Code = code
				m.ent = e
				if m.kind != mDemonym {
					e.addAlias(m.surface)
					e.mentions++
				}
			case schema.Place, schema.Organization:
				name := r.x.canonicalName(m)
				code := m.country
				if aff := r.x.affiliationBefore(s, m.start); aff != nil && aff.class == schema.Country && code == "" {
					// "Ethiopia's Foreign Ministry"
					code = strings.TrimPrefix(aff.key, "country:")
					m.alias = s.text(aff.start, m.end)
				}
				key := m.key
				if m.class == schema.Organization && r.x.genericName(name) {
					// "Defence Ministry" is a different body in each
					// country: name it by its country when the text says
					if code != "" {
						c := g.Countries[r.x.lex.countryOf[code]]
						if len(c.Demonyms) > 0 && !r.x.namesCountry(name) {
							name = c.Demonyms[0] + " " + name
						}
					}
					key += "|" + code
				}
				e := r.entity(m.class, key, name)
				e.addAlias(m.surface)
				e.addAlias(m.alias)
				e.mentions++
				m.ent = e
				if e.Code == "" {
					e.Code = code
				}
			case schema.Person:
				if m.kind == mUnknown || words(s.toks[m.start:m.end]) == 1 {
					continue
				}
				m.ent = r.person(m.surface)
				m.ent.mentions++
				if h := r.x.honorificBefore(s, m.start); h != "" {
					// "Ayatollah Ali Khamenei" is a name he goes by
					m.ent.addAlias(h + " " + m.surface)
				}
			}
		}
	}
	// Pass 2: one-word names: a surname or given name of a person the
	// article names in full, or a person of their own when a title,
	// honorific or verb of saying says so.
	for _, s := range sents {
		for _, m := range s.mentions {
			if m.class != schema.Person || m.ent != nil {
				continue
			}
			if p := r.bySurname(m.surface); p != nil {
				m.ent = p
				p.addAlias(m.surface)
				p.mentions++
				continue
			}
			if m.common {
				m.class = "" // a word after all
				continue
			}
			if m.title != "" || m.honorific || r.x.speakerCue(s, m) {
				m.ent = r.person(m.surface)
				m.ent.mentions++
				continue
			}
			// an unknown name after "in", "near", "from", "the city of",
			// or after a place in a list: a place
			if s.has(m.start-1, lNameprep) || s.low(m.start-1) == "the" && s.has(m.start-2, lNameprep) ||
				s.low(m.start-1) == "of" && s.has(m.start-2, lPlaceword) || r.x.afterPlaceInList(s, m.start) {
				m.class, m.key = schema.Place, "place:"+schema.NormName(m.surface)
				e := r.entity(schema.Place, m.key, m.surface)
				e.mentions++
				m.ent = e
				continue
			}
			if words(s.toks[m.start:m.end]) > 1 {
				m.ent = r.person(m.surface)
				m.ent.mentions++
			}
		}
	}
	// Pass 3: events, merged into the salient event of their kind.
	for _, s := range sents {
		for _, m := range s.mentions {
			if m.class == schema.Event {
				r.event(s, m)
			}
		}
	}
}

// person returns the person with the given full name, merging it with a
// one-word person already seen whose name is one of its words ("Trump"
// then "Donald Trump").
func (r *resolver) person(name string) *Entity {
	key := "person:" + schema.NormName(name)
	if e := r.byKey[key]; e != nil {
		return e.canon()
	}
	words := strings.Fields(schema.NormName(name))
	for _, p := range r.persons {
		pw := strings.Fields(schema.NormName(p.Name))
		if len(pw) == 1 && len(words) > 1 && (pw[0] == words[len(words)-1] || pw[0] == words[0]) {
			p.addAlias(p.Name)
			p.Name = name
			r.byKey[key] = p
			return p
		}
		if len(pw) > 1 && len(words) > 1 && pw[len(pw)-1] == words[len(words)-1] && (pw[0] == words[0] || strings.HasPrefix(pw[0], words[0]) || strings.HasPrefix(words[0], pw[0]) || suffixOf(words, pw) || suffixOf(pw, words)) {
			// "Ali Khamenei" and "Ayatollah Ali Khamenei", "J. Smith"
			if len(words) > len(pw) {
				p.addAlias(p.Name)
				p.Name = name
			} else {
				p.addAlias(name)
			}
			r.byKey[key] = p
			return p
		}
	}
	e := r.entity(schema.Person, key, name)
	r.persons = append(r.persons, e)
	return e
}

// bySurname finds the person whose last (or first) name is w.
func (r *resolver) bySurname(w string) *Entity {
	n := schema.NormName(w)
	var found *Entity
	for _, p := range r.persons {
		pw := strings.Fields(schema.NormName(p.Name))
		if len(pw) > 1 && (pw[len(pw)-1] == n || pw[0] == n) {
			found = p.canon()
			continue
		}
		// "Kalonji" for "Béatrice Kalonji Mwamba": a middle name, when
		// the last name is not one of another person's
		if len(pw) < 3 {
			continue
		}
		for _, w := range pw[1 : len(pw)-1] {
			if w == n && found == nil {
				found = p.canon()
			}
		}
	}
	return found
}

// speakerCue reports whether a one-word name stands next to a verb of
// saying ("Dar said", "said Dar").
func (x *Extractor) speakerCue(s *sentence, m *mention) bool {
	if m.end < len(s.toks) && s.has(m.end, lSpeech) {
		return true
	}
	if m.start > 0 && s.has(m.start-1, lSpeech) && (m.start < 2 || s.toks[m.start-2].Low == ",") {
		return true
	}
	return false
}

// canonicalName returns the gazetteer's name for a place or organisation
// mention, or its surface form.
func (x *Extractor) canonicalName(m *mention) string {
	key := m.key[strings.IndexByte(m.key, ':')+1:]
	switch m.class {
	case schema.Place:
		if i, ok := x.placeOf[key]; ok {
			return x.lex.gaz.Places[i].Name // capitals are places too
		}
	case schema.Organization:
		if i, ok := x.orgOf[key]; ok {
			return x.lex.gaz.Organizations[i].Name
		}
	}
	return strings.TrimPrefix(strings.TrimPrefix(m.surface, "the "), "The ")
}

// compatible says whether two kinds of event can be the same event:
// "talks" and "meeting" often are.
func compatible(a, b string) bool {
	if a == b {
		return true
	}
	near := func(g string) bool { return g == "talks" || g == "meeting" || g == "conference" }
	return near(a) && near(b)
}

// event merges an event mention into the article's salient event of its
// kind, unless it names another place or other parties.
func (r *resolver) event(s *sentence, m *mention) {
	parties, place, topic := r.x.eventArgs(s, m)
	var pents []*Entity
	for _, p := range parties {
		if p.ent != nil {
			pents = append(pents, p.ent.canon())
		}
	}
	var plent *Entity
	if place != nil && place.ent != nil {
		plent = place.ent.canon()
	}
	label := r.x.eventLabel(s, m)
	var target *Entity
	for _, e := range r.events {
		if !compatible(e.group, m.group) {
			continue
		}
		if plent != nil && e.place != nil && e.place != plent {
			continue
		}
		if len(pents) > 0 && len(e.parties) > 0 && !overlap(pents, e.parties) {
			continue
		}
		// "a special ASEAN meeting" and "the ASEAN Plus Three meeting"
		// are two meetings
		if label != "" && e.label != "" && label != e.label {
			continue
		}
		target = e
		break
	}
	if target == nil {
		target = &Entity{Class: schema.Event, group: m.group, key: "event"}
		r.events = append(r.events, target)
		r.order = append(r.order, target)
	}
	if target.label == "" {
		target.label = label
	}
	m.ent = target
	target.mentions++
	target.addAlias(stripDet(m.surface))
	for _, p := range pents {
		if !containsEnt(target.parties, p) {
			target.parties = append(target.parties, p)
		}
	}
	if target.place == nil {
		target.place = plent
	}
	if topic != "" && m.topic == "" {
		m.topic = topic
	}
	m.mods = append(m.mods, parties...)
	if place != nil && !containsMention(m.mods, place) {
		m.mods = append(m.mods, place)
	}
}

func containsMention(ms []*mention, m *mention) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

func overlap(a, b []*Entity) bool {
	for _, x := range a {
		if containsEnt(b, x) {
			return true
		}
	}
	return false
}

func containsEnt(list []*Entity, e *Entity) bool {
	for _, x := range list {
		if x.canon() == e.canon() {
			return true
		}
	}
	return false
}

func stripDet(s string) string {
	for _, d := range []string{"the ", "The ", "these ", "These ", "this ", "This ", "its ", "their "} {
		s = strings.TrimPrefix(s, d)
	}
	return s
}

// nameEvents gives each event its canonical name: its most specific form
// ("Iran-US talks"), plus "in PLACE" when the article says where.
func (r *resolver) nameEvents(sents []*sentence) {
	for _, e := range r.events {
		best, bestScore := "", -1
		for _, s := range sents {
			for _, m := range s.mentions {
				if m.ent != e {
					continue
				}
				score := 0
				for _, mod := range m.mods {
					if mod.start < m.start || mod.end > m.end {
						continue
					}
					if mod.class == schema.Country || mod.class == schema.Person {
						score += 3
					} else {
						score += 2
					}
				}
				if m.topic != "" {
					score++
				}
				if score > bestScore {
					best, bestScore = stripDet(m.surface), score
				}
			}
		}
		name := best
		if e.place != nil && !strings.Contains(schema.NormName(name), schema.NormName(e.place.Name)) {
			name += " in " + e.place.Name
		}
		e.Name = name
		var aliases []string
		for _, a := range e.Aliases {
			if a != name {
				aliases = append(aliases, a)
			}
		}
		e.Aliases = aliases
	}
}

// honorificBefore returns the honorific that is part of how a person is
// named ("Ayatollah", "Sheikh", "Grand Ayatollah") right before token i;
// plain courtesy titles ("Mr.", "Dr.") are not.
func (x *Extractor) honorificBefore(s *sentence, i int) string {
	for n := 2; n >= 1; n-- {
		a := i - n
		if a < 0 {
			continue
		}
		es, l := x.lex.titles.match(s.toks, a)
		if l != n || len(es) == 0 || es[0].kind != kHonorific || x.lex.is(lCourtesy, strings.TrimSuffix(s.toks[a].Low, ".")) {
			continue
		}
		return s.text(a, i)
	}
	return ""
}

// suffixOf reports whether a's words end b: "Al Mansoori" ends "Ahmed Al
// Mansoori".
func suffixOf(a, b []string) bool {
	if len(a) > len(b) {
		return false
	}
	off := len(b) - len(a)
	for i := range a {
		if a[i] != b[off+i] {
			return false
		}
	}
	return true
}

// afterPlaceInList reports whether token i follows "PLACE and" or
// "PLACE,": "the provinces of Paktika and Khost".
func (x *Extractor) afterPlaceInList(s *sentence, i int) bool {
	w := s.low(i - 1)
	if w != "and" && w != "," && w != "or" {
		return false
	}
	p := s.mentionAt(i - 2)
	return p != nil && p.class == schema.Place && p.ent != nil
}

// genericName reports whether an organisation's name is made of common
// words and a country's name or demonym only ("Defence Ministry",
// "Chinese Foreign Ministry"), so that it names a kind of body rather
// than one body.
func (x *Extractor) genericName(name string) bool {
	toks := x.tok.Tokenize(name)
	for i := 0; i < len(toks); {
		t := toks[i]
		if t.Kind != Word {
			i++
			continue
		}
		if _, n := x.countryIn(&sentence{toks: toks, at: make([]*mention, len(toks))}, i); n > 0 {
			i += n
			continue
		}
		if !x.lex.gaz.English[t.Low] {
			return false
		}
		i++
	}
	return true
}

// eventLabel returns the capitalised words that name an event mention
// beyond its parties and place ("ASEAN Plus Three" in "the ASEAN Plus
// Three meeting"), lower case; "" when there are none.
func (x *Extractor) eventLabel(s *sentence, m *mention) string {
	var words []string
	for i := m.start; i < m.head; i++ {
		t := s.toks[i]
		if !t.Cap || t.Kind != Word {
			continue
		}
		party := false
		for _, mod := range m.mods {
			if i >= mod.start && i < mod.end && mod.class != schema.Organization {
				party = true
			}
		}
		if !party {
			words = append(words, t.Low)
		}
	}
	return strings.Join(words, " ")
}

// namesCountry reports whether a name has a country's name or demonym in
// it ("Kenya National Commission", "Chinese Foreign Ministry").
func (x *Extractor) namesCountry(name string) bool {
	toks := x.tok.Tokenize(name)
	s := &sentence{toks: toks, at: make([]*mention, len(toks))}
	for i := range toks {
		if _, n := x.countryIn(s, i); n > 0 {
			return true
		}
	}
	return false
}
