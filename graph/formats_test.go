package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/voc"

	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/schema"
)

// exportFixture is a store with the seed, two dev articles, the ontology,
// literals that need every kind of escape, IRIs that cannot be prefixed
// names as they are, and one quad in the default graph (no label).
func exportFixture(t *testing.T) (*Store, []quad.Quad) {
	t.Helper()
	ctx := context.Background()
	s, _ := seedStore(t)
	x, err := extractor()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a-asean-summit-manila", "c-armenia-azerbaijan-border-clash"} {
		text, err := os.ReadFile(filepath.Join("..", "testdata", "dev", name+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		a := x.Extract(ingest.Document{Source: name + ".txt", ID: name, Text: string(text),
			Published: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
		writeOK(t, s, a.IRI(), a.Quads())
	}
	if _, err := s.EnsureOntology(ctx); err != nil {
		t.Fatal(err)
	}
	odd := schema.ArticleIRI("odd")
	node := quad.IRI(schema.ID + "place/Dolmabahçe")
	extra := []quad.Quad{
		{Subject: node, Predicate: schema.Name, Object: quad.String("quote \" backslash \\ newline \n tab \t cr \r bell \x07 del \x7f é 中文 😀 <b>&amp;</b>"), Label: odd},
		{Subject: node, Predicate: schema.AlternateName, Object: quad.LangString{Value: "Dolmabahçe Sarayı", Lang: "tr"}, Label: odd},
		{Subject: node, Predicate: quad.IRI(schema.NS + "rooms"), Object: quad.TypedString{Value: "285", Type: quad.IRI(schema.XSD + "integer")}, Label: odd},
		{Subject: quad.IRI(schema.ID + "odd/a%20b(c)."), Predicate: schema.Label, Object: quad.String("percent, brackets, final dot"), Label: odd},
		{Subject: quad.IRI("http://example.org/x#y"), Predicate: schema.Label, Object: quad.String(""), Label: odd},
		{Subject: node, Predicate: schema.Type, Object: schema.Place.IRI()},
	}
	if err := s.AddQuads(extra); err != nil {
		t.Fatal(err)
	}
	all, err := quad.ReadAll(s.AllQuads())
	if err != nil {
		t.Fatal(err)
	}
	return s, all
}

// rdfTerm is a term as both sides describe it: kind (iri, lit), value,
// datatype IRI and language of a literal.
type rdfTerm [4]string

func termOf(v quad.Value) rdfTerm {
	switch v := v.(type) {
	case nil:
		return rdfTerm{}
	case quad.IRI:
		return rdfTerm{"iri", string(v)}
	case quad.String:
		return rdfTerm{"lit", string(v)}
	case quad.LangString:
		return rdfTerm{"lit", string(v.Value), "", v.Lang}
	case quad.TypedString:
		return rdfTerm{"lit", string(v.Value), voc.FullIRI(string(v.Type))}
	case quad.TypedStringer:
		return termOf(v.TypedString())
	}
	return rdfTerm{"lit", quad.ToString(v)}
}

// quadSet returns quads as sorted JSON lines of terms, for comparing;
// withGraph false drops the labels.
func quadSet(quads []quad.Quad, withGraph bool) []string {
	seen := map[string]bool{}
	for _, q := range quads {
		var g quad.Value
		if withGraph {
			g = q.Label
		}
		b, _ := json.Marshal([]rdfTerm{termOf(q.Subject), termOf(q.Predicate), termOf(q.Object), termOf(g)})
		seen[string(b)] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

const rdflibScript = `
import json, sys
import rdflib
from rdflib import Dataset, Graph, URIRef, Literal, BNode
fmt, path = sys.argv[1], sys.argv[2]
def term(t, graph=False):
    if t is None:
        return ["", "", "", ""]
    if isinstance(t, URIRef):
        if graph and (str(t) == "urn:x-rdflib:default" or str(t).startswith("file:")):
            # the default graph (rdflib names it by the file for JSON-LD)
            return ["", "", "", ""]
        return ["iri", str(t), "", ""]
    if isinstance(t, Literal):
        return ["lit", str(t), str(t.datatype) if t.datatype else "", t.language or ""]
    if isinstance(t, BNode):
        return ["bnode", str(t), "", ""]
    return ["?", str(t), "", ""]
out = set()
if fmt in ("nquads", "trig", "json-ld"):
    ds = Dataset()
    ds.parse(path, format=fmt)
    for s, p, o, g in ds.quads((None, None, None, None)):
        g = getattr(g, "identifier", g)
        out.add(json.dumps([term(s), term(p), term(o), term(g, True)], separators=(",", ":"), ensure_ascii=False))
else:
    gr = Graph()
    gr.parse(path, format=fmt)
    for s, p, o in gr:
        out.add(json.dumps([term(s), term(p), term(o), term(None)], separators=(",", ":"), ensure_ascii=False))
for line in sorted(out):
    print(line)
`

// rdflibPython returns a python3 that can import rdflib (Debian's
// /usr/bin/python3 with python3-rdflib, as .ci/run installs), or "".
func rdflibPython() string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(p); err == nil {
			if exec.Command(path, "-c", "import rdflib").Run() == nil {
				return path
			}
		}
	}
	return ""
}

func exportTo(t *testing.T, s *Store, format string) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := s.Export(context.Background(), &buf, format, ""); err != nil {
		t.Fatalf("export %s: %v", format, err)
	}
	path := filepath.Join(t.TempDir(), "export."+format)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestExportRDFParsers exports every RDF format and has two independent
// parsers read it back: raptor's rapper (N-Quads, N-Triples, Turtle,
// TriG) and Python's rdflib (all of them and JSON-LD). Each must read
// exactly the store's quads (or triples, for the formats without graphs),
// literals with their full datatype IRIs and languages.
func TestExportRDFParsers(t *testing.T) {
	s, all := exportFixture(t)
	rapper, _ := exec.LookPath("rapper")
	python := rdflibPython()
	if rapper == "" && python == "" {
		t.Skip("neither rapper (Debian raptor2-utils) nor python3 with rdflib (Debian python3-rdflib) is installed; .ci/run installs both")
	}
	formats := []struct {
		name, rapper, rdflib string
		graphs               bool
	}{
		{"nquads", "nquads", "nquads", true},
		{"ntriples", "ntriples", "nt", false},
		{"turtle", "turtle", "turtle", false},
		{"trig", "trig", "trig", true},
		{"jsonld", "", "json-ld", true},
	}
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			path := exportTo(t, s, f.name)
			want := quadSet(all, f.graphs)
			if f.rapper != "" {
				if rapper == "" {
					t.Log("rapper not installed (Debian raptor2-utils): not checked with raptor")
				} else {
					out, err := exec.Command(rapper, "-i", f.rapper, "-c", path).CombinedOutput()
					if err != nil || bytes.Contains(out, []byte("Error")) || bytes.Contains(out, []byte("Warning")) {
						t.Fatalf("rapper -i %s -c: %v\n%s", f.rapper, err, out)
					}
					m := regexp.MustCompile(`returned (\d+) triple`).FindSubmatch(out)
					if m == nil {
						t.Fatalf("rapper output has no count:\n%s", out)
					}
					if n, _ := strconv.Atoi(string(m[1])); n != len(want) {
						t.Errorf("rapper read %d statements, want %d", n, len(want))
					}
				}
			}
			if python == "" {
				t.Log("python3 with rdflib not installed (Debian python3-rdflib): not checked with rdflib")
				return
			}
			script := filepath.Join(t.TempDir(), "parse.py")
			os.WriteFile(script, []byte(rdflibScript), 0o644)
			cmd := exec.Command(python, script, f.rdflib, path)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("rdflib cannot parse the %s export: %v\n%s", f.name, err, stderr.String())
			}
			got := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
			// rdflib's JSON may order or escape differently: compare decoded
			norm := func(lines []string) []string {
				var r []string
				for _, l := range lines {
					var v [][4]string
					if err := json.Unmarshal([]byte(l), &v); err != nil {
						t.Fatalf("bad line %q: %v", l, err)
					}
					b, _ := json.Marshal(v)
					r = append(r, string(b))
				}
				sort.Strings(r)
				return r
			}
			got, wantN := norm(got), norm(want)
			diff(t, "rdflib's reading of the "+f.name+" export", got, wantN)
		})
	}
	// typed literals carry their full datatype IRI in every format
	for _, f := range []string{"nquads", "ntriples"} {
		b, _ := os.ReadFile(exportTo(t, s, f))
		if !bytes.Contains(b, []byte(`"^^<http://www.w3.org/2001/XMLSchema#date>`)) || bytes.Contains(b, []byte("<xsd:")) {
			t.Errorf("%s export: dates lack the full xsd:date IRI", f)
		}
	}
}

func diff(t *testing.T, what string, got, want []string) {
	t.Helper()
	g, w := map[string]bool{}, map[string]bool{}
	for _, x := range got {
		g[x] = true
	}
	for _, x := range want {
		w[x] = true
	}
	var missing, extra []string
	for x := range w {
		if !g[x] {
			missing = append(missing, x)
		}
	}
	for x := range g {
		if !w[x] {
			extra = append(extra, x)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing)+len(extra) > 0 {
		if len(missing) > 5 {
			missing = missing[:5]
		}
		if len(extra) > 5 {
			extra = extra[:5]
		}
		t.Errorf("%s: %d statements, want %d\nmissing (first 5): %s\nextra (first 5): %s", what, len(got), len(want),
			strings.Join(missing, "\n  "), strings.Join(extra, "\n  "))
	}
}

// TestExportGraphFormats checks the graph formats: GraphML read as XML and
// by networkx, GML by networkx, DOT by Graphviz (gc), each with one edge a
// distinct triple.
func TestExportGraphFormats(t *testing.T) {
	s, all := exportFixture(t)
	triples := Triples(all)
	nodes := map[string]bool{}
	for _, q := range triples {
		nodes[NQuadTerm(q.Subject)] = true
		nodes[NQuadTerm(q.Object)] = true
	}
	t.Run("graphml", func(t *testing.T) {
		b, _ := os.ReadFile(exportTo(t, s, "graphml"))
		var doc struct {
			Graph struct {
				Nodes []struct {
					ID   string `xml:"id,attr"`
					Data string `xml:"data"`
				} `xml:"node"`
				Edges []struct {
					Source string `xml:"source,attr"`
				} `xml:"edge"`
			} `xml:"graph"`
		}
		if err := xml.Unmarshal(b, &doc); err != nil {
			t.Fatalf("GraphML export is not XML: %v", err)
		}
		if len(doc.Graph.Nodes) != len(nodes) || len(doc.Graph.Edges) != len(triples) {
			t.Errorf("GraphML: %d nodes, %d edges; want %d, %d", len(doc.Graph.Nodes), len(doc.Graph.Edges), len(nodes), len(triples))
		}
	})
	python := ""
	if p := rdflibPython(); p != "" && exec.Command(p, "-c", "import networkx").Run() == nil {
		python = p
	}
	for _, f := range []string{"graphml", "gml"} {
		t.Run(f+" networkx", func(t *testing.T) {
			if python == "" {
				t.Skip("python3 with networkx (Debian python3-networkx) not installed; .ci/run installs it")
			}
			path := exportTo(t, s, f)
			out, err := exec.Command(python, "-c", fmt.Sprintf(`
import networkx as nx, sys
g = nx.read_%s(sys.argv[1])
print(g.number_of_nodes(), g.number_of_edges())
`, f), path).CombinedOutput()
			if err != nil {
				t.Fatalf("networkx cannot read the %s export: %v\n%s", f, err, out)
			}
			if want := fmt.Sprintf("%d %d", len(nodes), len(triples)); strings.TrimSpace(string(out)) != want {
				t.Errorf("networkx read %s nodes and edges, want %s", strings.TrimSpace(string(out)), want)
			}
		})
	}
	t.Run("dot", func(t *testing.T) {
		gc, err := exec.LookPath("gc")
		if err != nil {
			t.Skip("Graphviz (Debian graphviz, with gc) not installed; .ci/run installs it")
		}
		path := exportTo(t, s, "dot")
		out, err := exec.Command(gc, "-n", "-e", path).CombinedOutput()
		if err != nil {
			t.Fatalf("Graphviz cannot read the dot export: %v\n%s", err, out)
		}
		f := strings.Fields(string(out))
		if len(f) < 2 || f[0] != strconv.Itoa(len(nodes)) || f[1] != strconv.Itoa(len(triples)) {
			t.Errorf("gc -n -e: %q, want %d nodes, %d edges", out, len(nodes), len(triples))
		}
	})
}
