package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/graph"
)

func runExport(e *env, args []string) error {
	fs := newFlags(e, "export")
	sf := addStoreFlags(fs)
	format := fs.String("format", "nquads", "output format: "+strings.Join(graph.ExportFormats, ", "))
	article := fs.String("article", "", "export only this article (its IRI, or its source path or id)")
	out := fs.StringP("output", "o", "", "write to this file instead of standard output")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected arguments %q", fs.Args())
	}
	st, err := sf.open(true)
	if err != nil {
		return err
	}
	defer st.Close()
	var iri quad.IRI
	if *article != "" {
		iri = articleIRI(*article)
	}
	var w io.Writer = e.stdout
	var f *os.File
	if *out != "" && *out != "-" {
		// write beside and rename, so a failed export leaves no half file
		f, err = os.CreateTemp(dirOf(*out), ".export-*")
		if err != nil {
			return err
		}
		defer os.Remove(f.Name())
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	n, err := st.Export(context.Background(), bw, *format, iri)
	if err == nil {
		err = bw.Flush()
	}
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(f.Name(), *out)
		}
	}
	if err != nil {
		return err
	}
	if *out != "" && *out != "-" {
		fmt.Fprintf(e.stderr, "exported %s to %s\n", plural(n, "quad", "quads"), *out)
	}
	return nil
}

func dirOf(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i+1]
	}
	return "."
}
