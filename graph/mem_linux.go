package graph

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// mmapReserve is the address space a bolt store opened for bulk writes
// (Options.ReleaseEvery) maps at once. bbolt maps the file again, at another address,
// each time it outgrows its mapping; reserving more than any store will
// need keeps the mapping where it is, which is what lets releaseMapped
// run while transactions do. It costs address space only: the pages
// beyond the file are never touched.
const mmapReserve = 1 << 40

// releaseMapped drops the pages of a bolt store's memory-mapped file from
// the process's resident memory. bolt reads its file through a mapping of
// all of it, so every page an ingest reads would otherwise count in its
// RSS until the end, about a third of the store per batch; the pages stay
// in the kernel's page cache (as a leveldb or PostgreSQL store's do) and
// come back on the next read without disk I/O. It is safe at any time on
// a store opened with Options.ReleaseEvery, whose mapping does not move.
func (s *Store) releaseMapped() {
	file, err := filepath.Abs(boltFile(s.path))
	if err != nil {
		return
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// start-end perms offset dev inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[5] != file {
			continue
		}
		start, end, ok := strings.Cut(fields[0], "-")
		if !ok {
			continue
		}
		lo, err1 := strconv.ParseUint(start, 16, 64)
		hi, err2 := strconv.ParseUint(end, 16, 64)
		if err1 != nil || err2 != nil || hi <= lo {
			continue
		}
		syscall.Syscall(syscall.SYS_MADVISE, uintptr(lo), uintptr(hi-lo), syscall.MADV_DONTNEED)
	}
}

// releaseEvery calls releaseMapped every interval until the store is
// closed. Only for a store whose mapping does not move (see mmapReserve).
//
// It bounds the resident set less than one would like: a write
// transaction on a large store reads index entries and nodes in key
// order, across the whole file in a burst, and the kernel maps 16 pages
// around each page read (fault-around; MADV_RANDOM does not stop it), so
// the mapped pages grow by hundreds of megabytes in a few milliseconds.
// Dropping them as often as that (every 10 ms once over 160 MiB) took
// the peak RSS of adding 3,000 articles to a 100k-article store from 3.0
// GB to 0.76 GB, and its time from 25 s to 45 s: after every drop the
// next reads fault again.
func (s *Store) releaseEvery(interval time.Duration) {
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				if fi, err := os.Stat(boltFile(s.path)); err == nil && fi.Size() < mmapReserve/2 {
					s.releaseMapped()
				}
			}
		}
	}()
	s.onClose = append(s.onClose, func() {
		close(quit)
		<-done
	})
}
