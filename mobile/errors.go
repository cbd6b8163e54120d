package mobile

import (
	"errors"
	"fmt"
)

// Error codes: the CODE of "mobile: CODE: detail" (see the package
// documentation). They are unexported so that gobind emits no Java setters
// for them; apps read them from the message.
const (
	codeInvalidArgument = "invalid_argument"
	codeMalformed       = "malformed"
	codeDevice          = "device"
	codeSigner          = "signer"
	codeNoProfile       = "no_profile"
	codeTrustList       = "trust_list"
	codeRollback        = "rollback"
	codeExpired         = "expired"
)

// codedError is every error of this package.
type codedError struct {
	code string
	err  error
}

func (e *codedError) Error() string { return "mobile: " + e.code + ": " + e.err.Error() }

func (e *codedError) Unwrap() error { return e.err }

// errorf returns a codedError with code and a detail formatted as by
// fmt.Errorf (so %w wraps).
func errorf(code, format string, args ...any) error {
	return &codedError{code: code, err: fmt.Errorf(format, args...)}
}

// codeOf returns the code of err, or "" when err is not one of ours.
func codeOf(err error) string {
	var ce *codedError
	if errors.As(err, &ce) {
		return ce.code
	}
	return ""
}
