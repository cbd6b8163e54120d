package base45

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type vectorFile struct {
	Alphabet string `json:"alphabet"`
	Valid    []struct {
		BytesHex string `json:"bytes_hex"`
		Encoded  string `json:"encoded"`
		Source   string `json:"source"`
	} `json:"valid"`
	Invalid []struct {
		Encoded string `json:"encoded"`
		Reason  string `json:"reason"`
	} `json:"invalid"`
}

func loadVectors(t testing.TB) vectorFile {
	t.Helper()
	raw, err := os.ReadFile("testdata/base45_vectors.json")
	require.NoError(t, err)
	var v vectorFile
	require.NoError(t, json.Unmarshal(raw, &v))
	require.NotEmpty(t, v.Valid)
	require.NotEmpty(t, v.Invalid)
	return v
}

func TestVectors(t *testing.T) {
	v := loadVectors(t)
	require.Equal(t, alphabet, v.Alphabet)
	for _, c := range v.Valid {
		t.Run("valid/"+c.Encoded, func(t *testing.T) {
			want, err := hex.DecodeString(c.BytesHex)
			require.NoError(t, err)
			assert.Equal(t, c.Encoded, Encode(want))
			got, err := Decode(c.Encoded)
			require.NoError(t, err)
			assert.Equal(t, want, got)
			assert.Equal(t, len(c.Encoded), EncodedLen(len(want)))
			assert.Equal(t, len(want), DecodedLen(len(c.Encoded)))
		})
	}
	for _, c := range v.Invalid {
		t.Run("invalid/"+c.Encoded, func(t *testing.T) {
			got, err := Decode(c.Encoded)
			require.Error(t, err, c.Reason)
			assert.Nil(t, got)
			assert.True(t, errors.Is(err, ErrInvalidLength) || errors.Is(err, ErrInvalidCharacter) ||
				errors.Is(err, ErrOverflow), "untyped error %v", err)
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    error
		wantPos int64 // for CorruptInputError; -1 otherwise
	}{
		{"length_1", "0", ErrInvalidLength, -1},
		{"length_4", "ABCD", ErrInvalidLength, -1},
		{"length_4_before_bad_characters", "abcd", ErrInvalidLength, -1},
		{"triplet_overflow_GGW", "GGW", ErrOverflow, -1},
		{"triplet_overflow_after_valid_group", "BB8GGW", ErrOverflow, -1},
		{"pair_overflow", "::", ErrOverflow, -1},
		{"pair_256", pairFor(256), ErrOverflow, -1},
		{"lowercase", "aa", ErrInvalidCharacter, 0},
		{"lowercase_second", "Ab8", ErrInvalidCharacter, 1},
		{"bad_char_in_last_pair", "BB8B_", ErrInvalidCharacter, 4},
		{"nul_byte", "BB\x00", ErrInvalidCharacter, 2},
		{"high_byte", "\xff00", ErrInvalidCharacter, 0},
		{"utf8", "é0", ErrInvalidCharacter, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decode(tc.in)
			assert.Nil(t, got)
			require.ErrorIs(t, err, tc.want)
			var ce CorruptInputError
			if tc.wantPos >= 0 {
				require.True(t, errors.As(err, &ce))
				assert.Equal(t, tc.wantPos, int64(ce))
			} else {
				assert.False(t, errors.As(err, &ce))
			}
		})
	}
}

// pairFor returns the 2-character group for value v (v < 2025).
func pairFor(v int) string { return string([]byte{alphabet[v%45], alphabet[v/45]}) }

// tripletFor returns the 3-character group for value v (v < 45³).
func tripletFor(v int) string {
	return string([]byte{alphabet[v%45], alphabet[v/45%45], alphabet[v/2025]})
}

func TestGroupBoundaries(t *testing.T) {
	b, err := Decode(pairFor(255))
	require.NoError(t, err)
	assert.Equal(t, []byte{0xff}, b)
	_, err = Decode(pairFor(256))
	assert.ErrorIs(t, err, ErrOverflow)

	b, err = Decode(tripletFor(65535))
	require.NoError(t, err)
	assert.Equal(t, []byte{0xff, 0xff}, b)
	_, err = Decode(tripletFor(65536))
	assert.ErrorIs(t, err, ErrOverflow)
	_, err = Decode(tripletFor(45*45*45 - 1)) // ":::"
	assert.ErrorIs(t, err, ErrOverflow)
}

// TestCanonical checks exhaustively, for every string of 2 and 3 characters
// over the alphabet, that Decode either rejects it or accepts it and Encode
// gives it back: no two strings decode to the same bytes. Longer strings are
// concatenations of such groups.
func TestCanonical(t *testing.T) {
	seen := make(map[string]string)
	accepted := 0
	for _, n := range []int{2, 3} {
		total := 45 * 45
		if n == 3 {
			total *= 45
		}
		for v := 0; v < total; v++ {
			s := pairFor(v % 2025)
			if n == 3 {
				s = tripletFor(v)
			}
			b, err := Decode(s)
			if err != nil {
				require.ErrorIs(t, err, ErrOverflow, s)
				continue
			}
			accepted++
			require.Equal(t, s, Encode(b))
			prev, dup := seen[string(b)]
			require.False(t, dup, "%q and %q decode to the same bytes", prev, s)
			seen[string(b)] = s
		}
	}
	assert.Equal(t, 256+65536, accepted)
}

func TestEmpty(t *testing.T) {
	assert.Equal(t, "", Encode(nil))
	assert.Equal(t, "", Encode([]byte{}))
	b, err := Decode("")
	require.NoError(t, err)
	assert.NotNil(t, b)
	assert.Empty(t, b)
}

func TestLengths(t *testing.T) {
	for n := 0; n < 100; n++ {
		e := EncodedLen(n)
		assert.Equal(t, n, DecodedLen(e), "n=%d", n)
		assert.NotEqual(t, 1, e%3)
	}
	assert.Equal(t, -1, DecodedLen(1))
	assert.Equal(t, -1, DecodedLen(4))
	assert.Equal(t, -1, DecodedLen(-3))
	assert.Equal(t, 0, EncodedLen(-1))
}

func TestRoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		b := make([]byte, r.IntN(700))
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		s := Encode(b)
		require.Len(t, s, EncodedLen(len(b)))
		got, err := Decode(s)
		require.NoError(t, err)
		require.Equal(t, b, got)
	}
}

func TestDecodeAllocatesOnce(t *testing.T) {
	s := Encode(make([]byte, 500))
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := Decode(s); err != nil {
			t.Fatal(err)
		}
	})
	assert.LessOrEqual(t, allocs, 1.0)
}

func benchInput(n int) []byte {
	r := rand.New(rand.NewPCG(3, 4))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func BenchmarkEncode(b *testing.B) {
	src := benchInput(480)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		_ = Encode(src)
	}
}

func BenchmarkDecode(b *testing.B) {
	s := Encode(benchInput(480))
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(s); err != nil {
			b.Fatal(err)
		}
	}
}
