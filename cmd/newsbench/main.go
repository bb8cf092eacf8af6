// Command newsbench measures newsgraph at scale and prints one table,
// every figure from the same run: extraction speed against wink-nlp,
// loading N-Quads against upstream `cayley load`, end-to-end ingestion of
// generated corpora (time, memory, store size) and Gizmo query latency on
// the largest store, in-process and over HTTP. `make bench` runs it.
//
// It works in .bench/ (git-ignored): the binaries, corpora, stores and
// node_modules it makes stay there between runs.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/newsgraph/newsgraph/corpus"
	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/schema"
)

var (
	dir      = flag.String("dir", ".bench", "work directory")
	small    = flag.Int("small", 10000, "articles of the smaller corpus")
	large    = flag.Int("large", 100000, "articles of the larger corpus (0: skip it)")
	seed     = flag.Int64("seed", 1, "corpus seed")
	sample   = flag.Int("sample", 2000, "generated articles the extraction speed is measured on")
	minTime  = flag.Duration("extract-time", 5*time.Second, "least time each extraction measurement runs")
	queries  = flag.Int("queries", 200, "runs of each query")
	skipWink = flag.Bool("no-wink", false, "skip wink-nlp")
	skipLoad = flag.Bool("no-load", false, "skip the N-Quads load comparison")
	batch    = flag.Int("batch", 0, "ingest --batch (0: newsgraph's default)")
	backends = flag.String("backends", "bolt", "store backends the corpora are ingested into; the first one is queried")
)

// row is one line of the table.
type row struct{ what, value, note string }

var rows []row

func add(what, value, note string) {
	rows = append(rows, row{what, value, note})
	fmt.Fprintf(os.Stderr, "  %-52s %s  %s\n", what, value, note)
}

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "newsbench:", err)
		printTable()
		os.Exit(1)
	}
	printTable()
}

func printTable() {
	fmt.Printf("\n| measure | value | notes |\n| --- | --- | --- |\n")
	for _, r := range rows {
		fmt.Printf("| %s | %s | %s |\n", r.what, r.value, r.note)
	}
	fmt.Printf("\n%d cores (%s), Go %s, %s\n", runtime.NumCPU(), cpuModel(), runtime.Version(), time.Now().UTC().Format("2006-01-02"))
}

