package graph

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/schema"
)

// seedFile is the seed article, relative to this package.
const seedFile = "../seeds/000_1f1ddd429f722b80.txt"

var (
	artA = schema.ArticleIRI("test-a")
	artB = schema.ArticleIRI("test-b")
	artC = schema.ArticleIRI("test-c")

	pakistan = schema.EntityIRI(schema.Country, "Pakistan")
	iran     = schema.EntityIRI(schema.Country, "Iran")
	talks    = schema.EntityIRI(schema.Event, "Iran-US talks")
)

// triple is a quad without its label.
type triple [3]quad.Value

// labelled returns the triples as quads labelled with article.
func labelled(article quad.IRI, ts ...triple) []quad.Quad {
	out := make([]quad.Quad, len(ts))
	for i, t := range ts {
		out[i] = quad.Quad{Subject: t[0], Predicate: t[1], Object: t[2], Label: article}
	}
	return out
}

func xsdDate(d string) quad.Value {
	return quad.TypedString{Value: quad.String(d), Type: schema.XSDDate}
}

// articleA1 and articleA2 are two versions of article A: A2 drops the
// invitation and the old hash, keeps the rest and adds participation.
func articleA1() []quad.Quad {
	return labelled(artA,
		triple{artA, schema.Type, schema.Article.IRI()},
		triple{artA, schema.ContentHash.IRI(), quad.String("hash-a1")},
		triple{artA, schema.DatePublished, xsdDate("2026-02-03")},
		triple{pakistan, schema.Type, schema.Country.IRI()},
		triple{pakistan, schema.Name, quad.String("Pakistan")},
		triple{talks, schema.Type, schema.Event.IRI()},
		triple{talks, schema.Name, quad.String("Iran-US talks")},
		triple{pakistan, schema.InvitedTo.IRI(), talks},
		triple{artA, schema.Mentions.IRI(), pakistan},
	)
}

func articleA2() []quad.Quad {
	return labelled(artA,
		triple{artA, schema.Type, schema.Article.IRI()},
		triple{artA, schema.ContentHash.IRI(), quad.String("hash-a2")},
		triple{artA, schema.DatePublished, xsdDate("2026-02-03")},
		triple{pakistan, schema.Type, schema.Country.IRI()},
		triple{pakistan, schema.Name, quad.String("Pakistan")},
		triple{talks, schema.Type, schema.Event.IRI()},
		triple{talks, schema.Name, quad.String("Iran-US talks")},
		triple{pakistan, schema.ParticipatesIn.IRI(), talks},
		triple{artA, schema.Mentions.IRI(), pakistan},
	)
}

// articleB states some of A's triples too (Pakistan's type and name, the
// invitation), so that they exist under both labels.
func articleB() []quad.Quad {
	return labelled(artB,
		triple{artB, schema.Type, schema.Article.IRI()},
		triple{artB, schema.ContentHash.IRI(), quad.String("hash-b")},
		triple{pakistan, schema.Type, schema.Country.IRI()},
		triple{pakistan, schema.Name, quad.String("Pakistan")},
		triple{iran, schema.Type, schema.Country.IRI()},
		triple{iran, schema.Name, quad.String("Iran")},
		triple{pakistan, schema.InvitedTo.IRI(), talks},
		triple{iran, schema.Warned.IRI(), pakistan},
	)
}

// testBackends are the backends the store tests run on.
var testBackends = []string{"bolt", "memstore", "leveldb"}

