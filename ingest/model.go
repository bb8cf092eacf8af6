package ingest

import (
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

// Entity is a person, country, place, organisation or event an article
// names, with every form the article names it by.
type Entity struct {
	Class schema.Class
	// Name is the canonical name: the gazetteer's, or the fullest form the
	// article uses.
	Name string
	// Aliases are the article's other surface forms of the entity.
	Aliases []string
	// Code is the gazetteer id (ISO code) of a country.
	Code string

	key string
	iri quad.IRI // set when linked to a stored node
	// ownIRI caches the IRI made from ownName, the name it was made from
	ownIRI   quad.IRI
	ownName  string
	mentions int
	// events
	group   string
	label   string // the capitalised words naming it beyond parties and place
	parties []*Entity
	place   *Entity
	merged  *Entity // set when this entity was folded into another
}

// canon follows merges to the entity that survived.
func (e *Entity) canon() *Entity {
	for e.merged != nil {
		e = e.merged
	}
	return e
}

// addAlias records a surface form other than the name.
func (e *Entity) addAlias(s string) {
	s = strings.TrimSpace(s)
	if s == "" || s == e.Name {
		return
	}
	for _, a := range e.Aliases {
		if a == s {
			return
		}
	}
	e.Aliases = append(e.Aliases, s)
}

// names returns the name and aliases.
func (e *Entity) names() []string {
	return append([]string{e.Name}, e.Aliases...)
}

// Fact is one extracted statement of the graph: a subject, a predicate,
// and an object that is an entity, a statement or a literal.
type Fact struct {
	Subject   *Entity
	Predicate schema.Predicate
	Object    *Entity
	Literal   string // when Object is nil; a date when Predicate is Date
	// Sentence is the index of the sentence that states the fact.
	Sentence int
	// implied: the object is understood, not named ("X was invited")
	implied bool
}

// Statement is a quotation or reported speech.
type Statement struct {
	Speaker  *Entity
	Text     string
	Date     string
	Reporter *Entity
	Sentence int
}

// mentionKind says how a mention names its entity.
type mentionKind uint8

const (
	mName    mentionKind = iota
	mDemonym             // "Iranian"
	mPronoun             // "he", "she"
	mUnknown             // one capitalised word, not yet known to name anything
	mEvent               // "the talks"
)

// mention is one place in a sentence that names an entity.
type mention struct {
	start, end int // token span in its sentence
	sent       int
	class      schema.Class
	kind       mentionKind
	surface    string
	alias      string // another form the mention gives: "Syunik province"
	key        string // identity before resolution: "country:IR"
	ent        *Entity
	// for person names
	title       string
	affiliation *mention
	honorific   bool
	common      bool // a common English word: only a known surname
	speakerCue  bool // next to a verb of saying
	// country is the code of a country named inside an organisation's
	// name ("Chinese Foreign Ministry")
	country string
	// for events
	group string
	head  int // token index of the event noun
	mods  []*mention
	topic string
}
