package graph

import (
	"bytes"
	"context"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

var update = flag.Bool("update", false, "rewrite generated files (schema/ontology.ttl)")

const ontologyFile = "../schema/ontology.ttl"

// TestOntologyFileFresh fails when schema/ontology.ttl is not what
// schema.OntologyQuads (from predicates.tsv) gives; -update rewrites it.
func TestOntologyFileFresh(t *testing.T) {
	quads, err := schema.OntologyQuads()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.WriteString("# The newsgraph vocabulary: classes and predicates with labels, comments,\n" +
		"# domains and ranges. Generated from schema/data/predicates.tsv and\n" +
		"# schema/ontology.go by `go test ./graph -run OntologyFile -update`; do not edit.\n")
	if err := WriteTurtle(&buf, quads); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(ontologyFile, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(ontologyFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, buf.Bytes()) {
		t.Fatalf("schema/ontology.ttl is stale: run `go test ./graph -run OntologyFile -update` and commit it")
	}
	if !bytes.Equal(schema.OntologyTurtle, have) {
		t.Fatalf("the embedded ontology differs from schema/ontology.ttl: rebuild")
	}
}

// TestOntologyCoversPredicates checks the ontology against predicates.tsv:
// every predicate with its label, comment, domain and range, every class
// of vocabulary.md.
func TestOntologyCoversPredicates(t *testing.T) {
	quads, err := schema.OntologyQuads()
	if err != nil {
		t.Fatal(err)
	}
	g, err := schema.LoadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	props := map[quad.Value]map[string]int{}
	for _, q := range quads {
		if q.Label != schema.OntologyGraph {
			t.Fatalf("quad %v not labelled %v", q, schema.OntologyGraph)
		}
		if props[q.Subject] == nil {
			props[q.Subject] = map[string]int{}
		}
		props[q.Subject][schema.LocalName(string(q.Predicate.(quad.IRI)))]++
	}
	for _, p := range g.Predicates {
		got := props[p.Predicate.IRI()]
		for _, k := range []string{"label", "comment", "domain", "range"} {
			if got[k] != 1 {
				t.Errorf("%s has %d rdfs:%s, want 1", p.Predicate, got[k], k)
			}
		}
	}
	for _, c := range append(append([]schema.Class(nil), schema.Classes...), schema.Statement, schema.Article, schema.EvidenceClass) {
		if props[c.IRI()]["label"] != 1 || props[c.IRI()]["comment"] != 1 {
			t.Errorf("class %s lacks a label or comment: %v", c, props[c.IRI()])
		}
	}
	ttl := string(schema.OntologyTurtle)
	for _, want := range []string{"ng:invitedTo a rdf:Property", `rdfs:label "invited to"`, "rdfs:range ng:Event", "ng:Person a rdfs:Class", "rdfs:range xsd:date"} {
		if !strings.Contains(ttl, want) {
			t.Errorf("ontology.ttl lacks %q", want)
		}
	}
}

func TestEnsureOntology(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, "bolt")
	wrote, err := s.EnsureOntology(ctx)
	if err != nil || !wrote {
		t.Fatalf("first EnsureOntology = %v, %v; want true, nil", wrote, err)
	}
	wrote, err = s.EnsureOntology(ctx)
	if err != nil || wrote {
		t.Fatalf("second EnsureOntology = %v, %v; want false, nil", wrote, err)
	}
	res, err := s.Query(ctx, "gizmo", `g.V("<ng:invitedTo>").out("<rdfs:label>").all()`, QueryOptions{})
	if err != nil || len(res) != 1 {
		t.Fatalf("label of ng:invitedTo: %v, %v", res, err)
	}
	if got := res[0].(map[string]interface{})["id"]; got != "invited to" {
		t.Errorf("label of ng:invitedTo = %v", got)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Quads != 0 || st.Articles != 0 || len(st.Entities) != 0 || st.Ontology == 0 {
		t.Errorf("stats of a store with only the ontology: %+v; want no quads, entities or articles counted", st)
	}
}
