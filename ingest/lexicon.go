package ingest

import (
	"fmt"
	"strings"

	"github.com/newsgraph/newsgraph/schema"
)

// entryKind says what a gazetteer surface form names.
type entryKind uint8

const (
	kCountry   entryKind = iota + 1
	kDemonym             // "Iranian": the country, as a modifier
	kCapital             // "Tehran": a place, or the country as an actor
	kMetonym             // "the Kremlin": the country's government
	kPlace               // a city or region
	kOrg                 // an organisation
	kTitle               // an office: "Foreign Minister"
	kHonorific           // "Mr.", "Ayatollah"
)

// entry is what a surface form in the gazetteer points to.
type entry struct {
	kind entryKind
	idx  int // index into the gazetteer's slice for the kind
	// exact: the form is an acronym ("US", "AP") and matches only as
	// written, so that "us" and "ap" stay words.
	exact []string
}

// eventPhrase is a many-word event noun: its words before the last, and
// its group.
type eventPhrase struct {
	before []string
	group  string
}

// trie maps token sequences (lower case, accents stripped) to entries.
type trie struct {
	next    map[string]*trie
	entries []entry
}

func (t *trie) add(toks []Token, e entry) {
	n := t
	for _, tok := range toks {
		if n.next == nil {
			n.next = map[string]*trie{}
		}
		c := n.next[tok.Low]
		if c == nil {
			c = &trie{}
			n.next[tok.Low] = c
		}
		n = c
	}
	for _, old := range n.entries {
		if old.kind == e.kind && old.idx == e.idx {
			return
		}
	}
	n.entries = append(n.entries, e)
}

// match returns the longest match starting at toks[i], with its length.
func (t *trie) match(toks []Token, i int) ([]entry, int) {
	n := t
	var best []entry
	bestLen := 0
	for j := i; j < len(toks) && n.next != nil; j++ {
		c := n.next[toks[j].Low]
		if c == nil {
			break
		}
		n = c
		if len(n.entries) > 0 {
			if ok := filterExact(n.entries, toks[i:j+1]); len(ok) > 0 {
				best, bestLen = ok, j+1-i
			}
		}
	}
	return best, bestLen
}

func filterExact(es []entry, toks []Token) []entry {
	need := false
	for _, e := range es {
		if e.exact != nil {
			need = true
		}
	}
	if !need {
		return es
	}
	out := make([]entry, 0, len(es))
	for _, e := range es {
		if e.exact == nil || sameText(e.exact, toks) {
			out = append(out, e)
		}
	}
	return out
}

func sameText(words []string, toks []Token) bool {
	if len(words) != len(toks) {
		return false
	}
	for i := range words {
		if words[i] != toks[i].Text {
			return false
		}
	}
	return true
}

// wordList names a word list of lexicon.txt; a word's lists are one
// bit set, so asking whether a word is in a list costs one map lookup.
type wordList uint64

// The word lists the extractor asks about.
const (
	lStop wordList = 1 << iota
	lWeekday
	lMonth
	lAbbrev
	lFiller
	lPronoun
	lLocprep
	lOrgword
	lOrgstart
	lTopic
	lSpeech
	lTitlemod
	lEventmod
	lPlaceword
	lParticle
	lNotverb
	lReportverb
	lEventnotafter
	lBe
	lCourtesy
	lCommoncap
	lNameprep
	lAgentnoun
	lOrgin
	lTitlenext
	lOrgtail
	lOrgon
	lCompass
	lGovbody
	lNotadverb
)

