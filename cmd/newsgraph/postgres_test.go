package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	_ "github.com/lib/pq" // the driver Cayley's postgres backend uses
)

// freshPostgres creates a database of its own for the test on the server
// NEWSGRAPH_TEST_POSTGRES points at (a postgres:// URL of a user who may
// create databases, as .ci/run sets up), drops it at the end, and returns
// its URL. Without the variable the test is skipped.
func freshPostgres(t *testing.T) string {
	t.Helper()
	admin := os.Getenv("NEWSGRAPH_TEST_POSTGRES")
	if admin == "" {
		t.Skip("NEWSGRAPH_TEST_POSTGRES is not set: no PostgreSQL to test against (.ci/run starts one and sets it, e.g. postgres://newsgraph:newsgraph@127.0.0.1:5432/newsgraph?sslmode=disable)")
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("NEWSGRAPH_TEST_POSTGRES: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := sql.Open("postgres", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	name := fmt.Sprintf("newsgraph_test_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create a test database on NEWSGRAPH_TEST_POSTGRES: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("postgres", admin)
		if err != nil {
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// readmeQueries returns the example queries of the README: each line
// `newsgraph query [--lang L] 'QUERY'` of its code blocks.
func readmeQueries(t *testing.T) [][]string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^newsgraph query ((?:--lang \w+ )?)'([^']+)'\s*$`)
	var out [][]string
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		args := []string{"query"}
		if f := strings.Fields(m[1]); len(f) == 2 {
			args = append(args, f...)
		}
		out = append(out, append(args, m[2]))
	}
	if len(out) < 3 {
		t.Fatalf("found %d example queries in README.md, want at least 3", len(out))
	}
	return out
}

// TestPostgresMatchesBolt ingests the seed and the dev set into a fresh
// PostgreSQL database and into bolt with the CLI, and checks that both
// stores export the same quads and answer the README's example queries
// (and the demo's questions) alike; then that a second open of the
// postgres store (tables already there) works and re-ingesting changes
// nothing.
func TestPostgresMatchesBolt(t *testing.T) {
	pg := freshPostgres(t)
	c := newCLI(t)
	dev, err := filepath.Abs("../../testdata/dev")
	if err != nil {
		t.Fatal(err)
	}
	stores := [][]string{
		{"--db", "bolt", "--dbpath", c.path("bolt.db")},
		{"--db", "postgres", "--dbpath", pg},
	}
	for _, st := range stores {
		r := c.runTimeout(5*time.Minute, "", append(append([]string{"ingest", "--date", seedDate}, st...), seedName, dev)...)
		if r.code != 0 {
			t.Fatalf("ingest into %s: %s", st[1], r)
		}
	}
	for _, st := range stores {
		if s := c.stats(st...); s.Articles < 20 {
			t.Fatalf("%s store holds %d articles, want the seed and the dev set", st[1], s.Articles)
		}
	}
	export := func(st []string) string {
		return c.ok(append([]string{"export", "--format", "nquads"}, st...)...).stdout
	}
	boltNQ, pgNQ := export(stores[0]), export(stores[1])
	if boltNQ != pgNQ {
		b, p := strings.Split(boltNQ, "\n"), strings.Split(pgNQ, "\n")
		t.Errorf("postgres export differs from bolt's: %d and %d lines\n%s", len(p), len(b), firstDiff(b, p))
	}
	if n := strings.Count(boltNQ, "\n"); n < 1000 {
		t.Errorf("export has only %d quads", n)
	}

	queries := readmeQueries(t)
	for _, q := range demoQuestions {
		queries = append(queries, []string{"query", q.gizmo})
	}
	for _, q := range queries {
		var answers [2][]string
		for i, st := range stores {
			r := c.ok(append(append([]string{}, q[:len(q)-1]...), append(append([]string{}, st...), q[len(q)-1])...)...)
			// the same answers; how often a path reaches one may differ
			seen := map[string]bool{}
			for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
				if !seen[l] {
					seen[l] = true
					answers[i] = append(answers[i], l)
				}
			}
			sort.Strings(answers[i])
		}
		if strings.Join(answers[0], "\n") != strings.Join(answers[1], "\n") {
			t.Errorf("%q: bolt answers\n  %s\npostgres answers\n  %s", q, strings.Join(answers[0], "\n  "), strings.Join(answers[1], "\n  "))
		}
		if len(answers[0]) == 0 || answers[0][0] == "(no results)" {
			t.Errorf("%q: no answer on either store", q)
		}
	}

	// the store exists now: opening it again (tables there) must work,
	// and an unchanged article adds nothing
	r := c.ok(append(append([]string{"ingest", "--date", seedDate}, stores[1]...), seedName)...)
	mustContain(t, "re-ingest into postgres", r.stderr, "1 unchanged", "0 quads added, 0 removed", "store postgres")
	r = c.ok(append([]string{"why", "--json"}, append(stores[1], "Pakistan", "invitedTo", "Iran-US talks in Istanbul")...)...)
	mustContain(t, "why on postgres", r.stdout, seedName, "invited")
}

func firstDiff(a, b []string) string {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return fmt.Sprintf("line %d:\n  bolt     %s\n  postgres %s", i+1, a[i], b[i])
		}
	}
	return "one is a prefix of the other"
}
