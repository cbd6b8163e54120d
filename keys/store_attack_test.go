package keys_test

import (
	"crypto"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// TestAttackStoreRollback: an older, genuinely signed store file put back
// while the scanner is off must not bring back an issuer key that a later
// list withdrew.
func TestAttackStoreRollback(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	stolen := issuerKey(t, keys.ES256, "stolen issuer key")
	kept := issuerKey(t, keys.ES256, "kept issuer key")
	stolenKID := mustKID(t, stolen.PublicKey)
	before := sign(t, root, content(7, atkIssuer(stolen, kept))) // the stolen key still listed
	after := sign(t, root, content(8, atkIssuer(kept)))          // and withdrawn
	// The root signed sequence 8 twice (a retried signing job): the other
	// one still lists the stolen key.
	other8 := content(8, atkIssuer(stolen, kept))
	other8.NextUpdate = other8.NextUpdate.Add(1)
	twin := sign(t, root, other8)

	for _, tc := range []struct {
		name   string
		attack func(t *testing.T, path string)
		// wantLoad is LoadError's sentinel at the restart, nil for none.
		wantLoad error
		// forgot is set when the attack took the store's knowledge of
		// list 8 with it (the floor file deleted and an older store file
		// put back): the older list is then the newest the store knows
		// of, and list 8 is accepted as newer.
		forgot bool
	}{
		{"older_file_put_back_before_restart", func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, atkStoreFile(t, root.Public(), before), 0o644))
		}, keys.ErrRollback, false},
		{"same_sequence_other_list_put_back", func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, atkStoreFile(t, root.Public(), twin), 0o644))
		}, keys.ErrRollback, false},
		{"store_file_deleted_then_older_list_offered", func(t *testing.T, path string) {
			require.NoError(t, os.Remove(path))
		}, nil, false},
		{"older_file_put_back_and_floor_file_deleted", func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, atkStoreFile(t, root.Public(), before), 0o644))
			require.NoError(t, os.Remove(path+keys.FloorSuffix))
		}, keys.ErrRollback, true},
		{"floor_file_deleted", func(t *testing.T, path string) {
			require.NoError(t, os.Remove(path+keys.FloorSuffix))
		}, keys.ErrRollback, false},
		{"floor_file_corrupted", func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path+keys.FloorSuffix, []byte(`{"format":"ikd-trust-floor/1","sequence":"7"}`), 0o644))
		}, keys.ErrMalformed, false},
		{"older_file_and_its_floor_file_put_back_after_expiry", func(t *testing.T, path string) {
			// Whoever can write the whole directory can put back both
			// files of an older state: the store cannot tell. What bounds
			// it is the old list's next update plus grace (and the
			// status lists): here the old list is expired, so it is kept
			// as a floor but never served.
			dir := filepath.Join(t.TempDir(), "trust-store.json")
			s := openStore(t, dir, root.Public())
			require.NoError(t, s.Update(before))
			require.NoError(t, os.WriteFile(path, mustRead(t, dir), 0o644))
			require.NoError(t, os.WriteFile(path+keys.FloorSuffix, mustRead(t, dir+keys.FloorSuffix), 0o644))
		}, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "trust-store.json")
			s := openStore(t, path, root.Public())
			require.NoError(t, s.Update(before))
			require.NoError(t, s.Update(after))
			tc.attack(t, path)

			opts := []keys.Option{}
			if tc.name == "older_file_and_its_floor_file_put_back_after_expiry" {
				opts = append(opts, clockAt(t0.AddDate(0, 0, 7).Add(keys.DefaultGrace+time.Second)))
			}
			s = openStore(t, path, root.Public(), opts...)
			if tc.name == "older_file_and_its_floor_file_put_back_after_expiry" {
				require.NoError(t, s.LoadError(), "both files of an older state load")
				assert.Nil(t, s.Current(), "an expired list is served")
				assert.Equal(t, uint64(7), seqOf(keys.Last(s)))
				return
			}
			if tc.wantLoad != nil {
				wantErr(t, s.LoadError(), tc.wantLoad, true)
			} else {
				require.NoError(t, s.LoadError())
			}
			assert.Nil(t, s.Current(), "a list older than the newest accepted")
			assert.Empty(t, keys.Last(s).Lookup(stolenKID), "the withdrawn key is back")
			if tc.forgot {
				require.NoError(t, s.Update(after), "a newer list than the file's")
			}
			wantErr(t, s.Update(before), keys.ErrRollback, true)
			wantErr(t, s.Update(twin), keys.ErrRollback, true)
			require.NoError(t, s.Update(after), "the newest list is taken back")
			assert.Equal(t, uint64(8), seqOf(s.Current()))
			assert.Empty(t, s.Current().Lookup(stolenKID))
		})
	}
}

