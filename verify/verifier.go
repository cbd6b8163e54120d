package verify

import (
	"errors"
	"fmt"
	"image"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
)

// TrustSource gives the verifier the current trust list. *keys.Store is
// one (it swaps in verified updates atomically); [StaticTrust] is another.
type TrustSource interface {
	// Current returns the trust list to use now; nil means none held yet.
	Current() *keys.TrustList
}

// StaticTrust is a TrustSource holding one trust list that can be
// replaced atomically while verifications run.
type StaticTrust struct {
	p atomic.Pointer[keys.TrustList]
}

// NewStaticTrust returns a StaticTrust holding l.
func NewStaticTrust(l *keys.TrustList) *StaticTrust {
	s := &StaticTrust{}
	s.p.Store(l)
	return s
}

// Current implements TrustSource.
func (s *StaticTrust) Current() *keys.TrustList { return s.p.Load() }

// Set replaces the trust list. Verifications already running finish with
// the list they started with.
func (s *StaticTrust) Set(l *keys.TrustList) { s.p.Store(l) }

// Result is an accepted presentation.
type Result struct {
	// Claims are the disclosed claims.
	Claims credential.KTP
	// Profile is the disclosure profile shown.
	Profile credential.Profile
	// IssuerID and IssuerName name the issuing office from the trust list.
	IssuerID, IssuerName string
	// CredentialExpiry is when the credential expires.
	CredentialExpiry time.Time
	// IssuedAt and Expires bound the presentation, by the phone's clock.
	IssuedAt, Expires time.Time
	// Audience is the audience/purpose the wallet named, or "".
	Audience string
	// Warnings lists reasons that a StaleWarn policy let through (status
	// unknown or stale).
	Warnings []Reason
}

// Verifier checks presentations fully offline. It is safe for concurrent
// use; the trust list (through its TrustSource) and the status lists
// (through its status.Cache) can be replaced while verifications run, and
// each verification sees one consistent trust list and one consistent
// status list.
type Verifier struct {
	trust         TrustSource
	policy        Policy
	now           func() time.Time
	replay        ReplayCache
	status        *status.Cache
	issued        *issuerCache
	noIssuerCache bool
}

// Option configures a Verifier.
type Option func(*Verifier) error

// WithClock sets the verifier's clock (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(v *Verifier) error {
		if now == nil {
			return errors.New("verify: nil clock")
		}
		v.now = now
		return nil
	}
}

// WithReplayCache sets the replay store (default: a new
// MemoryReplayCache of DefaultReplayCapacity entries).
func WithReplayCache(c ReplayCache) Option {
	return func(v *Verifier) error {
		if c == nil {
			return errors.New("verify: nil replay cache")
		}
		v.replay = c
		return nil
	}
}

// WithStatusCache sets the status lists the verifier consults (default: an
// empty cache, so every presentation is "status unknown" until lists are
// added with [Verifier.AddStatusList]).
func WithStatusCache(c *status.Cache) Option {
	return func(v *Verifier) error {
		if c == nil {
			return errors.New("verify: nil status cache")
		}
		v.status = c
		return nil
	}
}

// WithIssuerCacheSize sets how many verified credentials the verifier
// remembers so that a retry with the same credential skips the issuer
// signature check (default DefaultIssuerCacheSize; 0 turns the cache off).
// The cache is tied to the trust list: a new list empties it in effect.
func WithIssuerCacheSize(n int) Option {
	return func(v *Verifier) error {
		if n < 0 {
			return errors.New("verify: negative issuer cache size")
		}
		v.issued = newIssuerCache(n)
		v.noIssuerCache = n == 0
		return nil
	}
}

// New returns a Verifier that trusts the issuers of trust and applies
// policy. It returns an error for a nil trust source or a policy with
// negative durations or no MaxLifetime.
func New(trust TrustSource, policy Policy, opts ...Option) (*Verifier, error) {
	if trust == nil {
		return nil, errors.New("verify: nil trust source")
	}
	if err := checkPolicy(policy); err != nil {
		return nil, err
	}
	v := &Verifier{trust: trust, policy: policy, now: time.Now}
	for _, o := range opts {
		if err := o(v); err != nil {
			return nil, err
		}
	}
	if v.replay == nil {
		v.replay = NewMemoryReplayCache(0)
	}
	if v.status == nil {
		v.status = &status.Cache{}
	}
	if v.issued == nil && !v.noIssuerCache {
		v.issued = newIssuerCache(DefaultIssuerCacheSize)
	}
	return v, nil
}

