package qrbench

import (
	"image"
	"math"
	"math/rand/v2"
)

// CameraCases are the effects a gate camera sees when it films a phone
// screen, each on a 640×480 frame (see Frame): they extend Cases and are
// reported in docs/scanning.md against zbarimg on the same files.
var CameraCases = []Case{
	{"cam_moire", func(g *image.Gray, s uint64) image.Image { return Moire(Frame(g, 640, 480, s), 3.3, 4) }},
	{"cam_glare", func(g *image.Gray, s uint64) image.Image { return Glare(Frame(g, 640, 480, s), 2, s) }},
	{"cam_tilt15", func(g *image.Gray, s uint64) image.Image { return Frame(Tilt(g, 15), 640, 480, s) }},
	{"cam_tilt30", func(g *image.Gray, s uint64) image.Image { return Frame(Tilt(g, 30), 640, 480, s) }},
	{"cam_motion5", func(g *image.Gray, s uint64) image.Image { return MotionBlur(Frame(g, 640, 480, s), 5) }},
	{"cam_motion9", func(g *image.Gray, s uint64) image.Image { return MotionBlur(Frame(g, 640, 480, s), 9) }},
	{"cam_lowlight", func(g *image.Gray, s uint64) image.Image {
		return Noise(Contrast(Frame(g, 640, 480, s), 10, 70), 8, s+1)
	}},
	{"cam_cracked", func(g *image.Gray, s uint64) image.Image { return Cracks(Frame(g, 640, 480, s), 4, s) }},
	{"cam_thumb", func(g *image.Gray, s uint64) image.Image { return Thumb(g, 640, 480, s) }},
}

// Moire multiplies g by a grating of period pixels, turned by deg degrees:
// the screen's pixel grid beating against the camera's, the stripes a
// camera sees on any LCD.
func Moire(g *image.Gray, period, deg float64) *image.Gray {
	out := image.NewGray(g.Rect)
	sin, cos := math.Sincos(deg * math.Pi / 180)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			u := float64(x)*cos + float64(y)*sin
			v := -float64(x)*sin + float64(y)*cos
			m := 0.7 + 0.15*math.Cos(2*math.Pi*u/period) + 0.15*math.Cos(2*math.Pi*v/period)
			out.Pix[y*out.Stride+x] = clamp(float64(g.Pix[y*g.Stride+x]) * m / 0.85)
		}
	}
	return out
}

// Glare adds n bright, saturating spots (reflections of ceiling lights on
// the screen), each up to a fifth of the frame height across.
func Glare(g *image.Gray, n int, seed uint64) *image.Gray {
	rng := rand.New(rand.NewPCG(seed, 0x676c617265))
	out := image.NewGray(g.Rect)
	copy(out.Pix, g.Pix)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for range n {
		cx, cy := w/4+rng.IntN(w/2), h/4+rng.IntN(h/2)
		r := float64(h) / 10 * (0.6 + 0.4*rng.Float64())
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				dx, dy := float64(x-cx), float64(y-cy)
				a := 1.3 * math.Exp(-(dx*dx+dy*dy)/(2*r*r))
				i := y*out.Stride + x
				out.Pix[i] = clamp(float64(out.Pix[i])*(1-min(a, 1)) + 255*min(a, 1))
			}
		}
	}
	return out
}

// Tilt shows g as a camera sees it when the phone is turned deg degrees
// about its vertical axis (a perspective projection, the near edge
// larger), on white.
func Tilt(g *image.Gray, deg float64) *image.Gray {
	w, h := float64(g.Rect.Dx()), float64(g.Rect.Dy())
	sin, cos := math.Sincos(deg * math.Pi / 180)
	f := 1.5 * w // focal length: a normal lens at about 1.5 code widths
	// Forward map of a plane point (u, v), centred: x = f·u·cos/(f+u·sin).
	proj := func(u float64) float64 { return f * u * cos / (f + u*sin) }
	x0, x1 := proj(-w/2), proj(w/2)
	scaleNear := f / (f - w/2*sin)
	ow, oh := int(x1-x0)+2, int(h*scaleNear)+2
	out := image.NewGray(image.Rect(0, 0, ow, oh))
	for y := 0; y < oh; y++ {
		for x := 0; x < ow; x++ {
			px, py := float64(x)+x0, float64(y)-float64(oh)/2
			u := px * f / (f*cos - px*sin)
			v := py * (f + u*sin) / f
			out.Pix[y*out.Stride+x] = bilinear(g, u+w/2-0.5, v+h/2-0.5)
		}
	}
	return out
}

// MotionBlur averages each pixel with its neighbours along a horizontal
// line of length pixels: the phone moving while the shutter is open.
func MotionBlur(g *image.Gray, length int) *image.Gray {
	out := image.NewGray(g.Rect)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	r := length / 2
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride:][:w]
		for x := 0; x < w; x++ {
			var sum, n int
			for i := max(x-r, 0); i <= min(x+r, w-1); i++ {
				sum += int(row[i])
				n++
			}
			out.Pix[y*out.Stride+x] = uint8(sum / n)
		}
	}
	return out
}

// Cracks draws n jagged cracks across g, each a line that bends at random
// and alternates light (the crack catching the light) and dark edges, 1–2
// pixels wide: a broken screen protector.
func Cracks(g *image.Gray, n int, seed uint64) *image.Gray {
	rng := rand.New(rand.NewPCG(seed, 0x637261636b))
	out := image.NewGray(g.Rect)
	copy(out.Pix, g.Pix)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	set := func(x, y int, v uint8) {
		if x >= 0 && y >= 0 && x < w && y < h {
			out.Pix[y*out.Stride+x] = v
		}
	}
	for range n {
		x, y := rng.Float64()*float64(w), rng.Float64()*float64(h)
		dir := rng.Float64() * 2 * math.Pi
		for step := 0; step < w; step++ {
			dir += (rng.Float64() - 0.5) * 0.3
			x, y = x+math.Cos(dir), y+math.Sin(dir)
			v := uint8(235)
			if (step/12)%2 == 1 {
				v = 40
			}
			set(int(x), int(y), v)
			set(int(x)+1, int(y), v)
		}
	}
	return out
}

// Thumb frames g like Frame and covers part of the code's right edge with
// a thumb (a shaded ellipse), hiding about a tenth of the code and none of
// its three finder patterns.
func Thumb(g *image.Gray, w, h int, seed uint64) *image.Gray {
	out, at := frame(g, w, h, seed)
	side := float64(at.Dx())
	ox, oy := at.Min.X, at.Min.Y
	cx, cy := float64(ox)+side*0.96, float64(oy)+side*0.62
	rx, ry := side*0.16, side*0.3
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := (float64(x)-cx)/rx, (float64(y)-cy)/ry
			if d := dx*dx + dy*dy; d <= 1 {
				out.Pix[y*out.Stride+x] = clamp(150 - 60*d)
			}
		}
	}
	return out
}
