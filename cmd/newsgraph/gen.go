package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/newsgraph/newsgraph/corpus"
)

func runGen(e *env, args []string) error {
	fs := newFlags(e, "gen")
	n := fs.IntP("n", "n", 1000, "number of articles")
	seed := fs.Int64("seed", 1, "random seed: the same seed gives the same articles")
	out := fs.StringP("output", "o", "", "where to write: FILE.jsonl (one article a line), a directory (NAME.txt and NAME.json files), or - for JSON Lines on standard output")
	facts := fs.String("facts", "", "also write the facts each article states to this file (id, subject, predicate, object; tab-separated)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError("gen takes no arguments (give the output with -o)")
	}
	if *out == "" {
		return usageError("give the output with -o FILE.jsonl or -o DIR")
	}
	if *n < 0 {
		return usageError("-n must not be negative")
	}
	g, err := corpus.New(*seed)
	if err != nil {
		return err
	}
	start := time.Now()
	var fw io.Writer
	if *facts != "" {
		f, err := os.Create(*facts)
		if err != nil {
			return err
		}
		defer f.Close()
		fw = f
	}
	lower := strings.ToLower(*out)
	switch {
	case *out == "-":
		err = g.WriteJSONL(e.stdout, fw, *n)
	case strings.HasSuffix(lower, ".jsonl") || strings.HasSuffix(lower, ".ndjson"):
		f, cerr := os.Create(*out)
		if cerr != nil {
			return cerr
		}
		err = g.WriteJSONL(f, fw, *n)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	default:
		err = g.WriteDir(*out, fw, *n)
	}
	if err != nil {
		return err
	}
	if *out != "-" {
		fmt.Fprintf(e.stderr, "wrote %s to %s in %s\n", plural(*n, "article", "articles"), *out, since(start))
	}
	return nil
}