func openTest(t *testing.T, backend string) *Store {
	t.Helper()
	dir := ""
	if backend != "memstore" {
		dir = filepath.Join(t.TempDir(), "db")
	}
	s, err := Open(backend, dir, Options{NoBloom: true})
	if err != nil {
		t.Fatalf("Open(%q, %q): %v", backend, dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// contents returns every quad of the store as sorted N-Quads lines.
func contents(t *testing.T, s *Store) []string {
	t.Helper()
	qs, err := quad.ReadAll(s.AllQuads())
	if err != nil {
		t.Fatalf("read all quads: %v", err)
	}
	return lines(qs)
}

func lines(qs []quad.Quad) []string {
	set := map[string]bool{}
	for _, q := range qs {
		set[NQuad(q)] = true
	}
	out := make([]string, 0, len(set))
	for l := range set {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// union returns the sorted distinct N-Quads lines of the quad sets.
func union(sets ...[]quad.Quad) []string {
	var all []quad.Quad
	for _, s := range sets {
		all = append(all, s...)
	}
	return lines(all)
}

// minus returns the quads of a not in b.
func minus(a, b []quad.Quad) []quad.Quad {
	in := map[quad.Quad]bool{}
	for _, q := range b {
		in[q] = true
	}
	var out []quad.Quad
	for _, q := range a {
		if !in[q] {
			out = append(out, q)
		}
	}
	return out
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	g, w := map[string]bool{}, map[string]bool{}
	for _, l := range got {
		g[l] = true
	}
	for _, l := range want {
		w[l] = true
	}
	var msg strings.Builder
	for _, l := range got {
		if !w[l] {
			fmt.Fprintf(&msg, "\n  unexpected: %s", l)
		}
	}
	for _, l := range want {
		if !g[l] {
			fmt.Fprintf(&msg, "\n  missing:    %s", l)
		}
	}
	t.Errorf("%s: got %d quads, want %d:%s", what, len(got), len(want), msg.String())
}

func writeOK(t *testing.T, s *Store, article quad.IRI, qs []quad.Quad) WriteResult {
	t.Helper()
	res, err := s.WriteArticle(context.Background(), article, qs)
	if err != nil {
		t.Fatalf("WriteArticle(%s): %v", article, err)
	}
	return res
}

func articles(t *testing.T, s *Store) []quad.IRI {
	t.Helper()
	got, err := s.Articles(context.Background())
	if err != nil {
		t.Fatalf("Articles: %v", err)
	}
	return got
}

func TestOpen(t *testing.T) {
	tmp := t.TempDir()
	tests := []struct {
		name, backend, path string
		opt                 Options
		wantErr             []string // substrings of the error; nil: must succeed
		wantBackend         string
	}{
		{name: "unknown backend", backend: "nosuchdb", path: filepath.Join(tmp, "x"),
			wantErr: []string{`unknown backend "nosuchdb"`, "bolt", "memstore"}},
		{name: "bolt without path", backend: "bolt", path: "",
			wantErr: []string{"bolt", "no path"}},
		{name: "read-only bolt where there is no store", backend: "bolt", path: filepath.Join(tmp, "missing"),
			opt: Options{ReadOnly: true}, wantErr: []string{"no store there"}},
		{name: "default backend is bolt", backend: "", path: filepath.Join(tmp, "default"), wantBackend: "bolt"},
		{name: "bolt creates its directory", backend: "bolt", path: filepath.Join(tmp, "a", "b", "c"), wantBackend: "bolt"},
		{name: "memstore ignores the path", backend: "memstore", path: filepath.Join(tmp, "ignored"), wantBackend: "memstore"},
		{name: "leveldb", backend: "leveldb", path: filepath.Join(tmp, "ldb"), wantBackend: "leveldb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opt.NoBloom = true
			s, err := Open(tc.backend, tc.path, tc.opt)
			if tc.wantErr != nil {
				if err == nil {
					s.Close()
					t.Fatalf("Open(%q, %q) succeeded, want an error", tc.backend, tc.path)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("Open(%q, %q) error %q does not mention %q", tc.backend, tc.path, err, w)
					}
				}
				if tc.opt.ReadOnly && tc.path != "" {
					if _, err := os.Stat(tc.path); err == nil {
						t.Errorf("a read-only open created %s", tc.path)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Open(%q, %q): %v", tc.backend, tc.path, err)
			}
			defer s.Close()
			if s.Backend() != tc.wantBackend {
				t.Errorf("Backend() = %q, want %q", s.Backend(), tc.wantBackend)
			}
			if tc.wantBackend == "memstore" {
				if _, err := os.Stat(tc.path); err == nil {
					t.Errorf("memstore created %s", tc.path)
				}
			} else if fi, err := os.Stat(tc.path); err != nil || !fi.IsDir() {
				t.Errorf("store directory %s not created: %v", tc.path, err)
			}
			// an empty store works
			if got := articles(t, s); len(got) != 0 {
				t.Errorf("empty store lists articles %v", got)
			}
			st, err := s.Stats(context.Background())
			if err != nil || st.Quads != 0 || st.Articles != 0 {
				t.Errorf("empty store Stats = %+v, %v", st, err)
			}
		})
	}
}

func TestBoltReopenKeepsData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	s, err := Open("bolt", dir, Options{NoBloom: true})
	if err != nil {
		t.Fatal(err)
	}
	writeOK(t, s, artA, articleA1())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{false, true} {
		s, err := Open("bolt", dir, Options{ReadOnly: ro, NoBloom: true})
		if err != nil {
			t.Fatalf("reopen (read-only %v): %v", ro, err)
		}
		sameLines(t, fmt.Sprintf("reopened store (read-only %v)", ro), contents(t, s), union(articleA1()))
		s.Close()
	}
}

func TestWriteArticle(t *testing.T) {
	ctx := context.Background()
	for _, backend := range testBackends {
		t.Run(backend, func(t *testing.T) {
			s := openTest(t, backend)

			// first write: everything is added
			res := writeOK(t, s, artA, articleA1())
			if want := (WriteResult{Added: len(articleA1())}); res != want {
				t.Errorf("first write = %+v, want %+v", res, want)
			}
			sameLines(t, "after first write", contents(t, s), union(articleA1()))
			if h, err := s.ContentHash(ctx, artA); err != nil || h != "hash-a1" {
				t.Errorf("ContentHash = %q, %v; want hash-a1", h, err)
			}

			// the same set again, shuffled and with duplicates: unchanged
			again := articleA1()
			for i, j := 0, len(again)-1; i < j; i, j = i+1, j-1 {
				again[i], again[j] = again[j], again[i]
			}
			again = append(again, again[0], again[3])
			before, err := s.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			res = writeOK(t, s, artA, again)
			if want := (WriteResult{Unchanged: true}); res != want {
				t.Errorf("rewrite of the same set = %+v, want %+v", res, want)
			}
			after, err := s.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if after.Quads != before.Quads || after.Quads != len(articleA1()) {
				t.Errorf("quad count after rewrite = %d, before %d, want %d", after.Quads, before.Quads, len(articleA1()))
			}

			// another article sharing triples with A
			res = writeOK(t, s, artB, articleB())
			if res.Added != len(articleB()) || res.Removed != 0 || res.Unchanged {
				t.Errorf("write of B = %+v, want %d added", res, len(articleB()))
			}
			sameLines(t, "after writing B", contents(t, s), union(articleA1(), articleB()))

			// a changed A replaces the old one: old-only quads go, shared stay
			res = writeOK(t, s, artA, articleA2())
			wantAdded := len(minus(articleA2(), articleA1()))
			wantRemoved := len(minus(articleA1(), articleA2()))
			if want := (WriteResult{Added: wantAdded, Removed: wantRemoved}); res != want {
				t.Errorf("changed write = %+v, want %+v", res, want)
			}
			sameLines(t, "after the changed write", contents(t, s), union(articleA2(), articleB()))
			gotA, err := s.ArticleQuads(ctx, artA)
			if err != nil {
				t.Fatal(err)
			}
			sameLines(t, "ArticleQuads(A)", lines(gotA), union(articleA2()))
			if h, err := s.ContentHash(ctx, artA); err != nil || h != "hash-a2" {
				t.Errorf("ContentHash after change = %q, %v; want hash-a2", h, err)
			}
			// the invitation A no longer states is still B's
			gotB, err := s.ArticleQuads(ctx, artB)
			if err != nil {
				t.Fatal(err)
			}
			sameLines(t, "ArticleQuads(B)", lines(gotB), union(articleB()))

			if got, want := articles(t, s), []quad.IRI{artA, artB}; !reflect.DeepEqual(got, want) {
				t.Errorf("Articles() = %v, want %v", got, want)
			}
		})
	}
}

// TestWriteArticleShrinks replaces articles with versions that drop more
// quads than they add, so that the batch lowers the references of values
// (the article's IRI above all) that the added quads use.
func TestWriteArticleShrinks(t *testing.T) {
	ctx := context.Background()
	small := labelled(artA,
		triple{artA, schema.Type, schema.Article.IRI()},
		triple{artA, schema.ContentHash.IRI(), quad.String("hash-small")},
		triple{pakistan, schema.Warned.IRI(), iran},
	)
	tests := []struct {
		name     string
		versions [][]quad.Quad // written in turn as article A
	}{
		{"shrink", [][]quad.Quad{articleA1(), small}},
		{"shrink then grow", [][]quad.Quad{articleA1(), small, articleA2()}},
		{"shrink to one quad", [][]quad.Quad{articleA1(), small[:1]}},
		{"shrink to nothing and back", [][]quad.Quad{articleA1(), nil, articleA1()}},
	}
	for _, backend := range testBackends {
		t.Run(backend, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					s := openTest(t, backend)
					writeOK(t, s, artB, articleB())
					for i, v := range tc.versions {
						old, err := s.ArticleQuads(ctx, artA)
						if err != nil {
							t.Fatal(err)
						}
						res := writeOK(t, s, artA, v)
						want := WriteResult{Added: len(minus(v, old)), Removed: len(minus(old, v))}
						want.Unchanged = want.Added == 0 && want.Removed == 0
						if res != want {
							t.Errorf("version %d: %+v, want %+v", i, res, want)
						}
						sameLines(t, fmt.Sprintf("store after version %d", i), contents(t, s), union(v, articleB()))
						got, err := s.ArticleQuads(ctx, artA)
						if err != nil {
							t.Fatal(err)
						}
						sameLines(t, fmt.Sprintf("ArticleQuads(A) after version %d", i), lines(got), union(v))
					}
				})
			}
		})
	}
}

