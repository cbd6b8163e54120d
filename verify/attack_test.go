package verify_test

// Attacks on the scanner, each built from a real presentation the way a
// person trying to board under another name would build it, each checked
// for the specific reason the verifier must give. docs/threat-model.md
// catalogues them; TestThreatModelTestsExist keeps the two in step.

import (
	"encoding/binary"
	"image"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/internal/statuslist"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// attackScan is one scan: the verifier at the gate and the text it reads.
type attackScan struct {
	v    *verify.Verifier
	text string
}

// attackCase is an attack and the verdict it must get: a Reason, or 0 for
// "accepted" (then check, if set, looks at the result).
type attackCase struct {
	name  string
	setup func(t *testing.T, f *fixture) attackScan
	want  verify.Reason
	check func(t *testing.T, f *fixture, res *verify.Result)
}

func runAttacks(t *testing.T, cases []attackCase) {
	t.Helper()
	seen := map[string]bool{}
	for _, tc := range cases {
		require.False(t, seen[tc.name], "duplicate case %s", tc.name)
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			s := tc.setup(t, f)
			res, err := s.v.VerifyText(s.text)
			if tc.want == 0 {
				require.NoError(t, err)
				require.NotNil(t, res)
				if tc.check != nil {
					tc.check(t, f, res)
				}
				return
			}
			require.Error(t, err)
			assert.Nil(t, res, "a result exists exactly when the error is nil")
			var verr *verify.Error
			require.ErrorAs(t, err, &verr)
			assert.Equal(t, tc.want.String(), verr.Reason.String(), "error: %v", err)
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

// airline returns the fixture's airline verifier.
func airline(t *testing.T, f *fixture) *verify.Verifier {
	return f.verifier(t, verify.AirlineCheckIn())
}

// resigned returns the man's live airline presentation with its payload
// rebuilt by edit and signed again by his own device: the device signature
// verifies, only the structure is (possibly) wrong.
func resigned(edit func(p *presParts) []byte) func(t *testing.T, f *fixture) attackScan {
	return func(t *testing.T, f *fixture) attackScan {
		p := takeApart(t, present(t, f.man, airlineReq))
		return attackScan{airline(t, f), deviceSigned(t, f.man.device, edit(&p))}
	}
}

// withCredential returns the man's presentation carrying cred (tagged or
// not) instead of his credential, signed by his device.
func withCredential(t *testing.T, f *fixture, cred []byte) attackScan {
	p := takeApart(t, present(t, f.man, airlineReq))
	p.cred = untag(cred)
	return attackScan{airline(t, f), deviceSigned(t, f.man.device, p.payload())}
}

// reissued returns the man's travel credential payload rebuilt from its
// pairs by edit and signed by Jakarta's real key (a rogue insider or a
// buggy issuer), inside a presentation signed by his device: only the
// credential's structure is wrong.
func reissued(edit func(pairs [][2][]byte) []byte) func(t *testing.T, f *fixture) attackScan {
	return func(t *testing.T, f *fixture) attackScan {
		pairs := credPairs(t, f.man.cred(credential.ProfileTravel))
		return withCredential(t, f, issuerSignedRaw(t, f.jakarta, edit(pairs)))
	}
}

// withHeader returns the man's presentation whose credential has its
// protected header replaced by hdr (raw bytes); the issuer signature is
// kept and no longer covers the header.
func withHeader(hdr []byte) func(t *testing.T, f *fixture) attackScan {
	return func(t *testing.T, f *fixture) attackScan {
		parts := splitSign1(t, f.man.cred(credential.ProfileTravel))
		parts.Protected = hdr
		return withCredential(t, f, parts.bytes(t))
	}
}

func intOf(t testing.TB, b []byte) int64 {
	t.Helper()
	var n int64
	require.NoError(t, codec.Unmarshal(b, &n))
	return n
}

func f64(x float64) []byte { return binary.BigEndian.AppendUint64([]byte{0xfb}, math.Float64bits(x)) }

// TestAttackCBOR: CBOR tricks inside a real presentation, re-signed by the
// holder's own device so that only the structure is wrong. The strict
// decoder (internal/codec) and the canonical re-encoding check refuse
// every one as malformed, before any trust decision.
func TestAttackCBOR(t *testing.T) {
	m := verify.ReasonMalformed
	cases := []attackCase{
		{"control_rebuilt_presentation_is_accepted", resigned(func(p *presParts) []byte { return p.payload() }), 0, nil},
		{"indefinite_length_payload_array", resigned(func(p *presParts) []byte {
			return cat([]byte{0x9f}, p.cred, p.iat, p.ttl, p.nonce, p.aud, []byte{0xff})
		}), m, nil},
		{"trailing_bytes_after_payload", resigned(func(p *presParts) []byte { return cat(p.payload(), []byte{0x00}) }), m, nil},
		{"non_canonical_integer_iat", resigned(func(p *presParts) []byte {
			p.iat = head8(majUint, uint64(intOf(t, p.iat)))
			return p.payload()
		}), m, nil},
		{"non_canonical_array_header", resigned(func(p *presParts) []byte {
			return cat([]byte{0x98, 5}, p.cred, p.iat, p.ttl, p.nonce, p.aud)
		}), m, nil},
		{"float_iat", resigned(func(p *presParts) []byte {
			p.iat = f64(float64(intOf(t, p.iat)))
			return p.payload()
		}), m, nil},
		{"text_iat", resigned(func(p *presParts) []byte { p.iat = rawText("1795000000"); return p.payload() }), m, nil},
		{"tag_epoch_on_iat", resigned(func(p *presParts) []byte { p.iat = cat([]byte{0xc1}, p.iat); return p.payload() }), m, nil},
		{"tag18_on_embedded_credential", resigned(func(p *presParts) []byte { p.cred = cat([]byte{0xd2}, p.cred); return p.payload() }), m, nil},
		{"tag24_around_payload", resigned(func(p *presParts) []byte { return cat([]byte{0xd8, 0x18}, rawBytes(p.payload())) }), m, nil},
		{"self_described_cbor_tag_55799", resigned(func(p *presParts) []byte { return cat([]byte{0xd9, 0xd9, 0xf7}, p.payload()) }), m, nil},
		{"credential_wrapped_in_byte_string", resigned(func(p *presParts) []byte { p.cred = rawBytes(p.cred); return p.payload() }), m, nil},
		{"deep_nesting_in_audience_slot", resigned(func(p *presParts) []byte { p.aud = nested(200); return p.payload() }), m, nil},
		{"nesting_just_over_limit", resigned(func(p *presParts) []byte { p.aud = nested(limits.MaxNesting); return p.payload() }), m, nil},
		{"huge_declared_byte_string_length", resigned(func(p *presParts) []byte {
			p.nonce = cat(head8(majBytes, 1<<62), []byte{1, 2, 3, 4, 5, 6})
			return p.payload()
		}), m, nil},
		{"huge_declared_text_length", resigned(func(p *presParts) []byte {
			p.aud = cat(head(majText, math.MaxUint32), []byte("AIRLINE"))
			return p.payload()
		}), m, nil},
		{"huge_declared_array_length", resigned(func(p *presParts) []byte {
			return cat(head8(majArray, 1<<40), p.cred, p.iat, p.ttl, p.nonce, p.aud)
		}), m, nil},
		{"huge_declared_map_length", resigned(func(p *presParts) []byte { p.aud = cat(head(majMap, math.MaxUint32), []byte{0, 0}); return p.payload() }), m, nil},
		{"array_over_element_limit", resigned(func(p *presParts) []byte {
			items := make([][]byte, limits.MaxArrayElements+1)
			for i := range items {
				items[i] = []byte{0}
			}
			p.aud = rawArray(items...)
			return p.payload()
		}), m, nil},
		{"map_instead_of_array", resigned(func(p *presParts) []byte {
			return rawMap([2][]byte{rawInt(0), p.cred}, [2][]byte{rawInt(1), p.iat}, [2][]byte{rawInt(2), p.ttl}, [2][]byte{rawInt(3), p.nonce})
		}), m, nil},
		{"three_items", resigned(func(p *presParts) []byte { return rawArray(p.cred, p.iat, p.ttl) }), m, nil},
		{"six_items", resigned(func(p *presParts) []byte { return rawArray(p.cred, p.iat, p.ttl, p.nonce, p.aud, rawText("extra")) }), m, nil},
		{"negative_ttl", resigned(func(p *presParts) []byte { p.ttl = rawInt(-60); return p.payload() }), m, nil},
		{"zero_ttl", resigned(func(p *presParts) []byte { p.ttl = rawInt(0); return p.payload() }), m, nil},
		{"ttl_over_24_hours", resigned(func(p *presParts) []byte { p.ttl = rawInt(86401); return p.payload() }), m, nil},
		{"zero_iat", resigned(func(p *presParts) []byte { p.iat = rawInt(0); return p.payload() }), m, nil},
		{"negative_iat", resigned(func(p *presParts) []byte { p.iat = rawInt(-1); return p.payload() }), m, nil},
		{"nonce_five_bytes", resigned(func(p *presParts) []byte { p.nonce = rawBytes([]byte{1, 2, 3, 4, 5}); return p.payload() }), m, nil},
		{"nonce_undefined_simple_value", resigned(func(p *presParts) []byte { p.nonce = []byte{0xf7}; return p.payload() }), m, nil},
		{"nonce_null", resigned(func(p *presParts) []byte { p.nonce = []byte{0xf6}; return p.payload() }), m, nil},
		{"empty_audience_present", resigned(func(p *presParts) []byte { p.aud = rawText(""); return p.payload() }), m, nil},
		{"audience_over_64_bytes", resigned(func(p *presParts) []byte { p.aud = rawText(strings.Repeat("A", 65)); return p.payload() }), m, nil},
		{"audience_invalid_utf8", resigned(func(p *presParts) []byte { p.aud = cat(head(majText, 2), []byte{0xff, 0xfe}); return p.payload() }), m, nil},
		{"indefinite_length_audience_text", resigned(func(p *presParts) []byte { p.aud = []byte{0x7f, 0x61, 'A', 0xff}; return p.payload() }), m, nil},
		{"audience_as_byte_string", resigned(func(p *presParts) []byte { p.aud = rawBytes([]byte(verify.AudienceAirline)); return p.payload() }), m, nil},
		{"empty_payload", resigned(func(p *presParts) []byte { return nil }), m, nil},
		{"payload_reserved_additional_info_28", resigned(func(p *presParts) []byte { return []byte{0x1c} }), m, nil},
		{"payload_break_without_start", resigned(func(p *presParts) []byte { return []byte{0xff} }), m, nil},
	}
	runAttacks(t, cases)
}

// TestAttackCOSE: tricks on the presentation's COSE_Sign1 envelope, with a
// device signature that verifies over whatever was sent.
func TestAttackCOSE(t *testing.T) {
	m := verify.ReasonMalformed
	es256 := rawMap([2][]byte{rawInt(1), rawInt(-7)})
	envelope := func(protected, unprotected []byte) func(t *testing.T, f *fixture) attackScan {
		return func(t *testing.T, f *fixture) attackScan {
			p := takeApart(t, present(t, f.man, airlineReq))
			return attackScan{airline(t, f), presentation.Encode(deviceSignedRaw(t, f.man.device, protected, unprotected, p.payload()))}
		}
	}
	bytesOf := func(edit func(data []byte) []byte) func(t *testing.T, f *fixture) attackScan {
		return func(t *testing.T, f *fixture) attackScan {
			data, err := presentation.Decode(present(t, f.man, airlineReq))
			require.NoError(t, err)
			return attackScan{airline(t, f), presentation.Encode(edit(data))}
		}
	}
	cases := []attackCase{
		{"control_raw_envelope_is_accepted", envelope(es256, []byte{0xa0}), 0, nil},
		{"tagged_presentation", bytesOf(func(d []byte) []byte { return cat([]byte{0xd2}, d) }), m, nil},
		{"trailing_bytes_after_presentation", bytesOf(func(d []byte) []byte { return cat(d, []byte{0}) }), m, nil},
		{"truncated_presentation", bytesOf(func(d []byte) []byte { return d[:len(d)-1] }), m, nil},
		{"device_alg_EdDSA", envelope(rawMap([2][]byte{rawInt(1), rawInt(-8)}), []byte{0xa0}), m, nil},
		{"device_alg_HMAC", envelope(rawMap([2][]byte{rawInt(1), rawInt(5)}), []byte{0xa0}), m, nil},
		{"device_alg_missing", envelope(nil, []byte{0xa0}), m, nil},
		{"device_alg_as_text", envelope(rawMap([2][]byte{rawInt(1), rawText("ES256")}), []byte{0xa0}), m, nil},
		{"device_header_with_kid", envelope(rawMap([2][]byte{rawInt(1), rawInt(-7)}, [2][]byte{rawInt(4), rawBytes([]byte("12345678"))}), []byte{0xa0}), m, nil},
		{"device_header_duplicate_alg", envelope(rawMap([2][]byte{rawInt(1), rawInt(-7)}, [2][]byte{rawInt(1), rawInt(-7)}), []byte{0xa0}), m, nil},
		{"device_header_indefinite_map", envelope([]byte{0xbf, 0x01, 0x26, 0xff}, []byte{0xa0}), m, nil},
		{"device_header_crit", envelope(rawMap([2][]byte{rawInt(1), rawInt(-7)}, [2][]byte{rawInt(2), rawArray(rawInt(99))}), []byte{0xa0}), m, nil},
		{"alg_in_unprotected_header", envelope(es256, rawMap([2][]byte{rawInt(1), rawInt(-7)})), m, nil},
		{"unprotected_header_not_a_map", envelope(es256, []byte{0x80}), m, nil},
		{"detached_payload", bytesOf(func(d []byte) []byte {
			parts := splitSign1(t, d)
			return rawArray(rawBytes(parts.Protected), parts.Unprotected, []byte{0xf6}, rawBytes(parts.Signature))
		}), m, nil},
		{"empty_signature", bytesOf(func(d []byte) []byte {
			parts := splitSign1(t, d)
			return rawSign1(parts.Protected, parts.Unprotected, parts.Payload, nil)
		}), m, nil},
		{"signature_63_bytes", bytesOf(func(d []byte) []byte {
			parts := splitSign1(t, d)
			return rawSign1(parts.Protected, parts.Unprotected, parts.Payload, parts.Signature[:63])
		}), m, nil},
		{"signature_65_bytes", bytesOf(func(d []byte) []byte {
			parts := splitSign1(t, d)
			return rawSign1(parts.Protected, parts.Unprotected, parts.Payload, append(append([]byte{}, parts.Signature...), 0))
		}), m, nil},
		{"signature_all_zero", bytesOf(func(d []byte) []byte {
			parts := splitSign1(t, d)
			return rawSign1(parts.Protected, parts.Unprotected, parts.Payload, make([]byte, 64))
		}), verify.ReasonBadDeviceSignature, nil},
		{"payload_as_text_string", bytesOf(func(d []byte) []byte {
			parts := splitSign1(t, d)
			return rawArray(rawBytes(parts.Protected), parts.Unprotected, cat(head(majText, uint64(len(parts.Payload))), parts.Payload), rawBytes(parts.Signature))
		}), m, nil},
		{"oversized_presentation", bytesOf(func(d []byte) []byte { return cat(d, make([]byte, limits.MaxMessage)) }), m, nil},
	}
	runAttacks(t, cases)
}

// TestAttackCredential: tricks on the embedded credential. Where the
// trick needs a valid issuer signature, Jakarta's real key signs it (a
// rogue insider): the parser must still refuse the structure.
func TestAttackCredential(t *testing.T) {
	m := verify.ReasonMalformed
	kidOf := func(f *fixture) []byte { return f.jakarta.kid }
	hdr := func(alg []byte, kid func(f *fixture) []byte) func(t *testing.T, f *fixture) attackScan {
		return func(t *testing.T, f *fixture) attackScan {
			pairs := [][2][]byte{}
			if alg != nil {
				pairs = append(pairs, [2][]byte{rawInt(1), alg})
			}
			if kid != nil {
				pairs = append(pairs, [2][]byte{rawInt(4), rawBytes(kid(f))})
			}
			return withHeader(rawMap(pairs...))(t, f)
		}
	}
	cases := []attackCase{
		{"control_reissued_credential_is_accepted", reissued(func(p [][2][]byte) []byte { return rawMap(p...) }), 0, nil},
		{"duplicate_claim_key_same_value", reissued(func(p [][2][]byte) []byte { return rawMap(append(p, p[0])...) }), m, nil},
		{"duplicate_issuer_claim_conflicting_values", reissued(func(p [][2][]byte) []byte {
			return rawMap(append([][2][]byte{{rawInt(1), rawText("3273")}}, p...)...)
		}), m, nil},
		{"unsorted_claim_keys", reissued(func(p [][2][]byte) []byte {
			q := append([][2][]byte{}, p[1:]...)
			return rawMap(append(q, p[0])...)
		}), m, nil},
		{"unknown_claim_smuggled", reissued(func(p [][2][]byte) []byte {
			return rawMap(append(p, [2][]byte{rawInt(-99), rawText("RELIGION: X")})...)
		}), m, nil},
		{"tag_on_iat_claim", reissued(func(p [][2][]byte) []byte {
			for _, kv := range p {
				if string(kv[0]) == string(rawInt(6)) {
					return rawMap(replacePair(p, 6, cat([]byte{0xc1}, kv[1]))...)
				}
			}
			return nil
		}), m, nil},
		{"non_shortest_expiry", reissued(func(p [][2][]byte) []byte {
			for _, kv := range p {
				if string(kv[0]) == string(rawInt(4)) {
					return rawMap(replacePair(p, 4, head8(majUint, uint64(intOf(t, kv[1]))))...)
				}
			}
			return nil
		}), m, nil},
		{"indefinite_length_claims_map", reissued(func(p [][2][]byte) []byte {
			for _, kv := range p {
				if string(kv[0]) == string(rawInt(-3)) {
					require.Less(t, kv[1][0], byte(0xb8), "small claims map header")
					return rawMap(replacePair(p, -3, cat([]byte{0xbf}, kv[1][1:], []byte{0xff}))...)
				}
			}
			return nil
		}), m, nil},
		{"trailing_bytes_after_claims", reissued(func(p [][2][]byte) []byte { return cat(rawMap(p...), []byte{0}) }), m, nil},
		{"device_key_not_on_curve", reissued(func(p [][2][]byte) []byte {
			bad := mustEnc(t, map[int64]any{1: map[int64]any{1: int64(2), -1: int64(1), -2: bytesRepeat(0xff, 32), -3: false}})
			return rawMap(replacePair(p, 8, bad)...)
		}), m, nil},
		{"device_key_on_P384", reissued(func(p [][2][]byte) []byte {
			bad := mustEnc(t, map[int64]any{1: map[int64]any{1: int64(2), -1: int64(2), -2: bytesRepeat(1, 32), -3: false}})
			return rawMap(replacePair(p, 8, bad)...)
		}), m, nil},
		{"expiry_before_issue", reissued(func(p [][2][]byte) []byte { return rawMap(replacePair(p, 4, rawInt(1000))...) }), m, nil},
		{"unknown_profile", reissued(func(p [][2][]byte) []byte { return rawMap(replacePair(p, -1, rawInt(99))...) }), m, nil},
		{"no_document_claims", reissued(func(p [][2][]byte) []byte {
			var q [][2][]byte
			for _, kv := range p {
				if string(kv[0]) != string(rawInt(-3)) {
					q = append(q, kv)
				}
			}
			return rawMap(q...)
		}), m, nil},
		{"issuer_id_33_bytes", reissued(func(p [][2][]byte) []byte { return rawMap(replacePair(p, 1, rawText(strings.Repeat("3", 33)))...) }), m, nil},
		{"header_kid_missing", hdr(rawInt(-7), nil), m, nil},
		{"header_kid_33_bytes", hdr(rawInt(-7), func(*fixture) []byte { return bytesRepeat(7, 33) }), m, nil},
		{"header_kid_9_bytes_finds_no_key", hdr(rawInt(-7), func(f *fixture) []byte { return append(append([]byte{}, f.jakarta.kid...), 0) }), verify.ReasonUnknownIssuer, nil},
		{"header_alg_as_text", hdr(rawText("ES256"), kidOf), m, nil},
		// credential.Parse requires a protected alg: without one there is
		// nothing to compare with the trusted key's, so it is malformed.
		{"header_alg_missing", hdr(nil, kidOf), m, nil},
		{"header_alg_RS256", hdr(rawInt(-257), kidOf), verify.ReasonAlgorithmNotAllowed, nil},
		{"header_alg_ES384", hdr(rawInt(-35), kidOf), verify.ReasonAlgorithmNotAllowed, nil},
		{"header_alg_ES256_on_EdDSA_issuer_key", func(t *testing.T, f *fixture) attackScan {
			cred := withProtected(t, f.woman.cred(credential.ProfileTravel), keys.ES256, f.bandung.kid)
			p := takeApart(t, present(t, f.woman, airlineReq))
			p.cred = untag(cred)
			return attackScan{airline(t, f), deviceSigned(t, f.woman.device, p.payload())}
		}, verify.ReasonAlgorithmNotAllowed, nil},
		{"header_duplicate_alg", withHeaderFn(func(f *fixture) []byte {
			return rawMap([2][]byte{rawInt(1), rawInt(-8)}, [2][]byte{rawInt(1), rawInt(-7)}, [2][]byte{rawInt(4), rawBytes(f.jakarta.kid)})
		}), m, nil},
	}
	runAttacks(t, cases)
}

func withHeaderFn(h func(f *fixture) []byte) func(t *testing.T, f *fixture) attackScan {
	return func(t *testing.T, f *fixture) attackScan { return withHeader(h(f))(t, f) }
}

func bytesRepeat(b byte, n int) []byte { return []byte(strings.Repeat(string([]byte{b}), n)) }

// TestAttackKeys: key substitution, kid collisions, rogue issuers and
// issuer/key mismatches.
func TestAttackKeys(t *testing.T) {
	cases := []attackCase{
		{"rogue_issuer_key_not_in_trust_list", func(t *testing.T, f *fixture) attackScan {
			rogue := newRogueIssuer(t, "3171", testkit.P256("rogue 3171"), nil)
			return withCredential(t, f, signPayload(t, rogue, credPayload(t, f.man.cred(credential.ProfileTravel))))
		}, verify.ReasonUnknownIssuer, nil},
		{"rogue_key_claiming_trusted_kid", func(t *testing.T, f *fixture) attackScan {
			rogue := newRogueIssuer(t, "3171", testkit.P256("rogue 3171"), f.jakarta.kid)
			m := credPayload(t, f.man.cred(credential.ProfileTravel))
			m[-3].(map[any]any)[int64(2)] = "MALLORY"
			return withCredential(t, f, signPayload(t, rogue, m))
		}, verify.ReasonBadIssuerSignature, nil},
		{"rogue_EdDSA_key_claiming_trusted_ES256_kid", func(t *testing.T, f *fixture) attackScan {
			rogue := newRogueIssuer(t, "3171", testkit.Ed25519("rogue 3171"), f.jakarta.kid)
			return withCredential(t, f, signPayload(t, rogue, credPayload(t, f.man.cred(credential.ProfileTravel))))
		}, verify.ReasonAlgorithmNotAllowed, nil},
		{"kid_shared_by_two_issuers_every_candidate_is_tried", func(t *testing.T, f *fixture) attackScan {
			// Bandung's entry for Jakarta's key comes first in Lookup: the
			// verifier must skip it (issuer mismatch) and accept with
			// Jakarta's own entry.
			shared := f.jakarta.key
			shared.IssuerID, shared.IssuerName = f.bandung.id, f.bandung.name
			l := signedTrustList(t, 3,
				keys.TrustedIssuer{ID: f.bandung.id, Name: f.bandung.name, Keys: []keys.IssuerKey{shared, f.bandung.key}},
				keys.TrustedIssuer{ID: f.jakarta.id, Name: f.jakarta.name, Keys: []keys.IssuerKey{f.jakarta.key}},
			)
			require.Len(t, l.Lookup(f.jakarta.kid), 2, "two candidates for one kid")
			f.trust = l
			return attackScan{airline(t, f), present(t, f.man, airlineReq)}
		}, 0, func(t *testing.T, f *fixture, res *verify.Result) {
			assert.Equal(t, f.jakarta.id, res.IssuerID)
			assert.Equal(t, f.jakarta.name, res.IssuerName)
		}},
		{"kid_shared_other_issuers_valid_window_does_not_help", func(t *testing.T, f *fixture) attackScan {
			// Jakarta's own entry has expired; Bandung lists the same key as
			// valid. A credential naming Jakarta must not borrow Bandung's
			// window.
			shared := f.jakarta.key
			shared.IssuerID, shared.IssuerName = f.bandung.id, f.bandung.name
			v := airline(t, f) // status lists loaded under the old trust list
			own := f.jakarta.key
			own.NotAfter = testkit.Now.Add(-48 * time.Hour)
			setTrust(t, v, signedTrustList(t, 3,
				keys.TrustedIssuer{ID: f.bandung.id, Name: f.bandung.name, Keys: []keys.IssuerKey{shared, f.bandung.key}},
				keys.TrustedIssuer{ID: f.jakarta.id, Name: f.jakarta.name, Keys: []keys.IssuerKey{own}},
			))
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonKeyNotValid, nil},
		{"issuer_key_not_yet_valid_when_credential_issued", func(t *testing.T, f *fixture) attackScan {
			k := f.jakarta.key
			k.NotBefore = testkit.Now.Add(-time.Hour) // credential iat is a day ago
			f.trust = f.trustList(t, 2, k, f.bandung.key)
			return attackScan{airline(t, f), present(t, f.man, airlineReq)}
		}, verify.ReasonKeyNotValid, nil},
		{"credential_backdated_before_key_window_by_its_own_issuer", func(t *testing.T, f *fixture) attackScan {
			m := credPayload(t, f.man.cred(credential.ProfileTravel))
			m[6] = testkit.Now.AddDate(-2, 0, 0).Unix() // before NotBefore (1 year ago)
			p := takeApart(t, present(t, f.man, airlineReq))
			p.cred = untag(signPayload(t, f.jakarta, m))
			return attackScan{airline(t, f), deviceSigned(t, f.man.device, p.payload())}
		}, verify.ReasonKeyNotValid, nil},
		{"no_trust_list_held", func(t *testing.T, f *fixture) attackScan {
			// A wiped scanner's keys.Store has no current list: no verifier
			// can be made from it. A verified list with no issuers (an
			// emptied trust list) trusts nobody.
			_, err := verify.New(nil, verify.AirlineCheckIn())
			require.Error(t, err)
			v, err := verify.New(signedTrustList(t, 2), verify.AirlineCheckIn(), verify.WithClock(f.clock.Now))
			require.NoError(t, err)
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonUnknownIssuer, nil},
		{"own_device_key_substituted_with_rogue_issuer_signature", func(t *testing.T, f *fixture) attackScan {
			// The attacker binds the man's credential to her own phone and
			// signs it with her own (untrusted) issuer key under Jakarta's kid.
			attacker := testkit.Device("attacker")
			rogue := newRogueIssuer(t, "3171", testkit.P256("rogue 3171"), f.jakarta.kid)
			m := credPayload(t, f.man.cred(credential.ProfileTravel))
			m[8] = cnfOf(&attacker.PublicKey)
			cred := signPayload(t, rogue, m)
			return attackScan{airline(t, f), forge(t, cred, attacker, f.clock.Now(), qr.DefaultLifetime, verify.AudienceAirline)}
		}, verify.ReasonBadIssuerSignature, nil},
	}
	runAttacks(t, cases)
}

// TestAttackTime: clock manipulation on the phone, within and beyond the
// policy's skew, and codes at the edges of their windows. The scanner's
// own clock is trusted (it is the gate operator's device).
func TestAttackTime(t *testing.T) {
	at := func(phoneOffset, scanDelay time.Duration) func(t *testing.T, f *fixture) attackScan {
		return func(t *testing.T, f *fixture) attackScan {
			v := airline(t, f)
			f.clock.Add(phoneOffset)
			text := present(t, f.man, airlineReq)
			f.clock.Add(-phoneOffset + scanDelay)
			return attackScan{v, text}
		}
	}
	skew := verify.AirlineCheckIn().ClockSkew
	life := qr.DefaultLifetime
	iatAt := func(iat int64, ttl int64) func(t *testing.T, f *fixture) attackScan {
		return resigned(func(p *presParts) []byte {
			p.iat, p.ttl = rawInt(iat), rawInt(ttl)
			return p.payload()
		})
	}
	cases := []attackCase{
		{"phone_ahead_within_skew_is_accepted", at(skew, 0), 0, nil},
		{"phone_ahead_one_second_beyond_skew", at(skew+time.Second, 0), verify.ReasonPresentationFromFuture, nil},
		{"phone_ahead_beyond_clock_wrong_limit", at(verify.AirlineCheckIn().ClockWrongAfter+time.Second, 0), verify.ReasonClockWrong, nil},
		{"phone_behind_so_code_looks_old", at(-(life + skew + time.Second), 0), verify.ReasonPresentationExpired, nil},
		{"scanned_at_expiry_plus_skew_is_accepted", at(0, life+skew), 0, nil},
		{"scanned_one_second_after_expiry_plus_skew", at(0, life+skew+time.Second), verify.ReasonPresentationExpired, nil},
		{"screenshot_a_day_old", at(0, 24*time.Hour), verify.ReasonPresentationExpired, nil},
		{"credential_at_its_exact_expiry", func(t *testing.T, f *fixture) attackScan {
			v := airline(t, f)
			f.clock.Set(testkit.Now.AddDate(1, 0, 0))
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonCredentialExpired, nil},
		// Time claims after 9999-12-31T23:59:59Z are malformed (limits.MaxTime).
		{"iat_far_future_2_pow_62", iatAt(1<<62, 60), verify.ReasonMalformed, nil},
		{"iat_max_int64_ttl_max", iatAt(math.MaxInt64, 86400), verify.ReasonMalformed, nil},
		{"iat_year_9999_last_second", iatAt(limits.MaxTime, 60), verify.ReasonClockWrong, nil},
		{"iat_year_10000", iatAt(limits.MaxTime+1, 60), verify.ReasonMalformed, nil},
		{"iat_1970_with_24h_ttl", iatAt(1, 86400), verify.ReasonClockWrong, nil},
		{"share_lifetime_24h_at_live_gate", iatAt(testkit.Now.Unix(), 86400), verify.ReasonLifetimeTooLong, nil},
	}
	runAttacks(t, cases)
}

// TestAttackReplay: screenshots, photos, relays and ECDSA malleability.
func TestAttackReplay(t *testing.T) {
	cases := []attackCase{
		{"photo_of_another_phone_same_bytes_is_replayed", func(t *testing.T, f *fixture) attackScan {
			v := airline(t, f)
			text := present(t, f.man, airlineReq)
			_, err := v.VerifyText(text)
			require.NoError(t, err)
			f.clock.Add(10 * time.Second)
			return attackScan{v, text}
		}, verify.ReasonReplayed, nil},
		{"ecdsa_malleated_device_signature_after_original_is_replayed", func(t *testing.T, f *fixture) attackScan {
			v := airline(t, f)
			text := present(t, f.man, airlineReq)
			_, err := v.VerifyText(text)
			require.NoError(t, err)
			return attackScan{v, malleatedText(t, text)}
		}, verify.ReasonReplayed, nil},
		{"original_after_ecdsa_malleated_twin_is_replayed", func(t *testing.T, f *fixture) attackScan {
			v := airline(t, f)
			text := present(t, f.man, airlineReq)
			_, err := v.VerifyText(malleatedText(t, text))
			require.NoError(t, err, "the twin signature verifies (ECDSA malleability)")
			return attackScan{v, text}
		}, verify.ReasonReplayed, nil},
		{"malleated_issuer_signature_breaks_device_signature", func(t *testing.T, f *fixture) attackScan {
			p := takeApart(t, present(t, f.man, airlineReq))
			parts := splitSign1(t, p.cred)
			parts.Signature = malleate(parts.Signature)
			p.cred = parts.bytes(t)
			orig := takeApart(t, present(t, f.man, airlineReq))
			// Keep the device signature of the original payload.
			b := rawSign1(orig.cose.Protected, orig.cose.Unprotected, p.payload(), orig.cose.Signature)
			return attackScan{airline(t, f), presentation.Encode(b)}
		}, verify.ReasonBadDeviceSignature, nil},
		{"relayed_code_replayed_at_another_gate_sharing_the_cache", func(t *testing.T, f *fixture) attackScan {
			gate1 := airline(t, f)
			gate2, err := gate1.WithPolicy(verify.AirlineCheckIn())
			require.NoError(t, err)
			text := present(t, f.man, airlineReq)
			_, err = gate1.VerifyText(text) // a relay is accepted once: see the threat model
			require.NoError(t, err)
			return attackScan{gate2, text}
		}, verify.ReasonReplayed, nil},
		{"replay_after_lifetime_is_expired_even_if_cache_forgot", func(t *testing.T, f *fixture) attackScan {
			v := f.verifier(t, verify.AirlineCheckIn(), verify.WithReplayCache(noReplay{})) // a store that forgets everything
			text := present(t, f.man, airlineReq)
			_, err := v.VerifyText(text)
			require.NoError(t, err)
			f.clock.Add(qr.DefaultLifetime + verify.AirlineCheckIn().ClockSkew + time.Second)
			return attackScan{v, text}
		}, verify.ReasonPresentationExpired, nil},
		{"nonce_changed_without_device_key", func(t *testing.T, f *fixture) attackScan {
			data, err := presentation.Decode(present(t, f.man, airlineReq))
			require.NoError(t, err)
			parts := splitSign1(t, data)
			p := takeApart(t, present(t, f.man, airlineReq))
			p.nonce = rawBytes([]byte{9, 9, 9, 9, 9, 9})
			return attackScan{airline(t, f), presentation.Encode(rawSign1(parts.Protected, parts.Unprotected, p.payload(), parts.Signature))}
		}, verify.ReasonBadDeviceSignature, nil},
	}
	runAttacks(t, cases)
}

// malleatedText returns text with its device signature replaced by its
// ECDSA twin (r, n−s), which verifies too.
func malleatedText(t testing.TB, text string) string {
	t.Helper()
	data, err := presentation.Decode(text)
	require.NoError(t, err)
	parts := splitSign1(t, data)
	parts.Signature = malleate(parts.Signature)
	out := parts.bytes(t)
	require.NotEqual(t, data, out)
	return presentation.Encode(out)
}

// TestAttackStatus: revocation evasion through the status lists a scanner
// holds.
func TestAttackStatus(t *testing.T) {
	revokeMan := func(t *testing.T, f *fixture) {
		require.NoError(t, f.jakarta.list.Set(f.man.index, status.StatusRevoked))
	}
	cases := []attackCase{
		{"rolled_back_status_list_cannot_unrevoke", func(t *testing.T, f *fixture) attackScan {
			old := f.jakarta.statusList(t, f.clock.Now().Add(-2*time.Hour)) // before the revocation
			revokeMan(t, f)
			v := airline(t, f) // holds the list signed an hour ago, revoked
			err := v.AddStatusList(old)
			require.ErrorIs(t, err, verify.ReasonStatusRollback)
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonRevoked, nil},
		{"stale_list_that_says_revoked_still_refuses", func(t *testing.T, f *fixture) attackScan {
			revokeMan(t, f)
			v := airline(t, f)
			f.clock.Add(30 * 24 * time.Hour)
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonRevoked, nil},
		{"revoked_under_warn_policy_still_refused", func(t *testing.T, f *fixture) attackScan {
			revokeMan(t, f)
			p := verify.AirlineCheckIn()
			p.WarnOnStaleStatus = true
			return attackScan{f.verifier(t, p), present(t, f.man, airlineReq)}
		}, verify.ReasonRevoked, nil},
		{"status_list_past_its_exp", func(t *testing.T, f *fixture) attackScan {
			v, err := verify.New(f.trust, verify.AirlineCheckIn(), verify.WithClock(f.clock.Now))
			require.NoError(t, err)
			b := f.jakarta.signStatus(t, status.Token{ListID: 1, IssuedAt: f.clock.Now().Add(-2 * time.Hour), Expiry: f.clock.Now().Add(-time.Hour)})
			require.NoError(t, v.AddStatusList(b))
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonStatusStale, nil},
		{"status_list_for_another_list_id_is_unknown", func(t *testing.T, f *fixture) attackScan {
			v, err := verify.New(f.trust, verify.AirlineCheckIn(), verify.WithClock(f.clock.Now))
			require.NoError(t, err)
			b := f.jakarta.signStatus(t, status.Token{ListID: 2, IssuedAt: f.clock.Now().Add(-time.Hour)})
			require.NoError(t, v.AddStatusList(b))
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonStatusUnknown, nil},
		{"status_index_beyond_list_is_invalid_not_valid", func(t *testing.T, f *fixture) attackScan {
			m := credPayload(t, f.man.cred(credential.ProfileTravel))
			m[-2] = []any{int64(1), int64(1 << 30)}
			return withCredential(t, f, signPayload(t, f.jakarta, m))
		}, verify.ReasonStatusInvalid, nil},
	}
	runAttacks(t, cases)
}

// TestAttackStatusListFeed: status lists a scanner is fed while online
// must come from the credential's own issuer, with a trusted key valid
// when the list was signed. Every refusal is a *verify.Error; where the
// token layer has a sentinel for it, the error wraps that too.
func TestAttackStatusListFeed(t *testing.T) {
	cases := []struct {
		name string
		list func(t *testing.T, f *fixture) []byte
		want verify.Reason
		is   error // also wrapped, if set
	}{
		{"signed_by_another_issuer", func(t *testing.T, f *fixture) []byte {
			// Bandung's own key and kid, publishing under Jakarta's name.
			iss, err := credential.NewIssuer(f.jakarta.id, f.bandung.signer)
			require.NoError(t, err)
			b, err := iss.SignStatusList(status.Token{ListID: 1, IssuedAt: f.clock.Now()}, f.jakarta.list)
			require.NoError(t, err)
			return b
		}, verify.ReasonUnknownIssuer, nil},
		{"signed_by_untrusted_key", func(t *testing.T, f *fixture) []byte {
			return newRogueIssuer(t, f.jakarta.id, testkit.P256("rogue status"), nil).statusList(t, f.clock.Now())
		}, verify.ReasonUnknownIssuer, nil},
		{"untrusted_key_claiming_trusted_kid", func(t *testing.T, f *fixture) []byte {
			return newRogueIssuer(t, f.jakarta.id, testkit.P256("rogue status"), f.jakarta.kid).statusList(t, f.clock.Now())
		}, verify.ReasonBadIssuerSignature, statuslist.ErrSignature},
		{"EdDSA_key_claiming_ES256_issuers_kid", func(t *testing.T, f *fixture) []byte {
			return signStatusRaw(t, f.bandung.signer, keys.EdDSA, f.jakarta.kid, f.jakarta.id,
				status.Token{ListID: 1, IssuedAt: f.clock.Now()}, f.jakarta.list)
		}, verify.ReasonAlgorithmNotAllowed, nil},
		{"signed_before_key_window", func(t *testing.T, f *fixture) []byte {
			return f.jakarta.statusList(t, testkit.Now.AddDate(-2, 0, 0))
		}, verify.ReasonKeyNotValid, nil},
		{"credential_passed_off_as_status_list", func(t *testing.T, f *fixture) []byte {
			return f.man.cred(credential.ProfileTravel)
		}, verify.ReasonMalformed, statuslist.ErrMalformed},
		{"older_than_held_list", func(t *testing.T, f *fixture) []byte {
			return f.jakarta.statusList(t, f.clock.Now().Add(-3*time.Hour))
		}, verify.ReasonStatusRollback, statuslist.ErrRollback},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			v := airline(t, f) // holds both issuers' lists signed an hour ago
			err := v.AddStatusList(tc.list(t, f))
			var verr *verify.Error
			require.ErrorAs(t, err, &verr)
			assert.Equal(t, tc.want.String(), verr.Reason.String(), "error: %v", err)
			assert.ErrorIs(t, err, tc.want)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			// The held list is unchanged: the man is still valid.
			_, err = v.VerifyText(present(t, f.man, airlineReq))
			assert.NoError(t, err)
		})
	}
}

// TestAttackText: what a hardware scanner may hand over besides an IKD
// code.
func TestAttackText(t *testing.T) {
	m := verify.ReasonMalformed
	txt := func(s string) func(t *testing.T, f *fixture) attackScan {
		return func(t *testing.T, f *fixture) attackScan { return attackScan{airline(t, f), s} }
	}
	realText := func(edit func(s string) string) func(t *testing.T, f *fixture) attackScan {
		return func(t *testing.T, f *fixture) attackScan {
			return attackScan{airline(t, f), edit(present(t, f.man, airlineReq))}
		}
	}
	cases := []attackCase{
		{"empty_text", txt(""), verify.ReasonNotIKD, nil},
		{"prefix_only", txt(presentation.Prefix), m, nil},
		{"lowercase_prefix", realText(func(s string) string { return "ikd1:" + strings.TrimPrefix(s, presentation.Prefix) }), verify.ReasonNotIKD, nil},
		{"url", txt("https://ikd.example/IKD1:ABC"), verify.ReasonNotIKD, nil},
		{"version_zero", realText(func(s string) string { return "IKD0:" + strings.TrimPrefix(s, presentation.Prefix) }), verify.ReasonUnsupportedVersion, nil},
		{"text_of_max_length_plus_one", txt(presentation.Prefix + strings.Repeat("0", limits.MaxText-len(presentation.Prefix)+1)), m, nil},
		{"text_of_8KB", txt(presentation.Prefix + strings.Repeat("0", 8192-len(presentation.Prefix))), m, nil},
		{"text_of_max_length_base45", txt(presentation.Prefix + strings.Repeat("0", (limits.MaxText-len(presentation.Prefix))/3*3)), m, nil},
		{"base45_lowercase", realText(strings.ToLower), verify.ReasonNotIKD, nil},
		{"base45_lowercase_body", realText(func(s string) string {
			return presentation.Prefix + strings.ToLower(strings.TrimPrefix(s, presentation.Prefix))
		}), m, nil},
		{"base45_length_one_mod_three", realText(func(s string) string { return s + "0" }), m, nil},
		{"base45_triple_over_65535", txt(presentation.Prefix + "GGW"), m, nil},
		{"base45_pair_over_255", txt(presentation.Prefix + "ZZ"), m, nil},
		{"trailing_newline_from_hardware_scanner", realText(func(s string) string { return s + "\n" }), 0, nil},
		{"trailing_crlf_from_hardware_scanner", realText(func(s string) string { return s + "\r\n" }), 0, nil},
		{"two_trailing_newlines", realText(func(s string) string { return s + "\n\n" }), m, nil},
		{"embedded_nul", realText(func(s string) string { return s[:20] + "\x00" + s[21:] }), m, nil},
		{"unicode_lookalike", realText(func(s string) string { return strings.Replace(s, "A", "А", 1) }), m, nil},
		{"two_codes_concatenated", realText(func(s string) string { return s + s }), m, nil},
	}
	runAttacks(t, cases)
}

// TestAttackImage: images that are not a readable IKD QR code give
// ReasonNoCode without reading pixels of an oversized image (qr.Scan
// checks the size first; see qr's TestScanMalformed).
func TestAttackImage(t *testing.T) {
	f := newFixture(t)
	v := airline(t, f)
	for _, tc := range []struct {
		name string
		img  image.Image
	}{
		{"nil_image", nil},
		{"one_by_one", image.NewGray(image.Rect(0, 0, 1, 1))},
		{"over_pixel_limit", image.NewGray(image.Rect(0, 0, 4097, 4096))},
		{"blank_frame", image.NewGray(image.Rect(0, 0, 320, 240))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := v.VerifyImage(tc.img)
			assert.Nil(t, res)
			var verr *verify.Error
			require.ErrorAs(t, err, &verr)
			assert.Equal(t, verify.ReasonNoCode, verr.Reason, "%v", err)
		})
	}
}
