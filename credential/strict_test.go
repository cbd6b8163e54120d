package credential_test

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/keys"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
)

// part is one key/value pair of a hand-built payload map, as raw CBOR.
type part struct{ key, val []byte }

// payloadKeys are the top-level keys of a credential payload in canonical
// order: 1 iss, 4 exp, 6 iat, 8 cnf, -1 profile, -2 status, -3 KTP claims.
var payloadKeys = []struct {
	k   int64
	enc string
}{{1, "01"}, {4, "04"}, {6, "06"}, {8, "08"}, {-1, "20"}, {-2, "21"}, {-3, "22"}}

// validParts splits the payload of a valid KAI credential into its pairs.
func validParts(t *testing.T) []part {
	t.Helper()
	req := testRequest(testkit.Man(), "holder")
	req.Profiles = []credential.Profile{credential.ProfileKAI}
	out, err := testIssuer("EdDSA").Issue(req)
	require.NoError(t, err)
	var m map[int64]cbor.RawMessage
	require.NoError(t, cbor.Unmarshal(payloadOf(t, out[0].Bytes), &m))
	require.Len(t, m, len(payloadKeys))
	parts := make([]part, 0, len(m))
	for _, k := range payloadKeys {
		parts = append(parts, part{key: unhex(k.enc), val: m[k.k]})
	}
	return parts
}

func unhex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// assemble writes a definite-length map of parts.
func assemble(parts []part) []byte {
	var b bytes.Buffer
	b.WriteByte(0xa0 + byte(len(parts)))
	for _, p := range parts {
		b.Write(p.key)
		b.Write(p.val)
	}
	return b.Bytes()
}

// signPayload signs payload with the EdDSA test issuer key, so that only
// its structure can be wrong.
func signPayload(t *testing.T, payload []byte) []byte {
	t.Helper()
	msg, err := sign1.Sign(nil, issuerSigner("EdDSA"), sign1.EdDSA, kidEdDSA, payload)
	require.NoError(t, err)
	return msg
}

// with returns a copy of parts with the value of key (its encoding) set.
func with(parts []part, key string, val []byte) []part {
	out := append([]part(nil), parts...)
	k := unhex(key)
	for i := range out {
		if bytes.Equal(out[i].key, k) {
			out[i].val = val
			return out
		}
	}
	return append(out, part{key: k, val: val})
}

func without(parts []part, key string) []part {
	var out []part
	for _, p := range parts {
		if !bytes.Equal(p.key, unhex(key)) {
			out = append(out, p)
		}
	}
	return out
}

func value(parts []part, key string) []byte {
	for _, p := range parts {
		if bytes.Equal(p.key, unhex(key)) {
			return p.val
		}
	}
	panic("no key " + key)
}

func TestStrictDecodingBaseline(t *testing.T) {
	s, err := credential.Parse(signPayload(t, assemble(validParts(t))))
	require.NoError(t, err, "the hand-assembled payload is valid")
	_, err = s.Verify(issuerPublic("EdDSA"))
	require.NoError(t, err)
}

