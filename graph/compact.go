package graph

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// CompactResult says what Compact did.
type CompactResult struct {
	// Backend and Path name the store compacted (Path with symbolic
	// links resolved).
	Backend, Path string
	// Quads is the number of quads copied, and verified, into the new store.
	Quads int
	// SizeBefore and SizeAfter are the store's size on disk, in bytes.
	SizeBefore, SizeAfter int64
	// Leftovers are the temporary directories of earlier compactions,
	// interrupted before they were done, that Compact removed.
	Leftovers []string
}

// compactBatch is the number of quads written to the new store per
// transaction (a variable for tests).
var compactBatch = 10000

// compactHook, when set (in tests), is called at each stage of Compact:
// "copy" after each batch written, "verify" after the new store was
// checked, "swap" just before the swap. An error it returns fails
// Compact at that point, as a crash or a full disk would.
var compactHook func(stage string) error

func compactStage(stage string) error {
	if compactHook != nil {
		return compactHook(stage)
	}
	return nil
}

// Compact rewrites the file store (bolt, leveldb) at path so that it holds
// no space that deleted quads left behind: bolt files never shrink. It
// copies every quad into a new store in a temporary directory beside the
// old one, closes it, reads it back and checks that it holds the same set
// of quads, and only then swaps the two directories in one atomic rename
// (on Linux; elsewhere two renames). Until the swap the old store is
// untouched, and it is held open, so that no other process writes to it
// meanwhile; a store another process holds fails with ErrLocked. A
// failure, a cancelled ctx or a crash at any point before the swap leaves
// the old store as it was; the temporary directory a crash leaves is
// removed by the next Compact.
func Compact(ctx context.Context, backend, path string) (res CompactResult, err error) {
	if backend == "" {
		backend = DefaultBackend
	}
	res.Backend, res.Path = backend, path
	if !contains(graph.QuadStores(), backend) {
		return res, fmt.Errorf("compact: unknown backend %q (have: %s)", backend, strings.Join(Backends(), ", "))
	}
	if !isFileBackend(backend) {
		return res, fmt.Errorf("compact: a %s store is not one newsgraph can rewrite: compact works on the file stores, bolt and leveldb%s", backend, notFileHint(backend))
	}
	if path == "" {
		return res, fmt.Errorf("compact %s store: no path given", backend)
	}
	real, err := filepath.EvalSymlinks(path)
	if errors.Is(err, fs.ErrNotExist) {
		return res, fmt.Errorf("compact %s store %s: no store there", backend, path)
	}
	if err != nil {
		return res, fmt.Errorf("compact %s store %s: %w", backend, path, err)
	}
	real, err = filepath.Abs(real)
	if err != nil {
		return res, fmt.Errorf("compact %s store %s: %w", backend, path, err)
	}
	res.Path = real
	info, err := os.Stat(real)
	if err != nil {
		return res, fmt.Errorf("compact %s store %s: %w", backend, path, err)
	}
	if !info.IsDir() || !hasStoreFile(backend, real) {
		return res, fmt.Errorf("compact %s store %s: no %s store there", backend, path, backend)
	}

	if res.SizeBefore, err = dirSize(real); err != nil {
		return res, fmt.Errorf("compact %s: %w", path, err)
	}
	// Hold the old store open for the whole run: no other process can
	// write to it (or compact it) until it is replaced.
	src, err := Open(backend, real, Options{ReadOnly: true, NoBloom: true})
	if err != nil {
		if isLockError(err) && !errors.Is(err, ErrLocked) {
			err = fmt.Errorf("open %s store %s: %w", backend, path, ErrLocked)
		}
		return res, fmt.Errorf("compact: %w", err)
	}
	srcOpen := true
	defer func() {
		if srcOpen {
			src.Close()
		}
	}()

	parent, base := filepath.Dir(real), filepath.Base(real)
	prefix := "." + base + ".compact-"
	// Leftovers of an earlier run that died: no compaction of this store
	// can be running now, since we hold it.
	left, _ := filepath.Glob(filepath.Join(parent, globEscape(prefix)+"*"))
	for _, l := range left {
		if fi, err := os.Lstat(l); err == nil && fi.IsDir() {
			if err := os.RemoveAll(l); err != nil {
				return res, fmt.Errorf("compact: remove the leftover %s of an interrupted compaction: %w", l, err)
			}
			res.Leftovers = append(res.Leftovers, l)
		}
	}

	tmp, err := os.MkdirTemp(parent, prefix+"*")
	if err != nil {
		return res, fmt.Errorf("compact: make a temporary store beside %s: %w", path, err)
	}
	// Until the swap, tmp holds the new store; after it, the old one.
	// Either way it goes.
	defer func() {
		if rerr := os.RemoveAll(tmp); rerr != nil && err == nil {
			err = fmt.Errorf("compact: the store is compacted, but its old copy %s could not be removed: %w", tmp, rerr)
		}
	}()
	if err := os.Chmod(tmp, info.Mode().Perm()); err != nil {
		return res, fmt.Errorf("compact: %w", err)
	}

	want, err := copyQuads(ctx, src, backend, tmp)
	if err != nil {
		return res, fmt.Errorf("compact %s: %w (the store is unchanged)", path, err)
	}
	got, err := readDigest(ctx, backend, tmp)
	if err != nil {
		return res, fmt.Errorf("compact %s: verify the new store: %w (the store is unchanged)", path, err)
	}
	if got != want {
		return res, fmt.Errorf("compact %s: the new store holds %d quads, not the %d of the old one, or other ones (the store is unchanged)", path, got.n, want.n)
	}
	if err := compactStage("verify"); err != nil {
		return res, fmt.Errorf("compact %s: %w (the store is unchanged)", path, err)
	}
	res.Quads = want.n
	if err := syncDir(tmp); err != nil {
		return res, fmt.Errorf("compact %s: %w (the store is unchanged)", path, err)
	}
	if res.SizeAfter, err = dirSize(tmp); err != nil {
		return res, fmt.Errorf("compact %s: %w (the store is unchanged)", path, err)
	}
	if err := compactStage("swap"); err != nil {
		return res, fmt.Errorf("compact %s: %w (the store is unchanged)", path, err)
	}
	if err := swapDirs(tmp, real); err != nil {
		return res, fmt.Errorf("compact %s: swap in the new store: %w", path, err)
	}
	syncPath(parent)
	srcOpen = false
	if err := src.Close(); err != nil {
		return res, fmt.Errorf("compact %s: close the old store: %w", path, err)
	}
	return res, nil
}

