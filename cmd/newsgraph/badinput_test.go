package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/ingest"
)

// runRSS runs the binary like run and also returns the peak resident
// memory of the process, in bytes, as far as polling /proc/PID/status
// sees it (0 where there is no /proc). The rusage of a child is no use
// here: on Linux its peak includes the memory of this test process,
// which it shares until exec.
func (c *cli) runRSS(args ...string) (result, int64) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	// the collector at its default pace, whatever the command tunes, so
	// that the peak tells what the command holds
	cmd.Dir, cmd.Env = c.dir, append(testEnv(), "GOGC=100")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	done := make(chan struct{})
	peak := make(chan int64, 1)
	go func() {
		var max int64
		status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
		for {
			if b, err := os.ReadFile(status); err == nil {
				for _, l := range strings.Split(string(b), "\n") {
					if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
						if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil && kb*1024 > max {
							max = kb * 1024
						}
					}
				}
			}
			select {
			case <-done:
				peak <- max
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	rss := <-peak
	if ctx.Err() != nil {
		c.t.Fatalf("newsgraph %q did not finish within 2 minutes\n--- stderr:\n%s", args, stderr.String())
	}
	return c.exitResult(args, &stdout, &stderr, err), rss
}

const (
	goodText = "Pakistan has been invited to take part in Iran-US talks in Istanbul, the Foreign Office said on Tuesday.\n"
	mb       = 1 << 20
)

func goodLine(id string) string {
	return fmt.Sprintf(`{"id": %q, "text": "Qatar has been invited to take part in talks in Doha, the ministry said."}`, id)
}

// randomBytes returns n seeded random bytes; noNUL replaces zeros.
func randomBytes(n int, noNUL bool) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(int64(n))).Read(b)
	if noNUL {
		for i := range b {
			if b[i] == 0 {
				b[i] = 0xff
			}
		}
	}
	return b
}

// bigLine returns a line of about n bytes of words, with no line break.
func bigLine(n int) []byte {
	s := "Pakistan and Iran met in Istanbul and talked without end "
	return bytes.Repeat([]byte(s), n/len(s)+1)
}