// TestWriteArticleSeedShrinks re-ingests the seed under one id with a
// shorter text, then the whole text again, as `newsgraph ingest --id`
// would.
func TestWriteArticleSeedShrinks(t *testing.T) {
	x, err := extractor()
	if err != nil {
		t.Fatal(err)
	}
	full, err := os.ReadFile(seedFile)
	if err != nil {
		t.Fatal(err)
	}
	short := full[:bytes.IndexByte(full, '\n')+1]
	doc := func(text []byte) []quad.Quad {
		a := x.Extract(ingest.Document{Source: seedFile, ID: "one-id", Text: string(text), Published: time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)})
		return a.Quads()
	}
	for _, backend := range testBackends {
		t.Run(backend, func(t *testing.T) {
			s := openTest(t, backend)
			other := seedArticle(t)
			writeOK(t, s, other.IRI(), other.Quads())
			for i, text := range [][]byte{full, short, full, short} {
				qs := doc(text)
				writeOK(t, s, qs[0].Label.(quad.IRI), qs)
				sameLines(t, fmt.Sprintf("store after version %d", i), contents(t, s), union(other.Quads(), qs))
			}
		})
	}
}

// TestWriteArticleRejects checks that a bad quad anywhere in an article
// fails the whole write and leaves the store as it was.
func TestWriteArticleRejects(t *testing.T) {
	ctx := context.Background()
	good := func(article quad.IRI) []quad.Quad {
		return labelled(article,
			triple{iran, schema.Name, quad.String("Iran")},
			triple{iran, schema.Type, schema.Country.IRI()},
		)
	}
	tests := []struct {
		name    string
		article quad.IRI
		bad     quad.Quad
		wantErr string
	}{
		{"unlabelled quad", artC,
			quad.Quad{Subject: iran, Predicate: schema.Warned.IRI(), Object: pakistan}, "not labelled"},
		{"quad of another article", artC,
			quad.Quad{Subject: iran, Predicate: schema.Warned.IRI(), Object: pakistan, Label: artB}, "not labelled"},
		{"quad of another article, into an existing one", artA,
			quad.Quad{Subject: iran, Predicate: schema.Warned.IRI(), Object: pakistan, Label: artB}, "not labelled"},
		{"nil object", artC,
			quad.Quad{Subject: iran, Predicate: schema.Warned.IRI(), Label: artC}, "invalid quad"},
		{"empty predicate IRI", artA,
			quad.Quad{Subject: iran, Predicate: quad.IRI(""), Object: pakistan, Label: artA}, "invalid quad"},
		{"empty subject IRI", artA,
			quad.Quad{Subject: quad.IRI(""), Predicate: schema.Warned.IRI(), Object: pakistan, Label: artA}, "invalid quad"},
		{"empty article IRI", quad.IRI(""),
			quad.Quad{Subject: iran, Predicate: schema.Warned.IRI(), Object: pakistan, Label: quad.IRI("")}, "article IRI"},
	}
	for _, backend := range testBackends {
		t.Run(backend, func(t *testing.T) {
			s := openTest(t, backend)
			writeOK(t, s, artA, articleA1())
			writeOK(t, s, artB, articleB())
			before := contents(t, s)
			beforeArticles := articles(t, s)
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					for _, pos := range []string{"first", "last"} {
						qs := good(tc.article)
						if pos == "first" {
							qs = append([]quad.Quad{tc.bad}, qs...)
						} else {
							qs = append(qs, tc.bad)
						}
						res, err := s.WriteArticle(ctx, tc.article, qs)
						if err == nil {
							t.Errorf("bad quad %s: WriteArticle succeeded (%+v), want an error", pos, res)
						} else if !strings.Contains(err.Error(), tc.wantErr) {
							t.Errorf("bad quad %s: error %q does not say %q", pos, err, tc.wantErr)
						}
						sameLines(t, "store after a failed write (bad quad "+pos+")", contents(t, s), before)
						if got := articles(t, s); !reflect.DeepEqual(got, beforeArticles) {
							t.Errorf("Articles() after a failed write = %v, want %v", got, beforeArticles)
						}
					}
				})
			}
		})
	}
}

