package credential

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/fxamacker/cbor/v2"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/keys"
)

// This file is the credential's wire format, and the only code that turns
// a payload into bytes and back: [encodePayload] and [decodePayload]. The
// exported types carry no CBOR methods or tags; the structs below mirror
// them with the wire's keys and types.
//
// The payload is a CWT claims set (RFC 8392) in Core Deterministic CBOR
// (RFC 8949 §4.2.1), with ikd's private claims under small negative keys so
// that each costs one byte:
//
//	 1 iss  issuer id (text)                       RFC 8392 §3.1.1
//	 4 exp  expiry (NumericDate, seconds)          RFC 8392 §3.1.4
//	 6 iat  issued at (NumericDate, seconds)       RFC 8392 §3.1.6
//	 8 cnf  {1: COSE_Key} the holder's device key  RFC 8747 §3.1
//	-1 disclosure profile (uint)
//	-2 status reference [list, index]
//	-3 the claims of a KTP (map with the Claim numbers as keys)
//
// The KTP claims sit under -3; documents added later (Kartu Keluarga,
// KITAS/KITAP) get keys of their own (-4, -5, …), so that the key says what
// the claims are and a credential cannot claim one document and carry
// another.
//
// Within the claims, dates are the unsigned integer YYYYMMDD, the NIK the
// unsigned integer of its 16 digits (9 bytes), enums their number, a
// lifetime validity CBOR true, and an absent claim has no key at all.
//
// Why integer keys and not text: measured here, integer keys save about 15%
// of the QR text. Why CBOR and not JSON: it is what COSE signs, it has a
// deterministic form, and binary data (keys) needs no extra encoding.
//
// Decoding is strict (internal/codec: no duplicate or unknown keys, no
// indefinite lengths, no tags, nesting and size caps) and accepts canonical
// input only: the decoded payload must encode back to the same bytes, which
// also refuses an explicit zero value (a 0 date, an empty string, a null)
// where the encoder would leave the key out.

// payload is a credential's content in the package's own types.
type payload struct {
	Issuer           string
	IssuedAt, Expiry int64 // NumericDate, seconds
	DeviceKey        *ecdsa.PublicKey
	Profile          Profile
	Status           StatusRef
	Claims           KTP               // when Profile is a KTP profile
	KK               *KK               // when Profile is a Kartu Keluarga profile
	Birth            *BirthCertificate // when Profile is an Akta Kelahiran profile
}

type payloadWire struct {
	Issuer   string       `cbor:"1,keyasint"`
	Expiry   int64        `cbor:"4,keyasint"`
	IssuedAt int64        `cbor:"6,keyasint"`
	Confirm  confirmation `cbor:"8,keyasint"`
	Profile  uint8        `cbor:"-1,keyasint"`
	Status   statusWire   `cbor:"-2,keyasint"`
	KTP      *ktpWire     `cbor:"-3,keyasint,omitempty"`
	KK       *kkWire      `cbor:"-4,keyasint,omitempty"`
	Akta     *aktaWire    `cbor:"-5,keyasint,omitempty"`
}

// confirmation is the cnf claim: proof-of-possession key (RFC 8747 §3.2).
type confirmation struct {
	Key coseKey `cbor:"1,keyasint"`
}

// coseKey is a P-256 public COSE_Key (RFC 9053 §7.1.1) with a compressed
// point: y is the sign bit (true for an odd y, the SEC 1 0x03 prefix). It
// saves 33 bytes of QR against the uncompressed form. Device keys are P-256
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

// statusWire is the status reference as a two-element array.
type statusWire struct {
	_     struct{} `cbor:",toarray"`
	List  uint32
	Index uint32
}

type ktpWire struct {
	NIK           uint64          `cbor:"1,keyasint,omitempty"`
	Name          string          `cbor:"2,keyasint,omitempty"`
	BirthPlace    string          `cbor:"3,keyasint,omitempty"`
	BirthDate     uint64          `cbor:"4,keyasint,omitempty"`
	Sex           uint8           `cbor:"5,keyasint,omitempty"`
	BloodType     uint8           `cbor:"6,keyasint,omitempty"`
	Address       *addressWire    `cbor:"7,keyasint,omitempty"`
	Religion      uint8           `cbor:"8,keyasint,omitempty"`
	MaritalStatus uint8           `cbor:"9,keyasint,omitempty"`
	Occupation    string          `cbor:"10,keyasint,omitempty"`
	Citizenship   uint8           `cbor:"11,keyasint,omitempty"`
	Nationality   string          `cbor:"12,keyasint,omitempty"`
	Validity      cbor.RawMessage `cbor:"13,keyasint,omitempty"` // true or a date
	IssuingOffice string          `cbor:"14,keyasint,omitempty"`
	IssueDate     uint64          `cbor:"15,keyasint,omitempty"`
	Over17        *bool           `cbor:"16,keyasint,omitempty"`
}

