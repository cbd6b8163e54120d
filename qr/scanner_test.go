package qr

import (
	"fmt"
	"image"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/qrbench"
)

// phoneFrame draws code on a 640×480 camera frame with its left edge at x
// (the phone sliding in and out of view), over the textured background of
// qrbench.Frame.
func phoneFrame(bg, code *image.Gray, x int) *image.Gray {
	out := image.NewGray(bg.Rect)
	copy(out.Pix, bg.Pix)
	cw, ch := code.Rect.Dx(), code.Rect.Dy()
	oy := (bg.Rect.Dy() - ch) / 2
	for y := 0; y < ch; y++ {
		for cx := 0; cx < cw; cx++ {
			if fx := x + cx; fx >= 0 && fx < bg.Rect.Dx() {
				out.Pix[(oy+y)*out.Stride+fx] = uint8(20 + int(code.Pix[y*code.Stride+cx])*210/255)
			}
		}
	}
	return out
}

// streamCodes returns two codes scaled for a 640×480 frame and the frame
// background.
func streamCodes(tb testing.TB) (a, b, bg *image.Gray) {
	r := rand.New(rand.NewPCG(30, 30))
	bg = qrbench.Frame(qrbench.Scale(mustRender(tb, presentationText(r, 60), nil), 0.1), 640, 480, 3)
	a = qrbench.Scale(mustRender(tb, presentationText(r, 300), nil), 0.8)
	b = qrbench.Scale(mustRender(tb, presentationText(r, 300), nil), 0.8)
	return a, b, bg
}

func TestScanner(t *testing.T) {
	a, b, bg := streamCodes(t)
	wantA, err := Scan(a)
	require.NoError(t, err)
	wantB, err := Scan(b)
	require.NoError(t, err)
	blank := phoneFrame(bg, a, 10000)

	t.Run("thirty_frames_of_one_code_are_one_report", func(t *testing.T) {
		sc := NewScanner()
		reports, same := 0, 0
		for i := range 30 {
			text, err := sc.Scan(phoneFrame(bg, a, 100+i)) // moving slowly
			switch err {
			case nil:
				reports++
				assert.Equal(t, wantA, text)
			case ErrSameCode:
				same++
			}
		}
		assert.Equal(t, 1, reports)
		assert.Greater(t, same, 20, "the code stays readable in most frames")
	})
	t.Run("a_new_code_is_reported", func(t *testing.T) {
		sc := NewScanner()
		text, err := sc.Scan(phoneFrame(bg, a, 100))
		require.NoError(t, err)
		assert.Equal(t, wantA, text)
		text, err = sc.Scan(phoneFrame(bg, b, 100))
		require.NoError(t, err)
		assert.Equal(t, wantB, text)
	})
	// Findings 5 and 6 of the outside look at issue 13: a passenger who
	// lowers the phone for a moment, or a second code in view, must not
	// make the gate verify a code again (verify would refuse it as
	// replayed). The clock is the Scanner's, set by the test.
	clockScanner := func() (*Scanner, *time.Time) {
		sc := NewScanner()
		now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
		sc.now = func() time.Time { return now }
		return sc, &now
	}
	t.Run("a_code_lowered_and_shown_again_is_the_same_showing", func(t *testing.T) {
		sc, now := clockScanner()
		_, err := sc.Scan(phoneFrame(bg, a, 100))
		require.NoError(t, err)
		for range 60 { // two seconds without it
			_, err := sc.Scan(blank)
			require.ErrorIs(t, err, ErrNoCode)
			*now = now.Add(time.Second / 30)
		}
		_, err = sc.Scan(phoneFrame(bg, a, 120))
		assert.ErrorIs(t, err, ErrSameCode)
		*now = now.Add(rememberFor) // last seen just now: still remembered
		_, err = sc.Scan(phoneFrame(bg, a, 120))
		assert.ErrorIs(t, err, ErrSameCode)
		*now = now.Add(rememberFor + time.Second)
		text, err := sc.Scan(phoneFrame(bg, a, 140))
		require.NoError(t, err, "after rememberFor without it, a showing is new")
		assert.Equal(t, wantA, text)
	})
	t.Run("alternating_codes_are_reported_once_each", func(t *testing.T) {
		sc, now := clockScanner()
		reports := map[string]int{}
		for i := range 20 {
			img := phoneFrame(bg, a, 100)
			if i%2 == 1 {
				img = phoneFrame(bg, b, 100)
			}
			text, err := sc.Scan(img)
			if err == nil {
				reports[text]++
			}
			*now = now.Add(time.Second / 30)
		}
		assert.Equal(t, map[string]int{wantA: 1, wantB: 1}, reports)
	})
	t.Run("a_flashed_code_does_not_make_the_first_new", func(t *testing.T) {
		sc, _ := clockScanner()
		reports := 0
		for i := range 21 {
			img := phoneFrame(bg, a, 100)
			if i == 10 {
				img = phoneFrame(bg, b, 100)
			}
			if _, err := sc.Scan(img); err == nil {
				reports++
			}
		}
		assert.Equal(t, 2, reports, "A once, B once")
	})
	t.Run("the_least_recently_seen_code_is_forgotten_past_the_cap", func(t *testing.T) {
		sc, now := clockScanner()
		for i := range maxRemembered + 1 {
			assert.False(t, sc.seenAgain(fmt.Sprint("code", i)))
			*now = now.Add(time.Second)
		}
		assert.Len(t, sc.seen, maxRemembered)
		assert.False(t, sc.seenAgain("code0"), "evicted")
		assert.True(t, sc.seenAgain("code8"))
	})
	t.Run("a_frame_while_busy_is_dropped", func(t *testing.T) {
		sc := NewScanner()
		sc.mu.Lock() // another goroutine is scanning
		_, err := sc.Scan(phoneFrame(bg, a, 100))
		sc.mu.Unlock()
		assert.ErrorIs(t, err, ErrBusy)
		text, err := sc.Scan(phoneFrame(bg, a, 100))
		require.NoError(t, err)
		assert.Equal(t, wantA, text)
	})
	t.Run("ycbcr_frames", func(t *testing.T) {
		g := phoneFrame(bg, a, 100)
		y := image.NewYCbCr(g.Rect, image.YCbCrSubsampleRatio420)
		copy(y.Y, g.Pix)
		text, err := NewScanner().Scan(y)
		require.NoError(t, err)
		assert.Equal(t, wantA, text)
	})
	t.Run("the_zero_scanner_works", func(t *testing.T) {
		var sc Scanner
		text, err := sc.Scan(phoneFrame(bg, a, 100))
		require.NoError(t, err)
		assert.Equal(t, wantA, text)
	})
	t.Run("unusable_frames", func(t *testing.T) {
		sc := NewScanner()
		for _, img := range []image.Image{nil, &image.YCbCr{}, &image.Gray{Rect: image.Rect(0, 0, 100, 100)}} {
			_, err := sc.Scan(img)
			assert.ErrorIs(t, err, ErrImage)
		}
	})
}

