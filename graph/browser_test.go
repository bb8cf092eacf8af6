package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// findBrowser returns a Chromium or Chrome to drive: $NEWSGRAPH_TEST_BROWSER,
// else the first of the usual names on $PATH.
func findBrowser() string {
	if b := os.Getenv("NEWSGRAPH_TEST_BROWSER"); b != "" {
		return b
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// uiAssetsForTest finds the UI's editor as `make ui-assets` installs it.
func uiAssetsForTest() (string, UIAssets) {
	dir := os.Getenv("NEWSGRAPH_UI_ASSETS")
	if dir == "" {
		dir = filepath.Join("..", DefaultUIAssets)
	}
	return dir, FindUIAssets(dir)
}

// TestBrowserUIOffline serves the seed's store, opens Cayley's web UI in
// headless Chromium that can reach nothing but 127.0.0.1, types Gizmo into
// the Query tab's editor (monaco, served from the local assets), runs it
// and reads the seed's facts in the results; then asks the Query Shape
// tab, and draws the Visualize tab, of which it saves a screenshot
// (under $NEWSGRAPH_TEST_SCREENSHOTS when set).
func TestBrowserUIOffline(t *testing.T) {
	browser := findBrowser()
	if browser == "" {
		t.Skip("no Chromium or Chrome found (Debian chromium; .ci/run installs it; or set NEWSGRAPH_TEST_BROWSER)")
	}
	dir, assets := uiAssetsForTest()
	if assets.Monaco == "" {
		t.Fatalf("no monaco-editor under %s: run `make ui-assets` (npm) first, or set NEWSGRAPH_UI_ASSETS; without it the UI's editor cannot load offline", dir)
	}
	s, _ := seedStore(t)
	h, err := s.Handler(ServeOptions{UIAssets: dir, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	served := map[string]int{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		served[r.URL.Path]++
		mu.Unlock()
		h.ServeHTTP(w, r)
	}), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	base := "http://" + ln.Addr().String()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// nothing but this machine: a CDN request would fail, and with it the editor
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	ctx, cancel := context.WithTimeout(bctx, 2*time.Minute)
	defer cancel()

	// the browser starts with the first action
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatalf("start %s and open the UI: %v", browser, err)
	}
	step := func(what string, d time.Duration, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, scancel := context.WithTimeout(ctx, d)
		defer scancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 2000) : ""`))
			t.Fatalf("%s: %v\npage text:\n%s", what, err, text)
		}
	}
	// waitText waits until the results show every string of want. The
	// results are shown in a (read-only) monaco editor too, which draws
	// only the lines in view: read its model.
	waitText := func(what string, want ...string) string {
		t.Helper()
		cond := make([]string, len(want))
		for i, w := range want {
			b, _ := json.Marshal(w)
			cond[i] = fmt.Sprintf("results().includes(%s)", b)
		}
		const results = `(() => { const q = document.querySelector('.QueryEditor .monaco-editor'); const qu = q ? q.getAttribute('data-uri') : '';` +
			` return monaco.editor.getModels().filter(m => m.uri.toString() !== qu).map(m => m.getValue()).join('\\n'); })`
		step(what, 30*time.Second, void(chromedp.Poll[bool]("(results => "+strings.Join(cond, " && ")+")("+results+")",
			chromedp.WithPollingInterval(200*time.Millisecond))))
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](results+"()"))
		return text
	}
	setQuery := func(q string) chromedp.Action[chromedp.Void] {
		b, _ := json.Marshal(q)
		return void(chromedp.Evaluate[bool](fmt.Sprintf(`(monaco.editor.getModels().forEach(m => m.setValue(%s)), true)`, b)))
	}
	editorReady := void(chromedp.Poll[bool](`!!(window.monaco && monaco.editor && monaco.editor.getModels().length > 0 && document.querySelector('.monaco-editor .view-lines'))`,
		chromedp.WithPollingInterval(200*time.Millisecond)))
	run := chromedp.Click(chromedp.CSS(".QueryEditor .actions button"))
	tab := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Click(chromedp.JSPath(fmt.Sprintf(`[...document.querySelectorAll('.mdc-drawer .mdc-list-item')].find(e => e.innerText.trim() === %q)`, name)))
	}

	// Query: which countries were invited to the talks?
	step("wait for the editor (monaco-editor from /vendor/)", 45*time.Second, editorReady)
	step("run a Gizmo query", 10*time.Second,
		setQuery(`g.V().has("<rdf:type>", "<ng:Event>").in("<ng:invitedTo>").has("<rdf:type>", "<ng:Country>").unique().out("<schema:name>").all()`),
		run)
	waitText("the invited countries in the results", "Qatar", "Saudi Arabia", "United Arab Emirates", "Pakistan", "Egypt", "Oman")
	step("run a second Gizmo query", 10*time.Second,
		setQuery(`g.V("Pakistan").in("<schema:name>").out("<ng:invitedTo>").out("<schema:name>").all()`), run)
	waitText("what Pakistan was invited to", "Iran-US talks in Istanbul")

	// Query Shape: the plan of a query
	step("open the Query Shape tab", 20*time.Second, tab("Query Shape"), editorReady)
	step("ask for a query's shape", 10*time.Second,
		setQuery(`g.V("Pakistan").in("<schema:name>").out("<ng:invitedTo>").all()`), run)
	waitText("the query's shape", "NodesFrom", "https://newsgraph.dev/ns#invitedTo")

	// Visualize: who holds office where
	step("open the Visualize tab", 20*time.Second, tab("Visualize"), editorReady)
	step("draw source/target tags", 10*time.Second,
		setQuery(`g.V().has("<rdf:type>", "<ng:Person>").tag("source").out("<ng:officialOf>").tag("target").all()`), run)
	step("wait for the drawing", 30*time.Second,
		void(chromedp.Poll[bool](`document.querySelectorAll('main svg line').length >= 5 && document.querySelectorAll('main svg circle, main svg text').length >= 5`,
			chromedp.WithPollingInterval(200*time.Millisecond))),
		chromedp.Sleep(1500*time.Millisecond)) // let the force layout settle
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	out := os.Getenv("NEWSGRAPH_TEST_SCREENSHOTS")
	if out == "" {
		out = t.TempDir()
	}
	path := filepath.Join(out, "visualize.png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the Visualize tab: %s (%d bytes)", path, len(png))
	labels, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('main svg text')].map(e => e.textContent).join("|")`))
	for _, want := range []string{"person/Masoud_Pezeshkian", "country/Iran", "organization/Foreign_Office"} {
		if !strings.Contains(labels, want) {
			t.Errorf("the drawing's labels lack %q: %.500s", want, labels)
		}
	}

	mu.Lock()
	defer mu.Unlock()
	for _, p := range []string{"/vendor/monaco-editor/min/vs/loader.js", "/vendor/material-icons/iconfont/material-icons.css", "/api/v2/query", "/api/v1/shape/gizmo"} {
		if p == "/vendor/material-icons/iconfont/material-icons.css" && assets.Icons == "" {
			continue
		}
		if served[p] == 0 {
			t.Errorf("the UI never asked for %s", p)
		}
	}
}

// void drops an action's value.
func void[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}
