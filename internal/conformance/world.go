package conformance

import (
	"crypto"
	"crypto/ecdsa"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
)

// RefTime is the reference time of the vectors, 2026-11-23 09:00 WIB
// (testkit.Now): trust lists, credentials and status lists are dated
// around it, and most steps happen at it.
var RefTime = testkit.Now.UTC()

const (
	day  = 24 * time.Hour
	week = 7 * day
)

// at returns RefTime + d.
func at(d time.Duration) time.Time { return RefTime.Add(d) }

// issuer is a test issuing office with a fixed key.
type issuer struct {
	id, name string
	alg      keys.Algorithm
	signer   crypto.Signer
	kid      []byte
	iss      *credential.Issuer
}

// holder is a person with a device.
type holder struct {
	label  string
	ktp    credential.KTP
	device crypto.Signer // deterministic P-256
}

// world is everything the vectors share: roots, issuers, holders and the
// trust lists and status lists signed with them.
type world struct {
	rootA, rootB, rootC crypto.Signer // A pinned (ES256), B announced (EdDSA), C rogue (EdDSA)
	rootJWK             []byte        // A as root.jwk

	jakarta, jakut, bandung, selatan, rogue, jakarta2 *issuer

	man, woman, wna, child *holder
}

func detP256(label string) crypto.Signer {
	s, err := NewDeterministicSigner(testkit.P256("conformance " + label))
	must(err)
	return s
}

func newIssuer(id, name string, signer crypto.Signer) *issuer {
	alg, err := keys.AlgorithmOf(signer.Public())
	must(err)
	kid, err := keys.KeyID(signer.Public())
	must(err)
	iss, err := credential.NewIssuer(id, signer)
	must(err)
	return &issuer{id: id, name: name, alg: alg, signer: signer, kid: kid, iss: iss}
}

func newWorld() *world {
	w := &world{
		rootA: detP256("root A"),
		rootB: testkit.Ed25519("conformance root B"),
		rootC: testkit.Ed25519("conformance root C"),
	}
	w.rootJWK = publicJWK(w.rootA.Public())
	jkt := detP256("issuer 3171")
	w.jakarta = newIssuer("3171", "Disdukcapil Kota Jakarta Pusat", jkt)
	// Jakarta Utara shares Jakarta Pusat's key: one kid, two candidates.
	w.jakut = newIssuer("3172", "Disdukcapil Kota Jakarta Utara", jkt)
	w.bandung = newIssuer("3273", "Disdukcapil Kota Bandung", testkit.Ed25519("conformance issuer 3273"))
	w.selatan = newIssuer("3174", "Disdukcapil Kota Jakarta Selatan", detP256("issuer 3174 retired"))
	w.rogue = newIssuer("3171", "not in any trust list", detP256("rogue"))
	w.jakarta2 = newIssuer("3171", "Disdukcapil Kota Jakarta Pusat", testkit.Ed25519("conformance issuer 3171 next"))

	w.man = &holder{"man", testkit.Man(), detP256("device man")}
	w.woman = &holder{"woman", testkit.Woman(), detP256("device woman")}
	w.wna = &holder{"wna", testkit.Foreigner(), detP256("device wna")}
	child := testkit.Man()
	child.NIK = "3171015504120002" // 15 April 2012, female
	child.Name = "AYU LESTARI"
	child.BirthDate = mustDate("2012-04-15")
	child.Sex = credential.SexFemale
	child.MaritalStatus = credential.MaritalBelumKawin
	child.Occupation = "PELAJAR/MAHASISWA"
	child.IssueDate = mustDate("2026-05-02")
	w.child = &holder{"child", child, detP256("device child")}
	return w
}

func mustDate(s string) credential.Date {
	t, err := time.Parse(time.DateOnly, s)
	must(err)
	return credential.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

// publicJWK returns pub as keys.SavePublicKey writes it (root.jwk).
func publicJWK(pub crypto.PublicKey) []byte {
	dir, err := os.MkdirTemp("", "ikd-conformance-")
	must(err)
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "root.jwk")
	must(keys.SavePublicKey(path, pub))
	b, err := os.ReadFile(path)
	must(err)
	return b
}

// window is a key's validity in the trust lists: a year either side of
// RefTime, unless given.
func (is *issuer) key(nbf, exp time.Time) keys.IssuerKey {
	return keys.IssuerKey{PublicKey: is.signer.Public(), NotBefore: nbf, NotAfter: exp}
}

func wide(is *issuer) keys.IssuerKey { return is.key(at(-400*day), at(400*day)) }

