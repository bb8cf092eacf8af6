package main

import (
	"os"
	"runtime/debug"
)

// tuneGC trades memory for speed in the bulk commands (ingest, load),
// whose heap is mostly short-lived garbage of Cayley's write path: the
// collector runs at 400% heap growth instead of 100%, but no later than
// at limit bytes of Go memory. GOGC and GOMEMLIMIT, when set, win.
func tuneGC(limit int64) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit)
	}
}
