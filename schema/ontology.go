package schema

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"github.com/cayleygraph/quad"
)

// OntologyTurtle is schema/ontology.ttl: the classes and predicates of the
// vocabulary with their labels, comments, domains and ranges. It is
// written from OntologyQuads (a test in package graph fails when it is
// stale; `go test ./graph -run Ontology -update` rewrites it).
//
//go:embed ontology.ttl
var OntologyTurtle []byte

// OntologyGraph is the quad label of the ontology's quads in a store.
const OntologyGraph = quad.IRI("https://newsgraph.dev/ns")

// classInfo gives the label and comment of each class (vocabulary.md).
var classInfo = []struct {
	Class          Class
	Label, Comment string
}{
	{Person, "person", "A named human, such as Ishaq Dar or Masoud Pezeshkian."},
	{Country, "country", "A sovereign state, also when named by its capital acting as the state (\"Tehran said\" is Iran)."},
	{Place, "place", "A city, region or other location that is not acting as a state."},
	{Organization, "organization", "A ministry, agency, party, company, news outlet or alliance."},
	{Event, "event", "A meeting, talks, summit, election, attack, protest or war."},
	{Statement, "statement", "Something a speaker said, with its quoted text."},
	{Article, "article", "A source document; the quad label of every fact taken from it."},
	{EvidenceClass, "evidence", "A record of the sentences of an article that state a fact, in ng:sentence, labelled with the article; its IRI is a hash of the article's IRI and the triple."},
}

// extraProperties are the predicates newsgraph adds beyond predicates.tsv.
var extraProperties = []PredicateEntry{
	{Predicate: ContentHash, Domain: []string{string(Article)}, Range: []string{"string"},
		Label: "content hash", Comment: "The SHA-256 of the article's text, so that an unchanged article is not ingested twice."},
	{Predicate: NameKey, Domain: []string{string(Person), string(Place), string(Organization), string(Event)}, Range: []string{"string"},
		Label: "name key", Comment: "The key under which spellings of one entity's name meet across articles."},
	{Predicate: Sentence, Domain: []string{string(EvidenceClass)}, Range: []string{"string"},
		Label: "sentence", Comment: "A sentence of the article that states the fact the evidence is for."},
}

// rangeTypes maps the literal types of predicates.tsv to XSD datatypes.
var rangeTypes = map[string]quad.IRI{
	"string": quad.IRI(XSD + "string"),
	"date":   XSDDate,
}

var ontology = sync.OnceValues(buildOntology)

// OntologyQuads returns the ontology as quads labelled OntologyGraph: each
// class an rdfs:Class and each predicate an rdf:Property with
// rdfs:label, rdfs:comment, rdfs:domain and rdfs:range, read from
// predicates.tsv and the tables above. A domain or range of several
// classes is a class of which each is a subclass
// (ng:PersonOrCountryOrOrganization), and each is also given with
// schema:domainIncludes or schema:rangeIncludes.
func OntologyQuads() ([]quad.Quad, error) { return ontology() }

func buildOntology() ([]quad.Quad, error) {
	g, err := LoadGazetteer()
	if err != nil {
		return nil, err
	}
	var out []quad.Quad
	add := func(s quad.IRI, p quad.IRI, o quad.Value) {
		out = append(out, quad.Quad{Subject: s, Predicate: p, Object: o, Label: OntologyGraph})
	}
	const (
		rdfsClass   = quad.IRI(RDFS + "Class")
		rdfProperty = quad.IRI(RDF + "Property")
		comment     = quad.IRI(RDFS + "comment")
		domain      = quad.IRI(RDFS + "domain")
		rng         = quad.IRI(RDFS + "range")
		subClassOf  = quad.IRI(RDFS + "subClassOf")
		isDefinedBy = quad.IRI(RDFS + "isDefinedBy")
		// schema.org's "one of" for domains and ranges
		domainIncludes = quad.IRI(Schema + "domainIncludes")
		rangeIncludes  = quad.IRI(Schema + "rangeIncludes")
	)
	unions := map[quad.IRI]bool{}
	classes := map[string]bool{}
	for _, c := range classInfo {
		classes[string(c.Class)] = true
		add(c.Class.IRI(), Type, rdfsClass)
		add(c.Class.IRI(), Label, quad.String(c.Label))
		add(c.Class.IRI(), comment, quad.String(c.Comment))
		add(c.Class.IRI(), isDefinedBy, OntologyGraph)
	}
	preds := append(append([]PredicateEntry(nil), g.Predicates...), extraProperties...)
	seen := map[Predicate]bool{}
	for _, p := range preds {
		if seen[p.Predicate] {
			return nil, fmt.Errorf("ontology: predicate %s given twice", p.Predicate)
		}
		seen[p.Predicate] = true
		iri := p.Predicate.IRI()
		add(iri, Type, rdfProperty)
		if p.Label != "" {
			add(iri, Label, quad.String(p.Label))
		}
		if p.Comment != "" {
			add(iri, comment, quad.String(p.Comment))
		}
		add(iri, isDefinedBy, OntologyGraph)
		ends := []struct {
			list          []string
			rdfs, include quad.IRI
		}{{p.Domain, domain, domainIncludes}, {p.Range, rng, rangeIncludes}}
		for _, e := range ends {
			var members []quad.IRI
			for _, c := range e.list {
				switch {
				case classes[c]:
					members = append(members, Class(c).IRI())
				case rangeTypes[c] != "" && e.rdfs == rng:
					members = append(members, rangeTypes[c])
				default:
					return nil, fmt.Errorf("ontology: predicate %s: unknown class %q", p.Predicate, c)
				}
			}
			switch len(members) {
			case 0:
			case 1:
				add(iri, e.rdfs, members[0])
			default:
				// rdfs:domain twice would mean "both"; a class of which
				// each is a subclass means "one of"
				for _, c := range e.list {
					if !classes[c] {
						return nil, fmt.Errorf("ontology: predicate %s: %q mixed with classes", p.Predicate, c)
					}
				}
				u := unionClass(e.list)
				if !unions[u] {
					unions[u] = true
					add(u, Type, rdfsClass)
					add(u, Label, quad.String(unionLabel(e.list)))
					add(u, isDefinedBy, OntologyGraph)
					for _, m := range members {
						add(m, subClassOf, u)
					}
				}
				add(iri, e.rdfs, u)
				for _, m := range members {
					add(iri, e.include, m)
				}
			}
		}
	}
	add(OntologyGraph, Type, quad.IRI("http://www.w3.org/2002/07/owl#Ontology"))
	add(OntologyGraph, Label, quad.String("newsgraph vocabulary"))
	add(OntologyGraph, comment, quad.String("The classes and predicates of the graphs newsgraph builds from news articles."))
	return out, nil
}

// unionClass returns the class of which each of the named classes is a
// subclass: ng:PersonOrCountryOrOrganization.
// The classes are taken in the order of classInfo, so that
// "Event|Statement" and "Statement|Event" are one class.
func unionClass(names []string) quad.IRI {
	return Class(strings.Join(classOrder(names), "Or")).IRI()
}

func unionLabel(names []string) string {
	low := classOrder(names)
	for i, n := range low {
		low[i] = strings.ToLower(n)
	}
	return strings.Join(low[:len(low)-1], ", ") + " or " + low[len(low)-1]
}

func classOrder(names []string) []string {
	var out []string
	for _, c := range classInfo {
		for _, n := range names {
			if n == string(c.Class) {
				out = append(out, n)
				break
			}
		}
	}
	return out
}