// TestAttackStoreWithdrawnRoot: the root announced a next root and then
// withdrew the announcement (the next root's key was lost). Whoever holds
// that key and can write the store file puts back the announcing list as
// a rotation and adds a list of their own signed by the withdrawn root.
func TestAttackStoreWithdrawnRoot(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	lost := testKey(t, keys.EdDSA, "lost next root")
	forged := issuerKey(t, keys.ES256, "attacker issuer key")
	issuers := atkIssuer(issuerKey(t, keys.ES256, "genuine issuer key"))
	announce := content(2, issuers)
	announce.NextRoot = lost.Public()
	announcing := sign(t, root, announce)
	withdrawn := sign(t, root, content(3, issuers))
	attackers := sign(t, lost, content(100, atkIssuer(forged)))

	t.Run("announcement_replayed_as_rotation", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "trust-store.json")
		s := openStore(t, path, root.Public())
		require.NoError(t, s.Update(sign(t, root, content(1, issuers))))
		require.NoError(t, s.Update(announcing))
		require.NoError(t, s.Update(withdrawn))
		require.NoError(t, os.WriteFile(path, atkRotatedFile(t, attackers, announcing), 0o644))

		s = openStore(t, path, root.Public())
		wantErr(t, s.LoadError(), keys.ErrRollback, true)
		assert.Nil(t, s.Current())
		assert.Empty(t, keys.Last(s).Lookup(mustKID(t, forged.PublicKey)), "the attacker's issuer key is trusted")
		r, next := keys.Roots(s)
		assert.True(t, sameKey(root.Public(), r))
		assert.Nil(t, next)
		require.NoError(t, s.Update(withdrawn), "the newest list is taken back")
	})
	t.Run("genuine_rotation_still_loads", func(t *testing.T) {
		// The same chain when the announcement stood and the next root
		// took over: the floor agrees with it.
		path := filepath.Join(t.TempDir(), "trust-store.json")
		s := openStore(t, path, root.Public())
		require.NoError(t, s.Update(announcing))
		require.NoError(t, s.Update(sign(t, lost, content(3, issuers))))
		s = openStore(t, path, root.Public())
		require.NoError(t, s.LoadError())
		assert.Equal(t, uint64(3), seqOf(s.Current()))
	})
}

// TestAttackStoreRotationLost (outside review, F3): after a rotation from
// root to next, whoever can write the store file (only) overwrites it.
// The floor file records that next signed the newest list, and the
// rotation proof: the store must take the genuine next list signed by
// next, and never again one signed by the retired root (whose key the
// attacker may hold), with the attacker's issuer key.
func TestAttackStoreRotationLost(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	next := testKey(t, keys.ES256, "next root")
	forged := issuerKey(t, keys.ES256, "attacker issuer key")
	issuers := atkIssuer(issuerKey(t, keys.ES256, "genuine issuer key"))
	announce := content(1, issuers)
	announce.NextRoot = next.Public()
	announcing := sign(t, root, announce)
	rotated := sign(t, next, content(2, issuers))
	genuine := sign(t, next, content(3, issuers))
	retired := sign(t, root, content(3, atkIssuer(forged)))

	overwrites := []struct {
		name string
		file func(t *testing.T) []byte
	}{
		{"garbage", func(*testing.T) []byte { return []byte("not a store file") }},
		{"announcing_list_without_its_rotation", func(t *testing.T) []byte { return atkStoreFile(t, root.Public(), announcing) }},
		{"retired_roots_list", func(t *testing.T) []byte { return atkRotatedFile(t, retired) }},
		{"deleted", nil},
	}
	for _, o := range overwrites {
		t.Run(o.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "trust-store.json")
			s := openStore(t, path, root.Public())
			require.NoError(t, s.Update(announcing))
			require.NoError(t, s.Update(rotated))
			if o.file == nil {
				require.NoError(t, os.Remove(path))
			} else {
				require.NoError(t, os.WriteFile(path, o.file(t), 0o644))
			}

			s = openStore(t, path, root.Public())
			assert.Nil(t, s.Current())
			r, _ := keys.Roots(s)
			assert.True(t, sameKey(next.Public(), r), "the floor's root is not the root")
			assert.Error(t, s.Update(retired), "a list signed by the retired root is accepted")
			assert.Empty(t, keys.Last(s).Lookup(mustKID(t, forged.PublicKey)), "the attacker's issuer key is trusted")
			require.NoError(t, s.Update(genuine), "the next genuine list is refused")
			assert.Equal(t, uint64(3), seqOf(s.Current()))

			// And the rotation holds across the next restart.
			s = openStore(t, path, root.Public())
			require.NoError(t, s.LoadError())
			assert.Equal(t, uint64(3), seqOf(s.Current()))
			assert.Error(t, s.Update(sign(t, root, content(4, atkIssuer(forged)))))
		})
	}
}