func TestDeleteArticle(t *testing.T) {
	ctx := context.Background()
	for _, backend := range testBackends {
		t.Run(backend, func(t *testing.T) {
			s := openTest(t, backend)
			writeOK(t, s, artA, articleA1())
			writeOK(t, s, artB, articleB())

			n, err := s.DeleteArticle(ctx, artA)
			if err != nil {
				t.Fatalf("DeleteArticle(A): %v", err)
			}
			if n != len(articleA1()) {
				t.Errorf("DeleteArticle(A) removed %d quads, want %d", n, len(articleA1()))
			}
			// B, including the triples A stated too, is intact
			sameLines(t, "store after deleting A", contents(t, s), union(articleB()))
			if got, want := articles(t, s), []quad.IRI{artB}; !reflect.DeepEqual(got, want) {
				t.Errorf("Articles() = %v, want %v", got, want)
			}
			if qs, err := s.ArticleQuads(ctx, artA); err != nil || len(qs) != 0 {
				t.Errorf("ArticleQuads(A) after delete = %v, %v; want none", qs, err)
			}
			if h, err := s.ContentHash(ctx, artA); err != nil || h != "" {
				t.Errorf("ContentHash(A) after delete = %q, %v; want empty", h, err)
			}
			// a query still finds the shared facts through B
			res, err := s.Query(ctx, "gizmo", `g.V().has("<rdf:type>", "<ng:Country>").out("<ng:invitedTo>").all()`, QueryOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := resultStrings(res); !containsAll(got, "<"+string(talks)+">") {
				t.Errorf("the invitation B states is gone after deleting A: %v", got)
			}

			// deleting again, or an article never stored, removes nothing
			for _, a := range []quad.IRI{artA, artC} {
				n, err := s.DeleteArticle(ctx, a)
				if err != nil || n != 0 {
					t.Errorf("DeleteArticle(%s) = %d, %v; want 0, nil", a, n, err)
				}
			}
			sameLines(t, "store after deleting missing articles", contents(t, s), union(articleB()))

			// A can come back
			res2 := writeOK(t, s, artA, articleA1())
			if res2.Added != len(articleA1()) {
				t.Errorf("rewrite of a deleted article = %+v, want %d added", res2, len(articleA1()))
			}
			sameLines(t, "after writing A again", contents(t, s), union(articleA1(), articleB()))

			// deleting everything empties the store
			for _, a := range []quad.IRI{artA, artB} {
				if _, err := s.DeleteArticle(ctx, a); err != nil {
					t.Fatal(err)
				}
			}
			if got := contents(t, s); len(got) != 0 {
				t.Errorf("store not empty after deleting every article: %v", got)
			}
			if got := articles(t, s); len(got) != 0 {
				t.Errorf("Articles() after deleting every article = %v", got)
			}
		})
	}
}

func TestStats(t *testing.T) {
	ctx := context.Background()
	for _, backend := range testBackends {
		t.Run(backend, func(t *testing.T) {
			s := openTest(t, backend)
			writeOK(t, s, artA, articleA1())
			writeOK(t, s, artB, articleB())
			st, err := s.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := Stats{
				Quads:    len(articleA1()) + len(articleB()),
				Articles: 2,
				// Pakistan is typed by both articles: one entity
				Entities: map[string]int{"Country": 2, "Event": 1},
				// a triple both articles state counts once
				Facts: map[string]int{
					"contentHash":   2,
					"datePublished": 1,
					"name":          3, // Pakistan, Iran, the talks
					"invitedTo":     1,
					"mentions":      1,
					"warned":        1,
				},
			}
			if !reflect.DeepEqual(st, want) {
				t.Errorf("Stats() =\n  %+v\nwant\n  %+v", st, want)
			}

			// a cancelled context stops it
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			if _, err := s.Stats(cctx); !errors.Is(err, context.Canceled) {
				t.Errorf("Stats with a cancelled context: err = %v, want context.Canceled", err)
			}
		})
	}
}

// openWithin opens a bolt store in a goroutine and fails the test if
// that does not return within d, rather than hang on the file lock.
func openWithin(t *testing.T, d time.Duration, dir string, opt Options) (*Store, error) {
	t.Helper()
	type result struct {
		s   *Store
		err error
	}
	ch := make(chan result, 1)
	go func() {
		s, err := Open("bolt", dir, opt)
		ch <- result{s, err}
	}()
	select {
	case r := <-ch:
		return r.s, r.err
	case <-time.After(d):
		t.Fatalf("Open(bolt, %s) still waiting after %v: it blocks on the lock instead of failing", dir, d)
		return nil, nil
	}
}

func TestBoltLockedInProcess(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	first, err := Open("bolt", dir, Options{NoBloom: true})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	writeOK(t, first, artA, articleA1())

	// flock locks belong to an open file description, so a second open
	// in this very process conflicts with the first.
	for _, ro := range []bool{false, true} {
		s, err := openWithin(t, 20*time.Second, dir, Options{ReadOnly: ro, NoBloom: true})
		if err == nil {
			s.Close()
			t.Fatalf("second Open (read-only %v) of a bolt store held open succeeded", ro)
		}
		if !errors.Is(err, ErrLocked) {
			t.Errorf("second Open (read-only %v): error %v does not wrap ErrLocked", ro, err)
		}
		if !strings.Contains(err.Error(), dir) {
			t.Errorf("lock error %q does not name the store %s", err, dir)
		}
	}
	// the first store is unharmed and, once closed, frees the lock
	sameLines(t, "first store", contents(t, first), union(articleA1()))
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := openWithin(t, 20*time.Second, dir, Options{NoBloom: true})
	if err != nil {
		t.Fatalf("Open after the holder closed: %v", err)
	}
	defer s.Close()
	sameLines(t, "reopened store", contents(t, s), union(articleA1()))
}

// TestHelperHoldStore is not a test: TestBoltLockedByOtherProcess runs
// the test binary with it to hold a store open in another process.
func TestHelperHoldStore(t *testing.T) {
	dir := os.Getenv("NEWSGRAPH_TEST_HOLD_STORE")
	if dir == "" {
		t.Skip("helper process only")
	}
	s, err := Open("bolt", dir, Options{NoBloom: true})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	fmt.Println("holding")
	io.Copy(io.Discard, os.Stdin) // until the parent closes our stdin
	s.Close()
	os.Exit(0)
}

func TestBoltLockedByOtherProcess(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	s, err := Open("bolt", dir, Options{NoBloom: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperHoldStore$", "-test.count=1")
	cmd.Env = append(os.Environ(), "NEWSGRAPH_TEST_HOLD_STORE="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release := func() {
		once.Do(func() {
			stdin.Close()
			cmd.Wait()
		})
	}
	defer release()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "holding" {
		t.Fatalf("helper process did not open the store: %q, %v", line, err)
	}

	_, err = openWithin(t, 20*time.Second, dir, Options{NoBloom: true})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("Open of a store another process holds: err = %v, want ErrLocked", err)
	}
	release()
	s, err = openWithin(t, 20*time.Second, dir, Options{NoBloom: true})
	if err != nil {
		t.Fatalf("Open after the other process ended: %v", err)
	}
	s.Close()
}

// seedStore returns a bolt store holding the seed article, extracted by
// the real extractor, and the article's IRI.
func seedStore(t *testing.T) (*Store, quad.IRI) {
	t.Helper()
	s := openTest(t, "bolt")
	a := seedArticle(t)
	res := writeOK(t, s, a.IRI(), a.Quads())
	if res.Added == 0 {
		t.Fatalf("seed article wrote nothing: %+v", res)
	}
	return s, a.IRI()
}

var extractor = sync.OnceValues(ingest.NewExtractor)

func seedArticle(t *testing.T) *ingest.Article {
	t.Helper()
	x, err := extractor()
	if err != nil {
		t.Fatalf("NewExtractor: %v", err)
	}
	text, err := os.ReadFile(seedFile)
	if err != nil {
		t.Fatal(err)
	}
	return x.Extract(ingest.Document{
		Source:    seedFile,
		ID:        "seed",
		Text:      string(text),
		Published: time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC),
	})
}

// resultStrings flattens query results to their string values: plain
// values, and every value of maps and lists, at any depth. The results go
// through JSON first, as the CLI and the HTTP API print them.
func resultStrings(res []interface{}) []string {
	b, err := json.Marshal(res)
	if err != nil {
		return []string{"json error: " + err.Error()}
	}
	var v interface{}
	if err := json.Unmarshal(b, &v); err != nil {
		return []string{"json error: " + err.Error()}
	}
	var out []string
	var walk func(v interface{})
	walk = func(v interface{}) {
		switch v := v.(type) {
		case map[string]interface{}:
			for _, x := range v {
				walk(x)
			}
		case []interface{}:
			for _, x := range v {
				walk(x)
			}
		case string:
			out = append(out, v)
		default:
			out = append(out, fmt.Sprint(v))
		}
	}
	walk(v)
	return out
}

func containsAll(have []string, want ...string) bool {
	set := map[string]bool{}
	for _, h := range have {
		set[h] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}

// invitedCountries names the countries invited to anything.
const invitedCountries = `g.V().has("<rdf:type>", "<ng:Country>").tag("c").out("<ng:invitedTo>").back("c").out("<schema:name>").all()`

func TestQuerySeed(t *testing.T) {
	s, _ := seedStore(t)
	ctx := context.Background()
	tests := []struct {
		name, lang, query string
		opt               QueryOptions
		want              []string // among the result strings
		wantN             int      // exact number of results when > 0
		wantErr           string
	}{
		{name: "gizmo invited countries", lang: "gizmo", query: invitedCountries,
			want: []string{"Pakistan", "United Arab Emirates", "Saudi Arabia", "Qatar", "Egypt", "Oman"}},
		{name: "gizmo with full IRIs", lang: "gizmo",
			query: `g.V().has("<` + string(schema.Type) + `>", "<` + string(schema.Country.IRI()) + `>").tag("c").out("<` + string(schema.InvitedTo.IRI()) + `>").back("c").out("<` + string(schema.Name) + `>").all()`,
			want:  []string{"Pakistan", "United Arab Emirates"}},
		{name: "gizmo by name", lang: "gizmo",
			query: `g.V("Pakistan").in("<schema:name>").out("<ng:invitedTo>").out("<schema:name>").all()`,
			want:  []string{"Iran-US talks in Istanbul"}},
		{name: "gizmo limit", lang: "gizmo", query: invitedCountries, opt: QueryOptions{Limit: 2}, wantN: 2},
		{name: "graphql countries", lang: "graphql",
			query: `{ nodes(<rdf:type>: <ng:Country>) { id <schema:name> } }`,
			want:  []string{"Pakistan", "United Arab Emirates", "Iran", "United States"}},
		{name: "mql countries", lang: "mql",
			query: `[{"id": null, "<rdf:type>": "<ng:Country>", "<schema:name>": null}]`,
			want:  []string{"Pakistan", "United Arab Emirates"}},
		{name: "unknown language", lang: "sparql", query: "SELECT * WHERE {}", wantErr: `unknown language "sparql"`},
		{name: "gizmo syntax error", lang: "gizmo", query: `g.V(.all(`, wantErr: "SyntaxError"},
		{name: "gizmo runtime error", lang: "gizmo", query: `g.V().nosuchstep()`, wantErr: "query"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Query(ctx, tc.lang, tc.query, tc.opt)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("Query succeeded with %v, want an error", res)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error %q does not say %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			got := resultStrings(res)
			for _, w := range tc.want {
				if !containsAll(got, w) {
					t.Errorf("results lack %q: %v", w, got)
				}
			}
			if tc.wantN > 0 && len(res) != tc.wantN {
				t.Errorf("got %d results, want %d: %v", len(res), tc.wantN, res)
			}
			if len(res) == 0 {
				t.Errorf("no results")
			}
		})
	}
}

func TestQueryTimeout(t *testing.T) {
	s := openTest(t, "memstore")
	writeOK(t, s, artA, articleA1())
	tests := []struct{ name, lang, query string }{
		{"infinite loop", "gizmo", `while (true) {}`},
		{"infinite loop after a step", "gizmo", `var n = g.V().toArray(); for (;;) { n.length++ }`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := s.Query(context.Background(), tc.lang, tc.query, QueryOptions{Timeout: 200 * time.Millisecond})
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil {
					t.Fatalf("an endless query returned no error")
				}
			case <-time.After(20 * time.Second):
				t.Fatalf("an endless query with a 200ms timeout has not returned after 20s")
			}
		})
	}
}

func TestExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, seed := seedStore(t)
	// awkward values the extractor may not produce, in their own article
	odd := schema.ArticleIRI("odd")
	oddQuads := labelled(odd,
		triple{odd, schema.Type, schema.Article.IRI()},
		triple{odd, schema.Text.IRI(), quad.String("quote \" backslash \\ newline \n cr \r tab \t ctl \x01 del \x7f end")},
		triple{odd, schema.Name, quad.String("Türkiye – “curly” 🙂")},
		triple{odd, schema.AlternateName, quad.LangString{Value: "Turquie", Lang: "fr"}},
		triple{odd, schema.About.IRI(), quad.TypedString{Value: "x", Type: "http://example.org/type#custom"}},
		triple{odd, schema.Date.IRI(), xsdDate("2026-02-06")},
		triple{odd, schema.URL, quad.IRI("file:///tmp/a b/c<d>.txt")},
		triple{odd, schema.Mentions.IRI(), quad.BNode("b1")},
	)
	writeOK(t, s, odd, oddQuads)
	orig := contents(t, s)

	var first bytes.Buffer
	n, err := s.Export(ctx, &first, "nquads", "")
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	if n != len(orig) {
		t.Errorf("Export reported %d quads, the store holds %d", n, len(orig))
	}
	out := first.String()
	if !strings.Contains(out, `"2026-02-03"^^<http://www.w3.org/2001/XMLSchema#date>`) {
		t.Errorf("export lacks the publication date typed with the full xsd:date IRI")
	}
	if strings.Contains(out, "^^<xsd:") || strings.Contains(out, "^^xsd:") {
		t.Errorf("export has a compact datatype IRI")
	}
	for i, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if !strings.HasSuffix(l, " .") {
			t.Errorf("line %d is not a quad: %q", i+1, l)
		}
	}
	if !sort.StringsAreSorted(strings.Split(strings.TrimSuffix(out, "\n"), "\n")) {
		t.Errorf("export is not sorted")
	}

	parsed, err := quad.ReadAll(nquads.NewReader(strings.NewReader(out), false))
	if err != nil {
		t.Fatalf("parse the export: %v", err)
	}
	// Cayley's reader keeps the \u escapes of IRIs; `newsgraph load`
	// decodes them with UnescapeIRIs.
	for i := range parsed {
		parsed[i] = UnescapeIRIs(parsed[i])
	}
	if len(parsed) != len(orig) {
		t.Errorf("parsed %d quads from the export, the store holds %d", len(parsed), len(orig))
	}
	sameLines(t, "quads parsed back from the export", lines(parsed), orig)
	for _, q := range parsed {
		if q.Label == nil {
			t.Errorf("parsed quad without a label: %v", q)
		}
	}

	s2 := openTest(t, "bolt")
	if err := s2.AddQuads(parsed); err != nil {
		t.Fatalf("AddQuads: %v", err)
	}
	sameLines(t, "store loaded from the export", contents(t, s2), orig)
	var second bytes.Buffer
	if _, err := s2.Export(ctx, &second, "nquads", ""); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Errorf("export of the reloaded store differs from the first export:\n%s", firstDiff(first.String(), second.String()))
	}
	// loading the same quads again changes nothing
	if err := s2.AddQuads(parsed); err != nil {
		t.Fatalf("AddQuads again: %v", err)
	}
	sameLines(t, "store after loading twice", contents(t, s2), orig)

	// the loaded store answers like the original
	res, err := s2.Query(ctx, "gizmo", invitedCountries, QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := resultStrings(res); !containsAll(got, "Pakistan", "United Arab Emirates") {
		t.Errorf("reloaded store: invited countries %v lack Pakistan or the UAE", got)
	}

	// one article's export holds exactly its quads
	var one bytes.Buffer
	n, err = s.Export(ctx, &one, "nquads", seed)
	if err != nil {
		t.Fatal(err)
	}
	seedQuads, err := s.ArticleQuads(ctx, seed)
	if err != nil {
		t.Fatal(err)
	}
	oneParsed, err := quad.ReadAll(nquads.NewReader(&one, false))
	if err != nil {
		t.Fatal(err)
	}
	if n != len(seedQuads) || len(oneParsed) != len(seedQuads) {
		t.Errorf("article export: %d quads reported, %d parsed, article has %d", n, len(oneParsed), len(seedQuads))
	}
	for _, q := range oneParsed {
		if q.Label != seed {
			t.Errorf("article export holds a quad of %v", q.Label)
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  first:  %s\n  second: %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(al), len(bl))
}

func TestExportFormats(t *testing.T) {
	ctx := context.Background()
	s, seed := seedStore(t)
	tests := []struct {
		name, format string
		article      quad.IRI
		wantErr      string
		check        func(t *testing.T, out []byte)
	}{
		{name: "nquads", format: "nquads", check: checkNQuads},
		{name: "nq alias", format: "nq", check: checkNQuads},
		{name: "default format", format: "", check: checkNQuads},
		{name: "jsonld", format: "jsonld", check: checkJSON},
		{name: "json-ld alias", format: "json-ld", check: checkJSON},
		{name: "jsonld of one article", format: "jsonld", article: seed, check: checkJSON},
		{name: "unknown format", format: "rdfxml", wantErr: `unknown format "rdfxml"`},
		{name: "missing article", format: "nquads", article: artC, wantErr: "no article"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			n, err := s.Export(ctx, &buf, tc.format, tc.article)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Export error = %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Export: %v", err)
			}
			if n == 0 || buf.Len() == 0 {
				t.Fatalf("Export wrote %d quads, %d bytes", n, buf.Len())
			}
			tc.check(t, buf.Bytes())
		})
	}
}

