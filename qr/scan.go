package qr

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // ScanReader reads JPEG
	_ "image/png"  // and PNG
	"io"
	"os"
	"reflect"
	"sync"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode/detector"

	"github.com/ikdgo/ikd/internal/limits"
)

// minImageSide is the smallest width or height that can hold a QR code:
// a version 1 symbol is 21 modules wide and a module needs at least a pixel.
const minImageSide = 21

// maxImageFileBytes caps the size of an image file or stream: a 4096×4096
// gray PNG of a QR code is far smaller, a camera JPEG of that size too.
const maxImageFileBytes = 32 << 20

var (
	// ErrNoCode is returned by the scanners when no QR code could be found
	// and decoded in the image, after every retry: try the next frame.
	// Other barcode formats (Code 128, Data Matrix, ...) are not read and
	// give ErrNoCode.
	ErrNoCode = errors.New("qr: no QR code found")

	// ErrImage is returned (wrapped with the reason) for an image that
	// cannot be scanned at all: over limits.MaxImagePixels pixels or 32 MiB
	// of file, under 21×21 pixels (the smallest QR code), nil, or data that
	// is not a PNG or JPEG image. It is an input error, not "no code".
	ErrImage = errors.New("qr: unusable image")

	errImageTooLarge = fmt.Errorf("%w: too large", ErrImage)
	errImageTooSmall = fmt.Errorf("%w: too small", ErrImage)
	errImageFormat   = fmt.Errorf("%w: not a readable PNG or JPEG image", ErrImage)
)

// Scan finds and decodes a QR code in img and returns its text exactly as
// encoded (never "": a code without data gives ErrNoCode). It is safe for
// concurrent use; it reuses pooled buffers across calls.
//
// *image.Gray and *image.YCbCr (camera frames: only the Y plane is used) are
// read without copying; *image.RGBA, *image.NRGBA, *image.Paletted and the
// 16-bit *image.Gray16, *image.RGBA64 and *image.NRGBA64 (from the high
// byte of each sample) are converted through their Pix slices; other types
// go through At, which costs milliseconds per frame. Images over limits.MaxImagePixels pixels fail with
// an error wrapping [ErrImage], and so do images under 21×21, both before
// any pixel is read; so do image values whose fields disagree (a Pix shorter
// than its bounds, a zero-value YCbCr), instead of panicking. If no attempt
// decodes a QR code Scan returns [ErrNoCode].
//
// Every image costs bounded time and memory, whatever it shows: images over
// 2 megapixels are shrunk by an integer factor before detection; a detector
// attempt that collects more than 40 finder-pattern candidates (a printed
// sheet of them) is abandoned, and so is the image; and the retries run,
// in the order of reads per millisecond measured on the degraded set of
// docs/scanning.md (half resolution, global-histogram binarizer, inverted,
// full-resolution local threshold, pure barcode, thorough finder search,
// inverted thorough, a light blur, 90° and 45° turns), within a hard
// per-image work budget that counts every attempt and every grid decoded
// in vain (a damaged code): no image, whatever it shows, costs much more
// than 6 times a clean frame of its size with a code (images smaller than
// 640×480 may cost what a 640×480 frame may). Images that are edges nearly
// everywhere (noise, fine checkerboards) get the first attempt only. For a
// camera's stream of frames use [Scanner], which spreads the retries that
// do not fit over the frames that follow.
func Scan(img image.Image) (string, error) {
	s := scannerPool.Get().(*scanner)
	defer scannerPool.Put(s)
	return s.Scan(img)
}

var scannerPool = sync.Pool{New: func() any { return newScanner() }}

// scanFile reads a PNG or JPEG file and scans it like Scan. The file size
// (at most 32 MiB) and the image dimensions from its header are checked
// before the pixels are decoded.
func scanFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("qr: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > maxImageFileBytes {
		return "", fmt.Errorf("%w: file of %d bytes > %d", errImageTooLarge, fi.Size(), maxImageFileBytes)
	}
	return ScanReader(f)
}

