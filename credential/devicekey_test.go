package credential

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goldenPayload returns the payload of a golden credential.
func goldenPayload(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "golden", name+".payload.hex"))
	require.NoError(t, err)
	b, err := hex.DecodeString(strings.TrimSpace(string(data)))
	require.NoError(t, err)
	return b
}

// resetDeviceKeys empties the device key cache.
func resetDeviceKeys() {
	deviceKeys.mu.Lock()
	clear(deviceKeys.m)
	deviceKeys.mu.Unlock()
}

func TestDeviceKeyCache(t *testing.T) {
	p := goldenPayload(t, "man-kai")
	resetDeviceKeys()
	cold, err := decodePayload(p)
	require.NoError(t, err)
	warm, err := decodePayload(p)
	require.NoError(t, err)
	assert.Same(t, cold.DeviceKey, warm.DeviceKey, "the second decode comes from the cache")
	ref, err := decodePayloadReference(p)
	require.NoError(t, err)
	assert.True(t, ref.DeviceKey.Equal(warm.DeviceKey), "the cached key is the decompressed key")

	t.Run("bounded", func(t *testing.T) {
		c := keyCache{max: 3}
		var pub ecdsa.PublicKey
		for i := range 10 {
			c.put([33]byte{byte(i)}, &pub)
			assert.LessOrEqual(t, len(c.m), 3)
		}
		assert.NotNil(t, c.get([33]byte{9}), "the newest entry is kept")
	})
	t.Run("an invalid point is never stored", func(t *testing.T) {
		// About half of all x have no point on P-256; find one.
		var err error
		for x := byte(0); err == nil; x++ {
			resetDeviceKeys()
			k := coseKey{Kty: coseKtyEC2, Crv: coseCrvP256, X: make([]byte, 32)}
			k.X[31] = x
			_, err = k.publicKey()
			if err == nil {
				assert.Len(t, deviceKeys.m, 1)
			}
		}
		require.ErrorIs(t, err, ErrInvalidValue)
		assert.Empty(t, deviceKeys.m)
	})
	t.Run("concurrent", func(t *testing.T) {
		resetDeviceKeys()
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 50 {
					got, err := decodePayload(p)
					if assert.NoError(t, err) {
						assert.True(t, ref.DeviceKey.Equal(got.DeviceKey))
					}
				}
			})
		}
		wg.Wait()
	})
}

// TestDeviceKeyWithoutCoordinates: a device key built by a caller with nil
// coordinates is an error, not a panic in ecdsa.PublicKey.Bytes.
func TestDeviceKeyWithoutCoordinates(t *testing.T) {
	_, err := newCOSEKey(&ecdsa.PublicKey{Curve: elliptic.P256()})
	assert.ErrorIs(t, err, ErrInvalidValue)
	_, err = newCOSEKey(nil)
	assert.ErrorIs(t, err, ErrInvalidValue)
}

// BenchmarkDecodePayload measures the one-pass payload decoder with the
// device key cached (a credential seen before: a retry at a gate, a wallet
// refresh) and cold (a device never seen: the point is decompressed), and
// the fxamacker decode-and-re-encode it replaced.
func BenchmarkDecodePayload(b *testing.B) {
	p := goldenPayload(b, "man-travel")
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodePayload(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			resetDeviceKeys()
			if _, err := decodePayload(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reference_cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			resetDeviceKeys()
			if _, err := decodePayloadReference(p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
