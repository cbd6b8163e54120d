package verify_test

import (
	"image"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// cameraFrame places a rendered QR code (module size px pixels) in a gray
// frame of w×h with a textured background and sensor noise, like a phone
// screen held up to a gate camera.
func cameraFrame(tb testing.TB, text string, w, h, px int) *image.Gray {
	tb.Helper()
	rendered, err := qr.Render(text)
	require.NoError(tb, err)
	code := scaleModules(rendered, px)
	frame := image.NewGray(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			// A soft gradient with noise: the background of a real frame.
			frame.Pix[y*frame.Stride+x] = uint8(90 + (x*60)/w + (y*40)/h + r.IntN(24))
		}
	}
	cb := code.Bounds()
	ox, oy := (w-cb.Dx())/2, (h-cb.Dy())/2
	for y := range cb.Dy() {
		for x := range cb.Dx() {
			v := int(code.Pix[y*code.Stride+x])
			// Screen contrast is never perfect: dark is ~40, light ~215.
			v = 40 + v*175/255 + r.IntN(16) - 8
			frame.Pix[(oy+y)*frame.Stride+ox+x] = uint8(min(max(v, 0), 255))
		}
	}
	return frame
}

// renderModule is qr.Render's module size in pixels.
const renderModule = 4

// scaleModules redraws a qr.Render image with px pixels per module by
// nearest-neighbour sampling (each rendered module is exactly
// renderModule pixels square, so no edge blurs).
func scaleModules(img *image.Gray, px int) *image.Gray {
	modules := img.Bounds().Dx() / renderModule
	out := image.NewGray(image.Rect(0, 0, modules*px, modules*px))
	for y := range modules * px {
		for x := range modules * px {
			out.Pix[y*out.Stride+x] = img.Pix[(y/px*renderModule)*img.Stride+x/px*renderModule]
		}
	}
	return out
}

// BenchmarkFrameToVerdict is camera frame → verdict: qr.Scan on a gray
// frame and VerifyText on its text, for the travel profile (ES256 issuer).
// It reports the time of each stage (scan-ns/op, verify-ns/op) measured in
// the same loop.
func BenchmarkFrameToVerdict(b *testing.B) {
	for _, fr := range []struct {
		name     string
		w, h, px int
	}{
		{"640x480", 640, 480, 3},
		{"1280x720", 1280, 720, 5},
	} {
		b.Run(fr.name, func(b *testing.B) {
			c := newBenchCase(b, keys.ES256)
			frame := cameraFrame(b, c.text, fr.w, fr.h, fr.px)
			got, err := qr.Scan(frame)
			require.NoError(b, err)
			require.Equal(b, c.text, got)
			var scan, check time.Duration
			b.ReportAllocs()
			for b.Loop() {
				t0 := time.Now()
				text, err := qr.Scan(frame)
				t1 := time.Now()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := c.v.VerifyText(text); err != nil {
					b.Fatal(err)
				}
				scan += t1.Sub(t0)
				check += time.Since(t1)
			}
			n := float64(b.N)
			b.ReportMetric(float64(scan.Nanoseconds())/n, "scan-ns/op")
			b.ReportMetric(float64(check.Nanoseconds())/n, "verify-ns/op")
			b.ReportMetric(100*float64(scan)/float64(scan+check), "scan-%")
		})
	}
}

// BenchmarkVerifyImage is the verifier's own image entry point on the
// same 640×480 frame (qr.Scan inside).
func BenchmarkVerifyImage(b *testing.B) {
	c := newBenchCase(b, keys.ES256)
	frame := cameraFrame(b, c.text, 640, 480, 3)
	v, err := c.v.WithPolicy(verify.AirlineCheckIn())
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.VerifyImage(frame); err != nil {
			b.Fatal(err)
		}
	}
}
