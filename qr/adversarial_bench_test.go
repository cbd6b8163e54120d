package qr

import (
	"errors"
	"fmt"
	"image"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/qrbench"
)

// adversarialSizes are the frame sizes of the adversarial benchmark: the
// two camera sizes a gate uses and the largest image Scan accepts.
var adversarialSizes = [][2]int{{640, 480}, {1280, 720}, {4096, 4096}}

// adversarialFrames returns, for a w×h frame, the clean frame with a code
// (the baseline, first) and every hostile frame: the qrbench set plus
// nested codes (a small code inside a large one) and a sheet of small codes.
func adversarialFrames(tb testing.TB, w, h int) []struct {
	name string
	img  *image.Gray
} {
	r := rand.New(rand.NewPCG(13, 13))
	code := mustRender(tb, presentationText(r, 300), nil)
	frames := []struct {
		name string
		img  *image.Gray
	}{{"clean_code", qrbench.Frame(code, w, h, 1)}}
	for _, a := range qrbench.AdversarialFrames {
		frames = append(frames, struct {
			name string
			img  *image.Gray
		}{a.Name, a.Build(w, h, 1)})
	}
	small := mustRender(tb, presentationText(r, 40), &renderOptions{ModuleSize: 1, QuietZone: 1})
	tiles := image.NewGray(image.Rect(0, 0, w, h))
	for i := range tiles.Pix {
		tiles.Pix[i] = 255
	}
	sw, sh := small.Rect.Dx(), small.Rect.Dy()
	for y := 0; y+sh <= h; y += sh {
		for x := 0; x+sw <= w; x += sw {
			for yy := 0; yy < sh; yy++ {
				copy(tiles.Pix[(y+yy)*tiles.Stride+x:][:sw], small.Pix[yy*small.Stride:][:sw])
			}
		}
	}
	nested := qrbench.Frame(code, w, h, 1)
	b := nested.Bounds()
	for y := 0; y < sh; y++ {
		copy(nested.Pix[(b.Dy()/2-sh/2+y)*nested.Stride+b.Dx()/2-sw/2:][:sw], small.Pix[y*small.Stride:][:sw])
	}
	text := presentationText(r, 300)
	damagedFormat := damagedCode(tb, text, true, 1)
	damagedData := damagedCode(tb, text, false, 2)
	two := qrbench.Background(w, h, 3)
	for i, c := range []*image.Gray{damagedData, damagedCode(tb, text, false, 3)} {
		side := min(w/2, h) * 9 / 10
		sc := qrbench.Scale(c, float64(side)/float64(c.Rect.Dx()))
		ox, oy := i*w/2+(w/2-side)/2, (h-side)/2
		for y := 0; y < sc.Rect.Dy() && oy+y < h; y++ {
			copy(two.Pix[(oy+y)*two.Stride+ox:][:min(sc.Rect.Dx(), w-ox)], sc.Pix[y*sc.Stride:])
		}
	}
	return append(frames, []struct {
		name string
		img  *image.Gray
	}{
		{"code_sheet", tiles}, {"nested_codes", nested},
		{"damaged_format_code", qrbench.Frame(damagedFormat, w, h, 1)},
		{"damaged_data_code", qrbench.Frame(damagedData, w, h, 1)},
		{"damaged_format_code_rot45", qrbench.Fit(qrbench.Rotate(qrbench.Frame(damagedFormat, w, h, 1), 45), w, h)},
		{"two_damaged_codes", two},
	}...)
}

