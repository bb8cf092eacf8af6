package graph

import (
	"context"
	"io"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

// Stats counts what a store holds.
type Stats struct {
	Quads    int
	Articles int
	// Entities counts distinct nodes by class local name.
	Entities map[string]int
	// Facts counts distinct triples by predicate local name, across
	// articles (a fact two articles state counts once).
	Facts map[string]int
	// Evidence counts the evidence nodes (which sentence states which
	// fact); their quads are in Quads but not in Entities or Facts.
	Evidence int
	// Ontology counts the quads of the vocabulary (EnsureOntology),
	// which are not in Quads.
	Ontology int
}

// Stats reads the whole store once and counts it.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	if err := s.settle(); err != nil {
		return Stats{}, err
	}
	st := Stats{Entities: map[string]int{}, Facts: map[string]int{}}
	typed := map[quad.Value]string{}
	triples := map[[3]quad.Value]bool{}
	evidence := map[quad.IRI]bool{}
	r := s.AllQuads()
	defer r.Close()
	for {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		q, err := r.ReadQuad()
		if err == io.EOF {
			break
		}
		if err != nil {
			return st, err
		}
		if q.Label == schema.OntologyGraph {
			st.Ontology++
			continue
		}
		st.Quads++
		if iri, ok := q.Subject.(quad.IRI); ok && strings.HasPrefix(string(iri), schema.EvidencePrefix) {
			if q.Predicate == schema.Type {
				evidence[iri] = true
			}
			continue
		}
		if q.Predicate == schema.Type {
			if iri, ok := q.Object.(quad.IRI); ok {
				typed[q.Subject] = schema.LocalName(string(iri))
			}
			continue
		}
		t := [3]quad.Value{q.Subject, q.Predicate, q.Object}
		if triples[t] {
			continue
		}
		triples[t] = true
		if p, ok := q.Predicate.(quad.IRI); ok {
			st.Facts[schema.LocalName(string(p))]++
		}
	}
	st.Evidence = len(evidence)
	for _, c := range typed {
		if c == string(schema.Article) {
			st.Articles++
			continue
		}
		st.Entities[c]++
	}
	return st, nil
}
