// Package graph is newsgraph's Cayley store: it opens a backend, writes an
// article's quads atomically, deletes articles, runs queries and exports.
package graph

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	_ "github.com/cayleygraph/cayley/graph/kv/all" // bolt, bbolt, leveldb, btree
	_ "github.com/cayleygraph/cayley/graph/memstore"
	_ "github.com/cayleygraph/cayley/graph/sql/cockroach"
	_ "github.com/cayleygraph/cayley/graph/sql/mysql"
	_ "github.com/cayleygraph/cayley/graph/sql/postgres"
	_ "github.com/cayleygraph/cayley/writer" // register the "single" writer
	"github.com/cayleygraph/quad"
	hkv "github.com/hidal-go/hidalgo/kv"

	"github.com/newsgraph/newsgraph/schema"
)

// Default backend and path of the store.
const (
	DefaultBackend = "bolt"
	DefaultPath    = "newsgraph.db"
)

// Options tune how a store is opened.
type Options struct {
	// ReadOnly opens the store without writing to it.
	ReadOnly bool
	// NoBloom turns off Cayley's in-memory bloom filters of existing
	// quads, nodes and index keys: about 80 MB for a store that holds
	// something, filled by reading all of it at open, and about 560 MB for
	// an empty one. They only spare reads when writing; measured with
	// newsgraph ingest, writing was no faster with them. A read-only
	// store never has them.
	NoBloom bool
	// ReleaseEvery, for a bolt store opened for writing, drops the pages
	// of the store's file that the process has read from its resident set
	// at this interval, until the store is closed (see releaseMapped):
	// for bulk writes, whose transactions read a good part of a large
	// store each. The store then maps its file once, at an address that
	// does not change, and grows it 16 MiB at a time. 0: never.
	ReleaseEvery time.Duration
	// Bulk, for a bolt store that holds nothing yet, builds the store in
	// bulk (see bulkBuild): what is written lands when the store is
	// closed, or when it is first read, all at once; much faster than
	// transaction by transaction for many articles. Writes after the
	// first read go the usual way.
	Bulk bool
}

// Store is an open newsgraph graph.
type Store struct {
	qs      graph.QuadStore
	backend string
	path    string
	// kv is the key-value store under a bolt or leveldb store's Cayley layer
	kv hkv.KV
	// onClose run before the store closes
	onClose []func()
	// bulk is the bulk build under way, if any
	bulk *bulkBuild
	// readOnly: a bolt store opened read-only, whose mapping never moves
	readOnly bool
}

// ErrLocked reports a store that another process holds open.
var ErrLocked = errors.New("store is in use by another process (close the other newsgraph or cayley first)")

// Backends lists the store backends Cayley has registered.
func Backends() []string {
	b := graph.QuadStores()
	sort.Strings(b)
	return b
}

// Open opens the store of the given backend at path, creating it on first
// use. For bolt, path is a directory.
func Open(backend, path string, opt Options) (*Store, error) {
	if backend == "" {
		backend = DefaultBackend
	}
	if !contains(Backends(), backend) {
		return nil, fmt.Errorf("open store: unknown backend %q (have: %s)", backend, strings.Join(Backends(), ", "))
	}
	if backend == "memstore" {
		path = ""
	} else if path == "" {
		return nil, fmt.Errorf("open %s store: no path given", backend)
	}
	if backend == "bolt" || backend == "bbolt" {
		// Cayley's bolt open waits for the file lock forever; fail fast.
		if err := probeLock(filepath.Join(path, "indexes.bolt")); err != nil {
			return nil, fmt.Errorf("open %s store %s: %w", backend, path, err)
		}
	}
	gopt := graph.Options{}
	if opt.NoBloom || opt.ReadOnly {
		// the filters serve writes only, and filling them reads the
		// whole store at open
		gopt["no_bloom"] = true
	}
	if backend == "bolt" {
		if !opt.ReadOnly && opt.ReleaseEvery > 0 {
			gopt["mmap_size"] = mmapReserve
		}
		return openBolt(path, opt, gopt)
	}
	if backend == "leveldb" {
		return openLevelDB(path, opt.ReadOnly, gopt)
	}
	if backend != "memstore" && !opt.ReadOnly {
		err := graph.InitQuadStore(backend, path, gopt)
		if err != nil && !errors.Is(err, graph.ErrDatabaseExists) {
			return nil, fmt.Errorf("create %s store %s: %w", backend, path, err)
		}
	}
	if opt.ReadOnly && isFileBackend(backend) {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open %s store %s: no store there (ingest something first)", backend, path)
		}
	}
	qs, err := graph.NewQuadStore(backend, path, gopt)
	if err != nil {
		return nil, fmt.Errorf("open %s store %s: %w", backend, path, err)
	}
	qs = sqlWorkaround(backend, qs)
	return &Store{qs: qs, backend: backend, path: path}, nil
}

