package verify

import (
	"crypto"
	"errors"
	"fmt"
	"image"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/internal/statuslist"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
)

// Result is an accepted presentation.
type Result struct {
	// Claims are the disclosed claims the policy shows (its RequiredClaims
	// and AllowedClaims), a copy of the verifier's own: a claim the policy
	// does not name is left out even when the presentation carried it
	// (Profile says what the wallet showed). Show them with
	// [credential.KTP.Display] and [credential.Claim.Indonesian].
	Claims credential.KTP
	// KK and BirthCertificate are, for a presentation of a Kartu Keluarga
	// or an Akta Kelahiran (Profile.Document()), its disclosed claims,
	// minimised like Claims: every member of the KK shown, each with only
	// the member claims the policy names. They are nil for other
	// documents, and Claims is then the zero KTP.
	KK               *credential.KK
	BirthCertificate *credential.BirthCertificate
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
	// Warnings lists the reasons a lenient policy let through: status
	// unknown or stale (Policy.WarnOnStaleStatus), replay checked against
	// this verifier's memory only (Policy.WarnOnReplayStoreDown,
	// ReasonReplayCheckedLocally). Show them to the operator.
	Warnings []Reason
}

// Verifier checks presentations fully offline. It is safe for concurrent
// use; the trust list ([Verifier.SetTrustList]) and the status lists
// ([Verifier.AddStatusList]) can be replaced while verifications run, and
// each verification sees one consistent trust list and one consistent
// status list.
type Verifier struct {
	*state
	policy Policy
}

// state is what the verifiers made from one New share (see WithPolicy).
type state struct {
	lists  sync.Mutex // serialises SetTrustList and AddStatusList
	trust  atomic.Pointer[keys.TrustList]
	now    func() time.Time
	replay ReplayCache
	// local, set only when replay is a shared store (WithReplayCache),
	// remembers the codes this verifier accepted under a policy with
	// WarnOnReplayStoreDown, and those it accepted while the shared store
	// was down: see checkReplay.
	local *memoryReplayCache
	// written holds the codes accepted with local only, for the shared
	// store once it answers again.
	written writeBack
	status  statuslist.Cache
	issued  *issuerCache
}

// Option configures a Verifier.
type Option func(*config) error

type config struct {
	now             func() time.Time
	replay          ReplayCache
	issuerCacheSize int
}

// WithClock sets the verifier's clock (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("verify: WithClock(nil)")
		}
		c.now = now
		return nil
	}
}

// WithReplayCache sets the store of codes already accepted (default: a
// bounded in-memory store of 100,000 codes, private to the verifiers made
// from one New). Gates of one station or airport share one through this
// interface.
func WithReplayCache(c ReplayCache) Option {
	return func(cfg *config) error {
		if c == nil {
			return errors.New("verify: WithReplayCache(nil)")
		}
		cfg.replay = c
		return nil
	}
}

// defaultIssuerCacheSize is how many verified credentials a Verifier
// remembers. A person who retries at a gate shows the same credential in a
// fresh presentation; remembering it saves the issuer signature check
// (about half the cost of a verification).
const defaultIssuerCacheSize = 1024

// New returns a Verifier that trusts the issuer keys of list, a trust list
// verified by keys.ParseTrustList or held by a keys.Store, and applies
// policy. It returns an error for a nil list, a policy with negative
// durations, no MaxLifetime or a ClockSkew over 5 minutes, or a bad
// option. Status lists are added with
// [Verifier.AddStatusList]; until one is added for an issuer, its
// credentials are "status unknown".
func New(list *keys.TrustList, policy Policy, opts ...Option) (*Verifier, error) {
	if list == nil || list.Sequence() == 0 {
		// A verified list has a sequence number of at least 1; the zero
		// TrustList was never verified.
		return nil, errors.New("verify: New: no verified trust list")
	}
	if err := checkPolicy(policy); err != nil {
		return nil, err
	}
	c := config{now: time.Now, issuerCacheSize: defaultIssuerCacheSize}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("verify: nil Option")
		}
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	var local *memoryReplayCache
	if c.replay == nil {
		c.replay = newMemoryReplayCache(0)
	} else {
		local = newMemoryReplayCache(0)
	}
	s := &state{now: c.now, replay: c.replay, local: local, issued: newIssuerCache(c.issuerCacheSize)}
	s.trust.Store(list)
	return &Verifier{state: s, policy: policy}, nil
}

