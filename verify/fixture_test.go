package verify_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/statuslist"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// clock is a settable test clock, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testIssuer is one issuing office with its key, status list and trust
// list entry.
type testIssuer struct {
	id, name string
	alg      keys.Algorithm
	signer   crypto.Signer
	kid      []byte // the kid it writes: its key's, or another's for a rogue
	cred     *credential.Issuer
	list     *status.List
	alloc    *status.Allocator
	key      keys.IssuerKey
}

// newTestIssuer returns the issuer id with testkit's fixed key for alg.
func newTestIssuer(t testing.TB, id, name string, alg keys.Algorithm) *testIssuer {
	t.Helper()
	return newIssuerWithKey(t, id, name, testkit.IssuerSigner(id, alg.String()))
}

// newRogueIssuer returns an issuer under id whose key signer is not in any
// trust list, writing kid (its own key's when nil): an attacker's office.
func newRogueIssuer(t testing.TB, id string, signer crypto.Signer, kid []byte) *testIssuer {
	t.Helper()
	ti := newIssuerWithKey(t, id, "rogue office", signer)
	if kid != nil {
		ti.kid = kid
	}
	return ti
}

func newIssuerWithKey(t testing.TB, id, name string, signer crypto.Signer) *testIssuer {
	t.Helper()
	alg, err := keys.AlgorithmOf(signer.Public())
	require.NoError(t, err)
	kid, err := keys.KeyID(signer.Public())
	require.NoError(t, err)
	cred, err := credential.NewIssuer(id, signer)
	require.NoError(t, err)
	list, err := status.NewList(1 << 16)
	require.NoError(t, err)
	alloc, err := status.NewAllocator(1<<16, testkit.NewReader("alloc "+id))
	require.NoError(t, err)
	return &testIssuer{
		id: id, name: name, alg: alg, signer: signer, kid: kid, cred: cred, list: list, alloc: alloc,
		key: keys.IssuerKey{
			KeyID: kid, Algorithm: alg, PublicKey: signer.Public(),
			NotBefore: testkit.Now.AddDate(-1, 0, 0), NotAfter: testkit.Now.AddDate(5, 0, 0),
		},
	}
}

// statusList signs the issuer's current status list (list 1), issued at
// iat.
func (ti *testIssuer) statusList(t testing.TB, iat time.Time) []byte {
	t.Helper()
	return ti.signStatus(t, status.Token{ListID: 1, IssuedAt: iat})
}

// signStatus signs the issuer's status list as token tok, the way the
// issuer publishes it (credential.Issuer.SignStatusList). A rogue writing
// another key's kid goes through the raw token signer, which lets it.
func (ti *testIssuer) signStatus(t testing.TB, tok status.Token) []byte {
	t.Helper()
	if own, err := keys.KeyID(ti.signer.Public()); err == nil && bytes.Equal(own, ti.kid) {
		b, err := ti.cred.SignStatusList(tok, ti.list)
		require.NoError(t, err)
		return b
	}
	return signStatusRaw(t, ti.signer, ti.alg, ti.kid, ti.id, tok, ti.list)
}

// signStatusRaw signs list as a status list token of issuerID with any
// key, alg and kid: what an attacker (or a confused issuer) can publish.
func signStatusRaw(t testing.TB, signer crypto.Signer, alg keys.Algorithm, kid []byte, issuerID string, tok status.Token, list *status.List) []byte {
	t.Helper()
	b, err := statuslist.Sign(signer, alg, kid, issuerID, tok, list)
	require.NoError(t, err)
	return b
}

// holder is a person's wallet with the credentials of one issuance.
type holder struct {
	person credential.KTP
	device *ecdsa.PrivateKey
	creds  []credential.Issued
	index  uint32
	wallet *qr.Wallet
}

// fixture is a small country: two issuers, three people, a verifier.
type fixture struct {
	clock   *clock
	jakarta *testIssuer // ES256
	bandung *testIssuer // EdDSA
	trust   *keys.TrustList
	man     *holder // issued by jakarta
	woman   *holder // issued by bandung
	wna     *holder // issued by jakarta
}

// trustRoot is the fixture's trust list root key (Ed25519, so that the
// signed lists are reproducible).
var trustRoot = testkit.Ed25519("trust root")

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{clock: &clock{t: testkit.Now}}
	f.jakarta = newTestIssuer(t, "3171", "Disdukcapil Kota Jakarta Pusat", keys.ES256)
	f.bandung = newTestIssuer(t, "3273", "Disdukcapil Kota Bandung", keys.EdDSA)
	f.trust = f.trustList(t, 1, f.jakarta.key, f.bandung.key)
	f.man = f.issue(t, f.jakarta, testkit.Man(), "man")
	f.woman = f.issue(t, f.bandung, testkit.Woman(), "woman")
	f.wna = f.issue(t, f.jakarta, testkit.Foreigner(), "wna")
	return f
}