// ScanReader reads a PNG or JPEG image (at most 32 MiB) from r and scans it
// like Scan. Before any pixel is decoded, the dimensions in the image header
// are checked against limits.MaxImagePixels, and the memory that decoding
// and scanning take (from the PNG's bit depth, colour type and interlace,
// or the JPEG's components, sampling and coding: a progressive JPEG keeps 4
// bytes of coefficients per sample until its last scan) against
// limits.MaxImageBytes; a JPEG's markers are read first, and one with more
// than 32 scans, or whose scans would walk its blocks more than 12 times, is
// refused. So a 16-bit RGBA PNG of 4096×4096 pixels (128 MiB decoded) and a
// one-component progressive JPEG of that size (80 MiB) are refused, a 4:4:4
// baseline JPEG of that size (48 MiB) is read. Data that is not PNG or
// JPEG, and images too large, too costly or too small, give an error
// wrapping [ErrImage]; a failure to read r is returned as it is, wrapped.
func ScanReader(r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxImageFileBytes+1))
	if err != nil {
		return "", fmt.Errorf("qr: reading image: %w", err)
	}
	if len(data) > maxImageFileBytes {
		return "", fmt.Errorf("%w: more than %d bytes", errImageTooLarge, maxImageFileBytes)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("%w: %v", errImageFormat, err)
	}
	if format != "png" && format != "jpeg" {
		return "", fmt.Errorf("%w: format %q", errImageFormat, format)
	}
	if err := checkSize(cfg.Width, cfg.Height); err != nil {
		return "", err
	}
	n, err := decodedBytes(data, format, cfg)
	if err != nil {
		return "", err
	}
	if n > limits.MaxImageBytes {
		return "", fmt.Errorf("%w: %d×%d pixels decode to %d bytes > %d", errImageTooLarge, cfg.Width, cfg.Height, n, limits.MaxImageBytes)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("%w: %v", errImageFormat, err)
	}
	return Scan(img)
}

// decodedBytes returns, from the headers alone, the memory that decoding
// the image and scanning it take: the pixels as the standard decoders
// allocate them, a progressive JPEG's DCT coefficients (4 bytes per
// sample, kept until the last scan), and the 8-bit gray copy Scan makes of
// every image that is not already gray or YCbCr. A JPEG whose scans would
// cost more than a bounded number of passes over its blocks is refused
// with an error wrapping errImageTooLarge, and markers the decoder refuses
// with one wrapping errImageFormat (see parseJPEGCost).
func decodedBytes(data []byte, format string, cfg image.Config) (int64, error) {
	px := int64(cfg.Width) * int64(cfg.Height)
	if format == "png" {
		return pngBytes(data, px), nil
	}
	c, err := parseJPEGCost(data)
	if err != nil {
		return 0, err
	}
	n := c.bytes
	switch {
	case c.components == 4: // converted to image.CMYK, read through At
		n += 4*px + px
	case c.components == 3 && c.adobeRGB: // converted to image.RGBA
		n += 4*px + px
	}
	return n, nil
}

// pngBytes returns the memory of a PNG decoded by image/png and its gray
// copy: Gray for 8-bit gray without transparency (read in place), Gray16
// for 16-bit gray, Paletted, and 4 bytes per pixel (RGBA, NRGBA) for the
// other 8-bit types, 8 for their 16-bit forms; an interlaced PNG decodes
// each pass into an image of its own as well.
func pngBytes(data []byte, px int64) int64 {
	// IHDR follows the 8-byte signature and the chunk's length and type:
	// width, height (4 bytes each), bit depth, colour type, compression,
	// filter, interlace.
	if len(data) < 29 {
		return 9 * px
	}
	depth, colour, interlaced := data[24], data[25], data[28] == 1
	bpp, copyBytes := int64(4), int64(1)
	switch {
	case colour == 0 && !pngHasTRNS(data): // gray
		bpp, copyBytes = 1, 0
		if depth == 16 {
			bpp, copyBytes = 2, 1
		}
	case colour == 3: // paletted
		bpp = 1
	case depth == 16:
		bpp = 8
	}
	n := bpp * px
	if interlaced {
		n *= 2
	}
	return n + copyBytes*px
}

// pngHasTRNS reports whether a tRNS chunk comes before the image data (it
// turns a gray PNG into NRGBA).
func pngHasTRNS(data []byte) bool {
	for i := 8; i+8 <= len(data); {
		n := int64(binary.BigEndian.Uint32(data[i:]))
		switch string(data[i+4 : i+8]) {
		case "tRNS":
			return true
		case "IDAT", "IEND":
			return false
		}
		if n > int64(len(data)) {
			return true // malformed: err high
		}
		i += 12 + int(n)
	}
	return false
}

