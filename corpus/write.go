package corpus

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// record is an article as a JSON Lines record newsgraph ingest reads.
type record struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Published string `json:"published"`
	Text      string `json:"text"`
}

// WriteJSONL writes articles [0, n) as JSON Lines, and their facts as
// "id<TAB>subject<TAB>predicate<TAB>object" lines to facts when it is not
// nil.
func (g *Generator) WriteJSONL(w io.Writer, facts io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	var fw *bufio.Writer
	if facts != nil {
		fw = bufio.NewWriter(facts)
	}
	for i := 0; i < n; i++ {
		a := g.Article(i)
		if err := enc.Encode(record{a.ID, a.Title, a.Published, a.Text}); err != nil {
			return err
		}
		if err := writeFacts(fw, a); err != nil {
			return err
		}
	}
	if fw != nil {
		if err := fw.Flush(); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteDir writes articles [0, n) into dir as NAME.txt files with NAME.json
// metadata beside them (id, title, published), a thousand to a
// subdirectory, and their facts to facts when it is not nil.
func (g *Generator) WriteDir(dir string, facts io.Writer, n int) error {
	var fw *bufio.Writer
	if facts != nil {
		fw = bufio.NewWriter(facts)
	}
	for i := 0; i < n; i++ {
		a := g.Article(i)
		sub := filepath.Join(dir, fmt.Sprintf("%04d", i/1000))
		if i%1000 == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				return err
			}
		}
		base := filepath.Join(sub, fmt.Sprintf("%07d", i))
		if err := os.WriteFile(base+".txt", []byte(a.Text), 0o644); err != nil {
			return err
		}
		meta, err := json.Marshal(map[string]string{"id": a.ID, "title": a.Title, "published": a.Published})
		if err != nil {
			return err
		}
		if err := os.WriteFile(base+".json", append(meta, '\n'), 0o644); err != nil {
			return err
		}
		if err := writeFacts(fw, a); err != nil {
			return err
		}
	}
	if fw != nil {
		return fw.Flush()
	}
	return nil
}

func writeFacts(w *bufio.Writer, a Article) error {
	if w == nil {
		return nil
	}
	for _, f := range a.Facts {
		if _, err := fmt.Fprintf(w, "%s\t%s\n", a.ID, f); err != nil {
			return err
		}
	}
	return nil
}
