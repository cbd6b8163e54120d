package presentation

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/testkit"
)

// updateFuzzCorpus rewrites the committed seed files under testdata/fuzz/
// for FuzzParse and FuzzDecode.
var updateFuzzCorpus = flag.Bool("update-fuzz-corpus", false, "rewrite internal/presentation/testdata/fuzz/{FuzzParse,FuzzDecode} seed files")

// fuzzPresentations returns real presentations (every profile, both issuer
// algorithms, all three holders, with and without an audience) and edge
// cases built from them, by name.
func fuzzPresentations(tb testing.TB) map[string][]byte {
	tb.Helper()
	out := map[string][]byte{}
	for _, alg := range issuerAlgs {
		for _, h := range testHolders {
			creds, dev := issueCreds(tb, alg, h.Label, h.KTP())
			for _, prof := range allProfiles {
				opts := testOptions("fuzz " + alg + h.Label + prof.String())
				if prof == credential.ProfileTravel {
					opts.Audience = "GA-CGK"
					opts.Lifetime = time.Hour
				}
				pres, err := New(creds[prof], dev, opts)
				require.NoError(tb, err)
				out[fmt.Sprintf("real_%s_%s_%s", prof, alg, h.Label)] = pres
			}
		}
	}
	man := out["real_kai_ES256_man"]
	out["tagged"] = append([]byte{0xd2}, man...)
	out["malleated_twin"] = malleate(tb, man)
	out["truncated"] = man[:len(man)-1]
	out["trailing_byte"] = append(bytes.Clone(man), 0)
	out["empty"] = []byte{}
	out["array_of_four_empty"] = []byte{0x84, 0x40, 0xa0, 0x40, 0x40}

	// Hand-built payloads signed by the right device key.
	creds, dev := issueCreds(tb, "ES256", "man", testkit.Man(), credential.ProfileKAI)
	cred := creds[credential.ProfileKAI][1:]
	iat := mustCBOR(tb, testkit.Now.Unix())
	nonce := mustCBOR(tb, []byte{1, 2, 3, 4, 5, 6})
	ttl := mustCBOR(tb, 60)
	for name, payload := range map[string][]byte{
		"tagged_credential": cborArray(append([]byte{0xd2}, cred...), iat, ttl, nonce),
		"ttl_0":             cborArray(cred, iat, mustCBOR(tb, 0), nonce),
		"ttl_max":           cborArray(cred, iat, mustCBOR(tb, 86400), nonce),
		"nonce_5":           cborArray(cred, iat, ttl, mustCBOR(tb, []byte{1, 2, 3, 4, 5})),
		"non_canonical_ttl": cborArray(cred, iat, []byte{0x19, 0x00, 0x3c}, nonce),
		"six_items":         cborArray(cred, iat, ttl, nonce, mustCBOR(tb, "KAI"), mustCBOR(tb, 1)),
		"audience_64":       cborArray(cred, iat, ttl, nonce, mustCBOR(tb, strings.Repeat("A", 64))),
		"audience_65":       cborArray(cred, iat, ttl, nonce, mustCBOR(tb, strings.Repeat("A", 65))),
	} {
		out[name] = signPayload(tb, dev, nil, payload)
	}
	out["kid_in_header"] = signPayload(tb, dev, []byte("dev"), cborArray(cred, iat, ttl, nonce))
	return out
}

// checkPresentation holds the properties of any successful parse.
func checkPresentation(t *testing.T, data []byte, p *Presentation) {
	if !bytes.Equal(p.Bytes(), data) {
		t.Fatalf("Bytes() is not the input")
	}
	again, err := Decode(Encode(data))
	if err != nil || !bytes.Equal(again, data) {
		t.Fatalf("text round trip: %v", err)
	}
	payload, err := p.body.marshal()
	if err != nil || !bytes.Equal(payload, p.msg.Payload) {
		t.Fatalf("payload does not re-encode to the bytes received: %v", err)
	}
	if p.ReplayKey() != sha256.Sum256(p.msg.Payload) {
		t.Fatalf("ReplayKey is not SHA-256 over the payload")
	}
	if p.IssuedAt().Unix() <= 0 {
		t.Fatalf("IssuedAt %v", p.IssuedAt())
	}
	if l := p.Lifetime(); l < time.Second || l > MaxLifetime || l%time.Second != 0 {
		t.Fatalf("Lifetime %v", l)
	}
	if !p.Expires().Equal(p.IssuedAt().Add(p.Lifetime())) {
		t.Fatalf("Expires %v != IssuedAt + Lifetime", p.Expires())
	}
	if len(p.Nonce()) != NonceSize || len(p.Audience()) > maxAudience {
		t.Fatalf("nonce %x, audience %q", p.Nonce(), p.Audience())
	}
	if c := p.Credential(); c == nil || len(c.Bytes()) == 0 || c.Bytes()[0] == 0xd2 {
		t.Fatalf("embedded credential missing or tagged")
	}
	if err := p.VerifyDevice(); err != nil && !errors.Is(err, ErrDeviceSignature) {
		t.Fatalf("VerifyDevice: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, pres := range fuzzPresentations(f) {
		f.Add(pres)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			if p != nil {
				t.Fatalf("result and error: %v", err)
			}
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		checkPresentation(t, data, p)
	})
}

