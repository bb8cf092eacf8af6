package graph

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

// RenderOptions choose what Render draws.
type RenderOptions struct {
	// Article draws only the facts of this article.
	Article quad.IRI
	// Entity draws the neighbourhood of the nodes with this name (or IRI),
	// Depth edges deep (default 1).
	Entity string
	Depth  int
	// Mentions draws articles and their mentions edges, which are left
	// out by default (they tie every entity to its articles).
	Mentions bool
	// Evidence draws the evidence nodes (which sentence states which fact).
	Evidence bool
	// MaxNodes refuses a drawing of more nodes (default 500).
	MaxNodes int
}

// ClassColors are the fill colours of the nodes of each class.
var ClassColors = map[string]string{
	"Person":       "#a6cee3",
	"Country":      "#fdbf6f",
	"Place":        "#b2df8a",
	"Organization": "#cab2d6",
	"Event":        "#fb9a99",
	"Statement":    "#eeeeee",
	"Article":      "#ffffff",
	"Evidence":     "#ffffcc",
}

// attributes are drawn as node labels and colours, or not at all, rather
// than as edges.
var attributes = map[quad.IRI]bool{
	schema.Type: true, schema.Name: true, schema.AlternateName: true, schema.URL: true,
	schema.DatePublished: true, schema.Headline: true, schema.Label: true,
	schema.ContentHash.IRI(): true, schema.NameKey.IRI(): true, schema.Text.IRI(): true,
}

type renderEdge struct {
	s, o quad.Value
	p    string
}