// streamFrames is the replayed sequence of BenchmarkScannerStream: at 30
// fps, code a slides into view, stays, slides out, and code b (the wallet's
// next rotation) does the same; appear lists the first frame in which each
// code is partly in view.
func streamFrames(tb testing.TB) (frames []*image.Gray, want []string, appear, whole []int) {
	a, b, bg := streamCodes(tb)
	for _, code := range []*image.Gray{a, b} {
		text, err := Scan(code)
		if err != nil {
			tb.Fatal(err)
		}
		want = append(want, text)
		cw := code.Rect.Dx()
		first, all := -1, -1
		for i := range 20 { // sliding in over 20 frames
			x := -cw + (cw+150)*(i+1)/20
			if x+cw > 0 && first < 0 {
				first = len(frames)
			}
			if x >= 0 && all < 0 {
				all = len(frames)
			}
			frames = append(frames, phoneFrame(bg, code, x))
		}
		appear, whole = append(appear, first), append(whole, all)
		for i := range 60 { // held, shaking a little
			frames = append(frames, phoneFrame(bg, code, 150+(i%5)*3))
		}
		for i := range 20 { // and out
			frames = append(frames, phoneFrame(bg, code, 150+(640-150)*(i+1)/20))
		}
		for range 10 {
			frames = append(frames, phoneFrame(bg, code, 10000))
		}
	}
	return frames, want, appear, whole
}

// BenchmarkScannerStream replays a generated 30 fps sequence (a phone
// screen sliding in and out of view, its code rotating) through a Scanner
// on one goroutine. Frames that arrive while the previous one is still
// being scanned are dropped, as Scanner does, on a simulated 30 fps clock
// driven by the measured scan times. It reports the frames per second a
// core sustains (fps), the reports per replay (must be 2, one per code),
// and the latency from the first frame with any of the code in view to its
// report (latency_ms), and from the first frame with all of it in view
// (latency_whole_ms; negative when a code is read before its quiet zone
// is wholly in view). Scan only: verification adds ~0.1 ms.
//
//	go test ./qr -run '^$' -bench ScannerStream -count 1
func BenchmarkScannerStream(b *testing.B) {
	frames, want, appear, whole := streamFrames(b)
	const period = time.Second / 30
	var busy, latency, latencyWhole time.Duration
	scanned, reports, replays := 0, 0, 0
	for b.Loop() {
		sc := NewScanner()
		replays++
		var free time.Duration // when the scanner is free again, on the camera clock
		for i, f := range frames {
			at := time.Duration(i) * period
			if at < free {
				continue // dropped: the scanner is busy
			}
			t0 := time.Now()
			text, err := sc.Scan(f)
			d := time.Since(t0)
			busy += d
			scanned++
			free = at + d
			if err == nil {
				reports++
				for k, w := range want {
					if text == w {
						latency += at + d - time.Duration(appear[k])*period
						latencyWhole += at + d - time.Duration(whole[k])*period
					}
				}
			}
		}
	}
	b.ReportMetric(float64(scanned)/busy.Seconds(), "fps")
	b.ReportMetric(float64(reports)/float64(replays), "reports/replay")
	if reports > 0 {
		b.ReportMetric(float64(latency.Microseconds())/1000/float64(reports), "latency_ms")
		b.ReportMetric(float64(latencyWhole.Microseconds())/1000/float64(reports), "latency_whole_ms")
	}
}
