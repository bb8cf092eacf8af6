//go:build !linux

package graph

import "time"

// mmapReserve is the address space a bolt store opened for bulk writes
// maps at once; elsewhere than on Linux, bbolt's own default.
const mmapReserve = 0

// releaseEvery drops the store's mapped pages from the resident set; only
// on Linux.
func (s *Store) releaseEvery(time.Duration) {}
