package qr

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	"github.com/makiuchi-d/gozxing/oned"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/qrbench"
)

// mustRender renders a checked code for text.
func mustRender(t testing.TB, text string, opts *renderOptions) *image.Gray {
	t.Helper()
	img, err := renderChecked(text, opts)
	require.NoError(t, err)
	return img
}

// knownUnreadable lists the degradations Scan is not expected to read, with
// the reason; TestScanDegraded logs them instead of failing.
var knownUnreadable = map[string]string{
	"blur2": "Gaussian blur of sigma 2 px at 4 px/module: zbarimg reads none of these either",
}

// TestScanDegraded scans the qrbench degradation set for a short and a long
// presentation.
func TestScanDegraded(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 10))
	texts := []string{presentationText(r, 200), presentationText(r, 470)}
	for ti, text := range texts {
		src := mustRender(t, text, nil)
		for ci, c := range qrbench.Cases {
			t.Run(fmt.Sprintf("%s/%dchars", c.Name, len(text)), func(t *testing.T) {
				img := c.Apply(src, uint64(100*ti+ci))
				got, err := Scan(img)
				if errors.Is(err, ErrNoCode) {
					// Past Scan's per-frame budget: the stream Scanner
					// spreads the rest of the ladder over the next frames.
					got, err = scanFrames(img, 2*len(ladder))
					if err == nil {
						t.Logf("not read by Scan within its budget; read by a Scanner over the frames that follow")
					}
				}
				if reason, ok := knownUnreadable[c.Name]; ok && err != nil {
					t.Skipf("not read (%v): %s", err, reason)
				}
				require.NoError(t, err)
				assert.Equal(t, text, got)
			})
		}
	}
}

// scanFrames feeds img to a new Scanner up to n times, as a camera that
// keeps showing it, and returns the first code reported.
func scanFrames(img image.Image, n int) (string, error) {
	sc := NewScanner()
	for range n {
		text, err := sc.Scan(img)
		if !errors.Is(err, ErrNoCode) {
			return text, err
		}
	}
	return "", ErrNoCode
}

// TestLuminance16Bit: the Pix paths for 16-bit images (finding 7 of the
// outside look at issue 13: they went through At, 7–25× a clean file)
// give the luminance At gives, within rounding, for random colours.
func TestLuminance16Bit(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 16))
	rect := image.Rect(0, 0, 32, 24)
	g16, c64, n64 := image.NewGray16(rect), image.NewRGBA64(rect), image.NewNRGBA64(rect)
	for i := range g16.Pix {
		g16.Pix[i] = byte(r.Uint32())
	}
	for y := 0; y < rect.Dy(); y++ {
		for x := 0; x < rect.Dx(); x++ {
			a := uint16(r.Uint32())
			c64.SetRGBA64(x, y, color.RGBA64{uint16(r.Uint32()) % (a + 1), uint16(r.Uint32()) % (a + 1), uint16(r.Uint32()) % (a + 1), a})
			n64.SetNRGBA64(x, y, color.NRGBA64{uint16(r.Uint32()), uint16(r.Uint32()), uint16(r.Uint32()), a})
		}
	}
	s := newScanner()
	for name, img := range map[string]image.Image{"gray16": g16, "rgba64": c64, "nrgba64": n64} {
		t.Run(name, func(t *testing.T) {
			g, err := s.luminance(img)
			require.NoError(t, err)
			for y := 0; y < rect.Dy(); y++ {
				for x := 0; x < rect.Dx(); x++ {
					assert.InDelta(t, int(lumaOf(img.At(x, y))), int(g.pix[y*g.w+x]), 3, "(%d,%d)", x, y)
				}
			}
		})
	}
}

