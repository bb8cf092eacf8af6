package graph

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
	_ "github.com/cayleygraph/quad/nquads" // register the format the HTTP API reads and writes
	"github.com/cayleygraph/quad/voc"
)

// ExportFormats lists the formats Export writes (see WriteFormat).
var ExportFormats = []string{"nquads", "ntriples", "jsonld", "turtle", "trig", "graphml", "gml", "dot"}

// Export writes the store's quads, or only those of one article when
// article is not empty, in the named format. It returns the number of
// quads written. N-Quads come out sorted, so two exports of the same
// graph are byte-identical.
func (s *Store) Export(ctx context.Context, w io.Writer, format string, article quad.IRI) (int, error) {
	if err := s.settle(); err != nil {
		return 0, err
	}
	var quads []quad.Quad
	var err error
	if article != "" {
		quads, err = s.ArticleQuads(ctx, article)
		if err == nil && len(quads) == 0 {
			err = fmt.Errorf("export: no article %s in the store", article)
		}
	} else {
		quads, err = quad.ReadAll(s.AllQuads())
	}
	if err != nil {
		return 0, err
	}
	return len(quads), WriteFormat(w, format, quads)
}

// WriteNQuads writes quads as sorted N-Quads. Unlike Cayley's writer it
// prints full datatype IRIs and escapes what strict RDF parsers reject.
func WriteNQuads(w io.Writer, quads []quad.Quad) error {
	lines := make([]string, len(quads))
	for i, q := range quads {
		lines[i] = NQuad(q)
	}
	sort.Strings(lines)
	bw := bufio.NewWriter(w)
	prev := ""
	for _, l := range lines {
		if l == prev {
			continue
		}
		prev = l
		bw.WriteString(l)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// NQuad formats one quad as an N-Quads line, without the newline.
func NQuad(q quad.Quad) string {
	var b strings.Builder
	writeTerm(&b, q.Subject)
	b.WriteByte(' ')
	writeTerm(&b, q.Predicate)
	b.WriteByte(' ')
	writeTerm(&b, q.Object)
	if q.Label != nil {
		b.WriteByte(' ')
		writeTerm(&b, q.Label)
	}
	b.WriteString(" .")
	return b.String()
}

func writeTerm(b *strings.Builder, v quad.Value) {
	switch v := v.(type) {
	case quad.IRI:
		writeIRI(b, string(v.Full()))
	case quad.BNode:
		b.WriteString("_:")
		b.WriteString(string(v))
	case quad.String:
		writeLiteral(b, string(v))
	case quad.LangString:
		writeLiteral(b, string(v.Value))
		b.WriteByte('@')
		b.WriteString(v.Lang)
	case quad.TypedString:
		writeLiteral(b, string(v.Value))
		b.WriteString("^^")
		writeIRI(b, voc.FullIRI(string(v.Type)))
	case quad.TypedStringer:
		writeTerm(b, v.TypedString())
	default:
		writeLiteral(b, quad.ToString(v))
	}
}

func writeIRI(b *strings.Builder, s string) {
	b.WriteByte('<')
	for _, r := range s {
		// IRIREF excludes these; \u escapes are allowed in their place.
		if r <= 0x20 || strings.ContainsRune("<>\"{}|^`\\", r) {
			fmt.Fprintf(b, "\\u%04X", r)
			continue
		}
		b.WriteRune(r)
	}
	b.WriteByte('>')
}

// UnescapeIRIs returns q with the \u and \U escapes in its IRIs decoded.
// WriteNQuads escapes the characters an N-Quads IRI may not hold, but
// Cayley's N-Quads reader keeps escapes in IRIs as they are, so quads read
// back from an export must pass through this to be the quads exported.
func UnescapeIRIs(q quad.Quad) quad.Quad {
	q.Subject = unescapeValue(q.Subject)
	q.Predicate = unescapeValue(q.Predicate)
	q.Object = unescapeValue(q.Object)
	q.Label = unescapeValue(q.Label)
	return q
}

func unescapeValue(v quad.Value) quad.Value {
	switch v := v.(type) {
	case quad.IRI:
		return quad.IRI(unescapeUCHAR(string(v)))
	case quad.TypedString:
		v.Type = quad.IRI(unescapeUCHAR(string(v.Type)))
		return v
	}
	return v
}

func unescapeUCHAR(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '\\' && i+1 < len(s) {
			n := 0
			switch s[i+1] {
			case 'u':
				n = 4
			case 'U':
				n = 8
			}
			if n > 0 && i+2+n <= len(s) {
				if r, err := strconv.ParseUint(s[i+2:i+2+n], 16, 32); err == nil {
					b.WriteRune(rune(r))
					i += 2 + n
					continue
				}
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func writeLiteral(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(b, "\\u%04X", r)
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}
