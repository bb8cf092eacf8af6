package graph

import (
	"github.com/cayleygraph/cayley/graph"
)

// sqlQuadStore hides the query optimizer of Cayley's SQL stores
// (postgres, cockroach, mysql). The optimizer turns a path into SQL
// iterators whose NextPath dereferences a nil result once it has stepped
// past its key and is asked again (graph/sql/iterator.go: prev.Key() with
// prev nil), which crashes queries with saveOpt or tags on some data, e.g.
// the README's "every person with an office" on the seed and the dev set.
// Without it, paths run on Cayley's generic iterators over the store's
// quad indexes, as on bolt, and give the same answers.
type sqlQuadStore struct{ graph.QuadStore }

func sqlWorkaround(backend string, qs graph.QuadStore) graph.QuadStore {
	switch backend {
	case "postgres", "cockroach", "mysql":
		return sqlQuadStore{qs}
	}
	return qs
}
