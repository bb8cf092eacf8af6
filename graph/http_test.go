package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/cayley/ui"
	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

// serve serves the store with opt for the length of the test.
func serve(t *testing.T, s *Store, opt ServeOptions) *httptest.Server {
	t.Helper()
	h, err := s.Handler(opt)
	if err != nil {
		t.Fatalf("Handler: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

var httpClient = &http.Client{Timeout: 20 * time.Second}

type response struct {
	code   int
	header http.Header
	body   []byte
}

func do(t *testing.T, method, u string, header map[string]string, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, u, err)
	}
	return response{resp.StatusCode, resp.Header, b}
}

func get(t *testing.T, u string) response { return do(t, http.MethodGet, u, nil, "") }

// queryResult decodes an API v2 query response.
func queryResult(t *testing.T, r response) []interface{} {
	t.Helper()
	var v struct {
		Result []interface{} `json:"result"`
		Error  string        `json:"error"`
	}
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("query response is not JSON: %v\n%.300s", err, r.body)
	}
	if v.Error != "" {
		t.Fatalf("query failed: %s", v.Error)
	}
	return v.Result
}

func TestHTTPUI(t *testing.T) {
	s, _ := seedStore(t)
	srv := serve(t, s, ServeOptions{})

	r := get(t, srv.URL+"/")
	if r.code != http.StatusOK {
		t.Fatalf("GET / = %d", r.code)
	}
	if !bytes.Contains(r.body, []byte("<html")) || !bytes.Contains(r.body, []byte(`<div id="root">`)) {
		t.Errorf("GET / is not the UI's index.html: %.300s", r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("GET / Content-Type = %q", ct)
	}

	// every script index.html and the asset manifest name
	scripts := map[string]bool{}
	for _, m := range regexp.MustCompile(`src="(/static/js/[^"]+\.js)"`).FindAllSubmatch(r.body, -1) {
		scripts[string(m[1])] = true
	}
	mr := get(t, srv.URL+"/asset-manifest.json")
	if mr.code != http.StatusOK {
		t.Fatalf("GET /asset-manifest.json = %d", mr.code)
	}
	var manifest struct {
		Files map[string]string `json:"files"`
	}
	if err := json.Unmarshal(mr.body, &manifest); err != nil {
		t.Fatalf("asset manifest: %v", err)
	}
	for _, p := range manifest.Files {
		if strings.HasSuffix(p, ".js") && strings.HasPrefix(p, "/static/js/") {
			scripts[p] = true
		}
	}
	// and every script bundled, in case the two lists miss one
	web, err := fs.Sub(ui.FS, "web")
	if err != nil {
		t.Fatal(err)
	}
	fs.WalkDir(web, "static/js", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".js") {
			scripts["/"+p] = true
		}
		return nil
	})
	if len(scripts) == 0 {
		t.Fatal("found no UI scripts")
	}
	names := make([]string, 0, len(scripts))
	for p := range scripts {
		names = append(names, p)
	}
	sort.Strings(names)

	patched := 0
	for _, p := range names {
		orig, err := fs.ReadFile(web, strings.TrimPrefix(p, "/"))
		if err != nil {
			t.Errorf("%s is listed but not bundled: %v", p, err)
			continue
		}
		// the same script by another spelling of its path is patched too
		for _, u := range []string{p, strings.Replace(p, "/static/", "/static/./", 1), strings.Replace(p, "/js/", "//js/", 1)} {
			r := get(t, srv.URL+u)
			if r.code != http.StatusOK {
				t.Errorf("GET %s = %d", u, r.code)
				continue
			}
			if bytes.Contains(r.body, []byte("http://localhost:64210")) {
				t.Errorf("GET %s still holds the API base http://localhost:64210", u)
			}
			if want := bytes.ReplaceAll(orig, []byte(uiAPIBase), []byte(`""`)); !bytes.Equal(r.body, want) {
				t.Errorf("GET %s: served %d bytes, want the bundled script (%d bytes) with only the API base changed", u, len(r.body), len(want))
			}
			if ct := r.header.Get("Content-Type"); !strings.Contains(ct, "javascript") {
				t.Errorf("GET %s Content-Type = %q", u, ct)
			}
		}
		if bytes.Contains(orig, []byte("localhost:64210")) {
			patched++
		}
	}
	if patched == 0 {
		t.Errorf("no bundled script held the API base: the test proves nothing (scripts %v)", names)
	}
}

