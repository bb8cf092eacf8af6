package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
)

func runStats(e *env, args []string) error {
	fs := newFlags(e, "stats")
	sf := addStoreFlags(fs)
	asJSON := fs.Bool("json", false, "print the counts as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	st, err := sf.open(true)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := st.Stats(context.Background())
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	fmt.Fprintf(e.stdout, "store     %s %s\narticles  %d\nquads     %d\nevidence  %d (which sentence states which fact)\n", st.Backend(), st.Path(), s.Articles, s.Quads, s.Evidence)
	if s.Ontology > 0 {
		fmt.Fprintf(e.stdout, "ontology  %d quads (not counted above)\n", s.Ontology)
	}
	fmt.Fprint(e.stdout, "\nentities\n")
	printCounts(e, s.Entities)
	fmt.Fprintln(e.stdout, "\nfacts")
	printCounts(e, s.Facts)
	return nil
}

func printCounts(e *env, m map[string]int) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		fmt.Fprintf(e.stdout, "  %-16s %d\n", k, m[k])
	}
}
