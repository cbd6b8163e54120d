package redisreplay_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// world is one issuer (testkit's "3171", ES256), its trust list and status
// list, and the wallet of testkit's man, on testkit's fixed clock.
type world struct {
	trust  *keys.TrustList
	status []byte
	mu     sync.Mutex // qr.Wallet draws nonces from one reader
	wallet *qr.Wallet
}

func now() time.Time { return testkit.Now }

// airlineCode asks the wallet for a code the airline desk accepts.
var airlineCode = qr.Request{Claims: verify.AirlineCheckIn().RequiredClaims, Audience: verify.AudienceAirline}

func newWorld(tb testing.TB) *world {
	tb.Helper()
	const id, name = "3171", "Disdukcapil Kota Jakarta Pusat"
	signer := testkit.IssuerSigner(id, "ES256")
	root := testkit.Ed25519("redisreplay trust root")
	jws, err := keys.SignTrustList(root, &keys.TrustListContent{
		Sequence: 1, IssuedAt: testkit.Now.AddDate(0, 0, -1), NextUpdate: testkit.Now.AddDate(0, 1, 0),
		Issuers: []keys.TrustedIssuer{{ID: id, Name: name, Keys: []keys.IssuerKey{{
			PublicKey: signer.Public(), NotBefore: testkit.Now.AddDate(-1, 0, 0), NotAfter: testkit.Now.AddDate(5, 0, 0),
		}}}},
	})
	require.NoError(tb, err)
	trust, err := keys.ParseTrustList(jws, root.Public(), keys.WithClock(now))
	require.NoError(tb, err)

	iss := testkit.Issuer(id, "ES256")
	list, err := status.NewList(1024)
	require.NoError(tb, err)
	statusList, err := iss.SignStatusList(status.Token{ListID: 1, IssuedAt: testkit.Now.Add(-time.Hour)}, list)
	require.NoError(tb, err)

	dev := testkit.Device("man")
	creds, err := iss.Issue(&credential.Request{
		Claims: testkit.Man(), DeviceKey: &dev.PublicKey, Status: credential.StatusRef{List: 1, Index: 7},
		IssuedAt: testkit.Now.AddDate(0, 0, -1), Expiry: testkit.Now.AddDate(1, 0, 0),
	})
	require.NoError(tb, err)
	raw := make([][]byte, len(creds))
	for i, c := range creds {
		raw[i] = c.Bytes
	}
	w, err := qr.NewWallet(dev, raw, qr.WithClock(now), qr.WithRand(testkit.NewReader("redisreplay wallet")))
	require.NoError(tb, err)
	return &world{trust: trust, status: statusList, wallet: w}
}

// code returns a fresh live code: a new nonce, so a new replay key.
func (w *world) code(tb testing.TB) string {
	tb.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	c, err := w.wallet.Present(airlineCode)
	require.NoError(tb, err)
	return c.Text
}

// codes returns n fresh codes.
func (w *world) codes(tb testing.TB, n int) []string {
	tb.Helper()
	out := make([]string, n)
	for i := range out {
		out[i] = w.code(tb)
	}
	return out
}

// gate returns a verifier, as one scanner program makes it, with store as
// its replay store (nil: the default in-memory store) and policy p.
func (w *world) gate(tb testing.TB, store verify.ReplayCache, p verify.Policy) *verify.Verifier {
	tb.Helper()
	opts := []verify.Option{verify.WithClock(now)}
	if store != nil {
		opts = append(opts, verify.WithReplayCache(store))
	}
	v, err := verify.New(w.trust, p, opts...)
	require.NoError(tb, err)
	require.NoError(tb, v.AddStatusList(w.status))
	return v
}

// replayKey is the replay key of a code, as the verifier computes it.
func replayKey(tb testing.TB, text string) [32]byte {
	tb.Helper()
	data, err := presentation.Decode(text)
	require.NoError(tb, err)
	p, err := presentation.Parse(data)
	require.NoError(tb, err)
	return p.ReplayKey()
}