func TestHTTPQuery(t *testing.T) {
	s, _ := seedStore(t)
	srv := serve(t, s, ServeOptions{})
	api := srv.URL + "/api/v2/query"
	tests := []struct {
		name, method, lang, query string
		want                      []string
	}{
		{"gizmo POST, compact IRIs", http.MethodPost, "gizmo", invitedCountries,
			[]string{"Pakistan", "United Arab Emirates"}},
		{"gizmo GET, compact IRIs", http.MethodGet, "gizmo", invitedCountries,
			[]string{"Pakistan", "United Arab Emirates"}},
		{"gizmo POST, invitees' IRIs", http.MethodPost, "gizmo",
			`g.V().has("<rdf:type>", "<ng:Country>").tag("c").out("<ng:invitedTo>").back("c").all()`,
			[]string{"<" + string(pakistan) + ">", "<" + string(schema.EntityIRI(schema.Country, "United Arab Emirates")) + ">"}},
		{"graphql POST", http.MethodPost, "graphql",
			`{ nodes(<rdf:type>: <ng:Country>) { id <schema:name> } }`,
			[]string{"Pakistan", "United Arab Emirates"}},
		{"mql POST", http.MethodPost, "mql",
			`[{"id": null, "<rdf:type>": "<ng:Country>", "<schema:name>": null}]`,
			[]string{"Pakistan", "United Arab Emirates"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r response
			if tc.method == http.MethodGet {
				r = get(t, api+"?lang="+tc.lang+"&qu="+url.QueryEscape(tc.query))
			} else {
				r = do(t, http.MethodPost, api+"?lang="+tc.lang, nil, tc.query)
			}
			if r.code != http.StatusOK {
				t.Fatalf("status %d: %s", r.code, r.body)
			}
			var got []string
			if tc.lang == "graphql" {
				// GraphQL answers {"data": ...}, not {"result": ...}
				var v interface{}
				if err := json.Unmarshal(r.body, &v); err != nil {
					t.Fatalf("not JSON: %v", err)
				}
				got = resultStrings([]interface{}{v})
			} else {
				got = resultStrings(queryResult(t, r))
			}
			for _, w := range tc.want {
				if !containsAll(got, w) {
					t.Errorf("results lack %q: %v", w, got)
				}
			}
		})
	}
}

