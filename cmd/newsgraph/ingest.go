package main

import (
	"context"
	"fmt"
	"time"

	"github.com/newsgraph/newsgraph/ingest"
)

func runIngest(e *env, args []string) error {
	fs := newFlags(e, "ingest")
	sf := addStoreFlags(fs)
	df := addDocFlags(fs)
	quiet := fs.BoolP("quiet", "q", false, "print nothing but errors")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError("give files or directories to ingest, or - for standard input")
	}
	opt, err := df.options(fs.NArg())
	if err != nil {
		return err
	}
	x, err := ingest.NewExtractor()
	if err != nil {
		return err
	}
	st, err := sf.open(false)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	start := time.Now()
	var articles, unchanged, failed, added, removed int
	err = ingest.Walk(fs.Args(), e.stdin, opt, func(doc ingest.Document, err error) error {
		if err != nil {
			failed++
			e.errorf("%v (nothing stored for it)", err)
			return nil
		}
		a := x.Extract(doc)
		if err := a.Link(ctx, st); err != nil {
			failed++
			e.errorf("%s: %v (nothing stored for it)", doc.Where(), err)
			return nil
		}
		res, err := st.WriteArticle(ctx, a.IRI(), a.Quads())
		if err != nil {
			failed++
			e.errorf("%s: %v (nothing stored for it)", doc.Where(), err)
			return nil
		}
		articles++
		if res.Unchanged {
			unchanged++
		}
		added += res.Added
		removed += res.Removed
		return nil
	})
	if err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(e.stderr, "ingested %s (%d unchanged, %d failed): %d quads added, %d removed, in %s; store %s %s\n",
			plural(articles, "article", "articles"), unchanged, failed, added, removed, since(start), st.Backend(), st.Path())
	}
	if failed > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%s could not be ingested", plural(failed, "input", "inputs"))}
	}
	return nil
}