// isNilPointer reports whether img is a typed nil pointer, such as
// (*image.Gray)(nil), whose Bounds method would panic.
func isNilPointer(img image.Image) bool {
	v := reflect.ValueOf(img)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// checkSize refuses dimensions outside minImageSide..MaxImagePixels.
func checkSize(w, h int) error {
	if w < minImageSide || h < minImageSide {
		return fmt.Errorf("%w: %d×%d pixels", errImageTooSmall, w, h)
	}
	if int64(w)*int64(h) > limits.MaxImagePixels {
		return fmt.Errorf("%w: %d×%d pixels > %d", errImageTooLarge, w, h, limits.MaxImagePixels)
	}
	return nil
}

// scanner decodes QR codes from a stream of images (camera frames) and
// reuses its buffers from one image to the next. A scanner is not safe for
// concurrent use; use one per goroutine, or the package-level Scan.
type scanner struct {
	reader gozxing.Reader
	lum    []byte // luminance of a converted image
	work   []byte // blurred, rotated or downscaled copy

	shrunk []byte // a large image shrunk for detection
	turn   []byte // the 45° turn
	crop   []byte // the region of the last code (Scanner)

	// points are the finder and alignment centres of the last read, in the
	// coordinates of the plane it was read on.
	points [][2]float64

	// hybrid is the current frame's hybrid binary image, shared by the
	// attempts that use it.
	hybrid    *gozxing.BinaryBitmap
	hybridErr error
	global    *gozxing.BinaryBitmap // and its global-histogram one
	globalErr error

	// hints are the decode hints of each attempt, all carrying the
	// scanner's candidate counter as result-point callback.
	none, pure, harder map[gozxing.DecodeHintType]interface{}
	candidates         int     // finder-pattern candidates in this attempt
	seen               int     // most candidates of one attempt in this frame
	flooded            bool    // an attempt in this frame hit the cap
	sampled            int     // attempts in this frame that sampled a grid
	rungs              int     // rungs of the ladder run on this frame
	spent              float64 // their work units (step.cost)
	budget             float64 // this frame's budget (budgetFor)
}

// maxFinderCandidates caps the finder-pattern candidates that one detector
// attempt may collect. gozxing compares every triple of candidates
// (SelectBestPatterns is cubic in their number, and every new candidate is
// compared with all earlier ones), so a sheet printed with finder patterns
// would cost seconds to minutes per frame. A QR code has three; the false
// ones that data modules, text and screen edges produce in the camera
// frames of internal/qrbench stay under a dozen. An attempt that finds more
// is abandoned: at 40, the triple search costs under 10,000 comparisons.
const maxFinderCandidates = 40

// maxFirstCandidates is the most finder-pattern candidates an attempt may
// find on a frame that gets further rungs. A sheet of 8-pixel finder
// patterns shows 10 on the first rung, an inverted sheet 32 on the
// inverted one; giving up after any such attempt, not only the first,
// changed no read count of the degraded set (540 images).
const maxFirstCandidates = 9

// errTooManyCandidates abandons a detector attempt from inside gozxing's
// result-point callback, which has no other way to stop the search.
var errTooManyCandidates = errors.New("qr: too many finder-pattern candidates")

// newScanner returns a scanner with empty buffers.
func newScanner() *scanner {
	s := &scanner{reader: qrcode.NewQRCodeReader()}
	cb := gozxing.ResultPointCallback(func(p gozxing.ResultPoint) {
		if _, ok := p.(*detector.FinderPattern); !ok {
			return // alignment patterns are few and cheap
		}
		s.candidates++
		s.seen = max(s.seen, s.candidates)
		if s.candidates > maxFinderCandidates {
			s.flooded = true
			panic(errTooManyCandidates)
		}
	})
	s.none = map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_NEED_RESULT_POINT_CALLBACK: cb}
	s.pure = map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_NEED_RESULT_POINT_CALLBACK: cb, gozxing.DecodeHintType_PURE_BARCODE: true}
	s.harder = map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_NEED_RESULT_POINT_CALLBACK: cb, gozxing.DecodeHintType_TRY_HARDER: true}
	return s
}

// gray is a luminance plane: pix[y*w+x], 0 = black, 255 = white.
type gray struct {
	pix  []byte
	w, h int
}

var errAttemptPanic = errors.New("qr: decoder panic")

// Scan finds and decodes a QR code in img; see the package-level Scan for
// the accepted image types and the errors. It runs the rungs of ladder in
// order and stops at the first success.
func (s *scanner) Scan(img image.Image) (string, error) {
	g, err := s.luminance(img)
	if err != nil {
		return "", err
	}
	g = s.detectionPlane(g)
	s.frame()
	s.budget = budgetFor(g)
	for i := range ladder {
		if s.hopeless(i, g) {
			break
		}
		if !s.spend(s.costOf(i), attemptsOf(i)) {
			continue // a cheaper rung further down may still fit
		}
		if text, ok := s.rung(i, g); ok {
			return text, nil
		}
	}
	return "", ErrNoCode
}

// spend charges cost work units to the current frame and reports whether
// they fit in frameBudget; a rung that does not fit is not run. Every
// frame, whatever it shows and whatever its size, stops there.
//
// The cost of a rung includes a reserve of sampleCost for each decode
// attempt it makes: an attempt that finds three finder patterns samples a
// grid and decodes it, which on a damaged code fails after the work, and
// that work is charged as it happens. So a frame showing a damaged code,
// or fake finder patterns that line up, runs fewer rungs, and no frame
// exceeds its budget.
func (s *scanner) spend(cost float64, attempts int) bool {
	if s.spent+cost+float64(attempts)*sampleCost > s.budget+1e-9 { // 1e-9: decimal costs may round up
		return false
	}
	s.spent += cost
	s.rungs++
	return true
}