func TestHTTPQueryErrors(t *testing.T) {
	s, _ := seedStore(t)
	srv := serve(t, s, ServeOptions{Timeout: 200 * time.Millisecond, MaxBody: 4096})
	api := srv.URL + "/api/v2/query"
	tests := []struct {
		name, method, params, body string
		// wantCode is the exact status wanted; 0 means any 4xx
		wantCode int
		// graphQL: GraphQL over HTTP answers 200 with {"errors": [...]}
		graphQL bool
	}{
		{name: "unknown language", method: http.MethodPost, params: "?lang=sparql", body: "SELECT * WHERE {}"},
		{name: "no language", method: http.MethodPost, params: "", body: invitedCountries},
		{name: "gizmo syntax error", method: http.MethodPost, params: "?lang=gizmo", body: `g.V(.all(`},
		{name: "gizmo syntax error by GET", method: http.MethodGet, params: "?lang=gizmo&qu=" + url.QueryEscape(`g.V(.all(`)},
		{name: "gizmo unknown step", method: http.MethodPost, params: "?lang=gizmo", body: `g.V().nosuchstep()`},
		{name: "gizmo throws", method: http.MethodPost, params: "?lang=gizmo", body: `throw new Error("boom")`},
		{name: "graphql syntax error", method: http.MethodPost, params: "?lang=graphql", body: `{ nodes( `, graphQL: true},
		{name: "mql syntax error", method: http.MethodPost, params: "?lang=mql", body: `[{"id": `},
		{name: "empty query", method: http.MethodPost, params: "?lang=gizmo", body: ""},
		{name: "endless query times out", method: http.MethodPost, params: "?lang=gizmo", body: `while (true) {}`},
		{name: "body too large", method: http.MethodPost, params: "?lang=gizmo",
			body: `g.V("` + strings.Repeat("x", 8192) + `").all()`, wantCode: http.StatusRequestEntityTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, tc.method, api+tc.params, nil, tc.body)
			if r.code >= 500 {
				t.Fatalf("status %d (a server error) for a bad query: %s", r.code, r.body)
			}
			t.Logf("status %d: %.200s", r.code, r.body)
			if tc.wantCode != 0 && r.code != tc.wantCode {
				t.Fatalf("status %d, want %d: %s", r.code, tc.wantCode, r.body)
			}
			var v map[string]interface{}
			if err := json.Unmarshal(r.body, &v); err != nil {
				t.Fatalf("error response is not JSON: %v: %s", err, r.body)
			}
			if tc.graphQL && r.code == http.StatusOK {
				if errs, _ := v["errors"].([]interface{}); len(errs) == 0 {
					t.Errorf("GraphQL answered 200 without errors: %s", r.body)
				}
				return
			}
			if r.code < 400 || r.code >= 500 {
				t.Fatalf("status %d, want a 4xx: %s", r.code, r.body)
			}
			if msg, _ := v["error"].(string); msg == "" {
				t.Errorf("error response has no \"error\" message: %s", r.body)
			}
		})
	}
}

func TestHTTPLimit(t *testing.T) {
	s, _ := seedStore(t)
	srv := serve(t, s, ServeOptions{Limit: 2})
	r := do(t, http.MethodPost, srv.URL+"/api/v2/query?lang=gizmo", nil, invitedCountries)
	if r.code != http.StatusOK {
		t.Fatalf("status %d: %s", r.code, r.body)
	}
	if res := queryResult(t, r); len(res) != 2 {
		t.Errorf("query with a limit of 2 returned %d results: %v", len(res), res)
	}
}

// newQuad is the quad the write tests send.
var newQuad = quad.Quad{
	Subject:   schema.EntityIRI(schema.Country, "Oman"),
	Predicate: schema.MetWith.IRI(),
	Object:    pakistan,
	Label:     schema.ArticleIRI("http-test"),
}

func hasQuad(t *testing.T, s *Store, q quad.Quad) bool {
	t.Helper()
	want := NQuad(q)
	for _, l := range contents(t, s) {
		if l == want {
			return true
		}
	}
	return false
}

func TestHTTPReadOnly(t *testing.T) {
	s, _ := seedStore(t)
	before := contents(t, s)
	srv := serve(t, s, ServeOptions{AuthToken: "secret"})
	body := NQuad(newQuad) + "\n"
	oldQuad := NQuad(quad.Quad{Subject: pakistan, Predicate: schema.Name, Object: quad.String("Pakistan"), Label: nil})
	tests := []struct {
		name, path, body string
		auth             string
		wantCode         int // 0: any status that is not a success
	}{
		{"write", "/api/v2/write", body, "", http.StatusForbidden},
		{"write with the token", "/api/v2/write", body, "Bearer secret", http.StatusForbidden},
		{"delete", "/api/v2/delete", oldQuad + "\n", "", http.StatusForbidden},
		{"node delete", "/api/v2/node/delete", `"Pakistan"`, "", http.StatusForbidden},
		// other spellings of the write path must not get around the guard
		{"write, trailing slash", "/api/v2/write/", body, "", 0},
		{"write, double slash", "/api/v2//write", body, "", 0},
		{"write, dot segment", "/api/v2/./write", body, "", 0},
		{"write, upper case", "/api/v2/WRITE", body, "", 0},
		{"write, escaped", "/api/v2/%77rite", body, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			if tc.auth != "" {
				h["Authorization"] = tc.auth
			}
			r := do(t, http.MethodPost, srv.URL+tc.path, h, tc.body)
			if tc.wantCode != 0 && r.code != tc.wantCode {
				t.Errorf("status %d, want %d: %s", r.code, tc.wantCode, r.body)
			}
			if r.code >= 200 && r.code < 300 {
				t.Errorf("status %d: a read-only server accepted a write: %s", r.code, r.body)
			}
			sameLines(t, "store after a refused write", contents(t, s), before)
		})
	}
}

