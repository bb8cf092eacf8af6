package eval

import (
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

func TestScoreStory(t *testing.T) {
	st := &Story{
		Slug:         "s",
		MainEvent:    "Geneva talks on Cyprus",
		Participants: []string{"Greece", "Türkiye", "Anna Berg"},
		Entities: []StoryEntity{
			{Name: "Geneva talks on Cyprus", Type: "Event", Forms: []string{"talks in Geneva", "talks"}},
			{Name: "May meeting in Geneva", Type: "Event", Forms: []string{"meeting of negotiators", "talks"}},
			{Name: "Anna Berg", Type: "Person", Forms: []string{"Berg", "Anna Bergh"}},
			{Name: "Greece", Type: "Country"},
			{Name: "Türkiye", Type: "Country", Forms: []string{"Turkey"}},
		},
		Distinct: [][2]string{{"Geneva talks on Cyprus", "May meeting in Geneva"}},
	}
	iri := func(s string) quad.IRI { return quad.IRI("https://newsgraph.dev/id/" + s) }
	node := func(id, class, name string, alt ...string) []quad.Quad {
		qs := []quad.Quad{
			quad.Make(iri(id), schema.Type, quad.IRI("https://newsgraph.dev/ns#"+class), nil),
			quad.Make(iri(id), schema.Name, quad.String(name), nil),
		}
		for _, a := range alt {
			qs = append(qs, quad.Make(iri(id), schema.AlternateName, quad.String(a), nil))
		}
		return qs
	}
	part := func(s, o string) quad.Quad {
		return quad.Make(iri(s), quad.IRI("https://newsgraph.dev/ns#participatesIn"), iri(o), nil)
	}
	tests := []struct {
		name                 string
		quads                [][]quad.Quad
		nodes, linked, split int
		merged               int
	}{
		{"one node, all linked", [][]quad.Quad{
			node("e1", "Event", "Geneva talks on Cyprus", "talks"),
			node("gr", "Country", "Greece"), node("tr", "Country", "Türkiye", "Turkey"),
			node("p1", "Person", "Anna Berg", "Berg"),
			{part("gr", "e1"), part("tr", "e1"), part("p1", "e1")},
		}, 1, 3, 0, 0},
		{"two nodes, a person split", [][]quad.Quad{
			node("e1", "Event", "talks in Geneva"), node("e2", "Event", "Geneva talks on Cyprus"),
			node("gr", "Country", "Greece"), node("tr", "Country", "Turkey"),
			node("p1", "Person", "Anna Berg"), node("p2", "Person", "Anna Bergh"),
			{part("gr", "e1"), part("tr", "e2"), part("p1", "e2")},
		}, 2, 2, 1, 0},
		{"a generic name identifies nothing; a wrong merge", [][]quad.Quad{
			node("e1", "Event", "talks"),
			node("e2", "Event", "Geneva talks on Cyprus", "meeting of negotiators"),
			node("gr", "Country", "Greece"),
			{part("gr", "e1")},
		}, 1, 0, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var qs []quad.Quad
			for _, q := range tc.quads {
				qs = append(qs, q...)
			}
			r := ScoreStory(st, qs)
			if r.MainEventNodes != tc.nodes || r.Linked != tc.linked || len(r.PersonsSplit) != tc.split || len(r.Merged) != tc.merged {
				t.Errorf("got nodes %d, linked %d, split %v, merged %v; want %d, %d, %d, %d",
					r.MainEventNodes, r.Linked, r.PersonsSplit, r.Merged, tc.nodes, tc.linked, tc.split, tc.merged)
			}
		})
	}
}

func TestLoadStories(t *testing.T) {
	sts, err := LoadStories("../testdata/holdout-stories")
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) < 4 {
		t.Fatalf("found %d stories, want at least 4", len(sts))
	}
	for _, st := range sts {
		if len(st.Reports) < 3 {
			t.Errorf("%s: %d reports", st.Slug, len(st.Reports))
		}
		if _, ok := st.forms()[st.MainEvent]; !ok {
			t.Errorf("%s: main event %q has no forms", st.Slug, st.MainEvent)
		}
	}
}
