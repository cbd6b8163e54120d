package mobile

import (
	"strings"

	"github.com/ikdgo/ikd/credential"
)

// Claim is one disclosed claim, ready to show: its stable key, the field's
// label as the card prints it and in English, and its value as a person
// reads it (credential.KTP.Display: "PEREMPUAN" / "Female", dates as
// "17-08-1985" / "1985-08-17").
type Claim struct {
	// Key is the claim's stable name ("nik", "name", "birth_date"), as in
	// a person-record JSON and in claim lists.
	Key string
	// IndonesianLabel and EnglishLabel are the field's label ("Nama",
	// "Name").
	IndonesianLabel, EnglishLabel string
	// IndonesianValue and EnglishValue are the value as shown.
	IndonesianValue, EnglishValue string
}

// Claims is the list of claims of a credential or of an accepted code, in
// the document's key order (NIK first, as on the card).
type Claims struct {
	list []*Claim
}

// Count returns the number of claims.
func (c *Claims) Count() int64 { return int64(len(c.list)) }

// At returns the claim at index i (0 ≤ i < Count), or nil outside.
func (c *Claims) At(i int64) *Claim {
	if i < 0 || i >= int64(len(c.list)) {
		return nil
	}
	v := *c.list[i]
	return &v
}

// Get returns the claim with key (for example "nik"), or nil when the list
// does not hold it.
func (c *Claims) Get(key string) *Claim {
	for _, cl := range c.list {
		if cl.Key == key {
			v := *cl
			return &v
		}
	}
	return nil
}

// Keys returns the keys of the claims, comma-separated ("nik,name").
func (c *Claims) Keys() string {
	keys := make([]string, len(c.list))
	for i, cl := range c.list {
		keys[i] = cl.Key
	}
	return strings.Join(keys, ",")
}

// ktpClaims lists the claims present in k. Each document type has one such
// function (a Kartu Keluarga or an Akta Kelahiran would add its own, with
// its own Display); the rest of the binding only sees Claims.
func ktpClaims(k *credential.KTP) *Claims {
	out := &Claims{}
	for _, c := range k.Claims() {
		id, en := k.Display(c)
		out.list = append(out.list, &Claim{
			Key:             c.String(),
			IndonesianLabel: c.Indonesian(),
			EnglishLabel:    c.English(),
			IndonesianValue: id,
			EnglishValue:    en,
		})
	}
	return out
}

// maxClaimList bounds a comma-separated claim list: every claim of a KTP
// named, with room for spaces.
const maxClaimList = 1024

// parseClaims reads a comma-separated list of claim keys ("name, nik"),
// ignoring spaces around each; an empty list gives nil. An unknown key is an
// invalid_argument error: a typo must not silently ask for less.
func parseClaims(s string) ([]credential.Claim, error) {
	if len(s) > maxClaimList {
		return nil, errorf(codeInvalidArgument, "claim list of %d bytes", len(s))
	}
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []credential.Claim
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		c, ok := credential.ParseClaim(f)
		if !ok {
			return nil, errorf(codeInvalidArgument, "unknown claim %q", f)
		}
		out = append(out, c)
	}
	return out, nil
}
