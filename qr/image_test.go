package qr

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/base45"
	"github.com/ikdgo/ikd/internal/limits"
)

const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// presentationText returns "IKD1:" + base45 of n random bytes, shaped like a
// wallet presentation.
func presentationText(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return "IKD1:" + base45.Encode(b)
}

// alnumText returns "IKD1:" followed by random base45 characters, n
// characters in all.
func alnumText(r *rand.Rand, n int) string {
	b := []byte("IKD1:")
	for len(b) < n {
		b = append(b, base45Alphabet[r.IntN(len(base45Alphabet))])
	}
	return string(b)
}

func TestRenderUsesAlphanumericMode(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{20, 300, 730} {
		code, err := encode(alnumText(r, n), decoder.ErrorCorrectionLevel_M, -1)
		require.NoError(t, err)
		assert.Equal(t, decoder.Mode_ALPHANUMERIC, code.GetMode(), "n=%d", n)
	}
	code, err := encode("ikd1:lowercase", decoder.ErrorCorrectionLevel_M, -1)
	require.NoError(t, err)
	assert.Equal(t, decoder.Mode_BYTE, code.GetMode())
}

// TestVersion pins the versions of DESIGN.md's size budget: at ECC M an
// alphanumeric text of 419 characters needs version 12 and one of 734
// characters version 17.
func TestVersion(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	tests := []struct {
		chars int
		ecc   eccLevel
		want  int
	}{
		{20, eccMedium, 1},
		{300, eccMedium, 10},
		{419, eccMedium, 12},
		{420, eccMedium, 13},
		{530, eccMedium, 15},
		{552, eccMedium, 15},
		{730, eccMedium, 17},
		{734, eccMedium, 17},
		{735, eccMedium, 18},
		{734, 0, 17},
		{734, eccLow, 15},
		{734, eccQuartile, 21},
		{734, eccHigh, 24},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d_chars_%v", tc.chars, tc.ecc), func(t *testing.T) {
			v, err := version(alnumText(r, tc.chars), tc.ecc)
			require.NoError(t, err)
			assert.Equal(t, tc.want, v)
		})
	}
}

func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		opts *renderOptions
		want error
	}{
		{"empty_text", "", nil, errEmptyText},
		{"longer_than_MaxText", strings.Repeat("A", limits.MaxText+1), nil, errCapacity},
		{"does_not_fit_at_H", strings.Repeat("A", limits.MaxText), &renderOptions{ECC: eccHigh}, errCapacity},
		{"invalid_utf8", "\xff\xfe", nil, errCapacity},
		{"negative_module_size", "A", &renderOptions{ModuleSize: -1}, errRenderOptions},
		{"huge_module_size", "A", &renderOptions{ModuleSize: 65}, errRenderOptions},
		{"negative_quiet_zone", "A", &renderOptions{QuietZone: -4}, errRenderOptions},
		{"unknown_ecc", "A", &renderOptions{ECC: 9}, errRenderOptions},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, err := renderWith(tc.text, tc.opts)
			assert.ErrorIs(t, err, tc.want)
			assert.Nil(t, img)
			_, err = renderPNG(tc.text, tc.opts)
			assert.ErrorIs(t, err, tc.want)
			_, err = renderChecked(tc.text, tc.opts)
			assert.ErrorIs(t, err, tc.want)
		})
	}
	_, err := version("", eccMedium)
	assert.ErrorIs(t, err, errEmptyText)
	_, err = version("A", 7)
	assert.ErrorIs(t, err, errRenderOptions)
	_, err = RenderTerminal("")
	assert.ErrorIs(t, err, errEmptyText)
}

func TestErrorCorrectionString(t *testing.T) {
	assert.Equal(t, "L", eccLow.String())
	assert.Equal(t, "M", eccMedium.String())
	assert.Equal(t, "Q", eccQuartile.String())
	assert.Equal(t, "H", eccHigh.String())
	assert.Equal(t, "eccLevel(0)", eccLevel(0).String())
}