func run() error {
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	*dir = abs
	step("build newsgraph and cayley")
	ng := filepath.Join(*dir, "newsgraph")
	if err := sh("go", "build", "-o", ng, "./cmd/newsgraph"); err != nil {
		return err
	}
	cay := filepath.Join(*dir, "cayley")
	if err := sh("go", "build", "-o", cay, "github.com/cayleygraph/cayley/cmd/cayley"); err != nil {
		fmt.Fprintln(os.Stderr, "  cannot build cayley:", err)
		cay = ""
	}

	step("generate corpora")
	g, err := corpus.New(*seed)
	if err != nil {
		return err
	}
	sizes := []int{*small}
	if *large > 0 {
		sizes = append(sizes, *large)
	}
	files := map[int]string{}
	for _, n := range sizes {
		f := filepath.Join(*dir, fmt.Sprintf("gen-v%d-%d-%d.jsonl", corpus.Version, *seed, n))
		if _, err := os.Stat(f); err != nil {
			if err := writeCorpus(g, f, n); err != nil {
				return err
			}
		}
		files[n] = f
	}

	step("extraction speed")
	texts, words := sampleTexts(g, *sample)
	devTexts, devWords, err := devSet()
	if err != nil {
		return err
	}
	one, all, err := extractSpeed(texts, words)
	if err != nil {
		return err
	}
	add("extraction, generated articles, 1 core", wps(one), fmt.Sprintf("%d articles, %s words", len(texts), human(float64(words))))
	add(fmt.Sprintf("extraction, generated articles, %d cores", runtime.NumCPU()), wps(all), "")
	devOne, devAll, err := extractSpeed(devTexts, devWords)
	if err != nil {
		return err
	}
	add("extraction, team dev set + seed, 1 core", wps(devOne), fmt.Sprintf("%d articles, %s words", len(devTexts), human(float64(devWords))))
	add(fmt.Sprintf("extraction, team dev set + seed, %d cores", runtime.NumCPU()), wps(devAll), "")
	if !*skipWink {
		wink, err := winkSpeed(texts, words)
		if err != nil {
			fmt.Fprintln(os.Stderr, "  wink-nlp:", err)
			add("wink-nlp readDoc().entities(), generated articles", "n/a", err.Error())
		} else {
			add("wink-nlp readDoc().entities(), generated articles, 1 core", wps(wink), "node "+nodeVersion()+", model load excluded")
			add("ratio newsgraph / wink-nlp (1 core each)", fmt.Sprintf("%.2f", one/wink), "target ≥ 1.0")
		}
		winkDev, err := winkSpeed(devTexts, devWords)
		if err == nil {
			add("wink-nlp readDoc().entities(), dev set + seed, 1 core", wps(winkDev), "")
			add("ratio newsgraph / wink-nlp on the dev set", fmt.Sprintf("%.2f", devOne/winkDev), "")
		}
	}

	ingests := map[int]*runStats{}
	bes := strings.Split(*backends, ",")
	for bi, be := range bes {
		var times []time.Duration
		for _, n := range sizes {
			step(fmt.Sprintf("ingest %d articles into %s", n, be))
			db := filepath.Join(*dir, fmt.Sprintf("db-%s-%d", be, n))
			os.RemoveAll(db)
			args := []string{"ingest", "--quiet", "--db", be, "--dbpath", db}
			if *batch > 0 {
				args = append(args, "--batch", strconv.Itoa(*batch))
			}
			rs, err := measure(ng, append(args, files[n])...)
			if err != nil {
				return err
			}
			q, err := storeQuads(be, db)
			if err != nil {
				return err
			}
			rs.quads = q
			if bi == 0 {
				ingests[n] = rs
			}
			times = append(times, rs.wall)
			size := dirSize(db)
			label := fmt.Sprintf("ingest %s generated articles into %s", human(float64(n)), be)
			add(label+": time", rs.wall.Round(100*time.Millisecond).String(),
				fmt.Sprintf("%.0f articles/s, %s quads/s, %s quads", float64(n)/rs.wall.Seconds(), human(float64(q)/rs.wall.Seconds()), human(float64(q))))
			add(label+": peak RSS", mib(rs.maxRSS),
				fmt.Sprintf("getrusage of the child; sampled: anon ≤ %s, mapped files ≤ %s", mib(rs.peakAnon), mib(rs.peakFile)))
			add(label+": store size", mib(size), fmt.Sprintf("%.0f bytes/quad", float64(size)/float64(q)))
		}
		if len(sizes) == 2 {
			r := times[1].Seconds() / times[0].Seconds()
			add(fmt.Sprintf("%s: time ratio %s / %s", be, human(float64(sizes[1])), human(float64(sizes[0]))), fmt.Sprintf("%.2f", r),
				fmt.Sprintf("%.0f× the articles; target < %.1f", float64(sizes[1])/float64(sizes[0]), 1.1*float64(sizes[1])/float64(sizes[0])))
		}
	}

	if !*skipLoad {
		step("load N-Quads: newsgraph vs cayley")
		src := filepath.Join(*dir, fmt.Sprintf("db-%s-%d", bes[0], sizes[0]))
		nq := filepath.Join(*dir, fmt.Sprintf("export-%d.nq", sizes[0]))
		if err := sh(ng, "export", "--db", bes[0], "--dbpath", src, "-o", nq); err != nil {
			return err
		}
		quads := ingests[sizes[0]].quads
		ldb := filepath.Join(*dir, "load-newsgraph")
		os.RemoveAll(ldb)
		nr, err := measure(ng, "load", "--quiet", "--dbpath", ldb, nq)
		if err != nil {
			return err
		}
		if q, err := storeQuads("bolt", ldb); err != nil || q != quads {
			return fmt.Errorf("newsgraph load: store has %d quads, want %d (%v)", q, quads, err)
		}
		add(fmt.Sprintf("newsgraph load of %s quads into bolt", human(float64(quads))), nr.wall.Round(100*time.Millisecond).String(),
			fmt.Sprintf("%s quads/s, peak RSS %s", human(float64(quads)/nr.wall.Seconds()), mib(nr.maxRSS)))
		if cay != "" {
			cdb := filepath.Join(*dir, "load-cayley")
			os.RemoveAll(cdb)
			cr, err := measure(cay, "load", "--init", "--db", "bolt", "--dbpath", cdb, "--load", nq, "--logtostderr=false")
			if err != nil {
				return err
			}
			add("cayley load of the same file into bolt", cr.wall.Round(100*time.Millisecond).String(),
				fmt.Sprintf("%s quads/s, peak RSS %s", human(float64(quads)/cr.wall.Seconds()), mib(cr.maxRSS)))
			add("time ratio newsgraph load / cayley load", fmt.Sprintf("%.2f", nr.wall.Seconds()/cr.wall.Seconds()), "target ≤ 1.0")
		}
	}

	step("queries")
	last := sizes[len(sizes)-1]
	return queryLatency(g, bes[0], filepath.Join(*dir, fmt.Sprintf("db-%s-%d", bes[0], last)), last)
}

