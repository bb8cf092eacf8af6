package ingest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	pathpkg "path"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Document is one news article as read from a source, before extraction.
type Document struct {
	// Source is the file it came from ("-" for standard input) and Line
	// its line in a JSON Lines file (0 otherwise).
	Source string
	Line   int
	// ID identifies the article across runs: a given id, the JSONL "id",
	// or the source path. Empty means the text's hash.
	ID        string
	URL       string
	Title     string
	Published time.Time
	Text      string
	// Props are other fields of a JSONL record, kept on the Article node.
	Props map[string]string
}

// Where names the document for messages: "file" or "file:line".
func (d Document) Where() string {
	src := d.Source
	if src == "" {
		src = "(input)"
	}
	if d.Line > 0 {
		return fmt.Sprintf("%s:%d", src, d.Line)
	}
	return src
}

// Key is the stable key of the article's IRI: a hash of its id, or of its
// text when it has none.
func (d Document) Key() string {
	id := d.ID
	if id == "" {
		id = "text:" + d.Text
	}
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:8])
}

// sourceURL returns the URL or file URL the article came from.
func (d Document) sourceURL() string {
	if d.URL != "" {
		return d.URL
	}
	if d.Source == "" || d.Source == "-" {
		return ""
	}
	abs, err := filepath.Abs(d.Source)
	if err != nil {
		abs = d.Source
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

// DefaultMaxSize is the largest article text accepted by default.
const DefaultMaxSize = 10 << 20

// Options control how sources are read.
type Options struct {
	// MaxSize is the largest text accepted, in bytes (0: DefaultMaxSize).
	MaxSize int64
	// Published is the date of articles that do not carry their own.
	Published time.Time
	// ID and URL name a single article given on the command line.
	ID, URL string
	// Include and Exclude are glob patterns (path.Match syntax) that
	// choose the files of a directory walk: a pattern without a slash is
	// matched against a file's name, one with a slash against its path
	// relative to the directory walked. With Include, a file is read only
	// when it matches one of them, whatever its extension; a file or
	// directory that matches an Exclude pattern is skipped. Files named
	// as inputs are always read.
	Include, Exclude []string
}

// CheckText reports why text cannot be an article: empty, binary (NUL
// bytes) or not UTF-8, naming the line.
func CheckText(text []byte) error {
	if len(bytes.TrimSpace(text)) == 0 {
		return errors.New("empty article: no text")
	}
	line := 1
	for i := 0; i < len(text); {
		c := text[i]
		if c == 0 {
			return fmt.Errorf("line %d: binary data (NUL byte): not a text article", line)
		}
		if c == '\n' {
			line++
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(text[i:])
		if r == utf8.RuneError && size <= 1 {
			return fmt.Errorf("line %d: invalid UTF-8 (byte 0x%02x at offset %d)", line, c, i)
		}
		i += size
	}
	return nil
}

// readLimited reads all of r, refusing more than opt.MaxSize bytes (or
// DefaultMaxSize) without holding more than that in memory.
func readLimited(r io.Reader, name string, opt Options) ([]byte, error) {
	max := opt.MaxSize
	if max <= 0 {
		max = DefaultMaxSize
	}
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: larger than the %d-byte limit (see --max-size)", name, max)
	}
	return b, nil
}

// ReadText reads one plain-text article from r; name labels errors.
func ReadText(r io.Reader, name string, opt Options) (Document, error) {
	b, err := readLimited(r, name, opt)
	if err != nil {
		return Document{}, err
	}
	if err := CheckText(b); err != nil {
		return Document{}, fmt.Errorf("%s: %w", name, err)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	id := opt.ID
	if id == "" && name != "-" {
		id = name
	}
	return Document{Source: name, ID: id, URL: opt.URL, Published: opt.Published, Text: string(b)}, nil
}

// jsonRecord is a JSON Lines article.
type jsonRecord map[string]interface{}

// ReadJSONL calls fn for each article of a JSON Lines stream: one JSON
// object per line with "text" and optionally "id", "url", "title",
// "published". A bad line is passed to fn as an error naming the line;
// fn decides whether to go on.
func ReadJSONL(r io.Reader, name string, opt Options, fn func(Document, error) error) error {
	max := opt.MaxSize
	if max <= 0 {
		max = DefaultMaxSize
	}
	br := bufio.NewReaderSize(r, 64<<10)
	for line := 1; ; line++ {
		b, err := readLine(br, max)
		if err == io.EOF && len(b) == 0 {
			return nil
		}
		where := fmt.Sprintf("%s:%d", name, line)
		if errors.Is(err, errLineTooLong) {
			if ferr := fn(Document{}, fmt.Errorf("%s: line longer than the %d-byte limit (see --max-size)", where, max)); ferr != nil {
				return ferr
			}
			continue
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("%s: %w", where, err)
		}
		if len(bytes.TrimSpace(b)) == 0 {
			if err == io.EOF {
				return nil
			}
			continue
		}
		doc, derr := parseRecord(b, name, line, opt)
		if ferr := fn(doc, derr); ferr != nil {
			return ferr
		}
		if err == io.EOF {
			return nil
		}
	}
}

var errLineTooLong = errors.New("line too long")

// readLine reads one line, failing with errLineTooLong (after skipping the
// rest of it) when it is longer than max.
func readLine(br *bufio.Reader, max int64) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if int64(len(buf)+len(chunk)) > max {
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('\n')
			}
			return nil, errLineTooLong
		}
		buf = append(buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		return bytes.TrimRight(buf, "\r\n"), err
	}
}

func parseRecord(b []byte, name string, line int, opt Options) (Document, error) {
	where := fmt.Sprintf("%s:%d", name, line)
	if !utf8.Valid(b) {
		return Document{}, fmt.Errorf("%s: invalid UTF-8", where)
	}
	var rec jsonRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return Document{}, fmt.Errorf("%s: not a JSON object: %v", where, err)
	}
	text, _ := rec["text"].(string)
	if err := CheckText([]byte(text)); err != nil {
		return Document{}, fmt.Errorf("%s: %w", where, err)
	}
	doc := Document{Source: name, Line: line, Text: text, Published: opt.Published, Props: map[string]string{}}
	for k, v := range rec {
		s, isString := v.(string)
		switch k {
		case "text":
		case "id":
			if !isString {
				s = fmt.Sprint(v)
			}
			doc.ID = s
		case "url":
			doc.URL = s
		case "title":
			doc.Title = s
		case "published":
			if s == "" {
				continue
			}
			t, err := ParseDate(s)
			if err != nil {
				return Document{}, fmt.Errorf("%s: published: %w", where, err)
			}
			doc.Published = t
		default:
			if !isString {
				bs, _ := json.Marshal(v)
				s = string(bs)
			}
			doc.Props[k] = s
		}
	}
	if doc.ID == "" {
		doc.ID = doc.URL
	}
	return doc, nil
}

