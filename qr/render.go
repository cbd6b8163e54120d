package qr

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"strings"
	"unicode/utf8"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"

	"github.com/ikdgo/ikd/internal/limits"
)

// eccLevel is a QR error correction level (ISO/IEC 18004 §7.5.1). The
// zero value means the default, eccMedium.
type eccLevel int

// Error correction levels, from the least redundancy (largest capacity) to the
// most. eccMedium, the default, restores about 15% of the codewords: the
// level Switzerland's and Germany's COVID certificate apps settled on so that
// low-end phones read their codes.
const (
	eccLow      eccLevel = iota + 1 // about 7% of codewords restorable
	eccMedium                       // about 15%; the default
	eccQuartile                     // about 25%
	eccHigh                         // about 30%
)

// String returns "L", "M", "Q" or "H", or "eccLevel(n)" for an
// unknown value.
func (e eccLevel) String() string {
	switch e {
	case eccLow:
		return "L"
	case eccMedium:
		return "M"
	case eccQuartile:
		return "Q"
	case eccHigh:
		return "H"
	}
	return fmt.Sprintf("eccLevel(%d)", int(e))
}

func (e eccLevel) level() (decoder.ErrorCorrectionLevel, bool) {
	switch e {
	case 0, eccMedium:
		return decoder.ErrorCorrectionLevel_M, true
	case eccLow:
		return decoder.ErrorCorrectionLevel_L, true
	case eccQuartile:
		return decoder.ErrorCorrectionLevel_Q, true
	case eccHigh:
		return decoder.ErrorCorrectionLevel_H, true
	}
	return 0, false
}

// Default rendering parameters.
const (
	// defaultModuleSize is the default width and height of one module, in
	// pixels.
	defaultModuleSize = 4
	// defaultQuietZone is the default margin, in modules, on each side of the
	// symbol: the 4 modules ISO/IEC 18004 §6.3.8 requires.
	defaultQuietZone = 4

	maxModuleSize = 64
	maxQuietZone  = 64
)

var (
	// errEmptyText is returned by the renderers for an empty text: a QR code
	// needs at least one character.
	errEmptyText = errors.New("qr: empty text")

	// errCapacity is returned (wrapped) by the renderers and Version when the
	// text is longer than limits.MaxText or does not fit in a version 40 QR
	// code at the requested error correction level.
	errCapacity = errors.New("qr: text does not fit in a QR code")

	// errRenderOptions is returned (wrapped) for invalid renderOptions.
	errRenderOptions = errors.New("qr: invalid render options")

	// errUnreadable is returned by the checked renderer when the rendered
	// image does not scan back to exactly the text it was made from. The
	// wallet then draws a new nonce, which changes every module of the data
	// area.
	errUnreadable = errors.New("qr: rendered code does not read back")
)

// renderOptions sets how a QR code is drawn. The zero value (and a nil
// *renderOptions) means the defaults: defaultModuleSize pixels per module,
// defaultQuietZone modules of margin and eccMedium.
type renderOptions struct {
	// ModuleSize is the width and height of one module in pixels, 1 to 64;
	// 0 means defaultModuleSize.
	ModuleSize int
	// QuietZone is the white margin on each side in modules, 1 to 64; 0 means
	// defaultQuietZone. Fewer than 4 modules is outside the QR standard and
	// makes codes harder to find.
	QuietZone int
	// ECC is the error correction level; 0 means eccMedium.
	ECC eccLevel
}

// resolved returns the options with defaults filled in, or an error wrapping
// errRenderOptions.
func (o *renderOptions) resolved() (moduleSize, quietZone int, ecl decoder.ErrorCorrectionLevel, err error) {
	moduleSize, quietZone = defaultModuleSize, defaultQuietZone
	var ecc eccLevel
	if o != nil {
		if o.ModuleSize != 0 {
			moduleSize = o.ModuleSize
		}
		if o.QuietZone != 0 {
			quietZone = o.QuietZone
		}
		ecc = o.ECC
	}
	if moduleSize < 1 || moduleSize > maxModuleSize {
		return 0, 0, 0, fmt.Errorf("%w: module size %d not in 1..%d", errRenderOptions, moduleSize, maxModuleSize)
	}
	if quietZone < 1 || quietZone > maxQuietZone {
		return 0, 0, 0, fmt.Errorf("%w: quiet zone %d not in 1..%d", errRenderOptions, quietZone, maxQuietZone)
	}
	ecl, ok := ecc.level()
	if !ok {
		return 0, 0, 0, fmt.Errorf("%w: error correction %v", errRenderOptions, ecc)
	}
	return moduleSize, quietZone, ecl, nil
}

