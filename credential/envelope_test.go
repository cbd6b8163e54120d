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
	m, err := sign1.Parse(issued, sign1.LabelAlg|sign1.LabelKID)
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
		b.Write([]byte{0xd2, 0x84})
		if len(protected) < 24 {
			b.WriteByte(0x40 | byte(len(protected)))
		} else {
			b.Write([]byte{0x58, byte(len(protected))})
		}
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
	// Protected headers with a label besides alg and kid (issue 12's
	// second outside review): before the fix all were accepted, signed by
	// the genuine issuer key. typ would let a credential pass for a status
	// list token, and the reverse.
	withLabel := func(label ...byte) []byte {
		h := append([]byte{0xa3, 0x01, 0x27, 0x04}, kidItem...)
		return append(h, label...)
	}
	cases = append(cases, []struct {
		name                   string
		protected, unprotected []byte
		ok                     bool
	}{
		{"typ_statuslist_cwt", withLabel(append([]byte{0x10, 0x78, 0x1a}, "application/statuslist+cwt"...)...), []byte{0xa0}, false},
		{"typ_other", withLabel(0x10, 0x61, 'x'), []byte{0xa0}, false},
		{"cwt_claims_15", withLabel(0x0f, 0xa1, 0x01, 0x64, 'e', 'v', 'i', 'l'), []byte{0xa0}, false},
		{"x5chain_33", withLabel(0x18, 0x21, 0x41, 0x00), []byte{0xa0}, false},
		{"text_label", withLabel(0x61, 'x', 0x00), []byte{0xa0}, false},
		// content type (3) sorts between alg and kid.
		{"content_type_3", append([]byte{0xa3, 0x01, 0x27, 0x03, 0x00, 0x04}, kidItem...), []byte{0xa0}, false},
	}...)
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