// ParseDate reads a publication date: YYYY-MM-DD or RFC 3339.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	return time.Time{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
}

// Walk reads every article of the given paths and calls fn with each, or
// with the error that kept one from being read. Directories are walked
// recursively in name order (hidden files skipped; see Options.Include
// and Exclude), each file read as soon as it is found, so that no list
// of a tree's files is kept. "-" is standard input, files ending in
// .jsonl or .ndjson hold one article a line, .html and .htm files are
// web pages reduced to their article. Walk stops early only when fn
// returns an error.
func Walk(paths []string, stdin io.Reader, opt Options, fn func(Document, error) error) error {
	if err := opt.CheckPatterns(); err != nil {
		return err
	}
	for _, p := range paths {
		if p == "-" {
			doc, err := ReadText(stdin, "-", opt)
			if err := fn(doc, err); err != nil {
				return err
			}
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			if err := fn(Document{Source: p}, fmt.Errorf("%s: %w", p, unwrapPath(err))); err != nil {
				return err
			}
			continue
		}
		if !info.IsDir() {
			if err := readFile(p, opt, fn); err != nil {
				return err
			}
			continue
		}
		err = walkDir(p, opt, func(path string, err error) error {
			if err != nil {
				return fn(Document{Source: path}, fmt.Errorf("%s: %w", path, unwrapPath(err)))
			}
			return readFile(path, opt, fn)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// walkDir calls fn with every article file under root, in name order, or
// with an error reading a directory.
func walkDir(root string, opt Options, fn func(path string, err error) error) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fn(path, err)
		}
		if path == root {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || matchAny(opt.Exclude, root, path) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if len(opt.Include) > 0 {
			if !matchAny(opt.Include, root, path) {
				return nil
			}
		} else if !isArticleFile(path) {
			return nil
		}
		return fn(path, nil)
	})
}

// CountFiles returns the number of articles that Walk would read from
// paths when that is cheap to know: files, and files in directories. It
// returns -1 when an input is standard input or JSON Lines, whose
// articles are known only by reading them.
func CountFiles(paths []string, opt Options) int {
	if opt.CheckPatterns() != nil {
		return -1
	}
	n := 0
	for _, p := range paths {
		if p == "-" || isJSONL(p) {
			return -1
		}
		info, err := os.Stat(p)
		if err != nil || !info.IsDir() {
			n++ // a failure counts as one input too
			continue
		}
		jsonl := false
		walkDir(p, opt, func(path string, err error) error {
			if isJSONL(path) {
				jsonl = true
				return filepath.SkipAll
			}
			n++
			return nil
		})
		if jsonl {
			return -1
		}
	}
	return n
}

func isJSONL(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson":
		return true
	}
	return false
}

