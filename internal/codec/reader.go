package codec

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/ikdgo/ikd/internal/limits"
)

// Why a hand-written reader next to fxamacker/cbor? The hot path of a
// scanner decodes one COSE_Sign1 and a payload or two per scan. Decoding
// into Go values with reflection, then re-encoding to check canonical form,
// costs most of the allocations of a verification. The Reader checks the
// same rules in one pass over the input, allocates nothing, and hands back
// byte and text strings as sub-slices of the input. FuzzReader holds it to
// the same answers as [Unmarshal] followed by [Marshal].

// ErrMalformed reports CBOR the [Reader] refuses for a reason other than its
// canonical form: truncated or ill-formed input, a type other than the one
// asked for, or an item outside ikd's profile (tags, floats, undefined,
// other simple values, indefinite lengths, integers outside int64, invalid
// UTF-8, nesting or containers over the limits, trailing bytes).
var ErrMalformed = errors.New("cbor: malformed or outside ikd's profile")

// readError is one of the Reader's fixed errors: a message and the sentinel
// it wraps. They are allocated once, so that a refused input costs nothing
// either (a scanner pointed at hostile QR codes refuses most of them).
type readError struct {
	msg string
	err error
}

func (e *readError) Error() string { return e.msg }
func (e *readError) Unwrap() error { return e.err }

var (
	errTruncated  = &readError{"cbor: unexpected end of input", ErrMalformed}
	errReserved   = &readError{"cbor: reserved additional information", ErrMalformed}
	errIndefinite = &readError{"cbor: indefinite length", ErrMalformed}
	errTag        = &readError{"cbor: tags are not allowed", ErrMalformed}
	errFloat      = &readError{"cbor: floats are not allowed", ErrMalformed}
	errSimple     = &readError{"cbor: simple value other than false, true, null", ErrMalformed}
	errIntRange   = &readError{"cbor: integer outside int64", ErrMalformed}
	errUTF8       = &readError{"cbor: text string is not valid UTF-8", ErrMalformed}
	errNesting    = &readError{"cbor: nesting deeper than " + strconv.Itoa(limits.MaxNesting), ErrMalformed}
	errArraySize  = &readError{"cbor: array over " + strconv.Itoa(limits.MaxArrayElements) + " elements", ErrMalformed}
	errMapSize    = &readError{"cbor: map over " + strconv.Itoa(limits.MaxMapPairs) + " pairs", ErrMalformed}
	errKeyType    = &readError{"cbor: map key is not an integer or text string", ErrMalformed}
	errType       = &readError{"cbor: unexpected type", ErrMalformed}
	errPastEnd    = &readError{"cbor: read past the end of the item", ErrMalformed}
	errIncomplete = &readError{"cbor: item not read to its end", ErrMalformed}
	errTrailing   = &readError{"cbor: trailing bytes", ErrMalformed}
	errDuplicate  = &readError{"cbor: duplicate map key", ErrMalformed}
	errShortest   = &readError{"cbor: integer, length or count not in shortest form", ErrNotCanonical}
	errKeyOrder   = &readError{"cbor: map keys not in bytewise order", ErrNotCanonical}
)

// Kind is the type of a CBOR item in ikd's profile. The zero value,
// KindInvalid, stands for everything else, for ill-formed input and for the
// end of the input.
type Kind uint8

// The kinds of item ikd's profile has.
const (
	KindInvalid Kind = iota
	KindInt          // major types 0 and 1, within int64
	KindBytes        // major type 2
	KindText         // major type 3
	KindArray        // major type 4
	KindMap          // major type 5
	KindBool         // false, true
	KindNull         // null
)

var kindNames = [...]string{"invalid", "int", "bytes", "text", "array", "map", "bool", "null"}