func FuzzDecode(f *testing.F) {
	for _, pres := range fuzzPresentations(f) {
		f.Add(Encode(pres))
	}
	for _, s := range []string{"", Prefix, "IKD2:BB8", "IKD10:BB8", "IKD1", "HC1:NCFOXN%TS3DH", "https://example.com/",
		Prefix + "qed8wex0", Prefix + "GGW", Prefix + "ABCD", Prefix + ":", Prefix + "BB8", Prefix + "%69 VD92EX0",
		Prefix + strings.Repeat("0", limits.MaxText-len(Prefix)), Prefix + strings.Repeat("0", limits.MaxText-len(Prefix)+1)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		data, err := Decode(s)
		if err != nil {
			if data != nil {
				t.Fatalf("result and error: %v", err)
			}
			if !errors.Is(err, ErrNotIKD) && !errors.Is(err, ErrVersion) && !errors.Is(err, ErrTooLong) && !errors.Is(err, ErrEncoding) {
				t.Fatalf("unknown error: %v", err)
			}
			return
		}
		if got := Encode(data); got != s {
			t.Fatalf("Encode(Decode(%q)) = %q", s, got)
		}
		if p, err := Parse(data); err == nil {
			checkPresentation(t, data, p)
		}
	})
}

// TestFuzzCorpus checks the committed seed files (and rewrites them with
// -update-fuzz-corpus): a few real presentations and edge cases for
// FuzzParse, their texts and broken texts for FuzzDecode.
func TestFuzzCorpus(t *testing.T) {
	dirBytes := filepath.Join("testdata", "fuzz", "FuzzParse")
	dirText := filepath.Join("testdata", "fuzz", "FuzzDecode")
	if *updateFuzzCorpus {
		all := fuzzPresentations(t)
		keep := []string{"real_kai_ES256_man", "real_full_EdDSA_woman", "real_travel_ES256_wna", "real_age_EdDSA_man",
			"tagged", "malleated_twin", "truncated", "tagged_credential", "ttl_0", "nonce_5", "non_canonical_ttl",
			"six_items", "audience_65", "kid_in_header"}
		require.NoError(t, os.MkdirAll(dirBytes, 0o755))
		require.NoError(t, os.MkdirAll(dirText, 0o755))
		for _, name := range keep {
			data, ok := all[name]
			require.True(t, ok, name)
			file := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
			require.NoError(t, os.WriteFile(filepath.Join(dirBytes, name), []byte(file), 0o644))
		}
		texts := map[string]string{
			"real_kai_ES256_man":  Encode(all["real_kai_ES256_man"]),
			"real_full_EdDSA_wna": Encode(all["real_full_EdDSA_wna"]),
			"version_2":           "IKD2:" + strings.TrimPrefix(Encode(all["real_kai_ES256_man"]), Prefix),
			"lowercase":           Prefix + strings.ToLower(strings.TrimPrefix(Encode(all["real_age_ES256_woman"]), Prefix)),
			"length_mod_3_is_1":   Prefix + "ABCD",
			"empty_body":          Prefix,
		}
		for name, s := range texts {
			file := fmt.Sprintf("go test fuzz v1\nstring(%q)\n", s)
			require.NoError(t, os.WriteFile(filepath.Join(dirText, name), []byte(file), 0o644))
		}
	}
	for _, dir := range []string{dirBytes, dirText} {
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, len(entries), 5, dir)
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(string(b), "go test fuzz v1\n"), e.Name())
		}
	}
}
