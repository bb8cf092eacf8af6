package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/graph"
)

// startServeWith is startServe with more environment variables; it waits
// until the server answers.
func (c *cli) startServeWith(env []string, args ...string) *serveProc {
	c.t.Helper()
	if runtime.GOOS == "windows" {
		c.t.Skip("needs SIGTERM")
	}
	cmd := exec.Command(binary, append([]string{"serve"}, args...)...)
	cmd.Dir = c.dir
	cmd.Env = append(testEnv(), env...)
	pr, err := cmd.StderrPipe()
	if err != nil {
		c.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	p := &serveProc{cmd: cmd, stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	lines := make(chan string, 1)
	var mu sync.Mutex
	go func() {
		br := bufio.NewReader(pr)
		first, _ := br.ReadString('\n')
		mu.Lock()
		p.stderr.WriteString(first)
		mu.Unlock()
		lines <- first
		rest, _ := io.ReadAll(br)
		mu.Lock()
		p.stderr.Write(rest)
		mu.Unlock()
		p.done <- cmd.Wait()
	}()
	c.t.Cleanup(func() { p.stop(c.t) })
	var line string
	select {
	case line = <-lines:
	case <-time.After(30 * time.Second):
		c.t.Fatalf("serve printed nothing within 30s")
	}
	m := regexp.MustCompile(`at http://([^/]+)/`).FindStringSubmatch(line)
	if m == nil {
		c.t.Fatalf("serve did not say where it listens: %q", line)
	}
	p.addr = m[1]
	for i := 0; ; i++ {
		resp, err := http.Get("http://" + p.addr + "/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if i == 100 {
			c.t.Fatalf("serve at %s does not answer GET /: %v", p.addr, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return p
}

// alive checks that the server process runs and answers a query.
func (p *serveProc) alive(t *testing.T, what string) {
	t.Helper()
	select {
	case err := <-p.done:
		p.done <- err
		t.Fatalf("serve exited after %s: %v\n%s", what, err, p.stderr.String())
	default:
	}
	r := httpDo(t, http.MethodPost, "http://"+p.addr+"/api/v2/query?lang=gizmo", nil, `g.V().limit(1).all()`)
	if r.code != http.StatusOK {
		t.Fatalf("serve does not answer a query after %s: %d %s", what, r.code, r.body)
	}
}

type httpResult struct {
	code int
	body []byte
	err  error
}

var testClient = &http.Client{Timeout: 60 * time.Second}

func httpTry(method, u string, header map[string]string, body string) httpResult {
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		return httpResult{err: err}
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := testClient.Do(req)
	if err != nil {
		return httpResult{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return httpResult{code: resp.StatusCode, body: b, err: err}
}

func httpDo(t *testing.T, method, u string, header map[string]string, body string) httpResult {
	t.Helper()
	r := httpTry(method, u, header, body)
	if r.err != nil {
		t.Fatalf("%s %s: %v", method, u, r.err)
	}
	return r
}

// errorMessage returns the "error" of a JSON error response.
func errorMessage(body []byte) string {
	var v struct {
		Error string `json:"error"`
	}
	json.Unmarshal(body, &v)
	return v.Error
}

const oneQuad = "<http://example.com/s> <http://example.com/p> <http://example.com/o> <http://example.com/l> .\n"

func TestServeDefaultsLoopbackReadOnly(t *testing.T) {
	host, _, err := net.SplitHostPort(graph.DefaultAddr)
	if err != nil || !net.ParseIP(host).IsLoopback() {
		t.Errorf("the default address %s is not a loopback address", graph.DefaultAddr)
	}
	c := newCLI(t)
	r := c.ok("serve", "--help")
	mustContain(t, "serve --help", r.stdout+r.stderr, `--addr string`, `(default "`+graph.DefaultAddr+`")`)
	c.ingestSeed()
	before := c.export()

	// with no flags at all: the default address, read-only
	ln, err := net.Listen("tcp", graph.DefaultAddr)
	if err != nil {
		t.Logf("the default address %s is taken (%v): serving on a free loopback port", graph.DefaultAddr, err)
		ln = nil
	} else {
		ln.Close()
	}
	var p *serveProc
	if ln != nil {
		p = c.startServeWith(nil)
		if p.addr != graph.DefaultAddr {
			t.Errorf("serve with no flags listens on %s, want %s", p.addr, graph.DefaultAddr)
		}
	} else {
		p = c.startServeWith(nil, "--addr", "127.0.0.1:0")
	}
	mustContain(t, "serve's banner", p.stderr.String(), "(read-only)")
	for _, tc := range []struct{ path, body string }{
		{"/api/v2/write", oneQuad},
		{"/api/v2/delete", oneQuad},
		{"/api/v2/node/delete", `"Pakistan"`},
	} {
		// a token does not open a read-only server
		for _, h := range []map[string]string{nil, {"Authorization": "Bearer anything"}} {
			r := httpDo(t, http.MethodPost, "http://"+p.addr+tc.path, h, tc.body)
			if r.code != http.StatusForbidden || !strings.Contains(errorMessage(r.body), "read-only") {
				t.Errorf("POST %s to a read-only server: %d %s", tc.path, r.code, r.body)
			}
		}
	}
	p.alive(t, "refused writes")
	if err := p.stop(t); err != nil {
		t.Errorf("serve: %v", err)
	}
	sameExport(t, "store after refused writes", c.export(), before)
}

func TestServeWriteNeedsToken(t *testing.T) {
	c := newCLI(t)
	c.ingestSeed()
	before := c.export()

	// --writable alone is refused: a write API without a token is open to
	// every local user and every page a browser has open
	r := c.run("serve", "--addr", "127.0.0.1:0", "--writable")
	if r.code != 2 || !strings.Contains(r.stderr, "--auth-token") {
		t.Errorf("serve --writable without a token: %s", r)
	}

	// the token from the environment; a flag overrides it
	for _, tc := range []struct {
		name       string
		env        []string
		args       []string
		right, bad string
	}{
		{"env", []string{"NEWSGRAPH_AUTH_TOKEN=from-env"}, nil, "from-env", "from-flag"},
		{"flag over env", []string{"NEWSGRAPH_AUTH_TOKEN=from-env"}, []string{"--auth-token", "from-flag"}, "from-flag", "from-env"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := c.startServeWith(tc.env, append([]string{"--addr", "127.0.0.1:0", "--writable"}, tc.args...)...)
			mustContain(t, "serve's banner", p.stderr.String(), "(writable)")
			u := "http://" + p.addr
			for _, auth := range []string{"", "Bearer " + tc.bad, "Bearer " + tc.right + "x", "Basic " + tc.right, tc.right, "Bearer"} {
				for _, path := range []string{"/api/v2/write", "/api/v2/delete", "/api/v2/node/delete"} {
					h := map[string]string{}
					if auth != "" {
						h["Authorization"] = auth
					}
					r := httpDo(t, http.MethodPost, u+path, h, oneQuad)
					if r.code != http.StatusUnauthorized {
						t.Errorf("POST %s with Authorization %q: %d %s, want 401", path, auth, r.code, r.body)
					}
				}
			}
			ok := map[string]string{"Authorization": "Bearer " + tc.right}
			if r := httpDo(t, http.MethodPost, u+"/api/v2/write", ok, oneQuad); r.code != http.StatusOK {
				t.Errorf("write with the token: %d %s", r.code, r.body)
			}
			if r := httpDo(t, http.MethodPost, u+"/api/v2/delete", ok, oneQuad); r.code != http.StatusOK {
				t.Errorf("delete with the token: %d %s", r.code, r.body)
			}
			if err := p.stop(t); err != nil {
				t.Errorf("serve: %v", err)
			}
			sameExport(t, "store after a write and its delete", c.export(), before)
		})
	}
}

// cpuTime returns the CPU time a process has used, from /proc.
func cpuTime(t *testing.T, pid int) time.Duration {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	// the fields after the command name, which is in parentheses
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ
}

func TestServeQueryTimeout(t *testing.T) {
	c := newCLI(t)
	c.ingestSeed()
	p := c.startServeWith(nil, "--addr", "127.0.0.1:0", "--timeout", "1s")
	u := "http://" + p.addr + "/api/v2/query?lang=gizmo"
	// endless queries, more than there are cores
	endless := []string{`while (true) {}`, `for (;;) { var x = 1 }`, `function f() { return f() } f()`, `g.V().forEach(function() { while (true) {} })`}
	var wg sync.WaitGroup
	results := make([]httpResult, len(endless))
	took := make([]time.Duration, len(endless))
	for i, q := range endless {
		wg.Add(1)
		go func(i int, q string) {
			defer wg.Done()
			start := time.Now()
			results[i] = httpTry(http.MethodPost, u, nil, q)
			took[i] = time.Since(start)
		}(i, q)
	}
	wg.Wait()
	for i, r := range results {
		if r.err != nil {
			t.Errorf("%s: %v (the server gave no answer within %v)", endless[i], r.err, testClient.Timeout)
			continue
		}
		t.Logf("%s: %d after %v: %s", endless[i], r.code, took[i].Round(time.Millisecond), bytes.TrimSpace(r.body))
		if r.code < 400 || r.code >= 500 || !strings.Contains(errorMessage(r.body), "deadline") {
			t.Errorf("%s: %d %s, want a 4xx saying the deadline passed", endless[i], r.code, r.body)
		}
	}
	p.alive(t, "endless queries")
	// the queries are stopped, not left to spin: the server uses (next to)
	// no CPU while idle
	if runtime.GOOS == "linux" {
		c0 := cpuTime(t, p.cmd.Process.Pid)
		time.Sleep(2 * time.Second)
		used := cpuTime(t, p.cmd.Process.Pid) - c0
		t.Logf("CPU used by the idle server over 2s after the timeouts: %v", used)
		if used > 500*time.Millisecond {
			t.Errorf("the server used %v of CPU in 2s after its queries timed out: they still run", used)
		}
	}
}

func TestServeLimits(t *testing.T) {
	c := newCLI(t)
	c.ingestSeed()
	p := c.startServeWith([]string{"NEWSGRAPH_AUTH_TOKEN=tok"}, "--addr", "127.0.0.1:0", "--limit", "3", "--max-body", "4096", "--writable")
	u := "http://" + p.addr
	// the result limit
	r := httpDo(t, http.MethodPost, u+"/api/v2/query?lang=gizmo", nil, `g.V().all()`)
	var res struct{ Result []interface{} }
	if err := json.Unmarshal(r.body, &res); err != nil || r.code != http.StatusOK {
		t.Fatalf("query: %d %s", r.code, r.body)
	}
	if len(res.Result) != 3 {
		t.Errorf("g.V().all() with --limit 3: %d results", len(res.Result))
	}
	// the body limit, on queries and on writes
	big := strings.Repeat(oneQuad, 4096/len(oneQuad)+1)
	for _, tc := range []struct{ path, body string }{
		{"/api/v2/query?lang=gizmo", `g.V("` + strings.Repeat("x", 5000) + `").all()`},
		{"/api/v2/write", big},
	} {
		r := httpDo(t, http.MethodPost, u+tc.path, map[string]string{"Authorization": "Bearer tok"}, tc.body)
		if r.code != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s of %d bytes with --max-body 4096: %d %s", tc.path, len(tc.body), r.code, r.body)
		}
	}
	// N-Quads that do not parse, or that Cayley's parser panics on
	for _, body := range []string{"this is not a quad\n", "<http://a> <http://b> \"x\\UFFFFFFFF\" .\n"} {
		r := httpDo(t, http.MethodPost, u+"/api/v2/write", map[string]string{"Authorization": "Bearer tok"}, body)
		if r.code != http.StatusBadRequest || !strings.Contains(errorMessage(r.body), "quad 1") {
			t.Errorf("write of %q: %d %s, want 400 naming the quad", body, r.code, r.body)
		}
	}
	p.alive(t, "bodies too large")
	if err := p.stop(t); err != nil {
		t.Errorf("serve: %v", err)
	}
	if s := c.stats(); s.Articles != 1 {
		t.Errorf("a write larger than --max-body changed the store: %+v", s)
	}
}

// TestServeBadQueries: whatever a client sends as a query, the server
// answers with a 4xx and a message (GraphQL: 200 with its errors), never a
// 5xx, and goes on serving.
func TestServeBadQueries(t *testing.T) {
	c := newCLI(t)
	c.ingestSeed()
	p := c.startServeWith(nil, "--addr", "127.0.0.1:0", "--timeout", "5s")
	rng := rand.New(rand.NewSource(1))
	garbage := make([]byte, 2000)
	rng.Read(garbage)
	hugeJSON := `[{"id": null, "<schema:name>": [` + strings.Repeat(`"Pakistan", `, 200000) + `"x"]}]`
	tests := []struct {
		name, lang, body string
		wantCode         int // 0: any 4xx
	}{
		{"gizmo syntax error", "gizmo", `g.V(.all(`, 0},
		{"gizmo unknown method", "gizmo", `g.V().frobnicate()`, 0},
		{"gizmo throws", "gizmo", `throw "boom"`, 0},
		{"gizmo garbage", "gizmo", string(garbage), 0},
		{"gizmo NUL bytes", "gizmo", "g.V(\x00\x00).all()", 0},
		{"gizmo deep parentheses", "gizmo", strings.Repeat("(", 20000), http.StatusBadRequest},
		{"gizmo huge deep parentheses", "gizmo", strings.Repeat("(", 300000), http.StatusRequestEntityTooLarge},
		{"gizmo deep arrays in a comment's shadow", "gizmo", "// it's\n" + strings.Repeat("[", 20000), http.StatusBadRequest},
		{"gizmo too long", "gizmo", `g.V("` + strings.Repeat("x", 40000) + `").all()`, http.StatusRequestEntityTooLarge},
		{"unknown language", "sparql", `SELECT * WHERE { ?s ?p ?o }`, 0},
		{"no language", "", `g.V().all()`, 0},
		{"empty gizmo", "gizmo", ``, 0},
		{"graphql garbage", "graphql", string(garbage), 0},
		{"graphql unbalanced", "graphql", `{ nodes( `, 0},
		{"graphql deep", "graphql", strings.Repeat("{ nodes ", 3000), http.StatusBadRequest},
		{"graphql not graphql", "graphql", `g.V().all()`, 0},
		{"mql garbage", "mql", string(garbage), 0},
		{"mql not JSON", "mql", `{"id": `, 0},
		// Cayley's MQL takes a JSON scalar for a query that matches nothing:
		// 200 with a null result, which is no server error
		{"mql not a query", "mql", `42`, http.StatusOK},
		{"mql wrong shape", "mql", `[{"id": {"$frob": [1, 2]}}]`, 0},
		{"mql huge JSON", "mql", hugeJSON, http.StatusRequestEntityTooLarge},
		{"mql deep JSON", "mql", strings.Repeat(`[`, 10000) + strings.Repeat(`]`, 10000), http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := "http://" + p.addr + "/api/v2/query"
			if tc.lang != "" {
				u += "?lang=" + url.QueryEscape(tc.lang)
			}
			r := httpDo(t, http.MethodPost, u, nil, tc.body)
			t.Logf("%d: %.150s", r.code, bytes.TrimSpace(r.body))
			if r.code >= 500 {
				t.Fatalf("status %d, a server error, for a bad query: %s", r.code, r.body)
			}
			if tc.lang == "graphql" && r.code == http.StatusOK {
				var v struct{ Errors []interface{} }
				if json.Unmarshal(r.body, &v); len(v.Errors) == 0 {
					t.Errorf("GraphQL answered 200 without errors: %.300s", r.body)
				}
			} else if tc.wantCode == http.StatusOK {
				if r.code != http.StatusOK || !strings.Contains(string(r.body), `"result":null`) {
					t.Errorf("status %d: %.300s", r.code, r.body)
				}
			} else {
				if r.code < 400 {
					t.Errorf("status %d for a bad query, want a 4xx: %.300s", r.code, r.body)
				}
				if tc.wantCode != 0 && r.code != tc.wantCode {
					t.Errorf("status %d, want %d", r.code, tc.wantCode)
				}
				if errorMessage(r.body) == "" {
					t.Errorf("no error message: %.300s", r.body)
				}
			}
			p.alive(t, tc.name)
		})
	}
	// the same by GET
	q := url.Values{"lang": {"gizmo"}, "qu": {strings.Repeat("(", 20000)}}
	r := httpDo(t, http.MethodGet, "http://"+p.addr+"/api/v2/query?"+q.Encode(), nil, "")
	if r.code != http.StatusBadRequest {
		t.Errorf("GET of a deeply nested query: %d %s", r.code, r.body)
	}
	p.alive(t, "GET of a deeply nested query")
	// and `newsgraph query`, which runs the query in its own process
	p.stop(t)
	for _, src := range []string{strings.Repeat("(", 300000), strings.Repeat("(", 20000)} {
		c.write("deep.js", []byte(src))
		r := c.run("query", "-f", "deep.js")
		if r.code != 1 || !strings.Contains(r.stderr, "query") || strings.Contains(r.stderr, "goroutine") {
			t.Errorf("query of %d parentheses: %s", len(src), r)
		}
	}
}

// TestServeUnderLoad: 200 concurrent Gizmo queries on 127.0.0.1 all
// succeed, while slowloris clients, sending their headers a line at a
// time, are cut off by the server's header timeout.
func TestServeUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped with -short")
	}
	c := newCLI(t)
	c.ok("gen", "-n", "100", "-o", "g.jsonl")
	c.ok("ingest", "-q", "g.jsonl")
	p := c.startServeWith(nil, "--addr", "127.0.0.1:0")

	// slowloris: headers that never end
	const slow = 5
	type cut struct {
		after time.Duration
		err   error
	}
	cuts := make(chan cut, slow)
	for i := 0; i < slow; i++ {
		go func() {
			start := time.Now()
			conn, err := net.Dial("tcp", p.addr)
			if err != nil {
				cuts <- cut{err: err}
				return
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: "+p.addr+"\r\n"); err != nil {
				cuts <- cut{err: err}
				return
			}
			// one header line a second, until the server hangs up (or 40s)
			for j := 0; j < 40; j++ {
				conn.SetReadDeadline(time.Now().Add(time.Second))
				buf := make([]byte, 512)
				if _, err := conn.Read(buf); err != nil {
					if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
						cuts <- cut{after: time.Since(start)} // closed by the server
						return
					}
				}
				if _, err := fmt.Fprintf(conn, "X-Slow-%d: %d\r\n", j, j); err != nil {
					cuts <- cut{after: time.Since(start)}
					return
				}
			}
			cuts <- cut{err: fmt.Errorf("still connected after 40s of slow headers")}
		}()
	}

	queries := []string{
		`g.V().has("<rdf:type>", "<ng:Event>").in("<ng:invitedTo>").has("<rdf:type>", "<ng:Country>").unique().out("<schema:name>").all()`,
		`g.V().has("<rdf:type>", "<ng:Person>").save("<schema:name>", "person").saveOpt("<ng:title>", "title").out("<ng:officialOf>").out("<schema:name>").all()`,
		`g.V().has("<rdf:type>", "<ng:Article>").count()`,
		`g.V().has("<rdf:type>", "<ng:Country>").limit(20).out("<schema:name>").all()`,
	}
	const n = 200
	type answer struct {
		q    int
		code int
		body string
		err  error
		took time.Duration
	}
	answers := make([]answer, n)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	client := &http.Client{Timeout: 90 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: n}}
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-gate
			q := i % len(queries)
			start := time.Now()
			resp, err := client.Post("http://"+p.addr+"/api/v2/query?lang=gizmo", "application/javascript", strings.NewReader(queries[q]))
			a := answer{q: q, err: err}
			if err == nil {
				b, rerr := io.ReadAll(resp.Body)
				resp.Body.Close()
				a.code, a.body, a.err = resp.StatusCode, string(b), rerr
			}
			a.took = time.Since(start)
			answers[i] = a
		}(i)
	}
	start := time.Now()
	close(gate)
	wg.Wait()
	wall := time.Since(start)
	first := map[int]string{}
	var lat []time.Duration
	for i, a := range answers {
		if a.err != nil || a.code != http.StatusOK {
			t.Errorf("query %d: %d %v %.200s", i, a.code, a.err, a.body)
			continue
		}
		if !strings.Contains(a.body, `"result"`) || strings.Contains(a.body, `"error"`) {
			t.Errorf("query %d: %.200s", i, a.body)
		}
		if f, ok := first[a.q]; !ok {
			first[a.q] = a.body
		} else if f != a.body {
			t.Errorf("query %d answered differently under load", i)
		}
		lat = append(lat, a.took)
	}
	if len(lat) > 0 {
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))].Round(time.Microsecond) }
		t.Logf("%d concurrent Gizmo queries on %d articles: p50 %v, p90 %v, p99 %v, max %v; all done in %v",
			len(lat), 100, pct(0.5), pct(0.9), pct(0.99), lat[len(lat)-1].Round(time.Microsecond), wall.Round(time.Millisecond))
	}
	for i := 0; i < slow; i++ {
		select {
		case c := <-cuts:
			if c.err != nil {
				t.Errorf("slowloris client: %v", c.err)
			} else {
				t.Logf("slowloris client cut off after %v", c.after.Round(100*time.Millisecond))
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("slowloris clients still connected after 60s")
		}
	}
	p.alive(t, "the load")
}
