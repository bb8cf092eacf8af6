package graph

import (
	"bufio"
	"cmp"
	"container/heap"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	hkv "github.com/hidal-go/hidalgo/kv"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"

	"github.com/newsgraph/newsgraph/schema"
)

// A bulk build writes the articles given to a new, empty bolt store into
// a file of its own, in the format Cayley's key-value layer writes, and
// puts that file in the store's place when the store is closed (or must
// be read). Cayley writes each transaction's nodes and index entries where
// their keys fall, all over a file that grows, so that the pages one
// transaction rewrites grow with the store and so does the time per
// article; a bulk build appends the log of quads and nodes as it goes and
// writes the indexes and the node buckets once, in key order, at the end.
//
// Nothing of a bulk build is in the store until it ends: a crash loses the
// build (a new one starts over) and leaves the store as it was, empty.
// The build keeps every node's id and reference count in memory (about
// 70 bytes a node) and at most bulkBuffer index entries (spilling sorted
// runs to files beside the store); past bulkMaxNodes nodes, or when an
// article comes a second time, it ends, and the writes go on the usual
// way.
type bulkBuild struct {
	dir  string
	file string
	db   *bolt.DB
	// reopen opens the finished store, for settle
	reopen func() (*Store, error)

	nodes   map[refs.ValueHash]bulkNode
	horizon uint64
	size    int64

	entries []indexEntry // index entries not yet in a run
	// spare is the buffer a spill under way writes from, then the
	// next buffer; spilling gives that spill's error
	spare    []indexEntry
	spilling chan error
	runs     []string
	limit    int // index entries buffered before a spill
	maxNodes int // nodes past which the build ends

	predicates map[quad.IRI]refs.ValueHash
	written    map[quad.IRI]uint64 // article -> hash of its head quads
	keys       map[string]quad.IRI // name key -> smallest subject
	names      map[quad.IRI]string // node -> first name
	err        error               // the build failed: nothing more is written
}

type bulkNode struct {
	id   uint64
	refs int64
}

const (
	// bulkBuffer is the number of index entries a build holds in memory.
	bulkBuffer = 1 << 20
	// bulkMaxNodes is the number of nodes past which a build ends.
	bulkMaxNodes = 4 << 20
	// bulkTxBytes is about how much one transaction of the final
	// writes puts, so that bbolt's dirty pages stay small in memory.
	bulkTxBytes = 4 << 20
)

func bulkFile(dir string) string { return filepath.Join(dir, "indexes.bolt.bulk") }

func bulkRunGlob(dir string) string { return filepath.Join(dir, "bulk-run-*.tmp") }

