package graph

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

// buildCayley builds upstream Cayley's command from the version in go.mod
// (a tool of this module: `go tool cayley` works too), or skips.
func buildCayley(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: not building upstream cayley")
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		if goBin, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command to build upstream cayley with")
		}
	}
	bin := filepath.Join(t.TempDir(), "cayley")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, goBin, "build", "-o", bin, "github.com/cayleygraph/cayley/cmd/cayley").CombinedOutput()
	if err != nil {
		t.Skipf("cannot build upstream cayley (github.com/cayleygraph/cayley/cmd/cayley, the tool in go.mod): %v\n%s", err, out)
	}
	return bin
}

// TestCayleyLoadsExport loads newsgraph's N-Quads export, unchanged, into
// upstream `cayley load`, asks it a question with `cayley query`, and
// dumps the store back: the same quads must come out.
func TestCayleyLoadsExport(t *testing.T) {
	s, all := exportFixture(t)
	bin := buildCayley(t)
	dir := t.TempDir()
	nq := exportTo(t, s, "nquads")
	db := filepath.Join(dir, "cayley.db")
	run := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("cayley %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return string(out)
	}
	run("load", "--init", "-d", "bolt", "-a", db, "-i", nq)

	out := run("query", "-d", "bolt", "-a", db, "--lang", "gizmo",
		`g.V("Pakistan").in("<http://schema.org/name>").out("<https://newsgraph.dev/ns#invitedTo>").out("<http://schema.org/name>").all()`)
	if !strings.Contains(out, "Iran-US talks in Istanbul") {
		t.Errorf("cayley query: what Pakistan was invited to: %s", out)
	}
	out = run("query", "-d", "bolt", "-a", db, "--lang", "gizmo",
		`g.V("<https://newsgraph.dev/ns#invitedTo>").out("<http://www.w3.org/2000/01/rdf-schema#label>").all()`)
	if !strings.Contains(out, "invited to") {
		t.Errorf("cayley query: the ontology's label of ng:invitedTo: %s", out)
	}

	dump := filepath.Join(dir, "dump.nq")
	run("dump", "-d", "bolt", "-a", db, "-o", dump)
	f, err := os.Open(dump)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	back, err := quad.ReadAll(nquads.NewReader(f, false))
	if err != nil {
		t.Fatalf("read cayley's dump: %v", err)
	}
	for i := range back {
		back[i] = UnescapeIRIs(back[i])
	}
	diff(t, "cayley's dump of the loaded export", quadSet(back, true), quadSet(all, true))
}
