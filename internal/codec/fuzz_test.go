package codec_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/limits"
)

// FuzzCanonical checks that the strict decoder never panics and that input
// Canonical accepts encodes back to itself, byte for byte.
func FuzzCanonical(f *testing.F) {
	for _, s := range []string{"a201010261 78", "a2011801026178", "bf0101ff", "5bffffffffffffffff", "818181818181818100", "f93e00", "d28440a041004101"} {
		f.Add(mustHex(stripSpaces(s)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if err := codec.Canonical(data, &v); err != nil {
			return
		}
		again, err := codec.Marshal(v)
		if err != nil {
			t.Fatalf("accepted input does not re-encode: %v", err)
		}
		if !bytes.Equal(again, data) {
			t.Fatalf("re-encoding %x differs from accepted input %x", again, data)
		}
		if err := codec.Wellformed(data); err != nil {
			t.Fatalf("Canonical accepted what Wellformed refuses: %v", err)
		}
	})
}

// FuzzReader holds the Reader to the decoder it replaces on the hot path.
// For any input of at most limits.MaxMessage bytes:
//
//   - Reader.Skip followed by Reader.Done accepts it exactly when
//     codec.Unmarshal into an any accepts it, the value holds only the types
//     of ikd's profile (int64, []byte, string, bool, nil, []any, and
//     map[any]any with int64 or string keys), and codec.Marshal of the value
//     gives the input back byte for byte;
//   - Skip then returns the whole input, and a typed walk (Peek, then the
//     method for the kind) accepts the same inputs and yields the value
//     codec.Unmarshal yields;
//   - a walk that reads every map with MapAnyOrder accepts at least those
//     inputs, yields the decoder's value for everything it accepts (so the
//     decoder, which refuses duplicate keys, accepts it too), and what it
//     accepts is canonical exactly when the strict Reader accepts it;
//   - every error wraps exactly one of ErrMalformed and ErrNotCanonical.
func FuzzReader(f *testing.F) {
	for _, s := range readerSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > limits.MaxMessage {
			return // the callers' size check, not the Reader's
		}
		want, wantOK := decodeProfile(data)

		r := codec.NewReader(data)
		raw, err := r.Skip()
		if err == nil {
			err = r.Done()
		}
		checkReaderError(t, err)
		if (err == nil) != wantOK {
			t.Fatalf("Reader: %v; decode and re-encode accepts: %v (input %x)", err, wantOK, data)
		}
		if err == nil && !bytes.Equal(raw, data) {
			t.Fatalf("Skip returned %x of %x", raw, data)
		}

		got, werr := walkAll(data, false)
		checkReaderError(t, werr)
		if (werr == nil) != (err == nil) {
			t.Fatalf("typed walk: %v; Skip: %v (input %x)", werr, err, data)
		}
		if werr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("typed walk read %#v, decoder %#v (input %x)", got, want, data)
		}

		loose, lerr := walkAll(data, true)
		checkReaderError(t, lerr)
		if wantOK && lerr != nil {
			t.Fatalf("MapAnyOrder refuses canonical input: %v (input %x)", lerr, data)
		}
		if lerr != nil {
			return
		}
		var v any
		if err := codec.Unmarshal(data, &v); err != nil || !inProfile(v) {
			t.Fatalf("MapAnyOrder accepts what the decoder refuses (%v) (input %x)", err, data)
		}
		if !reflect.DeepEqual(loose, v) {
			t.Fatalf("MapAnyOrder walk read %#v, decoder %#v (input %x)", loose, v, data)
		}
		again, err := codec.Marshal(v)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		if bytes.Equal(again, data) != wantOK {
			t.Fatalf("MapAnyOrder accepts canonical %x that the strict Reader does not (or the reverse)", data)
		}
	})
}

// decodeProfile is the reference the Reader is held to: codec's strict
// decoder, restricted to ikd's types, and canonical by re-encoding.
func decodeProfile(data []byte) (any, bool) {
	var v any
	if err := codec.Unmarshal(data, &v); err != nil || !inProfile(v) {
		return nil, false
	}
	again, err := codec.Marshal(v)
	if err != nil || !bytes.Equal(again, data) {
		return nil, false
	}
	return v, true
}

// inProfile reports whether v, decoded into an any, holds only the types
// ikd uses. It refuses, among others, float64 (floats), big.Int (negative
// integers below int64), cbor.SimpleValue and []byte map keys
// (cbor.ByteString).
func inProfile(v any) bool {
	switch v := v.(type) {
	case nil, bool, int64, []byte, string:
		return true
	case []any:
		for _, e := range v {
			if !inProfile(e) {
				return false
			}
		}
		return true
	case map[any]any:
		for k, e := range v {
			switch k.(type) {
			case int64, string:
			default:
				return false
			}
			if !inProfile(e) {
				return false
			}
		}
		return true
	}
	return false
}

func checkReaderError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if errors.Is(err, codec.ErrMalformed) == errors.Is(err, codec.ErrNotCanonical) {
		t.Fatalf("error %v wraps neither or both of ErrMalformed and ErrNotCanonical", err)
	}
}

// walkAll reads data with the typed methods, as a decoder built on the
// Reader would, into the values codec.Unmarshal gives an any.
func walkAll(data []byte, anyOrder bool) (any, error) {
	r := codec.NewReader(data)
	v, err := walk(r, anyOrder)
	if err != nil {
		return nil, err
	}
	return v, r.Done()
}

