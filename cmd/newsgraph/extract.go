package main

import (
	"fmt"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/ingest"
)

func runExtract(e *env, args []string) error {
	fs := newFlags(e, "extract")
	df := addDocFlags(fs)
	format := fs.String("format", "nquads", "output: nquads (the article's quads) or facts (one readable fact a line)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "nquads" && *format != "facts" {
		return usageError("--format: want nquads or facts, not %q", *format)
	}
	if fs.NArg() == 0 {
		return usageError("give an article file, or - for standard input")
	}
	opt, err := df.options(fs.NArg())
	if err != nil {
		return err
	}
	x, err := ingest.NewExtractor()
	if err != nil {
		return err
	}
	failed := 0
	err = ingest.Walk(fs.Args(), e.stdin, opt, func(doc ingest.Document, err error) error {
		if err != nil {
			failed++
			e.errorf("%v", err)
			return nil
		}
		a := x.Extract(doc)
		if *format == "facts" {
			for _, l := range a.FactLines() {
				fmt.Fprintln(e.stdout, l)
			}
			return nil
		}
		return graph.WriteNQuads(e.stdout, a.Quads())
	})
	if err != nil {
		return err
	}
	if failed > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%s failed", plural(failed, "article", "articles"))}
	}
	return nil
}
