package mobile

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"io"

	"github.com/ikdgo/ikd/internal/sign1"
)

// DeviceSigner is the wallet's device key, implemented by the app over the
// platform's key store: Android Keystore (an EC key on secp256r1 with
// KeyProperties.PURPOSE_SIGN and DIGEST_SHA256, StrongBox where the phone
// has one) or the iOS Secure Enclave (kSecAttrTokenIDSecureEnclave,
// kSecAttrKeyTypeECSECPrimeRandom, 256 bits). The private key never leaves
// the key store; ikd only asks for signatures.
type DeviceSigner interface {
	// PublicKey returns the P-256 public key, either as an X.509
	// SubjectPublicKeyInfo in DER (Java's PublicKey.getEncoded(), what
	// Android Keystore gives) or as an X9.62 point, uncompressed (65
	// bytes, 0x04‖X‖Y: what SecKeyCopyExternalRepresentation gives for
	// the public key) or compressed (33 bytes). It is called once, by
	// NewWallet.
	PublicKey() ([]byte, error)
	// Sign signs message with ECDSA over P-256 and SHA-256: the platform
	// hashes the message itself (Java's Signature "SHA256withECDSA",
	// Security's .ecdsaSignatureMessageX962SHA256). It returns the
	// signature in DER (X9.62, what both platforms return) or as raw r‖s
	// (64 bytes). The wallet checks every signature against the public key
	// before it uses it. Sign may show the platform's user-authentication
	// prompt; it is called once per code.
	Sign(message []byte) ([]byte, error)
}

// deviceKey adapts a DeviceSigner to crypto.MessageSigner, the device key
// qr.NewWallet takes. It signs messages only: its Sign refuses digests, as
// crypto.MessageSigner says such a key should, and internal/sign1 gives it
// the message.
type deviceKey struct {
	signer DeviceSigner
	pub    *ecdsa.PublicKey
}

var _ crypto.MessageSigner = (*deviceKey)(nil)

// newDeviceKey reads signer's public key once.
func newDeviceKey(signer DeviceSigner) (*deviceKey, error) {
	if signer == nil {
		return nil, errorf(codeInvalidArgument, "no device signer")
	}
	b, err := callSigner("PublicKey", signer.PublicKey)
	if err != nil {
		return nil, errorf(codeSigner, "%v", err)
	}
	pub, err := parseDevicePublicKey(b)
	if err != nil {
		return nil, err
	}
	return &deviceKey{signer: signer, pub: pub}, nil
}

// callSigner calls f, a method of the app's DeviceSigner, and turns a
// panic in it (a Go implementation's bug) into an error, so that it
// reaches the caller as a signer error rather than crashing the app.
func callSigner(name string, f func() ([]byte, error)) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("%s panicked: %v", name, r)
		}
	}()
	b, err = f()
	if err != nil {
		err = fmt.Errorf("%s: %w", name, err)
	}
	return b, err
}

// maxPublicKey bounds the public key bytes: a P-256 SubjectPublicKeyInfo is
// 91 bytes.
const maxPublicKey = 256

// parseDevicePublicKey reads a P-256 public key as a SubjectPublicKeyInfo
// or an X9.62 point.
func parseDevicePublicKey(b []byte) (*ecdsa.PublicKey, error) {
	if len(b) == 0 || len(b) > maxPublicKey {
		return nil, errorf(codeDevice, "public key of %d bytes", len(b))
	}
	if b[0] == 0x02 || b[0] == 0x03 || b[0] == 0x04 {
		return parsePoint(b)
	}
	k, err := x509.ParsePKIXPublicKey(b)
	if err != nil {
		return nil, errorf(codeDevice, "public key is neither a SubjectPublicKeyInfo nor an X9.62 point: %v", err)
	}
	pub, ok := k.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		return nil, errorf(codeDevice, "public key is %T, want P-256", k)
	}
	// ParsePKIXPublicKey checks the point is on the curve.
	return pub, nil
}

// parsePoint reads an uncompressed or compressed X9.62 P-256 point.
func parsePoint(b []byte) (*ecdsa.PublicKey, error) {
	if len(b) == 33 {
		x, y := elliptic.UnmarshalCompressed(elliptic.P256(), b)
		if x == nil {
			return nil, errorf(codeDevice, "compressed point is not on P-256")
		}
		b = make([]byte, 65)
		b[0] = 0x04
		x.FillBytes(b[1:33])
		y.FillBytes(b[33:])
	}
	// ParseUncompressedPublicKey checks that the point is on the curve.
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), b)
	if err != nil {
		return nil, errorf(codeDevice, "not a P-256 point: %v", err)
	}
	return pub, nil
}

// Public returns the device's public key.
func (d *deviceKey) Public() crypto.PublicKey { return d.pub }

// Sign refuses: the platform key stores sign messages, not digests.
func (d *deviceKey) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errorf(codeSigner, "the device key signs messages, not digests")
}

// SignMessage asks the app's signer for a signature of msg, normalises it
// to DER and checks it: a signer that hashes with another function, signs
// with another key or returns garbage is reported here, at the wallet, and
// not as a refused code at every gate.
func (d *deviceKey) SignMessage(_ io.Reader, msg []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts == nil || opts.HashFunc() != crypto.SHA256 {
		return nil, errorf(codeSigner, "the device key signs with SHA-256 only")
	}
	sig, err := callSigner("Sign", func() ([]byte, error) { return d.signer.Sign(msg) })
	if err != nil {
		return nil, errorf(codeSigner, "%v", err)
	}
	digest := sha256.Sum256(msg)
	if der, ok := d.normalize(digest[:], sig); ok {
		return der, nil
	}
	return nil, errorf(codeSigner, "the signature (%d bytes) does not verify with the device public key: it must be ECDSA P-256 over SHA-256 of the message, in DER or as r‖s", len(sig))
}

// normalize returns sig as DER if it is a DER or raw r‖s signature of
// digest by the device key. A 64-byte input is tried as r‖s first and then
// as DER: a DER signature can be 64 bytes long too (short r and s), and
// only the one that verifies is the signature.
func (d *deviceKey) normalize(digest, sig []byte) ([]byte, bool) {
	var candidates [][]byte
	if len(sig) == 64 {
		candidates = append(candidates, sign1.DERSignature(sig))
	}
	if raw, err := sign1.ParseDERSignature(sig); err == nil {
		candidates = append(candidates, sign1.DERSignature(raw))
	}
	for _, der := range candidates {
		if ecdsa.VerifyASN1(d.pub, digest, der) {
			return bytes.Clone(der), true
		}
	}
	return nil, false
}
