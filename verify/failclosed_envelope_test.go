package verify_test

// Issue 12, fail closed: see failclosed_test.go.

import (
	"crypto/ecdsa"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/verify"
)

// TestFailClosedEnvelope: the presentation's and the credential's COSE
// framing are deterministic CBOR, as docs/wire-format.md says: fresh,
// correctly signed codes with anything else are malformed.
func TestFailClosedEnvelope(t *testing.T) {
	m := verify.ReasonMalformed
	es256 := rawMap([2][]byte{rawInt(1), rawInt(-7)})
	envelope := func(protected, unprotected []byte) func(t *testing.T, f *fixture) attackScan {
		return func(t *testing.T, f *fixture) attackScan {
			p := takeApart(t, present(t, f.man, airlineReq))
			return attackScan{airline(t, f), presentation.Encode(deviceSignedRaw(t, f.man.device, protected, unprotected, p.payload()))}
		}
	}
	// credential returns the man's travel credential re-signed by Jakarta's
	// real key under the given protected and unprotected header bytes,
	// inside a presentation his device signs.
	cred := func(protected, unprotected []byte) func(t *testing.T, f *fixture) attackScan {
		return func(t *testing.T, f *fixture) attackScan {
			parts := splitSign1(t, f.man.cred(credential.ProfileTravel))
			sig := issuerSignedHeader(t, f.jakarta, protected, parts.Payload)
			return withCredential(t, f, rawSign1(protected, unprotected, parts.Payload, sig))
		}
	}
	kid := func(f *fixture) []byte { return rawBytes(f.jakarta.kid) }
	cases := []attackCase{
		{"control_canonical_envelope_is_accepted", envelope(es256, []byte{0xa0}), 0, nil},
		{"junk_in_unprotected_header", envelope(es256, rawMap([2][]byte{rawInt(99), rawText("junk")})), m, nil},
		{"kid_in_unprotected_header", envelope(es256, rawMap([2][]byte{rawInt(4), rawBytes([]byte("12345678"))})), m, nil},
		{"text_label_in_unprotected_header", envelope(es256, rawMap([2][]byte{rawText("x"), rawInt(0)})), m, nil},
		{"unprotected_header_non_shortest_empty_map", envelope(es256, []byte{0xb8, 0x00}), m, nil},
		{"protected_header_keys_out_of_order", envelope(rawMap([2][]byte{rawText("x"), rawInt(0)}, [2][]byte{rawInt(1), rawInt(-7)}), []byte{0xa0}), m, nil},
		{"protected_header_non_shortest_alg", envelope(rawMap([2][]byte{rawInt(1), cat([]byte{0x38, 0x06})}), []byte{0xa0}), m, nil},
		{"device_signature_non_shortest_length", func(t *testing.T, f *fixture) attackScan {
			data, err := presentation.Decode(present(t, f.man, airlineReq))
			require.NoError(t, err)
			parts := splitSign1(t, data)
			b := rawArray(rawBytes(parts.Protected), parts.Unprotected, rawBytes(parts.Payload), cat([]byte{0x59, 0x00, 0x40}, parts.Signature))
			return attackScan{airline(t, f), presentation.Encode(b)}
		}, m, nil},
		{"control_credential_resigned_canonically_is_accepted", func(t *testing.T, f *fixture) attackScan {
			return cred(rawMap([2][]byte{rawInt(1), rawInt(-7)}, [2][]byte{rawInt(4), kid(f)}), []byte{0xa0})(t, f)
		}, 0, nil},
		{"credential_junk_in_unprotected_header", func(t *testing.T, f *fixture) attackScan {
			return cred(rawMap([2][]byte{rawInt(1), rawInt(-7)}, [2][]byte{rawInt(4), kid(f)}), rawMap([2][]byte{rawInt(99), rawInt(0)}))(t, f)
		}, m, nil},
		{"credential_protected_header_keys_out_of_order", func(t *testing.T, f *fixture) attackScan {
			return cred(rawMap([2][]byte{rawInt(4), kid(f)}, [2][]byte{rawInt(1), rawInt(-7)}), []byte{0xa0})(t, f)
		}, m, nil},
	}
	runAttacks(t, cases)

	t.Run("status_list_junk_in_unprotected_header", func(t *testing.T) {
		f := newFixture(t)
		v := airline(t, f)
		parts := splitSign1(t, f.jakarta.statusList(t, f.clock.Now()))
		b := cat([]byte{0xd2}, rawSign1(parts.Protected, rawMap([2][]byte{rawInt(99), rawInt(0)}), parts.Payload, parts.Signature))
		err := v.AddStatusList(b)
		assert.ErrorIs(t, err, verify.ReasonMalformed)
		require.NoError(t, v.AddStatusList(cat([]byte{0xd2}, rawSign1(parts.Protected, []byte{0xa0}, parts.Payload, parts.Signature))), "control")
	})
}

// issuerSignedHeader signs a credential payload with ti's key (ES256)
// under the protected header bytes exactly as given.
func issuerSignedHeader(t *testing.T, ti *testIssuer, protected, payload []byte) []byte {
	t.Helper()
	key, ok := ti.signer.(*ecdsa.PrivateKey)
	require.True(t, ok, "an ES256 issuer")
	m := &sign1.Message{Protected: protected, Alg: sign1.ES256, Payload: payload}
	tbs, err := m.SigStructure(nil)
	require.NoError(t, err)
	return signES256Raw(t, key, tbs)
}
