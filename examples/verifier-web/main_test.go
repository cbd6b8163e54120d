package main

import (
	"bytes"
	"compress/gzip"
	"crypto"
	"crypto/ecdsa"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/examples/internal/exampletest"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// world is the issuer and wallet examples' files plus a server of them.
type world struct {
	*exampletest.World
	srv *server
}

func newWorld(t *testing.T, extra ...string) *world {
	t.Helper()
	chromiumPath(t) // skip before the slow builds when there is no browser
	w := exampletest.Setup(t, true)
	e := buildEngine(t)
	args := append([]string{"-trust", w.Trust, "-root", w.Root}, extra...)
	for _, s := range w.Status {
		args = append(args, "-status", s)
	}
	return &world{World: w, srv: startServer(t, e, args...)}
}

// shareLink runs `wallet share -link` for Budi and returns the link.
func (w *world) shareLink(t *testing.T, d time.Duration) string {
	t.Helper()
	return w.shareLinkAt(t, d, w.srv.URL)
}

// shareLinkAt is shareLink on the page at base.
func (w *world) shareLinkAt(t *testing.T, d time.Duration, base string) string {
	t.Helper()
	prefix := filepath.Join(t.TempDir(), "share")
	exampletest.MustRun(t, w.Wallet, "share", "-dir", w.Budi.Wallet, "-for", d.String(), "-link", base, "-out", prefix)
	link, err := os.ReadFile(prefix + ".link")
	require.NoError(t, err)
	return strings.TrimSpace(string(link))
}

// budiWallet opens Budi's wallet folder with the library, with clock now:
// the wallet program always uses the real clock.
func (w *world) budiWallet(t *testing.T, now func() time.Time) *qr.Wallet {
	t.Helper()
	dev, err := keys.LoadPrivateKey(filepath.Join(w.Budi.Wallet, "device.key"))
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join(w.Budi.Wallet, "credential-*.cbor"))
	require.NoError(t, err)
	var creds [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		creds = append(creds, b)
	}
	wal, err := qr.NewWallet(dev, creds, qr.WithClock(now))
	require.NoError(t, err)
	return wal
}

// expiredLink makes a share link that expired 15 minutes ago: shown 20
// minutes ago for five minutes.
func (w *world) expiredLink(t *testing.T) string {
	t.Helper()
	return w.linkShownAt(t, time.Now().Add(-20*time.Minute))
}

// linkShownAt makes a five-minute share link shown at then, of a
// credential for Budi's phone issued 50 minutes ago by the real issuer key
// (the issuer program's keys are valid from an hour ago).
func (w *world) linkShownAt(t *testing.T, then time.Time) string {
	t.Helper()
	now := time.Now()
	k, err := keys.LoadPrivateKey(w.Budi.IssuerKey)
	require.NoError(t, err)
	iss, err := credential.NewIssuer("3171", k)
	require.NoError(t, err)
	key, err := keys.LoadPrivateKey(filepath.Join(w.Budi.Wallet, "device.key"))
	require.NoError(t, err)
	dev, ok := key.(*ecdsa.PrivateKey)
	require.True(t, ok, "device keys are P-256")
	kai, err := os.ReadFile(filepath.Join(w.Budi.Wallet, "credential-kai.cbor"))
	require.NoError(t, err)
	signed, err := credential.Parse(kai)
	require.NoError(t, err)
	issued, err := iss.Issue(&credential.Request{
		Claims: w.Budi.Person, DeviceKey: &dev.PublicKey, Status: signed.UnverifiedCredential().Status,
		IssuedAt: now.Add(-50 * time.Minute), Expiry: now.AddDate(1, 0, 0),
		Profiles: []credential.Profile{credential.ProfileKAI},
	})
	require.NoError(t, err)
	wal, err := qr.NewWallet(dev, [][]byte{issued[0].Bytes}, qr.WithClock(func() time.Time { return then }))
	require.NoError(t, err)
	code, err := wal.Present(qr.Request{Lifetime: qr.ShareFiveMinutes})
	require.NoError(t, err)
	link, err := code.ShareLink(w.srv.URL)
	require.NoError(t, err)
	return link
}

