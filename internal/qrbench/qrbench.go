// Package qrbench builds reproducible degraded QR images (blur, noise,
// rotation, scaling, JPEG, low contrast, camera-like frames) for the qr
// package's tests and for comparing qr.Scan with zbarimg
// (docs/scanning.md). Every function is deterministic given its seed.
//
// It depends on the standard library only, so that qr's tests can import it.
package qrbench

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
)

// Case is one named degradation.
type Case struct {
	Name  string
	Apply func(src *image.Gray, seed uint64) image.Image
}

// Cases is the fixed degradation set used by the tests and the comparison.
// The names are stable; the comparison reports counts per name.
var Cases = []Case{
	{"clean", func(g *image.Gray, _ uint64) image.Image { return g }},
	{"blur1", func(g *image.Gray, _ uint64) image.Image { return GaussianBlur(g, 1.0) }},
	{"blur2", func(g *image.Gray, _ uint64) image.Image { return GaussianBlur(g, 2.0) }},
	{"noise20", func(g *image.Gray, s uint64) image.Image { return Noise(g, 20, s) }},
	{"noise40", func(g *image.Gray, s uint64) image.Image { return Noise(g, 40, s) }},
	{"rot5", func(g *image.Gray, _ uint64) image.Image { return Rotate(g, 5) }},
	{"rot15", func(g *image.Gray, _ uint64) image.Image { return Rotate(g, 15) }},
	{"rot45", func(g *image.Gray, _ uint64) image.Image { return Rotate(g, 45) }},
	{"rot90", func(g *image.Gray, _ uint64) image.Image { return Rotate(g, 90) }},
	{"rot180", func(g *image.Gray, _ uint64) image.Image { return Rotate(g, 180) }},
	{"scale0.5", func(g *image.Gray, _ uint64) image.Image { return Scale(g, 0.5) }},
	{"jpeg30", func(g *image.Gray, _ uint64) image.Image { return JPEG(g, 30) }},
	{"jpeg10", func(g *image.Gray, _ uint64) image.Image { return JPEG(g, 10) }},
	{"contrast", func(g *image.Gray, _ uint64) image.Image { return Contrast(g, 100, 150) }},
	{"frame640", func(g *image.Gray, s uint64) image.Image { return Frame(g, 640, 480, s) }},
	{"frame1280", func(g *image.Gray, s uint64) image.Image { return Frame(g, 1280, 720, s) }},
	{"frame_noise_blur", func(g *image.Gray, s uint64) image.Image {
		return Noise(GaussianBlur(Frame(g, 1280, 720, s), 1.2), 12, s+1)
	}},
	{"inverted", func(g *image.Gray, _ uint64) image.Image { return Invert(g) }},
}

func clamp(v float64) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}

// GaussianBlur returns g blurred with a Gaussian of the given sigma, in
// pixels (separable, edges clamped).
func GaussianBlur(g *image.Gray, sigma float64) *image.Gray {
	r := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*r+1)
	var sum float64
	for i := range k {
		x := float64(i - r)
		k[i] = math.Exp(-x * x / (2 * sigma * sigma))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	tmp := make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var v float64
			for i, kv := range k {
				xx := min(max(x+i-r, 0), w-1)
				v += kv * float64(g.Pix[y*g.Stride+xx])
			}
			tmp[y*w+x] = v
		}
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var v float64
			for i, kv := range k {
				yy := min(max(y+i-r, 0), h-1)
				v += kv * tmp[yy*w+x]
			}
			out.Pix[y*out.Stride+x] = clamp(v)
		}
	}
	return out
}

// Noise adds Gaussian noise of standard deviation sigma (gray levels).
func Noise(g *image.Gray, sigma float64, seed uint64) *image.Gray {
	rng := rand.New(rand.NewPCG(seed, 0x6e6f697365))
	out := image.NewGray(g.Rect)
	for i, v := range g.Pix {
		out.Pix[i] = clamp(float64(v) + rng.NormFloat64()*sigma)
	}
	return out
}

// Rotate turns g by deg degrees counterclockwise about its centre, on a
// white canvas large enough to hold the result (bilinear sampling).
func Rotate(g *image.Gray, deg float64) *image.Gray {
	w, h := float64(g.Rect.Dx()), float64(g.Rect.Dy())
	rad := deg * math.Pi / 180
	sin, cos := math.Sin(rad), math.Cos(rad)
	if math.Abs(math.Mod(deg, 90)) < 1e-9 { // exact for right angles
		sin, cos = math.Round(sin), math.Round(cos)
	}
	nw := int(math.Ceil(math.Abs(w*cos) + math.Abs(h*sin) - 1e-9))
	nh := int(math.Ceil(math.Abs(w*sin) + math.Abs(h*cos) - 1e-9))
	out := image.NewGray(image.Rect(0, 0, nw, nh))
	cx, cy := w/2, h/2
	ncx, ncy := float64(nw)/2, float64(nh)/2
	for y := 0; y < nh; y++ {
		for x := 0; x < nw; x++ {
			dx, dy := float64(x)+0.5-ncx, float64(y)+0.5-ncy
			sx := cos*dx - sin*dy + cx - 0.5
			sy := sin*dx + cos*dy + cy - 0.5
			out.Pix[y*out.Stride+x] = bilinear(g, sx, sy)
		}
	}
	return out
}

