package main

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/graph"
)

func runLoad(e *env, args []string) error {
	fs := newFlags(e, "load")
	sf := addStoreFlags(fs)
	batch := fs.Int("batch", 50000, "quads per transaction")
	bloom := fs.Bool("bloom", false, "keep Cayley's in-memory bloom filters of the store (about 500 MB more memory)")
	quiet := fs.BoolP("quiet", "q", false, "print nothing but errors")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError("give N-Quads files to load (.nq or .nq.gz), or - for standard input")
	}
	if *batch < 1 {
		return usageError("--batch must be at least 1")
	}
	sf.noBloom = !*bloom
	sf.releaseEvery = releaseEvery
	tuneGC(512 << 20)
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
	if !*quiet {
		fmt.Fprintf(e.stderr, "loaded %s in %s\n", plural(total, "quad", "quads"), since(start))
	}
	return nil
}

// loadFile reads N-Quads from the file in one goroutine and writes them
// in batches in this one. A quad that does not parse stops the load
// there; the batches before it stay written.
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
	qr := graph.NewNQuadsReader(bufio.NewReaderSize(r, 1<<20))
	defer qr.Close()
	batches := make(chan []quad.Quad, 1)
	stop := make(chan struct{})
	var readErr error
	go func() {
		defer close(batches)
		buf := make([]quad.Quad, 0, batch)
		read := 0
		send := func() bool {
			if len(buf) == 0 {
				return true
			}
			select {
			case batches <- buf:
			case <-stop:
				return false
			}
			buf = make([]quad.Quad, 0, batch)
			return true
		}
		for {
			q, err := qr.ReadQuad()
			if err == io.EOF {
				send()
				return
			}
			if err != nil {
				if send() {
					readErr = fmt.Errorf("%s: quad %d: %w", name, read+1, err)
				}
				return
			}
			read++
			buf = append(buf, graph.UnescapeIRIs(q))
			if len(buf) == batch && !send() {
				return
			}
		}
	}()
	n := 0
	for b := range batches {
		if err := write(b); err != nil {
			close(stop)
			for range batches {
			}
			return n, fmt.Errorf("%s: %w", name, err)
		}
		n += len(b)
	}
	return n, readErr
}
