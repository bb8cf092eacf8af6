package ingest

import (
	"strings"
	"testing"
)

// SeedTexts are starting points for the fuzzers: the seed and sentences
// with the constructions the pipeline handles.
func SeedTexts(f *testing.F) {
	f.Helper()
	for _, s := range []string{
		"",
		"Pakistan has been invited to take part in Iran-US talks in Istanbul, the Foreign Office said on Tuesday.",
		`"We will go," said Deputy Prime Minister Ishaq Dar. Mr. Dar met the U.S. envoy.`,
		"Iran's supreme leader, Ayatollah Ali Khamenei, has warned of a \u201cregional war\u201d if the US attacked.",
		"A, B, and the United Arab Emirates (UAE) were invited. \u2014 \u2018quoted\u2019 ..... end",
		"Talks between Tehran and Washington \u2013 held in Oman \u2013 resume on March 3, 2026.",
		"\xff\xfe broken \x00 bytes",
		strings.Repeat("Kenya ", 200),
	} {
		f.Add(s)
	}
}

// The tokenizer and sentence splitter never panic, cover the text in
// order, and keep every token inside its sentence.
func FuzzSentences(f *testing.F) {
	SeedTexts(f)
	tk := extractor(f).Tokenizer()
	f.Fuzz(func(t *testing.T, text string) {
		last := 0
		for _, s := range tk.Sentences(text) {
			if s.Start < last || s.End > len(text) || s.Start > s.End {
				t.Fatalf("sentence [%d,%d) out of order or range (last %d, len %d)", s.Start, s.End, last, len(text))
			}
			for _, tok := range s.Tokens {
				if tok.Start < s.Start || tok.End > s.End || tok.Start >= tok.End || text[tok.Start:tok.End] != tok.Text {
					t.Fatalf("token %q [%d,%d) not inside its sentence [%d,%d)", tok.Text, tok.Start, tok.End, s.Start, s.End)
				}
			}
			last = s.End
		}
	})
}

// The JSON Lines reader never panics; every line gives a document or an
// error naming its line.
func FuzzReadJSONL(f *testing.F) {
	f.Add(`{"id": "a", "text": "Kenya hosted talks."}` + "\n" + `not json` + "\n")
	f.Add(`{"text": "x", "published": "2026-13-45"}`)
	f.Add(`{"text": 5}` + "\n\n" + `{"id": [1,2], "text": "y", "extra": {"a": null}}`)
	f.Add("\xff\n{}\n")
	f.Fuzz(func(t *testing.T, in string) {
		lines := strings.Count(in, "\n") + 1
		calls := 0
		err := ReadJSONL(strings.NewReader(in), "f.jsonl", Options{MaxSize: 1 << 16}, func(d Document, err error) error {
			calls++
			if err != nil && !strings.Contains(err.Error(), "f.jsonl:") {
				t.Fatalf("error does not name the file and line: %v", err)
			}
			if err == nil && (d.Line < 1 || d.Line > lines) {
				t.Fatalf("document on line %d of %d", d.Line, lines)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("ReadJSONL: %v", err)
		}
		if calls > lines {
			t.Fatalf("%d documents or errors from %d lines", calls, lines)
		}
	})
}