// maxClockSkew is the largest Policy.ClockSkew a verifier takes. The
// verifiers made from one New share their status lists and their replay
// store whatever policy each applies (and gates may share one store across
// processes), so a check on shared state uses this bound rather than one
// policy's ClockSkew: a status list dated more than maxClockSkew ahead of
// the scanner's clock is refused, and a code is remembered until its
// expiry plus maxClockSkew, which outlives every verifier that could still
// accept it. Five minutes is more than any ready-made policy needs (the
// share receiver's 2 minutes).
const maxClockSkew = 5 * time.Minute

func checkPolicy(p Policy) error {
	if p.MaxLifetime <= 0 || p.ClockSkew < 0 || p.ClockWrongAfter < 0 || p.StatusMaxAge < 0 || p.TrustListGrace < 0 {
		return errors.New("verify: policy needs MaxLifetime > 0 and no negative durations")
	}
	if p.ClockSkew > maxClockSkew {
		return fmt.Errorf("verify: policy ClockSkew %v over the maximum %v", p.ClockSkew, maxClockSkew)
	}
	return nil
}

// WithPolicy returns a Verifier sharing v's trust list, status lists, clock
// and replay store but applying p: a KAI gate makes one per ticket. It is
// cheap. It returns an error for a policy New would refuse.
func (v *Verifier) WithPolicy(p Policy) (*Verifier, error) {
	if err := checkPolicy(p); err != nil {
		return nil, err
	}
	return &Verifier{state: v.state, policy: p}, nil
}

// SetTrustList replaces the trust list, for example after a keys.Store
// accepted an update (pass store.Current()). Verifications already running
// finish with the list they started with; the verifiers made with
// [Verifier.WithPolicy] share the change. Status lists signed by a key the
// new list does not trust (for the list's issuer, valid when the list was
// issued) are dropped with it: a withdrawn key's lists stop counting at
// once. A nil list is an error and changes nothing.
func (v *Verifier) SetTrustList(list *keys.TrustList) error {
	if list == nil || list.Sequence() == 0 {
		return errors.New("verify: SetTrustList: no verified trust list")
	}
	v.lists.Lock()
	defer v.lists.Unlock()
	v.trust.Store(list)
	// A status list counts only while the key that signed it is trusted: a
	// key withdrawn from the trust list (stolen, say) must not keep an "all
	// valid" list it signed in force.
	v.status.Retain(func(l *statuslist.List) bool { return signedByTrusted(list, l) })
	return nil
}

// signedByTrusted reports whether l's signing key is in list, for l's
// issuer, valid when l was issued.
func signedByTrusted(list *keys.TrustList, l *statuslist.List) bool {
	kid, err := keys.KeyID(l.SignedBy())
	if err != nil {
		return false
	}
	for _, k := range list.Lookup(kid) {
		if k.IssuerID == l.IssuerID() && k.ValidAt(l.IssuedAt()) && sameKey(k.PublicKey, l.SignedBy()) {
			return true
		}
	}
	return false
}

func sameKey(a, b crypto.PublicKey) bool {
	e, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && e.Equal(b)
}

// StatusList describes a status list a Verifier holds, for a scanner to
// show how current its revocation information is.
type StatusList struct {
	// Issuer is the issuer id and List the list id it names.
	Issuer string
	List   uint32
	// IssuedAt is when the issuer signed it: its age, not the time it was
	// fetched, says how current it is.
	IssuedAt time.Time
	// Expiry is the list's exp, zero when it names none; TTL its ttl, the
	// issuer's advice on how long to use it before fetching a newer one,
	// zero when it names none.
	Expiry time.Time
	TTL    time.Duration
}

// StatusLists returns the status list in force for each issuer and list
// id the verifier holds, ordered by issuer id, then list id.
func (v *Verifier) StatusLists() []StatusList {
	var out []StatusList
	for _, l := range v.status.Lists() {
		out = append(out, StatusList{Issuer: l.IssuerID(), List: l.ListID(), IssuedAt: l.IssuedAt(), Expiry: l.Expiry(), TTL: l.TTL()})
	}
	return out
}