// tamper changes one base45 digit of a link near its end (inside the
// device signature), never a character of a %XX escape.
func tamper(link string) string {
	for i := len(link) - 30; i > 0; i-- {
		c := link[i]
		if c < '0' || c > '9' || link[i-1] == '%' || link[i-2] == '%' {
			continue
		}
		d := byte('0' + (c-'0'+1)%10)
		return link[:i] + string(d) + link[i+1:]
	}
	return link
}

func TestVerifierPage(t *testing.T) {
	w := newWorld(t)
	ctx := newBrowser(t)

	t.Run("share_link_from_the_wallet_program_is_accepted", func(t *testing.T) {
		link := w.shareLink(t, qr.ShareOneHour)
		require.True(t, strings.HasPrefix(link, strings.ToUpper(w.srv.URL)+"#IKD1:"), link)
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(link)))
		v, err := waitVerdict(ctx, 0)
		require.NoError(t, err)
		assert.Equal(t, "true", v.Accepted, "reason %q", v.Reason)
		assert.Equal(t, "BUDI SANTOSO", v.Holder)
		assert.Equal(t, "3171011708850003", v.Claims["nik"])
		assert.Contains(t, v.TimeLeft, "Time left 59:", "an hour's share counts down")
		assert.Contains(t, v.Lists, "downloaded just now")
		// The page tells whose verifier it is: its origin and the root it
		// trusts (finding 1), and when the status lists were signed
		// (finding 2).
		page, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`({
			href: location.href, origin: document.getElementById('origin').textContent,
			root: document.getElementById('root').dataset.root || '', statusAge: document.getElementById('status-age').textContent,
		})`))
		require.NoError(t, err)
		assert.NotContains(t, page["href"], "#", "the fragment is taken out of the address and history (finding 7)")
		assert.Contains(t, page["origin"], "Verifier at "+strings.TrimSuffix(w.srv.URL, "/"))
		assert.Equal(t, rootThumbprint(t, w.Root), page["root"])
		assert.Contains(t, page["statusAge"], "Status lists signed")
		screenshot(t, ctx, "verifier-accepted.png")
	})

	t.Run("expired_link_is_refused", func(t *testing.T) {
		after, err := pageNow(ctx)
		require.NoError(t, err)
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(w.expiredLink(t))))
		v, err := waitVerdict(ctx, after)
		require.NoError(t, err)
		assert.Equal(t, "false", v.Accepted)
		assert.Equal(t, verify.ReasonPresentationExpired.String(), v.Reason)
		assert.Equal(t, verify.ReasonPresentationExpired.English(), v.ReasonEN)
		assert.Empty(t, v.Holder, "a refused code shows no one's name")
		screenshot(t, ctx, "verifier-refused.png")
	})

	t.Run("tampered_link_is_refused", func(t *testing.T) {
		link := w.shareLink(t, qr.ShareFiveMinutes)
		bad := tamper(link)
		require.NotEqual(t, link, bad)
		after, err := pageNow(ctx)
		require.NoError(t, err)
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(bad)))
		v, err := waitVerdict(ctx, after)
		require.NoError(t, err)
		assert.Equal(t, "false", v.Accepted)
		assert.Contains(t, []string{verify.ReasonBadDeviceSignature.String(), verify.ReasonMalformed.String()}, v.Reason)
	})

	t.Run("pasted_code_is_accepted", func(t *testing.T) {
		prefix := filepath.Join(t.TempDir(), "share")
		exampletest.MustRun(t, w.Wallet, "share", "-dir", w.Budi.Wallet, "-for", "5m", "-out", prefix)
		text, err := os.ReadFile(prefix + ".txt")
		require.NoError(t, err)
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(w.srv.URL)))
		require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(`#check:not([disabled])`)))
		after, err := pageNow(ctx)
		require.NoError(t, err)
		require.NoError(t, chromedp.Do(ctx,
			chromedp.SetValue(`#text`, string(text)),
			chromedp.Click(`#check`)))
		v, err := waitVerdict(ctx, after)
		require.NoError(t, err)
		assert.Equal(t, "true", v.Accepted, "reason %q", v.Reason)
		assert.Equal(t, "BUDI SANTOSO", v.Holder)
	})

	t.Run("pasted_link_of_another_host_names_it", func(t *testing.T) {
		link := w.shareLinkAt(t, qr.ShareFiveMinutes, "https://verify-dukcapil.go.id.evil.example/")
		after, err := pageNow(ctx)
		require.NoError(t, err)
		require.NoError(t, chromedp.Do(ctx, chromedp.SetValue(`#text`, link), chromedp.Click(`#check`)))
		v, err := waitVerdict(ctx, after)
		require.NoError(t, err)
		assert.Equal(t, "true", v.Accepted, "reason %q", v.Reason)
		host, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('linkhost').textContent`))
		require.NoError(t, err)
		assert.Contains(t, host, "This link names VERIFY-DUKCAPIL.GO.ID.EVIL.EXAMPLE; verified here at "+strings.TrimSuffix(w.srv.URL, "/"))
	})

	var onS string
	t.Run("link_on_the_documented_path_S_opens_the_page", func(t *testing.T) {
		onS = w.shareLinkAt(t, qr.ShareFiveMinutes, w.srv.URL+"S/")
		require.Contains(t, onS, "/S/#IKD1:")
		after, err := pageNow(ctx)
		require.NoError(t, err)
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(onS)))
		v, err := waitVerdict(ctx, after)
		require.NoError(t, err)
		assert.Equal(t, "true", v.Accepted, "reason %q", v.Reason)
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
		require.NoError(t, err)
		assert.Equal(t, w.srv.URL+"S/", href)
	})

	t.Run("link_opened_again_after_a_reload_is_replayed", func(t *testing.T) {
		require.NotEmpty(t, onS)
		// Another path, so a new page load: the memory of accepted codes
		// comes from the page's storage, not from the open page.
		again := strings.Replace(onS, "/S/#", "/#", 1)
		after, err := pageNow(ctx)
		require.NoError(t, err)
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(again)))
		v, err := waitVerdict(ctx, after)
		require.NoError(t, err)
		assert.Equal(t, verify.ReasonReplayed.String(), v.Reason)
	})

	t.Run("accepted_share_turns_expired_when_its_time_is_up", func(t *testing.T) {
		// Made 4 min 57 s ago for five minutes: three seconds left. On a
		// loaded machine the time may be up before the page shows the
		// verdict; the engine's verdict (data-verified) is kept either way.
		link := w.linkShownAt(t, time.Now().Add(-qr.ShareFiveMinutes+3*time.Second))
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(link)))
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById('verdict').dataset.expired === 'true'`, chromedp.WithPollingInterval(100*time.Millisecond)))
		require.NoError(t, err, "the verdict turns to expired")
		got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`({
			accepted: document.getElementById('verdict').dataset.accepted,
			verified: document.getElementById('verdict').dataset.verified,
			headline: document.getElementById('headline-en').textContent,
			reason: document.getElementById('verdict').dataset.reason,
			claims: String(document.getElementById('claims').offsetHeight),
		})`))
		require.NoError(t, err)
		assert.Equal(t, map[string]string{"accepted": "false", "verified": "true", "headline": "EXPIRED", "reason": "presentation_expired", "claims": "0"}, got)
	})

	t.Run("poisoning_navigations_then_offline_still_verifies", func(t *testing.T) {
		link := w.shareLink(t, qr.ShareFiveMinutes)
		frag := link[strings.Index(link, "#"):]
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(w.srv.URL)))
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.body.dataset.offline === 'ready'`))
		require.NoError(t, err, "the service worker keeps the page")
		// Each of these, opened as a page, used to be kept as the page
		// (finding 3).
		for _, p := range []string{"app.css", "wasm_exec.js", "sw.js", "lists/trust.jws", "lists/index.json", "nope"} {
			// The lists are downloads, which end the navigation with
			// net::ERR_ABORTED: the request still reached the worker.
			_ = chromedp.Do(ctx, chromedp.Navigate(w.srv.URL+p+frag))
		}
		w.srv.stop()
		fresh := w.shareLinkAt(t, qr.ShareFiveMinutes, w.srv.URL+"S/")
		after, err := pageNow(ctx)
		require.NoError(t, err)
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(fresh)))
		v, err := waitVerdict(ctx, after)
		require.NoError(t, err)
		assert.Equal(t, "true", v.Accepted, "reason %q", v.Reason)
		assert.Equal(t, "BUDI SANTOSO", v.Holder)
	})
}

// TestVerifierPageRefreshesLists: a revocation published while the page
// is open reaches it without a reload (finding 2).
func TestVerifierPageRefreshesLists(t *testing.T) {
	w := newWorld(t, "-refresh", "1s")
	ctx := newBrowser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(w.srv.URL)))
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(`#check:not([disabled])`)))
	link := w.shareLink(t, qr.ShareFiveMinutes)
	creds, err := filepath.Glob(filepath.Join(w.Budi.Creds, "credential-*.cbor"))
	require.NoError(t, err)
	require.NotEmpty(t, creds)
	for _, c := range creds {
		exampletest.MustRun(t, w.Issuer, "revoke", "-db", w.Budi.State, "-credential", c, "-trust", w.Trust, "-root", w.Root, "-yes")
	}
	w.Publish(t, w.Budi, w.Status[0])
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.ikdTiming.refreshes`))
	require.NoError(t, err)
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`window.ikdTiming.refreshes >= %d`, n+2), chromedp.WithPollingInterval(100*time.Millisecond)))
	require.NoError(t, err, "the open page fetches the lists again")
	after, err := pageNow(ctx)
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.SetValue(`#text`, link), chromedp.Click(`#check`)))
	v, err := waitVerdict(ctx, after)
	require.NoError(t, err)
	assert.Equal(t, verify.ReasonRevoked.String(), v.Reason, "accepted: %s", v.Accepted)
}

