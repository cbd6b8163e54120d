package mobile

import (
	"slices"
	"strings"

	"github.com/ikdgo/ikd/credential"
)

// Claim is one disclosed claim, ready to show: its stable key, the field's
// label as the document prints it and in English, and its value as a person
// reads it (credential.KTP.Display: "PEREMPUAN" / "Female", dates as
// "17-08-1985" / "1985-08-17").
type Claim struct {
	// Key is the claim's stable name ("nik", "name", "birth_date";
	// "kk_number", "member_name", "akta_child_name" for the family
	// documents), as in a person-record JSON and in claim lists.
	Key string
	// Member is, for a Kartu Keluarga's member claim ("member_…"), the
	// member's row on the card, from 1; 0 for every other claim. A KK's
	// claims list its own claims first, then each member's in card order.
	Member int64
	// IndonesianLabel and EnglishLabel are the field's label ("Nama",
	// "Name").
	IndonesianLabel, EnglishLabel string
	// IndonesianValue and EnglishValue are the value as shown.
	IndonesianValue, EnglishValue string
}

// Claims is the list of claims of a credential or of an accepted code, in
// the document's key order (NIK first, as on the card). The methods of a
// nil *Claims see an empty list.
type Claims struct {
	list []*Claim
}

// Count returns the number of claims.
func (c *Claims) Count() int64 {
	if c == nil {
		return 0
	}
	return int64(len(c.list))
}

// At returns the claim at index i (0 ≤ i < Count), or nil outside.
func (c *Claims) At(i int64) *Claim {
	if c == nil || i < 0 || i >= int64(len(c.list)) {
		return nil
	}
	v := *c.list[i]
	return &v
}

// Get returns the first claim with key (for example "nik"; for a member
// claim of a Kartu Keluarga, the first member's: walk At for the others),
// or nil when the list does not hold it.
func (c *Claims) Get(key string) *Claim {
	if c == nil {
		return nil
	}
	for _, cl := range c.list {
		if cl.Key == key {
			v := *cl
			return &v
		}
	}
	return nil
}

// Keys returns the distinct keys of the claims, comma-separated
// ("nik,name"), in the order they first appear.
func (c *Claims) Keys() string {
	if c == nil {
		return ""
	}
	var keys []string
	for _, cl := range c.list {
		if !slices.Contains(keys, cl.Key) {
			keys = append(keys, cl.Key)
		}
	}
	return strings.Join(keys, ",")
}

// documentClaims lists the claims of the document doc: those of k for a
// KTP, of kk for a Kartu Keluarga, of b for an Akta Kelahiran. Each
// document has its own Display; the rest of the binding only sees Claims.
func documentClaims(doc credential.Document, k *credential.KTP, kk *credential.KK, b *credential.BirthCertificate) *Claims {
	out := &Claims{}
	add := func(c credential.Claim, member int64, id, en string) {
		out.list = append(out.list, &Claim{
			Key:             c.String(),
			Member:          member,
			IndonesianLabel: c.Indonesian(),
			EnglishLabel:    c.English(),
			IndonesianValue: id,
			EnglishValue:    en,
		})
	}
	switch doc {
	case credential.DocumentKTP:
		for _, c := range k.Claims() {
			id, en := k.Display(c)
			add(c, 0, id, en)
		}
	case credential.DocumentKK:
		if kk == nil {
			break
		}
		var member []credential.Claim
		for _, c := range kk.Claims() {
			if c >= credential.ClaimMemberName {
				member = append(member, c)
				continue
			}
			id, en := kk.Display(c)
			add(c, 0, id, en)
		}
		for i := range kk.Members {
			m := &kk.Members[i]
			for _, c := range member {
				if id, en := m.Display(c); id != "" || en != "" {
					add(c, int64(i+1), id, en)
				}
			}
		}
	case credential.DocumentBirthCertificate:
		if b == nil {
			break
		}
		for _, c := range b.Claims() {
			id, en := b.Display(c)
			add(c, 0, id, en)
		}
	}
	return out
}

// credentialClaims lists the claims c carries.
func credentialClaims(c *credential.Credential) *Claims {
	return documentClaims(c.Profile.Document(), &c.Claims, c.KK, c.BirthCertificate)
}

// maxClaimList bounds a comma-separated claim list: every claim of a
// document named, with room for spaces.
const maxClaimList = 1024

// parseClaims reads a comma-separated list of claim keys ("name, nik"),
// ignoring spaces around each; an empty list gives nil. An unknown key, or
// one of another document than doc, is an invalid_argument error: a typo
// must not silently ask for less.
func parseClaims(s string, doc credential.Document) ([]credential.Claim, error) {
	if len(s) > maxClaimList {
		return nil, errorf(codeInvalidArgument, "claim list of %d bytes, at most %d", len(s), maxClaimList)
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
		if c.Document() != doc {
			return nil, errorf(codeInvalidArgument, "claim %q is of document %v, not %v", f, c.Document(), doc)
		}
		out = append(out, c)
	}
	return out, nil
}

// parseDocument reads a document key: "ktp" (or ""), "kk",
// "akta_kelahiran".
func parseDocument(s string) (credential.Document, error) {
	for _, d := range []credential.Document{credential.DocumentKTP, credential.DocumentKK, credential.DocumentBirthCertificate} {
		if s == d.String() {
			return d, nil
		}
	}
	if s == "" {
		return credential.DocumentKTP, nil
	}
	return 0, errorf(codeInvalidArgument, "unknown document %q (want ktp, kk or akta_kelahiran)", s)
}