type addressWire struct {
	Street    string `cbor:"1,keyasint,omitempty"`
	RT        uint16 `cbor:"2,keyasint,omitempty"`
	RW        uint16 `cbor:"3,keyasint,omitempty"`
	Kelurahan string `cbor:"4,keyasint,omitempty"`
	Kecamatan string `cbor:"5,keyasint,omitempty"`
	Regency   string `cbor:"6,keyasint,omitempty"`
	Province  string `cbor:"7,keyasint,omitempty"`
	Postal    uint32 `cbor:"8,keyasint,omitempty"` // Kartu Keluarga only
}

// cborTrue is the encoding of a lifetime validity.
var cborTrue = []byte{0xf5}

// encodePayload returns the canonical CBOR of p. It fails on values the
// wire cannot carry: a device key that is not a P-256 point, a malformed
// NIK, a date that does not exist, a validity both for life and dated.
// Those errors wrap [ErrInvalidValue] (the device key's too).
func encodePayload(p *payload) ([]byte, error) {
	key, err := newCOSEKey(p.DeviceKey)
	if err != nil {
		return nil, err
	}
	w := payloadWire{
		Issuer:   p.Issuer,
		Expiry:   p.Expiry,
		IssuedAt: p.IssuedAt,
		Confirm:  confirmation{Key: key},
		Profile:  uint8(p.Profile),
		Status:   statusWire{List: p.Status.List, Index: p.Status.Index},
	}
	switch p.Profile.Document() {
	case DocumentKK:
		if p.KK == nil {
			return nil, fmt.Errorf("%w: no Kartu Keluarga claims", ErrInvalidValue)
		}
		if w.KK, err = kkToWire(p.KK); err != nil {
			return nil, err
		}
	case DocumentBirthCertificate:
		if p.Birth == nil {
			return nil, fmt.Errorf("%w: no Akta Kelahiran claims", ErrInvalidValue)
		}
		if w.Akta, err = aktaToWire(p.Birth); err != nil {
			return nil, err
		}
	default:
		if w.KTP, err = ktpToWire(&p.Claims); err != nil {
			return nil, err
		}
	}
	return codec.Marshal(w)
}

// decodePayload reads a payload in one pass over its bytes and accepts
// canonical input only (see the top of this file): the codec.Reader refuses
// non-shortest heads, indefinite lengths, tags, floats and keys out of
// order, and this decoder refuses unknown keys, missing required ones,
// values of the wrong type or range, and explicit zero values that the
// encoder would leave out. decodePayload(b) succeeds exactly when the
// strict decoder of internal/codec accepts b into the wire structs above
// and encodePayload gives b back (FuzzDecodePayload checks it against that
// reference). It checks the shape of every value (a NIK passes [ParseNIK],
// dates exist, the device key is a point on P-256) but not what the values
// mean together: [Parse] checks the issuer id, profile and times,
// [Signed.Verify] the claims.
func decodePayload(data []byte) (*payload, error) {
	r := codec.NewReader(data)
	p := &payload{}
	n, err := r.Map()
	if err != nil {
		return nil, err
	}
	if n != 7 {
		return nil, fmt.Errorf("payload has %d claims, want 7", n)
	}
	// Canonical order of the integer keys: 1, 4, 6, 8, then -1, -2 and the
	// document's key: -3 (KTP), -4 (Kartu Keluarga) or -5 (Akta Kelahiran),
	// which must be the profile's document.
	for _, key := range [...]int64{1, 4, 6, 8, -1, -2, -3} {
		if key == -3 {
			switch p.Profile.Document() {
			case DocumentKK:
				key = -4
			case DocumentBirthCertificate:
				key = -5
			}
		}
		if err := expectKey(r, key); err != nil {
			return nil, err
		}
		switch key {
		case 1:
			iss, err := r.Text()
			if err != nil {
				return nil, err
			}
			p.Issuer = string(iss)
		case 4:
			if p.Expiry, err = r.Int(); err != nil {
				return nil, err
			}
		case 6:
			if p.IssuedAt, err = r.Int(); err != nil {
				return nil, err
			}
		case 8:
			if p.DeviceKey, err = decodeConfirmation(r); err != nil {
				return nil, fmt.Errorf("cnf: %w", err)
			}
		case -1:
			v, err := uintN(r, 8, true)
			if err != nil {
				return nil, fmt.Errorf("profile: %w", err)
			}
			p.Profile = Profile(v)
		case -2:
			if p.Status, err = decodeStatusRef(r); err != nil {
				return nil, fmt.Errorf("status: %w", err)
			}
		case -3:
			if p.Claims, err = decodeKTP(r); err != nil {
				return nil, err
			}
		case -4:
			if p.KK, err = decodeKK(r); err != nil {
				return nil, fmt.Errorf("kk: %w", err)
			}
		case -5:
			if p.Birth, err = decodeAkta(r); err != nil {
				return nil, fmt.Errorf("akta: %w", err)
			}
		}
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	return p, nil
}

// expectKey reads an integer map key and checks that it is want.
func expectKey(r *codec.Reader, want int64) error {
	if r.Peek() != codec.KindInt {
		return fmt.Errorf("%w: key %d missing", codec.ErrMalformed, want)
	}
	got, err := r.Int()
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%w: key %d where %d belongs", codec.ErrMalformed, got, want)
	}
	return nil
}