// String returns the kind's name, or Kind(n) for an unknown value.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Reader reads the single CBOR item in a byte slice, one data item at a
// time, and refuses anything that is not Core Deterministic Encoding (RFC
// 8949 §4.2.1) or is outside ikd's profile:
//
//   - heads in shortest form, definite lengths only;
//   - integers within int64, byte strings, UTF-8 text strings, arrays, maps,
//     false, true and null; no tags, floats, undefined or other simple values
//     (a caller that allows tag 18 in front of a COSE_Sign1 strips it first);
//   - map keys that are integers or text strings, strictly increasing in the
//     bytewise order of their encodings, which also refuses duplicates
//     ([Reader.MapAnyOrder] is the one relaxation);
//   - at most [limits.MaxNesting] arrays and maps inside each other, arrays
//     of at most [limits.MaxArrayElements] elements and maps of at most
//     [limits.MaxMapPairs] pairs.
//
// These are the rules of [Unmarshal] followed by the check that [Marshal]
// gives the input back (see FuzzReader). The Reader does not cap the input
// size: callers check it against [limits.MaxMessage] or their own cap first.
//
// The caller reads items in order with the method for the type it expects
// ([Reader.Int], [Reader.Bytes], [Reader.Text], [Reader.Bool],
// [Reader.Null], [Reader.Array], [Reader.Map]), or [Reader.Peek]s at the
// type first, and [Reader.Skip]s what it does not need. After [Reader.Array]
// or [Reader.Map] it reads the elements, or the keys and values in turn;
// the Reader keeps count, so that reading past the end of the item is an
// error and [Reader.Done] tells whether the item was read whole with
// nothing after it.
//
// Errors are sticky: after the first one every method returns it again.
// Every error wraps [ErrNotCanonical] for a head not in shortest form or
// map keys out of order, and [ErrMalformed] for everything else (a
// duplicate key too, as for [Unmarshal]). The Reader allocates nothing, on
// success or failure.
//
// Byte and text strings are returned as sub-slices of the input, not
// copies, with their capacity cut to their length so that appending to one
// cannot overwrite the input after it. The caller must not modify the
// input while it uses them. A Reader is not safe for concurrent use.
type Reader struct {
	b     []byte
	off   int
	err   error
	depth int  // open arrays and maps
	done  bool // the top-level item has been read whole
	stack [limits.MaxNesting]frame
}

// frame is an open array or map.
type frame struct {
	left     int  // items still to read; a map's keys and values count apart
	first    int  // offset of a map's first key
	prev     int  // offset of the previous key of a map
	prevEnd  int  // end of the previous key; 0 before the first key
	isMap    bool // keys and values alternate, starting with a key
	anyOrder bool // keys need not be sorted, only distinct
}

// NewReader returns a Reader for the single CBOR item in b. b is not
// copied; see [Reader] for what that means to the caller.
func NewReader(b []byte) *Reader {
	return &Reader{b: b}
}

// Offset returns how many bytes of the input have been read.
func (r *Reader) Offset() int {
	return r.off
}

// Done returns nil when the top-level item has been read whole and nothing
// follows it. It returns the Reader's error if it has one, otherwise an
// error wrapping [ErrMalformed] for an item not read to its end or for
// trailing bytes.
func (r *Reader) Done() error {
	switch {
	case r.err != nil:
		return r.err
	case !r.done:
		return errIncomplete
	case r.off != len(r.b):
		return errTrailing
	}
	return nil
}

// Peek returns the kind of the next item without reading it: KindInvalid
// when the Reader has an error, is at the end of the item, or the next
// head is ill-formed, not canonical or outside the profile. Peek does not
// check what comes after the head (a string's content, an array's
// elements), nor whether the item may stand where it is (a map key must be
// an integer or a text string): the read does.
func (r *Reader) Peek() Kind {
	if r.err != nil || r.done {
		return KindInvalid
	}
	major, arg, _, err := head(r.b, r.off)
	if err != nil {
		return KindInvalid
	}
	switch major {
	case 0, 1:
		if arg > math.MaxInt64 {
			return KindInvalid
		}
		return KindInt
	case 2:
		return KindBytes
	case 3:
		return KindText
	case 4:
		return KindArray
	case 5:
		return KindMap
	}
	if arg == simpleNull {
		return KindNull
	}
	return KindBool // head lets no other major type 7 through
}

// Int reads an integer (major type 0 or 1) within int64.
func (r *Reader) Int() (int64, error) {
	it, ok := r.begin()
	if !ok {
		return 0, r.err
	}
	if it.major > 1 {
		return 0, r.fail(errType)
	}
	if it.arg > math.MaxInt64 {
		return 0, r.fail(errIntRange)
	}
	v := int64(it.arg)
	if it.major == 1 {
		v = -1 - v
	}
	if !r.finish(it) {
		return 0, r.err
	}
	return v, nil
}

// Bytes reads a byte string and returns its content, a sub-slice of the
// input (empty, not nil, for h”).
func (r *Reader) Bytes() ([]byte, error) {
	return r.str(2)
}

// Text reads a UTF-8 text string and returns its content, a sub-slice of
// the input. Compare it with string(b) == "..." (which does not allocate)
// or convert it when it must outlive the input.
func (r *Reader) Text() ([]byte, error) {
	return r.str(3)
}

// Bool reads false or true.
func (r *Reader) Bool() (bool, error) {
	it, ok := r.begin()
	if !ok {
		return false, r.err
	}
	if it.major != 7 || it.arg == simpleNull {
		return false, r.fail(errType)
	}
	if !r.finish(it) {
		return false, r.err
	}
	return it.arg == simpleTrue, nil
}