// encode builds the QR symbol for text. mask is a mask pattern 0..7, or -1
// to let the encoder pick the one with the lowest penalty (ISO/IEC 18004
// §7.8.3). A text made only of the QR alphanumeric characters (the base45
// alphabet: 0-9 A-Z space $ % * + - . / :) is encoded in alphanumeric mode,
// 5.5 bits per character; other ASCII text in byte mode, and non-ASCII UTF-8
// in byte mode with a UTF-8 ECI.
func encode(text string, ecl decoder.ErrorCorrectionLevel, mask int) (*encoder.QRCode, error) {
	if text == "" {
		return nil, errEmptyText
	}
	if len(text) > limits.MaxText {
		return nil, fmt.Errorf("%w: %d bytes > %d", errCapacity, len(text), limits.MaxText)
	}
	hints := map[gozxing.EncodeHintType]interface{}{}
	if mask >= 0 {
		hints[gozxing.EncodeHintType_QR_MASK_PATTERN] = mask
	}
	if !isASCII(text) {
		if !utf8.ValidString(text) {
			return nil, fmt.Errorf("%w: text is not valid UTF-8", errCapacity)
		}
		hints[gozxing.EncodeHintType_CHARACTER_SET] = "UTF-8"
	}
	code, err := encoder.Encoder_encode(text, ecl, hints)
	if err != nil {
		// The encoder fails only when the data does not fit in version 40.
		return nil, fmt.Errorf("%w: %d bytes at level %v", errCapacity, len(text), ecl)
	}
	return code, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Version returns the QR version (1 to 40) that Render chooses for text at
// error correction level ecc (0 means eccMedium): the smallest that holds
// it. With eccMedium and alphanumeric text, 419 characters fit in version 12
// and 734 in version 17. It returns an error wrapping errCapacity if the
// text does not fit, errEmptyText for "".
func version(text string, ecc eccLevel) (int, error) {
	ecl, ok := ecc.level()
	if !ok {
		return 0, fmt.Errorf("%w: error correction %v", errRenderOptions, ecc)
	}
	// Mask 0 skips the mask search, which does not change the version.
	code, err := encode(text, ecl, 0)
	if err != nil {
		return 0, err
	}
	return code.GetVersion().GetVersionNumber(), nil
}

// Render draws text as a QR code at error correction level M: black modules
// on white, 4 pixels per module and the 4-module quiet zone of ISO/IEC
// 18004 §6.3.8, so the image is (21 + 4·(version−1) + 8)·4 pixels square
// (340 pixels for a 725-character version 17 code). Every module is exactly
// 4×4 pixels: scale the image by a whole factor with nearest-neighbour
// sampling to keep the edges sharp. It returns an error for an empty text
// or one that does not fit in a QR code.
//
// Render does not check that the code reads back; [Wallet.PresentImage]
// renders presentations through a checked path that does.
func Render(text string) (*image.Gray, error) {
	return renderWith(text, nil)
}

// renderWith is Render with explicit options (nil: the defaults).
func renderWith(text string, opts *renderOptions) (*image.Gray, error) {
	img, _, err := render(text, opts, -1)
	return img, err
}

// render draws text with the given mask (-1: the encoder's choice) and also
// returns the mask it used.
func render(text string, opts *renderOptions, mask int) (*image.Gray, int, error) {
	moduleSize, quietZone, ecl, err := opts.resolved()
	if err != nil {
		return nil, 0, err
	}
	code, err := encode(text, ecl, mask)
	if err != nil {
		return nil, 0, err
	}
	return drawGray(code.GetMatrix(), moduleSize, quietZone), code.GetMaskPattern(), nil
}

// drawGray paints the module matrix into a new *image.Gray by writing Pix
// directly: each module row is built once and copied moduleSize times.
func drawGray(m *encoder.ByteMatrix, moduleSize, quietZone int) *image.Gray {
	dim := m.GetWidth()
	side := (dim + 2*quietZone) * moduleSize
	img := image.NewGray(image.Rect(0, 0, side, side))
	pix := img.Pix // Stride == side for a fresh image
	for i := range pix {
		pix[i] = 0xff
	}
	rows := m.GetArray()
	off := quietZone * moduleSize
	for y := 0; y < dim; y++ {
		first := (off + y*moduleSize) * side
		row := pix[first : first+side]
		for x, v := range rows[y] {
			if v == 1 {
				px := off + x*moduleSize
				clear(row[px : px+moduleSize])
			}
		}
		for k := 1; k < moduleSize; k++ {
			copy(pix[first+k*side:first+(k+1)*side], row)
		}
	}
	return img
}

// RenderPNG is Render followed by PNG encoding (8-bit grayscale).
func renderPNG(text string, opts *renderOptions) ([]byte, error) {
	img, err := renderWith(text, opts)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("qr: encoding png: %v", err)
	}
	return buf.Bytes(), nil
}