// TestStrictDecoding signs hand-built malformed payloads with the test
// issuer key and expects Parse to refuse each with ErrMalformed.
func TestStrictDecoding(t *testing.T) {
	parts := validParts(t)
	iat := value(parts, "06")
	require.Equal(t, byte(0x1a), iat[0], "iat is a 4-byte integer")
	iss := value(parts, "01")
	status := value(parts, "21")
	require.Equal(t, byte(0x82), status[0])
	claims := value(parts, "22")
	require.Equal(t, byte(0xa2), claims[0], "KAI claims: {1: NIK, 2: name}")
	cnf := value(parts, "08")
	nik, name := claims[1:11], claims[11:]
	require.Equal(t, []byte{0x01, 0x1b}, nik[:2], "NIK: 9-byte unsigned integer")
	require.Equal(t, byte(0x02), name[0], "name follows")

	swapped := append([]part(nil), parts...)
	swapped[1], swapped[2] = swapped[2], swapped[1]
	dup := append([]part{parts[0]}, parts...)
	nested := strings.Repeat("81", limits.MaxNesting+1) + "00"

	tests := []struct {
		name    string
		payload []byte
	}{
		{"duplicate map key", assemble(dup)},
		{"duplicate claim key", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("02 6178")...)...)))},
		{"indefinite-length map", append(append([]byte{0xbf}, assemble(parts)[1:]...), 0xff)},
		{"indefinite-length claims map", assemble(with(parts, "22", append(append([]byte{0xbf}, claims[1:]...), 0xff)))},
		{"indefinite-length array", assemble(with(parts, "21", append(append([]byte{0x9f}, status[1:]...), 0xff)))},
		{"indefinite-length string", assemble(with(parts, "01", append(append([]byte{0x7f}, iss...), 0xff)))},
		{"non-shortest iat (0x1b + 8 bytes)", assemble(with(parts, "06", append(unhex("1b 00000000"), iat[1:]...)))},
		{"non-shortest profile", assemble(with(parts, "20", unhex("1803")))},
		{"non-shortest map length", append(unhex("b8 07"), assemble(parts)[1:]...)},
		{"unsorted map keys", assemble(swapped)},
		{"unknown claim key", assemble(with(parts, "1863", unhex("00")))},
		{"unknown KTP claim key", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("11 f5")...)...)))},
		{"unknown cnf key member", assemble(with(parts, "08", append(unhex("a2"), append(cnf[1:], unhex("02 00")...)...)))},
		{"CBOR tag inside the payload", assemble(with(parts, "06", append(unhex("c1"), iat...)))},
		{"tagged date", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("04 c1 1a 012ee641")...)...)))},
		{"nesting deeper than MaxNesting", assemble(with(parts, "1863", unhex(nested)))},
		{"huge declared byte string", assemble(with(parts, "1863", unhex("5b ffffffffffffff00")))},
		{"huge declared array", assemble(with(parts, "21", unhex("9b 00ffffffffffffff 01 02")))},
		{"huge declared map", append(unhex("bb 00ffffffffffffff"), assemble(parts)[1:]...)},
		{"truncated", assemble(parts)[:20]},
		{"trailing bytes in the payload", append(assemble(parts), 0x00)},
		{"payload not a map", unhex("80")},
		{"empty payload", []byte{}},
		{"cnf key not on the curve (x >= p)", assemble(with(parts, "08", unhex("a1 01 a4 01 02 20 01 21 5820 "+strings.Repeat("ff", 32)+" 22 f5")))},
		{"cnf key x not on the curve", assemble(with(parts, "08", unhex("a1 01 a4 01 02 20 01 21 5820 "+strings.Repeat("00", 31)+"03 22 f4")))},
		{"cnf x too short", assemble(with(parts, "08", unhex("a1 01 a4 01 02 20 01 21 581f "+strings.Repeat("11", 31)+" 22 f4")))},
		{"cnf key on P-384", assemble(with(parts, "08", unhex("a1 01 a4 01 02 20 02 21 5820 "+strings.Repeat("11", 32)+" 22 f4")))},
		{"cnf missing", assemble(without(parts, "08"))},
		{"iat = exp", assemble(with(parts, "04", iat))},
		{"iat after exp", assemble(with(parts, "04", unhex("1a 00000001")))},
		{"iat zero", assemble(with(parts, "06", unhex("00")))},
		{"negative iat", assemble(with(parts, "06", unhex("20")))},
		{"unknown profile", assemble(with(parts, "20", unhex("09")))},
		{"profile zero", assemble(with(parts, "20", unhex("00")))},
		{"no claims map", assemble(without(parts, "22"))},
		{"claims map null", assemble(with(parts, "22", unhex("f6")))},
		{"issuer id missing", assemble(without(parts, "01"))},
		{"issuer id too long", assemble(with(parts, "01", append(unhex("7821"), bytes.Repeat([]byte("a"), 33)...)))},
		{"issuer id not UTF-8", assemble(with(parts, "01", unhex("62 c328")))},
		{"status not an array", assemble(with(parts, "21", unhex("01")))},
		{"NIK as text", assemble(with(parts, "22", append(unhex("a2 01 70"), append([]byte("3171011708850003"), name...)...)))},
		{"NIK as a small integer", assemble(with(parts, "22", append(unhex("a2 01 01"), name...)))},
		{"NIK zero", assemble(with(parts, "22", append(unhex("a2 01 00"), name...)))},
		{"NIK negative", assemble(with(parts, "22", append(append(unhex("a2 01 3b"), nik[2:]...), name...)))},
		{"NIK of 17 digits", assemble(with(parts, "22", append(unhex("a2 01 1b 002386f26fc10000"), name...)))},
		{"NIK with serial 0000", assemble(with(parts, "22", append(unhex("a2 01 1b 000b4404b27c0f50"), name...)))},
		{"NIK as a bignum", assemble(with(parts, "22", append(append(unhex("a2 01 c2 48"), nik[2:]...), name...)))},
		{"explicit zero sex", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("05 00")...)...)))},
		{"sex as text", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], append(unhex("05 66"), "female"...)...)...)))},
		{"sex negative", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("05 20")...)...)))},
		{"sex over 255", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("05 19 0100")...)...)))},
		{"empty address map", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("07 a0")...)...)))},
		{"explicit RT 0", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("07 a2 01 61 41 02 00")...)...)))},
		{"unknown address key", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("07 a1 08 61 41")...)...)))},
		{"validity false", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("0d f4")...)...)))},
		{"validity 0", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("0d 00")...)...)))},
		{"validity as text", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], append(unhex("0d 6c"), "SEUMUR HIDUP"...)...)...)))},
		{"validity 31 Feb", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("0d 1a 0134b057")...)...)))},
		{"validity non-shortest date", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("0d 1b 000000000135c356")...)...)))},
		{"date 99999999", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("04 1a 05f5e0ff")...)...)))},
		{"date 1799-12-31", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("04 1a 0112863f")...)...)))},
		{"date as text", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], append(unhex("04 6a"), "1985-08-17"...)...)...)))},
		{"over_17 as 1", assemble(with(parts, "22", unhex("a1 10 01")))},
		{"issuer id with a colon", assemble(with(parts, "01", append(unhex("66"), "urn:31"...)))},
		{"issuer id empty", assemble(with(parts, "01", unhex("60")))},
		{"status of three", assemble(with(parts, "21", unhex("83 01 02 03")))},
		{"status index over 32 bits", assemble(with(parts, "21", unhex("82 01 1b 0000000100000000")))},
		{"profile over 255", assemble(with(parts, "20", unhex("19 0100")))},
		{"zero birth date on the wire", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("04 00")...)...)))},
		{"invalid birth date 31 Feb", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("04 1a 0134b057")...)...)))},
		{"empty name", assemble(with(parts, "22", append(bytes.Clone(claims[:11]), unhex("02 60")...)))},
		{"validity null", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("0d f6")...)...)))},
		{"birth date null", assemble(with(parts, "22", append(unhex("a3"), append(claims[1:], unhex("04 f6")...)...)))},
		{"over_17 null", assemble(with(parts, "22", unhex("a1 10 f6")))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := credential.Parse(signPayload(t, tc.payload))
			assert.ErrorIs(t, err, credential.ErrMalformed, "payload %x", tc.payload)
		})
	}
}

