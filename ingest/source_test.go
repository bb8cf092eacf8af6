package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckText(t *testing.T) {
	tests := []struct {
		name, text, want string // want: part of the error, "" for none
	}{
		{"ok", "Pakistan was invited.\n", ""},
		{"empty", "", "empty"},
		{"blank", " \n\t\n", "empty"},
		{"nul", "line one\nline\x00two", "line 2: binary"},
		{"utf8", "ok\nok\nbad \xff byte", "line 3: invalid UTF-8"},
	}
	for _, tt := range tests {
		err := CheckText([]byte(tt.text))
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

func TestReadJSONL(t *testing.T) {
	in := `{"id": "a1", "url": "https://example.org/a1", "title": "One", "published": "2026-03-01", "text": "Kenya hosted talks.", "section": "world"}
not json
{"id": "a2", "text": ""}

{"id": 3, "text": "Chile and Peru met."}
`
	var docs []Document
	var errs []error
	err := ReadJSONL(strings.NewReader(in), "feed.jsonl", Options{}, func(d Document, err error) error {
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		docs = append(docs, d)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || len(errs) != 2 {
		t.Fatalf("got %d docs and %d errors, want 2 and 2: %v", len(docs), len(errs), errs)
	}
	if !strings.Contains(errs[0].Error(), "feed.jsonl:2:") || !strings.Contains(errs[1].Error(), "feed.jsonl:3:") {
		t.Errorf("errors do not name file and line: %v", errs)
	}
	d := docs[0]
	if d.ID != "a1" || d.URL != "https://example.org/a1" || d.Title != "One" || d.Published.Format("2006-01-02") != "2026-03-01" || d.Props["section"] != "world" || d.Line != 1 {
		t.Errorf("first doc: %+v", d)
	}
	if docs[1].ID != "3" || docs[1].Line != 5 || docs[1].Where() != "feed.jsonl:5" {
		t.Errorf("second doc: id %q line %d where %q", docs[1].ID, docs[1].Line, docs[1].Where())
	}
}

func TestReadJSONLLongLine(t *testing.T) {
	long := `{"text": "` + strings.Repeat("a", 2000) + `"}`
	in := long + "\n" + `{"text": "Ghana voted."}` + "\n"
	var n int
	var errs []error
	ReadJSONL(strings.NewReader(in), "big.jsonl", Options{MaxSize: 1000}, func(d Document, err error) error {
		if err != nil {
			errs = append(errs, err)
		} else {
			n++
		}
		return nil
	})
	if n != 1 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "big.jsonl:1:") {
		t.Errorf("got %d docs, errors %v", n, errs)
	}
}

func TestWalk(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt", "Kenya hosted talks on Monday.")
	write("a.json", `{"published": "2026-05-06", "url": "https://example.org/a"}`)
	write("sub/b.txt", "Chile and Peru met.")
	write("sub/notes.nq", "<a> <b> <c> .")
	write(".hidden/c.txt", "hidden")
	write("empty.txt", "")
	write("feed.jsonl", `{"id": "x", "text": "Oman mediated."}`+"\n")

	var got []string
	var errs []string
	err := Walk([]string{dir, filepath.Join(dir, "missing.txt")}, nil, Options{}, func(d Document, err error) error {
		if err != nil {
			errs = append(errs, err.Error())
			return nil
		}
		got = append(got, strings.TrimPrefix(d.Where(), dir+"/"))
		if strings.HasSuffix(d.Source, "a.txt") {
			if d.Published.Format("2006-01-02") != "2026-05-06" || d.URL != "https://example.org/a" {
				t.Errorf("sidecar not read: %+v", d)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "a.txt feed.jsonl:1 sub/b.txt"
	if strings.Join(got, " ") != want {
		t.Errorf("walked %q, want %q", strings.Join(got, " "), want)
	}
	if len(errs) != 2 || !strings.Contains(errs[0], "empty.txt") || !strings.Contains(errs[1], "missing.txt") {
		t.Errorf("errors %q, want ones naming empty.txt and missing.txt", errs)
	}
}

func TestReadTextLimit(t *testing.T) {
	_, err := ReadText(strings.NewReader(strings.Repeat("word ", 100)), "big.txt", Options{MaxSize: 100})
	if err == nil || !strings.Contains(err.Error(), "big.txt") || !strings.Contains(err.Error(), "limit") {
		t.Errorf("err = %v, want a size-limit error naming big.txt", err)
	}
	_, err = ReadText(errReader{}, "broken.txt", Options{})
	if err == nil || !strings.Contains(err.Error(), "broken.txt") {
		t.Errorf("err = %v, want a read error naming broken.txt", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }
