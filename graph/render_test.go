package graph

import (
	"bytes"
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// dotNodes returns the labels of the drawing's nodes, by id, and its edges
// as "from -label-> to" with labels.
func dotNodes(t *testing.T, src string) (map[string]string, []string) {
	t.Helper()
	nodes := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\t(n\d+) \[label="((?:[^"\\]|\\.)*)"`).FindAllStringSubmatch(src, -1) {
		nodes[m[1]] = m[2]
	}
	var edges []string
	for _, m := range regexp.MustCompile(`(?m)^\t(n\d+) -> (n\d+) \[label="([^"]*)"\]`).FindAllStringSubmatch(src, -1) {
		edges = append(edges, nodes[m[1]]+" -"+m[3]+"-> "+nodes[m[2]])
	}
	return nodes, edges
}

func TestRender(t *testing.T) {
	ctx := context.Background()
	s, seed := seedStore(t)
	if _, err := s.EnsureOntology(ctx); err != nil {
		t.Fatal(err)
	}
	render := func(opt RenderOptions) string {
		t.Helper()
		var buf bytes.Buffer
		if _, err := s.Render(ctx, &buf, opt); err != nil {
			t.Fatalf("Render(%+v): %v", opt, err)
		}
		return buf.String()
	}
	has := func(edges []string, e string) bool {
		for _, x := range edges {
			if x == e {
				return true
			}
		}
		return false
	}

	all := render(RenderOptions{})
	nodes, edges := dotNodes(t, all)
	for _, e := range []string{
		"Pakistan -invitedTo-> Iran-US talks in Istanbul",
		"Ishaq Dar -represents-> Pakistan",
		"Ishaq Dar -title-> Deputy Prime Minister",
		"Iran-US talks in Istanbul -heldIn-> Istanbul",
	} {
		if !has(edges, e) {
			t.Errorf("drawing of the store lacks %q", e)
		}
	}
	if !regexp.MustCompile(`\[label="Pakistan", fillcolor="` + ClassColors["Country"] + `"`).MatchString(all) {
		t.Error("Pakistan is not filled with the Country colour")
	}
	for _, bad := range []string{"mentions", "rdf-schema", "invited to", "evidence/", "nameKey", "contentHash"} {
		if strings.Contains(all, bad) {
			t.Errorf("drawing of the store has %q (mentions, ontology or evidence drawn by default)", bad)
		}
	}
	if again := render(RenderOptions{}); again != all {
		t.Error("two drawings of the same store differ")
	}

	// one entity's neighbourhood
	_, near := dotNodes(t, render(RenderOptions{Entity: "Ishaq Dar"}))
	if !has(near, "Ishaq Dar -represents-> Pakistan") || has(near, "Qatar -invitedTo-> Iran-US talks in Istanbul") {
		t.Errorf("depth 1 around Ishaq Dar: %q", near)
	}
	_, far := dotNodes(t, render(RenderOptions{Entity: "Ishaq Dar", Depth: 2}))
	if !has(far, "Qatar -invitedTo-> Iran-US talks in Istanbul") || len(far) <= len(near) {
		t.Errorf("depth 2 around Ishaq Dar lacks the other invitees: %q", far)
	}
	if _, err := s.Render(ctx, &bytes.Buffer{}, RenderOptions{Entity: "Nobody Known"}); err == nil {
		t.Error("Render of an unknown entity gave no error")
	}

	// one article, with mentions and evidence
	_, art := dotNodes(t, render(RenderOptions{Article: seed, Mentions: true, Evidence: true}))
	if !has(art, "000_1f1ddd429f722b80.txt -mentions-> Pakistan") {
		t.Errorf("article drawing with mentions lacks the article's mentions: %d edges", len(art))
	}
	evidence := 0
	for _, e := range art {
		if strings.Contains(e, "-evidence: invitedTo-> Pakistan") {
			evidence++
		}
	}
	if evidence != 1 {
		t.Errorf("article drawing with evidence has %d evidence nodes for Pakistan invitedTo, want 1", evidence)
	}
	if len(nodes) < 20 {
		t.Errorf("only %d nodes in the drawing of the seed", len(nodes))
	}
	if _, err := s.Render(ctx, &bytes.Buffer{}, RenderOptions{MaxNodes: 5}); err == nil || !strings.Contains(err.Error(), "--max-nodes") {
		t.Errorf("Render over MaxNodes: %v", err)
	}

	// Graphviz reads it
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("Graphviz's dot not installed (Debian graphviz; .ci/run installs it)")
	}
	cmd := exec.Command(dot, "-Tsvg")
	cmd.Stdin = strings.NewReader(all)
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("<svg")) || !bytes.Contains(out, []byte("Pakistan")) {
		t.Fatalf("dot -Tsvg: %v\n%.500s", err, out)
	}
}