var wordLists = map[string]wordList{
	"stop":          lStop,
	"weekday":       lWeekday,
	"month":         lMonth,
	"abbrev":        lAbbrev,
	"filler":        lFiller,
	"pronoun":       lPronoun,
	"locprep":       lLocprep,
	"orgword":       lOrgword,
	"orgstart":      lOrgstart,
	"topic":         lTopic,
	"speech":        lSpeech,
	"titlemod":      lTitlemod,
	"eventmod":      lEventmod,
	"placeword":     lPlaceword,
	"particle":      lParticle,
	"notverb":       lNotverb,
	"reportverb":    lReportverb,
	"eventnotafter": lEventnotafter,
	"be":            lBe,
	"courtesy":      lCourtesy,
	"commoncap":     lCommoncap,
	"nameprep":      lNameprep,
	"agentnoun":     lAgentnoun,
	"orgin":         lOrgin,
	"titlenext":     lTitlenext,
	"orgtail":       lOrgtail,
	"orgon":         lOrgon,
	"compass":       lCompass,
	"govbody":       lGovbody,
	"notadverb":     lNotadverb,
}

// lexicon is the compiled form of the gazetteer and word lists.
type lexicon struct {
	gaz    *schema.Gazetteer
	names  trie // countries, demonyms, capitals, places, organisations
	titles trie // titles and honorifics

	words    map[string]map[string]bool // single-word lists of lexicon.txt
	wordBits map[string]wordList        // the lists a word is in
	phrases  map[string][][]string      // multi-word entries of those lists
	// phraseStart holds the first words of the multi-word entries
	phraseStart map[string]bool
	eventHeads  map[string]string // head noun -> group
	// eventPhrases maps the last word of a many-word event noun ("news
	// conference") to the words before it and its group.
	eventPhrases map[string][]eventPhrase
	countryOf    map[string]int // country code -> index
	preds        map[schema.Predicate]schema.PredicateEntry
	lemmaOf      map[string]string // irregular form -> lemma
	nickname     map[string]string // short given name -> full: "tom" -> "thomas"
	orgPlace     map[string]bool   // last words that make a name a place ("Dam")
}

func (tk *Tokenizer) words(s string) []Token {
	return tk.Tokenize(s)
}

