package graph

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

// bulkyArticle returns an article of n quads with long literals, so that a
// few hundred of them make a store of some megabytes.
func bulkyArticle(i, n int) (quad.IRI, []quad.Quad) {
	a := schema.ArticleIRI(fmt.Sprintf("compact-%d", i))
	var ts []triple
	ts = append(ts,
		triple{a, schema.Type, schema.Article.IRI()},
		triple{a, schema.ContentHash.IRI(), quad.String(fmt.Sprintf("hash-%d", i))},
		// shared with every other article: survives all deletes but one
		triple{pakistan, schema.Name, quad.String("Pakistan")},
	)
	for j := 3; j < n; j++ {
		ts = append(ts, triple{a, schema.Said.IRI(), quad.String(fmt.Sprintf("%d/%d %s", i, j, strings.Repeat("words of a long quote ", 20)))})
	}
	return a, labelled(a, ts...)
}

// fillStore makes a store at dir holding n bulky articles and deletes all
// but every keep-th one; it returns the store's quads afterwards, closed.
func fillStore(t *testing.T, backend, dir string, n, keep int) []string {
	t.Helper()
	ctx := context.Background()
	s, err := Open(backend, dir, Options{NoBloom: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < n; i++ {
		a, qs := bulkyArticle(i, 30)
		writeOK(t, s, a, qs)
	}
	for i := 0; i < n; i++ {
		if i%keep == 0 {
			continue
		}
		a, _ := bulkyArticle(i, 30)
		if _, err := s.DeleteArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	return contents(t, s)
}

// storeContents opens the store, reads every quad and closes it.
func storeContents(t *testing.T, backend, dir string) []string {
	t.Helper()
	s, err := Open(backend, dir, Options{ReadOnly: true, NoBloom: true})
	if err != nil {
		t.Fatalf("open the store after compact: %v", err)
	}
	defer s.Close()
	return contents(t, s)
}

// leftovers lists the compaction directories beside the store at dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".compact-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCompact(t *testing.T) {
	ctx := context.Background()
	for _, backend := range []string{"bolt", "leveldb"} {
		t.Run(backend, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "db")
			want := fillStore(t, backend, dir, 100, 10)
			if len(want) == 0 {
				t.Fatal("no quads left")
			}
			before, err := dirSize(dir)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Compact(ctx, backend, dir)
			if err != nil {
				t.Fatalf("Compact: %v", err)
			}
			t.Logf("%s: %d quads, %d bytes -> %d bytes", backend, res.Quads, res.SizeBefore, res.SizeAfter)
			if res.Quads != len(want) {
				t.Errorf("Compact copied %d quads, the store held %d", res.Quads, len(want))
			}
			if res.SizeBefore != before {
				t.Errorf("SizeBefore = %d, the directory held %d bytes", res.SizeBefore, before)
			}
			after, err := dirSize(dir)
			if err != nil {
				t.Fatal(err)
			}
			if res.SizeAfter != after {
				t.Errorf("SizeAfter = %d, the directory holds %d bytes", res.SizeAfter, after)
			}
			if backend == "bolt" && after >= before/2 {
				// 90 of 100 articles were deleted: most of the file is free pages
				t.Errorf("bolt store of %d bytes compacted to %d: not smaller", before, after)
			}
			sameLines(t, "store after compact", storeContents(t, backend, dir), want)
			if l := leftovers(t, dir); len(l) != 0 {
				t.Errorf("compact left %v", l)
			}
			// the compacted store works: write, delete, compact again
			s, err := Open(backend, dir, Options{NoBloom: true})
			if err != nil {
				t.Fatal(err)
			}
			a, qs := bulkyArticle(1000, 5)
			writeOK(t, s, a, qs)
			if _, err := s.DeleteArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			s.Close()
			if _, err := Compact(ctx, backend, dir); err != nil {
				t.Fatalf("second Compact: %v", err)
			}
			sameLines(t, "store after a second compact", storeContents(t, backend, dir), want)
		})
	}
}

func TestCompactEmptyStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	s, err := Open("bolt", dir, Options{NoBloom: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	res, err := Compact(context.Background(), "bolt", dir)
	if err != nil {
		t.Fatalf("Compact of an empty store: %v", err)
	}
	if res.Quads != 0 {
		t.Errorf("Compact of an empty store copied %d quads", res.Quads)
	}
	if got := storeContents(t, "bolt", dir); len(got) != 0 {
		t.Errorf("empty store holds %v after compact", got)
	}
}

// A failure at any stage before the swap leaves the old store as it was,
// openable, and no temporary directory behind.
func TestCompactFailureKeepsOldStore(t *testing.T) {
	for _, stage := range []string{"copy", "verify", "swap", "cancel"} {
		t.Run(stage, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "db")
			want := fillStore(t, "bolt", dir, 60, 3)
			file := filepath.Join(dir, "indexes.bolt")
			orig, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			boom := errors.New("simulated failure")
			// small batches: the failure comes after the third of several
			defer func(n int) { compactBatch = n }(compactBatch)
			compactBatch = 100
			copies, calls := 0, 0
			compactHook = func(s string) error {
				if s == "copy" {
					copies++
					if copies < 3 {
						return nil
					}
				}
				if stage == "cancel" && s == "copy" {
					cancel()
					return nil
				}
				if s == stage {
					calls++
					return boom
				}
				return nil
			}
			defer func() { compactHook = nil }()
			_, err = Compact(ctx, "bolt", dir)
			compactHook = nil
			if err == nil {
				t.Fatal("Compact succeeded despite the failure")
			}
			if stage == "cancel" {
				if !errors.Is(err, context.Canceled) {
					t.Errorf("error %v does not wrap context.Canceled", err)
				}
			} else if !errors.Is(err, boom) || calls != 1 {
				t.Errorf("error %v (hook called %d times), want the simulated failure", err, calls)
			}
			if !strings.Contains(err.Error(), "unchanged") {
				t.Errorf("error %q does not say the store is unchanged", err)
			}
			now, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("the old store file is gone: %v", err)
			}
			if string(now) != string(orig) {
				t.Errorf("the old store file changed (%d bytes, was %d)", len(now), len(orig))
			}
			if l := leftovers(t, dir); len(l) != 0 {
				t.Errorf("a failed compact left %v", l)
			}
			sameLines(t, "store after a failed compact", storeContents(t, "bolt", dir), want)
			// and a compaction that is let through works
			if _, err := Compact(context.Background(), "bolt", dir); err != nil {
				t.Fatalf("Compact after a failed one: %v", err)
			}
			sameLines(t, "store after compact", storeContents(t, "bolt", dir), want)
		})
	}
}

// A compaction killed before it was done leaves its temporary store
// beside the old one; the next one removes it.
func TestCompactRemovesLeftovers(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "db")
	want := fillStore(t, "bolt", dir, 20, 2)
	stale := filepath.Join(root, ".db.compact-123456")
	if err := os.MkdirAll(stale, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(stale, "indexes.bolt"), []byte("half a store"), 0o600); err != nil {
		t.Fatal(err)
	}
	// not ours: another store's leftovers, and a file of that name
	other := filepath.Join(root, ".db2.compact-1")
	os.MkdirAll(other, 0o700)
	res, err := Compact(context.Background(), "bolt", dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Leftovers) != 1 || res.Leftovers[0] != stale {
		t.Errorf("Leftovers = %v, want [%s]", res.Leftovers, stale)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the leftover is still there: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another store's directory was removed: %v", err)
	}
	sameLines(t, "store after compact", storeContents(t, "bolt", dir), want)
}

func TestCompactThroughSymlink(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "real")
	want := fillStore(t, "bolt", dir, 20, 2)
	link := filepath.Join(root, "link")
	if err := os.Symlink("real", link); err != nil {
		t.Skipf("no symlinks: %v", err)
	}
	res, err := Compact(context.Background(), "bolt", link)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink to the store was replaced: %v %v", fi, err)
	}
	if res.Path != dir {
		t.Errorf("Path = %s, want %s", res.Path, dir)
	}
	sameLines(t, "store after compact", storeContents(t, "bolt", link), want)
}

func TestCompactRefuses(t *testing.T) {
	ctx := context.Background()
	// a store another holder has open
	for _, backend := range []string{"bolt", "leveldb"} {
		t.Run("locked "+backend, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "db")
			want := fillStore(t, backend, dir, 10, 2)
			s, err := Open(backend, dir, Options{NoBloom: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			_, err = Compact(ctx, backend, dir)
			if !errors.Is(err, ErrLocked) {
				t.Fatalf("Compact of a store in use: %v, want ErrLocked", err)
			}
			if l := leftovers(t, dir); len(l) != 0 {
				t.Errorf("a refused compact left %v", l)
			}
			sameLines(t, "store in use", contents(t, s), want)
		})
	}
	empty := t.TempDir()
	tests := []struct {
		name, backend, path string
		want                []string
	}{
		{"memstore", "memstore", "", []string{"memstore", "bolt and leveldb", "nothing to compact"}},
		{"postgres", "postgres", "postgres://127.0.0.1:1/x", []string{"postgres", "bolt and leveldb", "VACUUM"}},
		{"unknown backend", "nosuch", "x", []string{`unknown backend "nosuch"`}},
		{"missing store", "bolt", filepath.Join(empty, "nosuch.db"), []string{"no store there", "nosuch.db"}},
		{"directory without a store", "bolt", empty, []string{"no bolt store there"}},
		{"no path", "bolt", "", []string{"no path"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compact(ctx, tc.backend, tc.path)
			if err == nil {
				t.Fatal("Compact succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("refused compactions left %v", entries)
	}
}