// AddStatusList verifies a signed status list (a status list token, as an
// issuer publishes it) against the trust list and keeps it for revocation
// checks, replacing the issuer's previous list. The signing key must be a
// key of the issuer the list names, valid when the list was issued. It
// returns a [*Error]: ReasonMalformed for bytes that are not a status list,
// ReasonUnknownIssuer, ReasonAlgorithmNotAllowed, ReasonBadIssuerSignature
// or ReasonKeyNotValid when the signature cannot be trusted,
// ReasonStatusRollback for a list older than the one held, or issued in the
// same second with other content, which stays in use (an attacker replaying
// an old list cannot undo a revocation; the same list again changes
// nothing), ReasonStatusInvalid for a list dated more than 5 minutes (the
// largest ClockSkew any policy may have) ahead of the scanner's clock, and
// ReasonTrustListExpired when the trust list is past its next update plus
// the policy's TrustListGrace.
//
// The rollback floor lives in the Verifier's memory. A scanner that keeps
// status lists on disk and adds them again at start must keep only the
// newest it accepted (replace the file when AddStatusList returns nil), and
// protect that file as it protects its trust store: whoever can put an
// older genuine list back before a restart brings back a credential
// revoked since, until the scanner fetches the issuer's current list.
func (v *Verifier) AddStatusList(data []byte) error {
	signed, err := statuslist.Parse(data)
	if err != nil {
		return fail(ReasonMalformed, err)
	}
	v.lists.Lock()
	defer v.lists.Unlock()
	now := v.now()
	tl := v.trust.Load()
	if ferr := v.checkTrustList(tl, now); ferr != nil {
		return ferr
	}
	worst := fail(ReasonUnknownIssuer, fmt.Errorf("no trusted key has kid %x", signed.KeyID()))
	// With several candidate keys (8-byte kids collide) the most specific
	// failure is reported, as for credentials, whatever order the trust
	// list gives the keys in.
	note := func(e *Error) {
		if issuerFailureRank[e.Reason] >= issuerFailureRank[worst.Reason] {
			worst = e
		}
	}
	for _, k := range tl.Lookup(signed.KeyID()) {
		// The algorithm comes from the trusted key, never from the list.
		if k.Algorithm != signed.Algorithm() {
			note(fail(ReasonAlgorithmNotAllowed, fmt.Errorf("status list says %v, key is %v", signed.Algorithm(), k.Algorithm)))
			continue
		}
		list, err := signed.Verify(k.PublicKey)
		switch {
		case errors.Is(err, statuslist.ErrSignature):
			note(fail(ReasonBadIssuerSignature, err))
			continue
		case err != nil:
			return fail(ReasonMalformed, err)
		}
		if list.IssuerID() != k.IssuerID {
			note(fail(ReasonUnknownIssuer, fmt.Errorf("status list of %q signed by a key of %q", list.IssuerID(), k.IssuerID)))
			continue
		}
		if !k.ValidAt(list.IssuedAt()) {
			note(fail(ReasonKeyNotValid, fmt.Errorf("key valid %v..%v, list issued %v", k.NotBefore, k.NotAfter, list.IssuedAt())))
			continue
		}
		// A list from the future would be held as the newest, so the real
		// list that revokes a credential would be refused as a rollback
		// until then, and the list would not age either: revocation
		// frozen. The bound is the largest skew any sibling verifier may
		// allow, not this policy's: the lists are shared.
		if ahead := list.IssuedAt().Sub(now); ahead > maxClockSkew {
			return fail(ReasonStatusInvalid, fmt.Errorf("status list issued %v, %v ahead of the scanner's clock", list.IssuedAt(), ahead.Round(time.Second)))
		}
		if err := v.status.Put(list, now); err != nil {
			if errors.Is(err, statuslist.ErrRollback) || errors.Is(err, statuslist.ErrConflict) {
				return fail(ReasonStatusRollback, err)
			}
			return fail(ReasonMalformed, err)
		}
		return nil
	}
	return worst
}

// VerifyImage finds the QR code in img with qr.Scan and verifies its text
// like [Verifier.VerifyText]. It returns ReasonNoCode when no code can be
// read (the error then also wraps qr.ErrNoCode or qr.ErrImage).
func (v *Verifier) VerifyImage(img image.Image) (*Result, error) {
	text, err := qr.Scan(img)
	if err != nil {
		return nil, fail(ReasonNoCode, err)
	}
	return v.VerifyText(text)
}

