//go:build unix

package graph

import (
	"errors"
	"os"
	"syscall"
)

// probeLock fails with ErrLocked when another process holds the bolt
// file's lock. bolt takes an flock on the file; a non-blocking flock of our
// own tells at once whether it would wait.
func probeLock(file string) error {
	f, err := os.Open(file)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return ErrLocked
		}
		return err
	}
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
