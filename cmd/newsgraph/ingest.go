package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/ingest"
)

// ingestStats counts what an ingest did.
type ingestStats struct {
	articles, unchanged, failed, added, removed int
}

// releaseEvery is how often a bulk write drops the pages of a bolt
// store's file it read from its resident set (see graph.Options.ReleaseEvery).
const releaseEvery = 250 * time.Millisecond

// maxBatchDeltas caps the quads of one transaction, whatever --batch says,
// so that a batch of very large articles stays small in memory.
const maxBatchDeltas = 50000

func runIngest(e *env, args []string) error {
	fs := newFlags(e, "ingest")
	sf := addStoreFlags(fs)
	df := addDocFlags(fs)
	include := fs.StringSlice("include", nil, "in directories, read only files matching these globs (\"*.txt\", \"2026/*/*.html\"), whatever their extension")
	exclude := fs.StringSlice("exclude", nil, "in directories, skip files and directories matching these globs")
	workers := fs.IntP("workers", "j", runtime.NumCPU(), "articles extracted in parallel")
	batch := fs.Int("batch", 128, "articles written per transaction")
	force := fs.Bool("force", false, "extract and rewrite articles the store already holds unchanged (e.g. after an extractor upgrade)")
	quiet := fs.BoolP("quiet", "q", false, "print nothing but errors")
	showProgress := fs.Bool("progress", false, "show the progress bar even when standard error is not a terminal")
	bulk := fs.Bool("bulk", true, "build a new, empty bolt store in bulk, several times faster: nothing is in the store until the run ends (^C ends it early), and a killed run leaves it empty (--bulk=false commits each batch as it goes)")
	bloom := fs.Bool("bloom", false, "keep Cayley's in-memory bloom filters of the store (about 500 MB more memory, no faster here)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	memProfile := fs.String("memprofile", "", "write a heap profile to this file at the end")
	fs.MarkHidden("cpuprofile")
	fs.MarkHidden("memprofile")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError("give files or directories to ingest, or - for standard input")
	}
	stopProfile, err := startProfile(*cpuProfile, *memProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	if *workers < 1 {
		return usageError("--workers must be at least 1")
	}
	if *batch < 1 {
		return usageError("--batch must be at least 1")
	}
	opt, err := df.options(fs.NArg())
	if err != nil {
		return err
	}
	opt.Include, opt.Exclude = *include, *exclude
	if err := opt.CheckPatterns(); err != nil {
		return usageError("%v", err)
	}
	tuneGC(512 << 20)
	x, err := ingest.NewExtractor()
	if err != nil {
		return err
	}
	sf.noBloom = !*bloom
	sf.releaseEvery = releaseEvery
	sf.bulk = *bulk
	st, err := sf.open(false)
	if err != nil {
		return err
	}
	defer st.Close()
	if st.Building() {
		// a bulk build's live heap is mostly its table of nodes, which
		// the collector need not scan; room above it saves collections
		tuneGC(640 << 20)
	}
	// the vocabulary's labels and comments, so that they show in the UI;
	// written once, a no-op after
	if _, err := st.EnsureOntology(context.Background()); err != nil {
		return err
	}

	// the first ^C stops reading and stores what was read; a second one
	// kills at once
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	start := time.Now()
	var bar *progress
	if !*quiet && (e.stderrTTY || *showProgress) {
		bar = newProgress(e.stderr, -1)
		go func() {
			if n := ingest.CountFiles(fs.Args(), opt); n >= 0 {
				bar.setTotal(n)
			}
		}()
	}
	p := &pipeline{e: e, x: x, st: st, w: st.NewArticleWriter(0), batch: *batch, force: *force, bar: bar}
	err = p.run(ctx, fs.Args(), opt, *workers)
	if bar != nil {
		bar.finish()
	}
	s := p.stats
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if st.Building() {
		if err := finishBuild(e, st, bar != nil); err != nil {
			return err
		}
	}
	if !*quiet {
		fmt.Fprintf(e.stderr, "ingested %s (%d unchanged, %d failed): %d quads added, %d removed, in %s; store %s %s\n",
			plural(s.articles, "article", "articles"), s.unchanged, s.failed, s.added, s.removed, since(start), st.Backend(), st.Path())
	}
	if ctx.Err() != nil {
		return &exitError{code: 1, err: errors.New("interrupted: the articles read so far are stored, the rest were not read")}
	}
	if s.failed > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%s could not be ingested", plural(s.failed, "input", "inputs"))}
	}
	return nil
}