func step(s string) { fmt.Fprintf(os.Stderr, "newsbench: %s\n", s) }

func sh(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}

func writeCorpus(g *corpus.Generator, file string, n int) error {
	tmp := file + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := g.WriteJSONL(f, nil, n); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}

func sampleTexts(g *corpus.Generator, n int) ([]ingest.Document, int) {
	var docs []ingest.Document
	words := 0
	for i := 0; i < n; i++ {
		a := g.Article(i)
		pub, _ := ingest.ParseDate(a.Published)
		docs = append(docs, ingest.Document{ID: a.ID, Title: a.Title, Published: pub, Text: a.Text})
		words += len(strings.Fields(a.Text))
	}
	return docs, words
}

// devSet reads the team's articles and the seed.
func devSet() ([]ingest.Document, int, error) {
	var docs []ingest.Document
	words := 0
	err := ingest.Walk([]string{"testdata/dev", "seeds"}, nil, ingest.Options{}, func(d ingest.Document, err error) error {
		if err != nil {
			return err
		}
		docs = append(docs, d)
		words += len(strings.Fields(d.Text))
		return nil
	})
	return docs, words, err
}

// extractSpeed returns words/s of the whole pipeline (extraction and
// quads) on one goroutine and on one per core, each run for at least
// minTime.
func extractSpeed(docs []ingest.Document, words int) (one, all float64, err error) {
	x, err := ingest.NewExtractor()
	if err != nil {
		return 0, 0, err
	}
	for _, d := range docs[:min(len(docs), 50)] { // warm up
		x.Extract(d).Quads()
	}
	measureRuns := func(workers int) float64 {
		start := time.Now()
		total := 0
		for time.Since(start) < *minTime {
			var wg sync.WaitGroup
			next := make(chan int, len(docs))
			for i := range docs {
				next <- i
			}
			close(next)
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range next {
						x.Extract(docs[i]).Quads()
					}
				}()
			}
			wg.Wait()
			total += words
		}
		return float64(total) / time.Since(start).Seconds()
	}
	return measureRuns(1), measureRuns(runtime.NumCPU()), nil
}

const winkScript = `const winkNLP = require('wink-nlp');
const model = require('wink-eng-lite-web-model');
const fs = require('fs');
const texts = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const minMs = Number(process.argv[3]);
const nlp = winkNLP(model);
for (const t of texts.slice(0, 50)) nlp.readDoc(t).entities().out();
let runs = 0, n = 0;
const start = process.hrtime.bigint();
let ms = 0;
while (ms < minMs) {
  for (const t of texts) n += nlp.readDoc(t).entities().out().length;
  runs++;
  ms = Number(process.hrtime.bigint() - start) / 1e6;
}
console.log(JSON.stringify({runs, ms, entities: n}));
`

