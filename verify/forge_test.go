package verify_test

// Helpers that build presentations the way an attacker would: from real
// parts, re-signed where the attacker holds a key.

import (
	"crypto"
	"crypto/ecdsa"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
)

// sign1Parts is a COSE_Sign1 split into its four items.
type sign1Parts struct {
	_           struct{} `cbor:",toarray"`
	Protected   []byte
	Unprotected cbor.RawMessage
	Payload     []byte
	Signature   []byte
}

func splitSign1(t testing.TB, b []byte) sign1Parts {
	t.Helper()
	if len(b) > 0 && b[0] == 0xd2 {
		b = b[1:]
	}
	var p sign1Parts
	require.NoError(t, codec.Unmarshal(b, &p))
	return p
}

func (p sign1Parts) bytes(t testing.TB) []byte {
	t.Helper()
	b, err := codec.Marshal(p)
	require.NoError(t, err)
	return b
}

// forge builds a presentation of cred (tagged or untagged credential
// bytes) signed by device, at iat with lifetime ttl and audience aud.
func forge(t testing.TB, cred []byte, device crypto.Signer, iat time.Time, ttl time.Duration, aud string) string {
	t.Helper()
	if len(cred) > 0 && cred[0] == 0xd2 {
		cred = cred[1:]
	}
	items := []any{cbor.RawMessage(cred), iat.Unix(), int64(ttl / time.Second), []byte{1, 2, 3, 4, 5, 6}}
	if aud != "" {
		items = append(items, aud)
	}
	payload, err := codec.Marshal(items)
	require.NoError(t, err)
	pres, err := sign1.SignUntagged(testkit.NewReader("forge"), device, sign1.ES256, nil, payload)
	require.NoError(t, err)
	return presentation.Encode(pres)
}

// credPayload decodes a credential's payload into a generic map.
func credPayload(t testing.TB, cred []byte) map[int64]any {
	t.Helper()
	var m map[int64]any
	require.NoError(t, codec.Unmarshal(splitSign1(t, cred).Payload, &m))
	return m
}

// withPayload returns cred with its payload replaced, the issuer
// signature kept (so it no longer verifies).
func withPayload(t testing.TB, cred []byte, m map[int64]any) []byte {
	t.Helper()
	parts := splitSign1(t, cred)
	var err error
	parts.Payload, err = codec.Marshal(m)
	require.NoError(t, err)
	return parts.bytes(t)
}

// withProtected returns cred with its protected header replaced.
func withProtected(t testing.TB, cred []byte, alg keys.Algorithm, kid []byte) []byte {
	t.Helper()
	parts := splitSign1(t, cred)
	var err error
	parts.Protected, err = codec.Marshal(map[int]any{1: int64(alg), 4: kid})
	require.NoError(t, err)
	return parts.bytes(t)
}

// cnfOf returns the cnf claim for a device key, as the credential encodes
// it.
func cnfOf(pub *ecdsa.PublicKey) map[int64]any {
	b, _ := pub.Bytes()
	return map[int64]any{1: map[int64]any{1: int64(2), -1: int64(1), -2: b[1:33], -3: b[64]&1 == 1}}
}

// signPayload signs m as a credential with the issuer's key: an issuer (or
// a stolen issuer key) signing whatever it likes.
func signPayload(t testing.TB, ti *testIssuer, m map[int64]any) []byte {
	t.Helper()
	payload, err := codec.Marshal(m)
	require.NoError(t, err)
	b, err := sign1.Sign(testkit.NewReader("rogue"), ti.signer, ti.alg, ti.kid, payload)
	require.NoError(t, err)
	return b
}
