package qr

import (
	"errors"
	"image"
	"sync"
)

var (
	// ErrBusy is returned by [Scanner.Scan] for a frame that arrived while
	// the scanner was still working on an earlier one: the frame is dropped,
	// not queued, so that the scanner always works on a recent frame.
	ErrBusy = errors.New("qr: scanner busy, frame dropped")

	// ErrSameCode is returned by [Scanner.Scan] when the frame shows the code
	// it reported last, still in view: one showing of a code is reported
	// once, however many frames it stays in.
	ErrSameCode = errors.New("qr: same code still in view")
)

// forgetAfter is how many frames in a row without the last code make the
// Scanner forget it, so that showing it again is a new showing: 15 frames,
// half a second at 30 fps, longer than a code is lost to motion blur.
const forgetAfter = 15

// Scanner reads QR codes from a stream of camera frames, one after another,
// as a gate or desk camera delivers them (about 30 a second, gray or YCbCr:
// only the luminance is read). It keeps from frame to frame where the last
// code was, and looks there first; it spreads the retries of [Scan] over
// consecutive frames, so that each frame costs about two attempts; and it
// reports each showing of a code once.
//
// Scan returns the text of a code that was not in view in the frames just
// before (a new showing), [ErrSameCode] while the reported code stays in
// view, [ErrNoCode] for a frame without a readable code, [ErrBusy] for a
// frame dropped because another call was still running, and an error
// wrapping [ErrImage] for an unusable image. A code counts as shown again
// after 15 frames in a row without it.
//
// A Scanner is safe for concurrent use: calls that overlap do not queue,
// all but one return ErrBusy at once. The zero value is ready to use, like
// the result of [NewScanner].
type Scanner struct {
	mu      sync.Mutex // held while a frame is scanned
	s       *scanner
	last    string          // the code reported last
	missed  int             // frames in a row without it
	region  image.Rectangle // where it was, in frame pixels
	ordinal int             // frames scanned: picks the extra rung
}

// NewScanner returns a Scanner with no code seen.
func NewScanner() *Scanner {
	return &Scanner{s: newScanner()}
}

// streamRungs is how many rungs of the ladder every frame gets: the rest
// are tried one per frame, in turn.
const streamRungs = 2

// Scan scans one frame; see [Scanner] for what it returns. The frame's
// pixels are read only during the call.
func (sc *Scanner) Scan(frame image.Image) (string, error) {
	if !sc.mu.TryLock() {
		return "", ErrBusy
	}
	defer sc.mu.Unlock()
	if sc.s == nil { // the zero Scanner
		sc.s = newScanner()
	}
	text, err := sc.read(frame)
	switch {
	case err == nil && text == sc.last:
		sc.missed = 0
		return "", ErrSameCode
	case err == nil:
		sc.last, sc.missed = text, 0
		return text, nil
	case errors.Is(err, ErrNoCode):
		if sc.missed++; sc.missed >= forgetAfter {
			sc.last, sc.region = "", image.Rectangle{}
		}
	}
	return "", err
}

// read finds a code in frame: first in the region of the last one, then
// in the whole frame with the first rungs of the ladder and one more,
// chosen in turn.
func (sc *Scanner) read(frame image.Image) (string, error) {
	s := sc.s
	g, err := s.luminance(frame)
	if err != nil {
		return "", err
	}
	if !sc.region.Empty() {
		if text, ok := sc.readRegion(g); ok {
			return text, nil
		}
	}
	k := shrinkFactor(g.w, g.h)
	d := s.detectionPlane(g)
	s.frame()
	sc.ordinal++
	extra := streamRungs + sc.ordinal%(len(ladder)-streamRungs)
	for n, i := range []int{0, 1, extra} {
		if s.hopeless(n, d) {
			break
		}
		if text, ok := s.rung(i, d); ok {
			sc.remember(i, k, image.Point{}, g)
			return text, nil
		}
	}
	return "", ErrNoCode
}

// readRegion tries the half and global rungs on the region of the last
// code, copied out of g.
func (sc *Scanner) readRegion(g gray) (string, bool) {
	s := sc.s
	r := sc.region.Intersect(image.Rect(0, 0, g.w, g.h))
	if r.Dx() < minImageSide || r.Dy() < minImageSide {
		return "", false
	}
	w, h := r.Dx(), r.Dy()
	s.crop = grow(s.crop, w*h)
	for y := 0; y < h; y++ {
		copy(s.crop[y*w:][:w], g.pix[(r.Min.Y+y)*g.w+r.Min.X:][:w])
	}
	c := s.detectionPlane(gray{s.crop, w, h})
	s.frame()
	for n, i := range []int{0, 1} {
		if s.hopeless(n, c) {
			break
		}
		if text, ok := s.rung(i, c); ok {
			sc.remember(i, shrinkFactor(w, h), r.Min, g)
			return text, true
		}
	}
	return "", false
}

// remember sets the region of the code just read by rung i, from its
// result points: those are in the coordinates of the plane the rung read,
// shrunk by k from the frame and offset by off. Rungs that turn the
// image leave no region.
func (sc *Scanner) remember(i, k int, off image.Point, g gray) {
	scale := 0.0
	switch ladder[i].name {
	case "half":
		scale = 2
	case "global", "hybrid", "harder", "pure":
		scale = 1
	}
	pts := sc.s.points
	if scale == 0 || len(pts) < 3 {
		sc.region = image.Rectangle{}
		return
	}
	minX, minY, maxX, maxY := pts[0][0], pts[0][1], pts[0][0], pts[0][1]
	for _, p := range pts[1:] {
		minX, maxX = min(minX, p[0]), max(maxX, p[0])
		minY, maxY = min(minY, p[1]), max(maxY, p[1])
	}
	f := scale * float64(k)
	// The finder centres sit 3.5 modules in from the corners; a margin of
	// half the code's size holds the code and the motion between frames.
	mx, my := (maxX-minX)*f*0.5, (maxY-minY)*f*0.5
	r := image.Rect(int(minX*f-mx), int(minY*f-my), int(maxX*f+mx)+1, int(maxY*f+my)+1)
	sc.region = r.Add(off).Intersect(image.Rect(0, 0, g.w, g.h))
}
