package ingest

import (
	"path/filepath"
	"strings"
	"testing"
)

// benchDocs are the team's articles and the seed: real-sized news text.
func benchDocs(b *testing.B) ([]Document, int) {
	b.Helper()
	files, _ := filepath.Glob("../testdata/dev/*.txt")
	files = append(files, "../seeds/000_1f1ddd429f722b80.txt")
	var docs []Document
	words := 0
	for _, f := range files {
		doc := readDoc(b, f, "2026-02-03")
		docs = append(docs, doc)
		words += len(strings.Fields(doc.Text))
	}
	if len(docs) == 0 {
		b.Fatal("no articles")
	}
	return docs, words
}

// BenchmarkExtract measures the whole pipeline (tokens, mentions,
// resolution, relations, quads) on one core, in words per second.
func BenchmarkExtract(b *testing.B) {
	x := extractor(b)
	docs, words := benchDocs(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			x.Extract(d).Quads()
		}
	}
	b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
}

// BenchmarkExtractParallel runs the pipeline on every core.
func BenchmarkExtractParallel(b *testing.B) {
	x := extractor(b)
	docs, words := benchDocs(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			x.Extract(docs[i%len(docs)]).Quads()
			i++
		}
	})
	b.ReportMetric(float64(words)/float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "words/s")
}

// BenchmarkNewExtractor measures start-up: compiling gazetteers and rules.
func BenchmarkNewExtractor(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := NewExtractor(); err != nil {
			b.Fatal(err)
		}
	}
}
