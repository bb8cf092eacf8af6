package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfile starts a CPU profile into cpu and arranges a heap profile
// into mem, when they are not empty; the function it returns ends them.
func startProfile(cpu, mem string) (func(), error) {
	var f *os.File
	if cpu != "" {
		var err error
		if f, err = os.Create(cpu); err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, err
		}
	}
	return func() {
		if f != nil {
			pprof.StopCPUProfile()
			f.Close()
		}
		if mem != "" {
			runtime.GC()
			mf, err := os.Create(mem)
			if err != nil {
				fmt.Fprintln(os.Stderr, "newsgraph: heap profile:", err)
				return
			}
			defer mf.Close()
			if err := pprof.WriteHeapProfile(mf); err != nil {
				fmt.Fprintln(os.Stderr, "newsgraph: heap profile:", err)
			}
		}
	}, nil
}
