package qrbench

import (
	"image"
	"math/rand/v2"
)

// Adversarial is one named frame built to make a QR detector work hard:
// the benchmark of qr.Scan runs each at several frame sizes and compares
// its cost with a clean frame holding a code.
type Adversarial struct {
	Name  string
	Build func(w, h int, seed uint64) *image.Gray
}

// AdversarialFrames is the fixed set of hostile frames (docs/scanning.md):
// sheets of finder patterns (the 1:1:3:1:1 corner squares) at several module
// sizes and spacings, noise, and high-frequency patterns. Nested codes need
// the renderer and are built by the qr package's benchmark.
var AdversarialFrames = []Adversarial{
	{"finders_m1_gap1", func(w, h int, _ uint64) *image.Gray { return FinderSheet(w, h, 1, 1) }},
	{"finders_m2_gap1", func(w, h int, _ uint64) *image.Gray { return FinderSheet(w, h, 2, 1) }},
	{"finders_m3_gap2", func(w, h int, _ uint64) *image.Gray { return FinderSheet(w, h, 3, 2) }},
	{"finders_m4_gap4", func(w, h int, _ uint64) *image.Gray { return FinderSheet(w, h, 4, 4) }},
	{"finders_m8_gap1", func(w, h int, _ uint64) *image.Gray { return FinderSheet(w, h, 8, 1) }},
	{"noise", func(w, h int, seed uint64) *image.Gray { return NoiseFrame(w, h, seed) }},
	{"checker1", func(w, h int, _ uint64) *image.Gray { return Checker(w, h, 1) }},
	{"checker3", func(w, h int, _ uint64) *image.Gray { return Checker(w, h, 3) }},
	{"stripes2", func(w, h int, _ uint64) *image.Gray { return Stripes(w, h, 2) }},
}

// FinderSheet tiles a w×h white frame with QR finder patterns (7×7 modules:
// a dark ring, a light ring, a dark 3×3 centre) of module pixels each,
// separated by gap modules of white.
func FinderSheet(w, h, module, gap int) *image.Gray {
	out := white(w, h)
	step := (7 + gap) * module
	for oy := gap * module; oy+7*module <= h; oy += step {
		for ox := gap * module; ox+7*module <= w; ox += step {
			for my := 0; my < 7; my++ {
				for mx := 0; mx < 7; mx++ {
					ring := min(mx, my, 6-mx, 6-my)
					if ring == 1 {
						continue // the light ring
					}
					for y := 0; y < module; y++ {
						row := out.Pix[(oy+my*module+y)*out.Stride:]
						for x := 0; x < module; x++ {
							row[ox+mx*module+x] = 0
						}
					}
				}
			}
		}
	}
	return out
}

// NoiseFrame returns uniform random gray levels.
func NoiseFrame(w, h int, seed uint64) *image.Gray {
	rng := rand.New(rand.NewPCG(seed, 0x6e6f6973))
	out := image.NewGray(image.Rect(0, 0, w, h))
	for i := range out.Pix {
		out.Pix[i] = uint8(rng.Uint32())
	}
	return out
}

// Checker returns a black and white checkerboard of cell×cell squares.
func Checker(w, h, cell int) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if (x/cell+y/cell)%2 == 0 {
				out.Pix[y*out.Stride+x] = 255
			}
		}
	}
	return out
}

// Stripes returns vertical black and white stripes of width pixels each.
func Stripes(w, h, width int) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if (x/width)%2 == 0 {
				out.Pix[y*out.Stride+x] = 255
			}
		}
	}
	return out
}

func white(w, h int) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, w, h))
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	return out
}
