package graph

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/dot"
	"github.com/cayleygraph/quad/graphml"
	"github.com/cayleygraph/quad/jsonld"

	"github.com/newsgraph/newsgraph/schema"
)

// WriteFormat writes quads in the named format:
//
//   - nquads (nq): N-Quads, every quad with its label (the article), sorted;
//   - ntriples (nt): N-Triples, the default graph: labels dropped, each
//     triple once;
//   - jsonld (json-ld): JSON-LD with a @context of newsgraph's prefixes,
//     one named graph per label;
//   - turtle (ttl): Turtle, triples as for ntriples, with prefixes;
//   - trig: TriG, one block per graph (label);
//   - graphml, gml, dot (graphviz): the triples as a directed graph, one
//     node per distinct subject or object, one edge per triple labelled
//     with its predicate, for graph tools; labels dropped.
func WriteFormat(w io.Writer, format string, quads []quad.Quad) error {
	switch strings.ToLower(format) {
	case "", "nquads", "nq":
		return WriteNQuads(w, quads)
	case "ntriples", "nt":
		return WriteNQuads(w, Triples(quads))
	case "jsonld", "json-ld":
		jw := jsonld.NewWriter(w)
		ctxmap := map[string]interface{}{}
		for _, p := range schema.Prefixes {
			ctxmap[strings.TrimSuffix(p.Prefix, ":")] = p.NS
		}
		jw.SetLdContext(ctxmap)
		if _, err := jw.WriteQuads(quads); err != nil {
			return fmt.Errorf("export jsonld: %w", err)
		}
		return jw.Close()
	case "turtle", "ttl":
		return WriteTurtle(w, quads)
	case "trig":
		return WriteTriG(w, quads)
	case "graphml":
		return writeWith(graphml.NewWriter(w), Triples(quads))
	case "dot", "graphviz", "gv":
		return writeWith(dot.NewWriter(w), Triples(quads))
	case "gml":
		return WriteGML(w, Triples(quads))
	}
	return fmt.Errorf("export: unknown format %q (have %s)", format, strings.Join(ExportFormats, ", "))
}

func writeWith(qw quad.WriteCloser, quads []quad.Quad) error {
	if _, err := qw.WriteQuads(quads); err != nil {
		return err
	}
	return qw.Close()
}

// Triples returns the distinct triples of quads, labels dropped, sorted
// as N-Triples lines sort.
func Triples(quads []quad.Quad) []quad.Quad {
	seen := make(map[string]quad.Quad, len(quads))
	for _, q := range quads {
		q.Label = nil
		seen[NQuad(q)] = q
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]quad.Quad, len(keys))
	for i, k := range keys {
		out[i] = seen[k]
	}
	return out
}

// WriteGML writes the triples of quads as a GML graph. Cayley's GML
// writer leaves non-ASCII text as it is, which GML (7-bit ASCII, other
// characters as &#N; entities) readers reject; this one escapes it.
func WriteGML(w io.Writer, quads []quad.Quad) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("Creator \"newsgraph\"\ngraph [\n\tdirected 1\n\tmultigraph 1\n")
	ids := map[string]int{}
	node := func(v quad.Value) int {
		s := NQuadTerm(v)
		if id, ok := ids[s]; ok {
			return id
		}
		id := len(ids)
		ids[s] = id
		fmt.Fprintf(bw, "\tnode [ id %d label %s ]\n", id, gmlString(s))
		return id
	}
	for _, q := range Triples(quads) {
		s, o := node(q.Subject), node(q.Object)
		fmt.Fprintf(bw, "\tedge [ source %d target %d label %s ]\n", s, o, gmlString(NQuadTerm(q.Predicate)))
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

func gmlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString("&quot;")
		case r == '&':
			b.WriteString("&amp;")
		case r < 0x20 || r >= 0x7f:
			fmt.Fprintf(&b, "&#%d;", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// NQuadTerm formats one value as N-Quads writes it: an IRI in angle
// brackets, a literal quoted with its full datatype IRI.
func NQuadTerm(v quad.Value) string {
	var b strings.Builder
	writeTerm(&b, v)
	return b.String()
}
