package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/graph"
)

// storeLines reads every quad of a bolt store, as N-Quads lines by
// label. Unlike export, it reads the store's quads as they are: a quad
// stored twice comes back twice, and fails the test.
func storeLines(t *testing.T, dir string) (map[quad.Value]map[string]bool, int) {
	t.Helper()
	s, err := graph.Open("bolt", dir, graph.Options{ReadOnly: true, NoBloom: true})
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	defer s.Close()
	r := s.AllQuads()
	defer r.Close()
	out := map[quad.Value]map[string]bool{}
	n := 0
	for {
		q, err := r.ReadQuad()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("read %s: %v", dir, err)
		}
		l := graph.NQuad(q)
		if out[q.Label] == nil {
			out[q.Label] = map[string]bool{}
		}
		if out[q.Label][l] {
			t.Errorf("%s holds a quad twice: %s", dir, l)
		}
		out[q.Label][l] = true
		n++
	}
	return out, n
}

// smallArticles writes n short generated articles (their first two
// paragraphs) to name, one JSON object a line.
func smallArticles(c *cli, n int, name string) {
	c.t.Helper()
	c.ok("gen", "-n", strconv.Itoa(n), "--seed", "7", "-o", "full.jsonl")
	in, err := os.Open(c.path("full.jsonl"))
	if err != nil {
		c.t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(c.path(name))
	if err != nil {
		c.t.Fatal(err)
	}
	defer out.Close()
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, 1<<20)
	w := bufio.NewWriter(out)
	for sc.Scan() {
		var rec map[string]interface{}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			c.t.Fatal(err)
		}
		text, _ := rec["text"].(string)
		if p := strings.Split(text, "\n\n"); len(p) > 2 {
			rec["text"] = strings.Join(p[:2], "\n\n")
		}
		b, _ := json.Marshal(rec)
		w.Write(b)
		w.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		c.t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		c.t.Fatal(err)
	}
}

// TestIngestKilled kills ingest with SIGKILL at random points, checks
// after each kill that every article in the store is whole, runs ingest
// to completion, and checks that the store exports exactly what an
// uninterrupted ingest into a fresh store does.
func TestIngestKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped with -short")
	}
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL")
	}
	seed := int64(20260203)
	if s := os.Getenv("NEWSGRAPH_CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	t.Logf("seed %d (set NEWSGRAPH_CRASH_SEED to repeat a run)", seed)
	rng := rand.New(rand.NewSource(seed))
	c := newCLI(t)
	const articles = 2000
	smallArticles(c, articles, "news.jsonl")

	start := time.Now()
	c.ok("ingest", "-q", "--dbpath", "ref.db", "news.jsonl")
	took := time.Since(start)
	ref, refQuads := storeLines(t, c.path("ref.db"))
	refExport := c.ok("export", "--dbpath", "ref.db").stdout
	if len(ref) < articles {
		t.Fatalf("the uninterrupted ingest stored %d labels for %d articles", len(ref), articles)
	}
	t.Logf("uninterrupted ingest: %d articles, %d quads in %v", articles, refQuads, took.Round(time.Millisecond))

	rounds := []struct {
		name string
		args []string
	}{
		// a new store is built in bulk: a kill leaves it empty
		{"bulk build", nil},
		{"bulk build, one worker", []string{"-j", "1"}},
		// batch by batch, a kill leaves the batches committed
		{"default batches", []string{"--bulk=false"}},
		{"batches of 16", []string{"--batch", "16", "--bulk=false"}},
	}
	totalKills, landed := 0, 0
	for i, round := range rounds {
		db := fmt.Sprintf("crash%d.db", i)
		args := append(append([]string{"ingest", "-q", "--dbpath", db}, round.args...), "news.jsonl")
		kills := 1 + rng.Intn(3)
		for k := 0; k < kills; k++ {
			cmd := exec.Command(binary, args...)
			cmd.Dir, cmd.Env = c.dir, testEnv()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			delay := time.Duration(rng.Int63n(int64(took)))
			time.Sleep(delay)
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			totalKills++
			killed := false
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				killed = true
				landed++
			}
			if _, err := os.Stat(c.path(db)); err != nil {
				t.Logf("%s, kill %d after %v: no store yet", round.name, k+1, delay.Round(time.Millisecond))
				continue
			}
			got, n := storeLines(t, c.path(db))
			whole := 0
			for label, lines := range got {
				want, ok := ref[label]
				if !ok {
					t.Errorf("%s, kill %d: quads under a label the uninterrupted ingest does not have: %v", round.name, k+1, label)
					continue
				}
				if len(lines) != len(want) {
					t.Errorf("%s, kill %d: half an article: %v has %d of its %d quads", round.name, k+1, label, len(lines), len(want))
				}
				for l := range lines {
					if !want[l] {
						t.Errorf("%s, kill %d: a quad the uninterrupted ingest does not have: %s", round.name, k+1, l)
						break
					}
				}
				hash := false
				for l := range lines {
					if strings.Contains(l, "#contentHash>") {
						hash = true
					}
				}
				if !hash && strings.Contains(fmt.Sprint(label), "/article/") {
					t.Errorf("%s, kill %d: article %v has no contentHash", round.name, k+1, label)
				}
				whole++
			}
			t.Logf("%s, kill %d after %v (killed: %v): %d labels, %d quads stored, each whole",
				round.name, k+1, delay.Round(time.Millisecond), killed, whole, n)
			if t.Failed() {
				t.FailNow()
			}
		}
		r := c.ok(args...)
		if r.stderr != "" {
			t.Errorf("%s: ingest -q after the kills printed %s", round.name, r.stderr)
		}
		if got := c.ok("export", "--dbpath", db).stdout; got != refExport {
			a, b := strings.Split(got, "\n"), strings.Split(refExport, "\n")
			t.Errorf("%s: the export after %d kills differs from the uninterrupted one: %d lines, want %d; first difference:\n%s",
				round.name, kills, len(a), len(b), firstLineDiff(a, b))
		}
		if got, n := storeLines(t, c.path(db)); n != refQuads || len(got) != len(ref) {
			t.Errorf("%s: %d quads under %d labels, want %d under %d", round.name, n, len(got), refQuads, len(ref))
		}
	}
	t.Logf("%d kills, %d of them while ingest ran", totalKills, landed)
}

// firstLineDiff shows the first line where two sorted line lists differ.
func firstLineDiff(a, b []string) string {
	sort.Strings(a)
	sort.Strings(b)
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return fmt.Sprintf("  got:  %s\n  want: %s", a[i], b[i])
		}
	}
	return fmt.Sprintf("  (one is a prefix of the other: %d vs %d lines)", len(a), len(b))
}
