package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "rewrite docs/img/verifier-{accepted,refused}.png")

// chromiumPath returns Debian's chromium (or another Chromium on PATH), or
// skips the test: the browser tests need a real browser. .ci/run installs
// it (apt-get install -y chromium).
func chromiumPath(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "js" {
		t.Skip("the browser tests start Chromium, which js/wasm cannot")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium not found on PATH: apt-get install -y chromium (as .ci/run does) to run the browser tests")
	return ""
}

// engine is the wasm build the tests serve, built once per test binary.
type engine struct {
	full, lite, exec string
	err              error
}

var (
	engineOnce  sync.Once
	builtEngine engine
	engineDir   string
)

// buildEngine builds the full and the verify-only engine with the go
// command that runs the tests, and finds its wasm_exec.js.
func buildEngine(t *testing.T) engine {
	t.Helper()
	engineOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ikd-engine-")
		if err != nil {
			builtEngine.err = err
			return
		}
		engineDir = dir
		e := engine{full: filepath.Join(dir, "verifier.wasm"), lite: filepath.Join(dir, "verifier-lite.wasm")}
		for _, b := range []struct{ out, tags string }{{e.full, ""}, {e.lite, "ikdnoscan"}} {
			cmd := exec.Command("go", "build", "-trimpath", "-tags="+b.tags, "-o", b.out, "./wasm")
			cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
			if out, err := cmd.CombinedOutput(); err != nil {
				builtEngine.err = fmt.Errorf("building the engine: %v\n%s", err, out)
				return
			}
		}
		root, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			builtEngine.err = err
			return
		}
		e.exec = filepath.Join(strings.TrimSpace(string(root)), "lib", "wasm", "wasm_exec.js")
		builtEngine = e
	})
	require.NoError(t, builtEngine.err)
	return builtEngine
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if engineDir != "" {
		os.RemoveAll(engineDir)
	}
	os.Exit(code)
}

// server is a running verifier-web.
type server struct {
	URL  string // http://127.0.0.1:port/
	stop func()
}

// startServer runs the program's server on a free loopback port with args
// (the -addr, -wasm and -wasm-exec flags are added).
func startServer(t *testing.T, e engine, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	var out strings.Builder
	all := append([]string{"-addr", "127.0.0.1:0", "-wasm", e.full, "-wasm-lite", e.lite, "-wasm-exec", e.exec}, args...)
	go func() { done <- serve(ctx, all, &out, func(a string) { addr <- a }) }()
	var a string
	select {
	case a = <-addr:
	case err := <-done:
		cancel()
		t.Fatalf("server did not start: %v\n%s", err, out.String())
	}
	var once sync.Once
	s := &server{URL: "http://" + a + "/", stop: func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("server: %v", err)
			}
		})
	}}
	t.Cleanup(s.stop)
	return s
}

// newBrowser starts headless Chromium with the flags this machine needs
// (no network beyond loopback: no background networking, component
// updates, sync or QUIC) and a fresh profile, plus extra.
func newBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(412, 915), // a phone's viewport, in CSS pixels
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), append(opts, extra...)...)
	ctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelC := context.WithTimeout(ctx, 3*time.Minute) // a hang fails, it does not stall CI
	t.Cleanup(func() { cancelC(); cancelB(); cancelA() })
	require.NoError(t, chromedp.Do(ctx), "starting chromium")
	return ctx
}

// verdict is what the page shows, read from the DOM.
type verdict struct {
	Accepted string            `json:"accepted"`
	Reason   string            `json:"reason"`
	Holder   string            `json:"holder"`
	ReasonEN string            `json:"reasonEn"`
	TimeLeft string            `json:"timeLeft"`
	Lists    string            `json:"lists"`
	Claims   map[string]string `json:"claims"`
}

// waitVerdict waits for a verdict newer than after (the page's Date.now()
// in ms, 0 for any) and reads it.
func waitVerdict(ctx context.Context, after int64) (verdict, error) {
	var v verdict
	js := fmt.Sprintf(`(() => { const b = document.getElementById('verdict'); return !b.hidden && Number(b.dataset.done || 0) > %d; })()`, after)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.state + ': ' + document.getElementById('status').innerText`))
		return v, fmt.Errorf("no verdict (page %s): %w", state, err)
	}
	d, err := chromedp.Run(ctx, chromedp.Evaluate[verdict](`(() => {
		const $ = (id) => document.getElementById(id);
		return {
			accepted: $('verdict').dataset.accepted, reason: $('verdict').dataset.reason,
			holder: $('holder').textContent, reasonEn: $('reason-en').textContent,
			timeLeft: $('timeleft').textContent, lists: $('lists').textContent,
			claims: Object.fromEntries([...document.querySelectorAll('#claims dd')].map(d => [d.dataset.claim, d.firstChild.textContent])),
		};
	})()`))
	return d, err
}

// pageNow returns the page's Date.now().
func pageNow(ctx context.Context) (int64, error) {
	ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`Date.now()`))
	return int64(ms), err
}

// screenshot saves the page as docs/img/name with -update-screenshots.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if !*updateScreenshots {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	dst := filepath.Join("..", "..", "docs", "img", name)
	require.NoError(t, os.MkdirAll(filepath.Dir(dst), 0o755))
	require.NoError(t, os.WriteFile(dst, png, 0o644))
}
