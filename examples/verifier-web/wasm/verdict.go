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
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
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
	now  func() time.Time
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
	// Root is the pinned root key's RFC 7638 SHA-256 thumbprint
	// (base64url), which the page shows so that a receiver can tell a
	// page trusting Dukcapil's root from one trusting another.
	Root string `json:"root"`
	// StatusSignedAt is when the oldest status list held was signed (its
	// iat, Unix ms): what "how old is the revocation data" means.
	StatusSignedAt int64 `json:"statusSignedAt"`
	// StatusFreshUntil is the earliest iat + ttl of the status lists
	// held (Unix ms): past it the issuer has published, or may have
	// published, a newer list, and the page warns.
	StatusFreshUntil int64 `json:"statusFreshUntil"`
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
func parseRoot(jwk []byte) (crypto.PublicKey, string, error) {
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON(jwk); err != nil {
		return nil, "", fmt.Errorf("%w: %v", errRoot, err)
	}
	if !k.IsPublic() {
		return nil, "", errRoot
	}
	if _, err := keys.AlgorithmOf(k.Key); err != nil {
		return nil, "", fmt.Errorf("%w: %v", errRoot, err)
	}
	tp, err := k.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", errRoot, err)
	}
	return k.Key, base64.RawURLEncoding.EncodeToString(tp), nil
}

// newEngine verifies the trust list against the root key and loads the
// status lists, under the share-receiver policy that also shows the claims
// in allow. A status list that does not load is an error: the page then
// says so rather than verify with fewer lists than the server published.
//
// seen is the page's memory of the codes it accepted, kept across engines
// (the page loads fresh lists into a new engine) and across reloads (the
// page stores it): a share link is accepted once per browser, not once
// per page load.
func newEngine(trust, root []byte, status [][]byte, allow []string, now func() time.Time, seen *seenCodes) (*engine, error) {
	pub, thumb, err := parseRoot(root)
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
	v, err := verify.New(list, policy, verify.WithClock(now), verify.WithReplayCache(seen))
	if err != nil {
		return nil, err
	}
	info := listInfo{
		Sequence:    list.Sequence(),
		NextUpdate:  list.NextUpdate().UnixMilli(),
		StatusLists: len(status),
		Policy:      policy.Name,
		Root:        thumb,
	}
	for i, s := range status {
		if err := v.AddStatusList(s); err != nil {
			return nil, fmt.Errorf("status list %d: %w", i+1, err)
		}
	}
	// When the lists were signed and until when their ttl says they are
	// fresh (iat + ttl; iat + 1 day, the issuer program's ttl, when a list
	// names none): the oldest and the soonest of the lists in force.
	for _, l := range v.StatusLists() {
		ttl := l.TTL
		if ttl <= 0 {
			ttl = 24 * time.Hour
		}
		iat, fresh := l.IssuedAt, l.IssuedAt.Add(ttl)
		if info.StatusSignedAt == 0 || iat.UnixMilli() < info.StatusSignedAt {
			info.StatusSignedAt = iat.UnixMilli()
		}
		if info.StatusFreshUntil == 0 || fresh.UnixMilli() < info.StatusFreshUntil {
			info.StatusFreshUntil = fresh.UnixMilli()
		}
	}
	return &engine{v: v, info: info, now: now}, nil
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
		return verdict{Reason: webMessage(r)}
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
		out.Warnings = append(out.Warnings, *webMessage(w))
	}
	if e.info.StatusFreshUntil > 0 && e.now().UnixMilli() > e.info.StatusFreshUntil {
		// The policy still accepts the list (up to its StatusMaxAge and
		// exp), but the issuer meant it to be replaced by now: a
		// revocation since may be missing.
		out.Warnings = append(out.Warnings, message{Key: "status_past_ttl",
			Indonesian: "Daftar status melewati masa pembaruannya: pencabutan terbaru mungkin belum terlihat. Sambungkan ke internet dan muat ulang halaman ini; bila tetap begini, penerbit belum menerbitkan daftar baru: beri tahu pengelola halaman ini.",
			English:    "The status list is past its refresh time: a recent revocation may not show. Go online and reload this page; if this stays, the issuer has not published a newer list: tell this page's operator."})
	}
	return out
}

