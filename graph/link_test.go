package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/schema"
)

// Four reports of one story, by different outlets with different
// spellings, end up as one node per real-world person, country, place
// and organisation (testdata/story/expected.json).
func TestStoryMerge(t *testing.T) {
	var want struct {
		Nodes    map[string]int
		Entities []struct {
			Name, Type string
			Forms      []string
		}
	}
	b, err := os.ReadFile("../testdata/story/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	x, err := ingest.NewExtractor()
	if err != nil {
		t.Fatal(err)
	}
	st, err := Open("memstore", "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	for i := 1; i <= 4; i++ {
		a := x.Extract(storyReport(t, i))
		if err := a.Link(ctx, st); err != nil {
			t.Fatal(err)
		}
		if _, err := st.WriteArticle(ctx, a.IRI(), a.Quads()); err != nil {
			t.Fatal(err)
		}
	}
	// the store's nodes by class, with their names and labels
	type node struct {
		class  string
		names  map[string]bool
		labels map[quad.Value]bool
	}
	nodes := map[quad.Value]*node{}
	get := func(v quad.Value) *node {
		if nodes[v] == nil {
			nodes[v] = &node{names: map[string]bool{}, labels: map[quad.Value]bool{}}
		}
		return nodes[v]
	}
	all, err := quad.ReadAll(st.AllQuads())
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range all {
		switch q.Predicate {
		case schema.Type:
			get(q.Subject).class = schema.LocalName(quad.ToString(q.Object))
		case schema.Name, schema.AlternateName:
			n := get(q.Subject)
			n.names[schema.NormName(quad.ToString(q.Object))] = true
			n.labels[q.Label] = true
		}
	}
	counts := map[string]int{}
	for iri, n := range nodes {
		if n.class != "" {
			counts[n.class]++
		}
		// one canonical name per node, however many articles state it
		canon := map[string]bool{}
		for _, q := range all {
			if q.Subject == iri && q.Predicate == schema.Name {
				canon[quad.ToString(q.Object)] = true
			}
		}
		if len(canon) > 1 {
			t.Errorf("%v has %d names: %v", iri, len(canon), canon)
		}
	}
	for _, class := range []string{"Person", "Country", "Place", "Organization"} {
		if counts[class] != want.Nodes[class] {
			t.Errorf("%d %s nodes, want %d", counts[class], class, want.Nodes[class])
		}
	}
	for _, e := range want.Entities {
		if e.Type == "Event" {
			continue
		}
		holders := map[quad.Value]bool{}
		for _, f := range append(e.Forms, e.Name) {
			for iri, n := range nodes {
				if n.class == e.Type && n.names[schema.NormName(f)] {
					holders[iri] = true
				}
			}
		}
		if len(holders) != 1 {
			t.Errorf("%s (%s): its forms are on %d nodes, want 1", e.Name, e.Type, len(holders))
		}
	}
	// the conference in Istanbul, reported by most outlets, is one node
	best := 0
	for _, n := range nodes {
		if n.class == "Event" && n.names["istanbul conference"] {
			if len(n.labels) > best {
				best = len(n.labels)
			}
		}
	}
	if best < 3 {
		t.Errorf("the Istanbul conference is one node for %d reports, want at least 3", best)
	}
}

// storyReport reads report i of testdata/story, with its sidecar's date.
func storyReport(t *testing.T, i int) ingest.Document {
	t.Helper()
	name := fmt.Sprintf("../testdata/story/report%d", i)
	text, err := os.ReadFile(name + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	var meta struct{ Published string }
	mb, err := os.ReadFile(name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(mb, &meta); err != nil {
		t.Fatalf("%s.json: %v", name, err)
	}
	pub, err := ingest.ParseDate(meta.Published)
	if err != nil {
		t.Fatal(err)
	}
	return ingest.Document{Source: name + ".txt", ID: name, Text: string(text), Published: pub}
}