// TestBadInputMore extends TestBadInput: each case is ingested beside good
// input; the bad input is named (with its line) and nothing of it is
// stored, the good input lands, the exit code is 1, and no input, however
// large, is read whole into memory.
func TestBadInputMore(t *testing.T) {
	tests := []struct {
		name string
		// setup makes the inputs in dir (the working directory)
		setup func(t *testing.T, dir string)
		args  []string
		// wantErr are substrings of stderr; wantFailed the inputs that
		// fail; wantArticles the articles stored after it
		wantErr      []string
		wantFailed   int
		wantArticles int
		// maxRSS bounds the peak memory of the ingest, when not 0
		maxRSS int64
	}{
		{name: "binary file (an ELF header)",
			setup: files(map[string][]byte{"bin.txt": append([]byte("\x7fELF\x02\x01\x01\x00"), randomBytes(64<<10, false)...)}),
			args:  []string{"bin.txt", "good.txt"}, wantErr: []string{"bin.txt", "binary"}, wantFailed: 1, wantArticles: 1},
		{name: "binary file (a PNG header)",
			setup: files(map[string][]byte{"bin.txt": append([]byte("\x89PNG\r\n\x1a\n"), randomBytes(64<<10, false)...)}),
			args:  []string{"bin.txt", "good.txt"}, wantErr: []string{"bin.txt", "invalid UTF-8"}, wantFailed: 1, wantArticles: 1},
		{name: "binary file without NUL bytes",
			setup: files(map[string][]byte{"bin.txt": randomBytes(64<<10, true)}),
			args:  []string{"bin.txt", "good.txt"}, wantErr: []string{"bin.txt", "line ", "invalid UTF-8"}, wantFailed: 1, wantArticles: 1},
		{name: "NUL byte on line 3",
			setup: files(map[string][]byte{"nul.txt": []byte("Iran and Oman met.\nThey talked.\nPakistan\x00 said so.\n")}),
			args:  []string{"nul.txt", "good.txt"}, wantErr: []string{"nul.txt", "line 3", "NUL"}, wantFailed: 1, wantArticles: 1},
		{name: "invalid UTF-8 on line 4",
			setup: files(map[string][]byte{"latin1.txt": []byte("Iran and Oman met.\n\nThey talked.\nIn Z\xfcrich, Pakistan said so.\n")}),
			args:  []string{"latin1.txt", "good.txt"}, wantErr: []string{"latin1.txt", "line 4", "UTF-8"}, wantFailed: 1, wantArticles: 1},
		{name: "NUL escaped in a JSONL text",
			setup: files(map[string][]byte{"news.jsonl": []byte(goodLine("a") + "\n" + `{"id": "n", "text": "Pakistan\u0000 and Iran."}` + "\n" + goodLine("c") + "\n")}),
			args:  []string{"news.jsonl"}, wantErr: []string{"news.jsonl:2", "binary"}, wantFailed: 1, wantArticles: 2},
		{name: "JSONL with a non-object line and a cut last line",
			setup: files(map[string][]byte{"news.jsonl": []byte(goodLine("a") + "\n[1, 2, 3]\n" + goodLine("c") + "\n" + `{"id": "d", "te`)}),
			args:  []string{"news.jsonl"}, wantErr: []string{"news.jsonl:2", "news.jsonl:4", "not a JSON object"}, wantFailed: 2, wantArticles: 2},
		{name: "empty file in a directory of good ones",
			setup: files(map[string][]byte{"dir/a.txt": []byte(goodText), "dir/b.txt": {}, "dir/c.txt": []byte("Iran warned the United States.\n")}),
			args:  []string{"dir"}, wantErr: []string{filepath.Join("dir", "b.txt"), "empty"}, wantFailed: 1, wantArticles: 2},
		{name: "50 MB single line",
			setup: files(map[string][]byte{"line.txt": bigLine(50 * mb)}),
			args:  []string{"--max-size", "5000000", "line.txt", "good.txt"}, wantErr: []string{"line.txt", "5000000-byte limit", "--max-size"}, wantFailed: 1, wantArticles: 1,
			maxRSS: 90 * mb}, // the process takes ~50 MB, the line 50 MB more if read whole
		{name: "50 MB single line in JSONL",
			setup: files(map[string][]byte{"news.jsonl": append(append([]byte(goodLine("a")+"\n"+`{"id": "big", "text": "`), bigLine(50*mb)...), []byte("\"}\n"+goodLine("c")+"\n")...)}),
			args:  []string{"--max-size", "5000000", "news.jsonl"}, wantErr: []string{"news.jsonl:2", "longer than the 5000000-byte limit", "--max-size"}, wantFailed: 1, wantArticles: 2,
			maxRSS: 90 * mb},
		{name: "1 GB sparse file",
			setup: sparse("big.txt", 1<<30),
			args:  []string{"big.txt", "good.txt"}, wantErr: []string{"big.txt", "limit"}, wantFailed: 1, wantArticles: 1,
			maxRSS: 300 * mb},
		{name: "1 GB sparse JSONL file",
			setup: sparse("big.jsonl", 1<<30),
			args:  []string{"big.jsonl", "good.txt"}, wantErr: []string{"big.jsonl:1", "longer than"}, wantFailed: 1, wantArticles: 1,
			maxRSS: 300 * mb},
		{name: "1 GB sparse HTML file",
			setup: sparse("big.html", 1<<30),
			args:  []string{"big.html", "good.txt"}, wantErr: []string{"big.html", "limit"}, wantFailed: 1, wantArticles: 1,
			maxRSS: 300 * mb},
		{name: "a file over a small --max-size, by one byte",
			setup: files(map[string][]byte{"over.txt": bytes.Repeat([]byte("a"), 1001), "fits.txt": append([]byte(goodText), bytes.Repeat([]byte(" "), 1000-len(goodText))...)}),
			args:  []string{"--max-size", "1000", "over.txt", "fits.txt"}, wantErr: []string{"over.txt", "1000-byte limit"}, wantFailed: 1, wantArticles: 1},
		{name: "HTML with a NUL byte",
			setup: files(map[string][]byte{"page.html": []byte("<html><body><p>Pakistan\x00</p></body></html>")}),
			args:  []string{"page.html", "good.txt"}, wantErr: []string{"page.html", "binary"}, wantFailed: 1, wantArticles: 1},
		{name: "HTML without text",
			setup: files(map[string][]byte{"page.html": []byte("<html><head><script>var x = 1;</script></head><body></body></html>")}),
			args:  []string{"page.html", "good.txt"}, wantErr: []string{"page.html"}, wantFailed: 1, wantArticles: 1},
		{name: "symlink loop",
			setup: symlinks(map[string]string{"loop1.txt": "loop2.txt", "loop2.txt": "loop1.txt"}),
			args:  []string{"loop1.txt", "good.txt"}, wantErr: []string{"loop1.txt", "too many levels of symbolic links"}, wantFailed: 1, wantArticles: 1},
		{name: "missing paths among good ones",
			setup: files(map[string][]byte{"other.txt": []byte("Iran warned the United States.\n")}),
			args:  []string{"good.txt", "nosuch/dir", "nosuch.txt", "other.txt"}, wantErr: []string{filepath.Join("nosuch", "dir"), "nosuch.txt", "no such file"}, wantFailed: 2, wantArticles: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &cli{t: t, dir: t.TempDir()}
			c.write("good.txt", []byte(goodText))
			tc.setup(t, c.dir)
			r, rss := c.runRSS(append([]string{"ingest", "--date", seedDate}, tc.args...)...)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1: %s", r.code, r)
			}
			mustContain(t, "stderr", r.stderr, tc.wantErr...)
			mustContain(t, "stderr", r.stderr, "nothing stored for it", fmt.Sprintf("%d failed)", tc.wantFailed))
			if n := strings.Count(r.stderr, "nothing stored for it"); n != tc.wantFailed {
				t.Errorf("%d inputs reported as failed, want %d:\n%s", n, tc.wantFailed, r.stderr)
			}
			if rss > 0 {
				t.Logf("peak RSS %d MB", rss/mb)
			}
			if tc.maxRSS > 0 && rss > tc.maxRSS {
				t.Errorf("ingest used %d MB of memory, more than %d MB: the input was read whole", rss/mb, tc.maxRSS/mb)
			}
			if s := c.stats(); s.Articles != tc.wantArticles {
				t.Errorf("%d articles stored, want %d", s.Articles, tc.wantArticles)
			}
		})
	}
}