func isFileBackend(b string) bool {
	switch b {
	case "bolt", "bbolt", "leveldb", "badger":
		return true
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// QuadStore returns the underlying Cayley quad store. It ends a bulk
// build; should that fail, the store is empty (FinishBuild says why).
func (s *Store) QuadStore() graph.QuadStore {
	s.settle()
	return s.qs
}

// Backend returns the name of the store's backend.
func (s *Store) Backend() string { return s.backend }

// Path returns the store's path or address.
func (s *Store) Path() string { return s.path }

// Close closes the store.
func (s *Store) Close() error {
	if s.bulk != nil {
		return s.endBuild(false)
	}
	for _, f := range s.onClose {
		f()
	}
	s.onClose = nil
	return s.qs.Close()
}

// WriteResult says what writing an article did.
type WriteResult struct {
	Added, Removed int
	// Unchanged is true when the store already held the article with the
	// same content: nothing was written.
	Unchanged bool
}

// WriteArticle stores the quads of one article, whose IRI labels every one
// of them, in a single transaction (two when a smaller version replaces an
// article; see applyReplace): the new quads land all or none. An article
// already stored with the same content hash is left alone; one stored with
// another is replaced, so that its old facts do not linger.
func (s *Store) WriteArticle(ctx context.Context, article quad.IRI, quads []quad.Quad) (WriteResult, error) {
	if s.bulkFor(article) {
		if err := checkArticle(article, quads); err != nil {
			return WriteResult{}, err
		}
		a := bulkArticle{article, uniqueQuads(quads)}
		if err := s.bulk.write([]bulkArticle{a}); err != nil {
			return WriteResult{}, fmt.Errorf("write %s: %w", article, err)
		}
		return WriteResult{Added: len(a.quads)}, nil
	}
	if err := s.settle(); err != nil {
		return WriteResult{}, err
	}
	deltas, res, err := s.articleDeltas(ctx, article, quads)
	if err != nil || res.Unchanged {
		return res, err
	}
	if err := s.applyReplace(deltas); err != nil {
		return WriteResult{}, fmt.Errorf("write %s: %w", article, err)
	}
	return res, nil
}

// checkArticle checks that every quad is valid and labelled with the
// article.
func checkArticle(article quad.IRI, quads []quad.Quad) error {
	if !quad.IsValidValue(article) {
		return errors.New("write: empty article IRI")
	}
	for _, q := range quads {
		if q.Label != article {
			return fmt.Errorf("write %s: quad %v is not labelled with the article", article, q)
		}
		if !q.IsValid() {
			return fmt.Errorf("write %s: invalid quad %v", article, q)
		}
		for _, dir := range quad.Directions {
			// Cayley's log cannot hold it (protobuf strings are UTF-8)
			if v := q.Get(dir); v != nil && !validUTF8(v) {
				return fmt.Errorf("write %s: invalid UTF-8 in %q", article, v.String())
			}
		}
	}
	return nil
}

// validUTF8 reports whether a value's strings are UTF-8, without
// formatting it as N-Quads where its type tells where they are.
func validUTF8(v quad.Value) bool {
	switch v := v.(type) {
	case quad.IRI:
		return utf8.ValidString(string(v))
	case quad.String:
		return utf8.ValidString(string(v))
	case quad.TypedString:
		return utf8.ValidString(string(v.Value)) && utf8.ValidString(string(v.Type))
	case quad.LangString:
		return utf8.ValidString(string(v.Value)) && utf8.ValidString(v.Lang)
	}
	return utf8.ValidString(v.String())
}

// articleDeltas returns the deltas that turn the article's stored quads
// into quads: the old quads it no longer has go, the new ones come.
func (s *Store) articleDeltas(ctx context.Context, article quad.IRI, quads []quad.Quad) ([]graph.Delta, WriteResult, error) {
	var res WriteResult
	if err := checkArticle(article, quads); err != nil {
		return nil, res, err
	}
	old, err := s.ArticleQuads(ctx, article)
	if err != nil {
		return nil, res, err
	}
	var deltas []graph.Delta
	if len(old) == 0 {
		deltas, res = newArticleDeltas(quads)
	} else {
		want := make(map[quad.Quad]struct{}, len(quads))
		for _, q := range quads {
			want[q] = struct{}{}
		}
		have := make(map[quad.Quad]struct{}, len(old))
		for _, q := range old {
			have[q] = struct{}{}
		}
		for _, q := range old {
			if _, ok := want[q]; !ok {
				deltas = append(deltas, graph.Delta{Quad: q, Action: graph.Delete})
				res.Removed++
			}
		}
		for _, q := range quads {
			if _, ok := have[q]; !ok {
				have[q] = struct{}{} // also drops duplicates within quads
				deltas = append(deltas, graph.Delta{Quad: q, Action: graph.Add})
				res.Added++
			}
		}
	}
	if len(deltas) == 0 {
		res.Unchanged = true
	}
	return deltas, res, nil
}

// newArticleDeltas are the deltas of an article the store lacks: every
// quad is added, duplicates once.
func newArticleDeltas(quads []quad.Quad) ([]graph.Delta, WriteResult) {
	uq := uniqueQuads(quads)
	deltas := make([]graph.Delta, len(uq))
	for i, q := range uq {
		deltas[i] = graph.Delta{Quad: q, Action: graph.Add}
	}
	return deltas, WriteResult{Added: len(deltas)}
}

// uniqueQuads returns quads without repeats, in order.
func uniqueQuads(quads []quad.Quad) []quad.Quad {
	out := make([]quad.Quad, 0, len(quads))
	seen := make(map[quad.Quad]struct{}, len(quads))
	for _, q := range quads {
		if _, ok := seen[q]; !ok {
			seen[q] = struct{}{}
			out = append(out, q)
		}
	}
	return out
}

// bulkFor reports whether the article goes to the bulk build under way:
// there is one, it is not full, and the article was not written yet
// (replacing one reads the store). The caller ends the build otherwise.
func (s *Store) bulkFor(article quad.IRI) bool {
	return s.bulk != nil && !s.bulk.full() && !s.bulk.has(article)
}

// applyReplace applies deltas that add and delete quads. Cayley's
// key-value stores (bolt, leveldb) write an added quad without those of its
// values that the same batch takes more references from than it gives
// (the article's IRI, when the new version has fewer quads than the old).
// Such a batch is split: the additions in one transaction, then the
// deletions. A failure in between leaves the new quads whole beside some
// old ones, which the next write of the article removes.
func (s *Store) applyReplace(deltas []graph.Delta) error {
	opt := graph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}
	hasDelete := false
	for _, d := range deltas {
		if d.Action == graph.Delete {
			hasDelete = true
			break
		}
	}
	if !hasDelete {
		// no value loses references: nothing to split
		return s.qs.ApplyDeltas(deltas, opt)
	}
	net := map[string]int{}
	for _, d := range deltas {
		n := 1
		if d.Action == graph.Delete {
			n = -1
		}
		for _, dir := range quad.Directions {
			if v := d.Quad.Get(dir); v != nil {
				net[string(quad.HashOf(v))] += n
			}
		}
	}
	split := false
	for _, d := range deltas {
		for _, dir := range quad.Directions {
			if v := d.Quad.Get(dir); v != nil && d.Action == graph.Add && net[string(quad.HashOf(v))] < 0 {
				split = true
			}
		}
	}
	if !split {
		return s.qs.ApplyDeltas(deltas, opt)
	}
	var adds, dels []graph.Delta
	for _, d := range deltas {
		if d.Action == graph.Add {
			adds = append(adds, d)
		} else {
			dels = append(dels, d)
		}
	}
	if err := s.qs.ApplyDeltas(adds, opt); err != nil {
		return err
	}
	return s.qs.ApplyDeltas(dels, opt)
}

// ContentHash returns the content hash stored for an article, or "" when
// the store does not hold it.
func (s *Store) ContentHash(ctx context.Context, article quad.IRI) (string, error) {
	if err := s.settle(); err != nil {
		return "", err
	}
	vals, err := s.objects(ctx, article, schema.ContentHash.IRI())
	if err != nil || len(vals) == 0 {
		return "", err
	}
	return quad.ToString(vals[0]), nil
}

// objects returns the objects of subject's pred edges.
func (s *Store) objects(ctx context.Context, subject quad.Value, pred quad.IRI) ([]quad.Value, error) {
	qs, err := s.objectQuads(ctx, subject, pred)
	out := make([]quad.Value, len(qs))
	for i, q := range qs {
		out[i] = q.Object
	}
	return out, err
}

// ref returns the store's reference of v, nil when the store lacks it.
func (s *Store) ref(v quad.Value) (graph.Ref, error) {
	ref, err := s.qs.ValueOf(v)
	if err != nil {
		return nil, fmt.Errorf("read store: %w", err)
	}
	return ref, nil
}

// ArticleQuads returns every quad labelled with the article.
func (s *Store) ArticleQuads(ctx context.Context, article quad.IRI) ([]quad.Quad, error) {
	if err := s.settle(); err != nil {
		return nil, err
	}
	ref, err := s.ref(article)
	if err != nil || ref == nil {
		return nil, err
	}
	return s.collect(ctx, s.qs.QuadIterator(quad.Label, ref).Iterate())
}

func (s *Store) collect(ctx context.Context, it iterator.Scanner) ([]quad.Quad, error) {
	defer it.Close()
	var out []quad.Quad
	for it.Next(ctx) {
		q, err := s.qs.Quad(it.Result())
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("read store: %w", err)
	}
	return out, nil
}

// DeleteArticle removes every quad labelled with the article, in one
// transaction. Facts other articles also state stay under their labels.
// It returns the number of quads removed; 0 when the store lacks the article.
func (s *Store) DeleteArticle(ctx context.Context, article quad.IRI) (int, error) {
	if err := s.settle(); err != nil {
		return 0, err
	}
	old, err := s.ArticleQuads(ctx, article)
	if err != nil || len(old) == 0 {
		return 0, err
	}
	deltas := make([]graph.Delta, len(old))
	for i, q := range old {
		deltas[i] = graph.Delta{Quad: q, Action: graph.Delete}
	}
	if err := s.qs.ApplyDeltas(deltas, graph.IgnoreOpts{IgnoreMissing: true}); err != nil {
		return 0, fmt.Errorf("delete %s: %w", article, err)
	}
	return len(old), nil
}

// Articles returns the IRIs of the stored articles, sorted.
func (s *Store) Articles(ctx context.Context) ([]quad.IRI, error) {
	if err := s.settle(); err != nil {
		return nil, err
	}
	ref, err := s.ref(schema.Article.IRI())
	if err != nil || ref == nil {
		return nil, err
	}
	qs, err := s.collect(ctx, s.qs.QuadIterator(quad.Object, ref).Iterate())
	if err != nil {
		return nil, err
	}
	seen := map[quad.IRI]bool{}
	var out []quad.IRI
	for _, q := range qs {
		if q.Predicate != schema.Type {
			continue
		}
		if iri, ok := q.Subject.(quad.IRI); ok && !seen[iri] {
			seen[iri] = true
			out = append(out, iri)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// AllQuads returns a reader of every quad in the store.
func (s *Store) AllQuads() quad.ReadCloser {
	return graph.NewQuadStoreReader(s.QuadStore())
}

// AddQuads writes quads in one transaction, ignoring ones already there.
// It is for loading existing N-Quads, not for articles.
func (s *Store) AddQuads(quads []quad.Quad) error {
	if err := s.settle(); err != nil {
		return err
	}
	deltas := make([]graph.Delta, len(quads))
	for i, q := range quads {
		deltas[i] = graph.Delta{Quad: q, Action: graph.Add}
	}
	return s.qs.ApplyDeltas(deltas, graph.IgnoreOpts{IgnoreDup: true})
}