// TestStrictDates puts impossible dates, as canonical integers, under each
// date claim: every one is refused.
func TestStrictDates(t *testing.T) {
	parts := validParts(t)
	claims := value(parts, "22")
	for _, n := range []uint64{20230231, 20230229, 19001329, 20231300, 20230100, 99999999, 17991231, 100000000, 1, 1<<64 - 1} {
		enc, err := codec.Marshal(n)
		require.NoError(t, err)
		for _, key := range []byte{0x04, 0x0d, 0x0f} { // birth date, validity, issue date
			withDate := append(append(unhex("a3"), claims[1:]...), append([]byte{key}, enc...)...)
			_, err := credential.Parse(signPayload(t, assemble(with(parts, "22", withDate))))
			assert.ErrorIs(t, err, credential.ErrMalformed, "key %d date %d", key, n)
		}
	}
}

// TestStrictMessage covers what is wrong outside the payload.
func TestStrictMessage(t *testing.T) {
	good := signPayload(t, assemble(validParts(t)))
	noKid, err := sign1.Sign(nil, issuerSigner("EdDSA"), sign1.EdDSA, nil, assemble(validParts(t)))
	require.NoError(t, err)
	longKid, err := sign1.Sign(nil, issuerSigner("EdDSA"), sign1.EdDSA, bytes.Repeat([]byte("k"), 33), assemble(validParts(t)))
	require.NoError(t, err)
	over := append(bytes.Clone(good), make([]byte, limits.MaxMessage)...)
	tests := []struct {
		name string
		data []byte
		err  error
	}{
		{"empty input", nil, credential.ErrMalformed},
		{"trailing bytes after the COSE array", append(bytes.Clone(good), 0x00), credential.ErrMalformed},
		{"input over limits.MaxMessage", over, credential.ErrMalformed},
		{"truncated", good[:len(good)-1], credential.ErrMalformed},
		{"no kid", noKid, credential.ErrMalformed},
		{"kid over 32 bytes", longKid, credential.ErrMalformed},
		{"COSE_Sign1 inside a bstr", append(unhex("59"), append([]byte{byte(len(good) >> 8), byte(len(good))}, good...)...), credential.ErrMalformed},
		{"no alg", coseWithProtected(t, unhex("a1 04 48")), credential.ErrMalformed},
		{"alg 0", coseWithProtected(t, unhex("a2 01 00 04 48")), credential.ErrMalformed},
		{"alg as text", coseWithProtected(t, unhex("a2 01 65 4553323536 04 48")), credential.ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := credential.Parse(tc.data)
			assert.ErrorIs(t, err, tc.err)
			assert.Nil(t, s)
		})
	}
}

