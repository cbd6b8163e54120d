package keys_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ikdgo/ikd/keys"
)

// fuzzRoot is the root the trust list fuzz target verifies against.
func fuzzRoot(t testing.TB) ([]byte, *keys.TrustList) {
	root := testKey(t, keys.EdDSA, "fuzz root")
	l, err := keys.NewTrustList(3, t0, t0.AddDate(0, 0, 7), []keys.Issuer{
		{ID: "3171", Name: "Disdukcapil Kota Jakarta Pusat", Keys: []keys.IssuerKey{issuerKey(t, keys.ES256, "f1"), issuerKey(t, keys.EdDSA, "f2")}},
		{ID: "00", Name: "Ditjen Dukcapil"},
	})
	must(t, err)
	l, err = l.WithNextRoot(testKey(t, keys.ES256, "next").Public())
	must(t, err)
	jws, err := keys.SignTrustList(l, root, keys.EdDSA)
	must(t, err)
	return jws, l
}

// FuzzParseTrustList feeds arbitrary bytes to ParseTrustList. Properties:
// it never panics; it returns a list exactly when the error is nil; every
// error is a *TrustListError wrapping one of the package's sentinels; a
// list it returns is consistent (every key is found by its kid, with a
// window, an algorithm that fits it, and its issuer's id and name).
func FuzzParseTrustList(f *testing.F) {
	good, _ := fuzzRoot(f)
	root := testKey(f, keys.EdDSA, "fuzz root").Public()
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(append(bytes.Clone(good), "\n\n"...))
	parts := strings.Split(string(good), ".")
	f.Add([]byte(parts[0] + "." + parts[1] + "."))
	f.Add([]byte(b64.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + "."))
	f.Add([]byte(b64.EncodeToString([]byte(`{"alg":"HS256","typ":"ikd-trustlist+json"}`)) + "." + parts[1] + "." + parts[2]))
	f.Add([]byte(""))
	f.Add([]byte(".."))
	var file wycheproofJWK
	if data, err := os.ReadFile(filepath.Join("testdata", "wycheproof", "json_web_key_test.json")); err == nil && json.Unmarshal(data, &file) == nil {
		for _, g := range file.TestGroups {
			for _, tc := range g.Tests {
				f.Add([]byte(tc.JWS))
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := keys.ParseTrustList(data, root, clockAt(t0))
		if (l == nil) == (err == nil) {
			t.Fatalf("list %v with error %v", l, err)
		}
		if err != nil {
			var tle *keys.TrustListError
			if !errors.As(err, &tle) || knownSentinel(err) == nil {
				t.Fatalf("error %v (%T) is not a TrustListError wrapping a sentinel", err, err)
			}
			return
		}
		checkListConsistent(t, l)
	})
}

func checkListConsistent(t *testing.T, l *keys.TrustList) {
	t.Helper()
	if l.Sequence() == 0 || !l.NextUpdate().After(l.IssuedAt()) {
		t.Fatalf("seq %d, issued %v, next %v", l.Sequence(), l.IssuedAt(), l.NextUpdate())
	}
	for _, is := range l.Issuers() {
		for _, k := range is.Keys {
			alg, err := keys.AlgorithmOf(k.PublicKey)
			kid, _ := keys.KeyID(k.PublicKey)
			if err != nil || alg != k.Algorithm || !bytes.Equal(kid, k.KeyID) || k.IssuerID != is.ID ||
				k.IssuerName != is.Name || !k.NotBefore.Before(k.NotAfter) {
				t.Fatalf("inconsistent key %+v (%v)", k, err)
			}
			found := false
			for _, c := range l.Lookup(k.KeyID) {
				found = found || (c.IssuerID == is.ID && c.PublicKey.(equaler).Equal(k.PublicKey))
			}
			if !found {
				t.Fatalf("key %x of %s not found by Lookup", k.KeyID, is.ID)
			}
		}
	}
}

// FuzzTrustListPayload fuzzes the payload decoder behind the signature
// check, where a fuzzer cannot reach through ParseTrustList. Properties:
// errors wrap a sentinel; a payload that decodes re-encodes to a payload
// that decodes to the same list, and encoding is then stable.
func FuzzTrustListPayload(f *testing.F) {
	_, l := fuzzRoot(f)
	p, err := keys.MarshalPayload(l)
	must(f, err)
	f.Add(p)
	f.Add(bytes.Replace(p, []byte(`"sequence":3`), []byte(`"sequence":3,"sequence":4`), 1))
	f.Add([]byte(`{"version":1,"sequence":1,"issued_at":1,"next_update":2,"issuers":[],"jwks":{"keys":[],"validity":[]}}`))
	f.Add([]byte(`{"version":1,"sequence":1,"issued_at":1,"next_update":2,"issuers":[{"id":"1","name":"\u0061"}],"jwks":{"keys":[],"validity":[]},"next_root":null}`))
	f.Add([]byte(`[[[[[[[[[[]]]]]]]]]]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := keys.DecodePayload(data)
		if err != nil {
			if knownSentinel(err) == nil {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		checkListConsistent(t, l)
		p1, err := keys.MarshalPayload(l)
		if err != nil {
			t.Fatalf("a decoded list does not encode: %v", err)
		}
		l2, err := keys.DecodePayload(p1)
		if err != nil {
			t.Fatalf("re-encoded payload does not decode: %v\n%s", err, p1)
		}
		p2, err := keys.MarshalPayload(l2)
		must(t, err)
		if !bytes.Equal(p1, p2) {
			t.Fatalf("encoding is not stable:\n%s\n%s", p1, p2)
		}
		if l2.Sequence() != l.Sequence() || len(l2.Issuers()) != len(l.Issuers()) {
			t.Fatal("round trip changed the list")
		}
	})
}

// FuzzCheckJSON checks the package's one-pass duplicate-member scanner
// against a slow reference built on encoding/json's tokenizer.
func FuzzCheckJSON(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"a":1,"a":2}`, `{"a":{"a":1},"b":[{"a":1,"a":1}]}`, `{"a":1,"\u0061":2}`,
		`{"a\"":1,"a\\":2}`, `["a","a"]`, `{"a":"a","b":"a"}`, `{"a":[1,{"b":2}],"c":3}`,
		`[[[[[[[[1]]]]]]]]`, `[[[[[[[[[1]]]]]]]]]`, `{} {}`, `"x"`, ``, `{"a":1,}`, `{"":1,"":2}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := keys.CheckJSON(data)
		want := referenceCheckJSON(data)
		if (got == nil) != (want == nil) {
			t.Fatalf("CheckJSON(%q) = %v, reference says %v", data, got, want)
		}
		if got != nil && !errors.Is(got, keys.ErrMalformed) {
			t.Fatalf("error %v is not ErrMalformed", got)
		}
	})
}

// referenceCheckJSON is checkJSON written the slow, obvious way.
func referenceCheckJSON(data []byte) error {
	if !utf8.Valid(data) || !json.Valid(data) {
		return errors.New("invalid")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	// Numbers as text: a valid JSON number such as 2e318 overflows float64,
	// which is the tokenizer's business, not a JSON error.
	dec.UseNumber()
	type frame struct {
		names map[string]bool // nil for an array
		name  bool
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if n := len(stack); n > 0 && stack[n-1].names != nil {
			top := &stack[n-1]
			if s, ok := tok.(string); ok && top.name {
				if top.names[s] {
					return errors.New("duplicate")
				}
				top.names[s] = true
				top.name = false
				continue
			}
			top.name = true
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(stack) == 8 {
				return errors.New("too deep")
			}
			fr := frame{}
			if tok == json.Delim('{') {
				fr = frame{names: map[string]bool{}, name: true}
			}
			stack = append(stack, fr)
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
	}
}
