package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

// binary is the newsgraph binary TestMain builds.
var binary string

const (
	seedName = "000_1f1ddd429f722b80.txt"
	seedDate = "2026-02-03"
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "newsgraph-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "newsgraph")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	gotool, err := exec.LookPath("go")
	if err != nil {
		gotool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	build := exec.Command(gotool, "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build newsgraph:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary did.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%.2000s\n--- stderr:\n%.2000s", r.code, r.stdout, r.stderr)
}

// cli runs newsgraph in a working directory.
type cli struct {
	t   *testing.T
	dir string
}

// newCLI returns a working directory holding a copy of the seed
// articles, for the length of the test.
func newCLI(t *testing.T) *cli {
	t.Helper()
	dir := t.TempDir()
	seeds, err := filepath.Glob("../../seeds/*.txt")
	if err != nil || len(seeds) == 0 {
		t.Fatalf("no seeds: %v", err)
	}
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(s)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return &cli{t: t, dir: dir}
}

// testEnv is the environment of the binary: this one without NEWSGRAPH_*.
func testEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NEWSGRAPH_") {
			out = append(out, kv)
		}
	}
	return out
}

// runIn runs the binary with stdin; a run longer than a minute fails the
// test instead of hanging it.
func (c *cli) runIn(stdin string, args ...string) result {
	c.t.Helper()
	return c.runTimeout(time.Minute, stdin, args...)
}

func (c *cli) run(args ...string) result {
	c.t.Helper()
	return c.runIn("", args...)
}

func (c *cli) runTimeout(d time.Duration, stdin string, args ...string) result {
	c.t.Helper()
	return c.runWith(d, stdin, nil, args...)
}

// runWith runs the binary with stdin and extra environment variables (the
// last value of a variable wins), for at most d.
func (c *cli) runWith(d time.Duration, stdin string, env []string, args ...string) result {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = c.dir
	cmd.Env = append(testEnv(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		c.t.Fatalf("newsgraph %q did not finish within %v\n--- stderr:\n%s", args, d, stderr.String())
	}
	return c.exitResult(args, &stdout, &stderr, err)
}

// exitResult is what a run of the binary printed and its exit code; an
// error other than a non-zero exit fails the test.
func (c *cli) exitResult(args []string, stdout, stderr *bytes.Buffer, err error) result {
	c.t.Helper()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatalf("run newsgraph %q: %v", args, err)
	}
	return r
}

// ok runs the binary and fails the test unless it exits 0.
func (c *cli) ok(args ...string) result {
	c.t.Helper()
	r := c.run(args...)
	if r.code != 0 {
		c.t.Fatalf("newsgraph %q: %s", args, r)
	}
	return r
}

func (c *cli) path(name string) string { return filepath.Join(c.dir, name) }

func (c *cli) write(name string, data []byte) {
	c.t.Helper()
	if err := os.WriteFile(c.path(name), data, 0o644); err != nil {
		c.t.Fatal(err)
	}
}

// stats is `stats --json`.
type stats struct {
	Quads, Articles int
	// Ontology counts the vocabulary's quads (not in Quads), which a
	// store holds once ingest writes them (graph.Store.EnsureOntology)
	Ontology int
	Entities map[string]int
	Facts    map[string]int
}

func (c *cli) stats(extra ...string) stats {
	c.t.Helper()
	r := c.ok(append([]string{"stats", "--json"}, extra...)...)
	var s stats
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		c.t.Fatalf("stats --json is not JSON: %v\n%s", err, r.stdout)
	}
	return s
}

// ingestSeed ingests the seed article into the default store.
func (c *cli) ingestSeed(extra ...string) result {
	c.t.Helper()
	return c.ok(append([]string{"ingest", "--date", seedDate, seedName}, extra...)...)
}

func mustContain(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s lacks %q:\n%.3000s", what, sub, s)
		}
	}
}

func parseNQuads(t *testing.T, what string, data []byte) []quad.Quad {
	t.Helper()
	qs, err := quad.ReadAll(nquads.NewReader(bytes.NewReader(data), false))
	if err != nil {
		t.Fatalf("%s does not parse as N-Quads: %v", what, err)
	}
	return qs
}

// invited names the countries invited to an event.
const invited = `g.V().has("<rdf:type>", "<ng:Event>").in("<ng:invitedTo>").has("<rdf:type>", "<ng:Country>").unique().out("<schema:name>").all()`

