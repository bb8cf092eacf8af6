package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/corpus"
	"github.com/newsgraph/newsgraph/ingest"
)

// batchDocs are articles that link to each other's nodes (the four
// reports of one story, with different spellings of the same names),
// generated articles that share people and places, then a shorter
// version of the first report and an unchanged copy of the second.
func batchDocs(t *testing.T) []ingest.Document {
	t.Helper()
	var docs []ingest.Document
	for i := 1; i <= 4; i++ {
		docs = append(docs, storyReport(t, i))
	}
	g, err := corpus.New(3)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 12; i++ {
		a := g.Article(i)
		pub, _ := ingest.ParseDate(a.Published)
		docs = append(docs, ingest.Document{ID: a.ID, Title: a.Title, Published: pub, Text: a.Text})
	}
	short := docs[0]
	short.Text = short.Text[:strings.Index(short.Text, "\n")+1]
	return append(docs, short, docs[1])
}

// writeOneByOne links and writes each article in its own transaction, as
// newsgraph did before batches.
func writeOneByOne(t *testing.T, st *Store, x *ingest.Extractor, docs []ingest.Document) {
	t.Helper()
	ctx := context.Background()
	for _, d := range docs {
		a := x.Extract(d)
		if h, err := st.ContentHash(ctx, a.IRI()); err != nil {
			t.Fatal(err)
		} else if h == a.Hash {
			continue
		}
		if err := a.Link(ctx, st); err != nil {
			t.Fatal(err)
		}
		if _, err := st.WriteArticle(ctx, a.IRI(), a.Quads()); err != nil {
			t.Fatal(err)
		}
	}
}

// writeBatched writes the articles through an ArticleWriter, batch at a
// time, as newsgraph ingest does, and returns the outcomes.
func writeBatched(t testing.TB, w *ArticleWriter, x *ingest.Extractor, docs []ingest.Document, batch int) (outs []Outcome, unchanged int) {
	t.Helper()
	ctx := context.Background()
	for i, d := range docs {
		a := x.Extract(d)
		if w.Queued(a.IRI()) {
			outs = append(outs, w.Flush(ctx)...)
		}
		same, err := w.Unchanged(ctx, a.IRI(), a.Quads())
		if err != nil {
			t.Fatal(err)
		}
		if same {
			unchanged++
			continue
		}
		if err := a.Link(ctx, w); err != nil {
			t.Fatal(err)
		}
		same, err = w.Add(ctx, a.IRI(), a.Quads(), i)
		if err != nil {
			t.Fatal(err)
		}
		if same {
			unchanged++
		}
		if w.Len() >= batch {
			outs = append(outs, w.Flush(ctx)...)
		}
	}
	return append(outs, w.Flush(ctx)...), unchanged
}

// TestArticleWriterSameGraph checks that batches of any size give the
// graph that writing one article at a time gives: linking sees the
// articles of the batch not yet committed, and a replaced article's old
// quads go.
func TestArticleWriterSameGraph(t *testing.T) {
	x, err := extractor()
	if err != nil {
		t.Fatal(err)
	}
	docs := batchDocs(t)
	for _, backend := range []string{"bolt", "memstore"} {
		t.Run(backend, func(t *testing.T) {
			ref := openTest(t, backend)
			writeOneByOne(t, ref, x, docs)
			want := contents(t, ref)
			for _, batch := range []int{1, 3, 100} {
				st := openTest(t, backend)
				writeBatchDocs(t, st, x, docs, batch)
				sameLines(t, fmt.Sprintf("batch %d", batch), contents(t, st), want)
			}
		})
	}
}

// writeBatchDocs writes batchDocs through an ArticleWriter, batch at a
// time, and checks that all went in and the copy of report 2 was found
// unchanged.
func writeBatchDocs(t *testing.T, st *Store, x *ingest.Extractor, docs []ingest.Document, batch int) {
	t.Helper()
	outs, unchanged := writeBatched(t, st.NewArticleWriter(0), x, docs, batch)
	for _, o := range outs {
		if o.Err != nil {
			t.Errorf("batch %d: %s: %v", batch, o.Article, o.Err)
		}
	}
	if unchanged != 1 {
		t.Errorf("batch %d: %d articles unchanged, want 1 (the copy of report 2)", batch, unchanged)
	}
}

