package mobile

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"errors"
	"image"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/statuslist"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/verify"
)

// Policy names for Policy.Name: the ready-made policies of package verify.
const (
	// PolicyAirline is verify.AirlineCheckIn: name, NIK, birth date (and
	// sex when shown), codes made for AudienceAirline, matched against
	// the booking's passenger.
	PolicyAirline = "airline"
	// PolicyKAI is verify.KAIGate: name and NIK, matched against the
	// ticket, codes made for AudienceKAI.
	PolicyKAI = "kai"
	// PolicyShare is verify.ShareReceiver: name and NIK, share codes up to
	// one hour (and live codes), that name no audience: a code made for
	// a KAI gate or an airline desk, relayed within its minute, is
	// refused as wrong_audience.
	PolicyShare = "share"
	// PolicyAge is verify.AgeCheck: only that the holder is 17 or over.
	PolicyAge = "age"
	// PolicySchool is verify.SchoolEnrolment: a Kartu Keluarga (document
	// "kk") and an Akta Kelahiran ("akta_kelahiran"), each a code of its
	// own, for a school enrolling a child; like PolicyShare, codes that
	// name no audience.
	PolicySchool = "school"
)

// Policy is what a scanner checks: a ready-made policy and its parameters.
type Policy struct {
	// Name is PolicyAirline, PolicyKAI, PolicyShare, PolicyAge or
	// PolicySchool.
	Name string
	// TicketName and TicketNIK, for PolicyKAI and PolicyAirline, are the
	// booking's passenger: the disclosed name must match TicketName (with
	// the name rules of verify.Ticket) and the NIK equal TicketNIK (16
	// digits) when it is set. One of them is required unless NoTicket is
	// set: an empty booking field must not open the gate to anyone's
	// code.
	TicketName, TicketNIK string
	// NoTicket, for PolicyKAI and PolicyAirline only, deliberately checks
	// the claims and audience without a ticket (the operator compares
	// the name shown with the booking). It cannot be set together with a
	// ticket field.
	NoTicket bool
	// AllowedClaims, for PolicyShare only, are claims (comma-separated
	// keys) the scanner may also show when the code carries them, beyond
	// the policy's own: a bank receiving a shared document for its KYC
	// names "birth_date,address". The other policies show exactly their
	// own claims (a KAI gate sees a name and a NIK, never a religion or an
	// address), and refuse AllowedClaims.
	AllowedClaims string
}

// verifyPolicy builds the verify.Policy p names.
func (p *Policy) verifyPolicy() (verify.Policy, error) {
	if p == nil {
		return verify.Policy{}, errorf(codeInvalidArgument, "no policy")
	}
	ticket := p.TicketName != "" || p.TicketNIK != ""
	if p.TicketNIK != "" {
		if _, err := credential.ParseNIK(p.TicketNIK); err != nil {
			return verify.Policy{}, errorf(codeInvalidArgument, "ticket NIK: %v", err)
		}
	}
	if len(p.TicketName) > maxTicketName {
		return verify.Policy{}, errorf(codeInvalidArgument, "ticket name of %d bytes, at most %d", len(p.TicketName), maxTicketName)
	}
	var vp verify.Policy
	switch p.Name {
	case PolicyAirline, PolicyKAI:
		switch {
		case ticket && p.NoTicket:
			return verify.Policy{}, errorf(codeInvalidArgument, "policy %q: NoTicket with a ticket name or NIK", p.Name)
		case !ticket && !p.NoTicket:
			return verify.Policy{}, errorf(codeInvalidArgument, "policy %q needs TicketName or TicketNIK (or NoTicket, to check no ticket)", p.Name)
		}
		var t *verify.Ticket
		if ticket {
			t = &verify.Ticket{Name: p.TicketName, NIK: p.TicketNIK}
		}
		if p.Name == PolicyKAI {
			vp = verify.KAIGate(verify.Ticket{})
		} else {
			vp = verify.AirlineCheckIn()
		}
		vp.Ticket = t
	case PolicyShare, PolicyAge, PolicySchool:
		if ticket || p.NoTicket {
			return verify.Policy{}, errorf(codeInvalidArgument, "policy %q takes no ticket", p.Name)
		}
		switch p.Name {
		case PolicyShare:
			vp = verify.ShareReceiver()
		case PolicyAge:
			vp = verify.AgeCheck()
		default:
			vp = verify.SchoolEnrolment()
		}
		if p.Name != PolicyAge {
			// A receiver takes only codes made for no one in particular,
			// as Wallet.ShareCode makes them: a live code shown at a KAI
			// gate or an airline desk names its audience, and relayed to
			// a receiver within its minute it is refused
			// (wrong_audience). No audience is the NUL byte (audiences
			// are printable ASCII), so this list accepts none.
			vp.Audiences = []string{noAudience}
		}
	default:
		return verify.Policy{}, errorf(codeInvalidArgument, "unknown policy %q", p.Name)
	}
	if p.AllowedClaims != "" && p.Name != PolicyShare {
		return verify.Policy{}, errorf(codeInvalidArgument, "policy %q takes no AllowedClaims: it shows exactly its own claims", p.Name)
	}
	extra, err := parseClaims(p.AllowedClaims, credential.DocumentKTP)
	if err != nil {
		return verify.Policy{}, err
	}
	vp.AllowedClaims = append(vp.AllowedClaims, extra...)
	return vp, nil
}