// hopeless reports whether the frame g, on which rungs before the i-th
// failed, is given up. Past the first rung, a frame that is edges nearly
// everywhere (noise, checkerboards, fine stripes, sheets of small codes) is
// given up: no code a camera can read looks like that, and such frames are
// the most expensive to search. So is a frame in which an attempt hit the
// candidate cap (a sheet of finder patterns, which every further attempt
// would hit again), and one on which any attempt found more candidates
// than a code shows (a sheet of large finder patterns, or an inverted
// sheet, whose candidates the inverted rung finds).
func (s *scanner) hopeless(i int, g gray) bool {
	return i > 0 && s.flooded ||
		i > 0 && s.seen > maxFirstCandidates ||
		i == 1 && edgeDensity(g) > maxEdgeDensity
}

// frame starts a new frame: attempts on it share its binary image.
func (s *scanner) frame() {
	s.hybrid, s.hybridErr = nil, nil
	s.global, s.globalErr = nil, nil
	s.seen, s.flooded, s.sampled, s.rungs, s.spent = 0, false, 0, 0, 0
}

// rung runs ladder[i] on g, the current frame.
func (s *scanner) rung(i int, g gray) (string, bool) {
	return ladder[i].try(s, g)
}

// A step is one attempt of the retry ladder.
type step struct {
	name string
	// cost is the step's measured time relative to "half" on the same
	// frame (BenchmarkScanLadder), the unit of the per-frame budget,
	// without the binarization it shares with other steps.
	cost float64
	// bin is the frame's shared binary image the step decodes, which the
	// first step to need it on a frame pays for.
	bin binImage
	try func(s *scanner, g gray) (string, bool)
}

// binImage names a binary image of the frame shared by several steps.
type binImage int

const (
	binOwn    binImage = iota // the step binarizes an image of its own
	binGlobal                 // the global-histogram binary image
	binHybrid                 // the local-threshold (hybrid) binary image
)

// Binarizing a whole frame, relative to the "half" step: measured with
// the steps (BenchmarkScanLadder) on 640×480 and 1280×720 frames.
const (
	globalBinCost = 1.2
	hybridBinCost = 2.2
)

// sampleCost is what decoding a grid that fails costs (the grid sampled
// from three finder patterns, read, then read mirrored), relative to
// "half" on a 640×480 frame; on larger frames it is less.
const sampleCost = 1.2

// attemptsOf is how many decode attempts ladder[i] makes at most.
func attemptsOf(i int) int {
	if ladder[i].name == "inverted_thorough" {
		return 2
	}
	return 1
}

// costOf returns what ladder[i] costs on the current frame: its own cost
// and, if it is the first to need it, the binarization it shares.
func (s *scanner) costOf(i int) float64 {
	c := ladder[i].cost
	switch ladder[i].bin {
	case binGlobal:
		if s.global == nil && s.globalErr == nil {
			c += globalBinCost
		}
	case binHybrid:
		if s.hybrid == nil && s.hybridErr == nil {
			c += hybridBinCost
		}
	}
	return c
}

// frameBudget is the work one frame may cost, in units of the first rung:
// the rungs run in order, each only if its cost (and its reserve for
// failed grid decodes) still fits, and the frame is given up when none
// does. It holds for every frame, whatever it shows (a damaged code, fake
// finder patterns) and whatever its size: a clean frame is read by the
// first rung, so no frame costs much more than frameBudget times a clean
// one (BenchmarkScanAdversarial: at most about 6× measured, the issue's
// bound is 10×). The stream Scanner spreads the rungs that do not fit
// over the frames that follow.
const frameBudget = 6

// smallImagePixels is the smallest camera frame (640×480). An image
// smaller than that (a rendered code, a screenshot, a crop) may cost what
// a frame of this size may: its budget is frameBudget scaled up by the
// ratio of the pixel counts, so that no image costs more than the worst
// 640×480 frame.
const smallImagePixels = 640 * 480

// budgetFor is the budget of plane g: frameBudget, scaled up for images
// smaller than a camera frame.
func budgetFor(g gray) float64 {
	px := int64(g.w) * int64(g.h)
	if px >= smallImagePixels {
		return frameBudget
	}
	return frameBudget * float64(smallImagePixels) / float64(max(px, 1))
}

