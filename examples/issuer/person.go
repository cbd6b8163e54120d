package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ikdgo/ikd/credential"
)

// PersonError lists every problem with a person record: JSON members that
// do not decode and claims that do not validate.
type PersonError struct {
	// Problems are the problems in the order found: decoding first, then
	// validation. Each wraps credential.ErrInvalidValue,
	// credential.ErrMissingClaim or credential.ErrNIKMismatch.
	Problems []credential.Problem
}

// Error lists the problems, one per line.
func (e *PersonError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "person record has %d problem(s):", len(e.Problems))
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  - %s", p.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so that errors.Is finds their kinds.
func (e *PersonError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// decodePerson reads a person record and reports every problem at once:
// the members that do not decode (credential.KTP's JSON decoding lists them
// all) and then the claims that do not validate as a full KTP.
func decodePerson(data []byte) (*credential.KTP, error) {
	if err := strictJSON(data); err != nil {
		return nil, &PersonError{Problems: []credential.Problem{
			{Err: fmt.Errorf("%w: not JSON as the issuer reads it: %w", credential.ErrInvalidValue, err)},
		}}
	}
	return decodePersonJSON(data, false)
}

// decodePersonJSON is decodePerson; with valid, data is known to be one
// well-formed JSON value (a batch row's record, checked by the row's own
// decoding), and the record's decoder is called without a second syntax
// check: a batch decodes 100,000 of them.
func decodePersonJSON(data []byte, valid bool) (*credential.KTP, error) {
	var k credential.KTP
	var problems []credential.Problem
	var ve *credential.ValidationError
	var err error
	if valid {
		err = k.UnmarshalJSON(data)
	} else {
		err = json.Unmarshal(data, &k)
	}
	switch {
	case errors.As(err, &ve):
		problems = append(problems, ve.Problems...)
		var object map[string]json.RawMessage
		if json.Unmarshal(data, &object) != nil {
			return nil, &PersonError{Problems: problems} // not an object: nothing to validate
		}
		// The members that decoded are set, and are validated below.
	case err != nil:
		return nil, &PersonError{Problems: []credential.Problem{
			{Err: fmt.Errorf("%w: not JSON: %w", credential.ErrInvalidValue, err)},
		}}
	}
	bad := map[credential.Claim]bool{}
	for _, p := range problems {
		bad[p.Claim] = true
	}
	if err := k.Validate(credential.ProfileFull); errors.As(err, &ve) {
		for _, p := range ve.Problems {
			if bad[p.Claim] && errors.Is(p.Err, credential.ErrMissingClaim) {
				continue // already reported as undecodable
			}
			problems = append(problems, p)
		}
	} else if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, &PersonError{Problems: problems}
	}
	return &k, nil
}