// RenderTerminal draws text as a QR code (eccMedium, 4-module quiet zone) in
// Unicode half blocks, two module rows per line of text, each line ending in
// "\n". The blocks (█ ▀ ▄) paint the light modules and the spaces are the dark
// ones, so the code reads correctly on a terminal with a dark background and a
// light foreground (the default of most terminals, and what qrencode -t UTF8
// assumes). On a light-background terminal the code appears inverted: ikd's
// Scan reads it anyway, but many phone scanners do not. A version 17 code
// (734 base45 characters) is 93 columns wide.
func RenderTerminal(text string) (string, error) {
	ecl, _ := eccMedium.level()
	code, err := encode(text, ecl, -1)
	if err != nil {
		return "", err
	}
	m := code.GetMatrix()
	dim := m.GetWidth()
	const qz = defaultQuietZone
	side := dim + 2*qz
	// light reports whether module (x, y) of the padded symbol is light.
	// Rows past the bottom edge are drawn dark (terminal background).
	light := func(x, y int) bool {
		if y >= side {
			return false
		}
		x, y = x-qz, y-qz
		if x < 0 || y < 0 || x >= dim || y >= dim {
			return true
		}
		return m.Get(x, y) != 1
	}
	var b strings.Builder
	b.Grow((side + 1) / 2 * (side*3 + 1))
	for y := 0; y < side; y += 2 {
		for x := 0; x < side; x++ {
			switch top, bottom := light(x, y), light(x, y+1); {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// renderChecked renders text like Render and then scans its own output with
// the detector path a camera frame takes (no pure-barcode shortcut). gozxing
// fails to read about 5% of clean ~700-character codes (false finder
// patterns in the data area), so if the encoder's preferred mask does not
// read back, the other seven masks are tried; a different mask changes every
// data module. It returns errUnreadable only when none reads back, and the
// caller then draws a new nonce. Errors from Render are returned unchanged.
func renderChecked(text string, opts *renderOptions) (*image.Gray, error) {
	return renderCheckedMasks(text, opts, 8)
}

// renderCheckedMasks is renderChecked trying at most masks mask patterns
// (1 = the encoder's choice only, which measures gozxing's raw failure rate).
func renderCheckedMasks(text string, opts *renderOptions, masks int) (*image.Gray, error) {
	img, first, err := render(text, opts, -1)
	if err != nil {
		return nil, err
	}
	s := newScanner()
	if readsBack(s, img, text) {
		return img, nil
	}
	for mask, tried := 0, 1; mask < 8 && tried < masks; mask++ {
		if mask == first {
			continue
		}
		tried++
		img, _, err = render(text, opts, mask)
		if err != nil {
			return nil, err
		}
		if readsBack(s, img, text) {
			return img, nil
		}
	}
	return nil, errUnreadable
}

// readsBack reports whether the plain detector path reads img as text.
func readsBack(s *scanner, img *image.Gray, text string) bool {
	got, err := s.scanStrict(img)
	return err == nil && got == text
}