// TestScanImageTypes checks every fast path against the same code: gray with
// and without padding, sub-images, YCbCr, RGBA, NRGBA (with transparency),
// paletted, and the At fallback (Gray16).
func TestScanImageTypes(t *testing.T) {
	text := presentationText(rand.New(rand.NewPCG(11, 11)), 300)
	g := mustRender(t, text, nil)
	b := g.Bounds()
	// Pad the code into a larger canvas and take a sub-image, so that
	// Stride != width and Rect.Min != (0, 0).
	canvas := image.NewGray(image.Rect(-7, -3, b.Dx()+40, b.Dy()+25))
	for i := range canvas.Pix {
		canvas.Pix[i] = 255
	}
	for y := 0; y < b.Dy(); y++ {
		copy(canvas.Pix[canvas.PixOffset(5, 9+y):], g.Pix[y*g.Stride:(y+1)*g.Stride])
	}
	sub := canvas.SubImage(image.Rect(1, 4, b.Dx()+10, b.Dy()+14)).(*image.Gray)

	ycc := image.NewYCbCr(b, image.YCbCrSubsampleRatio420)
	copy(ycc.Y, g.Pix)
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = 128, 128
	}
	rgba := image.NewRGBA(b)
	nrgba := image.NewNRGBA(b)
	nrgbaAlpha := image.NewNRGBA(b) // dark modules opaque, light ones transparent
	gray16 := image.NewGray16(b)
	rgba64 := image.NewRGBA64(b)
	nrgba64 := image.NewNRGBA64(b) // light modules transparent
	pal := image.NewPaletted(b, color.Palette{color.White, color.Black})
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			v := g.GrayAt(x, y).Y
			rgba.Set(x, y, color.RGBA{v, v, v, 255})
			nrgba.Set(x, y, color.NRGBA{v, v, v, 255})
			if v == 0 {
				nrgbaAlpha.Set(x, y, color.NRGBA{0, 0, 0, 255})
				pal.SetColorIndex(x, y, 1)
			}
			gray16.Set(x, y, color.Gray16{uint16(v) * 257})
			w := uint16(v) * 257
			rgba64.Set(x, y, color.RGBA64{w, w, w, 0xffff})
			if v == 0 {
				nrgba64.Set(x, y, color.NRGBA64{0, 0, 0, 0xffff})
			}
		}
	}
	tests := []struct {
		name string
		img  image.Image
	}{
		{"gray", g},
		{"gray_subimage_with_stride", sub},
		{"ycbcr", ycc},
		{"ycbcr_subimage", ycc.SubImage(image.Rect(2, 2, b.Dx()-2, b.Dy()-2))},
		{"rgba", rgba},
		{"rgba_subimage", rgba.SubImage(image.Rect(3, 1, b.Dx(), b.Dy()))},
		{"nrgba", nrgba},
		{"nrgba_transparent_background", nrgbaAlpha},
		{"paletted", pal},
		{"gray16", gray16},
		{"gray16_subimage", gray16.SubImage(image.Rect(1, 2, b.Dx(), b.Dy()))},
		{"rgba64", rgba64},
		{"nrgba64_transparent_background", nrgba64},
	}
	s := newScanner()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Scan(tc.img)
			require.NoError(t, err)
			assert.Equal(t, text, got)
			// The reused Scanner gives the same answer frame after frame.
			for i := 0; i < 2; i++ {
				got, err = s.Scan(tc.img)
				require.NoError(t, err)
				assert.Equal(t, text, got)
			}
		})
	}
	// Scanning does not modify the caller's image.
	before := bytes.Clone(g.Pix)
	_, err := Scan(qrbench.Noise(g, 0, 1)) // a copy goes through blur etc.
	require.NoError(t, err)
	blank := image.NewGray(b)
	_, err = Scan(blank) // runs every attempt on an image we own
	require.ErrorIs(t, err, ErrNoCode)
	assert.Equal(t, before, g.Pix)
}

// hugeImage reports enormous bounds and fails the test if a pixel is read.
type hugeImage struct{ t *testing.T }

func (h hugeImage) ColorModel() color.Model { return color.GrayModel }
func (h hugeImage) Bounds() image.Rectangle { return image.Rect(0, 0, 100000, 100000) }
func (h hugeImage) At(x, y int) color.Color {
	h.t.Fatal("pixel read from an image that must be refused")
	return nil
}

func otherBarcode(t *testing.T, w gozxing.Writer, format gozxing.BarcodeFormat, text string) image.Image {
	t.Helper()
	bm, err := w.Encode(text, format, 300, 120, nil)
	require.NoError(t, err)
	img := image.NewGray(image.Rect(0, 0, bm.GetWidth()+40, bm.GetHeight()+40))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y := 0; y < bm.GetHeight(); y++ {
		for x := 0; x < bm.GetWidth(); x++ {
			if bm.Get(x, y) {
				img.SetGray(x+20, y+20, color.Gray{0})
			}
		}
	}
	return img
}

