package credential

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"errors"
	"fmt"
)

// The CWT claims map of a credential (RFC 8392), with ikd's private claims
// under small negative keys so that each costs one byte.
//
//	 1 iss  issuer id (text)                       RFC 8392 §3.1.1
//	 4 exp  expiry (NumericDate, seconds)          RFC 8392 §3.1.4
//	 6 iat  issued at (NumericDate, seconds)       RFC 8392 §3.1.6
//	 8 cnf  {1: COSE_Key} the holder's device key  RFC 8747 §3.1
//	-1 disclosure profile (uint)
//	-2 status reference [list id, index]
//	-3 the claims of a KTP (map with small uint keys, see KTP)
//
// The document type is the key under which the document's claims sit
// (-3 for a KTP; the next documents get -4, -5, …), so it costs no byte of
// its own and a credential cannot claim one type and carry another.
//
// Why integer keys and not text: measured here, integer keys save about 15%
// of the QR text. Why CBOR and not JSON: it is what COSE signs, it has a
// deterministic form, and binary data (keys) needs no extra encoding.
type payload struct {
	Issuer    string       `cbor:"1,keyasint"`
	Expiry    int64        `cbor:"4,keyasint"`
	IssuedAt  int64        `cbor:"6,keyasint"`
	Confirm   confirmation `cbor:"8,keyasint"`
	Profile   Profile      `cbor:"-1,keyasint"`
	StatusRef StatusRef    `cbor:"-2,keyasint"`
	KTP       *KTP         `cbor:"-3,keyasint,omitempty"`
}

// document returns the document type, from the claims key present.
func (p *payload) document() DocumentType {
	if p.KTP != nil {
		return DocumentKTP
	}
	return 0
}

// confirmation is the cnf claim: proof-of-possession key (RFC 8747 §3.2).
type confirmation struct {
	Key coseKey `cbor:"1,keyasint"`
}

// coseKey is a P-256 public COSE_Key (RFC 9053 §7.1.1) with a compressed
// point: y is the sign bit (true for an odd y, the SEC 1 0x03 prefix). It
// saves 31 bytes of QR against the uncompressed form. Device keys are P-256
// only: Android Keystore and the iOS Secure Enclave offer nothing else.
type coseKey struct {
	Kty int64  `cbor:"1,keyasint"`
	Crv int64  `cbor:"-1,keyasint"`
	X   []byte `cbor:"-2,keyasint"`
	Y   bool   `cbor:"-3,keyasint"`
}

const (
	coseKtyEC2  = 2
	coseCrvP256 = 1
)

// StatusRef points at a credential's entry in its issuer's revocation status
// list (draft-ietf-oauth-status-list): list List of the credential's issuer,
// entry Index. Indices are drawn at random by the issuer and each device gets
// its own.
type StatusRef struct {
	_ struct{} `cbor:",toarray"`
	// List is the issuer's status list number.
	List uint32
	// Index is the entry in that list.
	Index uint32
}

// ErrDeviceKey reports a device key that is not a valid P-256 public key.
var ErrDeviceKey = errors.New("credential: device key must be a P-256 public key")

func newCOSEKey(pub *ecdsa.PublicKey) (coseKey, error) {
	if pub == nil || pub.Curve != elliptic.P256() {
		return coseKey{}, ErrDeviceKey
	}
	b, err := pub.Bytes() // uncompressed 0x04 || X || Y, validates the point
	if err != nil {
		return coseKey{}, fmt.Errorf("%w: %v", ErrDeviceKey, err)
	}
	return coseKey{Kty: coseKtyEC2, Crv: coseCrvP256, X: b[1:33], Y: b[64]&1 == 1}, nil
}

func (k coseKey) publicKey() (*ecdsa.PublicKey, error) {
	if k.Kty != coseKtyEC2 || k.Crv != coseCrvP256 || len(k.X) != 32 {
		return nil, ErrDeviceKey
	}
	compressed := make([]byte, 33)
	compressed[0] = 0x02
	if k.Y {
		compressed[0] = 0x03
	}
	copy(compressed[1:], k.X)
	//lint:ignore SA1019 the only standard-library way to decompress a point; it checks the point is on the curve.
	x, y := elliptic.UnmarshalCompressed(elliptic.P256(), compressed)
	if x == nil {
		return nil, ErrDeviceKey
	}
	raw := make([]byte, 65)
	raw[0] = 0x04
	x.FillBytes(raw[1:33])
	y.FillBytes(raw[33:])
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw)
	if err != nil {
		return nil, ErrDeviceKey
	}
	return pub, nil
}