// ladder is the retry ladder, ordered by reads per millisecond measured on
// the degraded set of internal/qrbench (Cases and CameraCases; see
// BenchmarkScanLadder and docs/scanning.md): the attempts that read most
// per unit of time come first, so that a frame with a code is read early
// and a frame without one pays as little as the ladder allows.
var ladder = []step{
	// The image at half resolution (2×2 average): a quarter of the pixels,
	// and it reads most camera frames (their modules are 3 px or more).
	{"half", 1, binOwn, func(s *scanner, g gray) (string, bool) {
		if g.w < 2*minImageSide || g.h < 2*minImageSide {
			return "", false
		}
		return s.tryHybrid(s.downscale(g), false)
	}},
	// The global-histogram binarizer (small modules, even lighting).
	{"global", 0.6, binGlobal, func(s *scanner, g gray) (string, bool) { return s.tryGlobal(g) }},
	// The same binary image inverted (light modules on dark, as on a
	// terminal): its bits flipped, not binarized again.
	{"inverted", 0.4, binGlobal, func(s *scanner, g gray) (string, bool) { return s.inverted(s.globalBitmap(g), false) }},
	// The local-threshold (hybrid) binarizer at full resolution (uneven
	// lighting, fine modules the half-resolution rung loses).
	{"hybrid", 0.6, binHybrid, func(s *scanner, g gray) (string, bool) { return s.onHybrid(g, s.none) }},
	// The same binary image as a pure, unrotated code (a rendered PNG).
	{"pure", 0.1, binHybrid, func(s *scanner, g gray) (string, bool) { return s.onHybrid(g, s.pure) }},
	// The same binary image with the thorough finder-pattern search.
	{"harder", 1, binHybrid, func(s *scanner, g gray) (string, bool) { return s.onHybrid(g, s.harder) }},
	// The same binary image inverted, then with the thorough finder
	// search: the last inverted codes the global binarizer misses.
	{"inverted_thorough", 1, binHybrid, func(s *scanner, g gray) (string, bool) { return s.inverted(s.hybridBitmap(g), true) }},
	// A 3×3 box blur (sensor noise, JPEG artefacts, halftone, moiré).
	{"blur", 4, binOwn, func(s *scanner, g gray) (string, bool) { return s.tryHybrid(s.blur(g), false) }},
	// The image turned 90°.
	{"rot90", 3.4, binOwn, func(s *scanner, g gray) (string, bool) { return s.tryHybrid(s.rotate(g), false) }},
	// The image turned 45° on a canvas of its size, for codes held
	// diagonally (gozxing's finder search misses many of them).
	{"rot45", 4.6, binOwn, func(s *scanner, g gray) (string, bool) { return s.tryHybrid(s.rotate45(g), false) }},
}

// maxEdgeDensity is the share of neighbouring pixel pairs differing by more
// than edgeStep above which a frame gets only the first rung. Uniform
// noise has 0.66, a one-pixel checkerboard 1, two-pixel stripes 0.5, a
// sheet of small codes 0.44; every image of the degraded set (codes at
// 2–4 px per module with noise of σ 40, blur, JPEG, camera effects) stays
// under 0.25. A code at one pixel per module can exceed it, and is read by
// the first rung or not at all.
const (
	maxEdgeDensity = 0.3
	edgeStep       = 48
)

// edgeDensity returns the share of horizontally neighbouring pixel pairs,
// on every fourth row, that differ by more than edgeStep.
func edgeDensity(g gray) float64 {
	edges, pairs := 0, 0
	for y := 0; y < g.h; y += 4 {
		row := g.pix[y*g.w:][:g.w]
		for x := 1; x < len(row); x++ {
			d := int(row[x]) - int(row[x-1])
			if d > edgeStep || d < -edgeStep {
				edges++
			}
		}
		pairs += len(row) - 1
	}
	return float64(edges) / float64(max(pairs, 1))
}

// onHybrid decodes the current frame's hybrid binary image with hints,
// binarizing it on first use.
func (s *scanner) onHybrid(g gray, hints map[gozxing.DecodeHintType]interface{}) (string, bool) {
	bm := s.hybridBitmap(g)
	if bm == nil {
		return "", false
	}
	text, err := s.decodeBitmap(bm, hints)
	return text, err == nil
}

// maxDetectPixels is the largest plane the detector works on. Larger
// images are shrunk by an integer factor (box average) first: detection
// time grows with the pixel count, and a code that fills enough of a
// 16-megapixel photo to be read at all is still several pixels per module
// at 2 megapixels.
const maxDetectPixels = 2 << 20

// shrinkFactor is the integer factor by which detectionPlane shrinks a
// w×h plane: 1 up to maxDetectPixels.
func shrinkFactor(w, h int) int {
	n := int64(w) * int64(h)
	k := 1
	for n/int64(k*k) > maxDetectPixels {
		k++
	}
	return k
}

