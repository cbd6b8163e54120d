package mobile

import (
	"errors"

	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// Reasons of a Frames result that are not a verdict on a code: the app
// shows nothing new and passes the next frame.
const (
	reasonSameCode = "same_code"
	reasonBusy     = "busy"
)

// Frames verifies the frames of one camera stream, as a phone scanner's
// camera delivers them (about 30 a second), with the stream rules of
// qr.Scanner: it looks first where the last code was, spreads its retries
// over consecutive frames, and reports each showing of a code once. Make
// one per camera session with Scanner.Frames; it is safe for concurrent
// use, and applies its scanner's policy and lists.
type Frames struct {
	s  *Scanner
	qs *qr.Scanner
}

// Frames returns a new stream of frames verified by s, with no code seen
// yet; nil for a scanner not made by NewScanner.
func (s *Scanner) Frames() *Frames {
	if !s.ok() {
		return nil
	}
	return &Frames{s: s, qs: qr.NewScanner()}
}

// VerifyFrame is Scanner.VerifyFrame for the next frame of the stream,
// with the same sizes, caps and errors. Its Result is a verdict once per
// showing of a code: while that code stays in view the next frames give
// Reason "same_code" (keep showing the verdict), a frame that arrived
// while the previous one was still being read gives "busy" (dropped, not
// queued), and a frame without a readable code "no_code". A code reported
// is remembered (the last 8, each for 2 minutes after the last frame that
// showed it, qr.Scanner's rule), so a phone lowered for a moment and shown
// again gives "same_code", not "replayed"; the wallet's next code is a new
// showing.
func (f *Frames) VerifyFrame(gray []byte, width, height, stride int64) (*Result, error) {
	if f == nil || f.qs == nil || !f.s.ok() {
		return nil, errorf(codeInvalidArgument, "frames not made by Scanner.Frames")
	}
	img, err := grayImage(gray, width, height, stride)
	if err != nil {
		return nil, err
	}
	text, err := f.qs.Scan(img)
	switch {
	case errors.Is(err, qr.ErrSameCode):
		return streamResult(reasonSameCode, "Kode yang sama masih terlihat.", "The same code is still in view."), nil
	case errors.Is(err, qr.ErrBusy):
		return streamResult(reasonBusy, "Bingkai dilewati.", "Frame dropped: the previous one is still being read."), nil
	case errors.Is(err, qr.ErrNoCode):
		return result(nil, &verify.Error{Reason: verify.ReasonNoCode}), nil
	case err != nil:
		return nil, errorf(codeInvalidArgument, "%v", err)
	}
	return result(f.s.v.VerifyText(text)), nil
}

// streamResult is a refusal that is no verdict on a code.
func streamResult(reason, id, en string) *Result {
	return &Result{Reason: reason, MessageIndonesian: id, MessageEnglish: en, Claims: &Claims{}}
}