func checkNQuads(t *testing.T, out []byte) {
	t.Helper()
	qs, err := quad.ReadAll(nquads.NewReader(bytes.NewReader(out), false))
	if err != nil || len(qs) == 0 {
		t.Errorf("export does not parse as N-Quads: %d quads, %v", len(qs), err)
	}
}

func checkJSON(t *testing.T, out []byte) {
	t.Helper()
	var v map[string]interface{}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("JSON-LD export is not JSON: %v\n%.300s", err, out)
	}
	if _, ok := v["@context"]; !ok {
		t.Errorf("JSON-LD export has no @context")
	}
	if !bytes.Contains(out, []byte("Pakistan")) {
		t.Errorf("JSON-LD export does not mention Pakistan")
	}
}

func TestNQuadEscapes(t *testing.T) {
	tests := []struct {
		name string
		q    quad.Quad
		want string
	}{
		{"plain", quad.Quad{Subject: quad.IRI("http://x/s"), Predicate: quad.IRI("http://x/p"), Object: quad.String("o")},
			`<http://x/s> <http://x/p> "o" .`},
		{"label", quad.Quad{Subject: quad.IRI("http://x/s"), Predicate: quad.IRI("http://x/p"), Object: quad.IRI("http://x/o"), Label: quad.IRI("http://x/l")},
			`<http://x/s> <http://x/p> <http://x/o> <http://x/l> .`},
		{"literal escapes", quad.Quad{Subject: quad.IRI("http://x/s"), Predicate: quad.IRI("http://x/p"), Object: quad.String("a\"b\\c\nd\re\tf\x00g\x7f")},
			`<http://x/s> <http://x/p> "a\"b\\c\nd\re\tf\u0000g\u007F" .`},
		{"iri escapes", quad.Quad{Subject: quad.IRI("http://x/a b<c>"), Predicate: quad.IRI("http://x/p"), Object: quad.String("o")},
			`<http://x/a\u0020b\u003Cc\u003E> <http://x/p> "o" .`},
		{"typed compact", quad.Quad{Subject: quad.IRI("http://x/s"), Predicate: quad.IRI("http://x/p"), Object: quad.TypedString{Value: "2026-02-03", Type: "xsd:date"}},
			`<http://x/s> <http://x/p> "2026-02-03"^^<http://www.w3.org/2001/XMLSchema#date> .`},
		{"lang", quad.Quad{Subject: quad.BNode("b"), Predicate: quad.IRI("http://x/p"), Object: quad.LangString{Value: "x", Lang: "en"}},
			`_:b <http://x/p> "x"@en .`},
		{"int", quad.Quad{Subject: quad.IRI("http://x/s"), Predicate: quad.IRI("http://x/p"), Object: quad.Int(42)},
			`<http://x/s> <http://x/p> "42"^^<http://www.w3.org/2001/XMLSchema#integer> .`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := NQuad(tc.q)
			if got != tc.want {
				t.Errorf("NQuad = %s\n        want %s", got, tc.want)
			}
			// and it parses back to the same quad
			back, err := nquads.NewReader(strings.NewReader(got+"\n"), false).ReadQuad()
			if err != nil {
				t.Fatalf("parse %s: %v", got, err)
			}
			if NQuad(UnescapeIRIs(back)) != got {
				t.Errorf("reparsed quad prints as %s", NQuad(back))
			}
		})
	}
}

