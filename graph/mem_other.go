//go:build !linux

package graph

// ReleaseMapped drops the pages of a bolt store's memory-mapped file from
// the process's resident memory; only on Linux.
func (s *Store) ReleaseMapped() {}