// damagedCode renders text with 4-pixel modules and a 4-module quiet
// zone and damages it beyond repair: the format information (both
// copies, every module inverted) or, if !format, 40% of the modules of a
// square covering the middle half of the code, flipped at random. The
// finder patterns are intact: the detector finds the code, samples its
// grid and fails to decode it.
func damagedCode(tb testing.TB, text string, format bool, seed uint64) *image.Gray {
	const m, q = 4, 4
	img := mustRender(tb, text, &renderOptions{ModuleSize: m, QuietZone: q})
	n := img.Rect.Dx()/m - 2*q // modules per side
	flip := func(mx, my int) {
		for y := (q + my) * m; y < (q+my+1)*m; y++ {
			for x := (q + mx) * m; x < (q+mx+1)*m; x++ {
				img.Pix[y*img.Stride+x] = 255 - img.Pix[y*img.Stride+x]
			}
		}
	}
	if format {
		for i := 0; i <= 8; i++ {
			if i != 6 {
				flip(i, 8) // around the top-left finder
				flip(8, i)
			}
		}
		for i := 0; i < 8; i++ {
			flip(n-1-i, 8) // the copy by the other two finders
			flip(8, n-1-i)
		}
		return img
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	for my := n / 4; my < 3*n/4; my++ {
		for mx := n / 4; mx < 3*n/4; mx++ {
			if rng.IntN(10) < 4 {
				flip(mx, my)
			}
		}
	}
	return img
}

// reportCPU reports the CPU time per iteration since start as cpu-ms/op:
// on a machine shared with other work, wall time (ns/op) includes the
// time the benchmark waited for a core, CPU time does not, so the ratios
// of docs/scanning.md are taken from it.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(processCPU()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// BenchmarkScanAdversarial is the per-frame bound (docs/scanning.md): at
// each size, the clean frame with a code is the baseline and every hostile
// frame is compared with it, through Scan and (".../stream") through a
// Scanner fed the same frame again and again. Memory per frame is
// allocs/op and B/op.
//
//	go test ./qr -run '^$' -bench ScanAdversarial -benchmem -count 1
func BenchmarkScanAdversarial(b *testing.B) {
	for _, sz := range adversarialSizes {
		for _, f := range adversarialFrames(b, sz[0], sz[1]) {
			b.Run(fmt.Sprintf("%dx%d/%s", sz[0], sz[1], f.name), func(b *testing.B) {
				s := newScanner()
				_, err := s.Scan(f.img)
				if f.name == "clean_code" && err != nil {
					b.Fatalf("baseline not read: %v", err)
				}
				if err != nil && !errors.Is(err, ErrNoCode) {
					b.Fatal(err)
				}
				b.ReportAllocs()
				cpu := processCPU()
				for b.Loop() {
					s.Scan(f.img)
				}
				reportCPU(b, cpu)
			})
			// The same frame, again and again, through the stream Scanner:
			// what a gate camera pays per frame for a sheet held up to it.
			b.Run(fmt.Sprintf("%dx%d/%s/stream", sz[0], sz[1], f.name), func(b *testing.B) {
				sc := NewScanner()
				b.ReportAllocs()
				cpu := processCPU()
				for b.Loop() {
					sc.Scan(f.img)
				}
				reportCPU(b, cpu)
			})
		}
	}
}

// TestScanBoundedWork checks the per-frame bound without timing it: on
// every adversarial frame Scan runs few rungs of the ladder (the cap and the
// edge gate give sheets and noise one), no attempt collects more than the
// candidate cap, and the frames without a readable code give ErrNoCode.
func TestScanBoundedWork(t *testing.T) {
	maxRungs := map[string]int{
		"finders_m1_gap1": 1, "finders_m2_gap1": 1, "finders_m3_gap2": 1, "finders_m4_gap4": 1,
		"finders_m8_gap1": 1, "noise": 1, "checker1": 1, "stripes2": 1, "code_sheet": 1,
	}
	sizes := [][2]int{{640, 480}, {1280, 720}}
	if testing.Short() { // the race run of .ci/run: one size
		sizes = sizes[:1]
	}
	for _, sz := range sizes {
		for _, f := range adversarialFrames(t, sz[0], sz[1]) {
			t.Run(fmt.Sprintf("%dx%d/%s", sz[0], sz[1], f.name), func(t *testing.T) {
				s := newScanner()
				text, err := s.Scan(f.img)
				assert.LessOrEqual(t, s.seen, maxFinderCandidates+1, "the cap stops the candidate search")
				switch f.name {
				case "clean_code", "nested_codes":
					require.NoError(t, err)
					assert.NotEmpty(t, text)
					assert.LessOrEqual(t, s.rungs, 2, "a clean camera frame is read by the first rungs")
				default:
					assert.ErrorIs(t, err, ErrNoCode)
					if n, ok := maxRungs[f.name]; ok {
						assert.LessOrEqual(t, s.rungs, n)
					}
					assert.LessOrEqual(t, s.spent, float64(frameBudget), "every frame stays within the budget")
				}
				// The stream Scanner fed the frame again and again: each
				// frame within the same budget, the ladder spread over them.
				sc := NewScanner()
				rungs := 0
				for range 2 * len(ladder) {
					sc.Scan(f.img)
					assert.LessOrEqual(t, sc.s.spent, float64(frameBudget)+1e-9, "every stream frame stays within the budget")
					rungs += sc.s.rungs
				}
				if f.name != "clean_code" && f.name != "nested_codes" && sc.s.seen <= maxFinderCandidates {
					assert.Greater(t, rungs, 2*streamRungs, "later rungs run on later frames")
				}
			})
		}
	}
}
