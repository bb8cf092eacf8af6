// Command newsgraph builds a knowledge graph of news articles in a Cayley
// store and answers questions about it.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"
)

// command is one subcommand of newsgraph.
type command struct {
	name, args, summary string
	run                 func(env *env, args []string) error
}

// env is what a command runs with: its streams, so tests can run the CLI
// in-process too.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// isTerminal says whether stdin and stderr are terminals.
	stdinTTY, stderrTTY bool
}

var commands []command

func init() {
	commands = []command{
		{"demo", "", "ingest the seed articles and answer example questions", runDemo},
		{"ingest", "PATH...", "extract facts from articles and store them", runIngest},
		{"extract", "FILE", "print an article's facts as N-Quads, without a store", runExtract},
		{"query", "[QUERY]", "ask the store with Gizmo, GraphQL or MQL", runQuery},
		{"export", "", "write the store (or one article) as RDF (N-Quads, Turtle, ...) or a graph file", runExport},
		{"load", "FILE.nq[.gz]...", "load N-Quads into the store", runLoad},
		{"delete", "ARTICLE...", "remove articles and their facts from the store", runDelete},
		{"compact", "", "rewrite a bolt or leveldb store to give back the space deleted facts left", runCompact},
		{"serve", "", "serve Cayley's web UI and HTTP API on the store", runServe},
		{"stats", "", "count articles, entities by class and facts by predicate", runStats},
		{"why", "S P O", "list the articles and sentences that state a fact", runWhy},
		{"render", "", "draw the store, an article or an entity's neighbourhood (Graphviz)", runRender},
		{"eval", "DIR...", "score the extractor against gold annotations", runEval},
		{"gen", "-o FILE.jsonl|DIR", "write synthetic news articles for scale tests", runGen},
	}
}

// exitError carries an exit code other than 1.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func main() {
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		stdinTTY: isTerminal(os.Stdin), stderrTTY: isTerminal(os.Stderr)}
	os.Exit(run(e, os.Args[1:]))
}

// run runs newsgraph with args and returns the exit code: 0 on success, 1
// on failure, 2 on a usage error.
func run(e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 {
			return run(e, []string{args[1], "--help"})
		}
		usage(e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "version" || args[0] == "--version" {
		fmt.Fprintln(e.stdout, "newsgraph", version)
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(e, args[1:])
		if err == nil {
			return 0
		}
		if errors.Is(err, pflag.ErrHelp) {
			return 0
		}
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.err != nil {
				fmt.Fprintf(e.stderr, "newsgraph %s: %v\n", c.name, ee.err)
			}
			return ee.code
		}
		fmt.Fprintf(e.stderr, "newsgraph %s: %v\n", c.name, err)
		return 1
	}
	fmt.Fprintf(e.stderr, "newsgraph: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return 2
}

const version = "0.1.0"

func usage(w io.Writer) {
	fmt.Fprint(w, `newsgraph turns news articles into a graph of facts in a Cayley store.

Usage:
  newsgraph COMMAND [flags] [args]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %-18s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprint(w, `
Run "newsgraph COMMAND --help" for a command's flags.
The store is a bolt database at ./newsgraph.db unless --db/--dbpath or
NEWSGRAPH_DB/NEWSGRAPH_DBPATH say otherwise.
`)
}

// newFlags returns a flag set for a command with a usage message.
func newFlags(e *env, c string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(c, pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.SortFlags = false
	for _, cmd := range commands {
		if cmd.name == c {
			fs.Usage = func() {
				fmt.Fprintf(e.stderr, "Usage: newsgraph %s [flags] %s\n\n%s.\n\nFlags:\n%s", c, cmd.args, capitalize(cmd.summary), fs.FlagUsages())
			}
		}
	}
	return fs
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// usageError is a mistake in the command line: exit code 2.
func usageError(format string, args ...interface{}) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// parse parses flags, turning flag errors into usage errors.
func parse(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		return &exitError{code: 2, err: err}
	}
	return nil
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// errorf reports a problem that does not stop the command.
func (e *env) errorf(format string, args ...interface{}) {
	fmt.Fprintf(e.stderr, "newsgraph: "+format+"\n", args...)
}
