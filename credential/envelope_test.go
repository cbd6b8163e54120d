package credential_test

import (
	"bytes"
	"crypto"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
)

// TestParseEnvelopeIsDeterministic: a credential's COSE framing is
// deterministic CBOR (docs/wire-format.md): the protected header a
// canonical {1: alg, 4: kid}, the unprotected header the empty map. Before
// issue 12 a credential signed by a real issuer key over a header with its
// keys out of order, or with junk in its unprotected header, was taken.
func TestParseEnvelopeIsDeterministic(t *testing.T) {
	issued := issueAll(t, "EdDSA", testkit.Man())[0].Bytes
	m, err := sign1.Parse(issued)
	require.NoError(t, err)
	kid := kidFor("EdDSA")
	require.Len(t, kid, 8)
	kidItem := append([]byte{0x48}, kid...)
	canonical := append([]byte{0xa2, 0x01, 0x27, 0x04}, kidItem...)
	swapped := append(append([]byte{0xa2, 0x04}, kidItem...), 0x01, 0x27)
	build := func(protected, unprotected []byte) []byte {
		tbs, err := (&sign1.Message{Protected: protected, Payload: m.Payload}).SigStructure(nil)
		require.NoError(t, err)
		sig, err := issuerSigner("EdDSA").Sign(nil, tbs, crypto.Hash(0))
		require.NoError(t, err)
		var b bytes.Buffer
		b.Write([]byte{0xd2, 0x84, 0x40 | byte(len(protected))})
		b.Write(protected)
		b.Write(unprotected)
		switch n := len(m.Payload); {
		case n < 256:
			b.Write([]byte{0x58, byte(n)})
		default:
			b.Write([]byte{0x59, byte(n >> 8), byte(n)})
		}
		b.Write(m.Payload)
		b.Write([]byte{0x58, 0x40})
		b.Write(sig)
		return b.Bytes()
	}
	cases := []struct {
		name                   string
		protected, unprotected []byte
		ok                     bool
	}{
		{"canonical", canonical, []byte{0xa0}, true},
		{"protected_keys_out_of_order", swapped, []byte{0xa0}, false},
		{"unprotected_junk", canonical, []byte{0xa1, 0x18, 0x63, 0x00}, false},
		{"unprotected_kid", canonical, append([]byte{0xa1, 0x04}, kidItem...), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := credential.Parse(build(tc.protected, tc.unprotected))
			if tc.ok {
				require.NoError(t, err)
				_, err = s.Verify(issuerPublic("EdDSA"))
				require.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, credential.ErrMalformed)
		})
	}
}
