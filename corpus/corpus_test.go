package corpus

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/ingest"
)

func TestDeterministic(t *testing.T) {
	g1, err := New(7)
	if err != nil {
		t.Fatal(err)
	}
	g2, _ := New(7)
	g3, _ := New(8)
	for i := 0; i < 20; i++ {
		a, b, c := g1.Article(i), g2.Article(i), g3.Article(i)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("article %d differs between two generators of seed 7", i)
		}
		if a.Text == c.Text {
			t.Errorf("article %d is the same for seeds 7 and 8", i)
		}
		if w := a.Words(); w < 280 || w > 420 {
			t.Errorf("article %d has %d words, want about 300", i, w)
		}
		if a.ID == "" || a.Title == "" || len(a.Published) != 10 || len(a.Facts) < 8 {
			t.Errorf("article %d: %+v", i, a)
		}
	}
	var j1, j2 bytes.Buffer
	if err := g1.WriteJSONL(&j1, nil, 5); err != nil {
		t.Fatal(err)
	}
	g2.WriteJSONL(&j2, nil, 5)
	if j1.String() != j2.String() || strings.Count(j1.String(), "\n") != 5 {
		t.Errorf("WriteJSONL is not deterministic or not 5 lines")
	}
}

// TestStatedFacts checks that the extractor finds the facts generated
// articles state: every invitation, office and affiliation, and nearly
// all of the rest.
func TestStatedFacts(t *testing.T) {
	g, err := New(1)
	if err != nil {
		t.Fatal(err)
	}
	x, err := ingest.NewExtractor()
	if err != nil {
		t.Fatal(err)
	}
	total, missed := map[string]int{}, map[string]int{}
	for i := 0; i < 50; i++ {
		a := g.Article(i)
		pub, err := ingest.ParseDate(a.Published)
		if err != nil {
			t.Fatal(err)
		}
		art := x.Extract(ingest.Document{ID: a.ID, Title: a.Title, Published: pub, Text: a.Text})
		got := map[string]bool{}
		for _, l := range art.FactLines() {
			got[strings.ReplaceAll(l, `"`, "")] = true
		}
		for _, f := range a.Facts {
			total[f.Predicate]++
			if got[f.String()] {
				continue
			}
			missed[f.Predicate]++
			switch f.Predicate {
			case "invitedTo", "officialOf", "title":
				t.Errorf("article %d (%s): %s not extracted", i, a.ID, f)
			}
		}
	}
	for _, p := range []string{"invitedTo", "officialOf", "title", "represents", "heldIn", "locatedIn"} {
		if total[p] == 0 {
			t.Errorf("no %s facts generated", p)
		}
	}
	all, miss := 0, 0
	for p, n := range total {
		all += n
		miss += missed[p]
	}
	if miss*20 > all {
		t.Errorf("%d of %d stated facts not extracted: %v", miss, all, missed)
	}
}
