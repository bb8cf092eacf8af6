package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/ingest"
)

// storeFlags are the flags that choose the store.
type storeFlags struct {
	backend, path string
	noBloom       bool
	releaseEvery  time.Duration // see graph.Options
	bulk          bool          // see graph.Options
}

func addStoreFlags(fs *pflag.FlagSet) *storeFlags {
	sf := &storeFlags{}
	fs.StringVar(&sf.backend, "db", envOr("NEWSGRAPH_DB", graph.DefaultBackend),
		"store backend: bolt, leveldb, memstore, postgres, cockroach, mysql, ... (env NEWSGRAPH_DB)")
	fs.StringVar(&sf.path, "dbpath", envOr("NEWSGRAPH_DBPATH", graph.DefaultPath),
		"store path (a directory for bolt/leveldb) or address (postgres://...) (env NEWSGRAPH_DBPATH)")
	return sf
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func (sf *storeFlags) open(readOnly bool) (*graph.Store, error) {
	return graph.Open(sf.backend, sf.path, graph.Options{ReadOnly: readOnly, NoBloom: sf.noBloom, ReleaseEvery: sf.releaseEvery, Bulk: sf.bulk})
}

// docFlags are the flags that describe the articles read.
type docFlags struct {
	date, id, url string
	maxSize       int64
}

func addDocFlags(fs *pflag.FlagSet) *docFlags {
	df := &docFlags{}
	fs.StringVar(&df.date, "date", "", "publication date (YYYY-MM-DD) of articles that carry none; weekdays such as \"on Friday\" resolve against it")
	fs.StringVar(&df.id, "id", "", "source id of the article (default: its path); only with one input")
	fs.StringVar(&df.url, "url", "", "source URL of the article; only with one input")
	fs.Int64Var(&df.maxSize, "max-size", ingest.DefaultMaxSize, "largest article accepted, in bytes")
	return df
}

func (df *docFlags) options(nargs int) (ingest.Options, error) {
	opt := ingest.Options{ID: df.id, URL: df.url, MaxSize: df.maxSize}
	if (df.id != "" || df.url != "") && nargs != 1 {
		return opt, usageError("--id and --url name one article: give exactly one input")
	}
	if df.date != "" {
		t, err := ingest.ParseDate(df.date)
		if err != nil {
			return opt, usageError("--date: %v", err)
		}
		opt.Published = t
	}
	return opt, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func since(t time.Time) string {
	return time.Since(t).Round(time.Millisecond).String()
}
