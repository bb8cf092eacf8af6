package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/cayleygraph/cayley/query"
	_ "github.com/cayleygraph/cayley/query/gizmo" // register the query languages
	_ "github.com/cayleygraph/cayley/query/graphql"
	_ "github.com/cayleygraph/cayley/query/mql"

	"github.com/newsgraph/newsgraph/schema"
)

// Languages are the query languages Store.Query accepts.
var Languages = []string{"gizmo", "graphql", "mql"}

// QueryOptions limit a query.
type QueryOptions struct {
	// Limit caps the number of results; 0 means 1000.
	Limit int
	// Timeout stops a query that runs longer; 0 means no limit.
	Timeout time.Duration
}

// Query runs src in the query language lang and returns its results as
// JSON-ready values. Compact IRIs of newsgraph's prefixes ("<ng:title>")
// are expanded first.
func (s *Store) Query(ctx context.Context, lang, src string, opt QueryOptions) ([]interface{}, error) {
	if err := s.settle(); err != nil {
		return nil, err
	}
	if query.GetLanguage(lang) == nil {
		return nil, fmt.Errorf("query: unknown language %q (have gizmo, graphql, mql)", lang)
	}
	if err := CheckQuery(src); err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	if opt.Limit <= 0 {
		opt.Limit = 1000
	}
	// g.addDefaultNamespaces() copies Cayley's registry: put ours in it
	schema.RegisterPrefixes()
	if opt.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opt.Timeout)
		defer cancel()
	}
	it, err := query.Execute(ctx, s.qs, lang, schema.ExpandIRIs(src), query.Options{Collation: query.JSON, Limit: opt.Limit})
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	defer it.Close()
	var out []interface{}
	// Gizmo ignores the context given to Execute; it stops only when the
	// one given to Next ends.
	for it.Next(ctx) {
		out = append(out, it.Result())
		if len(out) >= opt.Limit {
			break
		}
	}
	if err := it.Err(); err != nil {
		return out, fmt.Errorf("query: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return out, fmt.Errorf("query: %w", err)
	}
	return out, nil
}
