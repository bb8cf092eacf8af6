package graph

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/cayleygraph/quad"
)

// Limits on the text of a query, checked before it is parsed. Cayley's
// query languages parse by recursive descent, and Gizmo's JavaScript
// parser (goja) recurses on every nested bracket: a few hundred kilobytes
// of "(" overflow the goroutine stack, which is fatal to the whole
// process, however small --max-body is; and goja compiles long chains
// such as 1+1+...+1 in time quadratic in their length, before the query
// timeout can stop it. No real query comes near these limits.
const (
	// MaxQuerySize is the longest query run, in bytes.
	MaxQuerySize = 32 << 10
	// MaxQueryDepth is the deepest nesting of brackets ((), [], {}) a
	// query may have.
	MaxQueryDepth = 256
)

// Errors of CheckQuery.
var (
	ErrQueryTooLarge = errors.New("query too large")
	ErrQueryTooDeep  = errors.New("query nested too deeply")
)

// CheckQuery reports a query that is too large or nests brackets too
// deeply to be parsed safely. Brackets inside '...' and "..." strings do
// not count.
func CheckQuery(src string) error {
	if len(src) > MaxQuerySize {
		return fmt.Errorf("%w: %d bytes, the limit is %d", ErrQueryTooLarge, len(src), MaxQuerySize)
	}
	depth := 0
	var quote byte
	for i := 0; i < len(src); i++ {
		c := src[i]
		if quote != 0 {
			switch c {
			case '\\':
				i++
			case quote, '\n':
				// a string ends at its quote, or (unterminated) at the
				// end of its line, as in JavaScript
				quote = 0
			}
			continue
		}
		switch c {
		case '"', '\'':
			quote = c
		case '(', '[', '{':
			depth++
			if depth > MaxQueryDepth {
				return fmt.Errorf("%w: brackets nested more than %d deep", ErrQueryTooDeep, MaxQueryDepth)
			}
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return nil
}

// checkQueryHTTP answers a query CheckQuery refuses with an error (413 or
// 400) and returns false; true lets the query through.
func checkQueryHTTP(w http.ResponseWriter, src string) bool {
	err := CheckQuery(src)
	if err == nil {
		return true
	}
	code := http.StatusBadRequest
	if errors.Is(err, ErrQueryTooLarge) {
		code = http.StatusRequestEntityTooLarge
	}
	jsonError(w, code, err.Error())
	return false
}

// checkWriteBody reads a write's (or delete's) body, which guard caps
// with http.MaxBytesReader, and checks it before Cayley's write API reads
// it: that API answers 500 to a body over the cap (which it reads as cut
// N-Quads) and to N-Quads that do not parse, and its N-Quads parser
// panics on some escapes, which drops the connection without an answer.
// Here they are a 413 and a 400 naming the quad. checkWriteBody answers
// the error itself and returns false, or puts the body back and returns
// true.
func checkWriteBody(w http.ResponseWriter, r *http.Request) bool {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			jsonError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than the %d-byte limit (see --max-body)", mbe.Limit))
		} else {
			jsonError(w, http.StatusBadRequest, "read the request body: "+err.Error())
		}
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	if r.URL.Path == "/api/v2/node/delete" || !isNQuads(r) {
		return true
	}
	var in io.Reader = bytes.NewReader(body)
	// Cayley's write reads a gzip Content-Encoding; its delete does not
	if r.URL.Path == "/api/v2/write" && strings.EqualFold(strings.TrimSpace(r.Header.Get("Content-Encoding")), "gzip") {
		zr, err := gzip.NewReader(in)
		if err != nil {
			jsonError(w, http.StatusBadRequest, "request body: "+err.Error())
			return false
		}
		defer zr.Close()
		in = zr
	}
	qr := NewNQuadsReader(in)
	defer qr.Close()
	for n := 1; ; n++ {
		_, err := qr.ReadQuad()
		if err == io.EOF {
			return true
		}
		if err != nil {
			jsonError(w, http.StatusBadRequest, fmt.Sprintf("request body: quad %d: %v", n, err))
			return false
		}
	}
}

// isNQuads reports whether Cayley's write API reads the request's body as
// N-Quads: its Content-Type says so, or names no format it knows.
func isNQuads(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	if i := strings.IndexAny(ct, ",;"); i >= 0 {
		ct = ct[:i]
	}
	f := quad.FormatByMime(strings.TrimSpace(ct))
	return f == nil || f.Name == "nquads"
}