// winkSpeed runs wink-nlp's readDoc(text).entities() over the same texts
// in node and returns its words/s (words counted as newsgraph counts
// them).
func winkSpeed(docs []ingest.Document, words int) (float64, error) {
	if _, err := exec.LookPath("node"); err != nil {
		return 0, errors.New("node is not installed")
	}
	mods := filepath.Join(*dir, "node_modules")
	if _, err := os.Stat(filepath.Join(mods, "wink-eng-lite-web-model")); err != nil {
		step("npm install wink-nlp wink-eng-lite-web-model")
		if err := sh("npm", "install", "--no-audit", "--no-fund", "--prefix", *dir, "wink-nlp", "wink-eng-lite-web-model"); err != nil {
			return 0, fmt.Errorf("npm install: %w", err)
		}
	}
	texts := make([]string, len(docs))
	for i, d := range docs {
		texts[i] = d.Text
	}
	in := filepath.Join(*dir, "wink-input.json")
	b, _ := json.Marshal(texts)
	if err := os.WriteFile(in, b, 0o644); err != nil {
		return 0, err
	}
	script := filepath.Join(*dir, "wink-bench.js")
	if err := os.WriteFile(script, []byte(winkScript), 0o644); err != nil {
		return 0, err
	}
	cmd := exec.Command("node", script, in, strconv.Itoa(int(minTime.Milliseconds())))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("node: %w", err)
	}
	var res struct {
		Runs int
		Ms   float64
	}
	if err := json.Unmarshal(out, &res); err != nil {
		return 0, fmt.Errorf("node output %q: %w", out, err)
	}
	return float64(words*res.Runs) / (res.Ms / 1000), nil
}

func nodeVersion() string {
	out, err := exec.Command("node", "--version").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(out))
}

// runStats is what a child process took.
type runStats struct {
	wall               time.Duration
	maxRSS             int64 // bytes, from getrusage
	peakAnon, peakFile int64 // bytes, sampled from /proc
	quads              int
}

// measure runs a command and returns its wall time and peak memory.
func measure(name string, args ...string) (*runStats, error) {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	rs := &runStats{}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				anon, file := procRSS(cmd.Process.Pid)
				rs.peakAnon = max(rs.peakAnon, anon)
				rs.peakFile = max(rs.peakFile, file)
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	rs.wall = time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", filepath.Base(name), strings.Join(args, " "), err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rs.maxRSS = ru.Maxrss * 1024
	}
	return rs, nil
}

// procRSS returns a process's resident anonymous and file-backed memory.
func procRSS(pid int) (anon, file int64) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		v, _ := strconv.ParseInt(fields[1], 10, 64)
		switch fields[0] {
		case "RssAnon:":
			anon = v * 1024
		case "RssFile:":
			file = v * 1024
		}
	}
	return anon, file
}

// storeQuads returns the number of quads in a store, as Cayley keeps
// it (newsgraph stats counts much more, and reads the whole store).
func storeQuads(backend, db string) (int, error) {
	st, err := graph.Open(backend, db, graph.Options{ReadOnly: true})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	s, err := st.QuadStore().Stats(context.Background(), false)
	if err != nil {
		return 0, err
	}
	return int(s.Quads.Value), nil
}

