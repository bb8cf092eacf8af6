package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/schema"
)

// articleIRI reads an article named by its IRI, or by the source path or
// id it was ingested with.
func articleIRI(s string) quad.IRI {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	if strings.HasPrefix(s, schema.ID+"article/") {
		return quad.IRI(s)
	}
	if strings.HasPrefix(s, "ngid:article/") {
		return quad.IRI(schema.ID + strings.TrimPrefix(s, "ngid:"))
	}
	return schema.ArticleIRI(ingest.Document{ID: s}.Key())
}

func runDelete(e *env, args []string) error {
	fs := newFlags(e, "delete")
	sf := addStoreFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError("name the articles to delete: their IRIs, or the paths or ids they were ingested with")
	}
	st, err := sf.open(false)
	if err != nil {
		return err
	}
	defer st.Close()
	missing := 0
	for _, a := range fs.Args() {
		n := 0
		for _, iri := range articleIRIs(a) {
			if n, err = st.DeleteArticle(context.Background(), iri); err != nil {
				return err
			}
			if n > 0 {
				break
			}
		}
		if n == 0 {
			missing++
			e.errorf("%s: no such article in the store", a)
			continue
		}
		fmt.Fprintf(e.stderr, "deleted %s: %s\n", a, plural(n, "quad", "quads"))
	}
	if missing > 0 {
		return &exitError{code: 1}
	}
	return nil
}
