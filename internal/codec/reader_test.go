package codec_test

import (
	"encoding/hex"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/limits"
)

// readWhole reads data as one item with Skip and checks nothing follows.
func readWhole(data []byte) ([]byte, error) {
	r := codec.NewReader(data)
	raw, err := r.Skip()
	if err != nil {
		return nil, err
	}
	return raw, r.Done()
}

func repeatHex(s string, n int) string { return strings.Repeat(s, n) }

// TestReaderRejects lists, rule by rule, input the Reader refuses, with the
// sentinel its error wraps. Each case is also refused by the reference the
// fuzz target holds the Reader to (decode strictly, re-encode, compare).
func TestReaderRejects(t *testing.T) {
	mapPairs := func(n int) string {
		s := ""
		for i := range n {
			s += hex.EncodeToString([]byte{0x18, byte(i + 24), 0x00})
		}
		return s
	}
	tests := []struct {
		name string
		hex  string
		want error
	}{
		{"empty", "", codec.ErrMalformed},
		{"truncated 1-byte argument", "18", codec.ErrMalformed},
		{"truncated 2-byte argument", "1901", codec.ErrMalformed},
		{"truncated 4-byte argument", "1a000001", codec.ErrMalformed},
		{"truncated 8-byte argument", "1b00000001", codec.ErrMalformed},
		{"truncated byte string", "4201", codec.ErrMalformed},
		{"truncated text string", "6361", codec.ErrMalformed},
		{"truncated array", "8201", codec.ErrMalformed},
		{"truncated map", "a101", codec.ErrMalformed},

		{"non-shortest integer, 1 byte", "1817", codec.ErrNotCanonical},
		{"non-shortest integer, 2 bytes", "1900ff", codec.ErrNotCanonical},
		{"non-shortest integer, 4 bytes", "1a0000ffff", codec.ErrNotCanonical},
		{"non-shortest integer, 8 bytes", "1b00000000ffffffff", codec.ErrNotCanonical},
		{"non-shortest negative integer", "3817", codec.ErrNotCanonical},
		{"non-shortest byte string length", "580100", codec.ErrNotCanonical},
		{"non-shortest text string length", "780161", codec.ErrNotCanonical},
		{"non-shortest array count", "980100", codec.ErrNotCanonical},
		{"non-shortest map count", "b8010100", codec.ErrNotCanonical},
		{"non-shortest head inside a map", "a1011817", codec.ErrNotCanonical},

		{"indefinite byte string", "5f4101ff", codec.ErrMalformed},
		{"indefinite text string", "7f6178ff", codec.ErrMalformed},
		{"indefinite array", "9f01ff", codec.ErrMalformed},
		{"indefinite map", "bf0101ff", codec.ErrMalformed},
		{"break outside indefinite", "ff", codec.ErrMalformed},
		{"indefinite integer", "1f", codec.ErrMalformed},
		{"reserved additional info 28", "1c", codec.ErrMalformed},
		{"reserved additional info 29", "3d", codec.ErrMalformed},
		{"reserved additional info 30", "5e", codec.ErrMalformed},
		{"reserved additional info in major 7", "fc", codec.ErrMalformed},

		{"tag 0", "c060", codec.ErrMalformed},
		{"tag 18", "d28440a041004101", codec.ErrMalformed},
		{"tag 24", "d8184100", codec.ErrMalformed},
		{"bignum tag", "c24101", codec.ErrMalformed},
		{"self-describe tag", "d9d9f700", codec.ErrMalformed},
		{"tag inside an array", "81c100", codec.ErrMalformed},

		{"half float", "f93e00", codec.ErrMalformed},
		{"single float", "fa3fc00000", codec.ErrMalformed},
		{"double float", "fb3ff8000000000000", codec.ErrMalformed},
		{"undefined", "f7", codec.ErrMalformed},
		{"simple value 0", "e0", codec.ErrMalformed},
		{"simple value 19", "f3", codec.ErrMalformed},
		{"simple value 32", "f820", codec.ErrMalformed},

		{"integer 2^63", "1b8000000000000000", codec.ErrMalformed},
		{"integer -2^63-1", "3b8000000000000000", codec.ErrMalformed},
		{"integer -2^64", "3bffffffffffffffff", codec.ErrMalformed},

		{"invalid UTF-8", "62c328", codec.ErrMalformed},
		{"overlong UTF-8", "62c0af", codec.ErrMalformed},
		{"UTF-8 surrogate", "63eda080", codec.ErrMalformed},
		{"invalid UTF-8 key", "a162c32800", codec.ErrMalformed},

		{"unsorted integer keys", "a2020001 00", codec.ErrNotCanonical},
		{"text key before integer key", "a2616100 0100", codec.ErrNotCanonical},
		{"length-first order (RFC 7049)", "a2200018 1800", codec.ErrNotCanonical},
		{"unsorted text keys", "a2616200 616100", codec.ErrNotCanonical},
		{"unsorted keys in a nested map", "81a2020001 00", codec.ErrNotCanonical},
		{"duplicate integer key", "a2010001 00", codec.ErrMalformed},
		{"duplicate text key", "a2616100 616100", codec.ErrMalformed},
		{"byte string key", "a1410000", codec.ErrMalformed},
		{"array key", "a18000", codec.ErrMalformed},
		{"map key", "a1a000", codec.ErrMalformed},
		{"bool key", "a1f500", codec.ErrMalformed},
		{"null key", "a1f600", codec.ErrMalformed},

		{"nesting over MaxNesting", repeatHex("81", limits.MaxNesting+1) + "00", codec.ErrMalformed},
		{"empty array over MaxNesting", repeatHex("81", limits.MaxNesting) + "80", codec.ErrMalformed},
		{"maps nested over MaxNesting", repeatHex("a101", limits.MaxNesting+1) + "00", codec.ErrMalformed},
		{"array over MaxArrayElements", "9841" + repeatHex("00", limits.MaxArrayElements+1), codec.ErrMalformed},
		{"map over MaxMapPairs", "b841" + mapPairs(limits.MaxMapPairs+1), codec.ErrMalformed},
		{"huge declared byte string", "5bffffffffffffffff", codec.ErrMalformed},
		{"huge declared text string", "7b7fffffffffffffff", codec.ErrMalformed},
		{"huge declared array", "9bffffffffffffffff", codec.ErrMalformed},
		{"huge declared map", "bbffffffffffffffff", codec.ErrMalformed},
		{"byte string longer than the input", "5a0001000000", codec.ErrMalformed},

		{"trailing bytes", "0000", codec.ErrMalformed},
		{"trailing bytes after an array", "8000", codec.ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := mustHex(stripSpaces(tc.hex))
			_, err := readWhole(data)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			_, ok := decodeProfile(data)
			assert.False(t, ok, "the reference accepts it")
		})
	}
}

