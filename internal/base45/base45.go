package base45

import (
	"errors"
	"strconv"
)

// alphabet is the RFC 9285 §4 table: value i is alphabet[i].
const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// invalid marks bytes outside the alphabet in decodeMap.
const invalid = 0xff

// decodeMap maps a character to its value, or to invalid.
var decodeMap = func() (m [256]byte) {
	for i := range m {
		m[i] = invalid
	}
	for i := 0; i < len(alphabet); i++ {
		m[alphabet[i]] = byte(i)
	}
	return m
}()

var (
	// ErrInvalidLength is returned by Decode for input whose length is 1 more
	// than a multiple of 3: no byte sequence encodes to such a string.
	ErrInvalidLength = errors.New("base45: invalid length")

	// ErrInvalidCharacter is matched (with errors.Is) by every
	// CorruptInputError: the input holds a character outside the RFC 9285
	// alphabet.
	ErrInvalidCharacter = errors.New("base45: invalid character")

	// ErrOverflow is returned (wrapped with the offset of the group) by Decode
	// when a 3-character group is above 65535 or a final 2-character group is
	// above 255, such as "GGW" or "::". RFC 9285 §4.2 requires rejecting them.
	ErrOverflow = errors.New("base45: group value out of range")
)

// CorruptInputError is the byte offset of a character outside the base45
// alphabet. errors.Is(err, ErrInvalidCharacter) is true for it.
type CorruptInputError int64

// Error implements error.
func (e CorruptInputError) Error() string {
	return "base45: invalid character at offset " + strconv.FormatInt(int64(e), 10)
}

// Is reports whether target is ErrInvalidCharacter.
func (e CorruptInputError) Is(target error) bool { return target == ErrInvalidCharacter }

// overflowError is the offset of a group whose value is out of range.
type overflowError int

func (e overflowError) Error() string {
	return "base45: group value out of range at offset " + strconv.Itoa(int(e))
}

func (e overflowError) Is(target error) bool { return target == ErrOverflow }

// EncodedLen returns the length in characters of the base45 encoding of n
// bytes. It returns 0 for n <= 0.
func EncodedLen(n int) int {
	if n <= 0 {
		return 0
	}
	return n/2*3 + n%2*2
}

// DecodedLen returns the number of bytes that n base45 characters decode to,
// or -1 if no valid input has length n (n < 0, or n mod 3 == 1).
func DecodedLen(n int) int {
	if n < 0 || n%3 == 1 {
		return -1
	}
	return n/3*2 + n%3/2
}

// Encode returns the RFC 9285 base45 encoding of src. Encode(nil) is "".
func Encode(src []byte) string {
	dst := make([]byte, EncodedLen(len(src)))
	j := 0
	for i := 0; i+1 < len(src); i += 2 {
		n := uint(src[i])<<8 | uint(src[i+1])
		dst[j] = alphabet[n%45]
		n /= 45
		dst[j+1] = alphabet[n%45]
		dst[j+2] = alphabet[n/45]
		j += 3
	}
	if len(src)%2 == 1 {
		n := uint(src[len(src)-1])
		dst[j] = alphabet[n%45]
		dst[j+1] = alphabet[n/45]
	}
	return string(dst)
}

// Decode returns the bytes that the base45 string s encodes (RFC 9285 §4.2).
// It allocates the result once, at its final size. On failure it returns nil
// and ErrInvalidLength, a CorruptInputError (which matches
// ErrInvalidCharacter) or an error matching ErrOverflow. Decode("") returns
// an empty, non-nil slice and no error.
func Decode(s string) ([]byte, error) {
	n := DecodedLen(len(s))
	if n < 0 {
		return nil, ErrInvalidLength
	}
	dst := make([]byte, n)
	j := 0
	i := 0
	for ; i+2 < len(s); i += 3 {
		c, d, e := decodeMap[s[i]], decodeMap[s[i+1]], decodeMap[s[i+2]]
		if c == invalid || d == invalid || e == invalid {
			return nil, corrupt(s, i)
		}
		v := uint(c) + uint(d)*45 + uint(e)*45*45
		if v > 0xffff {
			return nil, overflowError(i)
		}
		dst[j] = byte(v >> 8)
		dst[j+1] = byte(v)
		j += 2
	}
	if i < len(s) { // two characters left: one byte
		c, d := decodeMap[s[i]], decodeMap[s[i+1]]
		if c == invalid || d == invalid {
			return nil, corrupt(s, i)
		}
		v := uint(c) + uint(d)*45
		if v > 0xff {
			return nil, overflowError(i)
		}
		dst[j] = byte(v)
	}
	return dst, nil
}

// corrupt returns the CorruptInputError for the first invalid character of s
// at or after offset i.
func corrupt(s string, i int) error {
	for ; i < len(s); i++ {
		if decodeMap[s[i]] == invalid {
			return CorruptInputError(i)
		}
	}
	return CorruptInputError(len(s)) // not reached
}
