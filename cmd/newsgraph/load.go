package main

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/newsgraph/newsgraph/graph"
)

func runLoad(e *env, args []string) error {
	fs := newFlags(e, "load")
	sf := addStoreFlags(fs)
	batch := fs.Int("batch", 10000, "quads per transaction")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError("give N-Quads files to load (.nq or .nq.gz), or - for standard input")
	}
	st, err := sf.open(false)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	total := 0
	for _, name := range fs.Args() {
		n, err := loadFile(e, name, *batch, st.AddQuads)
		total += n
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stderr, "loaded %s in %s\n", plural(total, "quad", "quads"), since(start))
	return nil
}

func loadFile(e *env, name string, batch int, write func([]quad.Quad) error) (int, error) {
	var r io.Reader = e.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		r = f
	}
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		defer zr.Close()
		r = zr
	}
	qr := nquads.NewReader(r, false)
	defer qr.Close()
	buf := make([]quad.Quad, 0, batch)
	n := 0
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		if err := write(buf); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		n += len(buf)
		buf = buf[:0]
		return nil
	}
	for {
		q, err := qr.ReadQuad()
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, fmt.Errorf("%s: quad %d: %w", name, n+len(buf)+1, err)
		}
		buf = append(buf, graph.UnescapeIRIs(q))
		if len(buf) == batch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	return n, flush()
}