// detectionPlane returns g, or g shrunk by the smallest integer factor
// that brings it to at most maxDetectPixels, in the scanner's shrink
// buffer.
func (s *scanner) detectionPlane(g gray) gray {
	n := int64(g.w) * int64(g.h)
	if n <= maxDetectPixels {
		return g
	}
	k := shrinkFactor(g.w, g.h)
	w, h := g.w/k, g.h/k
	s.shrunk = grow(s.shrunk, w*h)
	sums := make([]uint32, w)
	for y := 0; y < h; y++ {
		clear(sums)
		for yy := y * k; yy < (y+1)*k; yy++ {
			row := g.pix[yy*g.w:][:w*k]
			for x := range sums {
				for _, v := range row[x*k : (x+1)*k] {
					sums[x] += uint32(v)
				}
			}
		}
		out := s.shrunk[y*w:][:w]
		d := uint32(k * k)
		for x, v := range sums {
			out[x] = byte((v + d/2) / d)
		}
	}
	return gray{s.shrunk, w, h}
}

// scanStrict reads img with the first attempt only (hybrid binarizer, no
// hints): what renderChecked requires of a freshly rendered code.
func (s *scanner) scanStrict(img *image.Gray) (string, error) {
	g, err := s.luminance(img)
	if err != nil {
		return "", err
	}
	text, err := s.decode(gozxing.NewHybridBinarizer(source(g)), s.none)
	if err != nil {
		return "", ErrNoCode
	}
	return text, nil
}

// tryHybrid binarizes g once with the hybrid binarizer and runs the plain
// detector on it, then (if thorough) the pure-barcode reader and the
// TRY_HARDER detector on the same binary image.
func (s *scanner) tryHybrid(g gray, thorough bool) (string, bool) {
	return s.tryHybridSource(source(g), thorough)
}

func (s *scanner) tryHybridSource(src gozxing.LuminanceSource, thorough bool) (string, bool) {
	bm, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
	if err != nil {
		return "", false
	}
	if text, err := s.decodeBitmap(bm, s.none); err == nil {
		return text, true
	}
	if !thorough {
		return "", false
	}
	if text, err := s.decodeBitmap(bm, s.pure); err == nil {
		return text, true
	}
	if text, err := s.decodeBitmap(bm, s.harder); err == nil {
		return text, true
	}
	return "", false
}

func (s *scanner) tryGlobal(g gray) (string, bool) {
	bm := s.globalBitmap(g)
	if bm == nil {
		return "", false
	}
	if text, err := s.decodeBitmap(bm, s.none); err == nil {
		return text, true
	}
	return "", false
}

// globalBitmap returns the current frame's global-histogram binary image,
// binarizing g on first use, or nil.
func (s *scanner) globalBitmap(g gray) *gozxing.BinaryBitmap {
	if s.global == nil && s.globalErr == nil {
		s.global, s.globalErr = gozxing.NewBinaryBitmap(gozxing.NewGlobalHistgramBinarizer(source(g)))
	}
	return s.global
}

// hybridBitmap returns the current frame's hybrid binary image,
// binarizing g on first use, or nil.
func (s *scanner) hybridBitmap(g gray) *gozxing.BinaryBitmap {
	if s.hybrid == nil && s.hybridErr == nil {
		s.hybrid, s.hybridErr = gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(source(g)))
	}
	return s.hybrid
}

// inverted decodes bm with black and white swapped (light modules on
// dark, as on a terminal) by flipping its bits in place and back: the same
// as binarizing the inverted image, without binarizing again. If thorough,
// the thorough finder search follows.
func (s *scanner) inverted(bm *gozxing.BinaryBitmap, thorough bool) (string, bool) {
	if bm == nil {
		return "", false
	}
	m, err := bm.GetBlackMatrix()
	if err != nil {
		return "", false
	}
	m.FlipAll()
	defer m.FlipAll()
	hints := []map[gozxing.DecodeHintType]interface{}{s.none}
	if thorough {
		hints = append(hints, s.harder)
	}
	for _, h := range hints {
		if text, err := s.decodeBitmap(bm, h); err == nil {
			return text, true
		}
	}
	return "", false
}

func (s *scanner) decode(b gozxing.Binarizer, hints map[gozxing.DecodeHintType]interface{}) (string, error) {
	bm, err := gozxing.NewBinaryBitmap(b)
	if err != nil {
		return "", err
	}
	return s.decodeBitmap(bm, hints)
}

