package graph

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

// labelScan says how the store finds the quads of one label: by an index
// or by reading every quad.
func labelScan(t *testing.T, s *Store, label quad.IRI) string {
	t.Helper()
	ref, err := s.ref(label)
	if err != nil || ref == nil {
		t.Fatalf("ref %s: %v %v", label, ref, err)
	}
	return fmt.Sprint(s.qs.QuadIterator(quad.Label, ref))
}

func TestBoltLabelIndex(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, "bolt")
	writeOK(t, s, artA, articleA1())
	writeOK(t, s, artB, articleB())
	if got := labelScan(t, s, artA); !strings.Contains(got, "KVQuads") || !strings.Contains(got, "label") {
		t.Errorf("a new bolt store finds an article's quads with %s, want its label index", got)
	}
	got, err := s.ArticleQuads(ctx, artA)
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "ArticleQuads(A)", lines(got), lines(articleA1()))
	// replacing and deleting go through the same index
	writeOK(t, s, artA, articleA2())
	got, _ = s.ArticleQuads(ctx, artA)
	sameLines(t, "ArticleQuads(A) after rewrite", lines(got), lines(articleA2()))
	if n, err := s.DeleteArticle(ctx, artA); err != nil || n != len(articleA2()) {
		t.Fatalf("DeleteArticle(A) = %d, %v; want %d", n, err, len(articleA2()))
	}
	sameLines(t, "store after deleting A", contents(t, s), union(articleB()))
}

