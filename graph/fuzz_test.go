package graph

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cayleygraph/quad/nquads"

	"github.com/newsgraph/newsgraph/ingest"
)

var (
	fuzzX    *ingest.Extractor
	fuzzOnce sync.Once
)

// FuzzExtract runs the whole extractor on arbitrary text: it never panics,
// and every quad it emits is valid, and comes back unchanged through
// newsgraph's N-Quads writer and the loader's reader.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"",
		"Pakistan has been invited to take part in Iran-US talks in Istanbul, the Foreign Office said on Tuesday.",
		`"We will go," said Deputy Prime Minister Ishaq Dar. Mr. Dar met the U.S. envoy.`,
		"Iran's supreme leader, Ayatollah Ali Khamenei, has warned of a \u201cregional war\u201d if the US attacked.",
		"A, B, and the United Arab Emirates (UAE) were invited. \u2014 \u2018quoted\u2019 ..... end",
		"Talks between Tehran and Washington \u2013 held in Oman \u2013 resume on March 3, 2026.",
		"Tab\there \"quote\\\" <angle> {brace} | pipe ^ caret ` tick \r\n new",
		strings.Repeat("Kenya ", 200),
	} {
		f.Add(s)
	}
	fuzzOnce.Do(func() {
		var err error
		if fuzzX, err = ingest.NewExtractor(); err != nil {
			f.Fatal(err)
		}
	})
	pub := time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
			return // ReadText refuses such input before extraction
		}
		a := fuzzX.Extract(ingest.Document{Source: "fuzz.txt", ID: "fuzz", Text: text, Published: pub})
		quads := a.Quads()
		for _, q := range quads {
			if !q.IsValid() {
				t.Fatalf("invalid quad %v", q)
			}
		}
		var buf bytes.Buffer
		if err := WriteNQuads(&buf, quads); err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		for _, q := range quads {
			want[NQuad(q)] = true
		}
		r := nquads.NewReader(&buf, false)
		n := 0
		for {
			q, err := r.ReadQuad()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("quad %d does not parse back: %v", n+1, err)
			}
			q = UnescapeIRIs(q)
			if !want[NQuad(q)] {
				t.Fatalf("quad %d changed in the round trip: %s", n+1, NQuad(q))
			}
			n++
		}
		if n != len(want) {
			t.Fatalf("%d quads parsed back of %d", n, len(want))
		}
	})
}
