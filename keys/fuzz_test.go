package keys_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/keys"
)

// fuzzContent is a small trust list for the fuzz seeds.
func fuzzContent(t testing.TB) *keys.TrustListContent {
	c := content(3, []keys.TrustedIssuer{
		{ID: "3171", Name: "Disdukcapil Kota Jakarta Pusat", Keys: []keys.IssuerKey{issuerKey(t, keys.ES256, "f1"), issuerKey(t, keys.EdDSA, "f2")}},
		{ID: "00", Name: "Ditjen Dukcapil"},
	})
	c.NextRoot = testKey(t, keys.ES256, "next").Public()
	return c
}

// FuzzParseTrustList feeds arbitrary bytes to ParseTrustList, against the
// root of the golden trust list. Properties: it never panics; it returns a
// list exactly when the error is nil; every error is a trust list error
// wrapping exactly one public sentinel; a list it returns is consistent
// (every key is found by its kid, with a window, an algorithm that fits
// it, and its issuer's id and name).
func FuzzParseTrustList(f *testing.F) {
	rootKey, _ := goldenContent(f)
	root := rootKey.Public()
	good := sign(f, rootKey, fuzzContent(f))
	f.Add(bytes.TrimSpace(mustRead(f, filepath.Join("testdata", "golden", "trustlist.jws"))))
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
			if !errors.As(err, &tle) || publicSentinelCount(err) != 1 {
				t.Fatalf("error %v (%T) is not a trust list error wrapping one public sentinel", err, err)
			}
			return
		}
		checkListConsistent(t, l)
	})
}