// TestAttackStoreRetiredRoot (F3): when the store cannot take the floor's
// root (here the floor names another root than its rotations lead to),
// it stays with the pin, but a list the retired pin signs is refused all
// the same: the floor's rotations show that the pin was rotated away from.
func TestAttackStoreRetiredRoot(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	next := testKey(t, keys.ES256, "next root")
	other := testKey(t, keys.ES256, "another root")
	forged := issuerKey(t, keys.ES256, "attacker issuer key")
	issuers := atkIssuer(issuerKey(t, keys.ES256, "genuine issuer key"))
	announce := content(1, issuers)
	announce.NextRoot = next.Public()

	path := filepath.Join(t.TempDir(), "trust-store.json")
	s := openStore(t, path, root.Public())
	require.NoError(t, s.Update(sign(t, root, announce)))
	require.NoError(t, s.Update(sign(t, next, content(2, issuers))))
	require.NoError(t, os.Remove(path))
	var fl map[string]any
	require.NoError(t, json.Unmarshal(mustRead(t, path+keys.FloorSuffix), &fl))
	kid, err := keys.JWKKeyID(other.Public())
	require.NoError(t, err)
	fl["root"] = kid
	b, err := json.Marshal(fl)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path+keys.FloorSuffix, b, 0o644))

	s = openStore(t, path, root.Public())
	r, _ := keys.Roots(s)
	require.True(t, sameKey(root.Public(), r))
	wantErr(t, s.Update(sign(t, root, content(3, atkIssuer(forged)))), keys.ErrRollback, true)
	assert.Nil(t, keys.Last(s))
}

// TestAttackStoreMemberNames (outside review, F6): encoding/json matches
// member names without regard to case or Unicode folding; the store file
// and the floor file take only the names their formats define.
func TestAttackStoreMemberNames(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	list := smallList(t, root, 3)
	cases := []struct {
		name      string
		floor     bool // edit the floor file, not the store file
		old, edit string
	}{
		{"FORMAT", false, `"format"`, `"FORMAT"`},
		{"TRUST_LIST", false, `"trust_list"`, `"TRUST_LIST"`},
		{"Format_duplicate", false, `"format":"ikd-trust-store/2"`, `"format":"ikd-trust-store/2","Format":"ikd-trust-store/2"`},
		{"floor_Sequence", true, `"sequence"`, `"Sequence"`},
		{"floor_SEQUENCE_duplicate", true, `"sequence":3`, `"sequence":3,"SEQUENCE":99`},
		{"floor_long_s", true, `"sequence"`, `"\u017fequence"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "trust-store.json")
			s := openStore(t, path, root.Public())
			require.NoError(t, s.Update(list))
			p := path
			if tc.floor {
				p += keys.FloorSuffix
			}
			data := string(mustRead(t, p))
			edited := strings.Replace(data, tc.old, tc.edit, 1)
			require.NotEqual(t, data, edited)
			require.NoError(t, os.WriteFile(p, []byte(edited), 0o644))

			s = openStore(t, path, root.Public())
			wantErr(t, s.LoadError(), keys.ErrMalformed, true)
			assert.Nil(t, s.Current())
		})
	}
}
