package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"
	hkv "github.com/hidal-go/hidalgo/kv"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	bolt "go.etcd.io/bbolt"
)

// boltKV is the name newsgraph's bolt store has in Cayley's registry of
// key-value backends; the user still says "bolt". It keeps the format of
// Cayley's own bolt backend, the file indexes.bolt in the store's
// directory with Cayley's buckets, so that backend and the cayley tool
// open the same store. What differs:
//
//   - the file is opened with bbolt, a maintained fork of bolt that reads
//     and writes the same format, with its hash-map free list: bolt's free
//     list is a sorted array that each page allocation scans, which on a
//     store of gigabytes costs more than the writes themselves;
//   - a new store also indexes quads by label (see labelIndexes), so that
//     an article's quads are found without reading the whole store;
//   - read-only transactions share a cache of the quads and nodes they
//     read (see readCache), which writes empty.
const boltKV = "newsgraph-bolt"

func init() {
	kv.Register(boltKV, kv.Registration{
		NewFunc:      openBoltKV,
		InitFunc:     createBoltKV,
		IsPersistent: true,
	})
}

func boltFile(dir string) string { return filepath.Join(dir, "indexes.bolt") }

func createBoltKV(dir string, opt graph.Options) (hkv.KV, error) {
	if dir == "" {
		return nil, kv.ErrEmptyPath
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	db, err := openBoltKV(dir, opt)
	if err != nil {
		return nil, err
	}
	// Cayley's Init writes its default list of indexes into the new
	// store's metadata; this store gets the label index too.
	return &initKV{boltCache: db.(*boltCache)}, nil
}

func openBoltKV(dir string, opt graph.Options) (hkv.KV, error) {
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
	size, err := opt.IntKey("read_cache", defaultReadCache)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &boltCache{KV: hbolt.New(db), cache: newReadCache(size)}, nil
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
type initKV struct{ *boltCache }

func (k *initKV) Tx(ctx context.Context, rw bool) (hkv.Tx, error) {
	tx, err := k.boltCache.Tx(ctx, rw)
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
