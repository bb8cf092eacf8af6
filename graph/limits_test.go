package graph

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
)

func TestCheckQuery(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("(", n) + strings.Repeat(")", n) }
	tests := []struct {
		name, src string
		want      error
	}{
		{"empty", "", nil},
		{"a real query", invitedCountries, nil},
		{"deepest allowed", deep(MaxQueryDepth), nil},
		{"one too deep", deep(MaxQueryDepth + 1), ErrQueryTooDeep},
		{"mixed brackets", strings.Repeat("[{(", MaxQueryDepth/3+1), ErrQueryTooDeep},
		{"closing brackets do not count", strings.Repeat(")", 10000), nil},
		{"brackets in double quotes", `g.V("` + strings.Repeat("(", 1000) + `").all()`, nil},
		{"brackets in single quotes", `g.V('` + strings.Repeat("[", 1000) + `').all()`, nil},
		{"escaped quote inside a string", `g.V("\"` + strings.Repeat("(", 1000) + `").all()`, nil},
		{"a string ends at its line", "// it's\n" + strings.Repeat("(", MaxQueryDepth+1), ErrQueryTooDeep},
		{"brackets in a template literal count", "`${" + strings.Repeat("(", MaxQueryDepth+1) + "}`", ErrQueryTooDeep},
		{"largest allowed", strings.Repeat(" ", MaxQuerySize), nil},
		{"one byte too large", strings.Repeat(" ", MaxQuerySize+1), ErrQueryTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckQuery(tc.src)
			if tc.want == nil && err != nil {
				t.Errorf("CheckQuery: %v, want nil", err)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("CheckQuery: %v, want %v", err, tc.want)
			}
		})
	}
}

// A query nested deeply enough to overflow the parser's stack used to
// kill the whole process (a fatal error, which no recover catches): it is
// refused before it is parsed, by the HTTP API and by Store.Query.
func TestDeepQueryRefused(t *testing.T) {
	s, _ := seedStore(t)
	srv := serve(t, s, ServeOptions{})
	deep := strings.Repeat("(", 300000)
	for _, lang := range []string{"gizmo", "graphql", "mql"} {
		r := do(t, http.MethodPost, srv.URL+"/api/v2/query?lang="+lang, nil, deep)
		if r.code != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: POST of 300000 parentheses: %d %s", lang, r.code, r.body)
		}
		r = do(t, http.MethodPost, srv.URL+"/api/v2/query?lang="+lang, nil, deep[:MaxQuerySize])
		if r.code != http.StatusBadRequest || !strings.Contains(string(r.body), "nested too deeply") {
			t.Errorf("%s: POST of %d parentheses: %d %s", lang, MaxQuerySize, r.code, r.body)
		}
		r = get(t, srv.URL+"/api/v2/query?lang="+lang+"&qu="+url.QueryEscape(deep[:MaxQuerySize]))
		if r.code != http.StatusBadRequest {
			t.Errorf("%s: GET of %d parentheses: %d %s", lang, MaxQuerySize, r.code, r.body)
		}
	}
	r := do(t, http.MethodPost, srv.URL+"/api/v1/shape/gizmo", nil, deep[:MaxQuerySize])
	if r.code != http.StatusBadRequest {
		t.Errorf("shape of %d parentheses: %d %s", MaxQuerySize, r.code, r.body)
	}
	// the server is alive and well
	if r := do(t, http.MethodPost, srv.URL+"/api/v2/query?lang=gizmo", nil, invitedCountries); r.code != http.StatusOK {
		t.Errorf("query after the deep ones: %d %s", r.code, r.body)
	}
	if _, err := s.Query(context.Background(), "gizmo", deep, QueryOptions{}); !errors.Is(err, ErrQueryTooLarge) {
		t.Errorf("Store.Query of 300000 parentheses: %v", err)
	}
	if _, err := s.Query(context.Background(), "gizmo", deep[:MaxQuerySize], QueryOptions{}); !errors.Is(err, ErrQueryTooDeep) {
		t.Errorf("Store.Query of %d parentheses: %v", MaxQuerySize, err)
	}
}

