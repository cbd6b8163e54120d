package qrbench

import (
	"fmt"
	"image"
	"math"
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
var AdversarialFrames = append([]Adversarial{
	{"finders_m1_gap1", func(w, h int, _ uint64) *image.Gray { return FinderSheet(w, h, 1, 1) }},
	{"finders_m2_gap1", func(w, h int, _ uint64) *image.Gray { return FinderSheet(w, h, 2, 1) }},
	{"finders_m3_gap2", func(w, h int, _ uint64) *image.Gray { return FinderSheet(w, h, 3, 2) }},
	{"finders_m4_gap4", func(w, h int, _ uint64) *image.Gray { return FinderSheet(w, h, 4, 4) }},
	{"finders_m8_gap1", func(w, h int, _ uint64) *image.Gray { return FinderSheet(w, h, 8, 1) }},
	{"noise", func(w, h int, seed uint64) *image.Gray { return NoiseFrame(w, h, seed) }},
	{"checker1", func(w, h int, _ uint64) *image.Gray { return Checker(w, h, 1) }},
	{"checker3", func(w, h int, _ uint64) *image.Gray { return Checker(w, h, 3) }},
	{"stripes2", func(w, h int, _ uint64) *image.Gray { return Stripes(w, h, 2) }},
	// The outside look at issue 13 (finding 3): large-module sheets, a
	// turned sheet, inverted sheets, alignment patterns, mixed sizes, fake
	// finder triples in a textured frame, and a frame with no code at all.
	{"finders_m11_rot30", func(w, h int, _ uint64) *image.Gray { return Fit(Rotate(FinderSheet(w, h, 11, 2), 30), w, h) }},
	{"finders_m5_rot45", func(w, h int, _ uint64) *image.Gray { return Fit(Rotate(FinderSheet(w, h, 5, 1), 45), w, h) }},
	{"finders_m11_inverted", func(w, h int, _ uint64) *image.Gray { return Invert(FinderSheet(w, h, 11, 1)) }},
	{"finders_m5_inverted", func(w, h int, _ uint64) *image.Gray { return Invert(FinderSheet(w, h, 5, 1)) }},
	{"alignment_m3", func(w, h int, _ uint64) *image.Gray { return AlignmentSheet(w, h, 3) }},
	{"alignment_m5", func(w, h int, _ uint64) *image.Gray { return AlignmentSheet(w, h, 5) }},
	{"alignment_m7", func(w, h int, _ uint64) *image.Gray { return AlignmentSheet(w, h, 7) }},
	{"finders_mixed", func(w, h int, seed uint64) *image.Gray { return MixedFinders(w, h, seed) }},
	{"fake_triples_n1_m3", func(w, h int, seed uint64) *image.Gray { return FakeTriples(w, h, 3, 1, seed) }},
	{"fake_triples_n3_m4", func(w, h int, seed uint64) *image.Gray { return FakeTriples(w, h, 4, 3, seed) }},
	{"fake_triples_n5_m2", func(w, h int, seed uint64) *image.Gray { return FakeTriples(w, h, 2, 5, seed) }},
	{"fake_triples_n5_m4", func(w, h int, seed uint64) *image.Gray { return FakeTriples(w, h, 4, 5, seed) }},
	{"empty_background", func(w, h int, seed uint64) *image.Gray { return Background(w, h, seed) }},
}, sheetGrid()...)

// sheetGrid is the finder sheets at module sizes up to 24 px and gaps up
// to 8 modules, which gozxing's candidate search finds few enough of to
// go on to sample grids from.
func sheetGrid() []Adversarial {
	var out []Adversarial
	for _, m := range []int{5, 10, 16, 20, 24} {
		for _, gap := range []int{0, 2, 6, 8} {
			out = append(out, Adversarial{fmt.Sprintf("finders_m%d_gap%d", m, gap), func(w, h int, _ uint64) *image.Gray { return FinderSheet(w, h, m, gap) }})
		}
	}
	return out
}

// Fit crops or pads g (white) to w×h about its centre: a turned frame
// brought back to the frame size it is compared at.
func Fit(g *image.Gray, w, h int) *image.Gray {
	out := white(w, h)
	ox, oy := (g.Rect.Dx()-w)/2, (g.Rect.Dy()-h)/2
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sx, sy := x+ox, y+oy
			if sx >= 0 && sy >= 0 && sx < g.Rect.Dx() && sy < g.Rect.Dy() {
				out.Pix[y*out.Stride+x] = g.Pix[sy*g.Stride+sx]
			}
		}
	}
	return out
}