// TestReaderAccepts lists canonical input at the edges of the profile.
func TestReaderAccepts(t *testing.T) {
	mapPairs := ""
	for i := range limits.MaxMapPairs {
		mapPairs += hex.EncodeToString([]byte{0x18, byte(i + 24), 0x00})
	}
	tests := []struct{ name, hex string }{
		{"zero", "00"},
		{"largest 1-byte integer", "17"},
		{"smallest 2-byte integer", "1818"},
		{"int64 max", "1b7fffffffffffffff"},
		{"int64 min", "3b7fffffffffffffff"},
		{"false true null", "83f4f5f6"},
		{"empty strings and containers", "844060 80a0"},
		{"UTF-8 text", "63e282ac"},
		{"keys in bytewise order", "a5 0100 1818 00 20 00 6161 00 626161 00"},
		{"nesting at MaxNesting", repeatHex("81", limits.MaxNesting-1) + "80"},
		{"maps nested at MaxNesting", repeatHex("a101", limits.MaxNesting-1) + "a0"},
		{"array at MaxArrayElements", "9840" + repeatHex("00", limits.MaxArrayElements)},
		{"map at MaxMapPairs", "b840" + mapPairs},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := mustHex(stripSpaces(tc.hex))
			raw, err := readWhole(data)
			require.NoError(t, err)
			assert.Equal(t, data, raw)
			_, ok := decodeProfile(data)
			assert.True(t, ok, "the reference refuses it")
		})
	}
}

