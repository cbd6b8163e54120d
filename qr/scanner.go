package qr

import (
	"errors"
	"image"
	"sync"
	"time"
)

var (
	// ErrBusy is returned by [Scanner.Scan] for a frame that arrived while
	// the scanner was still working on an earlier one: the frame is dropped,
	// not queued, so that the scanner always works on a recent frame.
	ErrBusy = errors.New("qr: scanner busy, frame dropped")

	// ErrSameCode is returned by [Scanner.Scan] when the frame shows a code
	// the Scanner reported within the last two minutes (still in view, or
	// shown again): one showing of a code is reported once, however many
	// frames it stays in, so that a gate verifies it once and keeps
	// showing that verdict.
	ErrSameCode = errors.New("qr: same code still in view")
)

// rememberFor is how long the Scanner remembers a code it reported, from
// the last frame that showed it: a code shown again within it is the same
// showing (ErrSameCode), not a new one that the verifier would refuse as
// replayed. Two minutes is as long as a presentation can be live under
// the default policy (a 60 s lifetime and 30 s of clock skew either side).
const rememberFor = 2 * time.Minute

// maxRemembered is how many reported codes the Scanner remembers at once
// (the least recently seen is forgotten first): two phones in view, a
// second code flashed between showings of the first.
const maxRemembered = 8

// regionFrames is how many frames in a row without a code make the
// Scanner stop looking first where the last code was: half a second at
// 30 fps, longer than a code is lost to motion blur.
const regionFrames = 15

// Scanner reads QR codes from a stream of camera frames, one after another,
// as a gate or desk camera delivers them (about 30 a second, gray or YCbCr:
// only the luminance is read). It keeps from frame to frame where the last
// code was, and looks there first; it spreads the retries of [Scan] over
// consecutive frames, so that no frame costs more than Scan's bound; and
// it reports each showing of a code once.
//
// Scan returns the text of a code it has not reported in the last two
// minutes (a new showing), [ErrSameCode] for a code it has (still in view,
// lowered and shown again, or alternating with another code: the Scanner
// remembers the last 8 codes it reported, each for two minutes after the
// last frame that showed it), [ErrNoCode] for a frame without a readable
// code, [ErrBusy] for a frame dropped because another call was still
// running, and an error wrapping [ErrImage] for an unusable image.
//
// A Scanner is safe for concurrent use: calls that overlap do not queue,
// all but one return ErrBusy at once. The zero value is ready to use, like
// the result of [NewScanner].
type Scanner struct {
	mu      sync.Mutex // held while a frame is scanned
	s       *scanner
	seen    []seenCode      // codes reported, most recently seen last
	missed  int             // frames in a row without a code
	region  image.Rectangle // where the last code was, in frame pixels
	next    int             // the later rung the next frame starts with
	skipped bool            // this frame ran a costly rung alone
	now     func() time.Time
}

// seenCode is a reported code and when a frame last showed it.
type seenCode struct {
	text string
	at   time.Time
}

// NewScanner returns a Scanner with no code seen.
func NewScanner() *Scanner {
	return &Scanner{s: newScanner()}
}

// streamRungs is how many rungs of the ladder every frame gets first: the
// rest are tried in turn, as many as fit in the frame's budget, and the
// first that does not fit is the first of the next frame.
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
	if err != nil {
		if errors.Is(err, ErrNoCode) {
			if sc.missed++; sc.missed >= regionFrames {
				sc.region = image.Rectangle{}
			}
		}
		return "", err
	}
	sc.missed = 0
	if sc.seenAgain(text) {
		return "", ErrSameCode
	}
	return text, nil
}

// seenAgain records that the current frame showed text and reports
// whether the Scanner had reported it within rememberFor.
func (sc *Scanner) seenAgain(text string) bool {
	now := time.Now()
	if sc.now != nil {
		now = sc.now()
	}
	kept := sc.seen[:0]
	again := false
	for _, c := range sc.seen {
		switch {
		case c.text == text:
			again = now.Sub(c.at) <= rememberFor
		case now.Sub(c.at) <= rememberFor:
			kept = append(kept, c)
		}
	}
	sc.seen = append(kept, seenCode{text, now})
	if len(sc.seen) > maxRemembered {
		sc.seen = append(sc.seen[:0], sc.seen[len(sc.seen)-maxRemembered:]...)
	}
	return again
}

