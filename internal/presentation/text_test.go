package presentation

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/base45"
	"github.com/ikdgo/ikd/internal/limits"
)

// base45Alphabet45 is the base45 (and QR alphanumeric) alphabet.
const base45Alphabet45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

func TestEncodeDecode(t *testing.T) {
	pres, _, _ := manKAI(t)
	tests := []struct {
		name string
		data []byte
	}{
		{"presentation", pres},
		{"one_byte", []byte{0}},
		{"two_bytes", []byte{0xff, 0xff}},
		{"ietf", []byte("ietf!")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := Encode(tt.data)
			assert.True(t, strings.HasPrefix(text, Prefix))
			for _, r := range text {
				assert.True(t, strings.ContainsRune(base45Alphabet45, r), "QR alphanumeric only: %q", r)
			}
			got, err := Decode(text)
			require.NoError(t, err)
			assert.Equal(t, tt.data, got)
		})
	}
	assert.Equal(t, "IKD1:QED8WEX0", Encode([]byte("ietf!")))
}

func TestDecodeErrors(t *testing.T) {
	pres, _, _ := manKAI(t)
	text := Encode(pres)
	body := strings.TrimPrefix(text, Prefix)
	mod1 := body // a body whose length is 1 mod 3 is never base45
	for len(mod1)%3 != 1 {
		mod1 += "0"
	}
	tests := []struct {
		name string
		text string
		err  error
	}{
		{"empty_text", "", ErrNotIKD},
		{"empty_body", Prefix, ErrEncoding},
		{"version_2", "IKD2:" + body, ErrVersion},
		{"version_10", "IKD10:" + body, ErrVersion},
		{"version_0", "IKD0:BB8", ErrVersion},
		{"health_certificate", "HC1:6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N IOP-IA%NFQGRJPC%OQHIZC4.OI1RM8ZA.A5:S9MKN4NN3F85QNCY0O%0VZ001HOC9JU0D0HT0HB2PL/IB*09B9LW4T*8+DCMH0LDK2%K:XFE70*LP$V25$0Q:J:4MO1P0%0L0HD+9E/HY+4J6TH48S%4K.GJ2PT3QY:GQ3TE2I+-CPHN6D7LLK*Y0ZOJCYU4+O9YH7RGAT0MZ0J%0R9KO PCNBPZ2D2L1JM", ErrNotIKD},
		{"url", "https://ikd.dukcapil.kemendagri.go.id/?q=" + body, ErrNotIKD},
		{"lowercase_prefix", "ikd1:" + body, ErrNotIKD},
		{"no_colon", "IKD1" + body, ErrNotIKD},
		{"ikd_letters_version", "IKDX:" + body, ErrNotIKD},
		{"version_without_body", "IKD2:", ErrNotIKD},
		{"leading_space", " " + text, ErrNotIKD},
		{"boarding_pass", "M1SANTOSO/BUDI         EABC123 CGKDPSGA 0402 327Y012A0001 100", ErrNotIKD},
		{"lowercase_base45", Prefix + strings.ToLower(body), ErrEncoding},
		{"lowercase_vector", Prefix + "qed8wex0", ErrEncoding},
		{"body_length_mod_3_is_1", Prefix + mod1, ErrEncoding},
		{"trailing_newline", text + "\n", ErrEncoding},
		{"byte_mode_character", Prefix + "BB8#", ErrEncoding},
		{"triplet_overflow", Prefix + "GGW", ErrEncoding},
		{"over_max_text", Prefix + strings.Repeat("0", limits.MaxText-len(Prefix)+1), ErrTooLong},
		{"over_max_text_garbage", strings.Repeat("x", limits.MaxText+1), ErrTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := Decode(tt.text)
			assert.ErrorIs(t, err, tt.err)
			assert.Nil(t, data)
		})
	}
	t.Run("base45_cause_is_wrapped", func(t *testing.T) {
		causes := []struct {
			body  string
			cause error
		}{
			{"GGW", base45.ErrOverflow},
			{"ABCD", base45.ErrInvalidLength},
			{"qed8wex0", base45.ErrInvalidCharacter},
		}
		for _, c := range causes {
			_, err := Decode(Prefix + c.body)
			assert.ErrorIs(t, err, ErrEncoding, c.body)
			assert.ErrorIs(t, err, c.cause, c.body)
		}
	})
	t.Run("at_max_text_is_not_too_long", func(t *testing.T) {
		s := Prefix + strings.Repeat("0", limits.MaxText-len(Prefix))
		_, err := Decode(s)
		assert.NotErrorIs(t, err, ErrTooLong)
	})
}

