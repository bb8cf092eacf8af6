package graph

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/cayleygraph/cayley/graph/kv"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	hkv "github.com/hidal-go/hidalgo/kv"
	"github.com/hidal-go/hidalgo/kv/options"
	"google.golang.org/protobuf/proto"

	"github.com/newsgraph/newsgraph/schema"
)

// Stats counts what a store holds.
type Stats struct {
	Quads    int
	Articles int
	// Entities counts distinct nodes by class local name.
	Entities map[string]int
	// Facts counts distinct triples by predicate local name, across
	// articles (a fact two articles state counts once).
	Facts map[string]int
	// Evidence counts the evidence nodes (which sentence states which
	// fact); their quads are in Quads but not in Entities or Facts.
	Evidence int
	// Ontology counts the quads of the vocabulary (EnsureOntology),
	// which are not in Quads.
	Ontology int
}

// Stats reads the whole store once and counts it.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	if err := s.settle(); err != nil {
		return Stats{}, err
	}
	if kqs, ok := s.kvIndexes(); ok && s.kv != nil {
		return s.statsFromLog(ctx, kqs)
	}
	return s.statsFromQuads(ctx)
}

// statsFromQuads counts the quads as Cayley reads them, values and all.
func (s *Store) statsFromQuads(ctx context.Context) (Stats, error) {
	st := Stats{Entities: map[string]int{}, Facts: map[string]int{}}
	typed := map[quad.Value]string{}
	triples := map[[3]quad.Value]bool{}
	evidence := map[quad.IRI]bool{}
	r := s.AllQuads()
	defer r.Close()
	for {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		q, err := r.ReadQuad()
		if err == io.EOF {
			break
		}
		if err != nil {
			return st, err
		}
		if q.Label == schema.OntologyGraph {
			st.Ontology++
			continue
		}
		st.Quads++
		if iri, ok := q.Subject.(quad.IRI); ok && strings.HasPrefix(string(iri), schema.EvidencePrefix) {
			if q.Predicate == schema.Type {
				evidence[iri] = true
			}
			continue
		}
		if q.Predicate == schema.Type {
			if iri, ok := q.Object.(quad.IRI); ok {
				typed[q.Subject] = schema.LocalName(string(iri))
			}
			continue
		}
		t := [3]quad.Value{q.Subject, q.Predicate, q.Object}
		if triples[t] {
			continue
		}
		triples[t] = true
		if p, ok := q.Predicate.(quad.IRI); ok {
			st.Facts[schema.LocalName(string(p))]++
		}
	}
	st.Evidence = len(evidence)
	for _, c := range typed {
		if c == string(schema.Article) {
			st.Articles++
			continue
		}
		st.Entities[c]++
	}
	return st, nil
}

// statsFromLog counts as statsFromQuads does, from a scan of the log of
// Cayley's key-value layer in id order: the quads as ids, with only the
// few values the counts are by (predicates, classes) read at the end.
// Reading every quad's values through Cayley took 1m30s on a
// 100k-article store. An evidence node is a node of class Evidence.
func (s *Store) statsFromLog(ctx context.Context, kqs *kv.QuadStore) (Stats, error) {
	st := Stats{Entities: map[string]int{}, Facts: map[string]int{}}
	id := func(v quad.Value) (uint64, error) {
		ref, err := s.ref(v)
		if err != nil || ref == nil {
			return 0, err
		}
		return uint64(ref.(kv.Int64Value)), nil
	}
	var ids [4]uint64
	for i, v := range []quad.Value{schema.OntologyGraph, schema.Type, schema.EvidenceClass.IRI(), schema.Article.IRI()} {
		var err error
		if ids[i], err = id(v); err != nil {
			return st, err
		}
	}
	ontology, typ, evidence, article := ids[0], ids[1], ids[2], ids[3]
	tx, err := s.kv.Tx(ctx, false)
	if err != nil {
		return st, err
	}
	defer tx.Close()
	typed := map[uint64]uint64{}
	triples := map[[3]uint64]struct{}{}
	it := tx.Scan(ctx, options.WithPrefixKV(hkv.Key{[]byte(logBucket)}))
	defer it.Close()
	var p cproto.Primitive
	for n := 0; it.Next(ctx); n++ {
		if n%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return st, err
			}
		}
		if n%(1<<20) == 0 && s.backend == "bolt" && s.readOnly {
			// the file read so far need not stay in the resident set
			s.releaseMapped()
		}
		if len(it.Key()) != 2 {
			continue // a flat store's (leveldb's) mark of the bucket
		}
		p.Reset()
		if err := proto.Unmarshal(it.Val(), &p); err != nil {
			return st, fmt.Errorf("read store: %w", err)
		}
		if p.ID == 0 || p.IsNode() || p.Deleted {
			continue
		}
		if ontology != 0 && p.Label == ontology {
			st.Ontology++
			continue
		}
		st.Quads++
		if typ != 0 && p.Predicate == typ {
			typed[p.Subject] = p.Object
			continue
		}
		triples[[3]uint64{p.Subject, p.Predicate, p.Object}] = struct{}{}
	}
	if err := it.Err(); err != nil {
		return st, fmt.Errorf("read store: %w", err)
	}
	names := map[uint64]string{}
	local := func(id uint64) (string, error) {
		if n, ok := names[id]; ok {
			return n, nil
		}
		v, err := kqs.NameOf(kv.Int64Value(id))
		if err != nil {
			return "", err
		}
		n := ""
		if iri, ok := v.(quad.IRI); ok {
			n = schema.LocalName(string(iri))
		}
		names[id] = n
		return n, nil
	}
	for t := range triples {
		if evidence != 0 && typed[t[0]] == evidence {
			continue
		}
		n, err := local(t[1])
		if err != nil {
			return st, err
		}
		if n != "" {
			st.Facts[n]++
		}
	}
	for _, c := range typed {
		switch {
		case evidence != 0 && c == evidence:
			st.Evidence++
		case article != 0 && c == article:
			st.Articles++
		default:
			n, err := local(c)
			if err != nil {
				return st, err
			}
			if n != "" {
				st.Entities[n]++
			}
		}
	}
	return st, nil
}
