package graph

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/newsgraph/newsgraph/corpus"
	"github.com/newsgraph/newsgraph/ingest"
)

// BenchmarkWriteNewStore writes generated articles into a new bolt store,
// linked and in batches of 128 as newsgraph ingest does, transaction by
// transaction and as a bulk build (its end included), extraction
// included, all on one goroutine. Figures at scale are make bench's.
func BenchmarkWriteNewStore(b *testing.B) {
	const n = 2000
	x, err := extractor()
	if err != nil {
		b.Fatal(err)
	}
	g, err := corpus.New(1)
	if err != nil {
		b.Fatal(err)
	}
	docs := make([]ingest.Document, n)
	for i := range docs {
		a := g.Article(i)
		pub, _ := ingest.ParseDate(a.Published)
		docs[i] = ingest.Document{ID: a.ID, Title: a.Title, Published: pub, Text: a.Text}
	}
	for _, bulk := range []bool{false, true} {
		name := "transactions"
		if bulk {
			name = "bulk"
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				dir := filepath.Join(b.TempDir(), fmt.Sprint("db", i))
				st, err := Open("bolt", dir, Options{NoBloom: true, Bulk: bulk})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				writeBatched(b, st.NewArticleWriter(0), x, docs, 128)
				if err := st.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}