func checkPolicy(p Policy) error {
	if p.MaxLifetime <= 0 || p.ClockSkew < 0 || p.ClockWrongAfter < 0 || p.StatusMaxAge < 0 {
		return errors.New("verify: policy needs MaxLifetime > 0 and no negative durations")
	}
	if p.OnStale != StaleReject && p.OnStale != StaleWarn {
		return fmt.Errorf("verify: unknown stale action %d", p.OnStale)
	}
	return nil
}

// WithPolicy returns a Verifier sharing v's trust, status lists, clock and
// replay cache but applying p: a KAI gate makes one per ticket. It is cheap.
func (v *Verifier) WithPolicy(p Policy) (*Verifier, error) {
	if err := checkPolicy(p); err != nil {
		return nil, err
	}
	w := *v
	w.policy = p
	return &w, nil
}

// Policy returns the verifier's policy.
func (v *Verifier) Policy() Policy { return v.policy }

// AddStatusList verifies a signed status list against the trust list (its
// kid must name a key of the issuer the list belongs to, valid when the
// list was signed) and caches it. An older list than the one held is
// refused (rollback) and the held one stays.
func (v *Verifier) AddStatusList(data []byte) error {
	signed, err := status.Parse(data)
	if err != nil {
		return err
	}
	tl := v.trust.Current()
	if tl == nil {
		return fmt.Errorf("verify: no trust list: %w", ReasonUnknownIssuer)
	}
	var lastErr error = ReasonUnknownIssuer
	for _, k := range tl.Lookup(signed.UnverifiedKeyID()) {
		if int64(k.Algorithm) != int64(signed.UnverifiedAlg()) {
			lastErr = ReasonAlgorithmNotAllowed
			continue
		}
		list, err := signed.Verify(signed.UnverifiedAlg(), k.PublicKey)
		if err != nil {
			lastErr = err
			continue
		}
		if list.IssuerID() != k.IssuerID {
			lastErr = fmt.Errorf("verify: status list of %q signed by a key of %q: %w", list.IssuerID(), k.IssuerID, ReasonUnknownIssuer)
			continue
		}
		if !k.ValidAt(list.IssuedAt()) {
			lastErr = ReasonKeyNotValid
			continue
		}
		return v.status.Put(list, v.now())
	}
	return fmt.Errorf("verify: status list refused: %w", lastErr)
}

// VerifyImage finds the QR code in img (through qr.Scan) and verifies it.
// It returns ReasonNoCode when no code can be read.
func (v *Verifier) VerifyImage(img image.Image) (*Result, error) {
	text, err := qr.Scan(img)
	if err != nil {
		return nil, fail(ReasonNoCode, err)
	}
	return v.VerifyText(text)
}

// VerifyText verifies scanned QR text, fully offline, and returns the
// disclosed claims. One trailing line ending (CR, LF or CRLF, as keyboard-
// mode hardware scanners send) is ignored. Every failure is a *Error with a Reason. It checks, in
// order: the text form; the presentation structure; the device signature
// against the credential's cnf key; the issuer signature against the trust
// list (kid, algorithm allowed and matching the key, issuer id matching the
// key's issuer, key valid at the credential's issue time); the claims'
// consistency (NIK against birth date and sex); the credential's validity;
// the presentation's time window with the policy's clock skew; replay;
// revocation status; and the policy (claims, audience, lifetime, ticket).
func (v *Verifier) VerifyText(text string) (*Result, error) {
	now := v.now()
	// Hardware scanners in keyboard mode end a code with CR, LF or CRLF.
	// Neither is in the base45 alphabet, so dropping one line ending
	// cannot turn a bad code into a good one.
	text = trimLineEnding(text)
	data, err := qr.Decode(text)
	if err != nil {
		switch {
		case errors.Is(err, qr.ErrNotIKD):
			return nil, fail(ReasonNotIKD, err)
		case errors.Is(err, qr.ErrVersion):
			return nil, fail(ReasonUnsupportedVersion, err)
		default:
			return nil, fail(ReasonMalformed, err)
		}
	}
	pres, err := qr.ParsePresentation(data)
	if err != nil {
		if errors.Is(err, credential.ErrAlgorithm) {
			return nil, fail(ReasonAlgorithmNotAllowed, err)
		}
		return nil, fail(ReasonMalformed, err)
	}
	if err := pres.VerifyDevice(); err != nil {
		return nil, fail(ReasonBadDeviceSignature, err)
	}
	cred, key, ferr := v.verifyIssuer(pres.Credential())
	if ferr != nil {
		return nil, ferr
	}
	if cred.IssuedAt.After(now.Add(v.policy.ClockSkew)) {
		return nil, fail(ReasonCredentialNotYetValid, fmt.Errorf("issued %v", cred.IssuedAt))
	}
	if !now.Before(cred.Expiry) {
		return nil, fail(ReasonCredentialExpired, fmt.Errorf("expired %v", cred.Expiry))
	}
	if ferr := v.checkTime(pres, cred, now); ferr != nil {
		return nil, ferr
	}
	seen, err := v.replay.CheckAndMark(pres.ReplayKey(), pres.Expires().Add(v.policy.ClockSkew), now)
	if err != nil {
		return nil, fail(ReasonReplayCheckFailed, err)
	}
	if seen {
		return nil, fail(ReasonReplayed, nil)
	}
	res := &Result{
		Claims:           cred.Claims,
		Profile:          cred.Profile,
		IssuerID:         key.IssuerID,
		IssuerName:       key.IssuerName,
		CredentialExpiry: cred.Expiry,
		IssuedAt:         pres.IssuedAt(),
		Expires:          pres.Expires(),
		Audience:         pres.Audience(),
	}
	if ferr := v.checkStatus(cred, now, res); ferr != nil {
		return nil, ferr
	}
	if ferr := v.checkPolicy(pres, cred); ferr != nil {
		return nil, ferr
	}
	return res, nil
}