// read finds a code in frame within one frame's budget: first in the
// region of the last code, then in the whole frame with the first rungs
// of the ladder, then with the later rungs in turn, from where the last
// frame stopped, while they fit.
func (sc *Scanner) read(frame image.Image) (string, error) {
	s := sc.s
	g, err := s.luminance(frame)
	if err != nil {
		return "", err
	}
	k := shrinkFactor(g.w, g.h)
	d := s.detectionPlane(g)
	budget := budgetFor(d)
	regionCost := 0.0
	if !sc.region.Empty() {
		text, cost, ok := sc.readRegion(g, d)
		if ok {
			return text, nil
		}
		regionCost = cost
	}
	s.frame()
	s.budget, s.spent = budget, regionCost
	if sc.next < streamRungs || sc.next >= len(ladder) {
		sc.next = streamRungs
	}
	first := ladder[0].cost + ladder[1].cost + globalBinCost
	// A later rung too costly to follow the first ones runs in a frame of
	// its own, after the region: every rung fits in frameBudget alone.
	if regionCost+first+2*sampleCost+s.costOf(sc.next)+float64(attemptsOf(sc.next))*sampleCost <= budget || sc.skipped {
		sc.skipped = false
		for n := range streamRungs {
			if s.hopeless(n, d) {
				return "", ErrNoCode
			}
			if !s.spend(s.costOf(n), 1) {
				break
			}
			if text, ok := s.rung(n, d); ok {
				sc.remember(n, k, image.Point{}, g)
				return text, nil
			}
		}
	} else {
		sc.skipped = true // the next frame runs the first rungs again
		if s.hopeless(1, d) {
			return "", ErrNoCode
		}
	}
	for ran := 0; ran < len(ladder)-streamRungs; ran++ {
		i := sc.next
		if s.hopeless(max(i, 2), d) {
			break
		}
		if !s.spend(s.costOf(i), attemptsOf(i)) {
			if s.spent > regionCost {
				break // the next frame starts with it
			}
			// Not even alone (a region read took part of the frame):
			// the next frame tries it, this one the rung after it.
			if sc.next++; sc.next >= len(ladder) {
				sc.next = streamRungs
			}
			continue
		}
		if sc.next++; sc.next >= len(ladder) {
			sc.next = streamRungs
		}
		if text, ok := s.rung(i, d); ok {
			sc.remember(i, k, image.Point{}, g)
			return text, nil
		}
	}
	return "", ErrNoCode
}

// readRegion tries the half and global rungs on the region of the last
// code, copied out of g, and returns the work it cost in units of the
// frame's detection plane d.
func (sc *Scanner) readRegion(g, d gray) (string, float64, bool) {
	s := sc.s
	r := sc.region.Intersect(image.Rect(0, 0, g.w, g.h))
	if r.Dx() < minImageSide || r.Dy() < minImageSide {
		return "", 0, false
	}
	w, h := r.Dx(), r.Dy()
	s.crop = grow(s.crop, w*h)
	for y := 0; y < h; y++ {
		copy(s.crop[y*w:][:w], g.pix[(r.Min.Y+y)*g.w+r.Min.X:][:w])
	}
	c := s.detectionPlane(gray{s.crop, w, h})
	s.frame()
	s.budget = frameBudget // the region's rungs cost a share of the frame's
	share := float64(c.w*c.h) / float64(d.w*d.h)
	for n := range streamRungs {
		if s.hopeless(n, c) {
			break
		}
		s.spend(s.costOf(n), 0)
		if text, ok := s.rung(n, c); ok {
			sc.remember(n, shrinkFactor(w, h), r.Min, g)
			return text, 0, true
		}
	}
	return "", s.spent * share, false
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
	case "global", "inverted", "hybrid", "pure", "harder", "inverted_thorough":
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