func TestUnescapeIRIs(t *testing.T) {
	tests := []struct {
		name string
		in   quad.Value
		want quad.Value
	}{
		{"plain IRI", quad.IRI("http://x/a"), quad.IRI("http://x/a")},
		{"space and brackets", quad.IRI(`http://x/a\u0020b\u003Cc\u003E`), quad.IRI("http://x/a b<c>")},
		{"backslash", quad.IRI(`http://x/a\u005Cb`), quad.IRI(`http://x/a\b`)},
		{"long escape", quad.IRI(`http://x/\U0001F642`), quad.IRI("http://x/🙂")},
		{"lower-case hex", quad.IRI(`http://x/\u007c`), quad.IRI("http://x/|")},
		{"not an escape", quad.IRI(`http://x/\uZZZZ`), quad.IRI(`http://x/\uZZZZ`)},
		{"truncated escape", quad.IRI(`http://x/\u00`), quad.IRI(`http://x/\u00`)},
		{"trailing backslash", quad.IRI(`http://x/\`), quad.IRI(`http://x/\`)},
		{"literal untouched", quad.String(`a\u0020b`), quad.String(`a\u0020b`)},
		{"typed literal's type", quad.TypedString{Value: `v\u0020`, Type: `http://x/t\u0020y`},
			quad.TypedString{Value: `v\u0020`, Type: "http://x/t y"}},
		{"bnode untouched", quad.BNode("b1"), quad.BNode("b1")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, dir := range []quad.Direction{quad.Subject, quad.Predicate, quad.Object, quad.Label} {
				q := quad.Quad{Subject: quad.IRI("http://x/s"), Predicate: quad.IRI("http://x/p"), Object: quad.String("o"), Label: quad.IRI("http://x/l")}
				want := q
				q.Set(dir, tc.in)
				want.Set(dir, tc.want)
				if got := UnescapeIRIs(q); got != want {
					t.Errorf("%v: UnescapeIRIs(%v) = %v, want %v", dir, q, got, want)
				}
			}
		})
	}
	// a nil label stays nil
	q := quad.Quad{Subject: quad.IRI("http://x/s"), Predicate: quad.IRI("http://x/p"), Object: quad.String("o")}
	if got := UnescapeIRIs(q); got != q {
		t.Errorf("UnescapeIRIs(%v) = %v", q, got)
	}
}