// rootThumbprint is the RFC 7638 SHA-256 thumbprint of the root key file.
func rootThumbprint(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var k jose.JSONWebKey
	require.NoError(t, k.UnmarshalJSON(data))
	tp, err := k.Thumbprint(crypto.SHA256)
	require.NoError(t, err)
	return base64.RawURLEncoding.EncodeToString(tp)
}

func TestFlags(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "f")
	require.NoError(t, os.WriteFile(f, []byte("x"), 0o644))
	for name, args := range map[string][]string{
		"no_trust":      {"-root", f, "-status", f, "-wasm", f, "-wasm-exec", f},
		"no_status":     {"-trust", f, "-root", f, "-wasm", f, "-wasm-exec", f},
		"missing_file":  {"-trust", filepath.Join(dir, "nope"), "-root", f, "-status", f, "-wasm", f, "-wasm-exec", f},
		"unknown_claim": {"-trust", f, "-root", f, "-status", f, "-wasm", f, "-wasm-exec", f, "-allow", "shoe_size"},
		"extra_args":    {"-trust", f, "-root", f, "-status", f, "-wasm", f, "-wasm-exec", f, "x"},
		"refresh_zero":  {"-trust", f, "-root", f, "-status", f, "-wasm", f, "-wasm-exec", f, "-refresh", "0s"},
		"refresh_ms":    {"-trust", f, "-root", f, "-status", f, "-wasm", f, "-wasm-exec", f, "-refresh", "1500ms"},
	} {
		t.Run(name, func(t *testing.T) {
			err := run(args, &strings.Builder{})
			var u *exampleutil.UsageError
			assert.ErrorAs(t, err, &u)
		})
	}
}