// base45Vectors are the public base45 vectors of internal/base45.
type base45Vectors struct {
	Valid []struct {
		BytesHex string `json:"bytes_hex"`
		Encoded  string `json:"encoded"`
	} `json:"valid"`
	Invalid []struct {
		Encoded string `json:"encoded"`
		Reason  string `json:"reason"`
	} `json:"invalid"`
}

func loadBase45Vectors(t testing.TB) base45Vectors {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "base45", "testdata", "base45_vectors.json"))
	require.NoError(t, err)
	var v base45Vectors
	require.NoError(t, json.Unmarshal(raw, &v))
	require.NotEmpty(t, v.Valid)
	require.NotEmpty(t, v.Invalid)
	return v
}

// TestDecodeBase45Vectors runs the RFC 9285 vectors behind the prefix: the
// valid ones decode to their bytes (and are not presentations), the
// invalid ones are ErrEncoding.
func TestDecodeBase45Vectors(t *testing.T) {
	v := loadBase45Vectors(t)
	for _, c := range v.Valid {
		t.Run("valid/"+c.Encoded, func(t *testing.T) {
			want, err := hex.DecodeString(c.BytesHex)
			require.NoError(t, err)
			got, err := Decode(Prefix + c.Encoded)
			if c.Encoded == "" {
				// An empty body is never a presentation.
				assert.ErrorIs(t, err, ErrEncoding)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, want, got)
			assert.Equal(t, Prefix+c.Encoded, Encode(got))
			_, err = Parse(got)
			assert.ErrorIs(t, err, ErrMalformed)
		})
	}
	for _, c := range v.Invalid {
		t.Run("invalid/"+c.Reason, func(t *testing.T) {
			got, err := Decode(Prefix + c.Encoded)
			assert.ErrorIs(t, err, ErrEncoding)
			assert.Nil(t, got)
		})
	}
}

// TestTamperedText substitutes every other alphabet character at a sample of
// positions of a real presentation's text. No tampered text may pass every
// check: Decode, ParsePresentation or VerifyDevice must fail.
func TestTamperedText(t *testing.T) {
	pres, _, _ := manKAI(t)
	text := Encode(pres)
	var positions []int
	for i := 0; i < len(text); i += 7 {
		positions = append(positions, i)
	}
	// The prefix, the COSE header, the payload start and the signature end.
	positions = append(positions, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, len(text)-3, len(text)-2, len(text)-1)

	var rejectedAt [3]int // decode, parse, verify
	for _, i := range positions {
		for _, c := range []byte(base45Alphabet45 + "aIKD") {
			if c == text[i] {
				continue
			}
			bad := text[:i] + string(c) + text[i+1:]
			data, err := Decode(bad)
			if err != nil {
				rejectedAt[0]++
				continue
			}
			p, err := Parse(data)
			if err != nil {
				require.ErrorIs(t, err, ErrMalformed)
				rejectedAt[1]++
				continue
			}
			if err := p.VerifyDevice(); err != nil {
				require.ErrorIs(t, err, ErrDeviceSignature)
				rejectedAt[2]++
				continue
			}
			t.Fatalf("substituting %q at %d was accepted: %q", c, i, bad)
		}
	}
	t.Logf("%d positions: rejected by Decode %d, ParsePresentation %d, VerifyDevice %d",
		len(positions), rejectedAt[0], rejectedAt[1], rejectedAt[2])
	assert.Positive(t, rejectedAt[2], "some substitutions must reach the signature check")
}
