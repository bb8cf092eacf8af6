package graph

import (
	"context"
	"fmt"

	"github.com/newsgraph/newsgraph/schema"
)

// EnsureOntology writes the vocabulary's classes and predicates, with their
// labels, comments, domains and ranges (schema.OntologyQuads, published
// as schema/ontology.ttl), into the store under the label
// <https://newsgraph.dev/ns>, replacing an older version; when the store
// already has this one it writes nothing. It returns whether it wrote.
func (s *Store) EnsureOntology(ctx context.Context) (bool, error) {
	quads, err := schema.OntologyQuads()
	if err != nil {
		return false, err
	}
	res, err := s.WriteArticle(ctx, schema.OntologyGraph, quads)
	if err != nil {
		return false, fmt.Errorf("write ontology: %w", err)
	}
	return !res.Unchanged, nil
}