// bilinear samples g at (x, y), white outside.
func bilinear(g *image.Gray, x, y float64) uint8 {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	at := func(ix, iy int) float64 {
		if ix < 0 || iy < 0 || ix >= w || iy >= h {
			return 255
		}
		return float64(g.Pix[iy*g.Stride+ix])
	}
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	ix, iy := int(x0), int(y0)
	v := at(ix, iy)*(1-fx)*(1-fy) + at(ix+1, iy)*fx*(1-fy) + at(ix, iy+1)*(1-fx)*fy + at(ix+1, iy+1)*fx*fy
	return clamp(v)
}

// Scale resizes g by factor f (area averaging when shrinking, bilinear when
// growing).
func Scale(g *image.Gray, f float64) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	nw, nh := max(int(float64(w)*f), 1), max(int(float64(h)*f), 1)
	out := image.NewGray(image.Rect(0, 0, nw, nh))
	for y := 0; y < nh; y++ {
		for x := 0; x < nw; x++ {
			if f >= 1 {
				out.Pix[y*out.Stride+x] = bilinear(g, (float64(x)+0.5)/f-0.5, (float64(y)+0.5)/f-0.5)
				continue
			}
			x0, x1 := int(float64(x)/f), min(int(float64(x+1)/f), w)
			y0, y1 := int(float64(y)/f), min(int(float64(y+1)/f), h)
			var sum, n float64
			for yy := y0; yy < max(y1, y0+1); yy++ {
				for xx := x0; xx < max(x1, x0+1); xx++ {
					sum += float64(g.Pix[yy*g.Stride+xx])
					n++
				}
			}
			out.Pix[y*out.Stride+x] = clamp(sum / n)
		}
	}
	return out
}

// JPEG returns g after a JPEG round trip at the given quality.
func JPEG(g *image.Gray, quality int) *image.Gray {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, g, &jpeg.Options{Quality: quality}); err != nil {
		panic(err) // writing to a bytes.Buffer does not fail
	}
	img, err := jpeg.Decode(&buf)
	if err != nil {
		panic(err)
	}
	if gg, ok := img.(*image.Gray); ok {
		return gg
	}
	out := image.NewGray(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			out.Set(x, y, img.At(x, y))
		}
	}
	return out
}

// Contrast maps black to lo and white to hi (gray levels).
func Contrast(g *image.Gray, lo, hi uint8) *image.Gray {
	out := image.NewGray(g.Rect)
	for i, v := range g.Pix {
		out.Pix[i] = uint8(int(lo) + int(v)*(int(hi)-int(lo))/255)
	}
	return out
}

// Invert swaps black and white.
func Invert(g *image.Gray) *image.Gray {
	out := image.NewGray(g.Rect)
	for i, v := range g.Pix {
		out.Pix[i] = 255 - v
	}
	return out
}

// Frame places g, scaled to fill about 55% of the frame height, in a w×h
// gray frame with a textured, unevenly lit background (a gradient, soft
// blobs and fine noise), the way a scanner camera sees a phone screen.
func Frame(g *image.Gray, w, h int, seed uint64) *image.Gray {
	out, _ := frame(g, w, h, seed)
	return out
}

// frame is Frame, also returning where the code is.
func frame(g *image.Gray, w, h int, seed uint64) (*image.Gray, image.Rectangle) {
	rng := rand.New(rand.NewPCG(seed, 0x6672616d65))
	out := image.NewGray(image.Rect(0, 0, w, h))
	type blob struct{ x, y, r, a float64 }
	blobs := make([]blob, 12)
	for i := range blobs {
		blobs[i] = blob{rng.Float64() * float64(w), rng.Float64() * float64(h), 20 + rng.Float64()*120, rng.Float64()*80 - 40}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 90 + 60*float64(x)/float64(w) + 30*float64(y)/float64(h)
			for _, b := range blobs {
				dx, dy := float64(x)-b.x, float64(y)-b.y
				v += b.a * math.Exp(-(dx*dx+dy*dy)/(2*b.r*b.r))
			}
			v += rng.NormFloat64() * 6
			out.Pix[y*out.Stride+x] = clamp(v)
		}
	}
	side := float64(h) * 0.55
	code := Scale(g, side/float64(g.Rect.Dx()))
	cw, ch := code.Rect.Dx(), code.Rect.Dy()
	ox := int(rng.Float64() * float64(w-cw))
	oy := int(rng.Float64() * float64(h-ch))
	// The screen is not pure white: dim it slightly.
	for y := 0; y < ch; y++ {
		for x := 0; x < cw; x++ {
			out.Pix[(oy+y)*out.Stride+ox+x] = uint8(20 + int(code.Pix[y*code.Stride+x])*210/255)
		}
	}
	return out, image.Rect(ox, oy, ox+cw, oy+ch)
}
