package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/schema"
)

// exported is a store's export: its quads, by N-Quads line.
type exported map[string]quad.Quad

func (c *cli) export(extra ...string) exported {
	c.t.Helper()
	out := c.ok(append([]string{"export"}, extra...)...).stdout
	m := exported{}
	for _, q := range parseNQuads(c.t, "export", []byte(out)) {
		m[graph.NQuad(graph.UnescapeIRIs(q))] = q
	}
	return m
}

// without returns the quads not labelled with any of the labels.
func (x exported) without(labels ...quad.Value) exported {
	drop := map[quad.Value]bool{}
	for _, l := range labels {
		drop[l] = true
	}
	out := exported{}
	for l, q := range x {
		if !drop[q.Label] {
			out[l] = q
		}
	}
	return out
}

// labels returns the labels of the quads.
func (x exported) labels() map[quad.Value]bool {
	out := map[quad.Value]bool{}
	for _, q := range x {
		out[q.Label] = true
	}
	return out
}

func sameExport(t *testing.T, what string, got, want exported) {
	t.Helper()
	var extra, missing []string
	for l := range got {
		if _, ok := want[l]; !ok {
			extra = append(extra, l)
		}
	}
	for l := range want {
		if _, ok := got[l]; !ok {
			missing = append(missing, l)
		}
	}
	if len(extra)+len(missing) == 0 {
		return
	}
	sort.Strings(extra)
	sort.Strings(missing)
	if len(extra) > 10 {
		extra = extra[:10]
	}
	if len(missing) > 10 {
		missing = missing[:10]
	}
	t.Errorf("%s: %d quads, want %d\n  unexpected: %s\n  missing: %s", what, len(got), len(want),
		strings.Join(extra, "\n              "), strings.Join(missing, "\n           "))
}

// copyStory copies the four reports of testdata/story, with their
// metadata files (which give each its id, "report1"...), into the
// working directory.
func (c *cli) copyStory() {
	c.t.Helper()
	files, err := filepath.Glob("../../testdata/story/report*")
	if err != nil || len(files) != 8 {
		c.t.Fatalf("story files: %v %v", files, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			c.t.Fatal(err)
		}
		c.write(filepath.Base(f), b)
	}
}

// TestDeleteOnlyItsFacts: four reports of one story share facts and
// entities; deleting one removes its quads and nothing else.
func TestDeleteOnlyItsFacts(t *testing.T) {
	c := newCLI(t)
	c.copyStory()
	c.ok("ingest", "report1.txt", "report2.txt", "report3.txt", "report4.txt")
	before := c.export()
	r1 := articleIRI("report1") // the id report1.json gives it
	r2 := articleIRI("report2")
	articles := 0
	for l := range before.labels() {
		if strings.HasPrefix(fmt.Sprint(l), "<"+schema.ID+"article/") {
			articles++
		}
	}
	if labels := before.labels(); articles != 4 || !labels[r1] || !labels[r2] {
		t.Fatalf("labels of the store: %v", labels)
	}

	// the facts report1 states that another report states too
	type triple [3]quad.Value
	byTriple := map[triple]map[quad.Value]bool{}
	for _, q := range before {
		k := triple{q.Subject, q.Predicate, q.Object}
		if byTriple[k] == nil {
			byTriple[k] = map[quad.Value]bool{}
		}
		byTriple[k][q.Label] = true
	}
	var shared []triple
	onlyR1 := map[quad.Value]bool{} // subjects only report1 has quads of
	for k, labels := range byTriple {
		if labels[r1] && len(labels) > 1 && k[1] != schema.Mentions.IRI() {
			shared = append(shared, k)
		}
	}
	for _, q := range before {
		onlyR1[q.Subject] = true
	}
	for _, q := range before.without(r1) {
		delete(onlyR1, q.Subject)
	}
	if len(shared) < 10 {
		t.Fatalf("report1 shares only %d facts with the others: the test proves little", len(shared))
	}

	// by the path it was ingested with, although its metadata gave it an id
	r := c.ok("delete", "report1.txt")
	mustContain(t, "delete's summary", r.stderr, "deleted report1.txt: ")
	after := c.export()
	sameExport(t, "store after deleting report1", after, before.without(r1))

	// every fact report1 shared survives, under the other reports' labels
	for _, k := range shared {
		for l := range byTriple[k] {
			if l == r1 {
				continue
			}
			q := quad.Quad{Subject: k[0], Predicate: k[1], Object: k[2], Label: l}
			if _, ok := after[graph.NQuad(q)]; !ok {
				t.Errorf("shared fact lost: %s", graph.NQuad(q))
			}
		}
	}
	// what only report1 said is gone
	for _, q := range after {
		if onlyR1[q.Subject] {
			t.Errorf("a node only report1 had is still there: %s", graph.NQuad(q))
		}
	}
	// every entity the remaining reports name keeps exactly one name
	names := map[quad.Value]map[quad.Value]bool{}
	entities := map[quad.Value]bool{}
	for _, q := range after {
		s, ok := q.Subject.(quad.IRI)
		if !ok || !strings.HasPrefix(string(s), schema.ID) || strings.HasPrefix(string(s), schema.ID+"article/") || strings.HasPrefix(string(s), schema.EvidencePrefix) {
			continue
		}
		if q.Predicate == schema.Type {
			entities[s] = true
		}
		if q.Predicate == schema.Name {
			if names[s] == nil {
				names[s] = map[quad.Value]bool{}
			}
			names[s][q.Object] = true
		}
	}
	if len(entities) < 10 {
		t.Fatalf("only %d entities left", len(entities))
	}
	for e := range entities {
		if n := len(names[e]); n != 1 {
			t.Errorf("%s has %d names after the delete, want 1: %v", e, n, names[e])
		}
	}

	// again: no such article, exit 1, nothing changed
	r = c.run("delete", "report1.txt")
	if r.code != 1 || !strings.Contains(r.stderr, "report1.txt: no such article in the store") {
		t.Errorf("deleting report1 again: %s", r)
	}
	sameExport(t, "store after deleting a deleted article", c.export(), after)

	// by id, with a missing one among them: the present one goes, the
	// missing one is named, and the exit code says something failed
	r = c.run("delete", "report2", "no-such-report")
	if r.code != 1 {
		t.Errorf("delete of a present and a missing article: %s", r)
	}
	mustContain(t, "delete's stderr", r.stderr, "deleted report2: ", "no-such-report: no such article in the store")
	sameExport(t, "store after deleting report2", c.export(), before.without(r1, r2))

	// by IRI
	r3 := articleIRI("report3")
	c.ok("delete", "<"+string(r3)+">")
	sameExport(t, "store after deleting report3", c.export(), before.without(r1, r2, r3))
}