func walk(r *codec.Reader, anyOrder bool) (any, error) {
	switch r.Peek() {
	case codec.KindInt:
		return r.Int()
	case codec.KindBytes:
		b, err := r.Bytes()
		if err == nil && cap(b) != len(b) {
			return nil, errors.New("sub-slice capacity not cut to its length")
		}
		return b, err
	case codec.KindText:
		s, err := r.Text()
		return string(s), err
	case codec.KindBool:
		return r.Bool()
	case codec.KindNull:
		return nil, r.Null()
	case codec.KindArray:
		n, err := r.Array()
		if err != nil {
			return nil, err
		}
		a := make([]any, 0, n)
		for range n {
			e, err := walk(r, anyOrder)
			if err != nil {
				return nil, err
			}
			a = append(a, e)
		}
		return a, nil
	case codec.KindMap:
		read := r.Map
		if anyOrder {
			read = r.MapAnyOrder
		}
		n, err := read()
		if err != nil {
			return nil, err
		}
		m := make(map[any]any, n)
		for range n {
			k, err := walk(r, anyOrder)
			if err != nil {
				return nil, err
			}
			e, err := walk(r, anyOrder)
			if err != nil {
				return nil, err
			}
			m[k] = e
		}
		return m, nil
	}
	// Peek saw nothing in the profile: reading must fail too.
	if _, err := r.Skip(); err != nil {
		return nil, err
	}
	return nil, errors.New("Peek returned KindInvalid for an item Skip reads")
}

// readerSeeds returns real ikd messages (the credential golden vectors,
// the COSE WG examples sign1 runs, and their protected headers and
// payloads), values encoded with codec.Marshal at and over the limits, and
// hand-made input for each rule.
func readerSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	addMessage := func(b []byte) {
		seeds = append(seeds, b)
		if len(b) > 0 && b[0] == 0xd2 {
			b = b[1:]
			seeds = append(seeds, b)
		}
		var m struct {
			_           struct{} `cbor:",toarray"`
			Protected   []byte
			Unprotected any
			Payload     []byte
			Signature   []byte
		}
		if codec.Unmarshal(b, &m) == nil {
			seeds = append(seeds, m.Protected, m.Payload)
		}
	}
	golden, _ := filepath.Glob(filepath.Join("..", "..", "credential", "testdata", "golden", "*.hex"))
	for _, file := range golden {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		if b, err := hex.DecodeString(string(bytes.TrimSpace(data))); err == nil {
			addMessage(b)
		}
	}
	examples, _ := filepath.Glob(filepath.Join("..", "sign1", "testdata", "cose-wg", "*", "*.json"))
	for _, file := range examples {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var ex struct {
			Output struct {
				CBOR string `json:"cbor"`
			} `json:"output"`
		}
		if json.Unmarshal(data, &ex) == nil {
			if b, err := hex.DecodeString(ex.Output.CBOR); err == nil {
				addMessage(b)
			}
		}
	}

	nested := func(n int) any {
		var v any = int64(0)
		for range n {
			v = []any{v}
		}
		return v
	}
	pairs := func(n int) map[int]int {
		m := make(map[int]int, n)
		for i := range n {
			m[i-n/2] = i
		}
		return m
	}
	coseKey := map[int]any{1: 2, -1: 1, -2: bytes.Repeat([]byte{0x0e}, 32), -3: bytes.Repeat([]byte{0xa6}, 32)}
	for _, v := range []any{
		coseKey,
		[]any{[]byte{0xa1, 0x01, 0x26}, map[int]any{}, []byte("payload"), bytes.Repeat([]byte{1}, 64)},
		map[string]any{"bits": 2, "lst": []byte{0x78, 0x9c}, "idx": 0, "uri": "https://example.com/status/1"},
		map[any]any{1: "a", "a": 1, -1: nil, 24: true, -25: false},
		[]any{int64(math.MaxInt64), int64(math.MinInt64), 0, -1, 23, 24, 255, 256, 65535, 65536, 1 << 32},
		"Jl. Merdeka Selatan — Gambir, 日本",
		[]any{}, map[int]any{}, []byte{}, "",
		nested(limits.MaxNesting - 1),
		make([]int, limits.MaxArrayElements),
		pairs(limits.MaxMapPairs),
		[]byte(strings.Repeat("x", 300)),
	} {
		b, err := codec.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}

	for _, s := range []string{
		"", "00", "0000", "ff", "f7", "f6", "f4f5", "e0", "f820", "f93e00", "fa3fc00000", "fb3ff8000000000000",
		"1817", "190017", "1a0000ffff", "1b00000000ffffffff", "5801", "9801", "b801", "7801", // non-shortest
		"1c", "5c", "9c", "bc", "3f", "1f", // reserved, indefinite int
		"5f4101ff", "7f6178ff", "9f01ff", "bf0101ff", "ff00", // indefinite, break
		"c11a00000000", "d28440a041004101", "d818 4100", "c24101", "d9d9f700", // tags
		"a2020101 00", "a2010101 00", "a2616101 0100", "a2200018 1800", "a1410001", "a1800001", "a1f600", "a1f500", // keys
		"1b8000000000000000", "3b7fffffffffffffff", "3b8000000000000000", "3bffffffffffffffff", // int64 range
		"62c328", "a162c32800", "63e282", // UTF-8
		"5bffffffffffffffff", "9bffffffffffffffff", "bbffffffffffffffff", "5a00010000", "9a00010000", // huge claims
		"8181818181818181818100", "818181818181818100", "a101a101a101a101a101a101a101a10100", // nesting
		"82", "a1", "a101", "4201", // truncated
	} {
		seeds = append(seeds, mustHex(stripSpaces(s)))
	}
	return seeds
}
