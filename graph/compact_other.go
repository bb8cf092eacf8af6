//go:build !linux

package graph

// exchange cannot swap two names atomically on this system: the caller
// renames one after the other.
func exchange(a, b string) error { return errExchangeUnsupported }

// isLockError reports whether err is a file lock another process holds;
// only Open's own check (ErrLocked) tells here.
func isLockError(err error) bool { return false }
