package codec_test

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/limits"
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

type small struct {
	A int64  `cbor:"1,keyasint"`
	B string `cbor:"2,keyasint,omitempty"`
}

func TestMarshalDeterministic(t *testing.T) {
	got, err := codec.Marshal(map[int]any{10: 1, 1: "a", -1: true, 100: []byte{1}})
	require.NoError(t, err)
	// Keys sorted bytewise on their encoding: 1 (01), 10 (0a), 100 (1864), -1 (20).
	assert.Equal(t, "a40161610a011864410120f5", hex.EncodeToString(got))
	got, err = codec.Marshal(uint64(23))
	require.NoError(t, err)
	assert.Equal(t, "17", hex.EncodeToString(got))
	got, err = codec.Marshal(1.5)
	require.NoError(t, err)
	assert.Equal(t, "f93e00", hex.EncodeToString(got), "shortest float")
}

func TestCanonical(t *testing.T) {
	tests := []struct {
		name string
		hex  string
		err  error // nil: accepted
	}{
		{"canonical", "a201010261 78", nil},
		{"non-shortest integer 1 byte", "a2011801026178", codec.ErrNotCanonical},
		{"non-shortest integer 8 bytes", "a2011b0000000000000001026178", codec.ErrNotCanonical},
		{"unsorted keys", "a2026178" + "0101", codec.ErrNotCanonical},
		{"non-shortest key", "a2180101026178", codec.ErrNotCanonical},
		{"non-shortest string length", "a20101027801" + "78", codec.ErrNotCanonical},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var v small
			err := codec.Canonical(mustHex(stripSpaces(tc.hex)), &v)
			if tc.err == nil {
				require.NoError(t, err)
				assert.Equal(t, small{A: 1, B: "x"}, v)
				return
			}
			assert.ErrorIs(t, err, tc.err)
		})
	}
}

func stripSpaces(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

// TestStrictDecoding lists input the strict mode refuses (with or without
// Canonical).
func TestStrictDecoding(t *testing.T) {
	nested := func(n int) string {
		s := ""
		for i := 0; i < n; i++ {
			s += "81"
		}
		return s + "00"
	}
	bigArray := "9841" // array of 65 elements
	for i := 0; i < 65; i++ {
		bigArray += "00"
	}
	bigMap := "b841"
	for i := 0; i < 65; i++ {
		bigMap += hex.EncodeToString([]byte{0x18, byte(i + 24), 0x00})
	}
	tests := []struct {
		name, hex  string
		wellformed bool // Wellformed accepts it: only the decoder refuses it
	}{
		{"empty", "", false},
		{"duplicate map key", "a2010101 01", true},
		{"indefinite map", "bf0101ff", false},
		{"indefinite array", "9f01ff", false},
		{"indefinite byte string", "5f4101ff", false},
		{"indefinite text string", "7f6178ff", false},
		{"tag", "c11a00000000", false},
		{"tag 18", "d28440a04100 4101", false},
		{"invalid UTF-8", "62c328", true},
		{"trailing bytes", "0000", false},
		{"truncated", "1b0000", false},
		{"huge declared byte string", "5bffffffffffffffff", false},
		{"huge declared array", "9bffffffffffffffff", false},
		{"huge declared map", "bbffffffffffffffff", false},
		{"array over MaxArrayElements", bigArray, false},
		{"map over MaxMapPairs", bigMap, false},
		{"nesting over MaxNesting", nested(limits.MaxNesting + 1), false},
		{"reserved additional info", "1c", false},
		{"break outside indefinite", "ff", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var v any
			data := mustHex(stripSpaces(tc.hex))
			assert.Error(t, codec.Unmarshal(data, &v))
			assert.Error(t, codec.Canonical(data, &v))
			if tc.wellformed {
				assert.NoError(t, codec.Wellformed(data), "well-formed; the decoder refuses it")
			} else {
				assert.Error(t, codec.Wellformed(data))
			}
		})
	}
	t.Run("nesting at MaxNesting is accepted", func(t *testing.T) {
		var v any
		require.NoError(t, codec.Unmarshal(mustHex(nested(limits.MaxNesting-1)), &v))
	})
}

func TestUnknownFieldRejected(t *testing.T) {
	var v small
	err := codec.Unmarshal(mustHex("a201010300"), &v)
	assert.Error(t, err)
}

func TestSizeLimits(t *testing.T) {
	over := make([]byte, limits.MaxMessage+1) // zeros: would be trailing-byte errors, but the size check comes first
	var v any
	assert.ErrorIs(t, codec.Unmarshal(over, &v), codec.ErrTooLarge)
	assert.ErrorIs(t, codec.Canonical(over, &v), codec.ErrTooLarge)
	assert.ErrorIs(t, codec.Wellformed(over), codec.ErrTooLarge)

	// A byte string exactly at the limit decodes.
	atLimit := make([]byte, limits.MaxMessage)
	n := limits.MaxMessage - 3
	atLimit[0], atLimit[1], atLimit[2] = 0x59, byte(n>>8), byte(n)
	var b []byte
	require.NoError(t, codec.Unmarshal(atLimit, &b))
	assert.Len(t, b, n)

	// UnmarshalLarge takes the caller's cap.
	assert.ErrorIs(t, codec.UnmarshalLarge(atLimit, 10, &b), codec.ErrTooLarge)
	require.NoError(t, codec.UnmarshalLarge(atLimit, limits.MaxMessage, &b))
	large := append([]byte{0x5a, 0, 0, 0x27, 0x10}, make([]byte, 10000)...)
	require.NoError(t, codec.UnmarshalLarge(large, 20000, &b))
	assert.Len(t, b, 10000)
	assert.ErrorIs(t, codec.Unmarshal(large, &b), codec.ErrTooLarge)
}
