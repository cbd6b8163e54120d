package sign1_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/asn1"
	"errors"
	"io"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
)

// messageSigner is a key that signs messages only, as a key in Android
// Keystore created for SHA256withECDSA does: its Sign refuses digests.
type messageSigner struct {
	key      *ecdsa.PrivateKey
	messages [][]byte
	der      func([]byte) []byte // rewrites the DER signature, for the refusals
	fail     error               // returned by SignMessage when set
}

func (m *messageSigner) Public() crypto.PublicKey { return m.key.Public() }

func (m *messageSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("this key signs messages only")
}

func (m *messageSigner) SignMessage(rand io.Reader, msg []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts.HashFunc() != crypto.SHA256 {
		return nil, errors.New("want SHA-256")
	}
	if m.fail != nil {
		return nil, m.fail
	}
	m.messages = append(m.messages, append([]byte(nil), msg...))
	digest := sha256.Sum256(msg)
	der, err := ecdsa.SignASN1(rand, m.key, digest[:])
	if err != nil || m.der == nil {
		return der, err
	}
	return m.der(der), nil
}

var _ crypto.MessageSigner = (*messageSigner)(nil)

func TestSignWithMessageSigner(t *testing.T) {
	key := testkit.P256("sign1 message signer")
	t.Run("the signer is given the Sig_structure and the signature verifies", func(t *testing.T) {
		ms := &messageSigner{key: key}
		data, err := sign1.SignUntagged(testkit.NewReader("ms"), ms, sign1.ES256, nil, []byte("payload"))
		require.NoError(t, err)
		m, err := sign1.Parse(data, allLabels)
		require.NoError(t, err)
		require.NoError(t, m.Verify(sign1.ES256, key.Public(), nil))
		tbs, err := m.SigStructure(nil)
		require.NoError(t, err)
		require.Len(t, ms.messages, 1)
		assert.Equal(t, tbs, ms.messages[0])
	})
	t.Run("the signer's own error is wrapped", func(t *testing.T) {
		locked := errors.New("user authentication required")
		ms := &messageSigner{key: key, fail: locked}
		_, err := sign1.SignUntagged(testkit.NewReader("ms"), ms, sign1.ES256, nil, []byte("payload"))
		assert.ErrorIs(t, err, locked)
	})
	for _, tc := range []struct {
		name string
		der  func([]byte) []byte
	}{
		{"trailing byte", func(b []byte) []byte { return append(b, 0) }},
		{"raw r‖s instead of DER", func(b []byte) []byte { s, _ := sign1.ParseDERSignature(b); return s }},
		{"empty", func([]byte) []byte { return nil }},
	} {
		t.Run("a signer returning "+tc.name+" is an error", func(t *testing.T) {
			ms := &messageSigner{key: key, der: tc.der}
			_, err := sign1.SignUntagged(testkit.NewReader("ms"), ms, sign1.ES256, nil, []byte("payload"))
			assert.Error(t, err)
		})
	}
}

func TestParseDERSignature(t *testing.T) {
	n := new(big.Int).Set(ecdsaN())
	der := func(r, s *big.Int) []byte {
		b, err := asn1.Marshal(struct{ R, S *big.Int }{r, s})
		require.NoError(t, err)
		return b
	}
	one, small := big.NewInt(1), big.NewInt(0x7f)
	high := new(big.Int).Sub(n, one)
	valid := der(high, small)
	for _, tc := range []struct {
		name string
		in   []byte
		ok   bool
	}{
		{"r = n-1, s = 127", valid, true},
		{"r = s = 1", der(one, one), true},
		{"r = 0", der(big.NewInt(0), one), false},
		{"s = n", der(one, n), false},
		{"negative r", der(big.NewInt(-1), one), false},
		{"trailing byte", append(append([]byte{}, valid...), 0), false},
		{"long-form length", append([]byte{0x30, 0x81, valid[1]}, valid[2:]...), false},
		{"non-minimal integer", []byte{0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01}, false},
		{"truncated", valid[:len(valid)-1], false},
		{"empty", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := sign1.ParseDERSignature(tc.in)
			if !tc.ok {
				assert.Error(t, err)
				assert.Nil(t, raw)
				return
			}
			require.NoError(t, err)
			require.Len(t, raw, 64)
			assert.Equal(t, tc.in, sign1.DERSignature(raw), "round trip")
		})
	}
	assert.Nil(t, sign1.DERSignature(make([]byte, 63)))
}

func ecdsaN() *big.Int { return testkit.P256("n").Curve.Params().N }