func TestIngestAndStats(t *testing.T) {
	c := newCLI(t)
	r := c.ingestSeed()
	mustContain(t, "first ingest's summary", r.stderr, "ingested 1 article (0 unchanged, 0 failed)", "quads added", "bolt", "newsgraph.db")
	if r.stdout != "" {
		t.Errorf("ingest wrote to stdout: %q", r.stdout)
	}
	if fi, err := os.Stat(c.path("newsgraph.db")); err != nil || !fi.IsDir() {
		t.Errorf("no bolt store at ./newsgraph.db: %v", err)
	}
	s1 := c.stats()
	if s1.Articles != 1 {
		t.Errorf("stats: %d articles, want 1", s1.Articles)
	}
	if s1.Entities["Country"] < 8 {
		t.Errorf("stats: %d countries, want at least 8: %+v", s1.Entities["Country"], s1.Entities)
	}
	if s1.Quads == 0 || s1.Facts["invitedTo"] == 0 {
		t.Errorf("stats: %+v", s1)
	}

	// again: nothing changes
	r = c.ingestSeed()
	mustContain(t, "second ingest's summary", r.stderr, "ingested 1 article (1 unchanged, 0 failed): 0 quads added, 0 removed")
	if s2 := c.stats(); s2.Quads != s1.Quads || s2.Articles != 1 {
		t.Errorf("stats after re-ingesting: %d quads, %d articles; want %d, 1", s2.Quads, s2.Articles, s1.Quads)
	}

	// --quiet prints nothing
	r = c.ingestSeed("--quiet")
	if r.stderr != "" || r.stdout != "" {
		t.Errorf("ingest --quiet printed %q / %q", r.stdout, r.stderr)
	}

	// the text form
	r = c.ok("stats")
	mustContain(t, "stats", r.stdout, "articles  1", fmt.Sprintf("quads     %d", s1.Quads), "Country", "invitedTo", "entities", "facts")

	// the same text under another id is another article
	r = c.ok("ingest", "--date", seedDate, "--id", "other-id", seedName)
	mustContain(t, "ingest --id summary", r.stderr, "ingested 1 article (0 unchanged, 0 failed)")
	if s := c.stats(); s.Articles != 2 {
		t.Errorf("stats after ingesting under another id: %d articles, want 2", s.Articles)
	}

	// a changed text replaces the article's facts
	text, err := os.ReadFile(c.path(seedName))
	if err != nil {
		t.Fatal(err)
	}
	c.write("short.txt", text[:bytes.IndexByte(text, '\n')+1])
	c.ok("ingest", "--date", seedDate, "--id", "other-id", "short.txt")
	r = c.ok("ingest", "--date", seedDate, "--id", "other-id", seedName)
	if !regexp.MustCompile(`ingested 1 article \(0 unchanged, 0 failed\): \d+ quads added, [1-9]\d* removed`).MatchString(r.stderr) {
		t.Errorf("re-ingesting a changed article removed nothing: %s", r.stderr)
	}
	if s := c.stats(); s.Articles != 2 {
		t.Errorf("stats after replacing an article: %d articles, want 2", s.Articles)
	}
}

func TestStoreFlagsAndEnv(t *testing.T) {
	c := newCLI(t)
	c.ok("ingest", "--date", seedDate, "--dbpath", "a.db", seedName)
	if s := c.stats("--dbpath", "a.db"); s.Articles != 1 {
		t.Errorf("--dbpath a.db: %d articles", s.Articles)
	}
	if _, err := os.Stat(c.path("newsgraph.db")); err == nil {
		t.Errorf("--dbpath a.db also wrote ./newsgraph.db")
	}
	// NEWSGRAPH_DBPATH names the store too
	cmd := exec.Command(binary, "stats", "--json")
	cmd.Dir = c.dir
	cmd.Env = append(testEnv(), "NEWSGRAPH_DBPATH=a.db")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("stats with NEWSGRAPH_DBPATH: %v", err)
	}
	var s stats
	if err := json.Unmarshal(out, &s); err != nil || s.Articles != 1 {
		t.Errorf("stats with NEWSGRAPH_DBPATH=a.db: %+v, %v", s, err)
	}
	// read-only commands on a store that is not there fail, and make none
	for _, args := range [][]string{
		{"stats", "--dbpath", "missing.db"},
		{"export", "--dbpath", "missing.db"},
		{"query", "--dbpath", "missing.db", invited},
	} {
		r := c.run(args...)
		if r.code != 1 || !strings.Contains(r.stderr, "no store there") {
			t.Errorf("newsgraph %q: %s", args, r)
		}
		if _, err := os.Stat(c.path("missing.db")); err == nil {
			t.Fatalf("newsgraph %q created missing.db", args)
		}
	}
	r := c.run("stats", "--db", "nosuchdb")
	if r.code == 0 || !strings.Contains(r.stderr, `unknown backend "nosuchdb"`) {
		t.Errorf("stats --db nosuchdb: %s", r)
	}
	// memstore works, and starts empty
	if s := c.stats("--db", "memstore"); s.Quads != 0 {
		t.Errorf("memstore stats: %+v", s)
	}
}