// A store that Cayley's own bolt backend made (or a newsgraph before the
// label index) has no label index: it is still read and written whole.
func TestBoltWithoutLabelIndex(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "db")
	if err := graph.InitQuadStore("bolt", dir, nil); err != nil {
		t.Fatal(err)
	}
	s, err := Open("bolt", dir, Options{NoBloom: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	writeOK(t, s, artA, articleA1())
	writeOK(t, s, artB, articleB())
	if got := labelScan(t, s, artA); strings.Contains(got, "label") {
		t.Errorf("a store without a label index scans with %s", got)
	}
	writeOK(t, s, artA, articleA2())
	if _, err := s.DeleteArticle(ctx, artB); err != nil {
		t.Fatal(err)
	}
	sameLines(t, "store", contents(t, s), union(articleA2()))
}

// Cayley's own backends (bolt, leveldb), and so the cayley tool, read a
// newsgraph store as it is, label index and all, and keep the index up to
// date when they write.
func TestReadByCayley(t *testing.T) {
	for _, backend := range []string{"bolt", "leveldb"} {
		dir := filepath.Join(t.TempDir(), "db")
		s, err := Open(backend, dir, Options{NoBloom: true})
		if err != nil {
			t.Fatal(err)
		}
		writeOK(t, s, artA, articleA1())
		writeOK(t, s, artB, articleB())
		want := contents(t, s)
		if got := labelScan(t, s, artA); !strings.Contains(got, "KVQuads") || !strings.Contains(got, "label") {
			t.Errorf("a new %s store finds an article's quads with %s, want its label index", backend, got)
		}
		s.Close()
		qs, err := graph.NewQuadStore(backend, dir, graph.Options{"no_bloom": true})
		if err != nil {
			t.Fatalf("Cayley's %s backend: %v", backend, err)
		}
		up := &Store{qs: qs, backend: backend, path: dir}
		sameLines(t, "quads read by Cayley's "+backend+" backend", contents(t, up), want)
		if _, err := up.DeleteArticle(context.Background(), artA); err != nil {
			t.Fatal(err)
		}
		qs.Close()
		s, err = Open(backend, dir, Options{NoBloom: true})
		if err != nil {
			t.Fatal(err)
		}
		if s.kv == nil {
			t.Errorf("the %s store keeps no key-value store", backend)
		}
		sameLines(t, backend+" store after Cayley deleted A", contents(t, s), union(articleB()))
		if got, _ := s.ArticleQuads(context.Background(), artA); len(got) != 0 {
			t.Errorf("%s: ArticleQuads(A) after Cayley deleted it = %v", backend, got)
		}
		s.Close()
	}
}

// A query sees what was written after an earlier query filled the cache.
func TestBoltReadCacheSeesWrites(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, "bolt")
	writeOK(t, s, artA, articleA1())
	q := fmt.Sprintf(`g.V("%s").in().all()`, pakistan)
	before, err := s.Query(ctx, "gizmo", q, QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	writeOK(t, s, artB, articleB())
	after, err := s.Query(ctx, "gizmo", q, QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(after) <= len(before) {
		t.Errorf("query after a write: %d results, before it %d; want more", len(after), len(before))
	}
	if _, err := s.DeleteArticle(ctx, artB); err != nil {
		t.Fatal(err)
	}
	again, err := s.Query(ctx, "gizmo", q, QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(before) {
		t.Errorf("query after deleting B: %d results, want %d", len(again), len(before))
	}
}

func TestReadCache(t *testing.T) {
	c := newReadCache(100)
	g := c.generation()
	c.put(g, 1, []byte("1"))
	if v, ok := c.get(g, 1); !ok || string(v) != "1" {
		t.Fatalf("get(a) = %q, %v", v, ok)
	}
	// a reader beginning while a write is open does not use the cache
	c.beginWrite()
	if gw := c.generation(); gw != noCache {
		t.Errorf("generation during a write = %d, want noCache", gw)
	}
	c.put(c.generation(), 5, []byte("5"))
	if _, ok := c.get(c.generation(), 5); ok {
		t.Error("a reader that began during a write used the cache")
	}
	// a reader older than a write neither reads nor fills the cache after it
	c.endWrite()
	if _, ok := c.get(g, 1); ok {
		t.Error("a reader of an older generation hit the cache")
	}
	c.put(g, 2, []byte("2"))
	g2 := c.generation()
	if _, ok := c.get(g2, 2); ok {
		t.Error("a reader of an older generation filled the cache")
	}
	if _, ok := c.get(g2, 1); ok {
		t.Error("a commit left an entry in the cache")
	}
	// bounded: old entries go, recent ones stay
	for i := 0; i < 100; i++ {
		c.put(g2, uint64(100+i), []byte("x"))
	}
	if _, ok := c.get(g2, 100); ok {
		t.Error("the first of 100 entries is still cached in a cache of 100 bytes")
	}
	if _, ok := c.get(g2, 199); !ok {
		t.Error("the last entry is not cached")
	}
	if n := len(c.young) + len(c.old); n > 10 {
		t.Errorf("cache of 100 bytes holds %d entries", n)
	}
	// values are copies: the caller's buffer may be reused
	buf := []byte("abc")
	c.put(g2, 3, buf)
	buf[0] = 'X'
	if v, _ := c.get(g2, 3); string(v) != "abc" {
		t.Errorf("cached value changed with the caller's buffer: %q", v)
	}
}

// Dropping the mapped pages while a writer and a reader work loses
// nothing and crashes nothing: the mapping of a store opened for writing
// does not move.
func TestReleaseMappedWhileWriting(t *testing.T) {
	ctx := context.Background()
	s, err := Open("bolt", filepath.Join(t.TempDir(), "db"), Options{NoBloom: true, ReleaseEvery: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var want []quad.Quad
	done := make(chan error)
	go func() {
		// a reader alongside the writer
		for i := 0; i < 200; i++ {
			if _, err := s.Query(ctx, "gizmo", `g.V().limit(50).all()`, QueryOptions{}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for i := 0; i < 300; i++ {
		art := quad.IRI(fmt.Sprintf("https://newsgraph.dev/id/article/release-%d", i))
		qs := []quad.Quad{
			quad.MakeIRI(string(art), "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "https://newsgraph.dev/ns#Article", string(art)),
			{Subject: quad.IRI(fmt.Sprintf("https://newsgraph.dev/id/person/P%d", i)), Predicate: quad.IRI("http://schema.org/name"), Object: quad.String(strings.Repeat("name ", i%50) + fmt.Sprint(i)), Label: art},
		}
		writeOK(t, s, art, qs)
		want = append(want, qs...)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	sameLines(t, "store", contents(t, s), lines(want))
}

// linkFast on a bolt store reads subjects off the index keys; it must
// answer as LinkEntity, which reads the quads, also after deletes.
func TestLinkFastMatchesLinkEntity(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, "bolt")
	x := schema.EntityIRI(schema.Person, "Ana Lopez")
	y := schema.EntityIRI(schema.Person, "Ana Lopez Ruiz") // sorts after x
	art := func(a quad.IRI, who quad.IRI) []quad.Quad {
		return labelled(a,
			triple{a, schema.Type, schema.Article.IRI()},
			triple{who, schema.Type, schema.Person.IRI()},
			triple{who, schema.Name, quad.String("Ana Lopez")},
			triple{who, schema.NameKey.IRI(), quad.String("person:nlpz")},
		)
	}
	check := func(when string) {
		t.Helper()
		want, wantName, err := s.LinkEntity(ctx, "person:nlpz")
		if err != nil {
			t.Fatal(err)
		}
		got, gotName, err := s.linkFast(ctx, "person:nlpz")
		if err != nil {
			t.Fatal(err)
		}
		if got != want || gotName != wantName {
			t.Errorf("%s: linkFast = %s %q, LinkEntity = %s %q", when, got, gotName, want, wantName)
		}
	}
	check("empty store")
	writeOK(t, s, artA, art(artA, y))
	writeOK(t, s, artB, art(artB, y))
	writeOK(t, s, artC, art(artC, x))
	// x lives on under another key once C is gone
	artD := schema.ArticleIRI("test-d")
	writeOK(t, s, artD, labelled(artD,
		triple{artD, schema.Type, schema.Article.IRI()},
		triple{x, schema.Type, schema.Person.IRI()},
		triple{x, schema.NameKey.IRI(), quad.String("person:other")},
	))
	check("four articles")
	for _, a := range []quad.IRI{artC, artA, artB} {
		if _, err := s.DeleteArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		check("after deleting " + string(a))
	}
	if got, _, _ := s.linkFast(ctx, "person:nlpz"); got != "" {
		t.Errorf("linkFast after every article is gone = %s", got)
	}
}

// Closing the store right after a query that stopped at its limit, while
// Cayley may still be closing the query's iterators, must not deadlock
// (bbolt's Close and a reader's rollback each wait for a lock the other
// holds).
func TestBoltCloseAfterLimitedQuery(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	s, err := Open("bolt", dir, Options{NoBloom: true})
	if err != nil {
		t.Fatal(err)
	}
	a := seedArticle(t)
	writeOK(t, s, a.IRI(), a.Quads())
	s.Close()
	done := make(chan error)
	go func() {
		for i := 0; i < 30; i++ {
			s, err := Open("bolt", dir, Options{ReadOnly: true})
			if err != nil {
				done <- err
				return
			}
			q := `g.V().has("<rdf:type>", "<ng:Country>").out("<schema:name>").all()`
			if _, err := s.Query(context.Background(), "gizmo", q, QueryOptions{Limit: 2}); err != nil {
				done <- err
				return
			}
			if err := s.Close(); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("open, limited query, close: stuck (deadlock)")
	}
}