func TestScanMalformed(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 12))
	noise := image.NewGray(image.Rect(0, 0, 400, 300))
	for i := range noise.Pix {
		noise.Pix[i] = byte(r.Uint32())
	}
	white := image.NewGray(image.Rect(0, 0, 300, 300))
	for i := range white.Pix {
		white.Pix[i] = 255
	}
	// A QR code cut in half.
	half := mustRender(t, presentationText(r, 300), nil)
	half = half.SubImage(image.Rect(0, 0, half.Bounds().Dx()/2, half.Bounds().Dy())).(*image.Gray)

	tests := []struct {
		name string
		img  image.Image
		want error
	}{
		{"nil", nil, errImageTooSmall},
		{"0x0", image.NewGray(image.Rectangle{}), errImageTooSmall},
		{"1x1", image.NewGray(image.Rect(0, 0, 1, 1)), errImageTooSmall},
		{"20x500", image.NewGray(image.Rect(0, 0, 20, 500)), errImageTooSmall},
		{"inverted_rect", image.NewGray(image.Rect(10, 10, 0, 0)), errImageTooSmall},
		{"huge_bounds_not_read", hugeImage{t}, errImageTooLarge},
		{"all_white", white, ErrNoCode},
		{"all_black", image.NewGray(image.Rect(0, 0, 300, 300)), ErrNoCode},
		{"random_noise", noise, ErrNoCode},
		{"half_a_qr_code", half, ErrNoCode},
		{"code128", otherBarcode(t, oned.NewCode128Writer(), gozxing.BarcodeFormat_CODE_128, "IKD1:ABC"), ErrNoCode},
		{"datamatrix", otherBarcode(t, datamatrix.NewDataMatrixWriter(), gozxing.BarcodeFormat_DATA_MATRIX, "IKD1:ABC"), ErrNoCode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Scan(tc.img)
			assert.ErrorIs(t, err, tc.want)
			assert.Empty(t, got)
		})
	}
	// A huge image is refused by size even if it is a valid *image.Gray
	// header: only Bounds is consulted.
	_, err := Scan(&image.Gray{Rect: image.Rect(0, 0, 5000, 5000)})
	assert.ErrorIs(t, err, errImageTooLarge)
}

