package graph

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	hkv "github.com/hidal-go/hidalgo/kv"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	"github.com/hidal-go/hidalgo/kv/options"
	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"
)

// openBolt opens the bolt store in directory dir, creating it unless
// opt.ReadOnly. It keeps the format of Cayley's own bolt backend, the file
// indexes.bolt with Cayley's buckets, so that backend and the cayley tool
// open the same store. What differs:
//
//   - the file is opened with bbolt, a maintained fork of bolt that reads
//     and writes the same format, faster: it looks a bucket up in a map
//     where bolt searched the B-tree on every write, and its free list is a
//     hash map where bolt's was an array each allocation scanned;
//   - a new store also indexes quads by label (see labelIndexes), so that
//     an article's quads are found without reading the whole store;
//   - read-only transactions share a cache of the quads and nodes they
//     read (see readCache), which writes empty;
//   - the store keeps the key-value store, for the scans Cayley's query
//     layer has no way to ask for (see liveSubjects).
func openBolt(dir string, opt Options, gopt graph.Options) (*Store, error) {
	if opt.ReadOnly {
		if _, err := os.Stat(boltFile(dir)); err != nil {
			return nil, fmt.Errorf("open bolt store %s: no store there (ingest something first)", dir)
		}
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create bolt store %s: %w", dir, err)
	}
	db, err := openBoltKV(dir, gopt)
	if err != nil {
		return nil, fmt.Errorf("open bolt store %s: %w", dir, err)
	}
	s, err := newKVStore("bolt", dir, db, opt.ReadOnly, gopt)
	if err != nil {
		return nil, err
	}
	s.readOnly = opt.ReadOnly
	if gopt["mmap_size"] != nil {
		s.releaseEvery(opt.ReleaseEvery)
	}
	if opt.ReadOnly {
		return s, nil
	}
	// this process holds the store: what a bulk build that did not end
	// left is of no use
	if err := removeBulkLeftovers(dir); err != nil {
		s.Close()
		return nil, fmt.Errorf("open bolt store %s: %w", dir, err)
	}
	if opt.Bulk {
		empty, err := s.bulkEmpty(context.Background())
		if err == nil && empty {
			reopen := opt
			reopen.Bulk = false
			s.bulk, err = newBulkBuild(dir, func() (*Store, error) { return openBolt(dir, reopen, gopt) })
		}
		if err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

func boltFile(dir string) string { return filepath.Join(dir, "indexes.bolt") }

func openBoltKV(dir string, opt graph.Options) (*boltCache, error) {
	mmap, err := opt.IntKey("mmap_size", 0)
	if err != nil {
		return nil, err
	}
	db, err := bolt.Open(boltFile(dir), 0o600, &bolt.Options{
		FreelistType:    bolt.FreelistMapType,
		InitialMmapSize: mmap,
	})
	if err != nil {
		return nil, err
	}
	return &boltCache{KV: hbolt.New(db), cache: newReadCache(defaultReadCache)}, nil
}

// newKVStore is the Cayley store over db, one of Cayley's key-value
// stores (bolt, leveldb) opened at dir, initialised unless ro. Cayley's
// Init writes its default list of indexes into a new store's metadata;
// this store gets the label index too. db is closed on an error.
func newKVStore(backend, dir string, db hkv.KV, ro bool, gopt graph.Options) (*Store, error) {
	if !ro {
		err := kv.Init(&initKV{db}, gopt)
		if err != nil && !errors.Is(err, graph.ErrDatabaseExists) {
			db.Close()
			return nil, fmt.Errorf("create %s store %s: %w", backend, dir, err)
		}
	}
	qs, err := kv.New(db, gopt)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s store %s: %w", backend, dir, err)
	}
	return &Store{qs: qs, backend: backend, path: dir, kv: db}, nil
}

// labelIndexes are the quad indexes of a new bolt store: Cayley's
// defaults (subject-predicate, object-predicate-subject) and label-subject.
// Cayley's key-value stores have no index by label otherwise, so listing,
// replacing or deleting one article read every quad of the store, and
// telling one copy of a triple from the copies other articles state read
// all of them. Label-subject rather than label alone keeps quads without
// a label from piling up under one key.
var labelIndexes = append(append([]kv.QuadIndex(nil), kv.DefaultQuadIndexes...),
	kv.QuadIndex{Dirs: []quad.Direction{quad.Label, quad.Subject}})

// metaIndexes is the key under which Cayley's key-value stores keep the
// JSON list of their quad indexes.
var metaIndexes = hkv.Key{[]byte("meta"), []byte("indexes")}

// initKV is the store while Cayley initialises it: the list of indexes
// Cayley writes is replaced by labelIndexes.
type initKV struct{ hkv.KV }

func (k *initKV) Tx(ctx context.Context, rw bool) (hkv.Tx, error) {
	tx, err := k.KV.Tx(ctx, rw)
	if err != nil || !rw {
		return tx, err
	}
	return initTx{tx}, nil
}

func (k *initKV) View(ctx context.Context, fn func(hkv.Tx) error) error {
	return hkv.View(ctx, k, fn)
}

func (k *initKV) Update(ctx context.Context, fn func(hkv.Tx) error) error {
	return hkv.Update(ctx, k, fn)
}

type initTx struct{ hkv.Tx }

func (tx initTx) Put(ctx context.Context, key hkv.Key, v hkv.Value) error {
	if key.Compare(metaIndexes) == 0 {
		b, err := json.Marshal(labelIndexes)
		if err != nil {
			return fmt.Errorf("label index: %w", err)
		}
		v = b
		// the index's bucket, as Cayley makes those of its own
		if err := hkv.CreateBucket(ctx, tx.Tx, hkv.Key{[]byte("cs")}); err != nil {
			return fmt.Errorf("label index: %w", err)
		}
	}
	return tx.Tx.Put(ctx, key, v)
}

// liveSubjects returns the ids of the subjects of the quads "? p o" that
// are not deleted, in id order, from the keys of the object-predicate-
// subject index: Cayley would read every quad, one for each article that
// states the triple, to learn each one's subject, which the key already
// holds. Of each triple it reads one quad, the newest, to see that it is
// live (Cayley leaves a deleted quad's id in the index), and more only when
// that one is deleted.
func (s *Store) liveSubjects(ctx context.Context, p, o uint64) ([]uint64, error) {
	tx, err := s.kv.Tx(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Close()
	prefix := make([]byte, 16)
	binary.BigEndian.PutUint64(prefix, o)
	binary.BigEndian.PutUint64(prefix[8:], p)
	it := tx.Scan(ctx, options.WithPrefixKV(hkv.Key{opsBucket, prefix}))
	defer it.Close()
	var out []uint64
	for it.Next(ctx) {
		k := it.Key()
		if len(k) != 2 || len(k[1]) != 24 {
			continue
		}
		ids, err := decodeIDs(it.Val())
		if err != nil {
			return nil, fmt.Errorf("index %x: %w", k[1], err)
		}
		for i := len(ids) - 1; i >= 0; i-- {
			live, err := liveQuad(ctx, tx, ids[i])
			if err != nil {
				return nil, err
			}
			if live {
				out = append(out, binary.BigEndian.Uint64(k[1][16:]))
				break
			}
		}
	}
	return out, it.Err()
}

// opsBucket is the bucket of Cayley's object-predicate-subject index.
var opsBucket = []byte("ops")

// decodeIDs decodes an index entry of Cayley's key-value stores: quad ids
// as unsigned varints.
func decodeIDs(b []byte) ([]uint64, error) {
	var out []uint64
	for len(b) > 0 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errors.New("bad quad id list")
		}
		out = append(out, v)
		b = b[n:]
	}
	return out, nil
}

// liveQuad reports whether the quad with the given id is in the log and
// not deleted.
func liveQuad(ctx context.Context, tx hkv.Tx, id uint64) (bool, error) {
	key := make([]byte, 8)
	binary.BigEndian.PutUint64(key, id)
	v, err := tx.Get(ctx, hkv.Key{[]byte(logBucket), key})
	if errors.Is(err, hkv.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	var prim cproto.Primitive
	if err := proto.Unmarshal(v, &prim); err != nil {
		return false, fmt.Errorf("quad %d: %w", id, err)
	}
	return !prim.Deleted, nil
}
