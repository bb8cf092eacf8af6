package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func walked(t *testing.T, dir string, opt Options) []string {
	t.Helper()
	var got []string
	err := Walk([]string{dir}, nil, opt, func(d Document, err error) error {
		if err != nil {
			t.Errorf("walk: %v", err)
			return nil
		}
		got = append(got, filepath.ToSlash(strings.TrimPrefix(d.Where(), dir+string(filepath.Separator))))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestWalkIncludeExclude(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"a.txt":          "Kenya hosted talks.",
		"b.news":         "Chile and Peru met.",
		"c.html":         "<html><head><title>Oman</title></head><body><article><p>Oman mediated between the two sides, officials said on Monday, and more talks are planned.</p></article></body></html>",
		"2026/03/d.txt":  "Ghana hosted talks.",
		"2026/04/e.txt":  "Togo hosted talks.",
		"drafts/f.txt":   "Mali hosted talks.",
		"feed.jsonl":     `{"id": "x", "text": "Oman mediated."}` + "\n",
		"notes/skip.nq":  "<a> <b> <c> .",
		".hidden/g.txt":  "hidden",
		"drafts/h.jsonl": `{"id": "y", "text": "Iran warned."}` + "\n",
	})
	tests := []struct {
		name string
		opt  Options
		want string
	}{
		{"default", Options{}, "2026/03/d.txt 2026/04/e.txt a.txt c.html drafts/f.txt drafts/h.jsonl:1 feed.jsonl:1"},
		{"include by name", Options{Include: []string{"*.news", "*.txt"}}, "2026/03/d.txt 2026/04/e.txt a.txt b.news drafts/f.txt"},
		{"include by path", Options{Include: []string{"2026/*/*.txt"}}, "2026/03/d.txt 2026/04/e.txt"},
		{"exclude a directory", Options{Exclude: []string{"drafts", "*.jsonl"}}, "2026/03/d.txt 2026/04/e.txt a.txt c.html"},
		{"exclude by path", Options{Exclude: []string{"2026/04"}}, "2026/03/d.txt a.txt c.html drafts/f.txt drafts/h.jsonl:1 feed.jsonl:1"},
	}
	for _, tc := range tests {
		if got := strings.Join(walked(t, dir, tc.opt), " "); got != tc.want {
			t.Errorf("%s: walked %q, want %q", tc.name, got, tc.want)
		}
	}
	if err := Walk([]string{dir}, nil, Options{Include: []string{"["}}, nil); err == nil {
		t.Error("a bad pattern was accepted")
	}
}

func TestCountFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.txt": "x", "sub/b.txt": "y", "sub/c.md": "z", "notes.nq": "n"})
	if n := CountFiles([]string{dir, filepath.Join(dir, "notes.nq")}, Options{}); n != 4 {
		t.Errorf("CountFiles = %d, want 4", n)
	}
	if n := CountFiles([]string{dir}, Options{Exclude: []string{"sub"}}); n != 1 {
		t.Errorf("CountFiles with an exclusion = %d, want 1", n)
	}
	os.WriteFile(filepath.Join(dir, "sub", "feed.jsonl"), []byte("{}\n"), 0o644)
	for _, paths := range [][]string{{dir}, {"-"}, {"feed.ndjson"}} {
		if n := CountFiles(paths, Options{}); n != -1 {
			t.Errorf("CountFiles(%q) = %d, want -1 (not known without reading)", paths, n)
		}
	}
}

func TestReadHTML(t *testing.T) {
	page := `<html><head><title>Site | Headline</title>
<meta property="og:title" content="Kenya invited to talks">
<meta property="article:published_time" content="2026-03-02T23:30:00-05:00">
</head><body><nav>Home World Sport</nav><article>
<p>Kenya has been invited to trade talks in Geneva, the Foreign Ministry said on Monday, and Ghana may follow.</p>
<p>Kenyan Foreign Minister Amara Velkoni said the talks would focus on trade and on the financing of new projects.</p>
</article><footer>Copyright</footer></body></html>`
	d, err := ReadHTML(strings.NewReader(page), "p.html", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Kenya invited to talks" || d.Published.Format("2006-01-02") != "2026-03-02" || d.ID != "p.html" {
		t.Errorf("document: title %q, published %v, id %q", d.Title, d.Published, d.ID)
	}
	if !strings.Contains(d.Text, "Kenya has been invited") || !strings.Contains(d.Text, "Amara Velkoni") || strings.Contains(d.Text, "Copyright") {
		t.Errorf("text: %q", d.Text)
	}
	for name, bad := range map[string]string{
		"empty": "<html><body></body></html>",
		"nul":   "<html>\x00</html>",
	} {
		if _, err := ReadHTML(strings.NewReader(bad), name+".html", Options{}); err == nil || !strings.Contains(err.Error(), name+".html") {
			t.Errorf("%s page: err = %v", name, err)
		}
	}
	if _, err := ReadHTML(strings.NewReader(page), "big.html", Options{MaxSize: 100}); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("large page: err = %v", err)
	}
}