// webMessage is r's message as the page says it: the reasons that tell a
// scanner's operator to update the scanner tell the page's user what to do
// in a browser instead.
func webMessage(r verify.Reason) *message {
	m := &message{Key: r.String(), Indonesian: r.Indonesian(), English: r.English()}
	switch r {
	case verify.ReasonStatusStale:
		m.Indonesian, m.English = "Daftar status usang. Sambungkan ke internet dan muat ulang halaman ini; bila tetap begini, beri tahu pengelola halaman ini.", "Status list out of date. Go online and reload this page; if this stays, tell this page's operator: the issuer's newer list has not reached it."
	case verify.ReasonTrustListExpired:
		m.Indonesian, m.English = "Daftar penerbit tepercaya kedaluwarsa. Sambungkan ke internet dan muat ulang halaman ini.", "Trusted issuer list out of date. Go online and reload this page."
	case verify.ReasonUnsupportedVersion:
		m.Indonesian, m.English = "Versi kode tidak didukung. Muat ulang halaman ini untuk pemeriksa terbaru.", "Code version not supported. Reload this page for a newer verifier."
	}
	return m
}

// maxSeen bounds the page's memory of accepted codes; a full memory
// refuses (ReasonReplayCheckFailed) rather than forget a live code.
const maxSeen = 10000

// errSeenFull is the error of a full memory of accepted codes.
var errSeenFull = errors.New("wasm: the page's memory of accepted codes is full")

// seenCodes is the page's replay store: the replay key of every code it
// accepted and the instant until which it must be refused, which the page
// keeps in localStorage (marshal, restore) so that a link accepted once is
// refused after a reload too. It is only as good as the browser's
// storage: another browser, a private window or cleared site data has its
// own (docs/threat-model.md, W rows).
type seenCodes struct {
	mu sync.Mutex
	m  map[[32]byte]time.Time
}

func newSeenCodes() *seenCodes { return &seenCodes{m: map[[32]byte]time.Time{}} }

// CheckAndMark implements verify.ReplayCache.
func (s *seenCodes) CheckAndMark(key [32]byte, expires, now time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneLocked(now)
	if _, ok := s.m[key]; ok {
		return true, nil
	}
	if len(s.m) >= maxSeen {
		return false, errSeenFull
	}
	s.m[key] = expires
	return false, nil
}

func (s *seenCodes) pruneLocked(now time.Time) {
	for k, exp := range s.m {
		if now.After(exp) {
			delete(s.m, k)
		}
	}
}

// marshal returns the memory as JSON: hex key → expiry in Unix ms.
func (s *seenCodes) marshal(now time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneLocked(now)
	out := make(map[string]int64, len(s.m))
	for k, exp := range s.m {
		out[hex.EncodeToString(k[:])] = exp.UnixMilli()
	}
	b, _ := json.Marshal(out) // a map of strings to numbers always marshals
	return string(b)
}

// restore adds the entries of a marshalled memory; entries that do not
// parse are skipped (the storage is the browser's, not trusted to be
// well formed, and losing an entry costs a replay, never a refusal).
func (s *seenCodes) restore(data string, now time.Time) {
	var in map[string]int64
	if json.Unmarshal([]byte(data), &in) != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for h, ms := range in {
		var k [32]byte
		b, err := hex.DecodeString(h)
		if err != nil || len(b) != len(k) {
			continue
		}
		copy(k[:], b)
		exp := time.UnixMilli(ms)
		if now.After(exp) || len(s.m) >= maxSeen {
			continue
		}
		if old, ok := s.m[k]; !ok || exp.After(old) {
			s.m[k] = exp
		}
	}
}