func TestQuery(t *testing.T) {
	c := newCLI(t)
	c.ingestSeed()
	c.write("q.js", []byte(invited))
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantCode   int
		wantOut    []string
		wantErr    []string
		wantLines  int // exact number of stdout lines when > 0
		json, noGo bool
	}{
		{name: "gizmo names", args: []string{"query", invited},
			wantOut: []string{"Pakistan\n", "United Arab Emirates\n"}},
		{name: "gizmo as several arguments", args: []string{"query", `g.V().has("<rdf:type>", "<ng:Event>")`, `.in("<ng:invitedTo>").has("<rdf:type>", "<ng:Country>")`, `.out("<schema:name>").all()`},
			wantOut: []string{"Pakistan\n"}},
		{name: "gizmo tag shown compact", args: []string{"query", `g.V().has("<rdf:type>", "<ng:Country>").tag("c").out("<ng:invitedTo>").back("c").all()`},
			wantOut: []string{"ngid:country/Pakistan", "ngid:country/United_Arab_Emirates"}},
		{name: "gizmo tags", args: []string{"query", `g.V().has("<rdf:type>", "<ng:Country>").save("<schema:name>", "name").out("<ng:invitedTo>").all()`},
			wantOut: []string{"name: Pakistan"}},
		{name: "gizmo json", args: []string{"query", "--json", invited}, json: true,
			wantOut: []string{`"Pakistan"`, `"United Arab Emirates"`}},
		{name: "gizmo from a file", args: []string{"query", "-f", "q.js"}, wantOut: []string{"Pakistan\n"}},
		{name: "gizmo from stdin", args: []string{"query"}, stdin: invited, wantOut: []string{"Pakistan\n"}},
		{name: "gizmo from stdin by -f -", args: []string{"query", "-f", "-"}, stdin: invited, wantOut: []string{"Pakistan\n"}},
		{name: "limit", args: []string{"query", "--limit", "2", invited}, wantLines: 2},
		{name: "no results", args: []string{"query", `g.V("no such node").all()`}, wantOut: []string{"(no results)"}},
		{name: "no results json", args: []string{"query", "--json", `g.V("no such node").all()`}, json: true, wantOut: []string{"[]"}},
		{name: "graphql", args: []string{"query", "--lang", "graphql", `{ nodes(<rdf:type>: <ng:Country>) { id <schema:name> } }`},
			wantOut: []string{"Pakistan", "United Arab Emirates"}, noGo: true},
		{name: "graphql json", args: []string{"query", "--lang", "graphql", "--json", `{ nodes(<rdf:type>: <ng:Country>) { id <schema:name> } }`},
			json: true, wantOut: []string{`"Pakistan"`}},
		{name: "mql", args: []string{"query", "-l", "mql", `[{"id": null, "<rdf:type>": "<ng:Country>", "<schema:name>": null}]`},
			wantOut: []string{"Pakistan"}, noGo: true},
		{name: "unknown language", args: []string{"query", "--lang", "sparql", "SELECT * WHERE {}"},
			wantCode: 1, wantErr: []string{`unknown language "sparql"`, "gizmo"}},
		{name: "syntax error", args: []string{"query", `g.V(.all(`}, wantCode: 1, wantErr: []string{"SyntaxError"}},
		{name: "endless query", args: []string{"query", "--timeout", "300ms", `while (true) {}`}, wantCode: 1, wantErr: []string{"deadline exceeded"}},
		{name: "no query", args: []string{"query"}, wantCode: 2, wantErr: []string{"no query given"}},
		{name: "missing query file", args: []string{"query", "-f", "nosuch.js"}, wantCode: 1, wantErr: []string{"nosuch.js"}},
		{name: "bad flag", args: []string{"query", "--nosuchflag", invited}, wantCode: 2, wantErr: []string{"nosuchflag"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := c.runIn(tc.stdin, tc.args...)
			if r.code != tc.wantCode {
				t.Fatalf("exit %d, want %d: %s", r.code, tc.wantCode, r)
			}
			mustContain(t, "stdout", r.stdout, tc.wantOut...)
			mustContain(t, "stderr", r.stderr, tc.wantErr...)
			if tc.wantCode != 0 {
				if !strings.HasPrefix(r.stderr, "newsgraph") {
					t.Errorf("error message does not start with the program's name: %q", r.stderr)
				}
				return
			}
			if tc.json {
				var v interface{}
				if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
					t.Errorf("--json output is not JSON: %v", err)
				}
			}
			if tc.wantLines > 0 {
				if n := strings.Count(r.stdout, "\n"); n != tc.wantLines {
					t.Errorf("%d lines, want %d:\n%s", n, tc.wantLines, r.stdout)
				}
			}
			if tc.noGo && strings.Contains(r.stdout, "map[") {
				t.Errorf("output shows Go's formatting of a map:\n%.500s", r.stdout)
			}
		})
	}
}