// uintN reads an unsigned integer of at most bits bits; zero is refused
// unless zeroOK (an omitempty field is never encoded as 0).
func uintN(r *codec.Reader, bits uint, zeroOK bool) (uint64, error) {
	v, err := r.Int()
	if err != nil {
		return 0, err
	}
	if v < 0 || uint64(v)>>bits != 0 {
		return 0, fmt.Errorf("%w: %d out of range", codec.ErrMalformed, v)
	}
	if v == 0 && !zeroOK {
		return 0, fmt.Errorf("%w: explicit zero", codec.ErrNotCanonical)
	}
	return uint64(v), nil
}

// text reads a non-empty text string (an omitempty field is never the
// empty string).
func text(r *codec.Reader) (string, error) {
	b, err := r.Text()
	if err != nil {
		return "", err
	}
	if len(b) == 0 {
		return "", fmt.Errorf("%w: explicit empty text", codec.ErrNotCanonical)
	}
	return string(b), nil
}

// decodeConfirmation reads the cnf claim {1: COSE_Key} with the COSE_Key
// {1: kty, -1: crv, -2: x, -3: y-sign}.
func decodeConfirmation(r *codec.Reader) (*ecdsa.PublicKey, error) {
	n, err := r.Map()
	if err != nil {
		return nil, err
	}
	if n != 1 {
		return nil, errDeviceKey
	}
	if err := expectKey(r, 1); err != nil {
		return nil, err
	}
	if n, err = r.Map(); err != nil {
		return nil, err
	}
	if n != 4 {
		return nil, errDeviceKey
	}
	var k coseKey
	for _, key := range [...]int64{1, -1, -2, -3} {
		if err := expectKey(r, key); err != nil {
			return nil, err
		}
		switch key {
		case 1:
			k.Kty, err = r.Int()
		case -1:
			k.Crv, err = r.Int()
		case -2:
			k.X, err = r.Bytes()
		case -3:
			k.Y, err = r.Bool()
		}
		if err != nil {
			return nil, err
		}
	}
	return k.publicKey()
}

// decodeStatusRef reads [list, index].
func decodeStatusRef(r *codec.Reader) (StatusRef, error) {
	n, err := r.Array()
	if err != nil {
		return StatusRef{}, err
	}
	if n != 2 {
		return StatusRef{}, fmt.Errorf("%w: %d items, want 2", codec.ErrMalformed, n)
	}
	list, err := uintN(r, 32, true)
	if err != nil {
		return StatusRef{}, err
	}
	index, err := uintN(r, 32, true)
	if err != nil {
		return StatusRef{}, err
	}
	return StatusRef{List: uint32(list), Index: uint32(index)}, nil
}

// decodeKTP reads the map of KTP claims (keys: the Claim numbers).
func decodeKTP(r *codec.Reader) (KTP, error) {
	var k KTP
	n, err := r.Map()
	if err != nil {
		return KTP{}, err
	}
	for range n {
		key, err := r.Int()
		if err != nil {
			return KTP{}, err
		}
		if err := decodeClaim(r, &k, Claim(key), key); err != nil {
			return KTP{}, err
		}
	}
	return k, nil
}