// Render writes a Graphviz DOT drawing of the store, or of one article, or
// of one entity's neighbourhood: a node for each entity (labelled with its
// schema:name, filled with its class's colour) and each literal value, an
// edge for each fact labelled with the predicate's local name. It returns
// the number of nodes drawn.
func (s *Store) Render(ctx context.Context, w io.Writer, opt RenderOptions) (int, error) {
	if err := s.settle(); err != nil {
		return 0, err
	}
	if opt.Depth <= 0 {
		opt.Depth = 1
	}
	if opt.MaxNodes <= 0 {
		opt.MaxNodes = 500
	}
	var quads []quad.Quad
	var err error
	if opt.Article != "" {
		quads, err = s.ArticleQuads(ctx, opt.Article)
		if err == nil && len(quads) == 0 {
			err = fmt.Errorf("render: no article %s in the store", opt.Article)
		}
	} else {
		quads, err = quad.ReadAll(s.AllQuads())
	}
	if err != nil {
		return 0, err
	}
	class := map[quad.Value]string{}
	name := map[quad.Value]string{}
	var edges []renderEdge
	seenEdge := map[renderEdge]bool{}
	for _, q := range quads {
		if q.Label == schema.OntologyGraph {
			continue
		}
		p, _ := q.Predicate.(quad.IRI)
		switch p {
		case schema.Type:
			class[q.Subject] = schema.LocalName(quad.ToString(q.Object))
		case schema.Name:
			if _, ok := name[q.Subject]; !ok {
				name[q.Subject] = plain(q.Object)
			}
		}
		if attributes[p] {
			continue
		}
		e := renderEdge{q.Subject, q.Object, schema.LocalName(string(p))}
		if !seenEdge[e] {
			seenEdge[e] = true
			edges = append(edges, e)
		}
	}
	isEvidence := func(v quad.Value) bool {
		iri, ok := v.(quad.IRI)
		return ok && strings.HasPrefix(string(iri), schema.EvidencePrefix)
	}
	if opt.Evidence {
		// an evidence node names no fact (see ingest.Article.Quads): join
		// it to the subject of the fact it is for
		for _, q := range quads {
			a, ok1 := q.Label.(quad.IRI)
			p, ok2 := q.Predicate.(quad.IRI)
			if !ok1 || !ok2 || attributes[p] || isEvidence(q.Subject) {
				continue
			}
			if ev := schema.EvidenceIRI(a, q.Subject, p, q.Object); class[ev] == string(schema.EvidenceClass) {
				e := renderEdge{ev, q.Subject, "evidence: " + schema.LocalName(string(p))}
				if !seenEdge[e] {
					seenEdge[e] = true
					edges = append(edges, e)
				}
			}
		}
	}
	keep := edges[:0]
	for _, e := range edges {
		if !opt.Evidence && (isEvidence(e.s) || isEvidence(e.o)) {
			continue
		}
		if !opt.Mentions && class[e.s] == string(schema.Article) {
			continue
		}
		keep = append(keep, e)
	}
	edges = keep

	if opt.Entity != "" {
		start, err := s.resolve(ctx, opt.Entity, false)
		if err != nil {
			return 0, err
		}
		if len(start) == 0 {
			return 0, fmt.Errorf("render: no node named %q", opt.Entity)
		}
		dist := map[quad.Value]int{}
		frontier := start
		for _, v := range start {
			dist[v] = 0
		}
		for d := 1; d <= opt.Depth && len(frontier) > 0; d++ {
			in := map[quad.Value]bool{}
			for _, v := range frontier {
				in[v] = true
			}
			var next []quad.Value
			for _, e := range edges {
				for _, pair := range [][2]quad.Value{{e.s, e.o}, {e.o, e.s}} {
					if !in[pair[0]] {
						continue
					}
					if _, ok := dist[pair[1]]; !ok {
						dist[pair[1]] = d
						// literals and articles are ends, not ways through
						if _, isIRI := pair[1].(quad.IRI); isIRI && class[pair[1]] != string(schema.Article) {
							next = append(next, pair[1])
						}
					}
				}
			}
			frontier = next
		}
		keep := edges[:0]
		for _, e := range edges {
			ds, okS := dist[e.s]
			do, okO := dist[e.o]
			if okS && okO && (ds < opt.Depth || do < opt.Depth) {
				keep = append(keep, e)
			}
		}
		edges = keep
	}

	// nodes, in a stable order
	ids := map[quad.Value]string{}
	var keys []string
	byKey := map[string]quad.Value{}
	for _, e := range edges {
		for _, v := range []quad.Value{e.s, e.o} {
			k := NQuadTerm(v)
			if _, ok := byKey[k]; !ok {
				byKey[k] = v
				keys = append(keys, k)
			}
		}
	}
	if len(keys) > opt.MaxNodes {
		return 0, fmt.Errorf("render: %d nodes to draw, more than %d: narrow it with --article or --entity, or raise --max-nodes", len(keys), opt.MaxNodes)
	}
	sort.Strings(keys)
	for i, k := range keys {
		ids[byKey[k]] = fmt.Sprintf("n%d", i)
	}
	sort.Slice(edges, func(i, j int) bool {
		a, b := edges[i], edges[j]
		if ids[a.s] != ids[b.s] {
			return ids[a.s] < ids[b.s]
		}
		if a.p != b.p {
			return a.p < b.p
		}
		return ids[a.o] < ids[b.o]
	})

	bw := bufio.NewWriter(w)
	bw.WriteString("digraph newsgraph {\n")
	bw.WriteString("\tgraph [rankdir=LR, fontname=\"Helvetica\", fontsize=10, nodesep=0.15, ranksep=0.6];\n")
	bw.WriteString("\tnode [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, color=\"#555555\", fillcolor=\"#ffffff\"];\n")
	bw.WriteString("\tedge [fontname=\"Helvetica\", fontsize=8, color=\"#777777\", fontcolor=\"#333333\", arrowsize=0.6];\n")
	used := map[string]bool{}
	for _, k := range keys {
		v := byKey[k]
		label, attrs := "", ""
		if iri, ok := v.(quad.IRI); ok {
			c := class[v]
			label = name[v]
			if label == "" {
				label = compactIRI(string(iri))
			}
			if col, ok := ClassColors[c]; ok {
				used[c] = true
				attrs = fmt.Sprintf(", fillcolor=%s, tooltip=%s", dotString(col), dotString(c+": "+string(iri)))
			}
		} else {
			label = plain(v)
			attrs = ", shape=plaintext, style=\"\", fontcolor=\"#333333\""
		}
		fmt.Fprintf(bw, "\t%s [label=%s%s];\n", ids[v], dotString(shorten(label, 48)), attrs)
	}
	for _, e := range edges {
		fmt.Fprintf(bw, "\t%s -> %s [label=%s];\n", ids[e.s], ids[e.o], dotString(e.p))
	}
	// a legend of the classes drawn
	var classes []string
	for c := range used {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	if len(classes) > 0 {
		bw.WriteString("\tsubgraph cluster_legend {\n\t\tlabel=\"classes\"; fontsize=9; color=\"#bbbbbb\";\n")
		for i, c := range classes {
			fmt.Fprintf(bw, "\t\tlegend%d [label=%s, fillcolor=%s, fontsize=9];\n", i, dotString(c), dotString(ClassColors[c]))
		}
		for i := 1; i < len(classes); i++ {
			fmt.Fprintf(bw, "\t\tlegend%d -> legend%d [style=invis];\n", i-1, i)
		}
		bw.WriteString("\t}\n")
	}
	bw.WriteString("}\n")
	return len(keys), bw.Flush()
}

// dotString quotes s for DOT; a backslash stays itself in labels.
func dotString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")
	return `"` + r.Replace(s) + `"`
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// compactIRI writes an IRI with one of newsgraph's prefixes.
func compactIRI(iri string) string {
	for _, p := range schema.Prefixes {
		if strings.HasPrefix(iri, p.NS) {
			return p.Prefix + iri[len(p.NS):]
		}
	}
	return iri
}
