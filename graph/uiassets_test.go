package graph

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeAssets lays out what `make ui-assets` installs, with stand-in files.
func fakeAssets(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for p, body := range map[string]string{
		"node_modules/monaco-editor/min/vs/loader.js":             "/* loader */",
		"node_modules/monaco-editor/min/vs/editor/editor.main.js": "/* editor */",
		"node_modules/material-icons/iconfont/material-icons.css": "@font-face{}",
	} {
		f := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(f), 0o755)
		if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestHTTPUIAssets(t *testing.T) {
	s, _ := seedStore(t)
	const js = "/static/js/2.7d84b3fa.chunk.js"

	// without local assets the UI keeps its CDN addresses
	srv := serve(t, s, ServeOptions{UIAssets: t.TempDir()})
	if b := get(t, srv.URL+js).body; !strings.Contains(string(b), monacoCDN) {
		t.Fatalf("without assets, the UI lost its CDN editor address")
	}
	if r := get(t, srv.URL+"/vendor/monaco-editor/min/vs/loader.js"); r.code != http.StatusNotFound {
		t.Errorf("without assets, /vendor/ answers %d", r.code)
	}

	dir := fakeAssets(t)
	srv = serve(t, s, ServeOptions{UIAssets: dir})
	b := string(get(t, srv.URL+js).body)
	if strings.Contains(b, "cdn.jsdelivr.net") || !strings.Contains(b, `monacoLoader:"/vendor/monaco-editor/min/vs/loader.js"`) {
		t.Errorf("with assets, the UI does not load the editor from /vendor/")
	}
	if strings.Contains(b, uiAPIBase) {
		t.Errorf("the API base patch is lost")
	}
	if r := get(t, srv.URL+"/vendor/monaco-editor/min/vs/loader.js"); r.code != 200 || string(r.body) != "/* loader */" {
		t.Errorf("GET loader.js: %d %q", r.code, r.body)
	}
	if r := get(t, srv.URL+"/vendor/monaco-editor/min/vs/"); r.code != http.StatusNotFound {
		t.Errorf("a directory of the assets is listed: %d", r.code)
	}
	if r := get(t, srv.URL+"/vendor/monaco-editor/../../../etc/passwd"); r.code == 200 && strings.Contains(string(r.body), "root:") {
		t.Errorf("the assets handler serves files outside its directory")
	}
	css := ""
	for _, p := range []string{"/static/css/main.72fe53e6.chunk.css"} {
		css = string(get(t, srv.URL+p).body)
	}
	if strings.Contains(css, "fonts.googleapis.com") || !strings.Contains(css, iconsLocal) {
		t.Errorf("with assets, the UI's CSS still imports the icon font from Google")
	}
	if r := get(t, srv.URL+"/vendor/material-icons/iconfont/material-icons.css"); r.code != 200 {
		t.Errorf("GET material-icons.css: %d", r.code)
	}
	// FindUIAssets also takes the package directory itself
	if a := FindUIAssets(filepath.Join(dir, "node_modules", "monaco-editor")); a.Monaco == "" {
		t.Error("FindUIAssets does not take monaco-editor's own directory")
	}
}

func TestHTTPShape(t *testing.T) {
	s, _ := seedStore(t)
	srv := serve(t, s, ServeOptions{})
	r := do(t, http.MethodPost, srv.URL+"/api/v1/shape/gizmo", nil,
		`g.V("Pakistan").in("<schema:name>").out("<ng:invitedTo>").tag("event").all()`)
	if r.code != 200 {
		t.Fatalf("shape: %d %s", r.code, r.body)
	}
	var out struct {
		Shapes []map[string]interface{} `json:"shapes"`
	}
	if err := json.Unmarshal(r.body, &out); err != nil || len(out.Shapes) != 1 {
		t.Fatalf("shape answer %s: %v", r.body, err)
	}
	body := string(r.body)
	for _, want := range []string{`"type":"Save"`, `"type":"NodesFrom"`, `"Tags":["event"]`, `<https://newsgraph.dev/ns#invitedTo>`, `"\"Pakistan\""`} {
		if !strings.Contains(body, want) {
			t.Errorf("shape lacks %s: %s", want, body)
		}
	}
	r = do(t, http.MethodPost, srv.URL+"/api/v1/shape/graphql", nil, `{ nodes(<schema:name>: "Pakistan") { id } }`)
	if r.code != 200 || !strings.Contains(string(r.body), "http://schema.org/name") {
		t.Errorf("graphql shape: %d %s", r.code, r.body)
	}
	// a script with two queries has two shapes
	r = do(t, http.MethodPost, srv.URL+"/api/v1/shape/gizmo", nil, `g.V("Iran").all(); g.V("Qatar").in("<schema:name>").all()`)
	if err := json.Unmarshal(r.body, &out); err != nil || len(out.Shapes) != 2 {
		t.Errorf("two queries: %s", r.body)
	}
	for _, tc := range []struct {
		method, path, body string
		code               int
	}{
		{http.MethodPost, "/api/v1/shape/klingon", "x", http.StatusBadRequest},
		{http.MethodPost, "/api/v1/shape/gizmo", "g.V(", http.StatusBadRequest},
		{http.MethodGet, "/api/v1/shape/gizmo", "", http.StatusMethodNotAllowed},
	} {
		r := do(t, tc.method, srv.URL+tc.path, nil, tc.body)
		if r.code != tc.code || !strings.Contains(string(r.body), `"error"`) {
			t.Errorf("%s %s: %d %s, want %d and a JSON error", tc.method, tc.path, r.code, r.body, tc.code)
		}
	}
}