// CheckPatterns checks the syntax of the Include and Exclude patterns.
func (opt Options) CheckPatterns() error {
	for _, list := range [][]string{opt.Include, opt.Exclude} {
		for _, p := range list {
			if _, err := pathpkg.Match(p, ""); err != nil {
				return fmt.Errorf("bad pattern %q: %w", p, err)
			}
		}
	}
	return nil
}

// matchAny reports whether path, found under root, matches one of the
// patterns: by name, or by its path relative to root for a pattern with
// a slash.
func matchAny(patterns []string, root, path string) bool {
	if len(patterns) == 0 {
		return false
	}
	rel, err := filepath.Rel(root, path)
	if err != nil {
		rel = path
	}
	rel = filepath.ToSlash(rel)
	name := filepath.Base(path)
	for _, p := range patterns {
		target := name
		if strings.Contains(p, "/") {
			target = rel
		}
		if ok, _ := pathpkg.Match(p, target); ok {
			return true
		}
	}
	return false
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// articleExts are the files a directory walk reads; other files (gold
// annotations, images, exports, a store's own files) are left alone. A
// file named on the command line is read whatever its name.
var articleExts = map[string]bool{".txt": true, ".text": true, ".md": true, ".jsonl": true, ".ndjson": true, ".html": true, ".htm": true}

func isArticleFile(path string) bool {
	return articleExts[strings.ToLower(filepath.Ext(path))]
}

func readFile(path string, opt Options, fn func(Document, error) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fn(Document{Source: path}, fmt.Errorf("%s: %w", path, unwrapPath(err)))
	}
	defer f.Close()
	var doc Document
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson":
		return ReadJSONL(f, path, opt, fn)
	case ".html", ".htm":
		doc, err = ReadHTML(f, path, opt)
	default:
		doc, err = ReadText(f, path, opt)
	}
	if err == nil {
		err = readSidecar(&doc, path, opt)
	}
	return fn(doc, err)
}

// sidecar is the metadata file NAME.json beside an article NAME.txt.
type sidecar struct {
	ID, URL, Title, Published string
}

// readSidecar fills in what NAME.json beside the article says of it: its
// id, url, title and publication date. An --id or --url given on the
// command line wins; the file's date wins over --date, which is for
// articles that carry none.
func readSidecar(doc *Document, path string, opt Options) error {
	meta := strings.TrimSuffix(path, filepath.Ext(path)) + ".json"
	b, err := os.ReadFile(meta)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", meta, err)
	}
	var sc sidecar
	if err := json.Unmarshal(b, &sc); err != nil {
		return fmt.Errorf("%s: metadata of %s: %w", meta, path, err)
	}
	if sc.ID != "" && opt.ID == "" {
		doc.ID = sc.ID
	}
	if sc.URL != "" && opt.URL == "" {
		doc.URL = sc.URL
	}
	if sc.Title != "" {
		doc.Title = sc.Title
	}
	if sc.Published != "" {
		t, err := ParseDate(sc.Published)
		if err != nil {
			return fmt.Errorf("%s: published: %w", meta, err)
		}
		doc.Published = t
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