// trustContent is the base trust list: sequence 1, issued a day before
// RefTime, next update six days after, announcing root B.
func (w *world) trustContent(seq uint64) *keys.TrustListContent {
	return &keys.TrustListContent{
		Sequence: seq, IssuedAt: at(-day), NextUpdate: at(6 * day),
		Issuers: []keys.TrustedIssuer{
			{ID: "3171", Name: w.jakarta.name, Keys: []keys.IssuerKey{wide(w.jakarta)}},
			{ID: "3172", Name: w.jakut.name, Keys: []keys.IssuerKey{wide(w.jakut)}},
			{ID: "3174", Name: w.selatan.name, Keys: []keys.IssuerKey{w.selatan.key(at(-400*day), at(-100*day))}},
			{ID: "3273", Name: w.bandung.name, Keys: []keys.IssuerKey{wide(w.bandung)}},
		},
		NextRoot: w.rootB.Public(),
	}
}

func signTrust(root crypto.Signer, c *keys.TrustListContent) string {
	b, err := keys.SignTrustList(root, c)
	must(err)
	return string(b)
}

// credentialOpts are the parts of a credential a vector may change.
type credentialOpts struct {
	iat, exp time.Time
	index    uint32
}

func defaultCred() credentialOpts {
	return credentialOpts{iat: at(-30 * day), exp: at(335 * day), index: 100}
}

// issue signs h's credential of profile p with is, returned tagged.
func (w *world) issue(is *issuer, h *holder, p credential.Profile, o credentialOpts) []byte {
	out, err := is.iss.Issue(&credential.Request{
		Claims:    h.ktp,
		DeviceKey: h.device.Public().(*ecdsa.PublicKey),
		Status:    credential.StatusRef{List: 1, Index: o.index},
		IssuedAt:  o.iat, Expiry: o.exp,
		Profiles: []credential.Profile{p},
	})
	must(err)
	if len(out) != 1 {
		panic(fmt.Sprintf("conformance: %d credentials issued, want 1", len(out)))
	}
	return out[0].Bytes
}

// presentOpts are the parts of a presentation a vector may change.
type presentOpts struct {
	iat      time.Time
	ttl      time.Duration
	audience string
	nonce    string // label of the deterministic nonce
}

// present makes h's presentation of cred through the wallet code path.
func (w *world) present(h *holder, cred []byte, o presentOpts) []byte {
	if o.ttl == 0 {
		o.ttl = 60 * time.Second
	}
	b, err := presentation.New(cred, h.device, &presentation.Options{
		Lifetime: o.ttl, Audience: o.audience,
		Now:  func() time.Time { return o.iat },
		Rand: testkit.NewReader("nonce " + o.nonce + h.label + fmt.Sprint(o.iat.Unix())),
	})
	must(err)
	return b
}

// forgePresentation signs [cred, iat, ttl, nonce, aud?] with device,
// whatever cred holds: a phone signing what it likes.
func forgePresentation(device crypto.Signer, cred []byte, iat time.Time, ttl int64, nonce []byte, aud string) []byte {
	if len(cred) > 0 && cred[0] == 0xd2 {
		cred = cred[1:]
	}
	items := []any{rawItem(cred), iat.Unix(), ttl, nonce}
	if aud != "" {
		items = append(items, aud)
	}
	payload, err := codec.Marshal(items)
	must(err)
	return signRaw(device, keys.ES256, nil, payload, false)
}

// signRaw signs payload as a COSE_Sign1 with alg and kid (none when nil).
func signRaw(signer crypto.Signer, alg keys.Algorithm, kid, payload []byte, tagged bool) []byte {
	var b []byte
	var err error
	if tagged {
		b, err = sign1.Sign(nil, signer, alg, kid, payload)
	} else {
		b, err = sign1.SignUntagged(nil, signer, alg, kid, payload)
	}
	must(err)
	return b
}

var defaultNonce = []byte{0x10, 0x20, 0x30, 0x40, 0x50, 0x60}

// statusOpts describe a status list token.
type statusOpts struct {
	iat, exp time.Time
	ttl      time.Duration
	size     int
	set      map[uint32]status.Status
}

// defaultStatus is list 1 of an issuer: 4096 entries, index 7 revoked and 8
// suspended, issued an hour before RefTime, valid a day, refresh every 12 h.
func defaultStatus() statusOpts {
	return statusOpts{iat: at(-time.Hour), exp: at(day), ttl: 12 * time.Hour, size: 4096,
		set: map[uint32]status.Status{7: status.StatusRevoked, 8: status.StatusSuspended}}
}

func (w *world) statusList(is *issuer, o statusOpts) string {
	l, err := status.NewList(o.size)
	must(err)
	for i := uint32(0); i < uint32(o.size); i++ { // deterministic order
		if s, ok := o.set[i]; ok {
			must(l.Set(i, s))
		}
	}
	b, err := is.iss.SignStatusList(status.Token{ListID: 1, IssuedAt: o.iat, Expiry: o.exp, TTL: o.ttl}, l)
	must(err)
	return hex.EncodeToString(b)
}

// text returns the QR text of presentation bytes.
func text(pres []byte) string { return presentation.Encode(pres) }

// rawItem is CBOR bytes embedded as they are.
func rawItem(b []byte) cbor.RawMessage { return cbor.RawMessage(b) }

func must(err error) {
	if err != nil {
		panic(err)
	}
}