func checkListConsistent(t *testing.T, l *keys.TrustList) {
	t.Helper()
	if l.Sequence() == 0 || !l.NextUpdate().After(keys.IssuedAt(l)) {
		t.Fatalf("seq %d, issued %v, next %v", l.Sequence(), keys.IssuedAt(l), l.NextUpdate())
	}
	for _, is := range keys.Issuers(l) {
		for _, k := range is.Keys {
			alg, err := keys.AlgorithmOf(k.PublicKey)
			kid, _ := keys.KeyID(k.PublicKey)
			if err != nil || alg != k.Algorithm || !bytes.Equal(kid, k.KeyID) || k.IssuerID != is.ID ||
				k.IssuerName != is.Name || !k.NotBefore.Before(k.NotAfter) {
				t.Fatalf("inconsistent key %+v (%v)", k, err)
			}
			found := false
			for _, c := range l.Lookup(k.KeyID) {
				found = found || (c.IssuerID == is.ID && sameKey(c.PublicKey, k.PublicKey))
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
	p, err := keys.ContentPayload(fuzzContent(f))
	require.NoError(f, err)
	f.Add(p)
	_, golden := splitJWS(f, bytes.TrimSpace(mustRead(f, filepath.Join("testdata", "golden", "trustlist.jws"))))
	f.Add(mustJSON(f, golden))
	f.Add(bytes.Replace(p, []byte(`"sequence":3`), []byte(`"sequence":3,"sequence":4`), 1))
	f.Add([]byte(`{"version":1,"sequence":1,"issued_at":1,"next_update":2,"issuers":[],"jwks":{"keys":[],"validity":[]}}`))
	f.Add([]byte(`{"version":1,"sequence":1,"issued_at":1,"next_update":2,"issuers":[{"id":"1","name":"\u0061"}],"jwks":{"keys":[],"validity":[]},"next_root":null}`))
	f.Add([]byte(`[[[[[[[[[[]]]]]]]]]]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := keys.DecodePayload(data)
		if err != nil {
			if publicSentinelCount(err) != 1 {
				t.Fatalf("error %v does not wrap one public sentinel", err)
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
		require.NoError(t, err)
		if !bytes.Equal(p1, p2) {
			t.Fatalf("encoding is not stable:\n%s\n%s", p1, p2)
		}
		if l2.Sequence() != l.Sequence() || len(keys.Issuers(l2)) != len(keys.Issuers(l)) {
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
		`{"sequence":1,"SEQUENCE":2}`, `{"Sequence":1}`, `{"\u017fequence":1}`, `{"a-b":1}`, `{"":1}`,
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
				if !regexp.MustCompile(`^[a-z0-9_]+$`).MatchString(s) {
					return errors.New("not a lower-case ASCII name")
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

// Fuzz targets for the key decoders: a public JWK (LoadPublicKey), a JWK
// set (the "jwks" member of a trust list, and the issuers.jwks file), and a
// Store's file on disk (which anyone with access to the scanner's disk can
// rewrite).

func FuzzParsePublicJWK(f *testing.F) {
	for i := range 3 {
		b, err := keys.MarshalPublicJWK(killIssuerKey(i))
		require.NoError(f, err)
		f.Add(b)
	}
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(f, err)
	b, err := keys.MarshalPublicJWK(k.Public())
	require.NoError(f, err)
	f.Add(b)
	f.Add([]byte(`{"kty":"OKP","crv":"Ed25519","x":"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`))
	f.Add([]byte(`{"kty":"oct","k":"c2VjcmV0"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		pub, err := keys.ParsePublicJWK(data)
		if err != nil {
			if pub != nil {
				t.Fatalf("key with error %v", err)
			}
			if publicSentinelCount(err) != 1 {
				t.Fatalf("error does not wrap one public sentinel: %v", err)
			}
			return
		}
		if _, err := keys.AlgorithmOf(pub); err != nil {
			t.Fatalf("accepted a key of no algorithm: %v", err)
		}
		again, err := keys.MarshalPublicJWK(pub)
		if err != nil {
			t.Fatalf("accepted key does not marshal: %v", err)
		}
		back, err := keys.ParsePublicJWK(again)
		if err != nil || !sameKey(back, pub) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

func FuzzParseJWKSet(f *testing.F) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var ks []keys.IssuerKey
	for i := range 3 {
		ks = append(ks, keys.IssuerKey{IssuerID: "31" + strconv.Itoa(i), PublicKey: killIssuerKey(i), NotBefore: now, NotAfter: now.AddDate(1, 0, 0)})
	}
	b, err := keys.MarshalJWKSet(ks...)
	require.NoError(f, err)
	f.Add(b)
	b, err = keys.MarshalJWKSet(ks[0])
	require.NoError(f, err)
	f.Add(b)
	f.Add([]byte(`{"keys":[],"validity":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := keys.ParseJWKSet(data)
		if err != nil {
			var tle *keys.TrustListError
			if got != nil || !errors.As(err, &tle) || publicSentinelCount(err) != 1 {
				t.Fatalf("error %T %v with %d keys", err, err, len(got))
			}
			return
		}
		for _, k := range got {
			if !k.NotBefore.Before(k.NotAfter) || len(k.KeyID) != keys.KeyIDSize {
				t.Fatalf("accepted key with window %v..%v, kid %x", k.NotBefore, k.NotAfter, k.KeyID)
			}
		}
	})
}

func FuzzStoreFile(f *testing.F) {
	root := killRoot()
	dir := f.TempDir()
	s, err := keys.OpenStore(filepath.Join(dir, "seed.json"), root.Public())
	require.NoError(f, err)
	require.NoError(f, s.Update(killList(f, 3)))
	seed, err := os.ReadFile(filepath.Join(dir, "seed.json"))
	require.NoError(f, err)
	f.Add(seed)
	// A store that rotated from root to next: the file holds the list
	// that announced next and a list next signed.
	next := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	announce := killList(f, 4)
	{
		hdr, payload, _ := atkParts(f, announce)
		var m map[string]any
		require.NoError(f, json.Unmarshal(payload, &m))
		j, err := keys.ToJWK(next.Public())
		require.NoError(f, err)
		m["next_root"] = j
		payload, err = json.Marshal(m)
		require.NoError(f, err)
		announce = atkSignEd(root, hdr, payload)
	}
	require.NoError(f, s.Update(announce))
	hdr, payload, _ := atkParts(f, killList(f, 5))
	var h map[string]any
	require.NoError(f, json.Unmarshal(hdr, &h))
	h["kid"], err = keys.JWKKeyID(next.Public())
	require.NoError(f, err)
	hdr, err = json.Marshal(h)
	require.NoError(f, err)
	require.NoError(f, s.Update(atkSignEd(next, hdr, payload)))
	rotated, err := os.ReadFile(filepath.Join(dir, "seed.json"))
	require.NoError(f, err)
	reopened, err := keys.OpenStore(filepath.Join(dir, "seed.json"), root.Public())
	require.NoError(f, err)
	require.NoError(f, reopened.LoadError())
	r, _ := keys.Roots(reopened)
	require.True(f, sameKey(r, next.Public()), "the rotated seed does not load")
	f.Add(rotated)
	f.Add([]byte(`{"format":"ikd-trust-store/1"}`))
	f.Add([]byte(`{}`))
	work := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		// One file per worker process, rewritten for each input (inputs run
		// one at a time in a worker).
		path := filepath.Join(work, fmt.Sprintf("trust-store-%d.json", os.Getpid()))
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		// A floor file of sequence 0 (nothing accepted yet), rewritten
		// each time because a load raises it: every list the file holds
		// is new enough.
		if err := os.WriteFile(path+keys.FloorSuffix, []byte(`{"format":"ikd-trust-floor/1","sequence":0,"digest":"","root":""}`), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := keys.OpenStore(path, root.Public())
		if err != nil {
			t.Fatalf("OpenStore fails only for bad arguments: %v", err)
		}
		if lerr := s.LoadError(); lerr != nil {
			var tle *keys.TrustListError
			if !errors.As(lerr, &tle) || publicSentinelCount(lerr) != 1 || keys.Last(s) != nil {
				t.Fatalf("unusable file: %T %v, list %v", lerr, lerr, keys.Last(s))
			}
			return
		}
		if l := keys.Last(s); l != nil {
			// Signed by the pin, or by the one root the pin announced in
			// the seeds: no other root is ever trusted.
			r, _ := keys.Roots(s)
			if !sameKey(r, root.Public()) && !sameKey(r, next.Public()) {
				t.Fatalf("store trusts a root the pin never vouched for: %v", r)
			}
			if _, err := keys.ParseTrustList(keys.JWS(l), r, keys.WithClock(func() time.Time { return keys.IssuedAt(l) })); err != nil {
				t.Fatalf("store holds a list that does not verify: %v", err)
			}
		}
	})
}

// FuzzParsePublicKey checks that ParsePublicKey never panics, that every
// error wraps exactly one public sentinel, and that every key it accepts has
// an algorithm and reads back the same from its own JWK.
func FuzzParsePublicKey(f *testing.F) {
	for i := range 3 {
		b, err := keys.MarshalPublicJWK(killIssuerKey(i))
		require.NoError(f, err)
		f.Add(b)
	}
	dir := f.TempDir()
	require.NoError(f, keys.SavePublicKey(filepath.Join(dir, "k.pem"), killIssuerKey(0)))
	pemKey, err := os.ReadFile(filepath.Join(dir, "k.pem"))
	require.NoError(f, err)
	f.Add(pemKey)
	f.Add([]byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pub, err := keys.ParsePublicKey(data)
		if err != nil {
			if pub != nil {
				t.Fatalf("key with error %v", err)
			}
			if publicSentinelCount(err) != 1 {
				t.Fatalf("error does not wrap one public sentinel: %v", err)
			}
			return
		}
		if _, err := keys.AlgorithmOf(pub); err != nil {
			t.Fatalf("accepted a key of no algorithm: %v", err)
		}
		j, err := keys.MarshalPublicJWK(pub)
		if err != nil {
			t.Fatalf("accepted key does not marshal: %v", err)
		}
		back, err := keys.ParsePublicKey(j)
		if err != nil || !sameKey(back, pub) {
			t.Fatalf("round trip: %v", err)
		}
	})
}