func TestVerifierPageCamera(t *testing.T) {
	w := newWorld(t)
	wal := w.budiWallet(t, time.Now)
	var texts []string
	for range 3 {
		code, err := wal.Present(qr.Request{Lifetime: qr.ShareFiveMinutes})
		require.NoError(t, err)
		texts = append(texts, code.Text)
	}
	video := filepath.Join(t.TempDir(), "phone.y4m")
	writePhoneVideo(t, video, texts)
	ctx := newBrowser(t,
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-video-capture", video))

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(w.srv.URL)))
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(`#scan:not([disabled])`)))
	after, err := pageNow(ctx)
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(`#scan`)))
	v, err := waitVerdict(ctx, after)
	require.NoError(t, err)
	assert.Equal(t, "true", v.Accepted, "reason %q", v.Reason)
	assert.Equal(t, "BUDI SANTOSO", v.Holder)
	assert.Contains(t, v.TimeLeft, "Time left 4:", "a five-minute share counts down")
	engine, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.ikdTiming.engine + ' ' + ('BarcodeDetector' in window)`))
	require.NoError(t, err)
	t.Logf("camera path: engine and BarcodeDetector: %s", engine)
}

func TestEngineIsSentCompressed(t *testing.T) {
	dir := t.TempDir()
	f := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		return p
	}
	wasm := f("verifier.wasm", strings.Repeat("\x00asm engine ", 1000))
	c := &config{trust: f("trust.jws", "t"), root: f("root.jwk", "{}"), wasm: wasm, wasmExec: f("wasm_exec.js", "//"), status: []string{f("s.cbor", "s")}}
	h, err := c.handler()
	require.NoError(t, err)
	for _, tc := range []struct {
		accept, encoding string
	}{{"gzip, deflate, br", "gzip"}, {"br;q=1.0, gzip;q=0.8", "gzip"}, {"", ""}, {"gzip;q=0", ""}} {
		req := httptest.NewRequest(http.MethodGet, "/verifier.wasm?v=1", nil)
		req.Header.Set("Accept-Encoding", tc.accept)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Equal(t, "application/wasm", rec.Header().Get("Content-Type"))
		assert.Equal(t, tc.encoding, rec.Header().Get("Content-Encoding"), "Accept-Encoding %q", tc.accept)
		body := rec.Body.Bytes()
		if tc.encoding == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			require.NoError(t, err)
			body, err = io.ReadAll(zr)
			require.NoError(t, err)
		}
		assert.Equal(t, strings.Repeat("\x00asm engine ", 1000), string(body))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/lists/index.json", nil))
	assert.Contains(t, rec.Body.String(), `"wasm":"/verifier.wasm?v=`)
	assert.Equal(t, "no-referrer", rec.Header().Get("Referrer-Policy"))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", nil))
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
}

