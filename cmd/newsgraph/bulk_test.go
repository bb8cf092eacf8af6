package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A new store is built in bulk unless --bulk=false: the two give the same
// export, and so do they after more articles are added to each, the
// built store then written the usual way. The build leaves no file behind.
func TestIngestBulk(t *testing.T) {
	c := newCLI(t)
	dev, err := filepath.Abs("../../testdata/dev")
	if err != nil {
		t.Fatal(err)
	}
	r := c.ok("ingest", "--progress", "--dbpath", "bulk.db", dev)
	mustContain(t, "ingest into a new store", r.stderr, "writing the store's indexes")
	files, err := os.ReadDir(c.path("bulk.db"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Name() != "indexes.bolt" {
		var names []string
		for _, f := range files {
			names = append(names, f.Name())
		}
		t.Errorf("after the build, the store's directory holds %v, want only indexes.bolt", names)
	}
	r = c.ok("ingest", "--progress", "--dbpath", "txn.db", "--bulk=false", dev)
	if strings.Contains(r.stderr, "indexes") {
		t.Errorf("ingest --bulk=false built the store in bulk:\n%s", r.stderr)
	}
	same := func(when string) {
		t.Helper()
		a := c.ok("export", "--dbpath", "bulk.db").stdout
		b := c.ok("export", "--dbpath", "txn.db").stdout
		if len(a) == 0 || a != b {
			t.Errorf("%s: the export of the store built in bulk (%d bytes) differs from that of the one written batch by batch (%d bytes)", when, len(a), len(b))
		}
	}
	same("after the dev set")
	c.ok("ingest", "--dbpath", "bulk.db", "--date", seedDate, seedName)
	c.ok("ingest", "--dbpath", "txn.db", "--date", seedDate, seedName)
	same("after the seed")
}
