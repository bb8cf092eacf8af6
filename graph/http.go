package graph

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/cayleygraph/cayley/graph"
	cayleyhttp "github.com/cayleygraph/cayley/server/http"
	"github.com/cayleygraph/cayley/ui"
	"github.com/julienschmidt/httprouter"

	"github.com/newsgraph/newsgraph/schema"
)

// DefaultAddr is where `newsgraph serve` listens unless told otherwise; it
// is also the API base the bundled UI was built with.
const DefaultAddr = "127.0.0.1:64210"

// ServeOptions configure the HTTP handler.
type ServeOptions struct {
	// Writable turns on Cayley's write and delete API.
	Writable bool
	// AuthToken, when set, must be sent as "Authorization: Bearer TOKEN"
	// on every write.
	AuthToken string
	// Timeout stops a query that runs longer; 0 means 30s.
	Timeout time.Duration
	// Limit caps the results of a query; 0 means 1000.
	Limit int
	// MaxBody caps a request body in bytes; 0 means 16 MiB.
	MaxBody int64
	// UIAssets is a directory holding the UI's editor (monaco-editor) and
	// icon font (material-icons), as `make ui-assets` installs them from
	// npm: DIR/node_modules/monaco-editor, DIR/node_modules/material-icons.
	// They are served under /vendor/ and the UI loads them from there
	// instead of a CDN, so it works offline. Empty or missing: the CDN.
	UIAssets string
}

// Handler returns an http.Handler that serves Cayley's web UI at / and
// Cayley's HTTP API v2 under /api/v2 on the store.
func (s *Store) Handler(opt ServeOptions) (http.Handler, error) {
	if err := s.settle(); err != nil {
		return nil, err
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.Limit <= 0 {
		opt.Limit = 1000
	}
	if opt.MaxBody <= 0 {
		opt.MaxBody = 16 << 20
	}
	w, err := graph.NewQuadWriter("single", s.qs, graph.Options{"ignore_duplicate": true, "ignore_missing": true})
	if err != nil {
		return nil, err
	}
	router := httprouter.New()
	api := cayleyhttp.NewBoundAPIv2(&graph.Handle{QuadStore: s.qs, QuadWriter: w}, router)
	api.SetReadOnly(!opt.Writable)
	api.SetQueryTimeout(opt.Timeout)
	api.SetQueryLimit(opt.Limit)

	web, err := newUI(FindUIAssets(opt.UIAssets))
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/v1/shape/", guard(opt, s.shapeHandler(opt.Timeout)))
	mux.Handle("/api/", guard(opt, router))
	mux.Handle("/", web)
	return mux, nil
}

// guard applies newsgraph's policy in front of Cayley's API: writes only
// when writable and authorised, bounded bodies, and prefixes expanded in
// queries.
func guard(opt ServeOptions, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, opt.MaxBody)
		switch r.URL.Path {
		case "/api/v2/write", "/api/v2/delete", "/api/v2/node/delete":
			if !opt.Writable {
				jsonError(w, http.StatusForbidden, "the store is served read-only (start newsgraph serve with --writable)")
				return
			}
			if opt.AuthToken != "" {
				scheme, got, _ := strings.Cut(r.Header.Get("Authorization"), " ")
				if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(got), []byte(opt.AuthToken)) != 1 {
					w.Header().Set("WWW-Authenticate", "Bearer")
					jsonError(w, http.StatusUnauthorized, "missing or wrong auth token (send Authorization: Bearer TOKEN)")
					return
				}
			}
			if !checkWriteBody(w, r) {
				return
			}
		case "/api/v2/query", "/api/v1/shape/" + path.Base(r.URL.Path):
			if r.Method == http.MethodPost {
				body, err := io.ReadAll(r.Body)
				if err != nil {
					jsonError(w, http.StatusRequestEntityTooLarge, "request body too large")
					return
				}
				if !checkQueryHTTP(w, string(body)) {
					return
				}
				body = []byte(schema.ExpandIRIs(string(body)))
				r.Body = io.NopCloser(bytes.NewReader(body))
				r.ContentLength = int64(len(body))
			} else if q := r.URL.Query(); q.Get("qu") != "" {
				if !checkQueryHTTP(w, q.Get("qu")) {
					return
				}
				q.Set("qu", schema.ExpandIRIs(q.Get("qu")))
				r.URL.RawQuery = q.Encode()
			}
		}
		next.ServeHTTP(w, r)
	})
}

// uiAPIBase is the API base compiled into the UI's JavaScript.
const uiAPIBase = `"http://localhost:64210"`

// newUI serves Cayley's bundled web UI. Its scripts call the API at a
// hard-coded http://localhost:64210, which breaks on any other address or
// when opened as 127.0.0.1; the scripts are served with that base made
// relative, so the UI talks to whichever server served it. With local
// assets (see UIAssets), the editor and icon font come from /vendor/.
func newUI(assets UIAssets) (http.Handler, error) {
	web, err := fs.Sub(ui.FS, "web")
	if err != nil {
		return nil, err
	}
	patched := map[string][]byte{}
	err = fs.WalkDir(web, "static/js", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") {
			return err
		}
		b, err := fs.ReadFile(web, p)
		if err != nil {
			return err
		}
		if nb := assets.patch(bytes.ReplaceAll(b, []byte(uiAPIBase), []byte(`""`))); !bytes.Equal(nb, b) {
			patched["/"+p] = nb
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	css, err := assets.patchCSS(web)
	if err != nil {
		return nil, err
	}
	files := http.FileServer(http.FS(web))
	mux := http.NewServeMux()
	assets.mount(mux)
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b, ok := patched[path.Clean(r.URL.Path)]; ok {
			w.Header().Set("Content-Type", "application/javascript; charset=utf-8")
			w.Write(b)
			return
		}
		if b, ok := css[path.Clean(r.URL.Path)]; ok {
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
			w.Write(b)
			return
		}
		files.ServeHTTP(w, r)
	}))
	return mux, nil
}

// jsonError answers with Cayley's error shape: {"error": "..."}.
func jsonError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
