package statuslist

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/keys"
)

const vectorDir = "testdata/token-status-list"

type listVector struct {
	Name     string           `json:"name"`
	Bits     int              `json:"bits"`
	Size     int              `json:"size_entries"`
	Statuses map[string]uint8 `json:"statuses_nonzero_or_listed"`
	CBORHex  string           `json:"cbor_hex"`
}

func loadListVectors(t testing.TB) []listVector {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorDir, "status_list_vectors.json"))
	require.NoError(t, err)
	var file struct {
		Vectors []listVector `json:"vectors"`
	}
	require.NoError(t, json.Unmarshal(data, &file))
	require.NotEmpty(t, file.Vectors)
	return file.Vectors
}

// wire decodes a vector's cbor_hex: the draft's status_list map.
func (v listVector) wire(t testing.TB) listWire {
	t.Helper()
	b, err := hex.DecodeString(v.CBORHex)
	require.NoError(t, err)
	var w listWire
	require.NoError(t, codec.UnmarshalLarge(b, limits.MaxStatusList, &w))
	return w
}

func readHexFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorDir, "examples", name))
	require.NoError(t, err)
	b, err := hex.DecodeString(strings.Join(strings.Fields(string(data)), ""))
	require.NoError(t, err)
	return b
}

func exampleKey(t testing.TB) *ecdsa.PublicKey {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorDir, "example_key.json"))
	require.NoError(t, err)
	var f struct {
		JWK struct {
			Crv, X, Y, Kid string
		} `json:"jwk"`
	}
	require.NoError(t, json.Unmarshal(data, &f))
	require.Equal(t, "P-256", f.JWK.Crv)
	require.Equal(t, "12", f.JWK.Kid)
	x, err := base64.RawURLEncoding.DecodeString(f.JWK.X)
	require.NoError(t, err)
	y, err := base64.RawURLEncoding.DecodeString(f.JWK.Y)
	require.NoError(t, err)
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	require.NoError(t, err)
	return pub
}

// TestVectorsDecode decodes every encoding vector of the draft and checks
// every listed index, and that no index outside the list is non-zero.
func TestVectorsDecode(t *testing.T) {
	for _, v := range loadListVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			w := v.wire(t)
			require.Equal(t, v.Bits, w.Bits)
			l, err := decompress(w.Bits, w.Lst)
			require.NoError(t, err)
			assert.Equal(t, v.Size, l.size)
			nonzero := 0
			for i, want := range v.pairs(t) {
				got, err := l.get(i)
				require.NoError(t, err)
				assert.Equal(t, want, got, "index %d", i)
				if want != 0 {
					nonzero++
				}
			}
			count := 0
			for i := range l.size {
				if s, _ := l.get(uint32(i)); s != 0 {
					count++
				}
			}
			assert.Equal(t, nonzero, count, "non-zero entries outside the listed pairs")
			_, err = l.get(uint32(l.size))
			assert.ErrorIs(t, err, ErrOutOfRange)
		})
	}
}

// pairs returns the vector's index→status pairs.
func (v listVector) pairs(t testing.TB) map[uint32]status.Status {
	t.Helper()
	m := make(map[uint32]status.Status, len(v.Statuses))
	for k, s := range v.Statuses {
		i, err := strconv.ParseUint(k, 10, 32)
		require.NoError(t, err)
		m[uint32(i)] = status.Status(s)
	}
	return m
}

// TestVectorsEncode builds each vector's bit array from its pairs and
// checks that our zlib encoding decodes to the same bit array as the
// draft's. For the 2-bit vectors the bit array comes from status.List, the
// issuer's builder, and goes through Sign. The zlib bytes themselves may
// legitimately differ (deflate encoders choose blocks and matches freely),
// so they are not compared.
func TestVectorsEncode(t *testing.T) {
	for _, v := range loadListVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			w := v.wire(t)
			theirs, err := decompress(w.Bits, w.Lst)
			require.NoError(t, err)

			data := make([]byte, (v.Size*v.Bits+7)/8)
			for i, s := range v.pairs(t) {
				perByte := 8 / v.Bits
				data[int(i)/perByte] |= byte(s) << (uint(int(i)%perByte) * uint(v.Bits))
			}
			lst, err := compress(data)
			require.NoError(t, err)
			ours, err := decompress(v.Bits, lst)
			require.NoError(t, err)
			assert.Equal(t, theirs.data, ours.data)

			if v.Bits != 2 {
				return // ikd issues 2-bit lists only
			}
			l := newList(t, v.Size, v.pairs(t))
			b, err := l.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, theirs.data, b, "status.List builds the draft's bit array")
			got := signVerify(t, testKeys(t)[1], testIssuer, testToken(), l)
			assert.Equal(t, theirs.data, got.entries.data, "and Sign carries it unchanged")
		})
	}
}

// TestVectorSignedCWT verifies the draft's signed Status List Token and its
// Referenced Token with the draft's key, through internal/sign1. Both put
// their kid in the unprotected header, which ikd's own messages may not
// (Parse refuses them), so they go through sign1.ParseLenient, the path
// for outside vectors.
func TestVectorSignedCWT(t *testing.T) {
	pub := exampleKey(t)
	token := readHexFile(t, "status_list_cwt.md")
	_, err := Parse(token)
	require.ErrorIs(t, err, ErrMalformed, "the unprotected kid is outside ikd's framing")
	msg, err := sign1.ParseLenient(token, limits.MaxStatusList)
	require.NoError(t, err)
	s, err := parseMessage(msg)
	require.NoError(t, err)
	assert.Equal(t, keys.ES256, s.msg.Alg)
	assert.Nil(t, s.KeyID(), "the draft's kid is unprotected and ignored")

	l, err := s.verify(pub)
	require.NoError(t, err)
	assert.Equal(t, "https://example.com/statuslists/1", l.sub)
	assert.Equal(t, time.Unix(1686920170, 0).UTC(), l.IssuedAt())
	assert.Equal(t, time.Unix(2291720170, 0).UTC(), l.Expiry())
	assert.Equal(t, 43200*time.Second, l.TTL())
	assert.Equal(t, 1, l.entries.bits)
	assert.Equal(t, 16, l.entries.size)
	want := []status.Status{1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1} // bytes b9 a3, LSB first
	for i, w := range want {
		got, err := l.Get(uint32(i))
		require.NoError(t, err)
		assert.Equal(t, w, got, "index %d", i)
	}

	// Its sub is a URL, not an ikd URN: the public Verify refuses it.
	_, err = s.Verify(pub)
	assert.ErrorIs(t, err, ErrMalformed)

	// The Referenced Token points at index 0 of that list.
	refBytes := readHexFile(t, "referenced_token_cwt.md")
	ref, err := sign1.ParseLenient(refBytes, len(refBytes))
	require.NoError(t, err)
	require.NoError(t, ref.Verify(keys.ES256, pub, nil))
	var claimsMap map[int64]cbor.RawMessage
	require.NoError(t, codec.Unmarshal(ref.Payload, &claimsMap))
	var st struct {
		StatusList struct {
			Idx uint32 `cbor:"idx"`
			URI string `cbor:"uri"`
		} `cbor:"status_list"`
	}
	require.NoError(t, codec.Unmarshal(claimsMap[65535], &st))
	assert.Equal(t, l.sub, st.StatusList.URI)
	got, err := l.Get(st.StatusList.Idx)
	require.NoError(t, err)
	assert.Equal(t, status.StatusRevoked, got)
}