// noAudience is an audience no wallet can name (see verifyPolicy).
const noAudience = "\x00"

// maxTicketName bounds a ticket's passenger name.
const maxTicketName = 256

// Result is a scanner's verdict on one code.
type Result struct {
	// Accepted is true when the code passed every check of the policy.
	Accepted bool
	// Reason is "" when accepted, and otherwise the stable key of why not
	// ("revoked", "presentation_expired", "no_code": the keys of
	// verify.Reason), for logs and for the app's own messages.
	Reason string
	// MessageIndonesian and MessageEnglish are the reason's short message
	// for the operator to read aloud; "" when accepted.
	MessageIndonesian, MessageEnglish string
	// Profile is the disclosure profile the wallet showed, when accepted.
	Profile string
	// IssuerID and IssuerName name the issuing office from the trust list.
	IssuerID, IssuerName string
	// IssuedAt and Expires bound the code (phone's clock), and
	// CredentialExpiry is when the credential expires, in Unix seconds.
	IssuedAt, Expires, CredentialExpiry int64
	// Audience is the audience the wallet named, or "".
	Audience string
	// Document is the document shown, when accepted: "ktp", "kk" or
	// "akta_kelahiran".
	Document string
	// Claims are the claims the policy shows (never more, whatever the
	// wallet disclosed); empty when refused. A Kartu Keluarga's member
	// claims carry the member's row (Claim.Member).
	Claims *Claims
}

// Scanner verifies codes offline under one policy. It is safe for
// concurrent use: frames can be verified while UpdateTrustList and
// AddStatusList replace the lists, and each verification sees one
// consistent set of lists.
type Scanner struct {
	v      *verify.Verifier
	policy verify.Policy
	trust  *trustState // shared with the scanners made by WithPolicy
}

// trustState is the pinned root and the trust list held, with the floor
// that refuses rollbacks.
type trustState struct {
	root crypto.PublicKey
	now  func() time.Time

	mu      sync.Mutex // serialises updates; verifications do not take it
	seq     uint64
	payload []byte          // the held list's verified payload
	list    *keys.TrustList // the held list
}

// errNotMade is the error of a method called on a nil or zero Scanner.
func errNotMade() error {
	return errorf(codeInvalidArgument, "scanner not made by NewScanner")
}

// ok reports whether s was made by NewScanner or WithPolicy.
func (s *Scanner) ok() bool { return s != nil && s.v != nil && s.trust != nil }

// maxTrustList bounds the trust list bytes (keys refuses more anyway).
const maxTrustList = 1 << 20

// NewScanner returns a scanner that trusts the issuers of trustList (the
// trust list JWS, as downloaded) verified against rootKey (the root key
// pinned at install, root.jwk: a JWK or a PEM "PUBLIC KEY"), and applies
// policy. Add the status lists with AddStatusList: until then codes are
// refused as status_unknown. It returns an error (malformed) for a root
// key it cannot use, (trust_list) for a list that does not verify or has
// expired, and (invalid_argument) for a bad policy.
func NewScanner(trustList, rootKey []byte, policy *Policy) (*Scanner, error) {
	return newScanner(trustList, rootKey, policy, time.Now)
}

