package credential

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/codec"
)

// TestDocumentKeyMustMatchProfile: the payload carries exactly one
// document, under the key of its profile's document; anything else, and a
// document key no version knows, is malformed (docs/wire-format.md,
// "Kartu Keluarga and Akta Kelahiran").
func TestDocumentKeyMustMatchProfile(t *testing.T) {
	kk := &kkWire{Number: 3171012003120007, Head: "BUDI SANTOSO", Members: []memberWire{{Name: "BUDI SANTOSO"}}}
	akta := &aktaWire{Number: "3171-LT-05082014-0123", ChildName: "RIZKY"}
	ktp := &ktpWire{Name: "BUDI SANTOSO"}
	dev, err := ecdsa.GenerateKey(elliptic.P256(), bytes.NewReader(make([]byte, 64)))
	require.NoError(t, err)
	key, err := newCOSEKey(&dev.PublicKey)
	require.NoError(t, err)
	base := payloadWire{Issuer: "3171", Expiry: 2, IssuedAt: 1, Confirm: confirmation{Key: key}, Status: statusWire{List: 1, Index: 2}}
	with := func(p Profile, k *ktpWire, f *kkWire, a *aktaWire) []byte {
		w := base
		w.Profile, w.KTP, w.KK, w.Akta = uint8(p), k, f, a
		b, err := codec.Marshal(w)
		require.NoError(t, err)
		return b
	}
	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"kk_profile_with_kk_claims", with(ProfileKKMembers, nil, kk, nil), true},
		{"akta_profile_with_akta_claims", with(ProfileAktaSchool, nil, nil, akta), true},
		{"ktp_profile_with_ktp_claims", with(ProfileKAI, ktp, nil, nil), true},
		{"kk_profile_with_ktp_claims", with(ProfileKKFull, ktp, nil, nil), false},
		{"ktp_profile_with_kk_claims", with(ProfileFull, nil, kk, nil), false},
		{"akta_profile_with_kk_claims", with(ProfileAktaFull, nil, kk, nil), false},
		{"kk_profile_with_akta_claims", with(ProfileKKSchool, nil, nil, akta), false},
		{"two_documents", with(ProfileKKFull, ktp, kk, nil), false},
		{"no_document", with(ProfileKKFull, nil, nil, nil), false},
		{"unknown_profile_with_kk_claims", with(Profile(10), nil, kk, nil), false},
	}
	// A document key no version knows (-6), in place of the KTP's.
	unknown, err := codec.Marshal(map[int]any{1: "3171", 4: 2, 6: 1, 8: base.Confirm, -1: 1, -2: base.Status, -6: map[int]any{1: "X"}})
	require.NoError(t, err)
	tests = append(tests, struct {
		name string
		data []byte
		ok   bool
	}{"unknown_document_key", unknown, false})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := decodePayload(tt.data)
			ref, refErr := decodePayloadReference(tt.data)
			assert.Equal(t, tt.ok, err == nil, "one-pass decoder: %v", err)
			assert.Equal(t, tt.ok, refErr == nil, "reference decoder: %v", refErr)
			if tt.ok {
				assert.Equal(t, ref, p)
			} else {
				assert.Nil(t, p) // Parse reports every decoding error as ErrMalformed
			}
		})
	}
}