// removeBulkLeftovers removes what a build that did not end left.
func removeBulkLeftovers(dir string) error {
	runs, _ := filepath.Glob(bulkRunGlob(dir))
	for _, f := range append(runs, bulkFile(dir)) {
		if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

// newBulkBuild starts a build for the store in dir.
func newBulkBuild(dir string, reopen func() (*Store, error)) (*bulkBuild, error) {
	if err := removeBulkLeftovers(dir); err != nil {
		return nil, fmt.Errorf("bulk build in %s: %w", dir, err)
	}
	file := bulkFile(dir)
	db, err := bolt.Open(file, 0o600, &bolt.Options{FreelistType: bolt.FreelistMapType, NoSync: true})
	if err != nil {
		return nil, fmt.Errorf("bulk build in %s: %w", dir, err)
	}
	if err := kv.Init(&initKV{hbolt.New(db)}, graph.Options{}); err != nil {
		db.Close()
		os.Remove(file)
		return nil, fmt.Errorf("bulk build in %s: %w", dir, err)
	}
	return &bulkBuild{
		dir: dir, file: file, db: db, reopen: reopen,
		nodes:      map[refs.ValueHash]bulkNode{},
		limit:      bulkBuffer,
		maxNodes:   bulkMaxNodes,
		written:    map[quad.IRI]uint64{},
		predicates: map[quad.IRI]refs.ValueHash{},
		keys:       map[string]quad.IRI{},
		names:      map[quad.IRI]string{},
	}, nil
}

// bulkArticle is an article to write: its quads, each once.
type bulkArticle struct {
	iri   quad.IRI
	quads []quad.Quad
}

// full reports whether the build should end before more is written.
func (b *bulkBuild) full() bool { return len(b.nodes) >= b.maxNodes }

// has reports whether an article was written.
func (b *bulkBuild) has(article quad.IRI) bool {
	_, ok := b.written[article]
	return ok
}

// unchanged reports whether the article was written with these head
// quads (see ArticleWriter.Unchanged).
func (b *bulkBuild) unchanged(article quad.IRI, quads []quad.Quad) bool {
	h, ok := b.written[article]
	return ok && h == headHash(article, quads)
}

// headHash hashes an article's head quads, in any order, each once.
func headHash(article quad.IRI, quads []quad.Quad) uint64 {
	var sum uint64
	seen := map[quad.Quad]bool{}
	for _, q := range quads {
		if isHead(article, q) && !seen[q] {
			seen[q] = true
			h := fnv.New64a()
			io.WriteString(h, q.String())
			sum += h.Sum64() // order does not matter
		}
	}
	return sum
}

// write appends articles to the build in one transaction of its file.
func (b *bulkBuild) write(arts []bulkArticle) error {
	if b.err != nil {
		return b.err
	}
	if err := b.writeTx(arts); err != nil {
		b.err = fmt.Errorf("bulk build: %w", err)
		return b.err
	}
	if len(b.entries) >= b.limit {
		if err := b.spill(); err != nil {
			b.err = fmt.Errorf("bulk build: %w", err)
			return b.err
		}
	}
	return nil
}

func (b *bulkBuild) writeTx(arts []bulkArticle) error {
	tx, err := b.db.Begin(true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	log := tx.Bucket([]byte("log"))
	if log == nil {
		return errors.New("no log bucket")
	}
	log.FillPercent = 1 // ids only grow
	now := time.Now().UnixNano()
	// keys and values go into one buffer, which bbolt reads at commit:
	// one allocation where there were two a put
	arena := make([]byte, 0, 1<<20)
	put := func(p *cproto.Primitive) error {
		if cap(arena)-len(arena) < 8+proto.Size(p) {
			arena = make([]byte, 0, max(1<<20, 8+proto.Size(p)))
		}
		start := len(arena)
		arena = binary.BigEndian.AppendUint64(arena, p.ID)
		mid := len(arena)
		arena, err = proto.MarshalOptions{}.MarshalAppend(arena, p)
		if err != nil {
			return err
		}
		return log.Put(arena[start:mid:mid], arena[mid:len(arena):len(arena)])
	}
	for _, a := range arts {
		// an article names its nodes many times over
		hashes := make(map[quad.Value]refs.ValueHash, len(a.quads))
		hashes[a.iri] = refs.HashOf(a.iri)
		for _, q := range a.quads {
			p := &cproto.Primitive{Timestamp: now}
			for _, dir := range quad.Directions {
				v := q.Get(dir)
				if v == nil {
					continue
				}
				var h refs.ValueHash
				switch v.(type) {
				case quad.IRI, quad.String: // comparable, and most values
					if dir == quad.Predicate {
						h = b.predicateHash(v)
					} else if c, ok := hashes[v]; ok {
						h = c
					} else {
						h = refs.HashOf(v)
						hashes[v] = h
					}
				default:
					h = refs.HashOf(v)
				}
				n, ok := b.nodes[h]
				if !ok {
					b.horizon++
					n.id = b.horizon
					val, err := pquads.MarshalValue(v)
					if err != nil {
						return err
					}
					if err := put(&cproto.Primitive{ID: n.id, Value: val, Timestamp: now}); err != nil {
						return err
					}
				}
				n.refs++
				b.nodes[h] = n
				p.SetDirection(dir, n.id)
			}
			b.horizon++
			p.ID = b.horizon
			if err := put(p); err != nil {
				return err
			}
			b.size++
			for i, ind := range bulkIndexes {
				e := indexEntry{id: p.ID, ind: uint8(i)}
				for j, d := range ind.Dirs {
					e.key[j] = p.GetDirection(d)
				}
				b.entries = append(b.entries, e)
			}
			b.noteLink(q)
		}
		b.written[a.iri] = headHash(a.iri, a.quads)
	}
	return tx.Commit()
}

// predicateHash is refs.HashOf for predicates, which are few: their
// hashes are kept.
func (b *bulkBuild) predicateHash(v quad.Value) refs.ValueHash {
	iri, ok := v.(quad.IRI)
	if !ok {
		return refs.HashOf(v)
	}
	if h, ok := b.predicates[iri]; ok {
		return h
	}
	h := refs.HashOf(v)
	if len(b.predicates) < 4096 {
		b.predicates[iri] = h
	}
	return h
}

// noteLink keeps what linking asks of the store: the smallest subject of
// each name key and the first name of each node.
func (b *bulkBuild) noteLink(q quad.Quad) {
	s, ok := q.Subject.(quad.IRI)
	if !ok {
		return
	}
	switch q.Predicate {
	case schema.NameKey.IRI():
		k := quad.ToString(q.Object)
		if cur, ok := b.keys[k]; !ok || s < cur {
			b.keys[k] = s
		}
	case schema.Name:
		if _, ok := b.names[s]; !ok {
			b.names[s] = quad.ToString(q.Object)
		}
	}
}

// link answers Store.linkFast from the build.
func (b *bulkBuild) link(key string) (quad.IRI, string) {
	s, ok := b.keys[key]
	if !ok {
		return "", ""
	}
	return s, b.names[s]
}

// indexEntry is one quad id to put under one key of an index. The
// buffer of them holds no pointers, for the garbage collector's sake.
type indexEntry struct {
	key [3]uint64 // the key's ids, zero after the index's directions
	id  uint64
	ind uint8 // in bulkIndexes
}

// bulkIndexes are the indexes of a new store (labelIndexes), in the order
// of their buckets' names.
var bulkIndexes, bulkIndexNames = func() ([]kv.QuadIndex, []string) {
	inds := append([]kv.QuadIndex(nil), labelIndexes...)
	name := func(ind kv.QuadIndex) string { return string(ind.Key(nil)[0]) }
	sort.Slice(inds, func(i, j int) bool { return name(inds[i]) < name(inds[j]) })
	names := make([]string, len(inds))
	for i, ind := range inds {
		names[i] = name(ind)
	}
	return inds, names
}()

func compareEntries(a, b indexEntry) int {
	if a.ind != b.ind {
		return int(a.ind) - int(b.ind)
	}
	for i := range a.key {
		if a.key[i] != b.key[i] {
			return cmp.Compare(a.key[i], b.key[i])
		}
	}
	return cmp.Compare(a.id, b.id)
}

// spill starts writing the buffered index entries to a run file, in the
// background; the writes go on into another buffer meanwhile. It first
// waits for the spill before, and returns its error.
func (b *bulkBuild) spill() error {
	if err := b.waitSpill(); err != nil {
		return err
	}
	if len(b.entries) == 0 {
		return nil
	}
	f, err := os.CreateTemp(b.dir, "bulk-run-*.tmp")
	if err != nil {
		return err
	}
	b.runs = append(b.runs, f.Name())
	es := b.entries
	b.entries = b.spare[:0]
	done := make(chan error, 1)
	b.spilling = done
	go func() {
		done <- writeRun(f, es)
	}()
	b.spare = es
	return nil
}

// waitSpill waits for the spill under way, if any.
func (b *bulkBuild) waitSpill() error {
	if b.spilling == nil {
		return nil
	}
	err := <-b.spilling
	b.spilling = nil
	return err
}

// writeRun sorts index entries by bucket and key and writes them to f,
// each key once with its ids, and closes f.
func writeRun(f *os.File, es []indexEntry) error {
	slices.SortFunc(es, compareEntries)
	w := bufio.NewWriterSize(f, 1<<20)
	var tmp [binary.MaxVarintLen64]byte
	uv := func(x uint64) {
		n := binary.PutUvarint(tmp[:], x)
		w.Write(tmp[:n])
	}
	for len(es) > 0 {
		n := 1
		for n < len(es) && es[n].ind == es[0].ind && es[n].key == es[0].key {
			n++
		}
		name := bulkIndexNames[es[0].ind]
		uv(uint64(len(name)))
		w.WriteString(name)
		dirs := len(bulkIndexes[es[0].ind].Dirs)
		uv(uint64(8 * dirs))
		for _, id := range es[0].key[:dirs] {
			binary.BigEndian.PutUint64(tmp[:8], id)
			w.Write(tmp[:8])
		}
		uv(uint64(n))
		for _, e := range es[:n] {
			uv(e.id)
		}
		es = es[n:]
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// complete writes the indexes, the nodes and the counters to the build's
// file, syncs and closes it, all while the store it is for stays open
// and locked. On an error the build is dropped.
func (b *bulkBuild) complete() error {
	err := b.err
	if err == nil {
		err = b.spill()
	}
	if werr := b.waitSpill(); err == nil {
		err = werr
	}
	b.entries, b.spare = nil, nil
	if err == nil {
		err = b.writeIndexes()
	}
	if err == nil {
		err = b.writeNodes()
	}
	if err == nil {
		err = b.db.Update(func(tx *bolt.Tx) error {
			meta := tx.Bucket([]byte("meta"))
			var v [8]byte
			binary.LittleEndian.PutUint64(v[:], b.horizon)
			if err := meta.Put([]byte("horizon"), append([]byte(nil), v[:]...)); err != nil {
				return err
			}
			binary.LittleEndian.PutUint64(v[:], uint64(b.size))
			return meta.Put([]byte("size"), append([]byte(nil), v[:]...))
		})
	}
	if err == nil {
		err = b.db.Sync()
	}
	b.nodes, b.written, b.keys, b.names = nil, nil, nil, nil
	if err != nil {
		b.abort()
		if b.err == nil {
			b.err = fmt.Errorf("bulk build: %w", err)
		}
		return b.err
	}
	b.removeRuns()
	if err := b.db.Close(); err != nil {
		b.abort()
		return fmt.Errorf("bulk build: %w", err)
	}
	return nil
}

// install puts the completed build's file in the place of the store's,
// which the caller has just closed.
func (b *bulkBuild) install() error {
	if err := os.Rename(b.file, boltFile(b.dir)); err != nil {
		os.Remove(b.file)
		return fmt.Errorf("bulk build: %w", err)
	}
	if err := syncDir(b.dir); err != nil {
		return fmt.Errorf("bulk build: the store is in place, but: %w", err)
	}
	return nil
}

// abort drops the build.
func (b *bulkBuild) abort() {
	b.waitSpill()
	b.db.Close() // an error for a file closed before is of no matter
	b.removeRuns()
	os.Remove(b.file)
}

func (b *bulkBuild) removeRuns() {
	for _, r := range b.runs {
		os.Remove(r)
	}
	b.runs = nil
}

// batchWriter puts keys in ascending order into the buckets of a bbolt
// file, a transaction every bulkTxBytes.
type batchWriter struct {
	db     *bolt.DB
	tx     *bolt.Tx
	bucket *bolt.Bucket
	name   string
	bytes  int
}

func (w *batchWriter) put(bucket string, k, v []byte) error {
	if w.tx == nil {
		tx, err := w.db.Begin(true)
		if err != nil {
			return err
		}
		w.tx, w.bucket, w.name = tx, nil, ""
	}
	if w.bucket == nil || w.name != bucket {
		b, err := w.tx.CreateBucketIfNotExists([]byte(bucket))
		if err != nil {
			return err
		}
		b.FillPercent = 0.9
		w.bucket, w.name = b, bucket
	}
	if err := w.bucket.Put(k, v); err != nil {
		return err
	}
	w.bytes += len(k) + len(v) + 16
	if w.bytes >= bulkTxBytes {
		return w.commit()
	}
	return nil
}

func (w *batchWriter) commit() error {
	if w.tx == nil {
		return nil
	}
	err := w.tx.Commit()
	w.tx, w.bucket, w.bytes = nil, nil, 0
	return err
}

// writeIndexes merges the runs into the index buckets: the lists of a key
// are joined in run order, which is id order.
func (b *bulkBuild) writeIndexes() error {
	var h runHeap
	for i, name := range b.runs {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r := &runReader{r: bufio.NewReaderSize(f, 1<<20), order: i}
		if ok, err := r.next(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		} else if ok {
			h = append(h, r)
		}
	}
	heap.Init(&h)
	w := &batchWriter{db: b.db}
	var (
		bucket, key string
		val         []byte
	)
	flush := func() error {
		if val == nil {
			return nil
		}
		err := w.put(bucket, []byte(key), val)
		val = nil
		return err
	}
	for len(h) > 0 {
		r := h[0]
		if val == nil || r.bucket != bucket || r.key != key {
			if err := flush(); err != nil {
				return err
			}
			bucket, key, val = r.bucket, r.key, []byte{}
		}
		val = append(val, r.ids...)
		ok, err := r.next()
		if err != nil {
			return fmt.Errorf("%s: %w", b.runs[r.order], err)
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	if err := flush(); err != nil {
		return err
	}
	return w.commit()
}

// runReader reads a run file an entry at a time; ids are kept encoded.
type runReader struct {
	r           *bufio.Reader
	order       int
	bucket, key string
	ids         []byte
}

func (r *runReader) next() (bool, error) {
	n, err := binary.ReadUvarint(r.r)
	if err == io.EOF {
		return false, nil
	} else if err != nil {
		return false, err
	}
	bucket, err := r.str(n)
	if err != nil {
		return false, err
	}
	if n, err = binary.ReadUvarint(r.r); err != nil {
		return false, err
	}
	key, err := r.str(n)
	if err != nil {
		return false, err
	}
	count, err := binary.ReadUvarint(r.r)
	if err != nil {
		return false, err
	}
	ids := make([]byte, 0, count*4)
	var tmp [binary.MaxVarintLen64]byte
	for i := uint64(0); i < count; i++ {
		id, err := binary.ReadUvarint(r.r)
		if err != nil {
			return false, err
		}
		ids = append(ids, tmp[:binary.PutUvarint(tmp[:], id)]...)
	}
	r.bucket, r.key, r.ids = bucket, key, ids
	return true, nil
}

func (r *runReader) str(n uint64) (string, error) {
	if n > 1<<16 {
		return "", errors.New("bad run entry")
	}
	b := make([]byte, n)
	_, err := io.ReadFull(r.r, b)
	return string(b), err
}

// runHeap orders runs by their current bucket and key, then by run.
type runHeap []*runReader

func (h runHeap) Len() int { return len(h) }
func (h runHeap) Less(i, j int) bool {
	a, b := h[i], h[j]
	if a.bucket != b.bucket {
		return a.bucket < b.bucket
	}
	if a.key != b.key {
		return a.key < b.key
	}
	return a.order < b.order
}
func (h runHeap) Swap(i, j int)       { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x interface{}) { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() interface{} {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// writeNodes writes each node's id (the "v" buckets) and reference count
// (the "n" buckets), in hash order.
func (b *bulkBuild) writeNodes() error {
	type entry struct {
		h refs.ValueHash
		n bulkNode
	}
	all := make([]entry, 0, len(b.nodes))
	for h, n := range b.nodes {
		all = append(all, entry{h, n})
	}
	b.nodes = nil
	sort.Slice(all, func(i, j int) bool {
		return string(all[i].h[:]) < string(all[j].h[:])
	})
	w := &batchWriter{db: b.db}
	var tmp [binary.MaxVarintLen64]byte
	for _, prefix := range []byte{'n', 'v'} { // the root's keys in order: n.., ops, sp, v..
		for _, e := range all {
			x := uint64(e.n.id)
			if prefix == 'n' {
				x = uint64(e.n.refs)
			}
			v := append([]byte(nil), tmp[:binary.PutUvarint(tmp[:], x)]...)
			if err := w.put(string([]byte{prefix, e.h[0], e.h[1]}), append([]byte(nil), e.h[:]...), v); err != nil {
				return err
			}
		}
	}
	return w.commit()
}

// Building reports whether a bulk build is under way (see Options.Bulk).
func (s *Store) Building() bool { return s.bulk != nil }

// FinishBuild ends a bulk build, if one is under way: what was written
// lands in the store, all at once. Close does it too.
func (s *Store) FinishBuild() error { return s.settle() }

// settle ends a bulk build: the store then holds what it was given and
// reads and writes the usual way. Should the build fail, the store is as
// it was, empty, and the error says why.
func (s *Store) settle() error { return s.endBuild(true) }

// endBuild ends a bulk build, and reopens the store if reopen (Close
// need not).
func (s *Store) endBuild(reopen bool) error {
	if s.bulk == nil {
		return nil
	}
	b := s.bulk
	s.bulk = nil
	// the store stays open, so locked, until the build's file is ready
	err := b.complete()
	for _, f := range s.onClose {
		f()
	}
	s.onClose = nil
	if cerr := s.qs.Close(); cerr != nil && err == nil {
		b.abort()
		err = cerr
	}
	if err == nil {
		err = b.install()
	}
	if !reopen {
		return err
	}
	ns, oerr := b.reopen()
	if oerr != nil {
		if err == nil {
			err = oerr
		}
		return err
	}
	*s = *ns
	return err
}

// metaHorizon is the key of the last id Cayley's key-value stores gave.
var metaHorizon = hkv.Key{[]byte("meta"), []byte("horizon")}

// bulkEmpty reports whether a bolt store never held a node: a new store,
// or one whose first build did not end.
func (s *Store) bulkEmpty(ctx context.Context) (bool, error) {
	tx, err := s.kv.Tx(ctx, false)
	if err != nil {
		return false, err
	}
	defer tx.Close()
	v, err := tx.Get(ctx, metaHorizon)
	if errors.Is(err, hkv.ErrNotFound) {
		return true, nil
	} else if err != nil {
		return false, err
	}
	return len(v) == 8 && binary.LittleEndian.Uint64(v) == 0, nil
}