// TestPageIsServedAtLinkPaths: a link names the page at its base's path
// (the docs' https://verify.example.id/S/), so the server answers every
// directory path with the page, and nothing else with it (issue 19 look,
// finding 4).
func TestPageIsServedAtLinkPaths(t *testing.T) {
	dir := t.TempDir()
	f := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		return p
	}
	c := &config{trust: f("trust.jws", "t"), root: f("root.jwk", "{}"), wasm: f("v.wasm", "\x00asm"), wasmExec: f("wasm_exec.js", "//"), status: []string{f("s.cbor", "s")}, refresh: time.Minute}
	h, err := c.handler()
	require.NoError(t, err)
	page, err := static.ReadFile("static/index.html")
	require.NoError(t, err)
	get := func(p string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		return rec
	}
	for _, p := range []string{"/", "/index.html", "/S/", "/s/", "/verify/id/", "/a-b_c.d~/"} {
		rec := get(p)
		require.Equal(t, http.StatusOK, rec.Code, p)
		assert.Equal(t, string(page), rec.Body.String(), p)
		assert.Contains(t, rec.Header().Get("Content-Type"), "text/html", p)
	}
	for _, p := range []string{"/S", "/S/x", "/S//", "/S/%2E%2E/", "/nope.html", "/static/index.html"} {
		rec := get(p)
		assert.Equal(t, http.StatusNotFound, rec.Code, p)
	}
	rec := get("/app.css")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Contains(t, rec.Header().Get("Content-Type"), "text/css")
	assert.Contains(t, get("/lists/index.json").Body.String(), `"refresh":60`)
	// The page's own files are named from the root, so that the page at
	// /S/ loads /app.js, not /S/app.js.
	for _, ref := range []string{`href="/app.css"`, `src="/app.js"`, `src="/wasm_exec.js"`} {
		assert.Contains(t, string(page), ref)
	}
}