// A write larger than MaxBody is a 413, however it is sent; Cayley's own
// write API answered 500 (it read the cut body as broken N-Quads).
func TestHTTPWriteTooLarge(t *testing.T) {
	s := openTest(t, "bolt")
	writeOK(t, s, artA, articleA1())
	before := contents(t, s)
	srv := serve(t, s, ServeOptions{Writable: true, AuthToken: "tok", MaxBody: 1024})
	body := strings.Repeat(NQuad(newQuad)+"\n", 1024/len(NQuad(newQuad))+1)
	for _, chunked := range []bool{false, true} {
		for _, path := range []string{"/api/v2/write", "/api/v2/delete"} {
			var rd io.Reader = strings.NewReader(body)
			if chunked {
				rd = io.MultiReader(rd) // hides the length: sent chunked
			}
			req, err := http.NewRequest(http.MethodPost, srv.URL+path, rd)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer tok")
			resp, err := httpClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), "--max-body") {
				t.Errorf("POST %s of %d bytes (chunked %v) over a 1024-byte limit: %d %s", path, len(body), chunked, resp.StatusCode, b)
			}
		}
	}
	sameLines(t, "store after writes too large", contents(t, s), before)
	// a write within the limit still works
	if r := do(t, http.MethodPost, srv.URL+"/api/v2/write", map[string]string{"Authorization": "Bearer tok"}, NQuad(newQuad)+"\n"); r.code != http.StatusOK {
		t.Errorf("a small write: %d %s", r.code, r.body)
	}
}

func TestNQuadsReaderDoesNotPanic(t *testing.T) {
	in := "<http://a> <http://b> \"ok\" .\n<http://a> <http://b> \"x\\UFFFFFFFF\" .\n<http://a> <http://b> \"after\" .\n"
	r := NewNQuadsReader(strings.NewReader(in))
	defer r.Close()
	if q, err := r.ReadQuad(); err != nil || q.Object != quad.String("ok") {
		t.Fatalf("first quad: %v, %v", q, err)
	}
	_, err := r.ReadQuad()
	if err == nil || !strings.Contains(err.Error(), "invalid N-Quads") {
		t.Fatalf("a \\U escape out of range: err = %v, want invalid N-Quads", err)
	}
	if _, err2 := r.ReadQuad(); err2 != err {
		t.Errorf("read after the error: %v, want the same error", err2)
	}
}

// Bad N-Quads sent to the write API are a 400 naming the quad, not a 500,
// nor a connection dropped by a panic in Cayley's parser.
func TestHTTPWriteBadNQuads(t *testing.T) {
	s := openTest(t, "bolt")
	writeOK(t, s, artA, articleA1())
	before := contents(t, s)
	srv := serve(t, s, ServeOptions{Writable: true, AuthToken: "tok"})
	good := NQuad(newQuad) + "\n"
	gz := func(s string) string {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.String()
	}
	tests := []struct {
		name, path, body, encoding string
		want                       []string
	}{
		{"escape beyond 32 bits", "/api/v2/write", good + "<http://a> <http://b> \"x\\UFFFFFFFF\" .\n", "", []string{"quad 2", "invalid N-Quads"}},
		{"not N-Quads", "/api/v2/write", good + "this is not a quad\n", "", []string{"quad 2"}},
		{"cut short", "/api/v2/write", good + "<http://a> <http://b> \"unterminated", "", []string{"quad 2"}},
		{"gzip of bad N-Quads", "/api/v2/write", gz(good + "<http://a> <http://b> \"x\\UFFFFFFFF\" .\n"), "gzip", []string{"quad 2"}},
		{"not gzip", "/api/v2/write", good, "gzip", []string{"request body"}},
		{"delete of bad N-Quads", "/api/v2/delete", "<http://a> <http://b> \"x\\UFFFFFFFF\" .\n", "", []string{"quad 1"}},
		// Cayley's delete reads its body as it comes, gzip or not
		{"gzipped delete", "/api/v2/delete", gz(good), "gzip", []string{"quad 1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{"Authorization": "Bearer tok"}
			if tc.encoding != "" {
				h["Content-Encoding"] = tc.encoding
			}
			r := do(t, http.MethodPost, srv.URL+tc.path, h, tc.body)
			if r.code != http.StatusBadRequest {
				t.Errorf("status %d, want 400: %s", r.code, r.body)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(r.body), w) {
					t.Errorf("answer %s does not say %q", r.body, w)
				}
			}
			sameLines(t, "store after a bad write", contents(t, s), before)
		})
	}
	// good N-Quads, plain and gzipped, and other formats pass
	h := map[string]string{"Authorization": "Bearer tok"}
	hz := map[string]string{"Authorization": "Bearer tok", "Content-Encoding": "gzip"}
	if r := do(t, http.MethodPost, srv.URL+"/api/v2/write", hz, gz(good)); r.code != http.StatusOK {
		t.Errorf("a good gzipped write: %d %s", r.code, r.body)
	}
	if r := do(t, http.MethodPost, srv.URL+"/api/v2/delete", h, good); r.code != http.StatusOK {
		t.Errorf("a good delete: %d %s", r.code, r.body)
	}
	sameLines(t, "store after a write and its delete", contents(t, s), before)
	h["Content-Type"] = "application/ld+json"
	if r := do(t, http.MethodPost, srv.URL+"/api/v2/write", h, `[]`); r.code >= 500 || r.code == http.StatusBadRequest && strings.Contains(string(r.body), "quad ") {
		t.Errorf("a JSON-LD write was checked as N-Quads: %d %s", r.code, r.body)
	}
}