func dirSize(d string) int64 {
	var n int64
	filepath.WalkDir(d, func(_ string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			if fi, err := e.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// queryLatency times a one-hop and a three-hop Gizmo query on the store,
// through the library and over HTTP.
func queryLatency(g *corpus.Generator, backend, db string, n int) error {
	country := busiestHost(g, n)
	iri := string(schema.EntityIRI(schema.Country, country))
	oneHop := fmt.Sprintf(`g.V("<%s>").in("<%s>").unique().all()`, iri, string(schema.OfficialOf.IRI()))
	threeHop := fmt.Sprintf(`g.V("<%s>").in("<%s>").unique().in("<%s>").unique().in("<%s>").unique().all()`,
		iri, string(schema.LocatedIn.IRI()), string(schema.HeldIn.IRI()), string(schema.InvitedTo.IRI()))
	st, err := graph.Open(backend, db, graph.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	qs := []struct{ name, q string }{
		{fmt.Sprintf("one hop: officials of %s", country), oneHop},
		{fmt.Sprintf("three hops: countries invited to events in cities of %s", country), threeHop},
	}
	h, err := st.Handler(graph.ServeOptions{})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String() + "/api/v2/query?lang=gizmo"
	client := &http.Client{Timeout: time.Minute}
	label := human(float64(n)) + " " + backend
	for _, q := range qs {
		var results int
		lib, err := timeRuns(func() error {
			res, err := st.Query(ctx, "gizmo", q.q, graph.QueryOptions{})
			results = len(res)
			return err
		})
		if err != nil {
			return fmt.Errorf("%s: %w", q.name, err)
		}
		web, err := timeRuns(func() error {
			resp, err := client.Post(url, "application/javascript", strings.NewReader(q.q))
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if resp.StatusCode != 200 {
				b, _ := io.ReadAll(resp.Body)
				return fmt.Errorf("HTTP %d: %s", resp.StatusCode, b)
			}
			_, err = io.Copy(io.Discard, resp.Body)
			return err
		})
		if err != nil {
			return fmt.Errorf("%s over HTTP: %w", q.name, err)
		}
		add(fmt.Sprintf("Gizmo %s (%s store), library", q.name, label), fmt.Sprintf("p50 %s, p99 %s", ms(lib[0]), ms(lib[1])),
			fmt.Sprintf("%d results, %d runs; first run %s", results, *queries, ms(lib[2])))
		add(fmt.Sprintf("Gizmo %s (%s store), HTTP", q.name, label), fmt.Sprintf("p50 %s, p99 %s", ms(web[0]), ms(web[1])), "127.0.0.1, /api/v2/query")
	}
	return nil
}

// busiestHost returns the country whose cities host the most events of
// the corpus's first articles.
func busiestHost(g *corpus.Generator, n int) string {
	count := map[string]int{}
	for i := 0; i < min(n, 2000); i++ {
		for _, f := range g.Article(i).Facts {
			if f.Predicate == "locatedIn" {
				count[f.Object]++
			}
		}
	}
	best := ""
	for c, k := range count {
		if k > count[best] || (k == count[best] && c < best) {
			best = c
		}
	}
	return best
}

// timeRuns runs f a few times to warm up, then *queries times, and
// returns the median, the 99th percentile and the time of the first run
// (the store's cache empty).
func timeRuns(f func() error) ([3]time.Duration, error) {
	var first time.Duration
	for i := 0; i < 5; i++ {
		start := time.Now()
		if err := f(); err != nil {
			return [3]time.Duration{}, err
		}
		if i == 0 {
			first = time.Since(start)
		}
	}
	d := make([]time.Duration, *queries)
	for i := range d {
		start := time.Now()
		if err := f(); err != nil {
			return [3]time.Duration{}, err
		}
		d[i] = time.Since(start)
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	p := func(q float64) time.Duration { return d[min(len(d)-1, int(q*float64(len(d))))] }
	return [3]time.Duration{p(0.5), p(0.99), first}, nil
}

func wps(v float64) string { return human(v) + " words/s" }

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func human(n float64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.2fM", n/1e6)
	case n >= 1e4:
		return fmt.Sprintf("%.0fk", n/1e3)
	case n >= 1e3:
		return fmt.Sprintf("%.1fk", n/1e3)
	}
	return fmt.Sprintf("%.0f", n)
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			if _, v, ok := strings.Cut(l, ":"); ok {
				return strings.TrimSpace(v)
			}
		}
	}
	return runtime.GOARCH
}