func trimLineEnding(s string) string {
	s, _ = strings.CutSuffix(s, "\n")
	s, _ = strings.CutSuffix(s, "\r")
	return s
}

// issuerFailureRank orders the failures of the issuer check from least to
// most specific; with several candidate keys the most specific is reported.
var issuerFailureRank = map[Reason]int{
	ReasonUnknownIssuer:       0,
	ReasonAlgorithmNotAllowed: 1,
	ReasonBadIssuerSignature:  2,
	ReasonKeyNotValid:         3,
	ReasonNIKInconsistent:     4,
	ReasonMalformed:           4,
}

// verifyIssuer checks the issuer signature against every trusted key with
// the credential's kid (8-byte kids can collide) and returns the verified
// credential and the key that verified it.
func (v *Verifier) verifyIssuer(s *credential.Signed) (*credential.Credential, keys.IssuerKey, *Error) {
	tl := v.trust.Current()
	if tl == nil {
		return nil, keys.IssuerKey{}, fail(ReasonUnknownIssuer, errors.New("no trust list"))
	}
	cached, key, h, ok := v.issued.get(s.Bytes(), tl)
	if ok {
		return cached, key, nil
	}
	cred, key, ferr := v.verifyIssuerUncached(s, tl)
	if ferr == nil {
		v.issued.put(h, tl, cred, key)
	}
	return cred, key, ferr
}

func (v *Verifier) verifyIssuerUncached(s *credential.Signed, tl *keys.TrustList) (*credential.Credential, keys.IssuerKey, *Error) {
	unverified := s.UnverifiedCredential()
	candidates := tl.Lookup(s.KeyID())
	if len(candidates) == 0 {
		return nil, keys.IssuerKey{}, fail(ReasonUnknownIssuer, fmt.Errorf("kid %x", s.KeyID()))
	}
	// The most specific failure wins: a signature that verifies under a key
	// outside its window says more than a kid collision.
	worst := fail(ReasonUnknownIssuer, fmt.Errorf("issuer %q has no key %x", unverified.Issuer, s.KeyID()))
	note := func(e *Error) {
		if issuerFailureRank[e.Reason] >= issuerFailureRank[worst.Reason] {
			worst = e
		}
	}
	for _, k := range candidates {
		if k.IssuerID != unverified.Issuer {
			continue
		}
		if int64(k.Algorithm) != int64(s.Algorithm()) {
			note(fail(ReasonAlgorithmNotAllowed, fmt.Errorf("credential says %v, key is %v", s.Algorithm(), k.Algorithm)))
			continue
		}
		cred, err := s.Verify(k.PublicKey)
		switch {
		case err == nil:
		case errors.Is(err, credential.ErrAlgorithm):
			note(fail(ReasonAlgorithmNotAllowed, err))
			continue
		case errors.Is(err, credential.ErrBadSignature):
			note(fail(ReasonBadIssuerSignature, err))
			continue
		case errors.Is(err, credential.ErrNIKBirthDateMismatch), errors.Is(err, credential.ErrNIKSexMismatch),
			errors.Is(err, credential.ErrNIKProvinceMismatch):
			note(fail(ReasonNIKInconsistent, err))
			continue
		default:
			note(fail(ReasonMalformed, err))
			continue
		}
		if !k.ValidAt(cred.IssuedAt) {
			note(fail(ReasonKeyNotValid, fmt.Errorf("key %x valid %v..%v, credential issued %v", k.KeyID, k.NotBefore, k.NotAfter, cred.IssuedAt)))
			continue
		}
		return cred, k, nil
	}
	return nil, keys.IssuerKey{}, worst
}

