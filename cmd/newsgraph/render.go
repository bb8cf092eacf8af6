package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/newsgraph/newsgraph/graph"
)

func runRender(e *env, args []string) error {
	fs := newFlags(e, "render")
	sf := addStoreFlags(fs)
	out := fs.StringP("output", "o", "", "write the picture to this file (its extension, .svg, .png or .dot, gives the format)")
	format := fs.String("format", "", "svg, png or dot (the DOT source, no Graphviz needed); default: from -o, else svg")
	article := fs.String("article", "", "draw only this article's facts (its IRI, or its source path or id)")
	entity := fs.String("entity", "", "draw the neighbourhood of the entity with this name (or IRI)")
	depth := fs.Int("depth", 1, "with --entity: how many edges deep")
	mentions := fs.Bool("mentions", false, "also draw articles and their mentions edges")
	evidence := fs.Bool("evidence", false, "also draw the evidence nodes (sentence of each fact)")
	maxNodes := fs.Int("max-nodes", 500, "refuse to draw more nodes than this")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected arguments %q", fs.Args())
	}
	if *article != "" && *entity != "" {
		return usageError("give --article or --entity, not both")
	}
	f := strings.ToLower(*format)
	if f == "" {
		switch f = strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), "."); f {
		case "":
			f = "svg"
		case "gv":
			f = "dot"
		}
	}
	switch f {
	case "svg", "png", "dot":
	default:
		return usageError("--format: %q is none of svg, png, dot", f)
	}
	dotBin := ""
	if f != "dot" {
		var err error
		if dotBin, err = exec.LookPath("dot"); err != nil {
			return fmt.Errorf("render needs Graphviz's dot command to draw %s, and it is not installed (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz); --format dot writes the DOT source without it", f)
		}
	}
	if f == "png" && *out == "" && e.stdinTTY {
		return usageError("a PNG is binary: give -o FILE.png")
	}
	st, err := sf.open(true)
	if err != nil {
		return err
	}
	defer st.Close()
	opt := graph.RenderOptions{Entity: *entity, Depth: *depth, Mentions: *mentions, Evidence: *evidence, MaxNodes: *maxNodes}
	if *article != "" {
		opt.Article = articleIRI(*article)
	}
	var src bytes.Buffer
	n, err := st.Render(context.Background(), &src, opt)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("nothing to draw: no facts there")
	}
	pic := src.Bytes()
	if f != "dot" {
		cmd := exec.Command(dotBin, "-T"+f)
		cmd.Stdin = &src
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("dot -T%s: %v: %s", f, err, strings.TrimSpace(stderr.String()))
		}
		pic = stdout.Bytes()
	}
	if *out == "" || *out == "-" {
		_, err = e.stdout.Write(pic)
		return err
	}
	if err := os.WriteFile(*out, pic, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "drew %s to %s\n", plural(n, "node", "nodes"), *out)
	return nil
}