// TestBadInputDirectories: unreadable files and symlink loops inside a
// directory walk neither hang it nor keep the good files out.
func TestBadInputDirectories(t *testing.T) {
	t.Run("unreadable file", func(t *testing.T) {
		c := &cli{t: t, dir: t.TempDir()}
		files(map[string][]byte{"dir/a.txt": []byte(goodText), "dir/b.txt": []byte("Iran warned Oman.\n"), "dir/c.txt": []byte("Iran warned the United States.\n")})(t, c.dir)
		b := c.path(filepath.Join("dir", "b.txt"))
		if err := os.Chmod(b, 0); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(b, 0o644)
		if f, err := os.Open(b); err == nil {
			f.Close()
			t.Skip("chmod 000 does not keep this user from reading (root?): nothing to test")
		}
		r := c.run("ingest", "dir")
		if r.code != 1 {
			t.Fatalf("exit %d: %s", r.code, r)
		}
		mustContain(t, "stderr", r.stderr, filepath.Join("dir", "b.txt"), "permission denied", "nothing stored for it", "1 failed")
		if s := c.stats(); s.Articles != 2 {
			t.Errorf("%d articles stored, want 2", s.Articles)
		}
	})
	t.Run("unreadable directory", func(t *testing.T) {
		c := &cli{t: t, dir: t.TempDir()}
		files(map[string][]byte{"dir/a.txt": []byte(goodText), "dir/sub/b.txt": []byte("Iran warned Oman.\n"), "dir/z.txt": []byte("Iran warned the United States.\n")})(t, c.dir)
		sub := c.path(filepath.Join("dir", "sub"))
		if err := os.Chmod(sub, 0); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(sub, 0o755)
		if _, err := os.ReadDir(sub); err == nil {
			t.Skip("chmod 000 does not keep this user from reading (root?): nothing to test")
		}
		r := c.run("ingest", "dir")
		if r.code != 1 {
			t.Fatalf("exit %d: %s", r.code, r)
		}
		mustContain(t, "stderr", r.stderr, filepath.Join("dir", "sub"), "permission denied")
		if s := c.stats(); s.Articles != 2 {
			t.Errorf("%d articles stored, want 2", s.Articles)
		}
	})
	t.Run("symlink loops", func(t *testing.T) {
		c := &cli{t: t, dir: t.TempDir()}
		files(map[string][]byte{"dir/a.txt": []byte(goodText), "dir/z.txt": []byte("Iran warned the United States.\n")})(t, c.dir)
		symlinks(map[string]string{
			"dir/loop1.txt": "loop2.txt", "dir/loop2.txt": "loop1.txt", // a file loop
			"dir/up": "..", // a directory loop
		})(t, c.dir)
		r := c.runTimeout(time.Minute, "", "ingest", "dir")
		// a walk does not follow symbolic links (so loops cannot trap
		// it); should it ever, a loop must be reported by name
		if r.code != 0 {
			mustContain(t, "stderr", r.stderr, "loop1.txt", "symbolic links")
		}
		if strings.Count(r.stderr, "a.txt") > 1 {
			t.Errorf("a file was read twice through the directory loop: %s", r)
		}
		if s := c.stats(); s.Articles != 2 {
			t.Errorf("%d articles stored, want 2: %s", s.Articles, r)
		}
	})
}

