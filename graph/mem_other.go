//go:build !linux

package graph

import "time"

// mmapReserve is the address space a bolt store opened for bulk writes
// maps at once; elsewhere than on Linux, bbolt's own default.
const mmapReserve = 0

// ReleaseMapped drops the pages of a bolt store's memory-mapped file from
// the process's resident memory; only on Linux.
func (s *Store) ReleaseMapped() {}

func (s *Store) releaseEvery(time.Duration) {}