func newScanner(trustList, rootKey []byte, policy *Policy, now func() time.Time) (*Scanner, error) {
	vp, err := policy.verifyPolicy()
	if err != nil {
		return nil, err
	}
	root, err := keys.ParsePublicKey(rootKey)
	if err != nil {
		return nil, errorf(codeMalformed, "root key: %v", err)
	}
	ts := &trustState{root: root, now: now}
	list, err := ts.parse(trustList)
	if err != nil {
		return nil, err
	}
	v, err := verify.New(list, vp, verify.WithClock(now))
	if err != nil {
		return nil, errorf(codeInvalidArgument, "%v", err)
	}
	ts.seq, ts.payload, ts.list = list.Sequence(), jwsPayload(trustList), list
	return &Scanner{v: v, policy: vp, trust: ts}, nil
}

func (ts *trustState) parse(jws []byte) (*keys.TrustList, error) {
	if len(jws) > maxTrustList {
		return nil, errorf(codeTrustList, "trust list of %d bytes", len(jws))
	}
	list, err := keys.ParseTrustList(bytes.Clone(jws), ts.root, keys.WithClock(ts.now))
	if err != nil {
		return nil, errorf(codeTrustList, "%v", err)
	}
	return list, nil
}

// jwsPayload returns the payload of a compact JWS that keys.ParseTrustList
// accepted: its second segment, decoded. Two lists with the same payload
// are the same list, whatever the white space around them or the
// signature (ECDSA signs the same content differently each time).
func jwsPayload(jws []byte) []byte {
	parts := bytes.Split(bytes.TrimSpace(jws), []byte("."))
	if len(parts) != 3 {
		return nil
	}
	out, err := base64.RawURLEncoding.DecodeString(string(parts[1]))
	if err != nil {
		return nil
	}
	return out
}

// UpdateTrustList replaces the trust list with a newer one, verified
// against the pinned root; verifications already running finish with the
// old one. The same list again (the same signed payload, whatever the
// white space or line endings around it) changes nothing. It returns an
// error (trust_list) for a list that does not verify, and (rollback) for
// one with a lower sequence number than the list held, or the same number
// and another payload: an old list may still trust a key withdrawn since.
// On any error the list held stays in use. Keep the bytes of the last list
// accepted and pass them to NewScanner at the next start.
//
// A list whose issue time is in the future (by the phone's clock) is
// accepted as keys.ParseTrustList accepts it, and raises the floor: a
// phone whose clock runs late can then refuse the publisher's current
// list as a rollback until the next sequence number. Lists are signed by
// the root key alone, so only the publisher can make one.
func (s *Scanner) UpdateTrustList(trustList []byte) error {
	if !s.ok() {
		return errNotMade()
	}
	ts := s.trust
	ts.mu.Lock()
	defer ts.mu.Unlock()
	list, err := ts.parse(trustList)
	if err != nil {
		return err
	}
	switch seq := list.Sequence(); {
	case seq < ts.seq:
		return errorf(codeRollback, "trust list sequence %d is older than the held %d", seq, ts.seq)
	case seq == ts.seq && !bytes.Equal(jwsPayload(trustList), ts.payload):
		return errorf(codeRollback, "another trust list with the held sequence %d", seq)
	case seq == ts.seq:
		return nil
	}
	if err := s.v.SetTrustList(list); err != nil {
		return errorf(codeTrustList, "%v", err)
	}
	ts.seq, ts.payload, ts.list = list.Sequence(), jwsPayload(trustList), list
	return nil
}

// maxStatusList bounds a status list's bytes: 100 million entries at 0.1 %
// revoked compress to about 213 KB.
const maxStatusList = 16 << 20

