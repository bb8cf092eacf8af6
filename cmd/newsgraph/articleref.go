package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/schema"
)

// articleIRIs returns the IRIs an argument naming an article may stand
// for, most likely first: the article of that IRI, id or path (see
// articleIRI) and, when it names an article file, the IRI ingest gives
// what it reads there, which differs when a metadata file NAME.json
// beside it gives the article an id of its own.
func articleIRIs(arg string) []quad.IRI {
	out := []quad.IRI{articleIRI(arg)}
	fi, err := os.Stat(arg)
	if err != nil || !fi.Mode().IsRegular() {
		return out
	}
	switch strings.ToLower(filepath.Ext(arg)) {
	case ".jsonl", ".ndjson", ".json":
		// a feed of many articles, or metadata: not one article
		return out
	}
	ingest.Walk([]string{arg}, nil, ingest.Options{}, func(doc ingest.Document, err error) error {
		if err == nil {
			if iri := schema.ArticleIRI(doc.Key()); iri != out[0] {
				out = append(out, iri)
			}
		}
		return nil
	})
	return out
}