func TestExtract(t *testing.T) {
	c := newCLI(t)
	r := c.ok("extract", "--date", seedDate, seedName)
	qs := parseNQuads(t, "extract's output", []byte(r.stdout))
	if len(qs) < 20 {
		t.Fatalf("extract printed %d quads", len(qs))
	}
	label := qs[0].Label
	for _, q := range qs {
		if q.Label != label {
			t.Errorf("quads of one article under two labels: %v and %v", label, q.Label)
			break
		}
	}
	mustContain(t, "extract's output", r.stdout, `"Pakistan"`, `"2026-02-03"^^<http://www.w3.org/2001/XMLSchema#date>`)
	if _, err := os.Stat(c.path("newsgraph.db")); err == nil {
		t.Errorf("extract made a store")
	}
	// from stdin, the same facts
	text, _ := os.ReadFile(c.path(seedName))
	r2 := c.runIn(string(text), "extract", "--date", seedDate, "-")
	if r2.code != 0 || !strings.Contains(r2.stdout, `"Pakistan"`) {
		t.Errorf("extract -: %s", r2)
	}
	// errors
	for _, args := range [][]string{{"extract", "nosuch.txt"}, {"extract"}, {"extract", "--date", "yesterday", seedName}} {
		r := c.run(args...)
		if r.code == 0 {
			t.Errorf("newsgraph %q succeeded: %s", args, r)
		}
	}
	if r := c.run("extract", "nosuch.txt"); !strings.Contains(r.stderr, "nosuch.txt") {
		t.Errorf("extract of a missing file does not name it: %s", r)
	}
	if r := c.run("extract", "--date", "yesterday", seedName); r.code != 2 || !strings.Contains(r.stderr, "--date") {
		t.Errorf("extract --date yesterday: want a usage error about --date: %s", r)
	}
}