func newLexicon(g *schema.Gazetteer, tk *Tokenizer) (*lexicon, error) {
	lx := &lexicon{
		gaz:        g,
		words:      map[string]map[string]bool{},
		phrases:    map[string][][]string{},
		eventHeads: map[string]string{},
		countryOf:  map[string]int{},
		preds:      map[schema.Predicate]schema.PredicateEntry{},
		lemmaOf:    map[string]string{},
		nickname:   map[string]string{},
	}
	for name, entries := range g.Lexicon {
		set := map[string]bool{}
		for _, e := range entries {
			if name == "verb-forms" {
				for _, f := range e[1:] {
					lx.lemmaOf[strings.ToLower(f)] = strings.ToLower(e[0])
				}
				continue
			}
			if name == "nickname" {
				for _, f := range e[1:] {
					lx.nickname[strings.ToLower(f)] = strings.ToLower(e[0])
				}
				continue
			}
			if len(e) == 1 {
				set[e[0]] = true
			} else {
				lx.phrases[name] = append(lx.phrases[name], e)
			}
		}
		lx.words[name] = set
	}
	lx.phraseStart = map[string]bool{}
	for _, ps := range lx.phrases {
		for _, p := range ps {
			lx.phraseStart[p[0]] = true
		}
	}
	// verbs of saying are looked up in any inflection
	speech := map[string]bool{}
	for w := range lx.words["speech"] {
		for _, f := range lx.inflections(w) {
			speech[f] = true
		}
	}
	lx.words["speech"] = speech
	lx.wordBits = map[string]wordList{}
	for name, bit := range wordLists {
		set, ok := lx.words[name]
		if !ok {
			return nil, fmt.Errorf("lexicon.txt: no [%s] list", name)
		}
		for w := range set {
			lx.wordBits[w] |= bit
		}
	}
	add := func(t *trie, surface string, e entry) {
		surface = strings.TrimSpace(surface)
		if surface == "" {
			return
		}
		toks := tk.words(surface)
		// "the Kremlin": the article is matched, if at all, as a word;
		// but "The National" without its article is just a word
		if len(toks) > 1 && toks[0].Low == "the" && !(len(toks) == 2 && g.English[toks[1].Low]) {
			toks = toks[1:]
		}
		if len(toks) == 0 {
			return
		}
		if len(toks) == 1 && toks[0].Upper && len([]rune(toks[0].Text)) <= 5 {
			e.exact = []string{toks[0].Text}
		}
		t.add(toks, e)
	}
	for i, c := range g.Countries {
		if c.Code == "" || c.Name == "" {
			return nil, fmt.Errorf("countries.tsv: row %d lacks a code or name", i+1)
		}
		lx.countryOf[c.Code] = i
		add(&lx.names, c.Name, entry{kind: kCountry, idx: i})
		for _, a := range c.Aliases {
			add(&lx.names, a, entry{kind: kCountry, idx: i})
		}
		for _, d := range c.Demonyms {
			add(&lx.names, d, entry{kind: kDemonym, idx: i})
		}
		if c.Capital != "" {
			add(&lx.names, c.Capital, entry{kind: kCapital, idx: i})
		}
		for _, m := range c.Metonyms {
			add(&lx.names, m, entry{kind: kMetonym, idx: i})
		}
	}
	for i, p := range g.Places {
		add(&lx.names, p.Name, entry{kind: kPlace, idx: i})
		for _, a := range p.Aliases {
			add(&lx.names, a, entry{kind: kPlace, idx: i})
		}
	}
	for i, o := range g.Organizations {
		add(&lx.names, o.Name, entry{kind: kOrg, idx: i})
		for _, a := range o.Aliases {
			add(&lx.names, a, entry{kind: kOrg, idx: i})
		}
	}
	for i, t := range g.Titles {
		kind := kTitle
		if t.Kind == "honorific" {
			kind = kHonorific
		}
		add(&lx.titles, t.Title, entry{kind: kind, idx: i})
		for _, a := range t.Abbrevs {
			add(&lx.titles, a, entry{kind: kind, idx: i})
		}
	}
	lx.eventPhrases = map[string][]eventPhrase{}
	for _, h := range g.EventHeads {
		toks := tk.words(h.Head)
		if len(toks) == 1 {
			lx.eventHeads[h.Head] = h.Group
			continue
		}
		var words []string
		for _, t := range toks {
			words = append(words, t.Low)
		}
		last := words[len(words)-1]
		lx.eventPhrases[last] = append(lx.eventPhrases[last], eventPhrase{words[:len(words)-1], h.Group})
	}
	for _, p := range g.Predicates {
		lx.preds[p.Predicate] = p
	}
	return lx, nil
}

// is reports whether the lower-case word w is in the word list.
func (lx *lexicon) is(list wordList, w string) bool {
	return lx.wordBits[w]&list != 0
}

// inflections returns the forms a pattern word may take in text.
func (lx *lexicon) inflections(lemma string) []string {
	forms := []string{lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
	if strings.HasSuffix(lemma, "e") {
		forms = append(forms, lemma[:len(lemma)-1]+"ing")
	}
	if strings.HasSuffix(lemma, "y") && len(lemma) > 2 && !strings.ContainsRune("aeiou", rune(lemma[len(lemma)-2])) {
		stem := lemma[:len(lemma)-1]
		forms = append(forms, stem+"ies", stem+"ied")
	}
	// "stop" -> "stopped": a doubled final consonant after a short vowel
	if n := len(lemma); n >= 3 && !strings.ContainsRune("aeiouwxy", rune(lemma[n-1])) && strings.ContainsRune("aeiou", rune(lemma[n-2])) && !strings.ContainsRune("aeiou", rune(lemma[n-3])) {
		d := lemma + lemma[n-1:]
		forms = append(forms, d+"ed", d+"ing")
	}
	for form, l := range lx.lemmaOf {
		if l == lemma {
			forms = append(forms, form)
		}
	}
	return forms
}
