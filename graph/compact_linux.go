//go:build linux

package graph

import (
	"errors"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// exchange swaps the names a and b in one atomic step
// (renameat2 RENAME_EXCHANGE).
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) {
		// an old kernel, or a file system that cannot exchange
		return errExchangeUnsupported
	}
	return err
}

// isLockError reports whether err is a file lock another process holds
// (leveldb's LOCK file).
func isLockError(err error) bool {
	return errors.Is(err, syscall.EWOULDBLOCK) || strings.Contains(err.Error(), syscall.EWOULDBLOCK.Error())
}