// AddStatusList verifies an issuer's status list (the signed token, as
// published) against the trust list and uses it from now on, replacing
// that issuer's previous list. It returns an error whose code is the key of
// the verify.Reason: malformed, unknown_issuer, bad_issuer_signature,
// key_not_valid, status_rollback (older than the list held, which stays),
// status_invalid, trust_list_expired, and status_stale for a list that
// verifies but is past its expiry or older than the policy allows (7
// days): it is not added, since every code would be refused with it
// (status_stale) — fetch a current one. The rollback floor lives in
// memory: keep the bytes of the newest list accepted for each issuer
// (replace the file when AddStatusList returns nil) and add them again at
// the next start; a saved list that has since gone stale is refused with
// status_stale, and the app fetches a new one.
func (s *Scanner) AddStatusList(statusList []byte) error {
	if !s.ok() {
		return errNotMade()
	}
	if len(statusList) > maxStatusList {
		return errorf(verify.ReasonMalformed.String(), "status list of %d bytes", len(statusList))
	}
	if err := s.stale(statusList); err != nil {
		return err
	}
	err := s.v.AddStatusList(bytes.Clone(statusList))
	if err == nil {
		return nil
	}
	var verr *verify.Error
	if errors.As(err, &verr) {
		return errorf(verr.Reason.String(), "%v", err)
	}
	return errorf(verify.ReasonMalformed.String(), "%v", err)
}

// stale returns a status_stale error when statusList verifies with a key
// of the held trust list but is expired or older than the policy's
// StatusMaxAge by the scanner's clock, and nil otherwise (verify then
// checks it, and reports any other problem).
func (s *Scanner) stale(statusList []byte) error {
	signed, err := statuslist.Parse(statusList)
	if err != nil {
		return nil
	}
	s.trust.mu.Lock()
	tl := s.trust.list
	s.trust.mu.Unlock()
	now := s.trust.now()
	for _, k := range tl.Lookup(signed.KeyID()) {
		if k.Algorithm != signed.Algorithm() {
			continue
		}
		l, err := signed.Verify(k.PublicKey)
		if err != nil {
			continue
		}
		if exp := l.Expiry(); !exp.IsZero() && !now.Before(exp) {
			return errorf(verify.ReasonStatusStale.String(), "status list of issuer %s expired at %v (issued %v): not added", l.IssuerID(), exp.UTC(), l.IssuedAt().UTC())
		}
		if age := now.Sub(l.IssuedAt()); s.policy.StatusMaxAge > 0 && age > s.policy.StatusMaxAge {
			return errorf(verify.ReasonStatusStale.String(), "status list of issuer %s issued %v, %v ago, over the %v the policy allows: not added", l.IssuerID(), l.IssuedAt().UTC(), age.Round(time.Minute), s.policy.StatusMaxAge)
		}
		return nil
	}
	return nil
}

// WithPolicy returns a scanner that shares s's lists, replay store and
// trust-list floor but applies policy: a KAI gate makes one per ticket. It
// is cheap. It returns an error (invalid_argument) for a bad policy, or
// for a scanner not made by NewScanner.
func (s *Scanner) WithPolicy(policy *Policy) (*Scanner, error) {
	if !s.ok() {
		return nil, errNotMade()
	}
	vp, err := policy.verifyPolicy()
	if err != nil {
		return nil, err
	}
	v, err := s.v.WithPolicy(vp)
	if err != nil {
		return nil, errorf(codeInvalidArgument, "%v", err)
	}
	return &Scanner{v: v, policy: vp, trust: s.trust}, nil
}

// RequestedClaims returns the claims the policy requires, comma-separated
// in key order ("nik,name"): what a wallet passes to NextCode for this
// scanner. For PolicySchool it lists the claims of both documents (the KK's
// first, then the Akta's); a wallet asks for each document with its own
// claims (docs/mobile.md). It returns "" for a scanner not made by
// NewScanner.
func (s *Scanner) RequestedClaims() string {
	if !s.ok() {
		return ""
	}
	claims := slices.Sorted(slices.Values(s.policy.RequiredClaims))
	keys := make([]string, len(claims))
	for i, c := range claims {
		keys[i] = c.String()
	}
	return strings.Join(keys, ",")
}

// VerifyText verifies scanned QR text (one trailing line ending, as
// keyboard-mode hardware readers send, is ignored) and returns the verdict.
// A refusal is a Result, never an error.
//
// On a nil or zero Scanner it returns a refusal with Reason
// "invalid_argument".
func (s *Scanner) VerifyText(text string) *Result {
	if !s.ok() {
		return notMadeResult()
	}
	return result(s.v.VerifyText(text))
}

