package main

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"flag"
	"fmt"
	"image"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

var measure = flag.Bool("measure", false, "measure the page against native Go (docs/benchmarks.md, \"Verifier page\")")

// gzipSize returns the size of the file at path compressed with gzip -9.
func gzipSize(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	require.NoError(t, err)
	_, err = zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.Len()
}

// TestMeasure measures, in one run on one machine: the engines' sizes,
// the page's time from navigation to ready, and verifying (and scanning)
// in the page against native Go doing the same work. It only reports: no
// timed assertion (machines are noisy). Run it with
//
//	go test ./examples/verifier-web -run TestMeasure -measure -v
func TestMeasure(t *testing.T) {
	if !*measure {
		t.Skip("run with -measure")
	}
	w := newWorld(t)
	e := buildEngine(t)
	for _, f := range []string{e.full, e.lite} {
		st, err := os.Stat(f)
		require.NoError(t, err)
		t.Logf("size %s: %d bytes raw, %d bytes gzip -9", st.Name(), st.Size(), gzipSize(t, f))
	}

	const n, rounds, scans = 100, 5, 10
	wal := w.budiWallet(t, time.Now)
	texts := make([][]string, rounds)
	for r := range texts {
		for range n {
			code, err := wal.Present(qr.Request{Lifetime: qr.ShareOneHour})
			require.NoError(t, err)
			texts[r] = append(texts[r], code.Text)
		}
	}
	// The same frame for both: the phone of the camera test, still.
	frame := image.NewGray(image.Rect(0, 0, videoW, videoH))
	for i := range frame.Pix {
		frame.Pix[i] = 0x90
	}
	code, err := qr.Render(texts[0][0])
	require.NoError(t, err)
	phone := phoneScreen(code)
	for y := range phone.Bounds().Dy() {
		copy(frame.Pix[(y+10)*frame.Stride+150:], phone.Pix[y*phone.Stride:(y+1)*phone.Stride])
	}

	ctx := newBrowser(t)
	for run := range 3 { // a cold load, then two with the browser's caches warm
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(w.srv.URL+"?run="+fmt.Sprint(run))))
		require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(`#check:not([disabled])`)))
		timing, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`window.ikdTiming`))
		require.NoError(t, err)
		t.Logf("page load %d: engine compiled %.0f ms, started %.0f ms, ready %.0f ms after navigation", run, timing["compiled"], timing["started"], timing["ready"])
	}

	// Rounds of native Go then the page, on the same codes' kind and the
	// same files, so that both see the machine's load of the moment; the
	// median ratio is reported.
	native := w.Verifier(t, verify.ShareReceiver(), time.Now)
	var verifyRatios, scanRatios []float64
	for r := range rounds {
		start := time.Now()
		for _, text := range texts[r] {
			_, err := native.VerifyText(text)
			require.NoError(t, err)
		}
		nv := time.Since(start) / n
		start = time.Now()
		for range scans {
			got, err := qr.Scan(frame)
			require.NoError(t, err)
			require.Equal(t, texts[0][0], got)
		}
		ns := time.Since(start) / scans
		// The page verifies codes it has not seen (the native verifier
		// has its own replay store).
		pageMS, err := chromedp.Run(ctx, chromedp.Evaluate[float64](fmt.Sprintf(`(() => {
			const texts = %s;
			const s = performance.now();
			for (const t of texts) { const v = JSON.parse(ikd.verify(t)); if (!v.accepted) throw new Error(JSON.stringify(v)); }
			return (performance.now() - s) / texts.length;
		})()`, jsArray(texts[r]))))
		require.NoError(t, err)
		scanMS, err := chromedp.Run(ctx, chromedp.Evaluate[float64](fmt.Sprintf(`(() => {
			const gray = Uint8Array.from(atob(%q), c => c.charCodeAt(0));
			const s = performance.now();
			for (let i = 0; i < %d; i++) { if (ikd.scan(gray, %d, %d) !== %q) throw new Error('no read'); }
			return (performance.now() - s) / %d;
		})()`, base64.StdEncoding.EncodeToString(frame.Pix), scans, videoW, videoH, texts[0][0], scans)))
		require.NoError(t, err)
		pv := time.Duration(pageMS * float64(time.Millisecond))
		ps := time.Duration(scanMS * float64(time.Millisecond))
		verifyRatios = append(verifyRatios, float64(pv)/float64(nv))
		scanRatios = append(scanRatios, float64(ps)/float64(ns))
		t.Logf("round %d: verify page %v native %v (%.1f×); scan page %v native %v (%.1f×)", r, pv, nv, verifyRatios[r], ps, ns, scanRatios[r])
	}
	slices.Sort(verifyRatios)
	slices.Sort(scanRatios)
	t.Logf("verify (accepted share code; the page's includes its JSON verdict): page/native median %.1f× (%.1f–%.1f×)", verifyRatios[rounds/2], verifyRatios[0], verifyRatios[rounds-1])
	t.Logf("scan (640×480 gray frame, phone with code): page/native median %.1f× (%.1f–%.1f×)", scanRatios[rounds/2], scanRatios[0], scanRatios[rounds-1])
}

func jsArray(texts []string) string {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, s := range texts {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q", s)
	}
	b.WriteByte(']')
	return b.String()
}
