package presentation

import (
	"bytes"
	"crypto/ecdsa"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/veraison/go-cose"

	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
)

// resignEnvelope returns the payload of pres in a COSE_Sign1 with the
// protected and unprotected header bytes exactly as given (each under 24
// bytes), signed by dev over them: only the framing can be wrong.
func resignEnvelope(t *testing.T, pres []byte, dev *ecdsa.PrivateKey, protected, unprotected []byte) []byte {
	t.Helper()
	m, err := sign1.Parse(pres, sign1.LabelAlg)
	require.NoError(t, err)
	tbs, err := (&sign1.Message{Protected: protected, Payload: m.Payload}).SigStructure(nil)
	require.NoError(t, err)
	s, err := cose.NewSigner(cose.AlgorithmES256, dev)
	require.NoError(t, err)
	sig, err := s.Sign(testkit.NewReader("envelope"), tbs)
	require.NoError(t, err)
	var b bytes.Buffer
	b.WriteByte(0x84)
	b.WriteByte(0x40 | byte(len(protected)))
	b.Write(protected)
	b.Write(unprotected)
	b.Write(head(0x40, len(m.Payload)))
	b.Write(m.Payload)
	b.Write([]byte{0x58, 0x40})
	b.Write(sig)
	return b.Bytes()
}

// head returns the shortest CBOR head of major type major (shifted) for n.
func head(major byte, n int) []byte {
	switch {
	case n < 24:
		return []byte{major | byte(n)}
	case n < 256:
		return []byte{major | 24, byte(n)}
	default:
		return []byte{major | 25, byte(n >> 8), byte(n)}
	}
}

// TestParseEnvelopeIsDeterministic: a presentation's COSE framing is
// deterministic CBOR (docs/wire-format.md): the protected header the
// canonical {1: -7}, the unprotected header the empty map, shortest
// lengths. Before issue 12 junk in the unprotected header was accepted on
// fresh, correctly signed codes.
func TestParseEnvelopeIsDeterministic(t *testing.T) {
	pres, _, dev := manKAI(t)
	es256 := []byte{0xa1, 0x01, 0x26}
	cases := []struct {
		name                   string
		protected, unprotected []byte
		ok                     bool
	}{
		{"canonical", es256, []byte{0xa0}, true},
		{"unprotected_junk", es256, []byte{0xa1, 0x18, 0x63, 0x00}, false},
		{"unprotected_kid", es256, []byte{0xa1, 0x04, 0x41, 0x6b}, false},
		{"unprotected_text_label", es256, []byte{0xa1, 0x61, 0x78, 0x00}, false},
		{"unprotected_non_shortest_empty_map", es256, []byte{0xb8, 0x00}, false},
		{"protected_keys_out_of_order", []byte{0xa2, 0x61, 0x78, 0x00, 0x01, 0x26}, []byte{0xa0}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(resignEnvelope(t, pres, dev, tc.protected, tc.unprotected))
			if tc.ok {
				require.NoError(t, err)
				require.NoError(t, p.VerifyDevice())
				return
			}
			assert.ErrorIs(t, err, ErrMalformed)
		})
	}
	t.Run("non_shortest_signature_length", func(t *testing.T) {
		good := resignEnvelope(t, pres, dev, es256, []byte{0xa0})
		bad := append(append(append([]byte{}, good[:len(good)-66]...), 0x59, 0x00, 0x40), good[len(good)-64:]...)
		_, err := Parse(bad)
		assert.ErrorIs(t, err, ErrMalformed)
	})
}

// TestParseProtectedLabels: a presentation's protected header is exactly
// {1: -7} (docs/wire-format.md). Before the fix, a presentation re-signed
// with the genuine device key over a header with more labels (CWT claims,
// typ, content type, IV, x5chain, a private or a text label) was accepted:
// labels nobody reads, and many encodings of one signed message.
func TestParseProtectedLabels(t *testing.T) {
	pres, _, dev := manKAI(t)
	cases := []struct {
		name      string
		protected []byte
		ok        bool
	}{
		{"alg_only", []byte{0xa1, 0x01, 0x26}, true},
		// {1: -7, 15: {1: "evil"}, 16: "x"}
		{"cwt_claims_and_typ", []byte{0xa3, 0x01, 0x26, 0x0f, 0xa1, 0x01, 0x64, 'e', 'v', 'i', 'l', 0x10, 0x61, 'x'}, false},
		{"content_type_3", []byte{0xa2, 0x01, 0x26, 0x03, 0x00}, false},
		{"kid_4", []byte{0xa2, 0x01, 0x26, 0x04, 0x41, 0x6b}, false},
		{"iv_5", []byte{0xa2, 0x01, 0x26, 0x05, 0x41, 0x00}, false},
		{"partial_iv_6", []byte{0xa2, 0x01, 0x26, 0x06, 0x41, 0x00}, false},
		{"typ_16", []byte{0xa2, 0x01, 0x26, 0x10, 0x61, 'x'}, false},
		{"x5chain_33", []byte{0xa2, 0x01, 0x26, 0x18, 0x21, 0x41, 0x00}, false},
		{"private_label_minus_70000", []byte{0xa2, 0x01, 0x26, 0x3a, 0x00, 0x01, 0x11, 0x6f, 0x00}, false},
		{"text_label", []byte{0xa2, 0x01, 0x26, 0x61, 'x', 0x00}, false},
		{"empty", []byte{0xa0}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(resignEnvelope(t, pres, dev, tc.protected, []byte{0xa0}))
			if tc.ok {
				require.NoError(t, err)
				require.NoError(t, p.VerifyDevice())
				return
			}
			assert.ErrorIs(t, err, ErrMalformed)
		})
	}
}
