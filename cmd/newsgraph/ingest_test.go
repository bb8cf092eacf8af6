package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

// TestIngestParallelSameGraph ingests generated articles with one worker
// and batches of one, and with several workers and batches: the graphs
// are the same, and a second ingest changes nothing.
func TestIngestParallelSameGraph(t *testing.T) {
	c := newCLI(t)
	c.ok("gen", "-n", "40", "--seed", "5", "-o", "corpus")
	if _, err := os.Stat(c.path("corpus/0000/0000039.txt")); err != nil {
		t.Fatalf("gen -o DIR wrote no files: %v", err)
	}
	var exports []string
	for _, args := range [][]string{
		{"--workers", "1", "--batch", "1", "--dbpath", "one.db"},
		{"--workers", "3", "--batch", "7", "--dbpath", "many.db"},
	} {
		r := c.ok(append(append([]string{"ingest"}, args...), "corpus")...)
		mustContain(t, "summary", r.stderr, "ingested 40 articles (0 unchanged, 0 failed)")
		if strings.Contains(r.stderr, "\r") {
			t.Errorf("progress bar drawn on a non-terminal: %q", r.stderr)
		}
		db := args[len(args)-1]
		c.ok("export", "--dbpath", db, "-o", db+".nq")
		b, err := os.ReadFile(c.path(db + ".nq"))
		if err != nil {
			t.Fatal(err)
		}
		exports = append(exports, string(b))
	}
	if exports[0] != exports[1] {
		t.Error("the graph depends on --workers and --batch")
	}
	r := c.ok("ingest", "--workers", "2", "--dbpath", "many.db", "corpus")
	mustContain(t, "re-ingest summary", r.stderr, "ingested 40 articles (40 unchanged, 0 failed): 0 quads added, 0 removed")
}

// TestIngestGeneratedFacts checks that the invitations and offices that
// generated articles state end up in the store.
func TestIngestGeneratedFacts(t *testing.T) {
	c := newCLI(t)
	c.ok("gen", "-n", "50", "--seed", "9", "-o", "feed.jsonl", "--facts", "facts.tsv")
	c.ok("ingest", "--batch", "16", "feed.jsonl")
	c.ok("export", "-o", "all.nq")
	b, err := os.ReadFile(c.path("all.nq"))
	if err != nil {
		t.Fatal(err)
	}
	qs := parseNQuads(t, "export", b)
	// a node's names: events of several articles merge into one node with
	// one name and the others as alternate names
	names := map[quad.Value][]string{}
	for _, q := range qs {
		if q.Predicate == schema.Name || q.Predicate == schema.AlternateName {
			names[q.Subject] = append(names[q.Subject], quad.ToString(q.Object))
		}
	}
	stored := map[string]bool{}
	for _, q := range qs {
		for _, p := range []schema.Predicate{schema.InvitedTo, schema.OfficialOf} {
			if q.Predicate != p.IRI() {
				continue
			}
			for _, s := range names[q.Subject] {
				for _, o := range names[q.Object] {
					stored[s+"\t"+string(p)+"\t"+o] = true
				}
			}
		}
	}
	f, err := os.Open(c.path("facts.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 4 || (cols[2] != "invitedTo" && cols[2] != "officialOf") {
			continue
		}
		n++
		if !stored[strings.Join(cols[1:], "\t")] {
			t.Errorf("%s: %s %s %s not in the store", cols[0], cols[1], cols[2], cols[3])
		}
	}
	if n < 100 {
		t.Errorf("only %d invitedTo/officialOf facts in facts.tsv", n)
	}
}