func TestScanReaderAndFile(t *testing.T) {
	text := presentationText(rand.New(rand.NewPCG(13, 13)), 250)
	g := mustRender(t, text, nil)
	var pngBuf, jpgBuf bytes.Buffer
	require.NoError(t, png.Encode(&pngBuf, g))
	require.NoError(t, jpeg.Encode(&jpgBuf, g, &jpeg.Options{Quality: 75}))
	dir := t.TempDir()
	for name, data := range map[string][]byte{"code.png": pngBuf.Bytes(), "code.jpg": jpgBuf.Bytes()} {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, data, 0o600))
		got, err := scanFile(path)
		require.NoError(t, err, name)
		assert.Equal(t, text, got)
		got, err = ScanReader(bytes.NewReader(data))
		require.NoError(t, err, name)
		assert.Equal(t, text, got)
	}

	// A PNG header claiming 100000×100000 pixels is refused from its header.
	hdr := hugePNGHeader(t)
	_, err := ScanReader(bytes.NewReader(hdr))
	assert.ErrorIs(t, err, errImageTooLarge)

	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, errImageFormat},
		{"text", []byte("IKD1:NOT AN IMAGE"), errImageFormat},
		{"truncated_png", pngBuf.Bytes()[:100], errImageFormat},
		{"tiny_png", encodePNG(t, image.NewGray(image.Rect(0, 0, 1, 1))), errImageTooSmall},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ScanReader(bytes.NewReader(tc.data))
			assert.ErrorIs(t, err, tc.want)
		})
	}
	_, err = scanFile(filepath.Join(dir, "missing.png"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func encodePNG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

// hugePNGHeader returns a small PNG whose IHDR says 100000×100000 pixels.
func hugePNGHeader(t *testing.T) []byte {
	b := encodePNG(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	// IHDR data starts at byte 16: width, height (big endian), and its CRC
	// (over type and data, bytes 12..28) at byte 29.
	put := func(off int, v uint32) {
		b[off], b[off+1], b[off+2], b[off+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	put(16, 100000)
	put(20, 100000)
	put(29, crc32.ChecksumIEEE(b[12:29]))
	return b
}

// TestZbarReadsRenderedCodes checks interoperability: zbarimg (the C
// decoder many Linux scanners use) reads Render's alphanumeric-mode codes
// to exactly their text.
func TestZbarReadsRenderedCodes(t *testing.T) {
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not installed (Debian: apt-get install zbar-tools)")
	}
	r := rand.New(rand.NewPCG(14, 14))
	dir := t.TempDir()
	for _, n := range []int{20, 300, 530, 730} {
		text := alnumText(r, n)
		b, err := renderPNG(text, nil)
		require.NoError(t, err)
		path := filepath.Join(dir, fmt.Sprintf("%d.png", n))
		require.NoError(t, os.WriteFile(path, b, 0o600))
		out, err := exec.Command(zbar, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path).Output()
		require.NoError(t, err, "zbarimg failed on %d chars", n)
		assert.Equal(t, text, strings.TrimSuffix(string(out), "\n"), "%d chars", n)
	}
}

// frame returns a camera-like gray frame holding a checked code.
func frame(b testing.TB, w, h int) (*image.Gray, string) {
	text := presentationText(rand.New(rand.NewPCG(15, 15)), 480)
	img, err := renderChecked(text, nil)
	if err != nil {
		b.Fatal(err)
	}
	return qrbench.Frame(img, w, h, 1), text
}

func toYCbCr(g *image.Gray) *image.YCbCr {
	y := image.NewYCbCr(g.Bounds(), image.YCbCrSubsampleRatio420)
	copy(y.Y, g.Pix)
	for i := range y.Cb {
		y.Cb[i], y.Cr[i] = 128, 128
	}
	return y
}

func benchScan(b *testing.B, img image.Image, want string) {
	b.Helper()
	s := newScanner()
	got, err := s.Scan(img)
	if err != nil || got != want {
		b.Fatalf("Scan = %q, %v", got, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Scan(img); err != nil {
			b.Fatal(err)
		}
	}
}

// stockScan is the baseline: gozxing's documented path, with the per-pixel
// At() conversion of NewLuminanceSourceFromImage.
func stockScan(img image.Image) (string, error) {
	bm, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(gozxing.NewLuminanceSourceFromImage(img)))
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bm, nil)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

func benchStock(b *testing.B, img image.Image, want string) {
	b.Helper()
	got, err := stockScan(img)
	if err != nil || got != want {
		b.Fatalf("stock scan = %q, %v", got, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := stockScan(img); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScanClean(b *testing.B) {
	text := presentationText(rand.New(rand.NewPCG(16, 16)), 480)
	img := mustRender(b, text, nil)
	b.Run("gray", func(b *testing.B) { benchScan(b, img, text) })
	b.Run("stock_gozxing", func(b *testing.B) { benchStock(b, img, text) })
}

func BenchmarkScanFrame640x480(b *testing.B) {
	g, text := frame(b, 640, 480)
	b.Run("gray", func(b *testing.B) { benchScan(b, g, text) })
	b.Run("ycbcr", func(b *testing.B) { benchScan(b, toYCbCr(g), text) })
	b.Run("stock_gozxing_gray", func(b *testing.B) { benchStock(b, g, text) })
	b.Run("stock_gozxing_ycbcr", func(b *testing.B) { benchStock(b, toYCbCr(g), text) })
}

func BenchmarkScanFrame1280x720(b *testing.B) {
	g, text := frame(b, 1280, 720)
	b.Run("gray", func(b *testing.B) { benchScan(b, g, text) })
	b.Run("ycbcr", func(b *testing.B) { benchScan(b, toYCbCr(g), text) })
	b.Run("stock_gozxing_gray", func(b *testing.B) { benchStock(b, g, text) })
	b.Run("stock_gozxing_ycbcr", func(b *testing.B) { benchStock(b, toYCbCr(g), text) })
}

// BenchmarkScanNoCode is the cost of a frame without a code: every retry
// runs.
func BenchmarkScanNoCode(b *testing.B) {
	r := rand.New(rand.NewPCG(17, 17))
	g := image.NewGray(image.Rect(0, 0, 640, 480))
	for i := range g.Pix {
		g.Pix[i] = byte(r.Uint32())
	}
	s := newScanner()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Scan(g); !errors.Is(err, ErrNoCode) {
			b.Fatal(err)
		}
	}
}

// TestScanInconsistentImages: image values whose fields disagree, as a
// caller can build them, are unusable input (ErrImage), never a panic.
func TestScanInconsistentImages(t *testing.T) {
	for name, img := range map[string]image.Image{
		"nil_gray":              (*image.Gray)(nil),
		"gray_without_pix":      &image.Gray{Rect: image.Rect(0, 0, 100, 100), Stride: 100},
		"rgba_short_pix":        &image.RGBA{Rect: image.Rect(0, 0, 200, 200), Stride: 800, Pix: make([]byte, 100)},
		"gray_negative_stride":  &image.Gray{Rect: image.Rect(0, 0, 100, 100), Stride: -100, Pix: make([]byte, 10000)},
		"ycbcr_zero_value_size": &image.YCbCr{Rect: image.Rect(0, 0, 64, 64)},
		"paletted_short_pix":    &image.Paletted{Rect: image.Rect(0, 0, 64, 64), Stride: 64, Pix: make([]byte, 10)},
	} {
		t.Run(name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { _, err = Scan(img) })
			assert.ErrorIs(t, err, ErrImage)
		})
	}
}

// TestScanReaderDecodeMemory: the memory an image file decodes to is
// checked from its header, before decoding. A 16-bit RGBA PNG of 4096×4096
// pixels is a small file (flat colour compresses well) but 128 MiB decoded.
func TestScanReaderDecodeMemory(t *testing.T) {
	tests := []struct {
		name string
		img  image.Image
		want error
	}{
		{"rgba64_4096", image.NewRGBA64(image.Rect(0, 0, 4096, 4096)), errImageTooLarge},
		// The outside look at issue 13, finding 7: the gray copy counts too.
		// 2896×2896 at 8 bytes is just under 64 MiB; with the copy, over.
		{"rgba64_2896_with_gray_copy", image.NewRGBA64(image.Rect(0, 0, 2896, 2896)), errImageTooLarge},
		{"nrgba_4096_with_gray_copy", image.NewNRGBA(image.Rect(0, 0, 4096, 4096)), errImageTooLarge},
		{"gray_4096_fits", image.NewGray(image.Rect(0, 0, 4096, 4096)), ErrNoCode},
		{"gray16_4096_fits", image.NewGray16(image.Rect(0, 0, 4096, 4096)), ErrNoCode},
		{"rgba64_small_fits", image.NewRGBA64(image.Rect(0, 0, 300, 300)), ErrNoCode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			enc := png.Encoder{CompressionLevel: png.BestSpeed}
			require.NoError(t, enc.Encode(&buf, tc.img))
			_, err := ScanReader(&buf)
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

// TestScanPanicFindings: the image values of the review's findings scan
// without panicking; those with consistent fields are read as images.
func TestScanPanicFindings(t *testing.T) {
	code := mustRender(t, "IKD1:PANIC", nil)
	big := &image.Paletted{Pix: make([]byte, len(code.Pix)), Stride: code.Stride, Rect: code.Rect}
	for i := range 300 { // more colours than a byte can index
		big.Palette = append(big.Palette, color.Gray{uint8(i)})
	}
	big.Palette[255] = color.White
	copy(big.Pix, code.Pix) // index 0 → black, 255 → white
	t.Run("paletted_over_256_colours_is_read", func(t *testing.T) {
		var text string
		var err error
		require.NotPanics(t, func() { text, err = Scan(big) })
		require.NoError(t, err)
		assert.Equal(t, "IKD1:PANIC", text)
	})
	nilColour := &image.Paletted{Pix: make([]byte, 64*64), Stride: 64, Rect: image.Rect(0, 0, 64, 64), Palette: color.Palette{nil}}
	for name, img := range map[string]image.Image{
		"gray_short_pix":     &image.Gray{Rect: image.Rect(0, 0, 100, 100), Stride: 100, Pix: make([]byte, 50)},
		"ycbcr_zero_value":   &image.YCbCr{},
		"ycbcr_short_y":      &image.YCbCr{Rect: image.Rect(0, 0, 64, 64), YStride: 64, Y: make([]byte, 10)},
		"paletted_nil_color": nilColour,
	} {
		t.Run(name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { _, err = Scan(img) })
			require.NotPanics(t, func() { _, err = NewScanner().Scan(img) })
			assert.Error(t, err)
		})
	}
}
