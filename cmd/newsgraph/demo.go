package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/newsgraph/newsgraph/graph"
)

// demoQuestions are the questions `newsgraph demo` asks of the seed, in
// the Gizmo a user would type.
var demoQuestions = []struct{ q, gizmo string }{
	{"Which countries were invited to the talks?",
		`g.V().has("<rdf:type>", "<ng:Event>").in("<ng:invitedTo>").has("<rdf:type>", "<ng:Country>").unique().out("<schema:name>").all()`},
	{"Who represents Pakistan?",
		`g.V("Pakistan").in("<schema:name>").in("<ng:represents>").out("<schema:name>").all()`},
	{"Where and when are the talks Pakistan was invited to held?",
		`g.V("Pakistan").in("<schema:name>").out("<ng:invitedTo>").save("<schema:name>", "event").saveOpt("<ng:date>", "date").out("<ng:heldIn>").out("<schema:name>").all()`},
	{"Who holds which office?",
		`g.V().has("<rdf:type>", "<ng:Person>").save("<schema:name>", "person").saveOpt("<ng:title>", "title").out("<ng:officialOf>").out("<schema:name>").all()`},
}

func runDemo(e *env, args []string) error {
	fs := newFlags(e, "demo")
	sf := addStoreFlags(fs)
	dir := fs.String("seeds", "seeds", "directory of the seed articles")
	if err := parse(fs, args); err != nil {
		return err
	}
	if _, err := os.Stat(*dir); err != nil {
		return fmt.Errorf("no seed articles: %w (run the demo from the repository's top directory)", err)
	}
	fmt.Fprintf(e.stdout, "$ newsgraph ingest %s\n", *dir)
	if err := runIngest(e, []string{"--db", sf.backend, "--dbpath", sf.path, *dir}); err != nil {
		return err
	}
	st, err := sf.open(true)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, q := range demoQuestions {
		fmt.Fprintf(e.stdout, "\n%s\n", q.q)
		res, err := st.Query(context.Background(), "gizmo", q.gizmo, graph.QueryOptions{Timeout: 30 * time.Second})
		if err != nil {
			return err
		}
		if len(res) == 0 {
			fmt.Fprintln(e.stdout, "  (no answer)")
		}
		for _, r := range res {
			fmt.Fprintf(e.stdout, "  %s\n", formatResult(r))
		}
	}
	fmt.Fprintf(e.stdout, "\nThe graph is in %s. Ask it more with `newsgraph query`, or open it in the browser with `newsgraph serve`.\n", st.Path())
	return nil
}
