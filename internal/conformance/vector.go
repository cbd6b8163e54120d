package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Vector is one conformance case: a verifier's life from an empty state,
// step by step. The JSON form is what testdata/ holds; testdata/README.md
// documents every member.
type Vector struct {
	// ID names the vector; the file is <ID>.json.
	ID string `json:"id"`
	// SpecRevision is the revision of docs/wire-format.md whose rules the
	// vector follows: always [SpecRevision].
	SpecRevision string `json:"spec_revision"`
	// Comment says what the vector checks, for people.
	Comment string `json:"comment"`
	// Covers tags what the vector exercises, for coverage counts.
	Covers Covers `json:"covers"`
	// Root is the pinned root public key, a JWK as in root.jwk.
	Root json.RawMessage `json:"root"`
	// Policy is the verifier's policy, by name and parameters.
	Policy Policy `json:"policy"`
	// ReplayStore is "memory" (a working store, empty at the start) or
	// "unavailable" (every lookup fails).
	ReplayStore string `json:"replay_store"`
	// Steps are run in order against one verifier.
	Steps []Step `json:"steps"`
}

// Covers lists what a vector exercises.
type Covers struct {
	// Reasons are the reason keys some step expects, as a refusal or as a
	// warning of an accepted verification.
	Reasons []string `json:"reasons,omitempty"`
	// TrustListErrors are the error keys of refused trust list steps
	// (malformed, bad_signature, rollback, expired), which are not reasons.
	TrustListErrors []string `json:"trust_list_errors,omitempty"`
	// Profiles are the disclosure profiles of the codes scanned.
	Profiles []string `json:"profiles,omitempty"`
	// Algorithms are the issuer algorithms involved ("ES256", "EdDSA").
	Algorithms []string `json:"algorithms,omitempty"`
	// Features name other things covered ("share_mode", "window_edge",
	// "kid_collision", "trust_list_rotation", "envelope").
	Features []string `json:"features,omitempty"`
}

// Policy is a verifier policy: its name and every parameter, durations in
// whole seconds (docs/wire-format.md, "Policy parameters").
type Policy struct {
	Name              string   `json:"name"`
	RequiredClaims    []string `json:"required_claims"`
	AllowedClaims     []string `json:"allowed_claims"`
	RefuseExtraClaims bool     `json:"refuse_extra_claims"`
	Audiences         []string `json:"audiences"`
	RequireAudience   bool     `json:"require_audience"`
	MaxLifetime       int64    `json:"max_lifetime"`
	ClockSkew         int64    `json:"clock_skew"`
	ClockWrongAfter   int64    `json:"clock_wrong_after"`
	StatusMaxAge      int64    `json:"status_max_age"`
	WarnOnStaleStatus bool     `json:"warn_on_stale_status"`
	// WarnOnReplayStoreDown is left out when false, so that the vectors
	// made before it (issue 17) are unchanged.
	WarnOnReplayStoreDown bool    `json:"warn_on_replay_store_down,omitempty"`
	TrustListGrace        int64   `json:"trust_list_grace"`
	Ticket                *Ticket `json:"ticket"`
	// Documents are the document types accepted ("ktp", "kk",
	// "akta_kelahiran"); left out when empty (the KTP only), so that the
	// vectors made before the KK and the Akta Kelahiran are unchanged.
	Documents []string `json:"documents,omitempty"`
	// Profiles are the profiles accepted, by key; left out when empty
	// (every profile of an accepted document).
	Profiles []string `json:"profiles,omitempty"`
}

// Ticket is a booking's passenger name and NIK.
type Ticket struct {
	Name string `json:"name"`
	NIK  string `json:"nik"`
}

// The operations of a step.
const (
	OpTrustList   = "trust_list"   // offer Step.JWS as a trust list update
	OpStatusList  = "status_list"  // add the status list token Step.Hex
	OpVerifyText  = "verify_text"  // verify Step.Text
	OpVerifyImage = "verify_image" // verify the PNG image Step.Hex
)

// Step is one thing done to the verifier at one time.
type Step struct {
	// Op is one of the Op constants.
	Op string `json:"op"`
	// Now is the verifier's clock for this step, Unix seconds.
	Now int64 `json:"now"`
	// NowUTC is Now in RFC 3339, for people.
	NowUTC string `json:"now_utc"`
	// JWS is the compact trust list (trust_list).
	JWS string `json:"jws,omitempty"`
	// Hex is the status list token (status_list) or PNG file
	// (verify_image), hex-encoded.
	Hex string `json:"hex,omitempty"`
	// Text is the scanned text (verify_text).
	Text string `json:"text,omitempty"`
	// PresentationHex is the presentation bytes the text carries, when it
	// carries any, for readers and debuggers; Text is what is verified.
	PresentationHex string `json:"presentation_hex,omitempty"`
	// Expect is the outcome a conforming verifier gives.
	Expect Expect `json:"expect"`
}