// TestRenderGeometry checks the exact size and that every module is a solid
// ModuleSize square of 0 or 255, with a white quiet zone.
func TestRenderGeometry(t *testing.T) {
	text := alnumText(rand.New(rand.NewPCG(3, 3)), 300)
	v, err := version(text, eccMedium)
	require.NoError(t, err)
	dim := 17 + 4*v
	for _, tc := range []struct{ ms, qz int }{{1, 4}, {4, 4}, {3, 2}, {7, 1}, {0, 0}} {
		t.Run(fmt.Sprintf("ms%d_qz%d", tc.ms, tc.qz), func(t *testing.T) {
			img, err := renderWith(text, &renderOptions{ModuleSize: tc.ms, QuietZone: tc.qz})
			require.NoError(t, err)
			ms, qz := tc.ms, tc.qz
			if ms == 0 {
				ms = defaultModuleSize
			}
			if qz == 0 {
				qz = defaultQuietZone
			}
			side := (dim + 2*qz) * ms
			require.Equal(t, image.Rect(0, 0, side, side), img.Bounds())
			for y := 0; y < side; y++ {
				for x := 0; x < side; x++ {
					v := img.Pix[y*img.Stride+x]
					require.True(t, v == 0 || v == 255)
					mx, my := x/ms-qz, y/ms-qz
					if mx < 0 || my < 0 || mx >= dim || my >= dim {
						require.EqualValues(t, 255, v, "quiet zone at %d,%d", x, y)
						continue
					}
					// Same value as the module's top-left pixel.
					require.Equal(t, img.Pix[(y/ms*ms)*img.Stride+x/ms*ms], v)
				}
			}
			// Top-left finder pattern: its corner module is dark.
			assert.EqualValues(t, 0, img.Pix[qz*ms*img.Stride+qz*ms])
		})
	}
}

func TestRenderPNG(t *testing.T) {
	text := "IKD1:" + base45.Encode([]byte("hello"))
	b, err := renderPNG(text, nil)
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(b))
	require.NoError(t, err)
	want, err := renderWith(text, nil)
	require.NoError(t, err)
	assert.Equal(t, want.Bounds(), img.Bounds())
	got, err := ScanReader(bytes.NewReader(b))
	require.NoError(t, err)
	assert.Equal(t, text, got)
}

// TestRenderTerminal decodes the half-block drawing back into modules and
// compares them with Render at one pixel per module.
func TestRenderTerminal(t *testing.T) {
	text := alnumText(rand.New(rand.NewPCG(4, 4)), 120)
	out, err := RenderTerminal(text)
	require.NoError(t, err)
	ref, err := renderWith(text, &renderOptions{ModuleSize: 1})
	require.NoError(t, err)
	side := ref.Bounds().Dx()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, (side+1)/2)
	img := image.NewGray(image.Rect(0, 0, side, side))
	for ly, line := range lines {
		runes := []rune(line)
		require.Len(t, runes, side)
		for x, c := range runes {
			var top, bottom bool // light?
			switch c {
			case '█':
				top, bottom = true, true
			case '▀':
				top = true
			case '▄':
				bottom = true
			case ' ':
			default:
				t.Fatalf("unexpected rune %q", c)
			}
			set := func(y int, light bool) {
				if y < side && light {
					img.Pix[y*side+x] = 255
				}
			}
			set(2*ly, top)
			set(2*ly+1, bottom)
		}
	}
	assert.Equal(t, ref.Pix, img.Pix)
	// And it scans, scaled up like a screenshot of the terminal.
	big, err := renderWith(text, &renderOptions{ModuleSize: 4})
	require.NoError(t, err)
	got, err := Scan(big)
	require.NoError(t, err)
	assert.Equal(t, text, got)
}