// decodeClaim reads the value of claim c (raw is the key as read, for
// keys that name no claim).
func decodeClaim(r *codec.Reader, k *KTP, c Claim, raw int64) error {
	var err error
	switch {
	case raw < int64(ClaimNIK) || raw > int64(ClaimOver17):
		return fmt.Errorf("%w: unknown claim key %d", codec.ErrMalformed, raw)
	case c == ClaimNIK:
		var v uint64
		if v, err = uintN(r, 64, false); err == nil {
			k.NIK, err = nikFromWire(v)
		}
	case c == ClaimName:
		k.Name, err = text(r)
	case c == ClaimBirthPlace:
		k.BirthPlace, err = text(r)
	case c == ClaimBirthDate:
		k.BirthDate, err = wireDate(r)
	case c == ClaimSex:
		var v uint64
		v, err = uintN(r, 8, false)
		k.Sex = Sex(v)
	case c == ClaimBloodType:
		var v uint64
		v, err = uintN(r, 8, false)
		k.BloodType = BloodType(v)
	case c == ClaimAddress:
		k.Address, err = decodeAddress(r, false)
	case c == ClaimReligion:
		var v uint64
		v, err = uintN(r, 8, false)
		k.Religion = Religion(v)
	case c == ClaimMaritalStatus:
		var v uint64
		v, err = uintN(r, 8, false)
		k.MaritalStatus = MaritalStatus(v)
	case c == ClaimOccupation:
		k.Occupation, err = text(r)
	case c == ClaimCitizenship:
		var v uint64
		v, err = uintN(r, 8, false)
		k.Citizenship = Citizenship(v)
	case c == ClaimNationality:
		k.Nationality, err = text(r)
	case c == ClaimValidity:
		if r.Peek() == codec.KindBool {
			var life bool
			if life, err = r.Bool(); err == nil && !life {
				err = errors.New("validity is neither true nor a date")
			}
			k.Validity.Lifetime = life
		} else {
			k.Validity.Until, err = wireDate(r)
		}
	case c == ClaimIssuingOffice:
		k.IssuingOffice, err = text(r)
	case c == ClaimIssueDate:
		k.IssueDate, err = wireDate(r)
	case c == ClaimOver17:
		var over bool
		over, err = r.Bool()
		k.Over17 = &over
	}
	if err != nil {
		return fmt.Errorf("%v: %w", c, err)
	}
	return nil
}

// wireDate reads a YYYYMMDD date that exists.
func wireDate(r *codec.Reader) (Date, error) {
	n, err := uintN(r, 64, false)
	if err != nil {
		return Date{}, err
	}
	return dateFromWire(n)
}

// decodeAddress reads the address map (keys 1 to 7, at least one; and 8,
// the postal code, if postal).
func decodeAddress(r *codec.Reader, postal bool) (*Address, error) {
	n, err := r.Map()
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, errors.New("empty address map")
	}
	a := &Address{}
	for range n {
		key, err := r.Int()
		if err != nil {
			return nil, err
		}
		var v uint64
		switch key {
		case 1:
			a.Street, err = text(r)
		case 2:
			v, err = uintN(r, 16, false)
			a.RT = uint16(v)
		case 3:
			v, err = uintN(r, 16, false)
			a.RW = uint16(v)
		case 4:
			a.Kelurahan, err = text(r)
		case 5:
			a.Kecamatan, err = text(r)
		case 6:
			a.Regency, err = text(r)
		case 7:
			a.Province, err = text(r)
		case 8:
			if !postal {
				return nil, fmt.Errorf("%w: a KTP address has no postal code", codec.ErrMalformed)
			}
			v, err = uintN(r, 32, false)
			a.PostalCode = strconv.FormatUint(v, 10)
		default:
			return nil, fmt.Errorf("%w: unknown address key %d", codec.ErrMalformed, key)
		}
		if err != nil {
			return nil, fmt.Errorf("address: %w", err)
		}
	}
	return a, nil
}