func TestExportLoadDelete(t *testing.T) {
	c := newCLI(t)
	c.ingestSeed()
	before := c.stats()

	out := c.ok("export").stdout
	qs := parseNQuads(t, "export", []byte(out))
	if len(qs) != before.Quads+before.Ontology {
		t.Errorf("export has %d quads, stats says %d and %d of the ontology", len(qs), before.Quads, before.Ontology)
	}
	mustContain(t, "export", out, `^^<http://www.w3.org/2001/XMLSchema#date>`)
	if strings.Contains(out, "^^<xsd:") {
		t.Errorf("export has a compact datatype IRI")
	}

	// -o writes the same bytes to a file, and says so
	r := c.ok("export", "-o", "all.nq")
	mustContain(t, "export -o", r.stderr, fmt.Sprintf("exported %d quads to all.nq", before.Quads+before.Ontology))
	file, err := os.ReadFile(c.path("all.nq"))
	if err != nil {
		t.Fatal(err)
	}
	if string(file) != out {
		t.Errorf("export -o all.nq differs from export to stdout")
	}
	if again := c.ok("export").stdout; again != out {
		t.Errorf("two exports of the same store differ")
	}

	// a failed export leaves no file behind, nor a temporary one
	r = c.run("export", "--format", "rdfxml", "-o", "bad.nq")
	if r.code == 0 || !strings.Contains(r.stderr, `unknown format "rdfxml"`) {
		t.Errorf("export --format rdfxml: %s", r)
	}
	if _, err := os.Stat(c.path("bad.nq")); err == nil {
		t.Errorf("a failed export left bad.nq")
	}
	if left, _ := filepath.Glob(c.path(".export-*")); len(left) > 0 {
		t.Errorf("a failed export left temporary files %v", left)
	}

	// JSON-LD
	r = c.ok("export", "--format", "jsonld")
	var ld map[string]interface{}
	if err := json.Unmarshal([]byte(r.stdout), &ld); err != nil {
		t.Errorf("export --format jsonld is not JSON: %v", err)
	} else if _, ok := ld["@context"]; !ok {
		t.Errorf("export --format jsonld has no @context")
	}
	mustContain(t, "JSON-LD export", r.stdout, "Pakistan")

	// one article, by the path it was ingested with, or its IRI
	one := c.ok("export", "--article", seedName).stdout
	oneQuads := parseNQuads(t, "export --article", []byte(one))
	if len(oneQuads) != before.Quads {
		t.Errorf("export --article %s: %d quads, want %d", seedName, len(oneQuads), before.Quads)
	}
	iri := oneQuads[0].Label.(quad.IRI)
	for _, arg := range []string{string(iri), "<" + string(iri) + ">", "ngid:" + strings.TrimPrefix(string(iri), "https://newsgraph.dev/id/")} {
		if got := c.ok("export", "--article", arg).stdout; got != one {
			t.Errorf("export --article %s differs from export --article %s", arg, seedName)
		}
	}
	r = c.run("export", "--article", "nosuch.txt")
	if r.code == 0 || !strings.Contains(r.stderr, "no article") {
		t.Errorf("export --article nosuch.txt: %s", r)
	}
	if r := c.run("export", "extra-arg"); r.code != 2 {
		t.Errorf("export with an argument: %s", r)
	}

	// load into another store, export again: the same bytes
	r = c.ok("load", "--dbpath", "copy.db", "all.nq")
	mustContain(t, "load's summary", r.stderr, fmt.Sprintf("loaded %d quads", before.Quads+before.Ontology))
	if got := c.ok("export", "--dbpath", "copy.db").stdout; got != out {
		t.Errorf("export of the loaded store differs from the original export")
	}
	if s := c.stats("--dbpath", "copy.db"); s.Articles != 1 || s.Quads != before.Quads {
		t.Errorf("loaded store stats %+v, want 1 article, %d quads", s, before.Quads)
	}
	// loading again changes nothing; small batches and gzip work too
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(file)
	zw.Close()
	c.write("all.nq.gz", gz.Bytes())
	c.ok("load", "--dbpath", "copy.db", "--batch", "7", "all.nq", "all.nq.gz")
	if got := c.ok("export", "--dbpath", "copy.db").stdout; got != out {
		t.Errorf("export after loading twice differs from the original export")
	}
	r = c.runIn(out, "load", "--dbpath", "stdin.db", "-")
	if r.code != 0 {
		t.Fatalf("load -: %s", r)
	}
	if got := c.ok("export", "--dbpath", "stdin.db").stdout; got != out {
		t.Errorf("export of a store loaded from stdin differs from the original export")
	}

	// a broken N-Quads file is named, with the quad
	c.write("broken.nq", []byte(strings.SplitAfter(out, "\n")[0]+"this is not a quad\n"))
	r = c.run("load", "--dbpath", "broken.db", "broken.nq")
	if r.code == 0 || !strings.Contains(r.stderr, "broken.nq: quad 2") {
		t.Errorf("load of a broken file: %s", r)
	}
	if r := c.run("load", "--dbpath", "broken.db", "nosuch.nq"); r.code == 0 || !strings.Contains(r.stderr, "nosuch.nq") {
		t.Errorf("load of a missing file: %s", r)
	}

	// delete by the path used at ingest
	r = c.ok("delete", seedName)
	mustContain(t, "delete's summary", r.stderr, fmt.Sprintf("deleted %s: %d quads", seedName, before.Quads))
	if s := c.stats(); s.Articles != 0 || s.Quads != 0 {
		t.Errorf("stats after delete: %+v, want empty", s)
	}
	r = c.run("delete", seedName)
	if r.code != 1 || !strings.Contains(r.stderr, "no such article") {
		t.Errorf("delete of a deleted article: %s", r)
	}
	if r := c.run("delete"); r.code != 2 {
		t.Errorf("delete without arguments: %s", r)
	}
	// the copy still has it, deleted by IRI
	c.ok("delete", "--dbpath", "copy.db", string(iri))
	if s := c.stats("--dbpath", "copy.db"); s.Articles != 0 || s.Quads != 0 {
		t.Errorf("stats of the copy after delete by IRI: %+v", s)
	}
}

// TestExportLoadOddIRI round-trips an IRI that N-Quads must escape: a
// source URL with a space and braces.
func TestExportLoadOddIRI(t *testing.T) {
	c := newCLI(t)
	c.write("a.txt", []byte("Pakistan has been invited to take part in talks in Istanbul.\n"))
	c.ok("ingest", "--date", seedDate, "--url", "http://example.com/a b|c{d}\\e", "a.txt")
	first := c.ok("export").stdout
	mustContain(t, "export", first, `<http://example.com/a\u0020b\u007Cc\u007Bd\u007D\u005Ce>`)
	parseNQuads(t, "export", []byte(first))
	c.write("1.nq", []byte(first))
	c.ok("load", "--dbpath", "copy.db", "1.nq")
	if second := c.ok("export", "--dbpath", "copy.db").stdout; second != first {
		t.Errorf("export -> load -> export changed the graph:\nfirst:\n%s\nsecond:\n%s", first, second)
	}
	r := c.ok("query", "--dbpath", "copy.db", `g.V().out("<schema:url>").all()`)
	mustContain(t, "query of the loaded store", r.stdout, "<http://example.com/a b|c{d}\\e>")
}

