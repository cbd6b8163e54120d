// Command wasm is the verifier page's engine: ikd's verifier compiled to
// WebAssembly (GOOS=js GOARCH=wasm) for the page that examples/verifier-web
// serves. The page hands it the trust list, the pinned root key and the
// status lists it downloaded (or its service worker kept), then texts and
// share links to verify, and camera frames as gray pixels to read; it
// answers with a verdict as JSON. Built with the tag ikdnoscan it leaves
// the QR decoder out, for browsers whose own BarcodeDetector reads the
// camera (docs/benchmarks.md, "Verifier page").
//
// Build:
//
//	GOOS=js GOARCH=wasm go build -o verifier.wasm ./examples/verifier-web/wasm
//	GOOS=js GOARCH=wasm go build -tags ikdnoscan -o verifier-lite.wasm ./examples/verifier-web/wasm
//
// Everything but the JavaScript glue (main_js.go, scan_js.go) is plain Go,
// tested and benchmarked natively.
package main

import (
	"crypto"
	"errors"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/verify"
)

// engine is one loaded verifier: the page makes a new one whenever it has
// fresh lists.
type engine struct {
	v    *verify.Verifier
	info listInfo
}

// listInfo describes the lists an engine holds, for the page's footer.
type listInfo struct {
	// Sequence is the trust list's sequence number.
	Sequence uint64 `json:"sequence"`
	// NextUpdate is when the trust list is due to be replaced (Unix ms).
	NextUpdate int64 `json:"nextUpdate"`
	// Issuers is how many issuer keys the trust list holds.
	StatusLists int `json:"statusLists"`
	// Policy names the policy.
	Policy string `json:"policy"`
}

// message is a reason or warning in both languages.
type message struct {
	Key        string `json:"key"`
	Indonesian string `json:"id"`
	English    string `json:"en"`
}

// claim is one disclosed claim with its labels and values.
type claim struct {
	Key     string `json:"key"`
	LabelID string `json:"labelId"`
	LabelEN string `json:"labelEn"`
	ValueID string `json:"valueId"`
	ValueEN string `json:"valueEn"`
}

// verdict is what the page shows.
type verdict struct {
	Accepted bool     `json:"accepted"`
	Reason   *message `json:"reason,omitempty"`
	Holder   string   `json:"holder,omitempty"`
	Issuer   string   `json:"issuer,omitempty"`
	IssuerID string   `json:"issuerId,omitempty"`
	Profile  string   `json:"profile,omitempty"`
	Claims   []claim  `json:"claims,omitempty"`
	// IssuedAt and Expires bound the presentation (Unix ms, the phone's
	// clock); the page counts down to Expires.
	IssuedAt int64     `json:"issuedAt,omitempty"`
	Expires  int64     `json:"expires,omitempty"`
	Warnings []message `json:"warnings,omitempty"`
}

var errRoot = errors.New("wasm: the root key is not a public ES256 or EdDSA JWK")

// parseRoot reads the pinned root key, a public JWK (root.jwk).
func parseRoot(jwk []byte) (crypto.PublicKey, error) {
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON(jwk); err != nil {
		return nil, fmt.Errorf("%w: %v", errRoot, err)
	}
	if !k.IsPublic() {
		return nil, errRoot
	}
	if _, err := keys.AlgorithmOf(k.Key); err != nil {
		return nil, fmt.Errorf("%w: %v", errRoot, err)
	}
	return k.Key, nil
}

// newEngine verifies the trust list against the root key and loads the
// status lists, under the share-receiver policy that also shows the claims
// in allow. A status list that does not load is an error: the page then
// says so rather than verify with fewer lists than the server published.
func newEngine(trust, root []byte, status [][]byte, allow []string, now func() time.Time) (*engine, error) {
	pub, err := parseRoot(root)
	if err != nil {
		return nil, err
	}
	list, err := keys.ParseTrustList(trust, pub, keys.WithClock(now))
	if err != nil {
		return nil, fmt.Errorf("trust list: %w", err)
	}
	policy := verify.ShareReceiver()
	for _, name := range allow {
		c, ok := credential.ParseClaim(name)
		if !ok {
			return nil, fmt.Errorf("wasm: unknown claim %q", name)
		}
		policy.AllowedClaims = append(policy.AllowedClaims, c)
	}
	v, err := verify.New(list, policy, verify.WithClock(now))
	if err != nil {
		return nil, err
	}
	for i, s := range status {
		if err := v.AddStatusList(s); err != nil {
			return nil, fmt.Errorf("status list %d: %w", i+1, err)
		}
	}
	return &engine{v: v, info: listInfo{
		Sequence:    list.Sequence(),
		NextUpdate:  list.NextUpdate().UnixMilli(),
		StatusLists: len(status),
		Policy:      policy.Name,
	}}, nil
}

// verify verifies a QR text or share link and returns the page's verdict.
func (e *engine) verify(text string) verdict {
	res, err := e.v.VerifyText(text)
	if err != nil {
		var verr *verify.Error
		r := verify.ReasonMalformed
		if errors.As(err, &verr) {
			r = verr.Reason
		}
		return verdict{Reason: &message{Key: r.String(), Indonesian: r.Indonesian(), English: r.English()}}
	}
	out := verdict{
		Accepted: true,
		Holder:   res.Claims.Name,
		Issuer:   res.IssuerName,
		IssuerID: res.IssuerID,
		Profile:  res.Profile.String(),
		IssuedAt: res.IssuedAt.UnixMilli(),
		Expires:  res.Expires.UnixMilli(),
	}
	for _, c := range res.Claims.Claims() {
		id, en := res.Claims.Display(c)
		out.Claims = append(out.Claims, claim{Key: c.String(), LabelID: c.Indonesian(), LabelEN: c.English(), ValueID: id, ValueEN: en})
	}
	for _, w := range res.Warnings {
		out.Warnings = append(out.Warnings, message{Key: w.String(), Indonesian: w.Indonesian(), English: w.English()})
	}
	return out
}