// VerifyText verifies scanned QR text, fully offline, and returns the
// disclosed claims. One trailing line ending (CR, LF or CRLF, as keyboard-
// mode hardware scanners send) is ignored. text may also be a share link,
// "https://<host>/<path>#" and the QR text (qr.Code.ShareLink), which is
// read only when the policy accepts share lifetimes (MaxLifetime longer
// than qr.DefaultLifetime, as [ShareReceiver]); under any other policy a
// link is refused with ReasonLifetimeTooLong before anything else is read,
// and a link that is not well formed, or holds a live code (a lifetime of
// qr.DefaultLifetime or less), is ReasonMalformed. Every failure is a [*Error]
// whose Reason is the first check that failed, in the order the package
// documentation lists ("Order of checks").
func (v *Verifier) VerifyText(text string) (*Result, error) {
	now := v.now()
	// Hardware scanners in keyboard mode end a code with CR, LF or CRLF.
	// Neither is in the base45 alphabet, so dropping one line ending
	// cannot turn a bad code into a good one.
	text = trimLineEnding(text)
	// A share link (https://host/path#IKD1:...) carries the text in its
	// fragment. Only a policy for share lifetimes reads one: a live check
	// (a gate, a desk) wants the phone in front of it, and a link is by
	// nature sent from elsewhere. An address with no fragment is no
	// presentation at all and is left to Decode (ReasonNotIKD).
	link := presentation.IsLink(text) && strings.Contains(text, "#")
	if link {
		if v.policy.MaxLifetime <= qr.DefaultLifetime {
			return nil, fail(ReasonLifetimeTooLong, errLinkNotShare)
		}
		t, err := presentation.ParseLink(text)
		if err != nil {
			return nil, fail(ReasonMalformed, err)
		}
		text = t
	}
	data, err := presentation.Decode(text)
	if err != nil {
		switch {
		case errors.Is(err, presentation.ErrNotIKD):
			return nil, fail(ReasonNotIKD, err)
		case errors.Is(err, presentation.ErrVersion):
			return nil, fail(ReasonUnsupportedVersion, err)
		default:
			return nil, fail(ReasonMalformed, err)
		}
	}
	pres, err := presentation.Parse(data)
	if err != nil {
		return nil, fail(ReasonMalformed, err)
	}
	// A link holds a share code: a live code wrapped in a link by hand
	// (a gate's 60 s KAI code forwarded as a link) is no share, and
	// qr.Code.ShareLink never makes one.
	if link && pres.Lifetime() <= qr.DefaultLifetime {
		return nil, fail(ReasonMalformed, fmt.Errorf("%w (lifetime %v)", errLinkLive, pres.Lifetime()))
	}
	if err := pres.VerifyDevice(); err != nil {
		return nil, fail(ReasonBadDeviceSignature, err)
	}
	tl := v.trust.Load()
	cred, key, ferr := v.verifyIssuer(tl, pres.Credential())
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
	if ferr := v.checkTrustList(tl, now); ferr != nil {
		return nil, ferr
	}
	res := &Result{
		Claims:           v.policy.disclose(&cred.Claims),
		KK:               v.policy.discloseKK(cred.KK),
		BirthCertificate: v.policy.discloseBirth(cred.BirthCertificate),
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
	// Marked last, once every other check has passed: a code refused
	// anyway (revoked, wrong audience, another ticket) never enters the
	// store, so it can neither evict a live entry nor come back as
	// "replayed" at the gate it was meant for. The check and the mark are
	// one atomic call, so of two gates verifying one code at once exactly
	// one accepts. The entry lives until the presentation's expiry plus
	// maxClockSkew, the largest skew of any verifier sharing the store, so
	// it outlives every one of them that could still accept the code;
	// like the time check, that instant itself still counts.
	if ferr := v.checkReplay(pres.ReplayKey(), pres.Expires().Add(maxClockSkew), now, res); ferr != nil {
		return nil, ferr
	}
	return res, nil
}

// checkReplay asks the replay store whether key was seen and marks it,
// with the verifier's local memory as the policy's fallback when a shared
// store fails (Policy.WarnOnReplayStoreDown).
//
// The local memory exists only beside a shared store. A verifier whose
// policy falls back marks every code it accepts there too, so that in an
// outage it still refuses the codes it accepted before; and every verifier
// with a shared store asks it after the store said "not seen", so that a
// code accepted here only during an outage (the shared store never heard of
// it) is refused when shown here again once the store is back. What the
// fallback cannot do is see the codes other gates accepted: that is the
// cost the policy accepts, and the warning says so.
//
// The fallback applies only to an error wrapping ErrReplayStoreDown (the
// store knows its server is down), never to one slow or refused answer:
// a gate that falls back on a timeout would accept a code another gate
// accepted while the store's "seen" was still on its way. The codes
// accepted during the outage are queued and written to the shared store
// once it answers again (writeBack), so that the other gates refuse them
// after the outage too.
func (v *Verifier) checkReplay(key [32]byte, expires, now time.Time, res *Result) *Error {
	seen, err := v.replay.CheckAndMark(key, expires, now)
	if err != nil {
		if v.local == nil || !v.policy.WarnOnReplayStoreDown || !errors.Is(err, ErrReplayStoreDown) {
			return fail(ReasonReplayCheckFailed, err)
		}
		seen, lerr := v.local.CheckAndMark(key, expires, now)
		if lerr != nil {
			return fail(ReasonReplayCheckFailed, errors.Join(err, lerr))
		}
		if seen {
			return fail(ReasonReplayed, nil)
		}
		v.written.add(key, expires)
		res.Warnings = append(res.Warnings, ReasonReplayCheckedLocally)
		return nil
	}
	if v.local != nil {
		v.written.flush(v.replay, v.now)
	}
	if seen {
		return fail(ReasonReplayed, nil)
	}
	if v.local == nil {
		return nil
	}
	if v.policy.WarnOnReplayStoreDown {
		// Best effort: the shared store answered, so a full local memory
		// refuses nothing now; it refuses in an outage, fail closed.
		seen, _ = v.local.CheckAndMark(key, expires, now)
	} else {
		seen = v.local.seen(key, now)
	}
	if seen {
		return fail(ReasonReplayed, nil)
	}
	return nil
}

// errLinkNotShare is the error of a share link shown to a verifier whose
// policy accepts only live lifetimes.
var errLinkNotShare = errors.New("verify: a share link is read only under a policy for share lifetimes (MaxLifetime over qr.DefaultLifetime)")

// errLinkLive is the error of a share link that holds a live code.
var errLinkLive = errors.New("verify: a share link must hold a share code (a lifetime over qr.DefaultLifetime)")

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
func (v *Verifier) verifyIssuer(tl *keys.TrustList, s *credential.Signed) (*credential.Credential, keys.IssuerKey, *Error) {
	cached, key, h, ok := v.issued.get(s.Bytes(), tl)
	if ok {
		return cached, key, nil
	}
	cred, key, ferr := verifyIssuerUncached(s, tl)
	if ferr == nil {
		v.issued.put(h, tl, cred, key)
	}
	return cred, key, ferr
}

func verifyIssuerUncached(s *credential.Signed, tl *keys.TrustList) (*credential.Credential, keys.IssuerKey, *Error) {
	kid := s.UnverifiedKeyID()
	candidates := tl.Lookup(kid)
	if len(candidates) == 0 {
		return nil, keys.IssuerKey{}, fail(ReasonUnknownIssuer, fmt.Errorf("kid %x", kid))
	}
	issuer := s.UnverifiedCredential().Issuer
	// The most specific failure wins: a signature that verifies under a key
	// outside its window says more than a kid collision.
	var worst *Error
	note := func(e *Error) {
		if worst == nil || issuerFailureRank[e.Reason] >= issuerFailureRank[worst.Reason] {
			worst = e
		}
	}
	for _, k := range candidates {
		if k.IssuerID != issuer {
			continue
		}
		// The algorithm comes from the trusted key, never from the message.
		if k.Algorithm != s.UnverifiedAlgorithm() {
			note(fail(ReasonAlgorithmNotAllowed, fmt.Errorf("credential says %v, key is %v", s.UnverifiedAlgorithm(), k.Algorithm)))
			continue
		}
		cred, err := s.Verify(k.PublicKey)
		switch {
		case err == nil:
		case errors.Is(err, credential.ErrBadSignature):
			note(fail(ReasonBadIssuerSignature, err))
			continue
		case onlyNIKMismatch(err):
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
	if worst == nil {
		worst = fail(ReasonUnknownIssuer, fmt.Errorf("issuer %q has no key %x", issuer, kid))
	}
	return nil, keys.IssuerKey{}, worst
}

// onlyNIKMismatch reports whether err is a validation error whose every
// problem is a contradiction with the NIK. A credential with any other
// invalid value (an unknown enum value, a claim outside its profile) is
// malformed even when its NIK also disagrees with it: the value check
// comes first (docs/wire-format.md, "Claim validation"), so that two
// implementations that find the problems in another order still give the
// same reason.
func onlyNIKMismatch(err error) bool {
	var ve *credential.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) == 0 {
		return false
	}
	for _, p := range ve.Problems {
		if !errors.Is(p.Err, credential.ErrNIKMismatch) {
			return false
		}
	}
	return true
}

// checkTrustList refuses a trust list past its next update by more than
// the policy's grace. The list in hand may have been verified long ago (a
// keys.Store, a list kept in memory for weeks): its age is judged here, at
// every use, with the same rule as keys.ParseTrustList (NextUpdate + grace
// itself is still accepted).
func (v *Verifier) checkTrustList(tl *keys.TrustList, now time.Time) *Error {
	if limit := tl.NextUpdate().Add(v.policy.TrustListGrace); now.After(limit) {
		return fail(ReasonTrustListExpired, fmt.Errorf("next update was due %v, grace ended %v", tl.NextUpdate(), limit))
	}
	return nil
}

func (v *Verifier) checkTime(pres *presentation.Presentation, cred *credential.Credential, now time.Time) *Error {
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
		if p.WarnOnStaleStatus {
			res.Warnings = append(res.Warnings, r)
			return nil
		}
		return fail(r, err)
	}
	cached, err := v.status.Get(cred.Issuer, cred.Status.List, now)
	if err != nil {
		return soft(ReasonStatusUnknown, err)
	}
	// A signed list that does not cover the credential's index, or that
	// gives a value ikd does not define, is the issuer's error, not an old
	// list: no warning policy lets it through (a credential pointing past
	// the list's end would otherwise never be revocable).
	st, err := cached.List.Get(cred.Status.Index)
	if err != nil {
		return fail(ReasonStatusInvalid, err)
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
		return fail(ReasonStatusInvalid, fmt.Errorf("status %v at index %d", st, cred.Status.Index))
	}
	if p.StatusMaxAge > 0 && cached.Age > p.StatusMaxAge {
		return soft(ReasonStatusStale, fmt.Errorf("status list %v old", cached.Age.Round(time.Minute)))
	}
	// exp is the first instant the list must not be used (RFC 8392 §3.1.4,
	// statuslist.List.Expiry).
	if exp := cached.List.Expiry(); !exp.IsZero() && !now.Before(exp) {
		return soft(ReasonStatusStale, fmt.Errorf("status list expired %v", exp))
	}
	return nil
}

func (v *Verifier) checkPolicy(pres *presentation.Presentation, cred *credential.Credential) *Error {
	p := v.policy
	doc := cred.Profile.Document()
	if !p.accepts(doc) {
		return fail(ReasonPolicyUnmet, fmt.Errorf("policy %q does not accept document %v", p.Name, doc))
	}
	if len(p.Profiles) > 0 && !slices.Contains(p.Profiles, cred.Profile) {
		return fail(ReasonPolicyUnmet, fmt.Errorf("policy %q does not accept profile %v", p.Name, cred.Profile))
	}
	asked := false
	for _, c := range p.RequiredClaims {
		if c.Document() != doc {
			continue // another document's claim
		}
		asked = true
		if err := unmet(cred, c); err != nil {
			return fail(ReasonPolicyUnmet, fmt.Errorf("%v (profile %v)", err, cred.Profile))
		}
	}
	if !asked {
		return fail(ReasonPolicyUnmet, fmt.Errorf("policy %q requires no claim of document %v", p.Name, doc))
	}
	if p.Ticket != nil && doc != credential.DocumentKTP {
		return fail(ReasonTicketMismatch, fmt.Errorf("a ticket is matched against a KTP, not a %v", doc))
	}
	if p.RefuseExtraClaims {
		if c, ok := p.extraClaim(cred); ok {
			return fail(ReasonPolicyUnmet, fmt.Errorf("profile %v discloses %v, which policy %q does not ask for", cred.Profile, c, p.Name))
		}
	}
	aud := pres.Audience()
	if aud == "" && p.RequireAudience {
		return fail(ReasonWrongAudience, errors.New("no audience named"))
	}
	if aud != "" && len(p.Audiences) > 0 && !slices.Contains(p.Audiences, aud) {
		return fail(ReasonWrongAudience, fmt.Errorf("made for %q", aud))
	}
	// AIRLINE and KAI name live verifiers: a code made for a desk or a
	// gate is not a share, and a share policy that lists no audience must
	// not take it (a KAI code forwarded to a share receiver).
	if len(p.Audiences) == 0 && p.MaxLifetime > qr.DefaultLifetime && (aud == AudienceAirline || aud == AudienceKAI) {
		return fail(ReasonWrongAudience, fmt.Errorf("made for %q, a live verifier", aud))
	}
	if p.Ticket != nil && !p.Ticket.match(&cred.Claims) {
		return fail(ReasonTicketMismatch, nil)
	}
	return nil
}
