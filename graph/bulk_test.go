package graph

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"

	"github.com/newsgraph/newsgraph/ingest"
)

func openBulk(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open("bolt", dir, Options{NoBloom: true, Bulk: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestBulkSameGraph writes the batch documents, which replace one article
// and repeat another, through a bulk build: the build ends at the
// replaced article and the graph is the one writing article by article
// gives.
func TestBulkSameGraph(t *testing.T) {
	x, err := extractor()
	if err != nil {
		t.Fatal(err)
	}
	docs := batchDocs(t)
	ref := openTest(t, "bolt")
	writeOneByOne(t, ref, x, docs)
	want := contents(t, ref)
	for _, batch := range []int{1, 3, 100} {
		st := openBulk(t, filepath.Join(t.TempDir(), "db"))
		if !st.Building() {
			t.Fatal("a new store opened with Bulk is not building")
		}
		writeBatchDocs(t, st, x, docs, batch)
		if st.Building() {
			t.Errorf("batch %d: still building after an article was replaced", batch)
		}
		sameLines(t, fmt.Sprintf("batch %d", batch), contents(t, st), want)
	}
}

// TestBulkSameStore compares, key by key, a store built in bulk with one
// written transaction by transaction: the same nodes with the same
// reference counts, the same quads, the same index entries (ids put back
// into values), the same counters; then both take more articles the usual
// way and stay the same. With a tiny buffer the build merges many runs.
func TestBulkSameStore(t *testing.T) {
	x, err := extractor()
	if err != nil {
		t.Fatal(err)
	}
	docs := batchDocs(t)[:16] // no article twice
	more := []ingest.Document{batchDocs(t)[16]}
	ctx := context.Background()
	for _, buffer := range []int{bulkBuffer, 50} {
		t.Run(fmt.Sprint(buffer), func(t *testing.T) {
			refDir := filepath.Join(t.TempDir(), "ref")
			ref, err := Open("bolt", refDir, Options{NoBloom: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ref.EnsureOntology(ctx); err != nil {
				t.Fatal(err)
			}
			writeBatched(t, ref.NewArticleWriter(0), x, docs, 5)
			ref.Close()

			dir := filepath.Join(t.TempDir(), "db")
			st, err := Open("bolt", dir, Options{NoBloom: true, Bulk: true})
			if err != nil {
				t.Fatal(err)
			}
			st.bulk.limit = buffer
			if _, err := st.EnsureOntology(ctx); err != nil {
				t.Fatal(err)
			}
			writeBatched(t, st.NewArticleWriter(0), x, docs, 5)
			runs := len(st.bulk.runs)
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			if buffer == 50 && runs < 3 {
				t.Errorf("%d runs spilled with a buffer of 50 entries", runs)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 1 {
				t.Errorf("files left in the store: %v", left)
			}
			sameLines(t, "bulk store, key by key", kvDump(t, dir), kvDump(t, refDir))

			for _, d := range []string{refDir, dir} {
				s, err := Open("bolt", d, Options{NoBloom: true, Bulk: true})
				if err != nil {
					t.Fatal(err)
				}
				if s.Building() {
					t.Errorf("%s: a store that holds articles is built in bulk", d)
				}
				writeBatched(t, s.NewArticleWriter(0), x, more, 5)
				s.Close()
			}
			sameLines(t, "bulk store after a replacement, key by key", kvDump(t, dir), kvDump(t, refDir))
		})
	}
}

// kvDump lists what a bolt store holds in Cayley's format, with node ids
// put back into values, so that stores whose ids differ compare.
func kvDump(t *testing.T, dir string) []string {
	t.Helper()
	db, err := bolt.Open(boltFile(dir), 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []string
	err = db.View(func(tx *bolt.Tx) error {
		prims := map[uint64]*cproto.Primitive{}
		err := tx.Bucket([]byte("log")).ForEach(func(k, v []byte) error {
			p := &cproto.Primitive{}
			if err := proto.Unmarshal(v, p); err != nil {
				return err
			}
			if binary.BigEndian.Uint64(k) != p.ID {
				return fmt.Errorf("log key %x holds id %d", k, p.ID)
			}
			prims[p.ID] = p
			return nil
		})
		if err != nil {
			return err
		}
		value := func(id uint64) string {
			if id == 0 {
				return "-"
			}
			p := prims[id]
			if p == nil || !p.IsNode() {
				return "?" // a node gone with its last quad
			}
			v, err := pquads.UnmarshalValue(p.Value)
			if err != nil {
				return "?" + err.Error()
			}
			return quad.StringOf(v)
		}
		quadOf := func(id uint64) string {
			p := prims[id]
			if p == nil || p.IsNode() {
				return fmt.Sprintf("?quad %d", id)
			}
			del := ""
			if p.Deleted {
				del = " deleted"
			}
			return fmt.Sprintf("%s %s %s %s%s", value(p.Subject), value(p.Predicate), value(p.Object), value(p.Label), del)
		}
		for id, p := range prims {
			if p.IsNode() {
				out = append(out, "logged node "+value(id))
			} else {
				out = append(out, "quad "+quadOf(id))
			}
		}
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			switch {
			case string(name) == "meta":
				for _, k := range []string{"size", "horizon", "version"} {
					out = append(out, fmt.Sprintf("%s %d", k, binary.LittleEndian.Uint64(b.Get([]byte(k)))))
				}
				out = append(out, fmt.Sprintf("indexes %s", b.Get([]byte("indexes"))))
				return nil
			case string(name) == "log":
				return nil
			case len(name) == 3 && (name[0] == 'v' || name[0] == 'n'):
				return b.ForEach(func(k, v []byte) error {
					if len(k) < 2 || k[0] != name[1] || k[1] != name[2] {
						out = append(out, fmt.Sprintf("hash %x in bucket %q", k, name))
					}
					x, _ := binary.Uvarint(v)
					if name[0] == 'n' {
						if vb := tx.Bucket([]byte{'v', name[1], name[2]}); vb == nil || vb.Get(k) == nil {
							out = append(out, fmt.Sprintf("refs %d of hash %x, which has no node", x, k))
						}
						return nil
					}
					p := prims[x]
					if p == nil || !p.IsNode() {
						out = append(out, fmt.Sprintf("hash %x of id %d, no node", k, x))
						return nil
					}
					val, err := pquads.UnmarshalValue(p.Value)
					if err != nil {
						return err
					}
					if h := quad.HashOf(val); string(h) != string(k) {
						out = append(out, fmt.Sprintf("node %s under hash %x, not %x", value(x), k, h))
					}
					out = append(out, fmt.Sprintf("node %s", value(x)))
					// the refs bucket, by the same hash
					r := tx.Bucket([]byte{'n', name[1], name[2]})
					var refs uint64
					if r != nil {
						refs, _ = binary.Uvarint(r.Get(k))
					}
					out = append(out, fmt.Sprintf("refs %s %d", value(x), refs))
					return nil
				})
			default:
				return b.ForEach(func(k, v []byte) error {
					ids, err := decodeIDs(v)
					if err != nil {
						return err
					}
					var key []string
					for i := 0; i+8 <= len(k); i += 8 {
						key = append(key, value(binary.BigEndian.Uint64(k[i:])))
					}
					var qs []string
					for _, id := range ids {
						qs = append(qs, quadOf(id))
					}
					out = append(out, fmt.Sprintf("index %s [%s] = %s", name, strings.Join(key, " "), strings.Join(qs, " | ")))
					return nil
				})
			}
		})
	})
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	sort.Strings(out)
	return out
}

// A build that did not end (the process died) leaves its file and runs;
// the next writable open drops them, and the store is still new.
func TestBulkLeftovers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	leave := func() {
		for _, f := range []string{bulkFile(dir), filepath.Join(dir, "bulk-run-123.tmp")} {
			if err := os.WriteFile(f, []byte("left by a crash"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	s, err := Open("bolt", dir, Options{NoBloom: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	leave()
	s, err = Open("bolt", dir, Options{NoBloom: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 1 {
		t.Errorf("after a writable open, the store's directory holds %v", left)
	}
	leave()
	st := openBulk(t, dir)
	if !st.Building() {
		t.Fatal("an empty store is not built in bulk")
	}
	if _, err := os.Stat(filepath.Join(dir, "bulk-run-123.tmp")); !os.IsNotExist(err) {
		t.Errorf("an old run is still there: %v", err)
	}
	writeOK(t, st, artA, articleA1())
	writeOK(t, st, artB, articleB())
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bulkFile(dir)); !os.IsNotExist(err) {
		t.Errorf("the build's file is still there: %v", err)
	}
	s, err = Open("bolt", dir, Options{NoBloom: true, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sameLines(t, "store built over leftovers", contents(t, s), union(articleA1(), articleB()))
}

// Nothing of a build is in the store before it ends; reading the store
// ends it, and Cayley's own bolt backend reads what it wrote.
func TestBulkLandsWhole(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	st := openBulk(t, dir)
	writeOK(t, st, artA, articleA1())
	writeOK(t, st, artB, articleB())
	db, err := bolt.Open(boltFile(dir), 0o600, &bolt.Options{ReadOnly: true, Timeout: 1})
	if err == nil {
		db.Close()
		t.Fatal("the store is not locked while it is built")
	}
	if empty, err := st.bulkEmpty(context.Background()); err != nil {
		t.Fatal(err)
	} else if !empty {
		t.Error("the store holds something before the build ends")
	}
	got := contents(t, st) // ends the build
	if st.Building() {
		t.Error("reading the store did not end the build")
	}
	want := union(articleA1(), articleB())
	sameLines(t, "store after the build", got, want)
	st.Close()
	qs, err := cgraph.NewQuadStore("bolt", dir, cgraph.Options{"no_bloom": true})
	if err != nil {
		t.Fatalf("Cayley's bolt backend: %v", err)
	}
	defer qs.Close()
	up := &Store{qs: qs, backend: "bolt", path: dir}
	sameLines(t, "bulk store read by Cayley's bolt backend", contents(t, up), want)
}

// A build that reaches its node limit ends, and the articles after go the
// usual way: the graph is the same.
func TestBulkFull(t *testing.T) {
	x, err := extractor()
	if err != nil {
		t.Fatal(err)
	}
	docs := batchDocs(t)[:16]
	ref := openTest(t, "bolt")
	writeBatched(t, ref.NewArticleWriter(0), x, docs, 3)
	st := openBulk(t, filepath.Join(t.TempDir(), "db"))
	st.bulk.maxNodes = 300
	outs, _ := writeBatched(t, st.NewArticleWriter(0), x, docs, 3)
	for _, o := range outs {
		if o.Err != nil {
			t.Errorf("%s: %v", o.Article, o.Err)
		}
	}
	if st.Building() {
		t.Error("still building past the node limit")
	}
	sameLines(t, "store past the node limit", contents(t, st), contents(t, ref))
}

// An article Cayley's log cannot hold (a name in invalid UTF-8, from a
// file name) is refused alone, before anything of it is written: the build
// goes on with the others.
func TestBulkRefusesBadArticle(t *testing.T) {
	ctx := context.Background()
	st := openBulk(t, filepath.Join(t.TempDir(), "db"))
	w := st.NewArticleWriter(0)
	bad := append(articleB(), quad.Quad{Subject: artB, Predicate: quad.IRI("http://schema.org/headline"), Object: quad.String("caf\xe9"), Label: artB})
	if _, err := w.Add(ctx, artB, bad, nil); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Fatalf("Add of an article with invalid UTF-8: %v", err)
	}
	if _, err := w.Add(ctx, artA, articleA1(), nil); err != nil {
		t.Fatal(err)
	}
	for _, o := range w.Flush(ctx) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
	}
	if !st.Building() {
		t.Fatal("the build ended")
	}
	sameLines(t, "store", contents(t, st), union(articleA1()))
}

// Unchanged counts each head quad once, as the store does.
func TestBulkUnchangedDuplicates(t *testing.T) {
	ctx := context.Background()
	st := openBulk(t, filepath.Join(t.TempDir(), "db"))
	writeOK(t, st, artA, articleA1())
	w := st.NewArticleWriter(0)
	again := append(articleA1(), articleA1()...)
	if same, err := w.Unchanged(ctx, artA, again); err != nil || !same {
		t.Errorf("Unchanged(A twice over) = %v, %v; want true", same, err)
	}
	if !st.Building() {
		t.Error("asking ended the build")
	}
}

// Stats of a key-value store, read from its log, are those of the
// quads read through Cayley, deleted quads, evidence and ontology and
// all.
func TestStatsFromLog(t *testing.T) {
	ctx := context.Background()
	x, err := extractor()
	if err != nil {
		t.Fatal(err)
	}
	docs := batchDocs(t)
	for _, backend := range []string{"bolt", "leveldb"} {
		st := openTest(t, backend)
		if _, err := st.EnsureOntology(ctx); err != nil {
			t.Fatal(err)
		}
		writeBatched(t, st.NewArticleWriter(0), x, docs, 5)
		kqs, ok := st.kvIndexes()
		if !ok || st.kv == nil {
			t.Fatalf("%s: not read from the log", backend)
		}
		got, err := st.statsFromLog(ctx, kqs)
		if err != nil {
			t.Fatal(err)
		}
		want, err := st.statsFromQuads(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want.Quads == 0 || want.Evidence == 0 || want.Ontology == 0 || len(want.Facts) == 0 {
			t.Fatalf("%s: a store with little to count: %+v", backend, want)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: stats from the log\n%+v\nwant\n%+v", backend, got, want)
		}
	}
}

func TestValidUTF8(t *testing.T) {
	for _, c := range []struct {
		v    quad.Value
		want bool
	}{
		{quad.IRI("http://x/caf\u00e9"), true},
		{quad.IRI("http://x/caf\xe9"), false},
		{quad.String("caf\xe9"), false},
		{quad.TypedString{Value: "2026-02-03", Type: "http://www.w3.org/2001/XMLSchema#date"}, true},
		{quad.TypedString{Value: "x", Type: "http://x/t\xff"}, false},
		{quad.LangString{Value: "caf\xe9", Lang: "fr"}, false},
		{quad.BNode("b\xe9"), false},
		{quad.BNode("b1"), true},
	} {
		if got := validUTF8(c.v); got != c.want {
			t.Errorf("validUTF8(%q) = %v, want %v", c.v, got, c.want)
		}
	}
}
