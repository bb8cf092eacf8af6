// Package schema is newsgraph's vocabulary: the IRIs of its classes and
// predicates, the prefixes a user types instead of them, and the gazetteers
// and rule files the extractor reads.
package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/voc"
	"golang.org/x/text/unicode/norm"
)

// Namespaces of the graph. NS holds the vocabulary (classes and predicates),
// ID the entities and articles. Both are absolute IRIs so that exports are
// valid RDF for any tool.
const (
	NS     = "https://newsgraph.dev/ns#"
	ID     = "https://newsgraph.dev/id/"
	Schema = "http://schema.org/"
	RDF    = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	RDFS   = "http://www.w3.org/2000/01/rdf-schema#"
	XSD    = "http://www.w3.org/2001/XMLSchema#"
)

// Prefixes maps the short prefixes a user may type in queries ("ng:title")
// to their namespaces.
var Prefixes = []struct{ Prefix, NS string }{
	{"ng:", NS},
	{"ngid:", ID},
	{"schema:", Schema},
	{"rdf:", RDF},
	{"rdfs:", RDFS},
	{"xsd:", XSD},
}

// RegisterPrefixes adds newsgraph's prefixes to Cayley's process-wide
// namespace registry, which Gizmo's g.addDefaultNamespaces() copies.
func RegisterPrefixes() {
	for _, p := range Prefixes {
		voc.RegisterPrefix(p.Prefix, p.NS)
	}
}

// Class is the local name of an entity class.
type Class string

// The classes of vocabulary.md.
const (
	Person       Class = "Person"
	Country      Class = "Country"
	Place        Class = "Place"
	Organization Class = "Organization"
	Event        Class = "Event"
	Statement    Class = "Statement"
	Article      Class = "Article"
	// EvidenceClass is the class of the nodes that record which sentence
	// of which article stated a fact (see ingest.Article.Quads); it is no
	// entity class.
	EvidenceClass Class = "Evidence"
)

// Classes lists the entity classes scored by eval, in a stable order.
var Classes = []Class{Person, Country, Place, Organization, Event}

// IRI returns the class's IRI.
func (c Class) IRI() quad.IRI { return quad.IRI(NS + string(c)) }

// Predicate is the local name of a predicate of the vocabulary.
type Predicate string

// The predicates of vocabulary.md, and the few newsgraph adds.
const (
	InvitedTo      Predicate = "invitedTo"
	ParticipatesIn Predicate = "participatesIn"
	Represents     Predicate = "represents"
	OfficialOf     Predicate = "officialOf"
	Title          Predicate = "title"
	HeldIn         Predicate = "heldIn"
	HostedBy       Predicate = "hostedBy"
	Facilitated    Predicate = "facilitated"
	Ordered        Predicate = "ordered"
	Warned         Predicate = "warned"
	Threatened     Predicate = "threatened"
	DeployedTo     Predicate = "deployedTo"
	MetWith        Predicate = "metWith"
	LocatedIn      Predicate = "locatedIn"
	About          Predicate = "about"
	Date           Predicate = "date"
	Said           Predicate = "said"
	Text           Predicate = "text"
	ReportedBy     Predicate = "reportedBy"
	Mentions       Predicate = "mentions"

	// ContentHash is the SHA-256 of an article's text, so that re-ingesting
	// an unchanged article can be recognised and skipped.
	ContentHash Predicate = "contentHash"
	// NameKey is the key under which spellings of one entity's name meet
	// across articles ("Mohammed"/"Mohamed"); see ingest.Extractor.NameKey.
	NameKey Predicate = "nameKey"
	// Sentence is the text of the sentence an evidence node quotes.
	Sentence Predicate = "sentence"
)

// Predicates lists every predicate of vocabulary.md.
var Predicates = []Predicate{
	InvitedTo, ParticipatesIn, Represents, OfficialOf, Title, HeldIn, HostedBy,
	Facilitated, Ordered, Warned, Threatened, DeployedTo, MetWith, LocatedIn,
	About, Date, Said, Text, ReportedBy, Mentions,
}