// finder draws a 7×7-module finder pattern of module pixels at (ox, oy).
func finder(g *image.Gray, ox, oy, module int) {
	for my := 0; my < 7; my++ {
		for mx := 0; mx < 7; mx++ {
			ring := min(mx, my, 6-mx, 6-my)
			v := uint8(0)
			if ring == 1 {
				v = 255
			}
			fill(g, ox+mx*module, oy+my*module, module, v)
		}
	}
}

// fill paints a size×size square at (x, y), clipped to g.
func fill(g *image.Gray, x, y, size int, v uint8) {
	for yy := max(y, 0); yy < min(y+size, g.Rect.Dy()); yy++ {
		for xx := max(x, 0); xx < min(x+size, g.Rect.Dx()); xx++ {
			g.Pix[yy*g.Stride+xx] = v
		}
	}
}

// AlignmentSheet tiles a white frame with QR alignment patterns (5×5
// modules: dark ring, light ring, dark centre) one module apart.
func AlignmentSheet(w, h, module int) *image.Gray {
	out := white(w, h)
	step := 6 * module
	for oy := module; oy+5*module <= h; oy += step {
		for ox := module; ox+5*module <= w; ox += step {
			for my := 0; my < 5; my++ {
				for mx := 0; mx < 5; mx++ {
					if min(mx, my, 4-mx, 4-my) != 1 {
						fill(out, ox+mx*module, oy+my*module, module, 0)
					}
				}
			}
		}
	}
	return out
}

// MixedFinders scatters finder patterns of module sizes 2 to 12 px over a
// white frame, a few hundred of them, overlapping where they fall.
func MixedFinders(w, h int, seed uint64) *image.Gray {
	rng := rand.New(rand.NewPCG(seed, 0x6d6978))
	out := white(w, h)
	for range w * h / 2000 {
		m := 2 + rng.IntN(11)
		finder(out, rng.IntN(max(w-7*m, 1)), rng.IntN(max(h-7*m, 1)), m)
	}
	return out
}

// FakeTriples places n triples of finder patterns at the corners of a
// 29-module square, as a version 3 code's would be, filled with random
// modules (no valid format or data), in a textured frame (Background).
func FakeTriples(w, h, module, n int, seed uint64) *image.Gray {
	rng := rand.New(rand.NewPCG(seed, 0x74726970))
	out := Background(w, h, seed)
	side := 29 * module
	for i := range n {
		ox := (i%3)*(w/3) + rng.IntN(max(w/3-side, 1))
		oy := rng.IntN(max(h-side, 1))
		for my := 0; my < 29; my++ {
			for mx := 0; mx < 29; mx++ {
				v := uint8(255)
				if rng.IntN(2) == 0 {
					v = 0
				}
				fill(out, ox+mx*module, oy+my*module, module, v)
			}
		}
		finder(out, ox, oy, module)
		finder(out, ox+22*module, oy, module)
		finder(out, ox, oy+22*module, module)
	}
	return out
}

// Background is a textured, unevenly lit frame with no code: what a
// gate camera sees between passengers.
func Background(w, h int, seed uint64) *image.Gray {
	rng := rand.New(rand.NewPCG(seed, 0x6267))
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 150 + 40*math.Sin(float64(x)/90)*math.Cos(float64(y)/70) + rng.NormFloat64()*4
			out.Pix[y*out.Stride+x] = clamp(v)
		}
	}
	return out
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
