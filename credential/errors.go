package credential

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Errors of [Parse] and [Signed.Verify].
var (
	// ErrMalformed reports bytes that are not a credential: not a
	// COSE_Sign1 with a protected alg and a kid, a payload that is not
	// canonical CBOR of the expected shape, an unknown profile, an invalid
	// issuer id or impossible times.
	ErrMalformed = errors.New("credential: malformed")
	// ErrBadSignature reports a credential that does not verify with the
	// key it was checked against: a bad signature, a protected alg that is
	// not the key's, or a key that is neither P-256 nor Ed25519. It carries
	// nothing more, on purpose: a forger learns nothing from it.
	ErrBadSignature = errors.New("credential: bad issuer signature")
)

// Errors a [Problem] wraps. Use errors.Is on a [*ValidationError] to ask
// whether any of its problems is of that kind.
var (
	// ErrMissingClaim reports a claim that the profile requires and that is
	// absent.
	ErrMissingClaim = errors.New("credential: missing claim")
	// ErrInvalidValue reports a value outside its allowed set or shape: an
	// unknown enum value, a malformed NIK ([ParseNIK]) or date
	// ([ParseDate]), text with control characters or too long, dates out
	// of order, a claim the profile does not carry, a JSON member that does
	// not decode.
	ErrInvalidValue = errors.New("credential: invalid value")
	// ErrNIKMismatch reports claims that contradict the NIK: its birth date
	// ([Problem.Claim] is [ClaimBirthDate]), its sex ([ClaimSex]) or its
	// province ([ClaimAddress]).
	ErrNIKMismatch = errors.New("credential: claim does not match the NIK")
)

// Problem is one thing wrong with a set of claims.
type Problem struct {
	// Claim is the claim at fault (for a mismatch, the claim compared
	// against the NIK), or 0 when no claim is (an unknown JSON member, an
	// unknown profile).
	Claim Claim
	// Member is, for a problem with a Kartu Keluarga member's claim, the
	// member's place in [KK.Members] counting from 1; 0 otherwise.
	Member int
	// Err wraps [ErrMissingClaim], [ErrInvalidValue] or [ErrNIKMismatch].
	Err error
}

// Error returns "claim: reason" ("member 2: member_nik: reason" for a
// member's claim), or the reason alone when Claim is 0; the reason is the
// error's text without the "credential: " of the sentinels
// ("missing claim", "invalid value: …").
func (p Problem) Error() string {
	prefix := ""
	if p.Member > 0 {
		prefix = "member " + strconv.Itoa(p.Member) + ": "
	}
	// The sentinels' "credential: " is said once, by ValidationError.
	reason := strings.TrimPrefix(p.Err.Error(), "credential: ")
	if p.Claim == 0 {
		return prefix + reason
	}
	return prefix + p.Claim.String() + ": " + reason
}

// Unwrap returns p.Err.
func (p Problem) Unwrap() error { return p.Err }

// ValidationError lists every problem found in a set of claims, so that an
// issuing clerk can fix a record in one pass. [KTP.Validate],
// [KTP.UnmarshalJSON], [KTP.MarshalJSON], [Issuer.Issue] and
// [Signed.Verify] return it.
type ValidationError struct {
	Problems []Problem
}

// Error lists the problems.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("credential: invalid claims: ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns every problem, so that errors.Is(err, ErrNIKMismatch) asks
// whether any problem is a mismatch with the NIK.
func (e *ValidationError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

// problems collects Problems.
type problems []Problem

// add records a problem with claim c wrapping err, with a message when
// format is not empty.
func (ps *problems) add(c Claim, err error, format string, args ...any) {
	if format != "" {
		err = wrapf(err, format, args...)
	}
	*ps = append(*ps, Problem{Claim: c, Err: err})
}

// addMember records a problem with claim c of member i (from 0).
func (ps *problems) addMember(i int, c Claim, err error, format string, args ...any) {
	ps.add(c, err, format, args...)
	(*ps)[len(*ps)-1].Member = i + 1
}

// byMember orders the problems by member, the card's own (Member 0)
// first, keeping the order of each member's, and drops a problem said
// twice, so that a clerk reads a Kartu Keluarga's problems row by row.
func (ps problems) byMember() problems {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Member < ps[j].Member })
	out := ps[:0]
	seen := map[string]bool{}
	for _, p := range ps {
		key := p.Error()
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, p)
	}
	return out
}

// err returns the problems as a *ValidationError, or nil if there are none.
func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps}
}

// wrapf returns err with a message after it: "err: message".
func wrapf(err error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{err}, args...)...)
}
