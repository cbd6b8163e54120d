// Package codec holds the one CBOR encoding mode and the strict decoding mode
// that every ikd wire format uses (credentials, presentations, status lists).
//
// Encoding is Core Deterministic CBOR (RFC 8949 §4.2.1): shortest integer
// forms, definite lengths, map keys sorted bytewise. Decoding is strict: it
// rejects duplicate map keys, indefinite lengths, tags, nesting deeper than
// [limits.MaxNesting], arrays and maps larger than the limits, invalid UTF-8
// and trailing bytes. Decoders that also need canonical input compare the
// re-encoding with the input (see [Canonical]).
//
// [Reader] checks the same rules, and canonical form, in one pass without
// allocating, for the decoders on a scanner's hot path (COSE_Sign1 in
// internal/sign1). It hands out sub-slices of its input instead of copies.
package codec

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/fxamacker/cbor/v2"

	"github.com/ikdgo/ikd/internal/limits"
)

var (
	encMode cbor.EncMode
	decMode cbor.DecMode
)

// ErrNotCanonical reports CBOR that decodes but is not in Core Deterministic
// form (for example a non-shortest integer or unsorted map keys).
var ErrNotCanonical = errors.New("cbor: not in core deterministic encoding")

// ErrTooLarge reports an input over [limits.MaxMessage].
var ErrTooLarge = errors.New("cbor: input too large")

func init() {
	var err error
	encMode, err = cbor.EncOptions{
		Sort:          cbor.SortCoreDeterministic,
		IndefLength:   cbor.IndefLengthForbidden,
		ShortestFloat: cbor.ShortestFloat16,
		NaNConvert:    cbor.NaNConvert7e00,
		InfConvert:    cbor.InfConvertFloat16,
		Time:          cbor.TimeUnix,
		TagsMd:        cbor.TagsForbidden,
	}.EncMode()
	if err != nil {
		panic(err) // options are constants: a failure is a programming error
	}
	decMode, err = cbor.DecOptions{
		DupMapKey:         cbor.DupMapKeyEnforcedAPF,
		IndefLength:       cbor.IndefLengthForbidden,
		TagsMd:            cbor.TagsForbidden,
		MaxNestedLevels:   limits.MaxNesting,
		MaxArrayElements:  limits.MaxArrayElements,
		MaxMapPairs:       limits.MaxMapPairs,
		IntDec:            cbor.IntDecConvertSignedOrFail,
		UTF8:              cbor.UTF8RejectInvalid,
		ExtraReturnErrors: cbor.ExtraDecErrorUnknownField,
		// Text keys name struct fields exactly: the default falls back
		// to a case-insensitive match, which took "LST" for "lst" and
		// gave one message a second encoding.
		FieldNameMatching: cbor.FieldNameMatchingCaseSensitive,
		DefaultMapType:    nil,
	}.DecMode()
	if err != nil {
		panic(err)
	}
}

// Marshal encodes v as Core Deterministic CBOR.
func Marshal(v any) ([]byte, error) {
	return encMode.Marshal(v)
}

// Unmarshal strictly decodes data into v. It returns an error for input over
// [limits.MaxMessage] bytes, trailing bytes, and anything the strict mode
// rejects. Unknown fields in a struct are errors, so a message cannot smuggle
// claims that the receiver would silently drop.
func Unmarshal(data []byte, v any) error {
	if len(data) > limits.MaxMessage {
		return fmt.Errorf("%w: %d > %d bytes", ErrTooLarge, len(data), limits.MaxMessage)
	}
	return decMode.Unmarshal(data, v)
}

// UnmarshalLarge is [Unmarshal] with a caller-chosen size cap, for documents
// that are not QR payloads (status lists).
func UnmarshalLarge(data []byte, max int, v any) error {
	if len(data) > max {
		return fmt.Errorf("%w: %d > %d bytes", ErrTooLarge, len(data), max)
	}
	return decMode.Unmarshal(data, v)
}

// Canonical decodes data into v strictly and then checks that encoding v
// again gives data byte for byte. It returns [ErrNotCanonical] when it does
// not. This catches non-shortest integers, unsorted keys, and any field the
// Go type would drop or normalise.
func Canonical(data []byte, v any) error {
	if err := Unmarshal(data, v); err != nil {
		return err
	}
	again, err := encMode.Marshal(v)
	if err != nil {
		return err
	}
	if !bytes.Equal(again, data) {
		return ErrNotCanonical
	}
	return nil
}

// Wellformed checks that data is one well-formed CBOR item within the
// limits, with nothing after it.
func Wellformed(data []byte) error {
	if len(data) > limits.MaxMessage {
		return fmt.Errorf("%w: %d > %d bytes", ErrTooLarge, len(data), limits.MaxMessage)
	}
	return decMode.Wellformed(data)
}
