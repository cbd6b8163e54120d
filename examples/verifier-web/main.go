// Command verifier-web serves the IKD verifier page: a static page that
// runs ikd's verifier compiled to WebAssembly in the browser, for whoever
// receives a shared document ("Bagikan Dokumen": a bank's customer desk, a
// BPJS clerk, a landlord, a school) and has a browser, not a scanner.
//
// Usage:
//
//	GOOS=js GOARCH=wasm go build -o verifier.wasm ./examples/verifier-web/wasm
//	go run ./examples/verifier-web -trust trust.jws -root root.jwk -status status.cbor \
//	    -wasm verifier.wasm -wasm-exec "$(go env GOROOT)/lib/wasm/wasm_exec.js" [-addr 127.0.0.1:8080]
//	    [-wasm-lite verifier-lite.wasm] [-allow birth_date,address] [-refresh 5m]
//
// The -trust, -root and -status files are those of `go run ./examples/demo
// -out DIR` (-status may be given once per issuer). They are read at every
// request, so replacing them on disk updates the page. -allow names claims
// the page shows beyond the share-receiver policy's name and NIK, for a
// receiver with a lawful need for them. An open page fetches the lists
// again every -refresh, and before a verification when its copy is older,
// so that a revocation reaches a page left open; it shows when its status
// lists were signed and warns once they are past their ttl.
//
// The page verifies the share link it is opened with
// (https://<this host>/#IKD1:... or https://<this host>/S/#IKD1:..., made by
// `wallet share -link`: the page is served at / and at every directory
// path, and its files at the root), a pasted
// code or link, and codes from the camera. The presentation rides in the
// link's fragment, which browsers never send: this server never sees a
// citizen's data, and logs nothing about requests. A service worker keeps
// the page, the engine and the lists so that the page works with no
// network once loaded. With -wasm-lite, browsers that have a
// BarcodeDetector for QR codes get the smaller engine without the Go QR
// decoder. The engines are sent gzip-compressed (compressed once at start,
// so replacing an engine needs a restart; the lists do not).
//
// The server answers on -addr until interrupted; it prints the page's
// address once it listens.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
)

//go:embed static
var static embed.FS

func main() {
	os.Exit(exampleutil.ExitCode(run(os.Args[1:], os.Stdout), os.Stderr))
}

func run(args []string, stdout io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return serve(ctx, args, stdout, nil)
}

// config is the server's flags.
type config struct {
	addr, trust, root, wasm, wasmLite, wasmExec string
	status                                      exampleutil.ListFlag
	allow                                       []string
	refresh                                     time.Duration
}

func parseFlags(args []string, stdout io.Writer) (*config, error) {
	fs := flag.NewFlagSet("verifier-web", flag.ContinueOnError)
	fs.SetOutput(stdout)
	c := &config{}
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen on this address")
	fs.StringVar(&c.trust, "trust", "", "the signed trust list (trust.jws)")
	fs.StringVar(&c.root, "root", "", "the pinned root public key (root.jwk)")
	fs.Var(&c.status, "status", "a signed status list (status.cbor); repeat for each issuer")
	fs.StringVar(&c.wasm, "wasm", "", "the engine: GOOS=js GOARCH=wasm go build ./examples/verifier-web/wasm")
	fs.StringVar(&c.wasmLite, "wasm-lite", "", "optional: the engine built with -tags ikdnoscan, for browsers with a BarcodeDetector")
	fs.StringVar(&c.wasmExec, "wasm-exec", "", "Go's wasm_exec.js, from $(go env GOROOT)/lib/wasm, of the Go that built the engine")
	fs.DurationVar(&c.refresh, "refresh", 5*time.Minute, "how often an open page fetches the lists again (and before verifying, when its copy is older), in whole seconds")
	allow := fs.String("allow", "", "claims shown besides name and NIK, comma-separated (for example birth_date,address)")
	if err := fs.Parse(args); err != nil {
		return nil, &exampleutil.UsageError{Err: err}
	}
	if fs.NArg() > 0 {
		return nil, exampleutil.Usagef("unexpected arguments: %v", fs.Args())
	}
	for name, v := range map[string]string{"-trust": c.trust, "-root": c.root, "-wasm": c.wasm, "-wasm-exec": c.wasmExec} {
		if v == "" {
			return nil, exampleutil.Usagef("%s is required", name)
		}
	}
	if c.refresh < time.Second || c.refresh%time.Second != 0 {
		return nil, exampleutil.Usagef("-refresh must be whole seconds, at least 1s")
	}
	if len(c.status) == 0 {
		return nil, exampleutil.Usagef("-status is required (a page without status lists refuses every code)")
	}
	if *allow != "" {
		for _, name := range strings.Split(*allow, ",") {
			if _, ok := credential.ParseClaim(name); !ok {
				return nil, exampleutil.Usagef("-allow: unknown claim %q", name)
			}
			c.allow = append(c.allow, name)
		}
	}
	// Every file must be readable now: a page served with a missing
	// list would only fail on the clerk's phone.
	for _, p := range append([]string{c.trust, c.root, c.wasm, c.wasmExec, c.wasmLite}, c.status...) {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err != nil {
			return nil, &exampleutil.UsageError{Err: err}
		}
	}
	return c, nil
}