func TestEval(t *testing.T) {
	c := newCLI(t)
	gold, err := filepath.Abs("../../testdata/seed")
	if err != nil {
		t.Fatal(err)
	}
	r := c.ok("eval", gold)
	mustContain(t, "eval", r.stdout, "micro-averaged over 1 article", "entities", "relations", "predicate")
	r = c.ok("eval", "--json", gold)
	var v map[string]interface{}
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Errorf("eval --json is not JSON: %v", err)
	}
	if r := c.run("eval"); r.code != 2 {
		t.Errorf("eval without arguments: %s", r)
	}
	empty := t.TempDir()
	if r := c.run("eval", empty); r.code == 0 {
		t.Errorf("eval of a directory without gold: %s", r)
	}
}

func TestDemo(t *testing.T) {
	c := newCLI(t)
	if err := os.Mkdir(c.path("seeds"), 0o755); err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(c.path(seedName))
	if err != nil {
		t.Fatal(err)
	}
	c.write(filepath.Join("seeds", seedName), text)
	r := c.ok("demo")
	mustContain(t, "demo", r.stdout, "Which countries were invited", "Pakistan", "United Arab Emirates")
	if strings.Contains(r.stdout, "(no answer)") {
		t.Logf("a demo question went unanswered:\n%s", r.stdout)
	}
	if s := c.stats(); s.Articles != 1 {
		t.Errorf("after demo: %d articles, want 1", s.Articles)
	}
	// run again: the article is unchanged, the answers the same
	if again := c.ok("demo"); again.stdout != r.stdout {
		t.Errorf("a second demo answers differently:\n%s\nthen:\n%s", r.stdout, again.stdout)
	}
	if r := c.run("demo", "--seeds", "nosuch"); r.code == 0 || !strings.Contains(r.stderr, "nosuch") {
		t.Errorf("demo --seeds nosuch: %s", r)
	}
}

func TestBadInput(t *testing.T) {
	good := func(id string) string {
		return fmt.Sprintf(`{"id": %q, "text": "Pakistan has been invited to take part in talks in Istanbul, the Foreign Office said."}`, id)
	}
	tests := []struct {
		name  string
		files map[string][]byte
		args  []string
		// wantErr are substrings of stderr: the file, and line
		wantErr      []string
		wantArticles int // after it, the seed included
	}{
		{name: "missing file", args: []string{"nosuch.txt"},
			wantErr: []string{"nosuch.txt", "no such file"}, wantArticles: 1},
		{name: "binary file", files: map[string][]byte{"bin.txt": []byte("Pakistan\x00\x01\x02 and Iran\n")}, args: []string{"bin.txt"},
			wantErr: []string{"bin.txt", "binary"}, wantArticles: 1},
		{name: "empty file", files: map[string][]byte{"empty.txt": {}}, args: []string{"empty.txt"},
			wantErr: []string{"empty.txt", "empty"}, wantArticles: 1},
		{name: "blank file", files: map[string][]byte{"blank.txt": []byte(" \n\t\n")}, args: []string{"blank.txt"},
			wantErr: []string{"blank.txt", "empty"}, wantArticles: 1},
		{name: "invalid UTF-8", files: map[string][]byte{"latin1.txt": []byte("Pakistan and T\xfcrkiye\nsaid.\n")}, args: []string{"latin1.txt"},
			wantErr: []string{"latin1.txt", "UTF-8", "line 1"}, wantArticles: 1},
		{name: "too large", files: map[string][]byte{"big.txt": bytes.Repeat([]byte("Pakistan and Iran. "), 100)}, args: []string{"--max-size", "1000", "big.txt"},
			wantErr: []string{"big.txt", "limit"}, wantArticles: 1},
		{name: "JSONL with a malformed line",
			files: map[string][]byte{"news.jsonl": []byte(good("j1") + "\n" + `{"id": "j2", "text": "unterminated` + "\n" + good("j3") + "\n")},
			args:  []string{"news.jsonl"}, wantErr: []string{"news.jsonl:2"}, wantArticles: 3},
		{name: "JSONL with a line without text",
			files: map[string][]byte{"news.jsonl": []byte(good("j1") + "\n" + `{"id": "j2"}` + "\n" + good("j3") + "\n")},
			args:  []string{"news.jsonl"}, wantErr: []string{"news.jsonl:2", "empty"}, wantArticles: 3},
		{name: "JSONL with invalid UTF-8 on a line",
			files: map[string][]byte{"news.jsonl": []byte(good("j1") + "\n" + `{"id": "j2", "text": "T` + "\xfc" + `rkiye"}` + "\n" + good("j3") + "\n")},
			args:  []string{"news.jsonl"}, wantErr: []string{"news.jsonl:2", "UTF-8"}, wantArticles: 3},
		{name: "JSONL with a bad date on a line",
			files: map[string][]byte{"news.jsonl": []byte(good("j1") + "\n" + `{"id": "j2", "published": "soon", "text": "Pakistan and Iran."}` + "\n" + good("j3") + "\n")},
			args:  []string{"news.jsonl"}, wantErr: []string{"news.jsonl:2", "published"}, wantArticles: 3},
		{name: "directory with a bad file among good ones",
			files: map[string][]byte{
				"dir/a.txt": []byte("Pakistan has been invited to talks in Istanbul.\n"),
				"dir/b.txt": []byte("bad\x00data"),
				"dir/c.txt": []byte("Iran warned the United States.\n"),
			},
			args: []string{"dir"}, wantErr: []string{filepath.Join("dir", "b.txt"), "binary"}, wantArticles: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			c.ingestSeed()
			before := c.stats()
			for name, data := range tc.files {
				if err := os.MkdirAll(filepath.Dir(c.path(name)), 0o755); err != nil {
					t.Fatal(err)
				}
				c.write(name, data)
			}
			r := c.run(append([]string{"ingest", "--date", seedDate}, tc.args...)...)
			if r.code == 0 {
				t.Fatalf("ingest of bad input succeeded: %s", r)
			}
			mustContain(t, "stderr", r.stderr, tc.wantErr...)
			mustContain(t, "stderr", r.stderr, "nothing stored for it", "1 failed")
			s := c.stats()
			if s.Articles != tc.wantArticles {
				t.Errorf("%d articles after the ingest, want %d", s.Articles, tc.wantArticles)
			}
			if tc.wantArticles == before.Articles && s.Quads != before.Quads {
				t.Errorf("a failed ingest changed the store: %d quads, was %d", s.Quads, before.Quads)
			}
			// extract reports the same trouble
			r = c.run(append([]string{"extract", "--date", seedDate}, tc.args...)...)
			if r.code == 0 {
				t.Errorf("extract of bad input succeeded: %s", r)
			}
			mustContain(t, "extract's stderr", r.stderr, tc.wantErr[0])
		})
	}
}