func TestReaderTyped(t *testing.T) {
	// A COSE_Key {1: 2, -1: 1, -2: h'0102', -3: true} in an array with a
	// text string and null.
	data := mustHex(stripSpaces("83" + "a4 0102 2001 21420102 22f5" + "6378797a" + "f6"))
	values := map[int64]int64{1: 2, -1: 1}
	r := codec.NewReader(data)
	assert.Equal(t, codec.KindArray, r.Peek())
	n, err := r.Array()
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	assert.Equal(t, codec.KindMap, r.Peek())
	pairs, err := r.Map()
	require.NoError(t, err)
	require.Equal(t, 4, pairs)
	for _, want := range []int64{1, -1, -2, -3} {
		assert.Equal(t, codec.KindInt, r.Peek())
		k, err := r.Int()
		require.NoError(t, err)
		assert.Equal(t, want, k)
		switch k {
		case 1, -1:
			v, err := r.Int()
			require.NoError(t, err)
			assert.Equal(t, values[k], v)
		case -2:
			assert.Equal(t, codec.KindBytes, r.Peek())
			b, err := r.Bytes()
			require.NoError(t, err)
			assert.Equal(t, []byte{1, 2}, b)
			assert.Same(t, &data[8], &b[0], "a sub-slice of the input")
			assert.Equal(t, len(b), cap(b), "capacity cut to the length")
		case -3:
			assert.Equal(t, codec.KindBool, r.Peek())
			v, err := r.Bool()
			require.NoError(t, err)
			assert.True(t, v)
		}
	}
	assert.Equal(t, codec.KindText, r.Peek())
	s, err := r.Text()
	require.NoError(t, err)
	assert.Equal(t, "xyz", string(s))
	assert.ErrorIs(t, r.Done(), codec.ErrMalformed, "not read to its end")
	assert.Equal(t, codec.KindNull, r.Peek())
	require.NoError(t, r.Null())
	assert.Equal(t, len(data), r.Offset())
	require.NoError(t, r.Done())

	assert.Equal(t, codec.KindInvalid, r.Peek(), "at the end")
	_, err = r.Int()
	assert.ErrorIs(t, err, codec.ErrMalformed, "past the end")
}

func TestReaderTypeMismatchIsSticky(t *testing.T) {
	r := codec.NewReader(mustHex("82410001"))
	_, err := r.Array()
	require.NoError(t, err)
	_, err = r.Int()
	require.ErrorIs(t, err, codec.ErrMalformed, "a byte string is not an integer")
	assert.Equal(t, codec.KindInvalid, r.Peek())
	_, err2 := r.Bytes()
	assert.Equal(t, err, err2, "the first error again")
	_, err2 = r.Skip()
	assert.Equal(t, err, err2)
	assert.Equal(t, err, r.Done())

	for _, tc := range []struct {
		name, hex string
		read      func(r *codec.Reader) error
	}{
		{"Int on text", "6161", func(r *codec.Reader) error { _, err := r.Int(); return err }},
		{"Bytes on text", "6161", func(r *codec.Reader) error { _, err := r.Bytes(); return err }},
		{"Text on bytes", "4161", func(r *codec.Reader) error { _, err := r.Text(); return err }},
		{"Bool on null", "f6", func(r *codec.Reader) error { _, err := r.Bool(); return err }},
		{"Null on false", "f4", func(r *codec.Reader) error { return r.Null() }},
		{"Array on map", "a0", func(r *codec.Reader) error { _, err := r.Array(); return err }},
		{"Map on array", "80", func(r *codec.Reader) error { _, err := r.Map(); return err }},
		{"MapAnyOrder on array", "80", func(r *codec.Reader) error { _, err := r.MapAnyOrder(); return err }},
		{"Int out of range", "1b8000000000000000", func(r *codec.Reader) error { _, err := r.Int(); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.ErrorIs(t, tc.read(codec.NewReader(mustHex(tc.hex))), codec.ErrMalformed)
		})
	}
}

