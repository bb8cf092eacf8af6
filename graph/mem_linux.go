package graph

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ReleaseMapped drops the pages of a bolt store's memory-mapped file from
// the process's resident memory. bolt reads its file through a mapping of
// all of it, so every page a long ingest touches would otherwise count
// in its RSS until the end; the pages stay in the kernel's page cache and
// come back on the next read. Call it between writes, never while a
// query or transaction of this process runs. Other backends: no-op.
func (s *Store) ReleaseMapped() {
	if s.backend != "bolt" && s.backend != "bbolt" {
		return
	}
	file, err := filepath.Abs(filepath.Join(s.path, "indexes.bolt"))
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