func TestUsage(t *testing.T) {
	c := newCLI(t)
	cmdFlags := map[string][]string{
		"ingest":  {"--db", "--dbpath", "--date", "--id", "--url", "--max-size", "--quiet"},
		"extract": {"--date", "--id", "--url", "--max-size"},
		"query":   {"--db", "--dbpath", "--lang", "--file", "--json", "--limit", "--timeout"},
		"export":  {"--db", "--dbpath", "--format", "--article", "--output"},
		"load":    {"--db", "--dbpath", "--batch"},
		"delete":  {"--db", "--dbpath"},
		"serve":   {"--db", "--dbpath", "--addr", "--writable", "--auth-token", "--timeout", "--limit", "--max-body"},
		"stats":   {"--db", "--dbpath", "--json"},
		"eval":    {"--json", "--verbose"},
		"demo":    {"--db", "--dbpath", "--seeds"},
	}
	for name, flags := range cmdFlags {
		for _, help := range [][]string{{name, "--help"}, {name, "-h"}, {"help", name}} {
			t.Run(strings.Join(help, " "), func(t *testing.T) {
				r := c.run(help...)
				if r.code != 0 {
					t.Fatalf("exit %d: %s", r.code, r)
				}
				all := r.stdout + r.stderr
				mustContain(t, "help", all, append([]string{"Usage: newsgraph " + name}, flags...)...)
			})
		}
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string
	}{
		{"no arguments", nil, 2, []string{"Usage:", "ingest", "serve"}},
		{"--help", []string{"--help"}, 0, []string{"Usage:", "ingest", "query", "export", "load", "delete", "serve", "stats", "eval", "extract"}},
		{"help", []string{"help"}, 0, []string{"Usage:"}},
		{"version", []string{"version"}, 0, []string{"newsgraph 0."}},
		{"unknown command", []string{"frobnicate"}, 2, []string{`unknown command "frobnicate"`, "Usage:"}},
		{"unknown flag", []string{"stats", "--frob"}, 2, []string{"--frob"}},
		{"ingest without paths", []string{"ingest"}, 2, []string{"give files"}},
		{"ingest --id with two inputs", []string{"ingest", "--id", "x", "a.txt", "b.txt"}, 2, []string{"--id"}},
		{"ingest bad date", []string{"ingest", "--date", "3 Feb", seedName}, 2, []string{"--date"}},
		{"load without files", []string{"load"}, 2, []string{"N-Quads"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := c.run(tc.args...)
			if r.code != tc.wantCode {
				t.Fatalf("exit %d, want %d: %s", r.code, tc.wantCode, r)
			}
			mustContain(t, "output", r.stdout+r.stderr, tc.want...)
		})
	}
	if _, err := os.Stat(c.path("newsgraph.db")); err == nil {
		t.Errorf("usage errors made a store")
	}
}

