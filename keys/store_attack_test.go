package keys_test

import (
	"crypto"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/keys"
)

// Attacks on the scanner's trust store file by someone who can write it
// (issue 12): the file must never make the store trust a root the app did
// not pin, and putting an older, genuinely signed file back must not bring
// back keys that a later list withdrew.

// atkIssuer is one issuer, Jakarta Pusat, with keys ks.
func atkIssuer(ks ...keys.IssuerKey) []keys.TrustedIssuer {
	return []keys.TrustedIssuer{{ID: "3171", Name: "Disdukcapil Kota Jakarta Pusat", Keys: ks}}
}

// atkStoreFile returns the file a store pinned to root writes after
// accepting jws, in order: a store file as an attacker would make it with
// the library itself.
func atkStoreFile(t *testing.T, root crypto.PublicKey, jws ...[]byte) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "trust-store.json")
	s := openStore(t, path, root)
	for _, j := range jws {
		require.NoError(t, s.Update(j))
	}
	return mustRead(t, path)
}

// atkLegacyFile returns a file in the first store format, which named its
// own pins: root and, if next is not nil, next_root.
func atkLegacyFile(t *testing.T, jws []byte, root, next crypto.PublicKey) []byte {
	t.Helper()
	jwk := func(k crypto.PublicKey) json.RawMessage {
		j, err := keys.ToJWK(k)
		require.NoError(t, err)
		b, err := j.MarshalJSON()
		require.NoError(t, err)
		return b
	}
	w := map[string]any{"format": "ikd-trust-store/1", "trust_list": string(jws), "root": jwk(root)}
	if next != nil {
		w["next_root"] = jwk(next)
	}
	b, err := json.Marshal(w)
	require.NoError(t, err)
	return b
}

// atkRotatedFile returns a file in the current format with rotation lists.
func atkRotatedFile(t *testing.T, jws []byte, rotations ...[]byte) []byte {
	t.Helper()
	r := make([]string, len(rotations))
	for i, x := range rotations {
		r[i] = string(x)
	}
	b, err := json.Marshal(map[string]any{"format": "ikd-trust-store/2", "trust_list": string(jws), "rotations": r})
	require.NoError(t, err)
	return b
}

// TestAttackStoreFilePins: the file carries pins of its own; a scanner
// restarted with the real root must trust only that root, and roots the
// real root announced, never one the file names.
func TestAttackStoreFilePins(t *testing.T) {
	real := testKey(t, keys.EdDSA, "real root")
	evil := testKey(t, keys.EdDSA, "attacker root")
	evil2 := testKey(t, keys.EdDSA, "attacker second root")
	next := testKey(t, keys.EdDSA, "real next root")
	forged := issuerKey(t, keys.ES256, "attacker issuer key")
	forgedKID := mustKID(t, forged.PublicKey)
	evilList := func(seq uint64, by crypto.Signer, announce crypto.PublicKey) []byte {
		c := content(seq, atkIssuer(forged))
		c.NextRoot = announce
		return sign(t, by, c)
	}
	genuineBy := func(seq uint64, by crypto.Signer, announce crypto.PublicKey) []byte {
		c := content(seq, atkIssuer(issuerKey(t, keys.ES256, "genuine issuer key")))
		c.NextRoot = announce
		return sign(t, by, c)
	}
	genuine := func(seq uint64) []byte { return genuineBy(seq, real, nil) }
	for _, tc := range []struct {
		name string
		file func(t *testing.T) []byte
		want error
	}{
		{"file_names_the_attackers_root", func(t *testing.T) []byte {
			return atkStoreFile(t, evil.Public(), evilList(100, evil, nil))
		}, keys.ErrBadSignature},
		{"legacy_file_names_the_attackers_root", func(t *testing.T) []byte {
			return atkLegacyFile(t, evilList(100, evil, nil), evil.Public(), nil)
		}, keys.ErrBadSignature},
		{"legacy_file_announces_the_attackers_next_root", func(t *testing.T) []byte {
			return atkLegacyFile(t, evilList(100, evil, nil), real.Public(), evil.Public())
		}, keys.ErrBadSignature},
		{"rotation_signed_by_the_attacker", func(t *testing.T) []byte {
			return atkRotatedFile(t, evilList(100, evil2, nil), evilList(99, evil, evil2.Public()))
		}, keys.ErrBadSignature},
		{"genuine_rotation_list_then_attackers_list", func(t *testing.T) []byte {
			// The real root did announce next, but next never signed this.
			return atkRotatedFile(t, evilList(100, evil, nil), genuineBy(6, real, next.Public()))
		}, keys.ErrBadSignature},
		{"rotation_list_announcing_nothing", func(t *testing.T) []byte {
			return atkRotatedFile(t, evilList(100, evil, nil), genuine(6))
		}, keys.ErrMalformed},
		{"rotation_after_the_list", func(t *testing.T) []byte {
			return atkRotatedFile(t, genuineBy(5, next, nil), genuineBy(6, real, next.Public()))
		}, keys.ErrMalformed},
		{"too_many_rotations", func(t *testing.T) []byte {
			r := genuineBy(6, real, next.Public())
			return atkRotatedFile(t, genuineBy(7, next, nil), r, r, r, r, r)
		}, keys.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "trust-store.json")
			require.NoError(t, openStore(t, path, real.Public()).Update(genuine(7)))
			require.NoError(t, os.WriteFile(path, tc.file(t), 0o644))

			s := openStore(t, path, real.Public())
			wantErr(t, s.LoadError(), tc.want, true)
			assert.Nil(t, s.Current(), "a list from a file the pinned root does not vouch for")
			assert.Empty(t, keys.Last(s).Lookup(forgedKID), "the attacker's issuer key is trusted")
			root, next := keys.Roots(s)
			assert.True(t, sameKey(real.Public(), root), "the pinned root lost its place")
			assert.Nil(t, next, "a next root came from the file")
			wantErr(t, s.Update(evilList(101, evil, nil)), keys.ErrBadSignature, true)
			require.NoError(t, s.Update(genuine(8)), "the store works")
		})
	}
}