// finishBuild ends the store's bulk build. A ^C now would lose every
// article the run read, so it is caught and told to wait.
func finishBuild(e *env, st *graph.Store, say bool) error {
	if say {
		fmt.Fprintln(e.stderr, "writing the store's indexes...")
	}
	intr := make(chan os.Signal, 1)
	signal.Notify(intr, os.Interrupt)
	defer signal.Stop(intr)
	done := make(chan error, 1)
	go func() { done <- st.FinishBuild() }()
	for {
		select {
		case err := <-done:
			return err
		case <-intr:
			fmt.Fprintln(e.stderr, "still writing the store's indexes: stopping now would lose every article read (kill the process to do so anyway)")
		}
	}
}

// pipeline reads articles in one goroutine, extracts them in several and
// links and writes them in this one, in input order, so that the graph
// does not depend on the number of workers.
type pipeline struct {
	e     *env
	x     *ingest.Extractor
	st    *graph.Store
	w     *graph.ArticleWriter
	batch int
	force bool
	bar   *progress
	stats ingestStats
}

// job is one input read, numbered in input order.
type job struct {
	seq int
	doc ingest.Document
	err error
}

// extracted is a job with its extracted article.
type extracted struct {
	job
	art  *ingest.Article
	iri  quad.IRI
	head []quad.Quad // the article's quads before linking
}

func (p *pipeline) run(ctx context.Context, paths []string, opt ingest.Options, workers int) error {
	// window bounds the articles in flight between the reader and the
	// writer: one slow article cannot make the others pile up
	window := make(chan struct{}, workers*16)
	jobs := make(chan job, workers*2)
	results := make(chan extracted, workers*2)

	var walkErr error
	go func() {
		defer close(jobs)
		seq := 0
		walkErr = ingest.Walk(paths, p.e.stdin, opt, func(doc ingest.Document, err error) error {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			jobs <- job{seq, doc, err}
			seq++
			return nil
		})
	}()
	done := make(chan struct{})
	for i := 0; i < workers; i++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for j := range jobs {
				r := extracted{job: j}
				if j.err == nil {
					r.art = p.x.Extract(j.doc)
					r.iri = r.art.IRI()
					r.head = r.art.Quads()
				}
				results <- r
			}
		}()
	}
	go func() {
		for i := 0; i < workers; i++ {
			<-done
		}
		close(results)
	}()

	// write in input order
	next := 0
	waiting := map[int]extracted{}
	for r := range results {
		waiting[r.seq] = r
		for {
			r, ok := waiting[next]
			if !ok {
				break
			}
			delete(waiting, next)
			next++
			p.write(ctx, r)
			<-window
		}
	}
	p.flush(ctx)
	p.progress()
	return walkErr
}

// tag is what the writer keeps of a queued article for its messages.
type tag struct {
	where string
}

func (p *pipeline) fail(where string, err error) {
	p.stats.failed++
	if where != "" {
		p.e.errorf("%s: %v (nothing stored for it)", where, err)
	} else {
		p.e.errorf("%v (nothing stored for it)", err)
	}
}

// write links one article and queues it, committing the batch when full.
func (p *pipeline) write(ctx context.Context, r extracted) {
	defer p.progress()
	if r.err != nil {
		p.fail("", r.err)
		return
	}
	where := r.doc.Where()
	if p.w.Queued(r.iri) {
		// the same article twice in a batch: the second reads the first
		p.flush(ctx)
	}
	if !p.force {
		same, err := p.w.Unchanged(ctx, r.iri, r.head)
		if err != nil {
			p.fail(where, err)
			return
		}
		if same {
			p.skipUnchanged()
			return
		}
	}
	if err := r.art.Link(ctx, p.w); err != nil {
		p.fail(where, err)
		return
	}
	same, err := p.w.Add(ctx, r.iri, r.art.Quads(), tag{where})
	if err != nil {
		p.fail(where, err)
		return
	}
	if same {
		p.skipUnchanged()
		return
	}
	if p.w.Len() >= p.batch || p.w.Deltas() >= maxBatchDeltas {
		p.flush(ctx)
	}
}

// skipUnchanged counts an article the store already holds as it is.
func (p *pipeline) skipUnchanged() {
	p.stats.articles++
	p.stats.unchanged++
}

// flush commits the queued articles.
func (p *pipeline) flush(ctx context.Context) {
	outcomes := p.w.Flush(ctx)
	for _, o := range outcomes {
		if o.Err != nil {
			p.fail(o.Tag.(tag).where, o.Err)
			continue
		}
		p.stats.articles++
		if o.Result.Unchanged {
			p.stats.unchanged++
		}
		p.stats.added += o.Result.Added
		p.stats.removed += o.Result.Removed
	}
}

func (p *pipeline) progress() {
	if p.bar != nil {
		// queued articles count as done: they are committed within a batch
		p.bar.update(p.stats.articles+p.stats.failed+p.w.Len(), p.stats.added)
	}
}