// notMadeResult is the verdict of a scanner not made by NewScanner.
func notMadeResult() *Result {
	return &Result{
		Reason:            codeInvalidArgument,
		MessageIndonesian: "Pemindai belum disiapkan.",
		MessageEnglish:    "Scanner not set up (not made by NewScanner).",
		Claims:            &Claims{},
	}
}

// VerifyFrame finds the QR code in a camera frame's luminance (Y) plane,
// width × height pixels of one byte each, rows stride bytes apart (Android
// ImageProxy.getPlanes()[0].getRowStride(); the Y plane of a
// kCVPixelFormatType_420YpCbCr8BiPlanar buffer on iOS), and verifies it. A
// frame with no readable code is a Result with Reason "no_code": try the
// next frame. It returns an error (invalid_argument) only when the sizes
// do not describe gray, or exceed the caps: width and height each 1 to
// 65,536; width × height at most 16,777,216 pixels (4096 × 4096); stride
// from width to 262,144 bytes; gray at least stride × (height − 1) + width
// bytes (the last row needs no padding). It also returns invalid_argument
// for a scanner not made by NewScanner. The work on a frame without a
// code grows with its pixels (qr.Scan bounds it): pass the camera's
// preview size (1280 × 720 or so), not the full sensor.
func (s *Scanner) VerifyFrame(gray []byte, width, height, stride int64) (*Result, error) {
	if !s.ok() {
		return nil, errNotMade()
	}
	img, err := grayImage(gray, width, height, stride)
	if err != nil {
		return nil, err
	}
	return result(s.v.VerifyImage(img)), nil
}

// Frame caps (VerifyFrame's documentation states them): a side beyond any
// camera, and a row stride of four such sides, which keep the products in
// grayImage in range.
const (
	maxFrameSide   = 1 << 16
	maxFrameStride = 4 * maxFrameSide
)

// grayImage wraps gray as an *image.Gray after checking the sizes, without
// copying: qr.Scan reads it during the call only.
func grayImage(gray []byte, width, height, stride int64) (*image.Gray, error) {
	switch {
	case width < 1 || height < 1 || width > maxFrameSide || height > maxFrameSide:
		return nil, errorf(codeInvalidArgument, "frame of %d × %d pixels: each side must be 1 to %d", width, height, maxFrameSide)
	case width*height > limits.MaxImagePixels:
		return nil, errorf(codeInvalidArgument, "frame of %d × %d pixels, at most %d pixels in all", width, height, limits.MaxImagePixels)
	case stride < width:
		return nil, errorf(codeInvalidArgument, "row stride %d is under the width %d", stride, width)
	case stride > maxFrameStride:
		return nil, errorf(codeInvalidArgument, "row stride %d is over the cap of %d bytes", stride, maxFrameStride)
	}
	need := stride*(height-1) + width
	if int64(len(gray)) < need {
		return nil, errorf(codeInvalidArgument, "frame of %d bytes, %d × %d with stride %d needs %d", len(gray), width, height, stride, need)
	}
	return &image.Gray{
		Pix:    gray[:need:need],
		Stride: int(stride),
		Rect:   image.Rect(0, 0, int(width), int(height)),
	}, nil
}

// result turns a verdict into a Result.
func result(res *verify.Result, err error) *Result {
	if err != nil {
		reason := verify.ReasonMalformed // a verifier's errors are all *verify.Error
		var verr *verify.Error
		if errors.As(err, &verr) {
			reason = verr.Reason
		}
		return &Result{
			Reason:            reason.String(),
			MessageIndonesian: reason.Indonesian(),
			MessageEnglish:    reason.English(),
			Claims:            &Claims{},
		}
	}
	return &Result{
		Accepted:         true,
		Profile:          res.Profile.String(),
		IssuerID:         res.IssuerID,
		IssuerName:       res.IssuerName,
		IssuedAt:         res.IssuedAt.Unix(),
		Expires:          res.Expires.Unix(),
		CredentialExpiry: res.CredentialExpiry.Unix(),
		Audience:         res.Audience,
		Document:         res.Profile.Document().String(),
		Claims:           documentClaims(res.Profile.Document(), &res.Claims, res.KK, res.BirthCertificate),
	}
}