func ktpToWire(k *KTP) (*ktpWire, error) {
	w := &ktpWire{
		Name:          k.Name,
		BirthPlace:    k.BirthPlace,
		Sex:           uint8(k.Sex),
		BloodType:     uint8(k.BloodType),
		Religion:      uint8(k.Religion),
		MaritalStatus: uint8(k.MaritalStatus),
		Occupation:    k.Occupation,
		Citizenship:   uint8(k.Citizenship),
		Nationality:   k.Nationality,
		IssuingOffice: k.IssuingOffice,
		Over17:        k.Over17,
	}
	var err error
	if k.NIK != "" {
		if w.NIK, err = k.NIK.wire(); err != nil {
			return nil, err
		}
	}
	if w.BirthDate, err = dateToWire(k.BirthDate); err != nil {
		return nil, err
	}
	if w.IssueDate, err = dateToWire(k.IssueDate); err != nil {
		return nil, err
	}
	switch v := k.Validity; {
	case v.Lifetime && !v.Until.isZero():
		return nil, fmt.Errorf("%w: validity both for life and until a date", ErrInvalidValue)
	case v.Lifetime:
		w.Validity = cborTrue
	case !v.Until.isZero():
		n, err := dateToWire(v.Until)
		if err != nil {
			return nil, err
		}
		if w.Validity, err = codec.Marshal(n); err != nil {
			return nil, err
		}
	}
	if a := k.Address; a != nil {
		if a.PostalCode != "" {
			return nil, fmt.Errorf("%w: a KTP address has no postal code", ErrInvalidValue)
		}
		if w.Address, err = addressToWire(a); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// dateToWire returns d as YYYYMMDD, 0 for the zero Date (no key), or an
// error wrapping [ErrInvalidValue] for a date that does not exist.
func dateToWire(d Date) (uint64, error) {
	if d.isZero() {
		return 0, nil
	}
	if !d.valid() {
		return 0, fmt.Errorf("%w: no such date %04d-%02d-%02d", ErrInvalidValue, d.Year, int(d.Month), d.Day)
	}
	return d.compact(), nil
}

// dateFromWire reads YYYYMMDD; 0 is the zero Date (the key was absent).
func dateFromWire(n uint64) (Date, error) {
	if n == 0 {
		return Date{}, nil
	}
	d, ok := dateFromCompact(n)
	if !ok {
		return Date{}, fmt.Errorf("%w: no such date %d", ErrInvalidValue, n)
	}
	return d, nil
}

// errDeviceKey reports a device key that is not a valid P-256 public key.
var errDeviceKey = fmt.Errorf("%w: device key must be a P-256 public key", ErrInvalidValue)

func newCOSEKey(pub *ecdsa.PublicKey) (coseKey, error) {
	if alg, err := keys.AlgorithmOf(pub); err != nil || alg != keys.ES256 {
		return coseKey{}, errDeviceKey // also refuses a key built with nil coordinates
	}
	b, err := pub.Bytes() // uncompressed 0x04 || X || Y
	if err != nil {
		return coseKey{}, fmt.Errorf("%w: %v", errDeviceKey, err)
	}
	return coseKey{Kty: coseKtyEC2, Crv: coseCrvP256, X: b[1:33], Y: b[64]&1 == 1}, nil
}

func (k coseKey) publicKey() (*ecdsa.PublicKey, error) {
	if k.Kty != coseKtyEC2 || k.Crv != coseCrvP256 || len(k.X) != 32 {
		return nil, errDeviceKey
	}
	var compressed [33]byte
	compressed[0] = 0x02
	if k.Y {
		compressed[0] = 0x03
	}
	copy(compressed[1:], k.X)
	if pub := deviceKeys.get(compressed); pub != nil {
		return pub, nil
	}
	// The only standard-library way to decompress a point; it checks that
	// the point is on the curve.
	x, y := elliptic.UnmarshalCompressed(elliptic.P256(), compressed[:])
	if x == nil {
		return nil, errDeviceKey
	}
	raw := make([]byte, 65)
	raw[0] = 0x04
	x.FillBytes(raw[1:33])
	y.FillBytes(raw[33:])
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw)
	if err != nil {
		return nil, errDeviceKey
	}
	deviceKeys.put(compressed, pub)
	return pub, nil
}

// deviceKeys remembers decompressed device keys. Decompressing a P-256
// point (a square root in the field, then the on-curve check of
// ecdsa.ParseUncompressedPublicKey) is about a tenth of a whole
// verification, and the same credential comes back at every retry at a gate
// and every refresh in a wallet. The function is pure, so the cache changes
// no result; it only skips the arithmetic for a point seen before. Only
// valid points are stored. The keys it returns are shared: like every
// *ecdsa.PublicKey this package returns, they must not be modified.
var deviceKeys = keyCache{max: 4096}

// keyCache is a bounded map from compressed point to public key, safe for
// concurrent use. When it is full it starts afresh: no eviction order to
// keep, and a full cache means many devices, where a miss costs only the
// arithmetic it would have done anyway.
type keyCache struct {
	mu  sync.RWMutex
	max int
	m   map[[33]byte]*ecdsa.PublicKey
}

func (c *keyCache) get(k [33]byte) *ecdsa.PublicKey {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[k]
}

func (c *keyCache) put(k [33]byte, pub *ecdsa.PublicKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= c.max {
		c.m = make(map[[33]byte]*ecdsa.PublicKey, min(c.max, 256))
	}
	c.m[k] = pub
}