// TestIngestHTMLDropsScripts: a web page's scripts and styles are not
// part of its article.
func TestIngestHTMLDropsScripts(t *testing.T) {
	page := `<!DOCTYPE html>
<html><head><title>Talks in Istanbul</title>
<style>body { font-family: "Norway has been invited to talks in Oslo"; } .x:before { content: "Zqxstyle"; }</style>
<script>var leak = "Norway has been invited to take part in talks in Oslo, the Foreign Office said. Zqxscript";</script>
</head><body>
<nav><a href="/">Home</a></nav>
<article>
<h1>Pakistan invited to Iran-US talks</h1>
<p>Pakistan has been invited to take part in Iran-US talks in Istanbul, the Foreign Office said on Tuesday.</p>
<script>console.log("Sweden has been invited to take part in talks in Stockholm. Zqxinline");</script>
<style>p { color: red } /* Zqxinlinestyle */</style>
<p>Deputy Prime Minister Ishaq Dar will represent Pakistan at the talks, the ministry said in a statement.</p>
<p>Qatar and Egypt were also invited, officials said, and the United States will attend the meeting.</p>
</article>
<noscript>Finland has been invited to talks in Helsinki. Zqxnoscript</noscript>
</body></html>
`
	doc, err := ingest.ReadHTML(strings.NewReader(page), "page.html", ingest.Options{})
	if err != nil {
		t.Fatalf("ReadHTML: %v", err)
	}
	for _, leak := range []string{"Zqx", "Norway", "Sweden", "font-family", "console.log", "color: red"} {
		if strings.Contains(doc.Text, leak) {
			t.Errorf("the article's text holds %q from a script or style:\n%s", leak, doc.Text)
		}
	}
	mustContain(t, "the article's text", doc.Text, "Pakistan has been invited", "Ishaq Dar")

	c := &cli{t: t, dir: t.TempDir()}
	c.write("page.html", []byte(page))
	c.ok("ingest", "--date", seedDate, "page.html")
	out := c.ok("export").stdout
	for _, leak := range []string{"Zqx", "Norway", "Sweden", "Finland", "Oslo"} {
		if strings.Contains(out, leak) {
			t.Errorf("the store holds %q from a script or style", leak)
		}
	}
	mustContain(t, "export", out, "Pakistan", "Ishaq Dar", "Qatar")
}

// files returns a setup that writes the files, making directories.
func files(m map[string][]byte) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		for name, data := range m {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// sparse returns a setup that makes a file of size bytes that takes no
// disk space.
func sparse(name string, size int64) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if err := os.Truncate(p, size); err != nil {
			t.Fatal(err)
		}
	}
}

// symlinks returns a setup that makes symbolic links (name -> target).
func symlinks(m map[string]string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		for name, target := range m {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, p); err != nil {
				t.Skipf("no symbolic links here: %v", err)
			}
		}
	}
}

// TestLoadBadNQuads: load names the file and quad of bad N-Quads, even
// those Cayley's parser panics on, keeps what came before, and exits 1.
func TestLoadBadNQuads(t *testing.T) {
	good := "<http://example.com/a> <http://example.com/p> \"ok\" .\n"
	tests := []struct {
		name, data string
		want       []string
		loaded     int
	}{
		{"\\U escape beyond 32 bits", good + "<http://example.com/a> <http://example.com/p> \"x\\UFFFFFFFF\" .\n", []string{"bad.nq: quad 2", "invalid N-Quads"}, 1},
		{"\\u escape cut short", good + good + "<http://example.com/a> <http://example.com/p> \"x\\u12\" .\n", []string{"bad.nq: quad 3"}, 2},
		{"binary", "\x00\x01\x02\xff", []string{"bad.nq: quad 1"}, 0},
		{"not N-Quads", good + "{\"id\": 1}\n", []string{"bad.nq: quad 2"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &cli{t: t, dir: t.TempDir()}
			c.write("bad.nq", []byte(tc.data))
			r := c.run("load", "bad.nq")
			if r.code != 1 {
				t.Fatalf("exit %d, want 1: %s", r.code, r)
			}
			mustContain(t, "stderr", r.stderr, tc.want...)
			if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine") {
				t.Errorf("load panicked: %s", r.stderr)
			}
			if tc.loaded > 0 {
				if s := c.stats(); s.Quads != 1 {
					t.Errorf("%d quads stored, want the 1 before the bad one", s.Quads)
				}
			}
		})
	}
}