// decodeBitmap runs the QR reader, turning a panic inside gozxing into an
// error: the scanner never panics on input.
func (s *scanner) decodeBitmap(bm *gozxing.BinaryBitmap, hints map[gozxing.DecodeHintType]interface{}) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			text, err = "", errAttemptPanic
			if r == errTooManyCandidates {
				err = errTooManyCandidates
			}
		}
	}()
	s.candidates = 0
	res, err := s.reader.Decode(bm, hints)
	if err != nil {
		// A format or checksum error means the detector found three finder
		// patterns and sampled a grid from them: there is likely a code.
		var fe gozxing.FormatException
		var ce gozxing.ChecksumException
		if errors.As(err, &fe) || errors.As(err, &ce) {
			s.sampled++
			s.spent += sampleCost
		}
		return "", err
	}
	if res.GetText() == "" { // a code with no data carries nothing to verify
		return "", ErrNoCode
	}
	s.points = s.points[:0]
	for _, p := range res.GetResultPoints() {
		s.points = append(s.points, [2]float64{p.GetX(), p.GetY()})
	}
	return res.GetText(), nil
}

func source(g gray) gozxing.LuminanceSource {
	// PlanarYUVLuminanceSource over the full plane hands the slice to the
	// binarizer without copying it (GetMatrix returns it as is).
	src, err := gozxing.NewPlanarYUVLuminanceSource(g.pix, g.w, g.h, 0, 0, g.w, g.h, false)
	if err != nil { // not reached: the crop is the whole plane
		panic(err)
	}
	return src
}

// grow returns buf resized to n bytes, reusing its storage when it can.
func grow(buf []byte, n int) []byte {
	if cap(buf) < n {
		return make([]byte, n)
	}
	return buf[:n]
}

// luminance returns the gray plane of img, checking its size before reading
// any pixel. Gray and YCbCr images with a tight stride are used in place.
func (s *scanner) luminance(img image.Image) (g gray, err error) {
	// A caller can build image values whose fields disagree (a Pix shorter
	// than Rect and Stride say, a nil *image.Gray, an At that panics): the
	// copy below would then panic. Such an image is unusable input, not a
	// crash of the scanner.
	defer func() {
		if r := recover(); r != nil {
			g, err = gray{}, fmt.Errorf("%w: inconsistent %T: %v", ErrImage, img, r)
		}
	}()
	if img == nil || isNilPointer(img) {
		return gray{}, fmt.Errorf("%w: nil image", errImageTooSmall)
	}
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	if err := checkSize(w, h); err != nil {
		return gray{}, err
	}
	switch m := img.(type) {
	case *image.Gray:
		return s.plane(m.Pix[m.PixOffset(r.Min.X, r.Min.Y):], m.Stride, w, h), nil
	case *image.YCbCr:
		return s.plane(m.Y[m.YOffset(r.Min.X, r.Min.Y):], m.YStride, w, h), nil
	case *image.RGBA:
		s.lum = grow(s.lum, w*h)
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):][:4*w]
			out := s.lum[y*w : (y+1)*w]
			for x := range out {
				p := row[4*x : 4*x+4 : 4*x+4]
				// Premultiplied: composite over white.
				out[x] = byte((uint(p[0])+2*uint(p[1])+uint(p[2]))/4 + 255 - uint(p[3]))
			}
		}
		return gray{s.lum, w, h}, nil
	case *image.NRGBA:
		s.lum = grow(s.lum, w*h)
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):][:4*w]
			out := s.lum[y*w : (y+1)*w]
			for x := range out {
				p := row[4*x : 4*x+4 : 4*x+4]
				l, a := (uint(p[0])+2*uint(p[1])+uint(p[2]))/4, uint(p[3])
				out[x] = byte((l*a + 255*(255-a)) / 255)
			}
		}
		return gray{s.lum, w, h}, nil
	case *image.Gray16: // 16-bit PNGs: the high byte of each sample
		s.lum = grow(s.lum, w*h)
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):][:2*w]
			out := s.lum[y*w : (y+1)*w]
			for x := range out {
				out[x] = row[2*x]
			}
		}
		return gray{s.lum, w, h}, nil
	case *image.RGBA64:
		s.lum = grow(s.lum, w*h)
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):][:8*w]
			out := s.lum[y*w : (y+1)*w]
			for x := range out {
				p := row[8*x : 8*x+8 : 8*x+8]
				out[x] = byte((uint(p[0])+2*uint(p[2])+uint(p[4]))/4 + 255 - uint(p[6]))
			}
		}
		return gray{s.lum, w, h}, nil
	case *image.NRGBA64:
		s.lum = grow(s.lum, w*h)
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):][:8*w]
			out := s.lum[y*w : (y+1)*w]
			for x := range out {
				p := row[8*x : 8*x+8 : 8*x+8]
				l, a := (uint(p[0])+2*uint(p[2])+uint(p[4]))/4, uint(p[6])
				out[x] = byte((l*a + 255*(255-a)) / 255)
			}
		}
		return gray{s.lum, w, h}, nil
	case *image.Paletted:
		var pal [256]byte
		// A Pix byte indexes at most 256 colours; a longer palette's tail
		// is unreachable, and a nil colour reads as white.
		for i := range pal {
			pal[i] = 0xff // out-of-palette index: treat as white
			if i < len(m.Palette) && m.Palette[i] != nil {
				pal[i] = lumaOf(m.Palette[i])
			}
		}
		s.lum = grow(s.lum, w*h)
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):][:w]
			out := s.lum[y*w : (y+1)*w]
			for x, i := range row {
				out[x] = pal[i]
			}
		}
		return gray{s.lum, w, h}, nil
	}
	s.lum = grow(s.lum, w*h)
	i := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			s.lum[i] = lumaOf(img.At(x, y))
			i++
		}
	}
	return gray{s.lum, w, h}, nil
}

