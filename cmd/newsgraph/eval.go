package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"text/tabwriter"

	"github.com/newsgraph/newsgraph/eval"
	"github.com/newsgraph/newsgraph/ingest"
)

func runEval(e *env, args []string) error {
	fs := newFlags(e, "eval")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	verbose := fs.BoolP("verbose", "v", false, "list missed and false entities and relations")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError("give directories (or files) of gold annotations, e.g. testdata/dev")
	}
	golds, err := eval.Load(fs.Args()...)
	if err != nil {
		return err
	}
	if len(golds) == 0 {
		return fmt.Errorf("no gold annotations (NAME.json beside NAME.txt) under %v", fs.Args())
	}
	x, err := ingest.NewExtractor()
	if err != nil {
		return err
	}
	rep, err := eval.Run(x, golds)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "article\tent P\tent R\tent F1\trel P\trel R\trel F1\t")
	for _, a := range rep.Articles {
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t\n", a.ID,
			a.Entities.Precision(), a.Entities.Recall(), a.Entities.F1(),
			a.Relations.Precision(), a.Relations.Recall(), a.Relations.F1())
	}
	tw.Flush()
	if *verbose {
		for _, a := range rep.Articles {
			fmt.Fprintf(e.stdout, "\n%s (%s)\n", a.ID, a.TextPath)
			list := func(what string, items []string) {
				for _, it := range items {
					fmt.Fprintf(e.stdout, "  %-16s %s\n", what, it)
				}
			}
			list("missed entity", a.MissedEnts)
			list("false entity", a.FalseEnts)
			list("wrong type", a.WrongTypes)
			list("missed relation", a.MissedFacts)
			list("false relation", a.FalseFacts)
		}
	}
	fmt.Fprintln(e.stdout)
	tw = tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "predicate\tP\tR\tF1\tcorrect\textracted\tgold\t")
	preds := make([]string, 0, len(rep.ByPredicate))
	for p := range rep.ByPredicate {
		preds = append(preds, p)
	}
	sort.Strings(preds)
	for _, p := range preds {
		s := rep.ByPredicate[p]
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%.2f\t%d\t%d\t%d\t\n", p, s.Precision(), s.Recall(), s.F1(), s.Correct, s.Extracted, s.Gold)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "\nmicro-averaged over %s:\n", plural(len(rep.Articles), "article", "articles"))
	fmt.Fprintf(e.stdout, "  entities   P %.3f  R %.3f  F1 %.3f  (%d correct, %d extracted, %d gold; type accuracy %.3f)\n",
		rep.Entities.Precision(), rep.Entities.Recall(), rep.Entities.F1(), rep.Entities.Correct, rep.Entities.Extracted, rep.Entities.Gold, rep.TypeAccuracy())
	fmt.Fprintf(e.stdout, "  relations  P %.3f  R %.3f  F1 %.3f  (%d correct, %d extracted, %d gold)\n",
		rep.Relations.Precision(), rep.Relations.Recall(), rep.Relations.F1(), rep.Relations.Correct, rep.Relations.Extracted, rep.Relations.Gold)
	return nil
}