// Null reads null. Use [Reader.Peek] to tell a null from another item
// before reading it.
func (r *Reader) Null() error {
	it, ok := r.begin()
	if !ok {
		return r.err
	}
	if it.major != 7 || it.arg != simpleNull {
		return r.fail(errType)
	}
	if !r.finish(it) {
		return r.err
	}
	return nil
}

// Array reads the head of an array and returns its number of elements, at
// most [limits.MaxArrayElements]. The caller then reads that many items.
func (r *Reader) Array() (int, error) {
	it, ok := r.begin()
	if !ok {
		return 0, r.err
	}
	if it.major != 4 {
		return 0, r.fail(errType)
	}
	if !r.open(it.arg, false, false) {
		return 0, r.err
	}
	return int(it.arg), nil
}

// Map reads the head of a map and returns its number of pairs, at most
// [limits.MaxMapPairs]. The caller then reads that many keys and values in
// turn. Each key must be an integer or a text string and sort strictly
// after the key before it (bytewise on their encodings); the read of a key
// that does not returns an error wrapping [ErrNotCanonical].
func (r *Reader) Map() (int, error) {
	return r.openMap(false)
}

// MapAnyOrder is [Reader.Map] for a map whose keys may come in any order;
// they must still be integers or text strings, and distinct. It relaxes
// this one map only: maps inside it are held to the usual order. It exists
// for COSE header maps, whose bytes are signed as received and which other
// COSE implementations may sort otherwise (RFC 7049 §3.9 sorts shorter
// keys first). Reading a key compares it with every earlier key of the map,
// so a map costs O(pairs × size) to read, bounded by the limits.
func (r *Reader) MapAnyOrder() (int, error) {
	return r.openMap(true)
}

// Skip reads one whole item, of any kind the profile has, checking all of
// it, and returns its encoding: a sub-slice of the input.
func (r *Reader) Skip() ([]byte, error) {
	if r.err != nil {
		return nil, r.err
	}
	start, depth := r.off, r.depth
	for first := true; first || r.depth > depth; first = false {
		if !r.step() {
			return nil, r.err
		}
	}
	return r.b[start:r.off:r.off], nil
}

// step reads one head and, for strings, the content: the step of Skip.
func (r *Reader) step() bool {
	it, ok := r.begin()
	if !ok {
		return false
	}
	switch it.major {
	case 0, 1:
		if it.arg > math.MaxInt64 {
			return r.stop(errIntRange)
		}
	case 2, 3:
		if _, ok := r.content(it.major, it.arg); !ok {
			return false
		}
	case 4:
		return r.open(it.arg, false, false)
	case 5:
		return r.open(it.arg, true, false)
	}
	return r.finish(it)
}

func (r *Reader) str(want byte) ([]byte, error) {
	it, ok := r.begin()
	if !ok {
		return nil, r.err
	}
	if it.major != want {
		return nil, r.fail(errType)
	}
	s, ok := r.content(it.major, it.arg)
	if !ok || !r.finish(it) {
		return nil, r.err
	}
	return s, nil
}

// content reads the n bytes of a byte or text string.
func (r *Reader) content(major byte, n uint64) ([]byte, bool) {
	if n > uint64(len(r.b)-r.off) {
		return nil, r.stop(errTruncated)
	}
	end := r.off + int(n)
	s := r.b[r.off:end:end]
	if major == 3 && !utf8.Valid(s) {
		return nil, r.stop(errUTF8)
	}
	r.off = end
	return s, true
}

func (r *Reader) openMap(anyOrder bool) (int, error) {
	it, ok := r.begin()
	if !ok {
		return 0, r.err
	}
	if it.major != 5 {
		return 0, r.fail(errType)
	}
	if !r.open(it.arg, true, anyOrder) {
		return 0, r.err
	}
	return int(it.arg), nil
}

// fail records err as the Reader's error and returns it.
func (r *Reader) fail(err error) error {
	r.err = err
	return err
}

// stop records err as the Reader's error and returns false.
func (r *Reader) stop(err error) bool {
	r.err = err
	return false
}

// begin reads the head of the next item and checks that an item of its
// major type may stand here: not after the end, and not as a map key
// unless it is an integer or a text string.
func (r *Reader) begin() (it item, ok bool) {
	if r.err != nil {
		return item{}, false
	}
	if r.done {
		r.err = errPastEnd
		return item{}, false
	}
	major, arg, next, err := head(r.b, r.off)
	if err != nil {
		r.err = err
		return item{}, false
	}
	it = item{start: r.off, major: major, arg: arg, key: r.atKey()}
	if it.key && major > 1 && major != 3 {
		r.err = errKeyType
		return item{}, false
	}
	r.off = next
	return it, true
}

// item is the head of the item being read.
type item struct {
	start int    // offset of the head
	arg   uint64 // the head's argument
	major byte   // major type
	key   bool   // the item is a map key
}

