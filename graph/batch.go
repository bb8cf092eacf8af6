package graph

import (
	"container/list"
	"context"
	"fmt"
	"sort"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

// ArticleWriter writes many articles, several to a transaction, with the
// guarantees of WriteArticle for each: an article's new quads land whole
// or not at all, an article already stored is replaced, and a batch whose
// transaction fails is written again one article at a time, so that one
// bad article cannot sink the others.
//
// It is also the Linker the articles it writes should link through: its
// LinkEntity sees the articles queued but not yet committed as if they
// had been, so the graph does not depend on the batch size. It keeps the
// answers in a bounded cache that its own writes keep up to date; other
// writers must not change the store while it is in use.
//
// An ArticleWriter is not safe for concurrent use.
type ArticleWriter struct {
	s       *Store
	pending []pendingArticle
	queued  map[quad.IRI]bool
	deltas  int

	// what the queued articles add and remove of names and name keys
	addKey  map[string][]quad.IRI
	addName map[quad.IRI][]quad.Value
	delName map[quad.Quad]struct{}

	cache *linkCache
	// applyHook, when set (in tests), replaces applyReplace.
	applyHook func([]graph.Delta) error
}

type pendingArticle struct {
	article quad.IRI
	quads   []quad.Quad
	deltas  []graph.Delta
	res     WriteResult
	tag     interface{}
}

// Outcome is what became of one article queued with Add.
type Outcome struct {
	Article quad.IRI
	// Tag is the value given to Add.
	Tag    interface{}
	Result WriteResult
	Err    error
}

// DefaultLinkCache is the number of name keys an ArticleWriter remembers.
const DefaultLinkCache = 1 << 17

// NewArticleWriter returns a writer of articles into the store that
// remembers up to cacheSize name keys (0: DefaultLinkCache).
func (s *Store) NewArticleWriter(cacheSize int) *ArticleWriter {
	if cacheSize <= 0 {
		cacheSize = DefaultLinkCache
	}
	w := &ArticleWriter{s: s, cache: newLinkCache(cacheSize)}
	w.reset()
	return w
}

func (w *ArticleWriter) reset() {
	w.pending = nil
	w.queued = map[quad.IRI]bool{}
	w.deltas = 0
	w.addKey = map[string][]quad.IRI{}
	w.addName = map[quad.IRI][]quad.Value{}
	w.delName = map[quad.Quad]struct{}{}
}

// Len returns the number of articles queued.
func (w *ArticleWriter) Len() int { return len(w.pending) }

// Deltas returns the number of quads the queued articles add or remove.
func (w *ArticleWriter) Deltas() int { return w.deltas }

// Queued reports whether the article is queued: Flush before reading
// or writing it again.
func (w *ArticleWriter) Queued(article quad.IRI) bool { return w.queued[article] }

// Unchanged reports whether the store holds the article with the same
// article-node facts as quads: the same content hash, source, title,
// dates and properties (its mentions aside, which depend on linking).
// Such an article need not be linked or written again. Flush first when
// the article is queued.
func (w *ArticleWriter) Unchanged(ctx context.Context, article quad.IRI, quads []quad.Quad) (bool, error) {
	if w.queued[article] {
		return false, fmt.Errorf("unchanged %s: the article is queued; flush first", article)
	}
	want := map[quad.Quad]struct{}{}
	hasHash := false
	for _, q := range quads {
		if isHead(article, q) {
			want[q] = struct{}{}
			hasHash = hasHash || q.Predicate == schema.ContentHash.IRI()
		}
	}
	if !hasHash {
		return false, nil
	}
	if w.s.bulk != nil && !w.s.bulk.has(article) {
		return false, nil
	}
	if w.s.bulk != nil && !w.s.bulk.full() {
		return w.s.bulk.unchanged(article, quads), nil
	}
	if err := w.s.settle(); err != nil {
		return false, err
	}
	ref, err := w.s.ref(article)
	if err != nil || ref == nil {
		return false, err
	}
	stored, err := w.s.collect(ctx, w.s.qs.QuadIterator(quad.Subject, ref).Iterate())
	if err != nil {
		return false, err
	}
	n := 0
	for _, q := range stored {
		if !isHead(article, q) {
			continue
		}
		if _, ok := want[q]; !ok {
			return false, nil
		}
		n++
	}
	return n == len(want), nil
}

func isHead(article quad.IRI, q quad.Quad) bool {
	return q.Subject == article && q.Label == article && q.Predicate != schema.Mentions.IRI()
}

// Add queues an article's quads, labelled with its IRI, for the next
// Flush; tag comes back in its Outcome. An article that is stored with
// exactly these quads is not queued: Add returns true. An invalid article
// is refused with an error and nothing of it is queued.
func (w *ArticleWriter) Add(ctx context.Context, article quad.IRI, quads []quad.Quad, tag interface{}) (unchanged bool, err error) {
	if w.queued[article] {
		return false, fmt.Errorf("write %s: the article is already queued; flush first", article)
	}
	var (
		deltas []graph.Delta
		res    WriteResult
	)
	if w.s.bulkFor(article) {
		// a new article: its queued deltas hold whether the build goes on
		// or ends before the flush
		if err = checkArticle(article, quads); err == nil {
			deltas, res = newArticleDeltas(quads)
		}
	} else {
		if err := w.s.settle(); err != nil {
			return false, err
		}
		deltas, res, err = w.s.articleDeltas(ctx, article, quads)
	}
	if err != nil {
		return false, err
	}
	if res.Unchanged {
		return true, nil
	}
	w.pending = append(w.pending, pendingArticle{article: article, quads: quads, deltas: deltas, res: res, tag: tag})
	w.queued[article] = true
	w.deltas += len(deltas)
	for _, d := range deltas {
		q := d.Quad
		switch q.Predicate {
		case schema.NameKey.IRI():
			if d.Action == graph.Add {
				if s, ok := q.Subject.(quad.IRI); ok {
					key := quad.ToString(q.Object)
					w.addKey[key] = append(w.addKey[key], s)
				}
			} else {
				w.delName[q] = struct{}{}
			}
		case schema.Name:
			if d.Action == graph.Add {
				if s, ok := q.Subject.(quad.IRI); ok {
					w.addName[s] = append(w.addName[s], q.Object)
				}
			} else {
				w.delName[q] = struct{}{}
			}
		}
	}
	return false, nil
}

// Flush commits the queued articles in one transaction (two when a
// replaced article shrinks; see applyReplace) and returns what became of
// each, in the order they were added. When the transaction fails, each
// article is written again on its own, and those that still fail carry
// their error.
func (w *ArticleWriter) Flush(ctx context.Context) []Outcome {
	if len(w.pending) == 0 {
		return nil
	}
	pending := w.pending
	out := make([]Outcome, len(pending))
	var all []graph.Delta
	if len(pending) == 1 {
		all = pending[0].deltas
	} else {
		all = make([]graph.Delta, 0, w.deltas)
		for _, p := range pending {
			all = append(all, p.deltas...)
		}
	}
	if w.s.bulk != nil {
		if w.applyHook == nil {
			return w.flushBulk()
		}
		// a test's hook writes to the store: the build must end first
		if err := w.s.settle(); err != nil {
			out := make([]Outcome, len(pending))
			for i, p := range pending {
				out[i] = Outcome{Article: p.article, Tag: p.tag, Err: fmt.Errorf("write %s: %w", p.article, err)}
			}
			w.reset()
			return out
		}
	}
	apply := w.s.applyReplace
	if w.applyHook != nil {
		apply = w.applyHook
	}
	err := apply(all)
	if err == nil {
		w.updateCache()
		for i, p := range pending {
			out[i] = Outcome{Article: p.article, Tag: p.tag, Result: p.res}
		}
		w.reset()
		return out
	}
	// one at a time: each article's deltas are worked out anew, since
	// part of the batch may have landed
	w.cache.clear()
	w.reset()
	for i, p := range pending {
		out[i] = Outcome{Article: p.article, Tag: p.tag}
		deltas, res, derr := w.s.articleDeltas(ctx, p.article, p.quads)
		if derr == nil && !res.Unchanged {
			derr = apply(deltas)
		}
		if derr != nil {
			out[i].Err = fmt.Errorf("write %s: %w", p.article, derr)
			continue
		}
		out[i].Result = res
	}
	return out
}

// flushBulk writes the queued articles to the store's bulk build, all
// of whose queued deltas add. A failed build fails them all: nothing of
// it lands.
func (w *ArticleWriter) flushBulk() []Outcome {
	arts := make([]bulkArticle, len(w.pending))
	for i, p := range w.pending {
		quads := make([]quad.Quad, len(p.deltas))
		for j, d := range p.deltas {
			quads[j] = d.Quad
		}
		arts[i] = bulkArticle{p.article, quads}
	}
	err := w.s.bulk.write(arts)
	out := make([]Outcome, len(w.pending))
	for i, p := range w.pending {
		out[i] = Outcome{Article: p.article, Tag: p.tag, Result: p.res}
		if err != nil {
			out[i] = Outcome{Article: p.article, Tag: p.tag, Err: fmt.Errorf("write %s: %w", p.article, err)}
		}
	}
	if err == nil {
		w.updateCache()
	} else {
		w.cache.clear()
	}
	w.reset()
	return out
}

// updateCache brings the link cache up to date with the batch just
// committed.
func (w *ArticleWriter) updateCache() {
	for q := range w.delName {
		if q.Predicate == schema.Name {
			// the first name of a node may be gone: forget them all
			w.cache.clear()
			return
		}
		w.cache.remove(quad.ToString(q.Object))
	}
	for key, subjects := range w.addKey {
		e, ok := w.cache.get(key)
		if !ok {
			continue
		}
		for _, s := range subjects {
			if s < e.iri {
				w.cache.remove(key)
				break
			}
		}
	}
}

// LinkEntity returns the node that carries the name key, and its
// canonical name, as Store.LinkEntity would if the queued articles had
// been committed.
func (w *ArticleWriter) LinkEntity(ctx context.Context, key string) (quad.IRI, string, error) {
	if len(w.delName) != 0 {
		return w.linkExact(ctx, key)
	}
	e, ok := w.cache.get(key)
	if !ok {
		iri, name, err := w.s.linkFast(ctx, key)
		if err != nil {
			return "", "", err
		}
		e = linkEntry{iri: iri, name: name}
		if iri != "" && name != "" {
			w.cache.put(key, e)
		}
	}
	best := e.iri
	for _, s := range w.addKey[key] {
		if best == "" || s < best {
			best = s
		}
	}
	if best == "" {
		return "", "", nil
	}
	if best == e.iri && e.name != "" {
		return best, e.name, nil
	}
	name, err := w.firstName(ctx, best)
	return best, name, err
}

// firstName returns the first name of a node, the queued articles' after
// the store's.
func (w *ArticleWriter) firstName(ctx context.Context, node quad.IRI) (string, error) {
	if len(w.delName) == 0 {
		name, ok, err := w.s.firstObjectFast(ctx, node, schema.Name)
		if err != nil {
			return "", err
		}
		if ok {
			if name != nil {
				return quad.ToString(name), nil
			}
			if v := w.addName[node]; len(v) > 0 {
				return quad.ToString(v[0]), nil
			}
			return "", nil
		}
	}
	names, err := w.s.objectQuads(ctx, node, schema.Name)
	if err != nil {
		return "", err
	}
	for _, q := range names {
		if _, gone := w.delName[q]; !gone {
			return quad.ToString(q.Object), nil
		}
	}
	if v := w.addName[node]; len(v) > 0 {
		return quad.ToString(v[0]), nil
	}
	return "", nil
}

// linkExact is LinkEntity without the cache, for when queued articles
// remove names or name keys.
func (w *ArticleWriter) linkExact(ctx context.Context, key string) (quad.IRI, string, error) {
	var found []quad.IRI
	ref, err := w.s.ref(quad.String(key))
	if err != nil {
		return "", "", err
	}
	if ref != nil {
		qs, err := w.s.collect(ctx, w.s.qs.QuadIterator(quad.Object, ref).Iterate())
		if err != nil {
			return "", "", err
		}
		for _, q := range qs {
			if q.Predicate != schema.NameKey.IRI() {
				continue
			}
			if _, gone := w.delName[q]; gone {
				continue
			}
			if iri, ok := q.Subject.(quad.IRI); ok {
				found = append(found, iri)
			}
		}
	}
	found = append(found, w.addKey[key]...)
	if len(found) == 0 {
		return "", "", nil
	}
	sort.Slice(found, func(i, j int) bool { return found[i] < found[j] })
	name, err := w.firstName(ctx, found[0])
	return found[0], name, err
}

// kvIndexes reports whether the store is one of Cayley's key-value stores,
// which all have (since Cayley 0.7) the default indexes (subject,
// predicate) and (object, predicate, subject) that linkFast and
// firstObjectFast scan directly.
func (s *Store) kvIndexes() (*kv.QuadStore, bool) {
	kqs, ok := s.qs.(*kv.QuadStore)
	return kqs, ok
}

var (
	indexSP  = kv.QuadIndex{Dirs: []quad.Direction{quad.Subject, quad.Predicate}}
	indexOPS = kv.QuadIndex{Dirs: []quad.Direction{quad.Object, quad.Predicate, quad.Subject}}
)

// scan returns the quads of an index with the given leading values.
func (s *Store) scan(kqs *kv.QuadStore, ind kv.QuadIndex, vals ...graph.Ref) iterator.Scanner {
	ids := make([]uint64, len(vals))
	for i, v := range vals {
		ids[i] = uint64(v.(kv.Int64Value))
	}
	return kv.IndexScan{Index: ind, Values: ids}.BuildIterator(kqs).Iterate()
}

// linkFast is Store.LinkEntity reading only the quads that give the key
// (through the object-predicate index) and, of each, only its subject:
// LinkEntity reads every quad of the key and every quad of the node it
// picks, which a node that many articles name makes slow.
func (s *Store) linkFast(ctx context.Context, key string) (quad.IRI, string, error) {
	if s.bulk != nil {
		iri, name := s.bulk.link(key)
		return iri, name, nil
	}
	kqs, ok := s.kvIndexes()
	if !ok {
		return s.LinkEntity(ctx, key)
	}
	kref, err := s.ref(quad.String(key))
	if err != nil || kref == nil {
		return "", "", err
	}
	pref, err := s.ref(schema.NameKey.IRI())
	if err != nil || pref == nil {
		return "", "", err
	}
	var found []quad.IRI
	if s.kv != nil {
		ids, err := s.liveSubjects(ctx, uint64(pref.(kv.Int64Value)), uint64(kref.(kv.Int64Value)))
		if err != nil {
			return "", "", err
		}
		for _, id := range ids {
			v, err := kqs.NameOf(kv.Int64Value(id))
			if err != nil {
				return "", "", err
			}
			if iri, ok := v.(quad.IRI); ok {
				found = append(found, iri)
			}
		}
	} else {
		it := s.scan(kqs, indexOPS, kref, pref)
		defer it.Close()
		seen := map[graph.Ref]bool{}
		for it.Next(ctx) {
			sref, err := kqs.QuadDirection(it.Result(), quad.Subject)
			if err != nil {
				return "", "", err
			}
			if sref == nil || seen[sref] {
				continue
			}
			seen[sref] = true
			v, err := kqs.NameOf(sref)
			if err != nil {
				return "", "", err
			}
			if iri, ok := v.(quad.IRI); ok {
				found = append(found, iri)
			}
		}
		if err := it.Err(); err != nil {
			return "", "", err
		}
	}
	if len(found) == 0 {
		return "", "", nil
	}
	sort.Slice(found, func(i, j int) bool { return found[i] < found[j] })
	name, _, err := s.firstObjectFast(ctx, found[0], schema.Name)
	if err != nil {
		return "", "", err
	}
	if name == nil {
		return found[0], "", nil
	}
	return found[0], quad.ToString(name), nil
}

// firstObjectFast returns the object of subject's first pred quad in the
// store's order, through the subject-predicate index; ok is false when
// the store has no such index.
func (s *Store) firstObjectFast(ctx context.Context, subject quad.Value, pred quad.IRI) (v quad.Value, ok bool, err error) {
	if s.bulk != nil {
		if iri, isIRI := subject.(quad.IRI); isIRI && pred == schema.Name {
			if name, found := s.bulk.names[iri]; found {
				return quad.String(name), true, nil
			}
			return nil, true, nil
		}
		if err := s.settle(); err != nil {
			return nil, false, err
		}
	}
	kqs, ok := s.kvIndexes()
	if !ok {
		return nil, false, nil
	}
	sref, err := s.ref(subject)
	if err != nil || sref == nil {
		return nil, true, err
	}
	pref, err := s.ref(pred)
	if err != nil || pref == nil {
		return nil, true, err
	}
	it := s.scan(kqs, indexSP, sref, pref)
	defer it.Close()
	if !it.Next(ctx) {
		return nil, true, it.Err()
	}
	oref, err := kqs.QuadDirection(it.Result(), quad.Object)
	if err != nil || oref == nil {
		return nil, true, err
	}
	v, err = kqs.NameOf(oref)
	return v, true, err
}

// objectQuads returns subject's pred quads, in the store's order.
func (s *Store) objectQuads(ctx context.Context, subject quad.Value, pred quad.IRI) ([]quad.Quad, error) {
	ref, err := s.ref(subject)
	if err != nil || ref == nil {
		return nil, err
	}
	all, err := s.collect(ctx, s.qs.QuadIterator(quad.Subject, ref).Iterate())
	out := all[:0]
	for _, q := range all {
		if q.Predicate == pred {
			out = append(out, q)
		}
	}
	return out, err
}

// linkCache remembers the answers of LinkEntity for the keys used last.
type linkCache struct {
	max   int
	order *list.List // of *list.Element values: keys, most recent first
	m     map[string]*list.Element
}

type linkEntry struct {
	iri  quad.IRI
	name string
}

type cacheItem struct {
	key string
	e   linkEntry
}

func newLinkCache(max int) *linkCache {
	return &linkCache{max: max, order: list.New(), m: map[string]*list.Element{}}
}

func (c *linkCache) get(key string) (linkEntry, bool) {
	el, ok := c.m[key]
	if !ok {
		return linkEntry{}, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheItem).e, true
}

func (c *linkCache) put(key string, e linkEntry) {
	if el, ok := c.m[key]; ok {
		el.Value.(*cacheItem).e = e
		c.order.MoveToFront(el)
		return
	}
	c.m[key] = c.order.PushFront(&cacheItem{key, e})
	if c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.m, last.Value.(*cacheItem).key)
	}
}

func (c *linkCache) remove(key string) {
	if el, ok := c.m[key]; ok {
		c.order.Remove(el)
		delete(c.m, key)
	}
}

func (c *linkCache) clear() {
	c.order.Init()
	c.m = map[string]*list.Element{}
}