// TestParseAcceptsAnyAlg checks that Parse leaves the algorithm to Verify:
// a protected alg other than ES256 and EdDSA parses, shows in
// UnverifiedAlgorithm, and fails Verify with every key.
func TestParseAcceptsAnyAlg(t *testing.T) {
	for _, tc := range []struct {
		name   string
		prefix string
		alg    keys.Algorithm
	}{
		{"ES384", "a2 01 3822 04 48", -35},
		{"HMAC 256/256", "a2 01 05 04 48", 5},
		{"none-like 1000", "a2 01 1903e8 04 48", 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := credential.Parse(coseWithProtected(t, unhex(tc.prefix)))
			require.NoError(t, err)
			assert.Equal(t, tc.alg, s.UnverifiedAlgorithm())
			for _, alg := range algs {
				_, err = s.Verify(issuerPublic(alg))
				assert.Equal(t, credential.ErrBadSignature, err)
			}
		})
	}
}

// coseWithProtected builds a COSE_Sign1 with the protected header prefix
// followed by the 8-byte EdDSA kid, a valid payload and a dummy signature.
func coseWithProtected(t *testing.T, prefix []byte) []byte {
	t.Helper()
	protected := append(bytes.Clone(prefix), kidEdDSA...)
	payload := assemble(validParts(t))
	msg, err := cbor.Marshal([]any{protected, map[int]any{}, payload, bytes.Repeat([]byte{1}, 64)})
	require.NoError(t, err)
	return append([]byte{0xd2}, msg...)
}