// atKey reports whether the next item is a map key.
func (r *Reader) atKey() bool {
	if r.depth == 0 {
		return false
	}
	f := &r.stack[r.depth-1]
	return f.isMap && f.left&1 == 0
}

// open pushes an array or map of n elements or pairs.
func (r *Reader) open(n uint64, isMap, anyOrder bool) bool {
	if r.depth == limits.MaxNesting {
		return r.stop(errNesting)
	}
	if isMap && n > limits.MaxMapPairs {
		return r.stop(errMapSize)
	}
	if !isMap && n > limits.MaxArrayElements {
		return r.stop(errArraySize)
	}
	if n == 0 {
		r.complete()
		return true
	}
	left := int(n)
	if isMap {
		left *= 2
	}
	r.stack[r.depth] = frame{left: left, first: r.off, isMap: isMap, anyOrder: anyOrder}
	r.depth++
	return true
}

// finish ends a scalar item: it checks a map key's order, then counts the
// item.
func (r *Reader) finish(it item) bool {
	if it.key {
		f := &r.stack[r.depth-1]
		start := it.start
		key := r.b[start:r.off]
		if f.anyOrder {
			for p := f.first; p < start; {
				end := skipValid(r.b, p)
				if bytes.Equal(r.b[p:end], key) {
					return r.stop(errDuplicate)
				}
				p = skipValid(r.b, end)
			}
		} else if f.prevEnd != 0 {
			switch c := bytes.Compare(r.b[f.prev:f.prevEnd], key); {
			case c == 0:
				return r.stop(errDuplicate)
			case c > 0:
				return r.stop(errKeyOrder)
			}
		}
		f.prev, f.prevEnd = start, r.off
	}
	r.complete()
	return true
}

// complete counts one whole item in the containers it ends.
func (r *Reader) complete() {
	for r.depth > 0 {
		f := &r.stack[r.depth-1]
		f.left--
		if f.left > 0 {
			return
		}
		r.depth--
	}
	r.done = true
}

// skipValid returns the end of the item at off in b, which the Reader has
// already checked.
func skipValid(b []byte, off int) int {
	for n := 1; n > 0; n-- {
		major, arg, next, _ := head(b, off)
		off = next
		switch major {
		case 2, 3:
			off += int(arg)
		case 4:
			n += int(arg)
		case 5:
			n += 2 * int(arg)
		}
	}
	return off
}

// Simple values (major type 7) in the profile.
const (
	simpleFalse = 20
	simpleTrue  = 21
	simpleNull  = 22
)

// head parses the head at off: major type, argument, and the offset after
// it. It refuses heads that are not in shortest form, indefinite lengths,
// reserved values, tags, and major type 7 except false, true and null
// (whose argument is their simple value).
func head(b []byte, off int) (major byte, arg uint64, next int, err error) {
	if off >= len(b) {
		return 0, 0, 0, errTruncated
	}
	major, ai := b[off]>>5, b[off]&0x1f
	switch major {
	case 6:
		return 0, 0, 0, errTag
	case 7:
		switch ai {
		case simpleFalse, simpleTrue, simpleNull:
			return major, uint64(ai), off + 1, nil
		case 25, 26, 27:
			return 0, 0, 0, errFloat
		case 28, 29, 30:
			return 0, 0, 0, errReserved
		case 31:
			return 0, 0, 0, errIndefinite // a break with nothing to end
		}
		return 0, 0, 0, errSimple // undefined and every other simple value
	}
	rest := b[off+1:]
	switch {
	case ai < 24:
		return major, uint64(ai), off + 1, nil
	case ai == 24:
		if len(rest) < 1 {
			return 0, 0, 0, errTruncated
		}
		arg = uint64(rest[0])
		if arg < 24 {
			return 0, 0, 0, errShortest
		}
		return major, arg, off + 2, nil
	case ai == 25:
		if len(rest) < 2 {
			return 0, 0, 0, errTruncated
		}
		arg = uint64(binary.BigEndian.Uint16(rest))
		if arg <= math.MaxUint8 {
			return 0, 0, 0, errShortest
		}
		return major, arg, off + 3, nil
	case ai == 26:
		if len(rest) < 4 {
			return 0, 0, 0, errTruncated
		}
		arg = uint64(binary.BigEndian.Uint32(rest))
		if arg <= math.MaxUint16 {
			return 0, 0, 0, errShortest
		}
		return major, arg, off + 5, nil
	case ai == 27:
		if len(rest) < 8 {
			return 0, 0, 0, errTruncated
		}
		arg = binary.BigEndian.Uint64(rest)
		if arg <= math.MaxUint32 {
			return 0, 0, 0, errShortest
		}
		return major, arg, off + 9, nil
	case ai == 31 && major >= 2:
		return 0, 0, 0, errIndefinite
	}
	return 0, 0, 0, errReserved
}
