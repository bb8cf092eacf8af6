package graph

import (
	"context"
	"encoding/binary"
	"errors"
	"sync"
	"time"

	hkv "github.com/hidal-go/hidalgo/kv"
)

// defaultReadCache is the number of bytes of quads and nodes a bolt
// store keeps in memory for its queries (twice that at most; see
// readCache).
const defaultReadCache = 64 << 20

// logBucket is the bucket of Cayley's key-value stores that holds every
// quad and node by its id.
const logBucket = "log"

// readCache keeps what read-only transactions read of the log bucket.
// Cayley's key-value stores keep an index entry as a list of quad ids and
// the quads in the log, so a one-hop question reads each quad of its
// answer with a lookup of its own in a B-tree of millions: that lookup,
// not the index, is the cost of a query, and a cache of the log turns it
// into a map read.
//
// It holds two generations of at most limit bytes each: entries are
// added to the young one and, when it is full, the old one is dropped
// and the young one becomes old; a hit in the old one is copied to the
// young one. Every write transaction empties it when it ends; a read
// transaction that began before that neither reads nor fills it after,
// and one that begins while a write is open does not use it at all
// (between bbolt's commit and the end of the write it would see the new
// snapshot and the old cache), so a reader never sees a quad newer or
// older than its snapshot.
type readCache struct {
	mu         sync.Mutex
	limit      int
	gen        uint64 // write transactions ended so far
	writing    int    // write transactions open
	young, old map[uint64][]byte
	youngBytes int
}

// noCache is the generation of a reader that does not use the cache.
const noCache = ^uint64(0)

func newReadCache(limit int) *readCache {
	return &readCache{limit: limit, young: map[uint64][]byte{}}
}

// generation returns the generation a reader beginning now reads the
// cache at, noCache while a write is open.
func (c *readCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writing > 0 {
		return noCache
	}
	return c.gen
}

// beginWrite records a write transaction opening.
func (c *readCache) beginWrite() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writing++
}

// get returns the value of key as of generation gen, if cached.
func (c *readCache) get(gen, key uint64) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return nil, false
	}
	return c.getLocked(key)
}

func (c *readCache) getLocked(key uint64) ([]byte, bool) {
	if v, ok := c.young[key]; ok {
		return v, true
	}
	v, ok := c.old[key]
	if ok {
		c.addLocked(key, v)
	}
	return v, ok
}

// put caches the value of key read at generation gen.
func (c *readCache) put(gen, key uint64, v []byte) {
	if c.limit <= 0 {
		return
	}
	v = append([]byte(nil), v...) // bolt's values live as long as their transaction
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen {
		c.addLocked(key, v)
	}
}

func (c *readCache) addLocked(key uint64, v []byte) {
	if c.youngBytes >= c.limit {
		c.old, c.young, c.youngBytes = c.young, map[uint64][]byte{}, 0
	}
	c.young[key] = v
	c.youngBytes += len(v) + 64 // about the map's own cost
}

// endWrite records a write transaction ending, committed or not, and
// empties the cache.
func (c *readCache) endWrite() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writing--
	c.gen++
	c.young, c.old, c.youngBytes = map[uint64][]byte{}, nil, 0
}

// boltCache is a key-value store whose read-only transactions go
// through a readCache.
type boltCache struct {
	hkv.KV
	cache *readCache
	// reads counts the read-only transactions open, for Close
	reads sync.WaitGroup
}

// closeWait is how long Close waits for read-only transactions to end.
const closeWait = 10 * time.Second

func (k *boltCache) Tx(ctx context.Context, rw bool) (hkv.Tx, error) {
	if !rw {
		k.reads.Add(1)
	}
	tx, err := k.KV.Tx(ctx, rw)
	if err != nil {
		if !rw {
			k.reads.Done()
		}
		return nil, err
	}
	if rw {
		k.cache.beginWrite()
		return &writeTx{Tx: tx, end: k.cache.endWrite}, nil
	}
	return &readTx{Tx: tx, cache: k.cache, gen: k.cache.generation(), done: k.reads.Done}, nil
}

// Close closes the store once its read-only transactions have ended.
// A query that stopped early (a limit reached) may still be closing its
// iterators in a goroutine of Cayley's; bbolt's Close, which locks the
// store's metadata and then waits for readers, and the rollback of such a
// reader, which needs that lock, would wait for each other for ever.
func (k *boltCache) Close() error {
	done := make(chan struct{})
	go func() {
		k.reads.Wait()
		close(done)
	}()
	select {
	case <-done:
		return k.KV.Close()
	case <-time.After(closeWait):
		return errors.New("close bolt store: a read transaction is still open")
	}
}

// View and Update are those of hidalgo, on this store's transactions.
func (k *boltCache) View(ctx context.Context, fn func(hkv.Tx) error) error {
	return hkv.View(ctx, k, fn)
}

func (k *boltCache) Update(ctx context.Context, fn func(hkv.Tx) error) error {
	return hkv.Update(ctx, k, fn)
}

type writeTx struct {
	hkv.Tx
	end  func()
	once sync.Once
}

func (tx *writeTx) Commit(ctx context.Context) error {
	err := tx.Tx.Commit(ctx)
	tx.once.Do(tx.end)
	return err
}

func (tx *writeTx) Close() error {
	err := tx.Tx.Close()
	tx.once.Do(tx.end)
	return err
}

type readTx struct {
	hkv.Tx
	cache *readCache
	gen   uint64
	done  func()
	once  sync.Once
}

func (tx *readTx) Close() error {
	err := tx.Tx.Close()
	tx.once.Do(tx.done)
	return err
}

// logID returns the id of a key of the log bucket: Cayley writes them
// as 8 bytes, big-endian.
func logID(key hkv.Key) (uint64, bool) {
	if len(key) != 2 || len(key[1]) != 8 || string(key[0]) != logBucket {
		return 0, false
	}
	return binary.BigEndian.Uint64(key[1]), true
}

func (tx *readTx) Get(ctx context.Context, key hkv.Key) (hkv.Value, error) {
	id, ok := logID(key)
	if !ok {
		return tx.Tx.Get(ctx, key)
	}
	if v, ok := tx.cache.get(tx.gen, id); ok {
		return v, nil
	}
	v, err := tx.Tx.Get(ctx, key)
	if err == nil {
		tx.cache.put(tx.gen, id, v)
	}
	return v, err
}

func (tx *readTx) GetBatch(ctx context.Context, keys []hkv.Key) ([]hkv.Value, error) {
	vals := make([]hkv.Value, len(keys))
	var miss []int
	c := tx.cache
	c.mu.Lock()
	for i, key := range keys {
		id, ok := logID(key)
		if ok && tx.gen == c.gen {
			vals[i], ok = c.getLocked(id)
		}
		if !ok {
			miss = append(miss, i)
		}
	}
	c.mu.Unlock()
	if len(miss) == 0 {
		return vals, nil
	}
	mkeys := make([]hkv.Key, len(miss))
	for j, i := range miss {
		mkeys[j] = keys[i]
	}
	got, err := tx.Tx.GetBatch(ctx, mkeys)
	if err != nil {
		return nil, err
	}
	for j, i := range miss {
		vals[i] = got[j]
		if id, ok := logID(keys[i]); ok && got[j] != nil {
			c.put(tx.gen, id, got[j])
		}
	}
	return vals, nil
}
