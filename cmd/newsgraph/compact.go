package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/newsgraph/newsgraph/graph"
)

func runCompact(e *env, args []string) error {
	fs := newFlags(e, "compact")
	sf := addStoreFlags(fs)
	quiet := fs.BoolP("quiet", "q", false, "print nothing but errors")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError("compact takes no arguments (name the store with --db and --dbpath)")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	res, err := graph.Compact(ctx, sf.backend, sf.path)
	for _, l := range res.Leftovers {
		e.errorf("removed %s, left by a compaction that did not finish", l)
	}
	if err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(e.stderr, "compacted %s store %s: %s, %s -> %s (%s reclaimed) in %s\n",
			res.Backend, sf.path, plural(res.Quads, "quad", "quads"),
			byteSize(res.SizeBefore), byteSize(res.SizeAfter), byteSize(res.SizeBefore-res.SizeAfter), since(start))
	}
	return nil
}

// byteSize formats a number of bytes for people: "12.3 MB".
func byteSize(n int64) string {
	neg := ""
	if n < 0 {
		neg, n = "-", -n
	}
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%s%d B", neg, n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%s%.1f %cB", neg, float64(n)/float64(div), "kMGTPE"[exp])
}