// lumaOf is gozxing's luminance (R+2G+B)/4, composited over white.
func lumaOf(c color.Color) byte {
	r, g, b, a := c.RGBA()
	l := (r + 2*g + b) / 4 // premultiplied, 0..0xffff
	return byte((l + 0xffff - a) >> 8)
}

// plane returns pix (stride bytes per row) as a gray plane, copying it into
// the scanner's buffer only when rows are not contiguous.
func (s *scanner) plane(pix []byte, stride, w, h int) gray {
	if stride == w {
		return gray{pix[:w*h], w, h}
	}
	s.lum = grow(s.lum, w*h)
	for y := 0; y < h; y++ {
		copy(s.lum[y*w:(y+1)*w], pix[y*stride:y*stride+w])
	}
	return gray{s.lum, w, h}
}

// blur returns a 3×3 box blur of g (edges clamped) in the work buffer.
func (s *scanner) blur(g gray) gray {
	w, h := g.w, g.h
	s.work = grow(s.work, w*h)
	out := s.work
	for y := 0; y < h; y++ {
		y0, y2 := max(y-1, 0), min(y+1, h-1)
		r0, r1, r2 := g.pix[y0*w:][:w], g.pix[y*w:][:w], g.pix[y2*w:][:w]
		o := out[y*w:][:w]
		col := func(x int) uint { return uint(r0[x]) + uint(r1[x]) + uint(r2[x]) }
		left, mid := col(0), col(0)
		for x := 0; x < w; x++ {
			right := col(min(x+1, w-1))
			o[x] = byte((left + mid + right) / 9)
			left, mid = mid, right
		}
	}
	return gray{out, w, h}
}

// downscale returns g at half its width and height (2×2 averages) in the
// work buffer.
func (s *scanner) downscale(g gray) gray {
	w, h := g.w/2, g.h/2
	s.work = grow(s.work, w*h)
	for y := 0; y < h; y++ {
		a, b := g.pix[2*y*g.w:][:2*w], g.pix[(2*y+1)*g.w:][:2*w]
		o := s.work[y*w:][:w]
		for x := range o {
			o[x] = byte((uint(a[2*x]) + uint(a[2*x+1]) + uint(b[2*x]) + uint(b[2*x+1]) + 2) / 4)
		}
	}
	return gray{s.work, w, h}
}

// rotate returns g turned 90° clockwise in the work buffer.
func (s *scanner) rotate(g gray) gray {
	w, h := g.h, g.w
	s.work = grow(s.work, w*h)
	for y := 0; y < g.h; y++ {
		row := g.pix[y*g.w:][:g.w]
		x := g.h - 1 - y
		for i, v := range row {
			s.work[i*w+x] = v
		}
	}
	return gray{s.work, w, h}
}

// rotate45 returns g turned 45° about its centre on a canvas of g's own
// size (nearest-neighbour sampling, white where the turn leaves the
// image), in the turn buffer: a diagonal code near the centre of the
// frame, where a gate's passenger holds it, stays on the canvas, and the
// attempt costs what one on g does.
func (s *scanner) rotate45(g gray) gray {
	const c = 0.70710678118654752440 // cos 45° = sin 45°
	w, h := g.w, g.h
	s.turn = grow(s.turn, w*h)
	cx, cy := float64(g.w)/2, float64(g.h)/2
	// Source coordinates in 16.16 fixed point, stepped along each row.
	const one = 1 << 16
	const step = 46341 // cos 45° in 16.16
	for y := 0; y < h; y++ {
		dy := float64(y) + 0.5 - cy
		dx := 0.5 - cx
		sx := int((c*(dx-dy) + cx) * one)
		sy := int((c*(dx+dy) + cy) * one)
		row := s.turn[y*w:][:w]
		for x := range row {
			ix, iy := sx>>16, sy>>16
			if sx < 0 || sy < 0 || ix >= g.w || iy >= g.h {
				row[x] = 0xff
			} else {
				row[x] = g.pix[iy*g.w+ix]
			}
			sx += step
			sy += step
		}
	}
	return gray{s.turn, w, h}
}