// serve runs the server until ctx ends; ready, if not nil, is called with
// the listening address.
func serve(ctx context.Context, args []string, stdout io.Writer, ready func(addr string)) error {
	c, err := parseFlags(args, stdout)
	if err != nil {
		return err
	}
	h, err := c.handler()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "verifier page at http://%s/\n", ln.Addr())
	if ready != nil {
		ready(ln.Addr().String())
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shut); err != nil {
			return err
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// index is lists/index.json: what the page downloads.
type index struct {
	Trust    string   `json:"trust"`
	Root     string   `json:"root"`
	Status   []string `json:"status"`
	Allow    []string `json:"allow"`
	Wasm     string   `json:"wasm"`
	WasmLite string   `json:"wasmLite,omitempty"`
	// Refresh is how often, in seconds, an open page fetches the lists
	// again.
	Refresh int `json:"refresh"`
}

// contentID returns the first 12 hex digits of the SHA-256 of the file at
// p, to version the engine's address: the page and its service worker
// may keep an engine for as long as its address does not change.
func contentID(p string) (string, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:6]), nil
}

func (c *config) handler() (http.Handler, error) {
	files := map[string]string{ // URL path → file on disk
		"/lists/trust.jws": c.trust,
		"/lists/root.jwk":  c.root,
		"/wasm_exec.js":    c.wasmExec,
	}
	idx := index{Trust: "/lists/trust.jws", Root: "/lists/root.jwk", Allow: c.allow, Refresh: int(c.refresh / time.Second)}
	if idx.Allow == nil {
		idx.Allow = []string{}
	}
	for i, s := range c.status {
		p := "/lists/status-" + strconv.Itoa(i+1) + ".cbor"
		files[p] = s
		idx.Status = append(idx.Status, p)
	}
	id, err := contentID(c.wasm)
	if err != nil {
		return nil, err
	}
	idx.Wasm = "/verifier.wasm?v=" + id
	if c.wasmLite != "" {
		id, err := contentID(c.wasmLite)
		if err != nil {
			return nil, err
		}
		idx.WasmLite = "/verifier-lite.wasm?v=" + id
	}
	// The engines are sent gzip-compressed (a quarter of their size,
	// docs/benchmarks.md "Verifier page"), compressed once here: their
	// addresses are versioned by the content read at start, so a new
	// engine needs a restart anyway.
	engines := map[string]*wasmFile{}
	for p, f := range map[string]string{"/verifier.wasm": c.wasm, "/verifier-lite.wasm": c.wasmLite} {
		if f == "" {
			continue
		}
		e, err := loadEngine(f)
		if err != nil {
			return nil, err
		}
		engines[p] = e
	}
	indexJSON, err := json.Marshal(idx)
	if err != nil {
		return nil, err
	}
	page, err := fs.Sub(static, "static")
	if err != nil {
		return nil, err
	}
	started := time.Now()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secure(w.Header())
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		switch p := r.URL.Path; {
		case p == "/lists/index.json":
			w.Header().Set("Cache-Control", "no-cache")
			http.ServeContent(w, r, "index.json", started, bytes.NewReader(indexJSON))
		case engines[p] != nil:
			engines[p].serve(w, r)
		case files[p] != "":
			serveFile(w, r, files[p])
		default:
			name := strings.TrimPrefix(p, "/")
			if pagePath(p) {
				name = "index.html"
			}
			data, err := fs.ReadFile(page, name)
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Cache-Control", "no-cache")
			http.ServeContent(w, r, name, started, bytes.NewReader(data))
		}
	}), nil
}

// pagePath reports whether p is an address of the page itself: "/" and
// every directory path, "/S/", "/verify/id/" (segments of A-Z a-z 0-9 - .
// _ ~, no dot-segment, ending in "/"): a share link names the page at the
// path its base has (docs/wire-format.md, "Share links"), and the page's
// own files are at the root, so the page works at any of them.
func pagePath(p string) bool {
	if p == "/" || p == "/index.html" {
		return true
	}
	if !strings.HasPrefix(p, "/") || !strings.HasSuffix(p, "/") {
		return false
	}
	for _, seg := range strings.Split(p[1:len(p)-1], "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0) {
				return false
			}
		}
	}
	return true
}

// wasmFile is a wasm engine held in memory, raw and gzip-compressed.
type wasmFile struct {
	raw, gz []byte
	mod     time.Time
}

func loadEngine(p string) (*wasmFile, error) {
	raw, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return &wasmFile{raw: raw, gz: b.Bytes(), mod: st.ModTime()}, nil
}

// serve sends the engine, compressed when the browser accepts gzip (every
// browser that runs WebAssembly does).
func (e *wasmFile) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/wasm")
	h.Set("Cache-Control", "no-cache")
	h.Add("Vary", "Accept-Encoding")
	body := e.raw
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = e.gz
	}
	http.ServeContent(w, r, "", e.mod, bytes.NewReader(body))
}

func acceptsGzip(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// serveFile serves the file at p, read now, so that a list replaced on
// disk is served at once; the browser revalidates it (Last-Modified) every
// time, and the page keeps the last one it got for offline use.
func serveFile(w http.ResponseWriter, r *http.Request, p string) {
	f, err := os.Open(p)
	if err != nil {
		http.Error(w, "not available", http.StatusServiceUnavailable)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.Error(w, "not available", http.StatusServiceUnavailable)
		return
	}
	switch path.Ext(p) {
	case ".wasm":
		w.Header().Set("Content-Type", "application/wasm")
	case ".jws", ".jwk", ".cbor":
		w.Header().Set("Content-Type", "application/octet-stream")
	}
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, path.Base(p), st.ModTime(), f)
}

// secure sets the headers every answer carries: the page runs only its own
// scripts and the engine (wasm-unsafe-eval compiles it), loads nothing from
// elsewhere, sends no Referer (the fragment is never sent anyway, but the
// page's address is nobody's business), and may not be framed.
func secure(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Permissions-Policy", "camera=(self)")
}
