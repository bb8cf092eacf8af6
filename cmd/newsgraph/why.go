package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

func runWhy(e *env, args []string) error {
	fs := newFlags(e, "why")
	sf := addStoreFlags(fs)
	asJSON := fs.Bool("json", false, "print the articles and sentences as JSON")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, `Usage: newsgraph why [flags] SUBJECT PREDICATE OBJECT

List every article, and every sentence of it, that states a fact. SUBJECT
and OBJECT are names ("Pakistan", "Iran-US talks in Istanbul"; case and
accents do not matter) or IRIs (<ngid:country/Pakistan>, ngid:country/Pakistan
or the full one); OBJECT may be a literal ("President", "2026-02-06").
PREDICATE is a predicate's name (invitedTo) or IRI.

  newsgraph why Pakistan invitedTo "Iran-US talks in Istanbul"
  newsgraph why "Ishaq Dar" title "Deputy Prime Minister"

Exit code 1 when no article states the fact.

Flags:
%s`, fs.FlagUsages())
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 3 {
		return usageError("give SUBJECT PREDICATE OBJECT (quote names with spaces)")
	}
	st, err := sf.open(true)
	if err != nil {
		return err
	}
	defer st.Close()
	w, err := st.Why(context.Background(), fs.Arg(0), fs.Arg(1), fs.Arg(2))
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(w); err != nil {
			return err
		}
	} else {
		for _, f := range w.Facts {
			fmt.Fprintln(e.stdout, f)
		}
		for _, s := range w.Sources {
			head := s.Name
			if head == "" {
				head = string(s.Article)
			}
			var meta []string
			if s.Published != "" {
				meta = append(meta, s.Published)
			}
			if s.URL != "" {
				meta = append(meta, s.URL)
			}
			meta = append(meta, compact("<"+string(s.Article)+">"))
			fmt.Fprintf(e.stdout, "\n%s (%s)\n", head, strings.Join(meta, ", "))
			if len(s.Sentences) == 0 {
				fmt.Fprintln(e.stdout, "  (the store has no sentence recorded for it)")
			}
			for _, sent := range s.Sentences {
				fmt.Fprintf(e.stdout, "  %q\n", sent)
			}
		}
	}
	if len(w.Sources) == 0 {
		return &exitError{code: 1, err: fmt.Errorf("no article in the store states %s %s %s", fs.Arg(0), fs.Arg(1), fs.Arg(2))}
	}
	return nil
}