// trustList builds a verified trust list holding the given keys, grouped
// by the issuer they belong to.
func (f *fixture) trustList(t testing.TB, seq uint64, ks ...keys.IssuerKey) *keys.TrustList {
	t.Helper()
	byIssuer := map[string]*keys.TrustedIssuer{}
	var order []string
	for _, k := range ks {
		id, name := f.issuerOf(k)
		is, ok := byIssuer[id]
		if !ok {
			is = &keys.TrustedIssuer{ID: id, Name: name}
			byIssuer[id] = is
			order = append(order, id)
		}
		is.Keys = append(is.Keys, k)
	}
	issuers := []keys.TrustedIssuer{}
	for _, id := range order {
		issuers = append(issuers, *byIssuer[id])
	}
	return signedTrustList(t, seq, issuers...)
}

// signedTrustList signs a trust list of issuers with trustRoot and
// verifies it the way a scanner does (keys.ParseTrustList against the
// pinned root), issued a day before testkit.Now, next update a month
// after.
func signedTrustList(t testing.TB, seq uint64, issuers ...keys.TrustedIssuer) *keys.TrustList {
	t.Helper()
	jws, err := keys.SignTrustList(trustRoot, &keys.TrustListContent{
		Sequence: seq, IssuedAt: testkit.Now.AddDate(0, 0, -1), NextUpdate: testkit.Now.AddDate(0, 1, 0),
		Issuers: issuers,
	})
	require.NoError(t, err)
	l, err := keys.ParseTrustList(jws, trustRoot.Public(), keys.WithClock(func() time.Time { return testkit.Now }))
	require.NoError(t, err)
	return l
}

func (f *fixture) issuerOf(k keys.IssuerKey) (string, string) {
	if k.IssuerID != "" {
		return k.IssuerID, k.IssuerName
	}
	for _, ti := range []*testIssuer{f.jakarta, f.bandung} {
		if string(ti.kid) == string(k.KeyID) {
			return ti.id, ti.name
		}
	}
	return "9999", "Unknown office"
}

func (f *fixture) issue(t testing.TB, ti *testIssuer, person credential.KTP, label string) *holder {
	t.Helper()
	dev := testkit.Device(label)
	idx, err := ti.alloc.Allocate()
	require.NoError(t, err)
	creds, err := ti.cred.Issue(&credential.Request{
		Claims: person, DeviceKey: &dev.PublicKey, Status: credential.StatusRef{List: 1, Index: idx},
		IssuedAt: testkit.Now.Add(-24 * time.Hour), Expiry: testkit.Now.AddDate(1, 0, 0),
	})
	require.NoError(t, err)
	raw := make([][]byte, len(creds))
	for i, c := range creds {
		raw[i] = c.Bytes
	}
	w, err := qr.NewWallet(dev, raw, qr.WithClock(f.clock.Now), qr.WithRand(testkit.NewReader("wallet "+label)))
	require.NoError(t, err)
	return &holder{person: person, device: dev, creds: creds, index: idx, wallet: w}
}

func (h *holder) cred(p credential.Profile) []byte {
	for _, c := range h.creds {
		if c.Profile == p {
			return c.Bytes
		}
	}
	panic("no such profile")
}

// verifier returns a verifier with policy p, the fixture's clock and trust
// list, and fresh status lists of both issuers.
func (f *fixture) verifier(t testing.TB, p verify.Policy, opts ...verify.Option) *verify.Verifier {
	t.Helper()
	v, err := verify.New(f.trust, p, append([]verify.Option{verify.WithClock(f.clock.Now)}, opts...)...)
	require.NoError(t, err)
	require.NoError(t, v.AddStatusList(f.jakarta.statusList(t, f.clock.Now().Add(-time.Hour))))
	require.NoError(t, v.AddStatusList(f.bandung.statusList(t, f.clock.Now().Add(-time.Hour))))
	return v
}

// setTrust gives v (and the verifiers made from it with WithPolicy) the
// trust list l, as a scanner does after downloading an update.
func setTrust(t testing.TB, v *verify.Verifier, l *keys.TrustList) {
	t.Helper()
	require.NoError(t, v.SetTrustList(l))
}

// present makes a live presentation from h's wallet for req.
func present(t testing.TB, h *holder, req qr.Request) string {
	t.Helper()
	code, err := h.wallet.Present(req)
	require.NoError(t, err)
	return code.Text
}

// presentProfile makes a presentation of profile p.
func presentProfile(t testing.TB, h *holder, p credential.Profile, req qr.Request) string {
	t.Helper()
	req.Profile, req.Claims = p, nil
	return present(t, h, req)
}
