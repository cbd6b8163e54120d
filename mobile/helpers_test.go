package mobile

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
)

// clock is a settable test clock, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// goSigner is a DeviceSigner over a Go key, in the formats a platform key
// store may use.
type goSigner struct {
	key     *ecdsa.PrivateKey
	pubForm string // "spki", "point" (uncompressed) or "compressed"
	sigForm string // "der" or "raw"
	fail    error  // returned by Sign when set
	mu      sync.Mutex
	calls   int
}

func (s *goSigner) PublicKey() ([]byte, error) {
	switch s.pubForm {
	case "point":
		return s.key.PublicKey.Bytes()
	case "compressed":
		return elliptic.MarshalCompressed(elliptic.P256(), s.key.X, s.key.Y), nil
	}
	return x509.MarshalPKIXPublicKey(&s.key.PublicKey)
}

func (s *goSigner) Sign(message []byte) ([]byte, error) {
	s.mu.Lock()
	s.calls++
	s.mu.Unlock()
	if s.fail != nil {
		return nil, s.fail
	}
	digest := sha256.Sum256(message)
	der, err := ecdsa.SignASN1(rand.Reader, s.key, digest[:])
	if err != nil || s.sigForm != "raw" {
		return der, err
	}
	return sign1.ParseDERSignature(der)
}

// office is the test issuer 3171 (ES256, testkit's fixed key) with its
// root, at the fixed time testkit.Now.
type office struct {
	root   *ecdsa.PrivateKey
	issuer *credential.Issuer
	key    keys.IssuerKey
}

func newOffice(t testing.TB) *office {
	return &office{
		root:   testkit.P256("mobile root"),
		issuer: testkit.Issuer("3171", "ES256"),
		key: keys.IssuerKey{
			PublicKey: testkit.IssuerSigner("3171", "ES256").Public(),
			NotBefore: testkit.Now.AddDate(-1, 0, 0),
			NotAfter:  testkit.Now.AddDate(4, 0, 0),
		},
	}
}

func (o *office) rootPEM(t testing.TB) []byte {
	der, err := x509.MarshalPKIXPublicKey(o.root.Public())
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// trustList returns the list of sequence seq, issuing office name name.
func (o *office) trustList(t testing.TB, seq uint64, name string) []byte {
	jws, err := keys.SignTrustList(o.root, &keys.TrustListContent{
		Sequence:   seq,
		IssuedAt:   testkit.Now.Add(-time.Hour),
		NextUpdate: testkit.Now.AddDate(0, 0, 30),
		Issuers:    []keys.TrustedIssuer{{ID: "3171", Name: name, Keys: []keys.IssuerKey{o.key}}},
	})
	require.NoError(t, err)
	return jws
}

// statusList returns the issuer's list, issued age ago, with the test
// credentials' entry set to st.
func (o *office) statusList(t testing.TB, st status.Status, age time.Duration) []byte {
	return o.statusListToken(t, st, status.Token{ListID: 2, IssuedAt: testkit.Now.Add(-age), TTL: 24 * time.Hour})
}

// statusListToken returns the issuer's list with the claims of tok.
func (o *office) statusListToken(t testing.TB, st status.Status, tok status.Token) []byte {
	l, err := status.NewList(1 << 14)
	require.NoError(t, err)
	require.NoError(t, l.Set(77, st))
	b, err := o.issuer.SignStatusList(tok, l)
	require.NoError(t, err)
	return b
}

// issue returns the credentials of the sample man for dev, by profile.
func (o *office) issue(t testing.TB, dev *ecdsa.PublicKey, profiles ...credential.Profile) map[string][]byte {
	return o.issueAt(t, dev, testkit.Now.AddDate(0, 0, -30), testkit.Now.AddDate(1, 0, 0), profiles...)
}

// issueAt is issue with the credentials issued at iat, expiring at exp.
func (o *office) issueAt(t testing.TB, dev *ecdsa.PublicKey, iat, exp time.Time, profiles ...credential.Profile) map[string][]byte {
	out, err := o.issuer.Issue(&credential.Request{
		Claims:    testkit.Man(),
		DeviceKey: dev,
		Status:    credential.StatusRef{List: 2, Index: 77},
		IssuedAt:  iat,
		Expiry:    exp,
		Profiles:  profiles,
	})
	require.NoError(t, err)
	m := map[string][]byte{}
	for _, c := range out {
		m[c.Profile.String()] = c.Bytes
	}
	return m
}

// fixture is a wallet with all four credentials and a KAI scanner with a
// current status list, sharing one test clock.
type fixture struct {
	office  *office
	clock   *clock
	signer  *goSigner
	wallet  *Wallet
	scanner *Scanner
	creds   map[string][]byte
	trust   []byte // the trust list the scanner holds
}

func newFixture(t testing.TB, pol *Policy) *fixture {
	t.Helper()
	o := newOffice(t)
	c := &clock{t: testkit.Now}
	s := &goSigner{key: testkit.Device("mobile")}
	w, err := NewWallet(s)
	require.NoError(t, err)
	w.now = c.now
	creds := o.issue(t, &s.key.PublicKey)
	for _, p := range []string{"full", "travel", "kai", "age"} {
		_, err := w.AddCredential(creds[p])
		require.NoError(t, err)
	}
	if pol == nil {
		pol = &Policy{Name: PolicyKAI, TicketName: "BUDI SANTOSO"}
	}
	trust := o.trustList(t, 1, "Disdukcapil Kota Jakarta Pusat")
	sc, err := newScanner(trust, o.rootPEM(t), pol, c.now)
	require.NoError(t, err)
	require.NoError(t, sc.AddStatusList(o.statusList(t, status.StatusValid, time.Hour)))
	return &fixture{office: o, clock: c, signer: s, wallet: w, scanner: sc, creds: creds, trust: trust}
}

// wantCode checks that err is one of ours with code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	require.Error(t, err)
	assert.Equal(t, code, codeOf(err), "error %v", err)
	var ce *codedError
	require.True(t, errors.As(err, &ce))
	assert.True(t, strings.HasPrefix(err.Error(), "mobile: "+code+": "), "the message starts with the code: %v", err)
}
