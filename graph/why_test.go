package graph

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/schema"
)

func TestWhy(t *testing.T) {
	ctx := context.Background()
	s, seed := seedStore(t)
	// the same story under another id: every fact has two sources
	text, err := os.ReadFile(seedFile)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := extractor()
	copyA := x.Extract(ingest.Document{Source: "copy.txt", ID: "copy", Text: string(text), Published: time.Date(2026, 2, 4, 0, 0, 0, 0, time.UTC)})
	writeOK(t, s, copyA.IRI(), copyA.Quads())

	tests := []struct {
		s, p, o  string
		sources  int
		sentence string
	}{
		{"Pakistan", "invitedTo", "Iran-US talks in Istanbul", 2, "Pakistan has been invited to take part"},
		{"pakistan", "<ng:invitedTo>", "IRAN-US TALKS IN ISTANBUL", 2, "Pakistan has been invited"},
		{"ngid:country/Pakistan", "https://newsgraph.dev/ns#invitedTo", "<ngid:event/Iran_US_talks_in_Istanbul>", 2, "invited"},
		{"Ishaq Dar", "title", "Deputy Prime Minister", 2, "Deputy Prime Minister Ishaq Dar"},
		{"Iran-US talks in Istanbul", "date", "2026-02-06", 2, ""},
		{"Ishaq Dar", "represents", "Pakistan", 2, "represent Pakistan"},
		{"Pakistan", "invitedTo", "Istanbul", 0, ""},
		{"Qatar", "represents", "Pakistan", 0, ""},
	}
	for _, tc := range tests {
		w, err := s.Why(ctx, tc.s, tc.p, tc.o)
		if err != nil {
			t.Errorf("Why(%q, %q, %q): %v", tc.s, tc.p, tc.o, err)
			continue
		}
		if len(w.Sources) != tc.sources {
			t.Errorf("Why(%q, %q, %q): %d sources, want %d: %+v", tc.s, tc.p, tc.o, len(w.Sources), tc.sources, w.Sources)
			continue
		}
		for _, src := range w.Sources {
			if src.Article != seed && src.Article != copyA.IRI() {
				t.Errorf("source %s is neither article", src.Article)
			}
			if len(src.Sentences) == 0 {
				t.Errorf("Why(%q, %q, %q): %s has no sentence", tc.s, tc.p, tc.o, src.Article)
			}
			if tc.sentence != "" && !strings.Contains(strings.Join(src.Sentences, " "), tc.sentence) {
				t.Errorf("Why(%q, %q, %q): sentences %q lack %q", tc.s, tc.p, tc.o, src.Sentences, tc.sentence)
			}
		}
		if tc.sources > 0 && (w.Sources[0].Published != "2026-02-03" || w.Sources[1].Published != "2026-02-04") {
			t.Errorf("sources not in date order, or dates not plain: %q, %q", w.Sources[0].Published, w.Sources[1].Published)
		}
	}
	if _, err := s.Why(ctx, "Nobody Known", "invitedTo", "Pakistan"); err == nil {
		t.Error("Why of an unknown subject gave no error")
	}

	// deleting one article removes its evidence; the other still answers
	if _, err := s.DeleteArticle(ctx, copyA.IRI()); err != nil {
		t.Fatal(err)
	}
	w, err := s.Why(ctx, "Pakistan", "invitedTo", "Iran-US talks in Istanbul")
	if err != nil || len(w.Sources) != 1 || w.Sources[0].Article != seed {
		t.Fatalf("after deleting the copy: %+v, %v", w, err)
	}

	// evidence survives export and load
	var buf bytes.Buffer
	if _, err := s.Export(ctx, &buf, "nquads", ""); err != nil {
		t.Fatal(err)
	}
	back, err := quad.ReadAll(nquads.NewReader(&buf, false))
	if err != nil {
		t.Fatal(err)
	}
	for i := range back {
		back[i] = UnescapeIRIs(back[i])
	}
	s2 := openTest(t, "bolt")
	if err := s2.AddQuads(back); err != nil {
		t.Fatal(err)
	}
	w2, err := s2.Why(ctx, "Pakistan", "invitedTo", "Iran-US talks in Istanbul")
	if err != nil || len(w2.Sources) != 1 || strings.Join(w2.Sources[0].Sentences, "|") != strings.Join(w.Sources[0].Sentences, "|") {
		t.Fatalf("after export and load: %+v, %v; want %+v", w2, err, w)
	}
}

// TestEvidenceQuads checks the evidence the extractor writes: one node per
// fact of the article, found from the fact's quad, with the sentence it
// came from, and the stats keep them apart from entities and facts.
func TestEvidenceQuads(t *testing.T) {
	ctx := context.Background()
	s, _ := seedStore(t)
	a := seedArticle(t)
	type ev struct {
		typ, sent, other int
	}
	evs := map[quad.Value]*ev{}
	facts := 0
	for _, q := range a.Quads() {
		if iri, ok := q.Subject.(quad.IRI); ok && strings.HasPrefix(string(iri), schema.EvidencePrefix) {
			e := evs[q.Subject]
			if e == nil {
				e = &ev{}
				evs[q.Subject] = e
			}
			switch q.Predicate {
			case schema.Type:
				e.typ++
			case schema.Sentence.IRI():
				e.sent++
			default:
				e.other++
			}
		}
	}
	facts = len(a.Facts) + len(a.Statements)
	if len(evs) == 0 || len(evs) > facts {
		t.Fatalf("%d evidence nodes for %d facts", len(evs), facts)
	}
	for iri, e := range evs {
		if e.typ != 1 || e.sent < 1 || e.other != 0 {
			t.Errorf("evidence %v: %+v, want one type and a sentence", iri, *e)
		}
	}
	// each fact about an entity leads to its evidence (an article's date
	// and a statement's words are not stated by one sentence)
	label := a.IRI()
	for _, q := range a.Quads() {
		iri, _ := q.Subject.(quad.IRI)
		subj := string(iri)
		if strings.HasPrefix(subj, schema.ID+"article/") || strings.HasPrefix(subj, schema.ID+"statement/") || strings.HasPrefix(subj, schema.EvidencePrefix) {
			continue
		}
		isFact := false
		for _, p := range schema.Predicates {
			isFact = isFact || q.Predicate == p.IRI()
		}
		if !isFact {
			continue
		}
		if _, ok := evs[schema.EvidenceIRI(label, q.Subject, q.Predicate.(quad.IRI), q.Object)]; !ok {
			t.Errorf("fact %v has no evidence node", q)
		}
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Evidence != len(evs) || st.Entities["Evidence"] != 0 || st.Facts["subject"] != 0 || st.Facts["sentence"] != 0 {
		t.Errorf("stats: %d evidence (want %d), entities %v, facts %v", st.Evidence, len(evs), st.Entities, st.Facts)
	}
}
