package main

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// storeSize returns the size of the files of the store directory.
func storeSize(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if fi.Mode().IsRegular() {
			n += fi.Size()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// genIDs returns the ids of the articles of a JSONL file `gen` wrote.
func genIDs(t *testing.T, file string) []string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	re := regexp.MustCompile(`"id":\s*"([^"]+)"`)
	var ids []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			ids = append(ids, m[1])
		}
	}
	if len(ids) == 0 {
		t.Fatalf("no ids in %s", file)
	}
	return ids
}

// storeWithDeletes ingests 60 generated articles and deletes 50.
func storeWithDeletes(c *cli) {
	c.t.Helper()
	c.ok("gen", "-n", "60", "-o", "g.jsonl")
	c.ok("ingest", "-q", "g.jsonl")
	var del []string
	for i, id := range genIDs(c.t, c.path("g.jsonl")) {
		if i%6 != 0 {
			del = append(del, id)
		}
	}
	c.ok(append([]string{"delete"}, del...)...)
}

func compactLeftovers(t *testing.T, c *cli) []string {
	t.Helper()
	m, err := filepath.Glob(c.path(".newsgraph.db.compact-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCompactCLI(t *testing.T) {
	c := newCLI(t)
	storeWithDeletes(c)
	before := c.export()
	sizeBefore := storeSize(t, c.path("newsgraph.db"))

	r := c.ok("compact")
	m := regexp.MustCompile(`compacted bolt store newsgraph.db: (\d+) quads, (\S+ \S?B) -> (\S+ \S?B) \((\S+ \S?B) reclaimed\)`).FindStringSubmatch(r.stderr)
	if m == nil {
		t.Fatalf("compact's summary: %s", r)
	}
	t.Logf("%s", strings.TrimSpace(r.stderr))
	if m[1] != fmt.Sprint(len(before)) {
		t.Errorf("compact says %s quads, the export has %d", m[1], len(before))
	}
	sizeAfter := storeSize(t, c.path("newsgraph.db"))
	if sizeAfter >= sizeBefore {
		t.Errorf("store of %d bytes is %d bytes after compact: not smaller", sizeBefore, sizeAfter)
	}
	if m[2] != byteSize(sizeBefore) || m[3] != byteSize(sizeAfter) {
		t.Errorf("compact reports %s -> %s, the files are %s -> %s", m[2], m[3], byteSize(sizeBefore), byteSize(sizeAfter))
	}
	sameExport(t, "store after compact", c.export(), before)
	if l := compactLeftovers(t, c); len(l) != 0 {
		t.Errorf("compact left %v", l)
	}
	// the store works on: ingest, query
	c.ingestSeed()
	if s := c.stats(); s.Articles != 11 {
		t.Errorf("%d articles after compacting and ingesting one, want 11", s.Articles)
	}
	r = c.ok("query", invited)
	mustContain(t, "query after compact", r.stdout, "Pakistan")

	// --quiet
	if r := c.ok("compact", "-q"); r.stderr != "" {
		t.Errorf("compact -q printed %q", r.stderr)
	}
	if r := c.ok("compact", "--help"); !strings.Contains(r.stdout+r.stderr, "Usage: newsgraph compact") {
		t.Errorf("compact --help: %s", r)
	}
}

func TestCompactCLIRefuses(t *testing.T) {
	c := newCLI(t)
	c.ingestSeed()
	before := c.export()
	tests := []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"compact", "--db", "memstore"}, 1, []string{"memstore", "bolt and leveldb", "nothing to compact"}},
		{[]string{"compact", "--db", "postgres", "--dbpath", "postgres://u:p@127.0.0.1:1/x?sslmode=disable"}, 1, []string{"postgres", "bolt and leveldb"}},
		{[]string{"compact", "--dbpath", "missing.db"}, 1, []string{"missing.db", "no store there"}},
		{[]string{"compact", "--dbpath", "."}, 1, []string{"no bolt store there"}},
		{[]string{"compact", "newsgraph.db"}, 2, []string{"no arguments", "--dbpath"}},
	}
	for _, tc := range tests {
		r := c.run(tc.args...)
		if r.code != tc.code {
			t.Errorf("newsgraph %q: exit %d, want %d: %s", tc.args, r.code, tc.code, r)
		}
		mustContain(t, fmt.Sprintf("newsgraph %q", tc.args), r.stderr, tc.want...)
	}
	if _, err := os.Stat(c.path("missing.db")); err == nil {
		t.Errorf("compact made missing.db")
	}

	if runtime.GOOS == "windows" {
		return
	}
	// a store serve holds: refused at once, untouched
	p := c.startServe()
	r := c.runTimeout(20*time.Second, "", "compact")
	if r.code != 1 || !strings.Contains(r.stderr, "in use") {
		t.Errorf("compact of a store serve holds: %s", r)
	}
	if err := p.stop(t); err != nil {
		t.Errorf("serve: %v", err)
	}
	if l := compactLeftovers(t, c); len(l) != 0 {
		t.Errorf("a refused compact left %v", l)
	}
	sameExport(t, "store after a refused compact", c.export(), before)
}

// TestCompactKilled kills compact at random points: the store is whole
// after each, and the next compact removes what the killed one left.
func TestCompactKilled(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL")
	}
	c := newCLI(t)
	storeWithDeletes(c)
	want := c.export()
	rng := rand.New(rand.NewSource(5))
	start := time.Now()
	c.ok("compact")
	took := time.Since(start)
	mid := 0
	for i := 0; i < 6; i++ {
		cmd := exec.Command(binary, "compact")
		cmd.Dir, cmd.Env = c.dir, testEnv()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int63n(int64(took) + 1)))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			mid++
		}
		// the store is whole: the same quads, and it opens
		sameExport(t, fmt.Sprintf("store after kill %d", i+1), c.export(), want)
	}
	t.Logf("6 kills, %d of them while compact ran (a compaction takes %v)", mid, took.Round(time.Millisecond))
	left := compactLeftovers(t, c)
	r := c.ok("compact")
	for _, l := range left {
		mustContain(t, "compact after killed ones", r.stderr, filepath.Base(l)+", left by a compaction that did not finish")
	}
	if l := compactLeftovers(t, c); len(l) != 0 {
		t.Errorf("leftovers after a full compact: %v", l)
	}
	sameExport(t, "store after the final compact", c.export(), want)
}
