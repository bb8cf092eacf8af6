package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

// IRI returns the article's IRI, derived from its document's id.
func (a *Article) IRI() quad.IRI {
	return schema.ArticleIRI(a.Doc.Key())
}

// EntityIRI returns the IRI of one of the article's entities. Named
// things get IRIs from their canonical names, shared by every article
// that names them; an event known only by its kind ("the summit") gets
// one of its article's own, so that unrelated summits stay apart.
func (a *Article) EntityIRI(e *Entity) quad.IRI {
	if e.iri != "" {
		return e.iri
	}
	if e.ownIRI != "" && e.ownName == e.Name {
		return e.ownIRI
	}
	if e.Class == schema.Event && len(e.parties) == 0 && e.place == nil && !hasCapital(e.Name) {
		e.ownIRI = quad.IRI(schema.ID + "event/" + a.Doc.Key() + "/" + schema.Slug(e.Name))
	} else {
		e.ownIRI = schema.EntityIRI(e.Class, e.Name)
	}
	e.ownName = e.Name
	return e.ownIRI
}

func hasCapital(s string) bool {
	for _, w := range strings.Fields(s) {
		if w != "" && w[0] >= 'A' && w[0] <= 'Z' {
			return true
		}
	}
	return false
}

// StatementIRI returns the IRI of one of the article's statements.
func (a *Article) StatementIRI(st *Statement) quad.IRI {
	sum := sha256.Sum256([]byte(a.Doc.Key() + "\x00" + st.Text))
	return quad.IRI(schema.ID + "statement/" + hex.EncodeToString(sum[:8]))
}

// Quads returns the article's graph: the article node, its entities with
// types and names, its facts and statements, every quad labelled with the
// article's IRI.
func (a *Article) Quads() []quad.Quad {
	label := a.IRI()
	var out []quad.Quad
	add := func(s quad.Value, p quad.IRI, o quad.Value) {
		out = append(out, quad.Quad{Subject: s, Predicate: p, Object: o, Label: label})
	}
	date := func(d string) quad.Value { return quad.TypedString{Value: quad.String(d), Type: schema.XSDDate} }

	d := a.Doc
	add(label, schema.Type, schema.Article.IRI())
	add(label, schema.ContentHash.IRI(), quad.String(a.Hash))
	if u := d.sourceURL(); u != "" {
		add(label, schema.URL, quad.IRI(u))
	}
	name := d.Title
	if name == "" {
		name = d.ID
		if d.Source != "" && d.Source != "-" {
			name = filepath.Base(d.Source)
		}
	}
	if name != "" {
		add(label, schema.Name, quad.String(name))
	}
	if d.Title != "" {
		add(label, schema.Headline, quad.String(d.Title))
	}
	if p := d.published(); p != "" {
		add(label, schema.DatePublished, date(p))
		add(label, schema.Date.IRI(), date(p))
	}
	for _, k := range sortedKeys(d.Props) {
		add(label, schema.Predicate(k).IRI(), quad.String(d.Props[k]))
	}
	for _, e := range a.Entities {
		iri := a.EntityIRI(e)
		add(iri, schema.Type, e.Class.IRI())
		add(iri, schema.Name, quad.String(e.Name))
		if key := a.keyOf(e); key != "" {
			add(iri, schema.NameKey.IRI(), quad.String(key))
		}
		for _, al := range e.Aliases {
			add(iri, schema.AlternateName, quad.String(al))
		}
		add(label, schema.Mentions.IRI(), iri)
	}
	for _, f := range a.Facts {
		var o quad.Value
		switch {
		case f.Object != nil:
			o = a.EntityIRI(f.Object)
		case f.Predicate == schema.Date:
			o = date(f.Literal)
		default:
			o = quad.String(f.Literal)
		}
		add(a.EntityIRI(f.Subject), f.Predicate.IRI(), o)
		a.addEvidence(add, a.EntityIRI(f.Subject), f.Predicate.IRI(), o, f.Sentence)
	}
	for _, st := range a.Statements {
		iri := a.StatementIRI(st)
		add(iri, schema.Type, schema.Statement.IRI())
		add(iri, schema.Name, quad.String(st.Text))
		add(iri, schema.Text.IRI(), quad.String(st.Text))
		add(a.EntityIRI(st.Speaker), schema.Said.IRI(), iri)
		a.addEvidence(add, a.EntityIRI(st.Speaker), schema.Said.IRI(), iri, st.Sentence)
		if st.Date != "" {
			add(iri, schema.Date.IRI(), date(st.Date))
		}
		if st.Reporter != nil {
			add(iri, schema.ReportedBy.IRI(), a.EntityIRI(st.Reporter))
		}
	}
	return out
}

// addEvidence records which sentence states the fact s p o: a node
// ngid:evidence/HASH of class ng:Evidence, the hash of the article's IRI
// and the triple (schema.EvidenceIRI), that quotes the sentence with
// ng:sentence. A fact stated in two sentences gets one node with two
// sentences. `newsgraph why` finds the node from the fact's quad, so the
// node neither names nor reifies the triple: a name and three
// rdf:subject/predicate/object quads for each fact were nearly half of an
// article's quads (230 of a generated article's, now 127) and a third of
// the store.
func (a *Article) addEvidence(add func(quad.Value, quad.IRI, quad.Value), s quad.Value, p quad.IRI, o quad.Value, sent int) {
	text := a.SentenceText(sent)
	if text == "" {
		return
	}
	ev := schema.EvidenceIRI(a.IRI(), s, p, o)
	add(ev, schema.Type, schema.EvidenceClass.IRI())
	add(ev, schema.Sentence.IRI(), quad.String(text))
}

// SentenceText returns the text of sentence i with its runs of white
// space made single spaces, or "" when there is no such sentence.
func (a *Article) SentenceText(i int) string {
	if i < 0 || i >= len(a.Sentences) {
		return ""
	}
	sp := a.Sentences[i]
	if sp[0] < 0 || sp[1] > len(a.Doc.Text) || sp[0] >= sp[1] {
		return ""
	}
	return strings.Join(strings.Fields(a.Doc.Text[sp[0]:sp[1]]), " ")
}

// FactLines returns the article's facts as readable lines, "Subject
// predicate Object", sorted: entities by name, literals quoted.
func (a *Article) FactLines() []string {
	var out []string
	for _, f := range a.Facts {
		o := f.Literal
		if f.Object != nil {
			o = f.Object.Name
		} else {
			o = strconv.Quote(o)
		}
		out = append(out, f.Subject.Name+"\t"+string(f.Predicate)+"\t"+o)
	}
	for _, st := range a.Statements {
		out = append(out, st.Speaker.Name+"\t"+string(schema.Said)+"\t"+strconv.Quote(st.Text))
	}
	sort.Strings(out)
	return out
}