// TestArticleWriterFallback makes the batch's transaction fail: the
// articles are written one by one, and only the bad one is left out,
// whole.
func TestArticleWriterFallback(t *testing.T) {
	x, err := extractor()
	if err != nil {
		t.Fatal(err)
	}
	docs := batchDocs(t)[4:10]
	bad := x.Extract(docs[2]).IRI()
	good := append(append([]ingest.Document{}, docs[:2]...), docs[3:]...)
	for _, backend := range testBackends {
		t.Run(backend, func(t *testing.T) {
			ref := openTest(t, backend)
			writeOneByOne(t, ref, x, good)

			st := openTest(t, backend)
			w := st.NewArticleWriter(0)
			calls := 0
			w.applyHook = func(deltas []cgraph.Delta) error {
				calls++
				for _, d := range deltas {
					if d.Quad.Label == bad {
						return errors.New("disk on fire")
					}
				}
				return st.applyReplace(deltas)
			}
			outs, _ := writeBatched(t, w, x, docs, 100)
			if len(outs) != len(docs) {
				t.Fatalf("%d outcomes, want %d", len(outs), len(docs))
			}
			for i, o := range outs {
				if o.Tag != i {
					t.Errorf("outcome %d has tag %v", i, o.Tag)
				}
				if (o.Err != nil) != (o.Article == bad) {
					t.Errorf("outcome of %s: %v", o.Article, o.Err)
				}
				if o.Err == nil && o.Result.Added == 0 {
					t.Errorf("outcome of %s: nothing added", o.Article)
				}
			}
			if calls != 1+len(docs) {
				t.Errorf("%d transactions, want one for the batch and one per article", calls)
			}
			sameLines(t, "after a failed batch", contents(t, st), contents(t, ref))
			if q, err := st.ArticleQuads(context.Background(), bad); err != nil || len(q) != 0 {
				t.Errorf("the bad article left %d quads (%v)", len(q), err)
			}
		})
	}
}

func TestArticleWriterUnchanged(t *testing.T) {
	ctx := context.Background()
	st := openTest(t, "bolt")
	w := st.NewArticleWriter(0)
	if same, err := w.Add(ctx, artA, articleA1(), nil); same || err != nil {
		t.Fatalf("Add = %v, %v", same, err)
	}
	if _, err := w.Add(ctx, artA, articleA1(), nil); err == nil {
		t.Error("an article queued twice was accepted")
	}
	if _, err := w.Unchanged(ctx, artA, articleA1()); err == nil {
		t.Error("Unchanged of a queued article did not ask for a flush")
	}
	if outs := w.Flush(ctx); len(outs) != 1 || outs[0].Err != nil || outs[0].Result.Added != len(articleA1()) {
		t.Fatalf("Flush = %+v", outs)
	}
	tests := []struct {
		name  string
		quads []quad.Quad
		want  bool
	}{
		{"same", articleA1(), true},
		{"same head, other facts", append(articleA1()[:3], articleA2()[3:]...), true},
		{"new hash", articleA2(), false},
		{"new date", labelled(artA,
			triple{artA, articleA1()[0].Predicate, articleA1()[0].Object},
			triple{artA, articleA1()[1].Predicate, articleA1()[1].Object},
			triple{artA, articleA1()[2].Predicate, xsdDate("2026-02-04")}), false},
		{"no hash", labelled(artA, triple{artA, articleA1()[0].Predicate, articleA1()[0].Object}), false},
	}
	for _, tc := range tests {
		if got, err := w.Unchanged(ctx, artA, tc.quads); got != tc.want || err != nil {
			t.Errorf("%s: Unchanged = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	if got, err := w.Unchanged(ctx, artB, articleB()); got || err != nil {
		t.Errorf("Unchanged of an article not stored = %v, %v", got, err)
	}
	// the same quads again are not queued
	if same, err := w.Add(ctx, artA, articleA1(), nil); !same || err != nil || w.Len() != 0 {
		t.Errorf("Add of the stored quads = %v, %v, %d queued", same, err, w.Len())
	}
}