// serveProc is a running `newsgraph serve`.
type serveProc struct {
	cmd    *exec.Cmd
	addr   string
	stderr *bytes.Buffer
	done   chan error
	// stopped is set by stop, which the test and its cleanup call
	stopped bool
	err     error
}

// startServe starts `newsgraph serve` on a free loopback port and waits
// for it to answer.
func (c *cli) startServe(args ...string) *serveProc {
	c.t.Helper()
	return c.startServeWith(nil, append([]string{"--addr", "127.0.0.1:0"}, args...)...)
}

// stop ends the server with SIGTERM (SIGKILL if need be) and returns its
// exit error.
func (p *serveProc) stop(t *testing.T) error {
	if p.stopped {
		return p.err
	}
	p.stopped = true
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case p.err = <-p.done:
	case <-time.After(20 * time.Second):
		p.cmd.Process.Kill()
		p.err = <-p.done
		t.Errorf("serve did not stop within 20s of SIGTERM")
	}
	return p.err
}

func TestServe(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGTERM and flock")
	}
	c := newCLI(t)
	c.ingestSeed()
	before := c.stats()
	p := c.startServe()
	if !strings.Contains(p.stderr.String(), "read-only") {
		t.Errorf("serve's banner does not say read-only: %q", p.stderr.String())
	}

	resp, err := http.Post("http://"+p.addr+"/api/v2/query?lang=gizmo", "application/javascript", strings.NewReader(invited))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("query: status %d: %s", resp.StatusCode, body)
	}
	mustContain(t, "query response", string(body), `"Pakistan"`, `"United Arab Emirates"`)

	resp, err = http.Post("http://"+p.addr+"/api/v2/write", "application/n-quads",
		strings.NewReader("<http://x/s> <http://x/p> <http://x/o> <http://x/l> .\n"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("write to a read-only server: status %d, want 403", resp.StatusCode)
	}

	// the store is in use: commands that open it fail fast and say so
	for _, args := range [][]string{
		{"ingest", "--date", seedDate, seedName},
		{"stats"},
		{"delete", seedName},
		{"load", "all.nq"},
	} {
		r := c.runTimeout(20*time.Second, "", args...)
		if r.code == 0 {
			t.Errorf("newsgraph %q succeeded on a store held by serve: %s", args, r)
			continue
		}
		mustContain(t, fmt.Sprintf("newsgraph %q", args), r.stderr, "in use")
	}

	// a second server on the same store fails too
	r := c.runTimeout(20*time.Second, "", "serve", "--addr", "127.0.0.1:0")
	if r.code == 0 || !strings.Contains(r.stderr, "in use") {
		t.Errorf("a second serve on the same store: %s", r)
	}

	if err := p.stop(t); err != nil {
		t.Errorf("serve exited with %v after SIGTERM; stderr:\n%s", err, p.stderr.String())
	}
	// once it is gone, the store is free and unchanged
	if s := c.stats(); s.Quads != before.Quads || s.Articles != 1 {
		t.Errorf("stats after serve: %+v, want %+v", s, before)
	}
	c.ingestSeed()
}

func TestServeWritable(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGTERM")
	}
	c := newCLI(t)
	c.ingestSeed()
	before := c.stats()
	p := c.startServe("--writable", "--auth-token", "s3cret")
	if !strings.Contains(p.stderr.String(), "writable") {
		t.Errorf("serve's banner does not say writable: %q", p.stderr.String())
	}
	post := func(auth string) int {
		req, _ := http.NewRequest(http.MethodPost, "http://"+p.addr+"/api/v2/write",
			strings.NewReader("<http://x/s> <http://x/p> <http://x/o> <http://x/l> .\n"))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(""); code != http.StatusUnauthorized {
		t.Errorf("write without the token: %d, want 401", code)
	}
	if code := post("Bearer s3cret"); code != http.StatusOK {
		t.Errorf("write with the token: %d, want 200", code)
	}
	if err := p.stop(t); err != nil {
		t.Errorf("serve exited with %v", err)
	}
	if s := c.stats(); s.Quads != before.Quads+1 {
		t.Errorf("after one authorised write: %d quads, want %d", s.Quads, before.Quads+1)
	}
}