// TestRoundTrip renders texts of the sizes the wallet produces at module
// sizes 2 to 8 and scans them back.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	var texts []string
	for _, n := range []int{300, 420, 530, 730} {
		texts = append(texts, alnumText(r, n))
	}
	for _, n := range []int{180, 320, 480} {
		texts = append(texts, presentationText(r, n))
	}
	texts = append(texts, "plain ascii, byte mode: ikd", "UTF-8 ✓ Jl. Merdeka No. 1")
	for _, text := range texts {
		for ms := 2; ms <= 8; ms++ {
			t.Run(fmt.Sprintf("%d_chars/ms%d", len(text), ms), func(t *testing.T) {
				img, err := renderChecked(text, &renderOptions{ModuleSize: ms})
				require.NoError(t, err)
				got, err := Scan(img)
				require.NoError(t, err)
				assert.Equal(t, text, got)
			})
		}
	}
}

// TestReadBack is the wallet's rule: every code it shows must read back.
// It renders random presentation-like texts ("IKD1:" + base45 of 180–480
// random bytes) at 4 px/module through renderChecked, drawing new random
// bytes on ErrUnreadable as the wallet does with its nonce, and requires
// zero final failures. It logs gozxing's raw failure rate (encoder's mask
// only) and the rate after the mask fallback.
//
// 10,000 codes by default, 500 with -short.
func TestReadBack(t *testing.T) {
	n := 10000
	if testing.Short() {
		n = 500
	}
	if s := os.Getenv("IKD_READBACK_N"); s != "" {
		_, err := fmt.Sscan(s, &n)
		require.NoError(t, err)
	}
	r := rand.New(rand.NewPCG(6, 6))
	opts := &renderOptions{ModuleSize: 4}
	var rawFail, maskFail, retries int
	var rawFailLong, long int // texts over 600 characters
	start := time.Now()
	for i := 0; i < n; i++ {
		for attempt := 0; ; attempt++ {
			require.Less(t, attempt, 5, "code %d: 5 fresh nonces in a row did not read back", i)
			text := presentationText(r, 180+r.IntN(301))
			if len(text) > 600 {
				long++
			}
			// Raw: the encoder's mask only.
			if _, err := renderCheckedMasks(text, opts, 1); errors.Is(err, errUnreadable) {
				rawFail++
				if len(text) > 600 {
					rawFailLong++
				}
			} else {
				require.NoError(t, err)
				break // read back at the first try: the wallet shows it
			}
			img, err := renderChecked(text, opts)
			if errors.Is(err, errUnreadable) {
				maskFail++
				retries++
				continue // new nonce
			}
			require.NoError(t, err)
			got, err := Scan(img)
			require.NoError(t, err)
			require.Equal(t, text, got)
			break
		}
	}
	t.Logf("%d codes in %v: raw gozxing read-back failures %d (%.2f%%; %d of %d texts over 600 chars, %.2f%%); after the mask fallback %d; new nonces drawn %d",
		n, time.Since(start).Round(time.Millisecond), rawFail, 100*float64(rawFail)/float64(n),
		rawFailLong, long, 100*float64(rawFailLong)/float64(max(long, 1)), maskFail, retries)
}

var benchLengths = []int{300, 420, 530, 730}

func BenchmarkRender(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 7))
	for _, n := range benchLengths {
		text := alnumText(r, n)
		b.Run(fmt.Sprintf("%dchars", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := renderWith(text, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRenderPNG(b *testing.B) {
	text := alnumText(rand.New(rand.NewPCG(7, 7)), 730)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := renderPNG(text, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderChecked is Render plus the read-back scan, the wallet's
// cost per code shown.
func BenchmarkRenderChecked(b *testing.B) {
	r := rand.New(rand.NewPCG(8, 8))
	for _, n := range benchLengths {
		text := alnumText(r, n)
		b.Run(fmt.Sprintf("%dchars", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := renderChecked(text, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
