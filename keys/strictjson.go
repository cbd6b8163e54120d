package keys

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// maxJSONDepth is the deepest JSON nesting any ikd document needs: a JWK
// inside the keys array inside the jwks object inside the trust list
// payload is 4 levels.
const maxJSONDepth = 8

// checkJSON checks that data is exactly one JSON value with no object that
// repeats a member name, no member name that is not lower-case ASCII (see
// memberName) and no nesting deeper than maxJSONDepth.
//
// Why: encoding/json keeps the last of two members with the same name,
// other JSON parsers keep the first, and such a difference between the
// publisher's tools and a scanner is a known way to make two parties read
// different content from the same signed bytes. Refusing duplicates makes
// every document mean one thing.
func checkJSON(data []byte) error {
	if !utf8.Valid(data) {
		return errNotUTF8
	}
	if !json.Valid(data) {
		return fmt.Errorf("%w: not one valid JSON value", ErrMalformed)
	}
	return checkMembers(data)
}

// errNotUTF8 refuses JSON that is not UTF-8 (RFC 8259 §8.1). Why:
// encoding/json turns each invalid byte into U+FFFD, so "\xdf" and "\xb8"
// would be two member names to one parser and the same name to another.
var errNotUTF8 = fmt.Errorf("%w: JSON text is not valid UTF-8", ErrMalformed)

// checkMembers is checkJSON for data already known to be one valid JSON
// value: one pass over the bytes, tracking nesting and, in each object,
// the member names seen.
func checkMembers(data []byte) error {
	type frame struct {
		object bool
		names  map[string]struct{}
	}
	var stack []frame
	name := false // the next string is a member name
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '{', '[':
			if len(stack) >= maxJSONDepth {
				return fmt.Errorf("%w: JSON nested deeper than %d levels", ErrMalformed, maxJSONDepth)
			}
			stack = append(stack, frame{object: c == '{'})
			name = c == '{'
		case '}', ']':
			stack = stack[:len(stack)-1]
			name = false
		case ',':
			name = stack[len(stack)-1].object
		case '"':
			j, escaped := i+1, false
			for ; data[j] != '"'; j++ {
				if data[j] == '\\' {
					j++
					escaped = true
				}
			}
			if name {
				s := string(data[i+1 : j])
				if escaped {
					// Compare names as decoded: "a" and "\u0061" are the
					// same member.
					if err := json.Unmarshal(data[i:j+1], &s); err != nil {
						return fmt.Errorf("%w: %v", ErrMalformed, err)
					}
				}
				if !memberName(s) {
					return fmt.Errorf("%w: JSON member %q is not a lower-case ASCII name", ErrMalformed, s)
				}
				top := &stack[len(stack)-1]
				if top.names == nil {
					top.names = map[string]struct{}{}
				}
				if _, dup := top.names[s]; dup {
					return fmt.Errorf("%w: duplicate JSON member %q", ErrMalformed, s)
				}
				top.names[s] = struct{}{}
				name = false
			}
			i = j
		}
	}
	return nil
}

// decodeStrict decodes data, which must be exactly one JSON value, into v,
// refusing members that v does not have, and then checks it as checkJSON
// does.
func decodeStrict(data []byte, v any) error {
	if !utf8.Valid(data) {
		return errNotUTF8
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	// Decode has read one complete, valid value; only space may follow.
	if len(bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n")) != 0 {
		return fmt.Errorf("%w: data after the JSON value", ErrMalformed)
	}
	return checkMembers(data[:dec.InputOffset()])
}

// memberName reports whether s may be a member name: one or more of a-z,
// 0-9 and _, as every member name ikd defines is.
//
// Why: encoding/json matches member names to struct fields without regard
// to case, Unicode folding included ("SEQUENCE", "Sequence" and
// "\u017fequence", with a long s, all fill Sequence), so {"sequence": 1,
// "SEQUENCE": 77} passes the duplicate check and means 77 to Go and 1 to a
// parser that matches exactly. No other spelling of a lower-case ASCII
// name is lower-case ASCII, so with this rule a name matches a field only
// when it is exactly the field's name, for every parser (outside review,
// F6). Names checked as maps (JWK, JWS header) match exactly anyway.
func memberName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}