// notFileHint says what to do instead for a store that is not a file.
func notFileHint(backend string) string {
	switch backend {
	case "memstore":
		return " (a memstore lives in memory and is gone at exit: there is nothing to compact)"
	case "postgres", "cockroach":
		return " (the database server reclaims space itself: see VACUUM)"
	case "mysql":
		return " (the database server reclaims space itself: see OPTIMIZE TABLE)"
	}
	return ""
}

// hasStoreFile reports whether dir holds a store of the backend.
func hasStoreFile(backend, dir string) bool {
	name := "CURRENT" // leveldb
	if backend == "bolt" || backend == "bbolt" {
		name = "indexes.bolt"
	}
	fi, err := os.Stat(filepath.Join(dir, name))
	return err == nil && fi.Mode().IsRegular()
}

// globEscape escapes the metacharacters of filepath.Match in s.
func globEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`)
	return r.Replace(s)
}

// quadDigest identifies a set of quads whatever their order: its size and
// the sum of the SHA-256 of each quad's N-Quads line.
type quadDigest struct {
	n   int
	sum [4]uint64
}

func (d *quadDigest) add(q quad.Quad) {
	h := sha256.Sum256([]byte(NQuad(q)))
	for i := range d.sum {
		d.sum[i] += binary.LittleEndian.Uint64(h[i*8:])
	}
	d.n++
}

// copyQuads copies every quad of src into a new store of the backend at
// dir, closes it, and returns the digest of what it copied.
func copyQuads(ctx context.Context, src *Store, backend, dir string) (quadDigest, error) {
	var d quadDigest
	dst, err := Open(backend, dir, Options{NoBloom: true})
	if err != nil {
		return d, err
	}
	r := src.AllQuads()
	err = func() error {
		defer r.Close()
		batch := make([]graph.Delta, 0, compactBatch)
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			if err := dst.qs.ApplyDeltas(batch, graph.IgnoreOpts{}); err != nil {
				return fmt.Errorf("write the new store: %w", err)
			}
			batch = batch[:0]
			return compactStage("copy")
		}
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			q, err := r.ReadQuad()
			if err == io.EOF {
				return flush()
			}
			if err != nil {
				return fmt.Errorf("read the store: %w", err)
			}
			d.add(q)
			batch = append(batch, graph.Delta{Quad: q, Action: graph.Add})
			if len(batch) == compactBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}()
	if cerr := dst.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close the new store: %w", cerr)
	}
	return d, err
}

// readDigest opens the store at dir anew and returns the digest of every
// quad it holds.
func readDigest(ctx context.Context, backend, dir string) (quadDigest, error) {
	var d quadDigest
	s, err := Open(backend, dir, Options{ReadOnly: true, NoBloom: true})
	if err != nil {
		return d, err
	}
	defer s.Close()
	r := s.AllQuads()
	defer r.Close()
	for {
		if err := ctx.Err(); err != nil {
			return d, err
		}
		q, err := r.ReadQuad()
		if err == io.EOF {
			return d, nil
		}
		if err != nil {
			return d, err
		}
		d.add(q)
	}
}

// dirSize returns the size of the regular files under dir.
func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.Type().IsRegular() {
			fi, err := e.Info()
			if err != nil {
				return err
			}
			n += fi.Size()
		}
		return nil
	})
	return n, err
}

// syncDir flushes every file under dir, and dir itself, to the disk:
// leveldb does not sync its writes.
func syncDir(dir string) error {
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.Type().IsRegular() {
			return syncPath(p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return syncPath(dir)
}

func syncPath(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("sync %s: %w", p, err)
	}
	return nil
}

// swapDirs puts the directory tmp in the place of dir, and dir's old
// contents at tmp: in one step where the system can exchange two names,
// else by renaming dir away first (and back, should the second rename
// fail).
func swapDirs(tmp, dir string) error {
	err := exchange(tmp, dir)
	if err == nil || !errors.Is(err, errExchangeUnsupported) {
		return err
	}
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return fmt.Errorf("%v; and the old store could not be put back: it is in %s", err, old)
		}
		return err
	}
	return os.Rename(old, tmp)
}

var errExchangeUnsupported = errors.New("atomic exchange of two names is not supported here")
