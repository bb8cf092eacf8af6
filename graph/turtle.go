package graph

import (
	"bufio"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/voc"

	"github.com/newsgraph/newsgraph/schema"
)

// WriteTurtle writes the triples of quads, labels dropped and duplicates
// merged, as Turtle: newsgraph's prefixes declared, one block a subject,
// subjects and predicates sorted, so two exports of one graph are
// byte-identical.
func WriteTurtle(w io.Writer, quads []quad.Quad) error {
	bw := bufio.NewWriter(w)
	writePrefixes(bw)
	bw.WriteByte('\n')
	writeTriples(bw, quads, "")
	return bw.Flush()
}

// WriteTriG writes quads as TriG: the triples of each graph (quad label)
// in a block of their own, graphs sorted; triples without a label go to
// the default graph, first.
func WriteTriG(w io.Writer, quads []quad.Quad) error {
	byGraph := map[string][]quad.Quad{}
	labels := map[string]quad.Value{}
	for _, q := range quads {
		k := ""
		if q.Label != nil {
			k = NQuad(quad.Quad{Subject: q.Label, Predicate: q.Label, Object: q.Label})
			labels[k] = q.Label
		}
		byGraph[k] = append(byGraph[k], q)
	}
	keys := make([]string, 0, len(byGraph))
	for k := range byGraph {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	bw := bufio.NewWriter(w)
	writePrefixes(bw)
	for _, k := range keys {
		bw.WriteByte('\n')
		if k == "" {
			bw.WriteString("{\n")
		} else {
			bw.WriteString(turtleTerm(labels[k]))
			bw.WriteString(" {\n")
		}
		writeTriples(bw, byGraph[k], "    ")
		bw.WriteString("}\n")
	}
	return bw.Flush()
}

func writePrefixes(bw *bufio.Writer) {
	for _, p := range schema.Prefixes {
		bw.WriteString("@prefix ")
		bw.WriteString(p.Prefix)
		bw.WriteByte(' ')
		var b strings.Builder
		writeIRI(&b, p.NS)
		bw.WriteString(b.String())
		bw.WriteString(" .\n")
	}
}

// writeTriples writes the distinct triples of quads grouped by subject,
// each line indented by indent.
func writeTriples(bw *bufio.Writer, quads []quad.Quad, indent string) {
	type po struct{ p, o string }
	bySubject := map[string]map[po]bool{}
	for _, q := range quads {
		s := turtleTerm(q.Subject)
		if bySubject[s] == nil {
			bySubject[s] = map[po]bool{}
		}
		p := turtleTerm(q.Predicate)
		if q.Predicate == schema.Type {
			p = "a"
		}
		bySubject[s][po{p, turtleTerm(q.Object)}] = true
	}
	subjects := make([]string, 0, len(bySubject))
	for s := range bySubject {
		subjects = append(subjects, s)
	}
	sort.Strings(subjects)
	for i, s := range subjects {
		if i > 0 {
			bw.WriteByte('\n')
		}
		pos := make([]po, 0, len(bySubject[s]))
		for x := range bySubject[s] {
			pos = append(pos, x)
		}
		sort.Slice(pos, func(i, j int) bool {
			a, b := pos[i], pos[j]
			if a.p != b.p {
				// rdf:type first, as is usual
				if a.p == "a" || b.p == "a" {
					return a.p == "a"
				}
				return a.p < b.p
			}
			return a.o < b.o
		})
		bw.WriteString(indent)
		bw.WriteString(s)
		for j, x := range pos {
			switch {
			case j == 0:
				bw.WriteByte(' ')
				bw.WriteString(x.p)
				bw.WriteByte(' ')
			case x.p == pos[j-1].p:
				bw.WriteString(" ,\n")
				bw.WriteString(indent + "        ")
			default:
				bw.WriteString(" ;\n")
				bw.WriteString(indent + "    ")
				bw.WriteString(x.p)
				bw.WriteByte(' ')
			}
			bw.WriteString(x.o)
		}
		bw.WriteString(" .\n")
	}
}

// turtleTerm formats a value for Turtle or TriG: an IRI in one of
// newsgraph's namespaces as a prefixed name when its local part can be
// one, other IRIs in full, literals as in N-Triples with their datatype
// compacted the same way.
func turtleTerm(v quad.Value) string {
	switch v := v.(type) {
	case quad.IRI:
		return turtleIRI(string(v.Full()))
	case quad.TypedString:
		var b strings.Builder
		writeLiteral(&b, string(v.Value))
		b.WriteString("^^")
		b.WriteString(turtleIRI(voc.FullIRI(string(v.Type))))
		return b.String()
	case quad.TypedStringer:
		return turtleTerm(v.TypedString())
	}
	var b strings.Builder
	writeTerm(&b, v)
	return b.String()
}

func turtleIRI(iri string) string {
	best := -1
	for i, p := range schema.Prefixes {
		if strings.HasPrefix(iri, p.NS) && (best < 0 || len(p.NS) > len(schema.Prefixes[best].NS)) {
			best = i
		}
	}
	if best >= 0 {
		p := schema.Prefixes[best]
		if local, ok := pnLocal(iri[len(p.NS):]); ok {
			return p.Prefix + local
		}
	}
	var b strings.Builder
	writeIRI(&b, iri)
	return b.String()
}

// pnLocal returns s as the local part of a Turtle prefixed name
// (PN_LOCAL), with its slashes backslash-escaped ("country\/Pakistan");
// false when s cannot be one.
func pnLocal(s string) (string, bool) {
	var b strings.Builder
	for i, r := range s {
		first, last := i == 0, i+utf8.RuneLen(r) == len(s)
		switch {
		case r == '_' || r == ':' || r >= '0' && r <= '9' || pnBase(r):
			b.WriteRune(r)
		case !first && (r == '-' || r == 0xB7 || r >= 0x300 && r <= 0x36F || r == 0x203F || r == 0x2040):
			b.WriteRune(r)
		case r == '.' && !first && !last:
			b.WriteRune(r)
		case r == '/':
			// Turtle allows \~ \. \- \! \$ \& \' \( \) \* \+ \, \; \= \/
			// \? \# \@ \% here, but parsers in use (rdflib 6) know only
			// some; an IRI with the others is written in full.
			b.WriteString(`\/`)
		default:
			return "", false
		}
	}
	return b.String(), true
}

// pnBase reports whether r is in PN_CHARS_BASE of the Turtle grammar.
func pnBase(r rune) bool {
	switch {
	case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z',
		r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF,
		r >= 0x200C && r <= 0x200D, r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF,
		r >= 0x3001 && r <= 0xD7FF, r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD,
		r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}
