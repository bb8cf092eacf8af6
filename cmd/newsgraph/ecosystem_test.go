package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestExportFormatsCLI exports the seed in every format through the CLI.
func TestExportFormatsCLI(t *testing.T) {
	c := newCLI(t)
	c.ingestSeed()
	for format, want := range map[string]string{
		"nquads":   "<https://newsgraph.dev/id/country/Pakistan> <https://newsgraph.dev/ns#invitedTo>",
		"ntriples": "<https://newsgraph.dev/id/country/Pakistan> <https://newsgraph.dev/ns#invitedTo> <https://newsgraph.dev/id/event/Iran_US_talks_in_Istanbul> .\n",
		"turtle":   "ngid:country\\/Pakistan a ng:Country",
		"trig":     "ngid:article\\/",
		"jsonld":   `"@context"`,
		"graphml":  "<graphml",
		"gml":      "graph [",
		"dot":      "digraph",
	} {
		r := c.ok("export", "--format", format)
		if !strings.Contains(r.stdout, want) {
			t.Errorf("export --format %s lacks %q:\n%.600s", format, want, r.stdout)
		}
	}
	nt := parseNQuads(t, "export --format ntriples", []byte(c.ok("export", "--format", "ntriples").stdout))
	nq := parseNQuads(t, "export --format nquads", []byte(c.ok("export", "--format", "nquads").stdout))
	triples := map[string]bool{}
	for _, q := range nq {
		q.Label = nil
		triples[q.String()] = true
	}
	for _, q := range nt {
		if q.Label != nil {
			t.Fatalf("an N-Triples statement has a graph label: %v", q)
		}
	}
	if len(nt) != len(triples) {
		t.Errorf("N-Triples export: %d triples, want the %d distinct triples of the N-Quads", len(nt), len(triples))
	}
	if r := c.run("export", "--format", "rdfxml"); r.code == 0 || !strings.Contains(r.stderr, "turtle") {
		t.Errorf("export --format rdfxml: %s", r)
	}
}

func TestWhyCLI(t *testing.T) {
	c := newCLI(t)
	c.ingestSeed()
	r := c.ok("why", "Pakistan", "invitedTo", "Iran-US talks in Istanbul")
	mustContain(t, "why", r.stdout, "Pakistan invitedTo Iran-US talks in Istanbul", seedName, "2026-02-03", `"Pakistan has been invited to take part`)
	r = c.ok("why", "--json", "ishaq dar", "represents", "<ngid:country/Pakistan>")
	var w struct {
		Facts   []string
		Sources []struct {
			Article   string
			Sentences []string
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &w); err != nil || len(w.Sources) != 1 || len(w.Sources[0].Sentences) == 0 {
		t.Errorf("why --json: %v\n%s", err, r.stdout)
	}
	if r := c.run("why", "Pakistan", "invitedTo", "Istanbul"); r.code != 1 || !strings.Contains(r.stderr, "no article") {
		t.Errorf("why of an unstated fact: %s", r)
	}
	if r := c.run("why", "Pakistan", "invitedTo"); r.code != 2 {
		t.Errorf("why with two arguments: %s", r)
	}
}

func TestRenderCLI(t *testing.T) {
	c := newCLI(t)
	c.ingestSeed()
	r := c.ok("render", "--format", "dot")
	mustContain(t, "render --format dot", r.stdout, "digraph newsgraph", `label="invitedTo"`, `label="Pakistan"`)
	if strings.Contains(r.stdout, `label="mentions"`) {
		t.Error("render draws mentions by default")
	}
	r = c.ok("render", "--format", "dot", "--entity", "Ishaq Dar", "--depth", "1")
	if !strings.Contains(r.stdout, `label="represents"`) || strings.Contains(r.stdout, `label="Qatar"`) {
		t.Errorf("render --entity 'Ishaq Dar' --depth 1:\n%s", r.stdout)
	}
	r = c.ok("render", "--format", "dot", "--article", seedName, "--mentions")
	mustContain(t, "render --article --mentions", r.stdout, `label="mentions"`)
	if r := c.run("render", "--entity", "Nobody Known", "--format", "dot"); r.code != 1 {
		t.Errorf("render of an unknown entity: %s", r)
	}

	// without Graphviz: a clear error
	r = c.runEnv([]string{"PATH=" + t.TempDir()}, "render", "-o", "x.svg")
	if r.code == 0 || !strings.Contains(r.stderr, "Graphviz") || !strings.Contains(r.stderr, "apt-get install graphviz") {
		t.Errorf("render without dot: %s", r)
	}

	if _, err := exec.LookPath("dot"); err != nil {
		t.Skip("Graphviz's dot not installed (Debian graphviz; .ci/run installs it): SVG and PNG not checked")
	}
	c.ok("render", "-o", "seed.svg")
	b, err := os.ReadFile(c.path("seed.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b, new(struct{ XMLName xml.Name })); err != nil || !strings.Contains(string(b), "Pakistan") || !strings.Contains(string(b), "<svg") {
		t.Errorf("render -o seed.svg is no SVG of the seed: %v", err)
	}
	c.ok("render", "-o", "ishaq.png", "--entity", "Ishaq Dar")
	b, _ = os.ReadFile(c.path("ishaq.png"))
	if len(b) < 1000 || string(b[1:4]) != "PNG" {
		t.Errorf("render -o ishaq.png wrote no PNG (%d bytes)", len(b))
	}
}

// runEnv runs the binary with extra environment variables (the last value
// of a variable wins).
func (c *cli) runEnv(extra []string, args ...string) result {
	c.t.Helper()
	return c.runWith(time.Minute, "", extra, args...)
}
