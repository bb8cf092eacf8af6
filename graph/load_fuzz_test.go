package graph

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

// loadNQuads does what `newsgraph load` (cmd/newsgraph/load.go) does
// with a file: read N-Quads (NewNQuadsReader),
// decode the escapes in IRIs, and add them in batches to the store, until
// the end or the first bad quad. It returns the number of quads read.
func loadNQuads(s *Store, r io.Reader, batch int) (int, error) {
	qr := NewNQuadsReader(r)
	defer qr.Close()
	buf := make([]quad.Quad, 0, batch)
	n := 0
	for {
		q, err := qr.ReadQuad()
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, err
		}
		buf = append(buf, UnescapeIRIs(q))
		n++
		if len(buf) == batch {
			if err := s.AddQuads(buf); err != nil {
				return n, err
			}
			buf = buf[:0]
		}
	}
	if len(buf) > 0 {
		return n, s.AddQuads(buf)
	}
	return n, nil
}

// FuzzLoadNQuads feeds arbitrary bytes to the loader's path into a
// memstore: it never panics or hangs, and whatever quads it stores export
// as N-Quads that read back (through the same path) as the same quads.
func FuzzLoadNQuads(f *testing.F) {
	var export bytes.Buffer
	a := schema.ArticleIRI("fuzz")
	WriteNQuads(&export, []quad.Quad{
		{Subject: a, Predicate: schema.Type, Object: schema.Article.IRI(), Label: a},
		{Subject: a, Predicate: schema.URL, Object: quad.IRI("http://example.com/a b|c{d}\\e"), Label: a},
		{Subject: pakistan, Predicate: schema.Name, Object: quad.String("Pakistan \"quoted\"\n\ttab \u00e9 \U0001F600"), Label: a},
		{Subject: a, Predicate: schema.DatePublished, Object: quad.TypedString{Value: "2026-02-03", Type: schema.XSDDate}, Label: a},
		{Subject: quad.BNode("b1"), Predicate: schema.Name, Object: quad.LangString{Value: "Pakistan", Lang: "en"}, Label: nil},
	})
	f.Add(export.Bytes())
	for _, s := range []string{
		"",
		"# a comment\n\n",
		`<a> <b> <c> .`,
		`<a> <b> <c> <d> <e> .`,
		`<a> <b> "c"^^<xsd:integer> <g> .`,
		`<http://x/\u0020> <http://x/p\U0001F600> "\u0000" .`,
		`<http://x/\u00> <p> "bad \u escape" .`,
		`<> <> <> <> .`,
		`_:a _:b _:c _:d .`,
		`"s" "p" "o" "l" .`,
		`<a> <b> "unterminated .`,
		"<a> <b> \"\xff\xfe\" .\n",
		"<a>\t<b>\t\"c\"@en-GB\t.\r\n<a> <b> \"c\"@ .\n",
		strings.Repeat("<a> <b> <c> .\n", 20),
	} {
		f.Add([]byte(s))
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := Open("memstore", "", Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		// the load may fail part way, as `newsgraph load` does on a bad
		// quad; what it stored must still export well
		loadNQuads(s, bytes.NewReader(in), 3)
		var out bytes.Buffer
		n, err := s.Export(ctx, &out, "nquads", "")
		if err != nil {
			t.Fatalf("export of %d quads: %v", n, err)
		}
		first := out.String()
		lines := strings.Count(first, "\n")
		if lines > n {
			t.Fatalf("export wrote %d lines for %d quads", lines, n)
		}
		// the export reads back whole and exports the same again
		s2, err := Open("memstore", "", Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s2.Close()
		m, err := loadNQuads(s2, strings.NewReader(first), 3)
		if err != nil {
			t.Fatalf("the export does not load back: quad %d: %v\n%s", m+1, err, first)
		}
		if m != lines {
			t.Fatalf("the export has %d lines but loads as %d quads:\n%s", lines, m, first)
		}
		var again bytes.Buffer
		if _, err := s2.Export(ctx, &again, "nquads", ""); err != nil {
			t.Fatal(err)
		}
		if again.String() != first {
			t.Fatalf("export -> load -> export changed the quads:\nfirst:\n%s\nthen:\n%s", first, again.String())
		}
	})
}
