package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/schema"
)

func runQuery(e *env, args []string) error {
	fs := newFlags(e, "query")
	sf := addStoreFlags(fs)
	lang := fs.StringP("lang", "l", "gizmo", "query language: gizmo, graphql or mql")
	file := fs.StringP("file", "f", "", "read the query from a file (- for standard input)")
	asJSON := fs.Bool("json", false, "print results as JSON")
	limit := fs.Int("limit", 1000, "most results to print")
	timeout := fs.Duration("timeout", 30*time.Second, "stop a query that runs longer")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, `Usage: newsgraph query [flags] [QUERY]

Ask the store a question in Gizmo (default), GraphQL or MQL. With no query
and a terminal, a prompt reads one query a line.

Compact IRIs of newsgraph's prefixes are expanded in every language:
<ng:invitedTo>, <schema:name>, <rdf:type>, <ngid:country/Pakistan>.
Gizmo examples:
  newsgraph query 'g.V("Pakistan").in("<schema:name>").out("<ng:invitedTo>").out("<schema:name>").all()'
  newsgraph query 'g.V().has("<rdf:type>", "<ng:Country>").out("<schema:name>").all()'

Flags:
%s`, fs.FlagUsages())
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	var src string
	switch {
	case *file != "":
		var b []byte
		var err error
		if *file == "-" {
			b, err = io.ReadAll(e.stdin)
		} else {
			b, err = os.ReadFile(*file)
		}
		if err != nil {
			return fmt.Errorf("read query: %w", err)
		}
		src = string(b)
	case fs.NArg() > 0:
		src = strings.Join(fs.Args(), " ")
	case !e.stdinTTY:
		b, err := io.ReadAll(e.stdin)
		if err != nil {
			return fmt.Errorf("read query: %w", err)
		}
		src = string(b)
	}
	st, err := sf.open(true)
	if err != nil {
		return err
	}
	defer st.Close()
	opt := graph.QueryOptions{Limit: *limit, Timeout: *timeout}
	if strings.TrimSpace(src) == "" {
		if !e.stdinTTY {
			return usageError("no query given")
		}
		return repl(e, st, *lang, opt, *asJSON)
	}
	return runOne(e, st, *lang, src, opt, *asJSON)
}

func runOne(e *env, st *graph.Store, lang, src string, opt graph.QueryOptions, asJSON bool) error {
	res, err := st.Query(context.Background(), lang, src, opt)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if res == nil {
			res = []interface{}{}
		}
		return enc.Encode(res)
	}
	if len(res) == 0 {
		fmt.Fprintln(e.stdout, "(no results)")
		return nil
	}
	for _, r := range res {
		fmt.Fprintln(e.stdout, formatResult(r))
	}
	return nil
}

// formatResult prints a result readably: a single value as itself, a
// Gizmo tag map as "tag: value" pairs in name order.
func formatResult(r interface{}) string {
	switch v := r.(type) {
	case map[string]interface{}:
		if id, ok := v["id"]; ok && len(v) == 1 {
			return formatValue(id)
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		// the node the path ends on, then the tags the user asked for
		var parts []string
		if id, ok := v["id"]; ok {
			parts = append(parts, formatValue(id))
		}
		for _, k := range keys {
			if k != "id" {
				parts = append(parts, k+": "+formatValue(v[k]))
			}
		}
		return strings.Join(parts, "  ")
	}
	return formatValue(r)
}

func formatValue(v interface{}) string {
	switch v := v.(type) {
	case string:
		return compact(v)
	case map[string]interface{}, []interface{}:
		var sb strings.Builder
		enc := json.NewEncoder(&sb)
		enc.SetEscapeHTML(false)
		enc.Encode(v)
		return strings.TrimSpace(sb.String())
	}
	// other maps and lists (GraphQL's) print as JSON too, not as Go values
	switch reflect.ValueOf(v).Kind() {
	case reflect.Map, reflect.Slice, reflect.Array:
		var x interface{}
		if b, err := json.Marshal(v); err == nil && json.Unmarshal(b, &x) == nil {
			return formatValue(x)
		}
	}
	return fmt.Sprint(v)
}

func repl(e *env, st *graph.Store, lang string, opt graph.QueryOptions, asJSON bool) error {
	fmt.Fprintf(e.stderr, "newsgraph %s on %s %s; one query a line, Ctrl-D to end\n", lang, st.Backend(), st.Path())
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for {
		fmt.Fprintf(e.stderr, "%s> ", lang)
		if !sc.Scan() {
			fmt.Fprintln(e.stderr)
			return sc.Err()
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if line == "exit" || line == "quit" {
			return nil
		}
		if err := runOne(e, st, lang, line, opt, asJSON); err != nil {
			fmt.Fprintln(e.stderr, "error:", err)
		}
	}
}

// compact shows a value as a user would write it: an IRI with its prefix
// ("ngid:country/Iran"), a typed literal as its text.
func compact(s string) string {
	if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		iri := s[1 : len(s)-1]
		for _, p := range schema.Prefixes {
			if strings.HasPrefix(iri, p.NS) {
				return p.Prefix + iri[len(p.NS):]
			}
		}
		return s
	}
	if strings.HasPrefix(s, `"`) {
		if i := strings.LastIndex(s, `"^^<`); i > 0 {
			return s[1:i]
		}
	}
	return s
}
