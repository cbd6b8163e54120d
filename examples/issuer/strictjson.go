package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// maxJSONDepth is the deepest nesting of any JSON the issuer reads: a
// KK member inside the members array inside the record inside a row.
const maxJSONDepth = 8

// strictJSON checks JSON input (a batch row, a person record, a
// state.json) before encoding/json decodes it, and refuses what
// encoding/json would accept silently:
//
//   - text that is not UTF-8, and strings with U+FFFD (what encoding/json
//     makes of a lone surrogate escape such as "\ud800"): it would be
//     signed into a credential as a replacement character;
//   - member names that are not lower-case ASCII (encoding/json matches
//     "KIND" and "\u212aind", with a Kelvin sign, to the member kind);
//   - a member name twice in one object (encoding/json keeps the last);
//   - nesting deeper than maxJSONDepth.
func strictJSON(data []byte) error {
	if !utf8.Valid(data) {
		return errors.New("not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		object bool
		names  map[string]bool
		key    bool // the next token of an object is a member name
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if len(stack) > 0 {
				return io.ErrUnexpectedEOF
			}
			return nil
		}
		if err != nil {
			return err
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.key {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].key = true
				}
				continue
			}
			name := tok.(string) // a member name is a string
			if !lowerName(name) {
				return fmt.Errorf("member name %q is not lower-case ASCII", truncateText(name))
			}
			if top.names[name] {
				return fmt.Errorf("member %q given twice", name)
			}
			top.names[name] = true
			top.key = false
			continue
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if len(stack) >= maxJSONDepth {
					return fmt.Errorf("nested deeper than %d levels", maxJSONDepth)
				}
				stack = append(stack, &frame{object: t == '{', names: map[string]bool{}, key: t == '{'})
				continue
			default: // ']'
				stack = stack[:len(stack)-1]
			}
		case string:
			if strings.ContainsRune(t, utf8.RuneError) {
				return fmt.Errorf("string %q holds U+FFFD (a lone surrogate escape?)", truncateText(t))
			}
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].key = true // a value ended: a name or } follows
		}
	}
}

// lowerName reports whether s is a member name the issuer's JSON uses:
// lower-case ASCII letters, digits and '_'.
func lowerName(s string) bool {
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

// checkText refuses a CSV cell that is not UTF-8 or holds U+FFFD: the
// cell would be signed into a credential with replacement characters.
func checkText(column, s string) error {
	if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
		return fmt.Errorf("column %s is not valid UTF-8 text", column)
	}
	return nil
}