func TestIngestIncludeExclude(t *testing.T) {
	c := newCLI(t)
	files := map[string]string{
		"in/a.txt":      "Kenya has been invited to trade talks in Geneva.\n",
		"in/b.md":       "Chile has been invited to trade talks in Lima.\n",
		"in/sub/c.txt":  "Peru has been invited to trade talks in Quito.\n",
		"in/skip/d.txt": "Ghana has been invited to trade talks in Accra.\n",
		"in/e.news":     "Oman has been invited to trade talks in Doha.\n",
	}
	for name, text := range files {
		os.MkdirAll(filepath.Dir(c.path(name)), 0o755)
		c.write(name, []byte(text))
	}
	r := c.ok("ingest", "--include", "*.txt", "--include", "*.news", "--exclude", "skip", "in")
	mustContain(t, "summary", r.stderr, "ingested 3 articles")
	r = c.ok("ingest", "--dbpath", "other.db", "--exclude", "sub/*.txt", "in")
	mustContain(t, "summary", r.stderr, "ingested 3 articles") // a.txt, b.md, skip/d.txt
	if r := c.run("ingest", "--include", "[", "in"); r.code != 2 {
		t.Errorf("a bad pattern: %s", r)
	}
}

func TestIngestHTML(t *testing.T) {
	c := newCLI(t)
	page := `<!DOCTYPE html><html><head><title>Talks in Geneva | Example News</title>
<meta property="og:title" content="Kenya and Ghana invited to talks in Geneva">
<meta property="article:published_time" content="2026-03-02T08:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Kenya and Ghana invited to talks in Geneva</h1>
<p>Kenya and Ghana have been invited to trade talks in Geneva, the Foreign Ministry said on Monday.</p>
<p>Kenyan Foreign Minister Amara Velkoni said the talks would focus on trade and on the financing of new projects in the region.</p>
<p>The talks will open in the Swiss city of Geneva on Friday, and several delegations are expected to bring technical experts.</p>
</article><footer>Copyright Example News</footer></body></html>`
	c.write("page.html", []byte(page))
	c.ok("ingest", "page.html")
	r := c.ok("export", "--format", "nquads")
	mustContain(t, "export", r.stdout,
		`"Kenya and Ghana invited to talks in Geneva"`, `"2026-03-02"^^`,
		"ns#invitedTo", "ns#officialOf")
	if strings.Contains(r.stdout, "Copyright") || strings.Contains(r.stdout, "Home") {
		t.Errorf("page furniture stored as article text")
	}
	c.write("broken.html", []byte("<html><body></body></html>"))
	if r := c.run("ingest", "broken.html"); r.code != 1 || !strings.Contains(r.stderr, "broken.html") {
		t.Errorf("an empty page: %s", r)
	}
}

func TestIngestProgress(t *testing.T) {
	c := newCLI(t)
	c.ok("gen", "-n", "5", "-o", "corpus")
	r := c.ok("ingest", "--progress", "corpus")
	mustContain(t, "progress", r.stderr, "articles", "ingested 5 articles")
	r = c.ok("ingest", "--progress", "--quiet", "--dbpath", "q.db", "corpus")
	if r.stderr != "" {
		t.Errorf("--quiet printed %q", r.stderr)
	}
}

func TestGen(t *testing.T) {
	c := newCLI(t)
	c.ok("gen", "-n", "3", "--seed", "2", "-o", "a.jsonl")
	r := c.ok("gen", "-n", "3", "--seed", "2", "-o", "-")
	a, err := os.ReadFile(c.path("a.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != r.stdout || strings.Count(r.stdout, "\n") != 3 {
		t.Errorf("gen is not deterministic, or not 3 lines:\n%s\n---\n%s", a, r.stdout)
	}
	if r := c.ok("gen", "-n", "3", "--seed", "3", "-o", "-"); r.stdout == string(a) {
		t.Error("seeds 2 and 3 gave the same articles")
	}
	for _, args := range [][]string{{"gen"}, {"gen", "-n", "-1", "-o", "x.jsonl"}, {"gen", "-o", "x.jsonl", "extra"}} {
		if r := c.run(args...); r.code != 2 {
			t.Errorf("%q: %s", args, r)
		}
	}
}
