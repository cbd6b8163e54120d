package mobile

import (
	"bytes"
	"crypto"
	"errors"
	"image"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/verify"
)

// Policy names for Policy.Name: the ready-made policies of package verify.
const (
	// PolicyAirline is verify.AirlineCheckIn: name, NIK, birth date (and
	// sex when shown), codes made for AudienceAirline.
	PolicyAirline = "airline"
	// PolicyKAI is verify.KAIGate: name and NIK, matched against the
	// ticket, codes made for AudienceKAI.
	PolicyKAI = "kai"
	// PolicyShare is verify.ShareReceiver: name and NIK, share codes up to
	// one hour.
	PolicyShare = "share"
	// PolicyAge is verify.AgeCheck: only that the holder is 17 or over.
	PolicyAge = "age"
)

// Policy is what a scanner checks: a ready-made policy and its parameters.
type Policy struct {
	// Name is PolicyAirline, PolicyKAI, PolicyShare or PolicyAge.
	Name string
	// TicketName and TicketNIK, for PolicyKAI and PolicyAirline, are the
	// booking's passenger: the disclosed name must match TicketName (with
	// the name rules of verify.Ticket) and the NIK equal TicketNIK when it
	// is set. Both empty check the claims only.
	TicketName, TicketNIK string
	// AllowedClaims are claims (comma-separated keys) the scanner may also
	// show when the code carries them, beyond the policy's own: a bank
	// receiving a shared document for its KYC names "birth_date,address".
	AllowedClaims string
}

// verifyPolicy builds the verify.Policy p names.
func (p *Policy) verifyPolicy() (verify.Policy, error) {
	if p == nil {
		return verify.Policy{}, errorf(codeInvalidArgument, "no policy")
	}
	ticket := p.TicketName != "" || p.TicketNIK != ""
	var vp verify.Policy
	switch p.Name {
	case PolicyAirline:
		vp = verify.AirlineCheckIn()
		if ticket {
			vp.Ticket = &verify.Ticket{Name: p.TicketName, NIK: p.TicketNIK}
		}
	case PolicyKAI:
		vp = verify.KAIGate(verify.Ticket{Name: p.TicketName, NIK: p.TicketNIK})
	case PolicyShare, PolicyAge:
		if ticket {
			return verify.Policy{}, errorf(codeInvalidArgument, "policy %q takes no ticket", p.Name)
		}
		if p.Name == PolicyShare {
			vp = verify.ShareReceiver()
		} else {
			vp = verify.AgeCheck()
		}
	default:
		return verify.Policy{}, errorf(codeInvalidArgument, "unknown policy %q", p.Name)
	}
	extra, err := parseClaims(p.AllowedClaims)
	if err != nil {
		return verify.Policy{}, err
	}
	vp.AllowedClaims = append(vp.AllowedClaims, extra...)
	return vp, nil
}

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
	// Claims are the claims the policy shows (never more, whatever the
	// wallet disclosed); empty when refused.
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

	mu  sync.Mutex // serialises updates; verifications do not take it
	seq uint64
	jws []byte
}

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
	ts.seq, ts.jws = list.Sequence(), bytes.Clone(trustList)
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

// UpdateTrustList replaces the trust list with a newer one, verified
// against the pinned root; verifications already running finish with the
// old one. The same list again changes nothing. It returns an error
// (trust_list) for a list that does not verify, and (rollback) for one with
// a lower sequence number than the list held, or the same number and other
// content: an old list may still trust a key withdrawn since. On any error
// the list held stays in use. Keep the bytes of the last list accepted and
// pass them to NewScanner at the next start.
func (s *Scanner) UpdateTrustList(trustList []byte) error {
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
	case seq == ts.seq && !bytes.Equal(trustList, ts.jws):
		return errorf(codeRollback, "another trust list with the held sequence %d", seq)
	case seq == ts.seq:
		return nil
	}
	if err := s.v.SetTrustList(list); err != nil {
		return errorf(codeTrustList, "%v", err)
	}
	ts.seq, ts.jws = list.Sequence(), bytes.Clone(trustList)
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
// status_invalid, trust_list_expired. The rollback floor lives in memory:
// keep the bytes of the newest list accepted for each issuer (replace the
// file when AddStatusList returns nil) and add them again at the next
// start.
func (s *Scanner) AddStatusList(statusList []byte) error {
	if len(statusList) > maxStatusList {
		return errorf(verify.ReasonMalformed.String(), "status list of %d bytes", len(statusList))
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

// WithPolicy returns a scanner that shares s's lists, replay store and
// trust-list floor but applies policy: a KAI gate makes one per ticket. It
// is cheap. It returns an error (invalid_argument) for a bad policy.
func (s *Scanner) WithPolicy(policy *Policy) (*Scanner, error) {
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
// scanner.
func (s *Scanner) RequestedClaims() string {
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
func (s *Scanner) VerifyText(text string) *Result {
	return result(s.v.VerifyText(text))
}

// VerifyFrame finds the QR code in a camera frame's luminance (Y) plane,
// width × height pixels of one byte each, rows stride bytes apart (Android
// ImageProxy.getPlanes()[0].getRowStride(); the Y plane of a
// kCVPixelFormatType_420YpCbCr8BiPlanar buffer on iOS), and verifies it. A
// frame with no readable code is a Result with Reason "no_code": try the
// next frame. It returns an error (invalid_argument) only when the sizes
// do not describe gray: width or height under 1, stride under width, gray
// shorter than stride × (height − 1) + width, or more than 4096 × 4096
// pixels.
func (s *Scanner) VerifyFrame(gray []byte, width, height, stride int64) (*Result, error) {
	img, err := grayImage(gray, width, height, stride)
	if err != nil {
		return nil, err
	}
	return result(s.v.VerifyImage(img)), nil
}

// grayImage wraps gray as an *image.Gray after checking the sizes, without
// copying: qr.Scan reads it during the call only.
func grayImage(gray []byte, width, height, stride int64) (*image.Gray, error) {
	const side = 1 << 16 // beyond any camera; keeps the products below in range
	switch {
	case width < 1 || height < 1 || width > side || height > side:
		return nil, errorf(codeInvalidArgument, "frame of %d × %d pixels", width, height)
	case width*height > limits.MaxImagePixels:
		return nil, errorf(codeInvalidArgument, "frame of %d × %d pixels, at most %d", width, height, limits.MaxImagePixels)
	case stride < width || stride > 4*side:
		return nil, errorf(codeInvalidArgument, "row stride %d for a width of %d", stride, width)
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
		Claims:           ktpClaims(&res.Claims),
	}
}