// The results of a step.
const (
	Accepted = "accepted"
	Refused  = "refused"
)

// Expect is the outcome of a step.
type Expect struct {
	// Result is "accepted" or "refused".
	Result string `json:"result"`
	// Reason is the reason key of a refused status_list or verify step.
	Reason string `json:"reason,omitempty"`
	// Error is why a trust_list update was refused: "malformed",
	// "bad_signature", "rollback" or "expired".
	Error string `json:"error,omitempty"`
	// The rest describe an accepted verify step.
	Profile    string   `json:"profile,omitempty"`
	IssuerID   string   `json:"issuer_id,omitempty"`
	IssuerName string   `json:"issuer_name,omitempty"`
	Audience   string   `json:"audience,omitempty"`
	Warnings   []string `json:"warnings,omitempty"`
	Claims     []Claim  `json:"claims,omitempty"`
	// Members are, for a Kartu Keluarga, its members in the card's order,
	// each with the member claims the policy shows; Claims then holds the
	// card's own claims.
	Members []Member `json:"members,omitempty"`
}

// Member is one member of a disclosed Kartu Keluarga.
type Member struct {
	// Claims are the member's disclosed claims, in claim key order.
	Claims []Claim `json:"claims"`
}

// Claim is one disclosed claim with its readable labels.
type Claim struct {
	// Claim is the claim key ("nik", "sex").
	Claim string `json:"claim"`
	// Label is the claim's name in Indonesian and English.
	Label Text `json:"label"`
	// Value is the claim in the person-record JSON form.
	Value json.RawMessage `json:"value"`
	// Display is the value as shown, in Indonesian and English.
	Display Text `json:"display"`
}

// Text is a string in Indonesian and English.
type Text struct {
	ID string `json:"id"`
	EN string `json:"en"`
}

// Marshal returns the file form of v: indented JSON with a final newline,
// the same bytes for the same vector.
func (v *Vector) Marshal() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ErrVector reports a vector file that does not follow the format.
var ErrVector = errors.New("conformance: bad vector")

// Parse reads a vector file strictly: unknown members, a missing id or
// root, no steps, an unknown op, result, replay store, or an expected
// outcome that does not fit its op are errors wrapping [ErrVector].
func Parse(data []byte) (*Vector, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var v Vector
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrVector, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the vector", ErrVector)
	}
	if v.ID == "" || len(v.Root) == 0 || len(v.Steps) == 0 {
		return nil, fmt.Errorf("%w: id, root and steps are required", ErrVector)
	}
	if v.ReplayStore != "memory" && v.ReplayStore != "unavailable" {
		return nil, fmt.Errorf("%w: replay_store %q", ErrVector, v.ReplayStore)
	}
	for i, s := range v.Steps {
		if err := s.check(); err != nil {
			return nil, fmt.Errorf("%w: step %d: %v", ErrVector, i, err)
		}
	}
	return &v, nil
}

func (s *Step) check() error {
	if s.NowUTC != time.Unix(s.Now, 0).UTC().Format(time.RFC3339) {
		return fmt.Errorf("now_utc %q is not now %d", s.NowUTC, s.Now)
	}
	e := s.Expect
	switch e.Result {
	case Accepted:
		if e.Reason != "" || e.Error != "" {
			return errors.New("an accepted step has no reason or error")
		}
	case Refused:
		if (s.Op == OpTrustList) != (e.Error != "") || (s.Op != OpTrustList) != (e.Reason != "") {
			return errors.New("a refused trust_list has an error, any other refused step a reason")
		}
	default:
		return fmt.Errorf("result %q", e.Result)
	}
	switch s.Op {
	case OpTrustList:
		if s.JWS == "" {
			return errors.New("trust_list without jws")
		}
	case OpStatusList, OpVerifyImage:
		if s.Hex == "" {
			return fmt.Errorf("%s without hex", s.Op)
		}
	case OpVerifyText:
	default:
		return fmt.Errorf("op %q", s.Op)
	}
	return nil
}
