package presentation

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ikdgo/ikd/internal/base45"
	"github.com/ikdgo/ikd/internal/limits"
)

// Prefix is the start of every ikd QR text: "IKD" and the wire format
// version, then a colon. Everything after it is base45 (RFC 9285), so the
// whole text uses the QR alphanumeric alphabet and the code stays small.
const Prefix = "IKD1:"

var (
	// ErrNotIKD reports text that is not an ikd QR code at all (a boarding
	// pass, a URL, a payment code).
	ErrNotIKD = errors.New("qr: not an ikd code")
	// ErrVersion reports an ikd code of a wire format version this library
	// does not read (for example "IKD2:" from a newer wallet).
	ErrVersion = errors.New("qr: unsupported ikd code version")
	// ErrTooLong reports text over limits.MaxText characters, refused before
	// any decoding.
	ErrTooLong = errors.New("qr: text too long")
	// ErrEncoding reports text whose body is not valid base45; errors.Is
	// also finds the base45 package's own error.
	ErrEncoding = errors.New("qr: invalid base45")
)

// Encode returns the QR text of presentation bytes: [Prefix] + base45.
func Encode(presentation []byte) string {
	return Prefix + base45.Encode(presentation)
}

// Decode returns the presentation bytes of a QR text. It returns an error
// wrapping [ErrTooLong] for text over limits.MaxText bytes, [ErrNotIKD]
// when the text does not start with "IKD", [ErrVersion] for another
// version's prefix, and [ErrEncoding] for invalid base45. It checks only
// the text form: [Parse] checks the bytes.
func Decode(text string) ([]byte, error) {
	if len(text) > limits.MaxText {
		return nil, fmt.Errorf("%w: %d > %d", ErrTooLong, len(text), limits.MaxText)
	}
	body, ok := strings.CutPrefix(text, Prefix)
	if !ok {
		if v, rest, found := strings.Cut(text, ":"); found && strings.HasPrefix(v, "IKD") && len(v) > 3 && len(v) <= 8 && rest != "" && isDigits(v[3:]) {
			return nil, fmt.Errorf("%w: %q", ErrVersion, v)
		}
		return nil, ErrNotIKD
	}
	if body == "" {
		return nil, fmt.Errorf("%w: empty", ErrEncoding)
	}
	data, err := base45.Decode(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrEncoding, err)
	}
	return data, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
