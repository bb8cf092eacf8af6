package graph

import (
	"fmt"
	"os"

	"github.com/cayleygraph/cayley/graph"
	"github.com/hidal-go/hidalgo/kv/flat"
	hlevel "github.com/hidal-go/hidalgo/kv/flat/leveldb"
	"github.com/syndtr/goleveldb/leveldb/opt"
)

// openLevelDB opens the leveldb store in directory dir, creating it unless
// ro. Like openBolt it keeps the format of Cayley's own backend (Cayley's
// leveldb backend and the cayley tool open the same directory) and gives a
// new store the label index (see labelIndexes); the key-value store is
// kept for liveSubjects. Like Cayley's, each transaction is synced to disk.
func openLevelDB(dir string, ro bool, gopt graph.Options) (*Store, error) {
	if ro {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("open leveldb store %s: no store there (ingest something first)", dir)
		}
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create leveldb store %s: %w", dir, err)
	}
	ldb, err := hlevel.Open(dir, &opt.Options{
		ReadOnly:       ro,
		ErrorIfMissing: ro,
	})
	if err != nil {
		return nil, fmt.Errorf("open leveldb store %s: %w", dir, err)
	}
	ldb.SetWriteOptions(&opt.WriteOptions{Sync: true})
	return newKVStore("leveldb", dir, flat.Upgrade(ldb), ro, gopt)
}