func TestReaderInt(t *testing.T) {
	for _, tc := range []struct {
		hex  string
		want int64
	}{
		{"00", 0}, {"17", 23}, {"1818", 24}, {"18ff", 255}, {"190100", 256}, {"1a00010000", 65536},
		{"1b0000000100000000", 1 << 32}, {"1b7fffffffffffffff", math.MaxInt64},
		{"20", -1}, {"37", -24}, {"3818", -25}, {"3b7fffffffffffffff", math.MinInt64},
	} {
		v, err := codec.NewReader(mustHex(tc.hex)).Int()
		require.NoError(t, err, tc.hex)
		assert.Equal(t, tc.want, v, tc.hex)
	}
}

func TestReaderMapAnyOrder(t *testing.T) {
	read := func(data []byte) error {
		r := codec.NewReader(data)
		n, err := r.MapAnyOrder()
		if err != nil {
			return err
		}
		for range 2 * n {
			if _, err := r.Skip(); err != nil {
				return err
			}
		}
		return r.Done()
	}
	for _, tc := range []struct {
		name string
		hex  string
		want error // nil: accepted
	}{
		{"sorted", "a2 0126 04416b", nil},
		{"unsorted", "a2 04416b 0127", nil},
		{"length-first order (RFC 7049)", "a3 2000 6161 00 1818 00", nil},
		{"text before integer", "a2 616100 0100", nil},
		{"duplicate", "a2 0126 0127", codec.ErrMalformed},
		{"duplicate after another key", "a3 0126 04416b 0127", codec.ErrMalformed},
		{"duplicate text", "a2 616100 616101", codec.ErrMalformed},
		{"byte string key", "a2 0126 416b00", codec.ErrMalformed},
		{"non-shortest key", "a2 0126 180400", codec.ErrNotCanonical},
		{"nested map still sorted", "a1 01 a2 0200 0100", codec.ErrNotCanonical},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := read(mustHex(stripSpaces(tc.hex)))
			if tc.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

func TestKindString(t *testing.T) {
	assert.Equal(t, "bytes", codec.KindBytes.String())
	assert.Equal(t, "invalid", codec.KindInvalid.String())
	assert.Equal(t, "Kind(12)", codec.Kind(12).String())
}

// TestReaderAllocatesNothing reads a credential-sized payload whole and
// refuses bad input, without allocating.
func TestReaderAllocatesNothing(t *testing.T) {
	payload, err := codec.Marshal(map[int]any{
		1: "3171", 4: 1953165600, 6: 1795399200,
		8:  map[int]any{1: map[int]any{1: 2, -1: 1, -2: make([]byte, 32), -3: true}},
		-1: 1, -2: []int{7, 123456},
		-3: map[int]any{1: 3171011708850003, 2: "BUDI SANTOSO", 7: map[int]any{1: "JL. MERDEKA", 2: 5}, 13: true},
	})
	require.NoError(t, err)
	bad := append(append([]byte{}, payload[:len(payload)-1]...), 0xf9) // a float where the last value was
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := readWhole(payload); err != nil {
			t.Fatal(err)
		}
		if _, err := readWhole(bad); err == nil {
			t.Fatal("accepted")
		}
		r := codec.NewReader(payload)
		n, _ := r.Map()
		for range n {
			if _, err := r.Int(); err != nil {
				t.Fatal(err)
			}
			if _, err := r.Skip(); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.Done(); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}