// IRI returns the predicate's IRI.
func (p Predicate) IRI() quad.IRI { return quad.IRI(NS + string(p)) }

// Well-known IRIs from other vocabularies.
const (
	Type          = quad.IRI(RDF + "type")
	Name          = quad.IRI(Schema + "name")
	AlternateName = quad.IRI(Schema + "alternateName")
	URL           = quad.IRI(Schema + "url")
	DatePublished = quad.IRI(Schema + "datePublished")
	Headline      = quad.IRI(Schema + "headline")
	Label         = quad.IRI(RDFS + "label")
	XSDDate       = quad.IRI(XSD + "date")
)

// EvidencePrefix begins the IRI of every evidence node.
const EvidencePrefix = ID + "evidence/"

// EvidenceIRI returns the IRI of the node that records which sentences of
// the article state the triple s p o. It is a hash of the four, so that
// the evidence of a fact is found from the fact's quad alone, its label
// being the article.
func EvidenceIRI(article quad.IRI, s quad.Value, p quad.IRI, o quad.Value) quad.IRI {
	h := sha256.New()
	for _, v := range []string{string(article), quad.StringOf(s), quad.StringOf(p), quad.StringOf(o)} {
		h.Write([]byte(v))
		h.Write([]byte{0})
	}
	return quad.IRI(EvidencePrefix + hex.EncodeToString(h.Sum(nil)[:12]))
}

// LocalName returns the part of an IRI after its last '/' or '#', the name
// under which eval scores a predicate or class.
func LocalName(iri string) string {
	iri = strings.TrimSuffix(strings.TrimPrefix(iri, "<"), ">")
	if i := strings.LastIndexAny(iri, "/#"); i >= 0 {
		return iri[i+1:]
	}
	return iri
}

// EntityIRI returns the stable IRI of an entity of class c with the given
// canonical name: the same name gives the same node in every article.
func EntityIRI(c Class, name string) quad.IRI {
	return quad.IRI(ID + strings.ToLower(string(c)) + "/" + Slug(name))
}

// ArticleIRI returns the IRI of the article whose stable key (source id or
// content hash) is key.
func ArticleIRI(key string) quad.IRI {
	return quad.IRI(ID + "article/" + key)
}

// Slug turns a name into an IRI path segment: accents stripped, letters and
// digits kept, everything else one underscore. "Türkiye" and "Turkiye"
// give the same slug.
func Slug(name string) string {
	var b strings.Builder
	under := false
	for _, r := range Fold(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
		} else {
			under = true
		}
	}
	return b.String()
}

// Fold strips accents: "Türkiye" becomes "Turkiye". Case is kept.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'ı':
			r = 'i'
		case 'ø':
			r = 'o'
		case 'ł':
			r = 'l'
		case 'đ':
			r = 'd'
		case 'ß':
			b.WriteString("ss")
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// NormName normalises a name the way eval compares names: lower case,
// accents stripped, punctuation dropped, a leading "the " dropped.
func NormName(s string) string {
	s = strings.ToLower(Fold(s))
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		case unicode.IsSpace(r):
			space = true
		}
		// punctuation, dashes included, is dropped: "Iran-US" is "iranus"
	}
	out := b.String()
	return strings.TrimPrefix(out, "the ")
}

// ExpandIRIs rewrites the compact IRIs of newsgraph's prefixes inside angle
// brackets ("<ng:invitedTo>") to full ones, so that a query need not spell
// out namespaces. Gizmo, GraphQL and MQL keep "<ng:x>" as the literal IRI
// "ng:x", which matches nothing in the store.
func ExpandIRIs(src string) string {
	if !strings.Contains(src, "<") {
		return src
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(src, '<')
		if i < 0 {
			break
		}
		b.WriteString(src[:i+1])
		src = src[i+1:]
		for _, p := range Prefixes {
			if strings.HasPrefix(src, p.Prefix) {
				b.WriteString(p.NS)
				src = src[len(p.Prefix):]
				break
			}
		}
	}
	b.WriteString(src)
	return b.String()
}