func TestHTTPWritable(t *testing.T) {
	tests := []struct {
		name     string
		token    string // the server's
		auth     string // the request's Authorization header
		wantCode int
	}{
		{"no token configured", "", "", http.StatusOK},
		{"token, none sent", "secret", "", http.StatusUnauthorized},
		{"token, wrong one", "secret", "Bearer wrong", http.StatusUnauthorized},
		{"token, prefix of it", "secret", "Bearer secre", http.StatusUnauthorized},
		{"token, longer", "secret", "Bearer secret2", http.StatusUnauthorized},
		{"token, other scheme", "secret", "Basic secret", http.StatusUnauthorized},
		{"token, empty bearer", "secret", "Bearer ", http.StatusUnauthorized},
		{"token, right one", "secret", "Bearer secret", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t, "bolt")
			writeOK(t, s, artA, articleA1())
			before := contents(t, s)
			srv := serve(t, s, ServeOptions{Writable: true, AuthToken: tc.token})
			h := map[string]string{}
			if tc.auth != "" {
				h["Authorization"] = tc.auth
			}
			r := do(t, http.MethodPost, srv.URL+"/api/v2/write", h, NQuad(newQuad)+"\n")
			if r.code != tc.wantCode {
				t.Fatalf("write: status %d, want %d: %s", r.code, tc.wantCode, r.body)
			}
			if tc.wantCode != http.StatusOK {
				sameLines(t, "store after an unauthorised write", contents(t, s), before)
				// nor may it delete
				d := do(t, http.MethodPost, srv.URL+"/api/v2/delete", h, before[0]+"\n")
				if d.code != http.StatusUnauthorized {
					t.Errorf("delete: status %d, want 401: %s", d.code, d.body)
				}
				sameLines(t, "store after an unauthorised delete", contents(t, s), before)
				return
			}
			if !hasQuad(t, s, newQuad) {
				t.Errorf("written quad not in the store")
			}
			if got, want := len(contents(t, s)), len(before)+1; got != want {
				t.Errorf("store holds %d quads after the write, want %d", got, want)
			}
			// and it reads back through the query API
			q := do(t, http.MethodPost, srv.URL+"/api/v2/query?lang=gizmo", nil,
				`g.V("<ngid:country/Oman>").out("<ng:metWith>").all()`)
			if q.code != http.StatusOK || !containsAll(resultStrings(queryResult(t, q)), "<"+string(pakistan)+">") {
				t.Errorf("written fact not found by a query: %d %s", q.code, q.body)
			}
			// delete takes it away again
			d := do(t, http.MethodPost, srv.URL+"/api/v2/delete", h, NQuad(newQuad)+"\n")
			if d.code != http.StatusOK {
				t.Fatalf("delete: status %d: %s", d.code, d.body)
			}
			sameLines(t, "store after deleting the written quad", contents(t, s), before)
		})
	}
}

func TestHTTPQueryCancelledWithRequest(t *testing.T) {
	// a client that gives up on an endless query must not leave it running
	// forever; at least the server must keep answering others
	s, _ := seedStore(t)
	srv := serve(t, s, ServeOptions{Timeout: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/api/v2/query?lang=gizmo", strings.NewReader(`while (true) {}`))
	if resp, err := httpClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("an endless query answered %d", resp.StatusCode)
	}
	r := do(t, http.MethodPost, srv.URL+"/api/v2/query?lang=gizmo", nil, invitedCountries)
	if r.code != http.StatusOK {
		t.Errorf("server does not answer after a cancelled query: %d %s", r.code, r.body)
	}
}