func (v *Verifier) checkTime(pres *qr.Presentation, cred *credential.Credential, now time.Time) *Error {
	p := v.policy
	iat := pres.IssuedAt()
	if iat.Before(cred.IssuedAt.Add(-p.ClockSkew)) {
		// Made before the credential existed: the phone's clock is behind.
		return fail(ReasonClockWrong, fmt.Errorf("presentation %v predates its credential %v", iat, cred.IssuedAt))
	}
	if ahead := iat.Sub(now); ahead > p.ClockSkew {
		if p.ClockWrongAfter > 0 && ahead > p.ClockWrongAfter {
			return fail(ReasonClockWrong, fmt.Errorf("phone is %v ahead", ahead.Round(time.Second)))
		}
		return fail(ReasonPresentationFromFuture, fmt.Errorf("%v ahead", ahead.Round(time.Second)))
	}
	if pres.Lifetime() > p.MaxLifetime {
		return fail(ReasonLifetimeTooLong, fmt.Errorf("lifetime %v > %v", pres.Lifetime(), p.MaxLifetime))
	}
	if now.After(pres.Expires().Add(p.ClockSkew)) {
		return fail(ReasonPresentationExpired, fmt.Errorf("expired %v ago", now.Sub(pres.Expires()).Round(time.Second)))
	}
	return nil
}

func (v *Verifier) checkStatus(cred *credential.Credential, now time.Time, res *Result) *Error {
	p := v.policy
	soft := func(r Reason, err error) *Error {
		if p.OnStale == StaleWarn {
			res.Warnings = append(res.Warnings, r)
			return nil
		}
		return fail(r, err)
	}
	cached, err := v.status.Get(cred.Issuer, cred.Status.List, now)
	if err != nil {
		return soft(ReasonStatusUnknown, err)
	}
	st, err := cached.List.Get(cred.Status.Index)
	if err != nil {
		return soft(ReasonStatusUnknown, err)
	}
	// A revocation is reported even from an old list: it is never undone
	// silently, and an old list that says "revoked" is still evidence.
	switch st {
	case status.StatusRevoked:
		return fail(ReasonRevoked, nil)
	case status.StatusSuspended:
		return fail(ReasonSuspended, nil)
	case status.StatusValid:
	default:
		return soft(ReasonStatusUnknown, fmt.Errorf("status %v", st))
	}
	if p.StatusMaxAge > 0 && cached.Age > p.StatusMaxAge {
		return soft(ReasonStatusStale, fmt.Errorf("status list %v old", cached.Age.Round(time.Minute)))
	}
	if exp := cached.List.Expiry(); !exp.IsZero() && now.After(exp) {
		return soft(ReasonStatusStale, fmt.Errorf("status list expired %v", exp))
	}
	return nil
}

func (v *Verifier) checkPolicy(pres *qr.Presentation, cred *credential.Credential) *Error {
	p := v.policy
	for _, c := range p.RequiredClaims {
		if !cred.Claims.Has(c) {
			return fail(ReasonPolicyUnmet, fmt.Errorf("missing %v (profile %v)", c, cred.Profile))
		}
	}
	aud := pres.Audience()
	if aud == "" && p.RequireAudience {
		return fail(ReasonWrongAudience, errors.New("no audience named"))
	}
	if aud != "" && len(p.Audiences) > 0 && !slices.Contains(p.Audiences, aud) {
		return fail(ReasonWrongAudience, fmt.Errorf("made for %q", aud))
	}
	if p.Ticket != nil && !p.Ticket.match(&cred.Claims) {
		return fail(ReasonTicketMismatch, nil)
	}
	return nil
}
