package graph

import (
	"context"
	"sort"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

// LinkEntity returns the node that carries the name key (ng:nameKey), and
// its canonical name, so that a new article's entity can join it; "" when
// the store has none. Of several, the one with the least IRI wins, so the
// choice does not depend on the store's order.
func (s *Store) LinkEntity(ctx context.Context, key string) (quad.IRI, string, error) {
	if err := s.settle(); err != nil {
		return "", "", err
	}
	ref, err := s.ref(quad.String(key))
	if err != nil || ref == nil {
		return "", "", err
	}
	qs, err := s.collect(ctx, s.qs.QuadIterator(quad.Object, ref).Iterate())
	if err != nil {
		return "", "", err
	}
	var found []quad.IRI
	for _, q := range qs {
		if q.Predicate != schema.NameKey.IRI() {
			continue
		}
		if iri, ok := q.Subject.(quad.IRI); ok {
			found = append(found, iri)
		}
	}
	if len(found) == 0 {
		return "", "", nil
	}
	sort.Slice(found, func(i, j int) bool { return found[i] < found[j] })
	names, err := s.objects(ctx, found[0], schema.Name)
	if err != nil {
		return "", "", err
	}
	name := ""
	if len(names) > 0 {
		name = quad.ToString(names[0])
	}
	return found[0], name, nil
}
