// Package credential defines the credentials of ikd: the KTP (Kartu Tanda
// Penduduk, the Indonesian identity card), the Kartu Keluarga (family card)
// and the Akta Kelahiran (birth certificate); their claims, their
// validation, and how an issuer signs them and anyone parses and verifies
// them.
//
// # Schema
//
// [KTP] holds the claims printed on an e-KTP: the [NIK] (Nomor Induk
// Kependudukan, the 16-digit national identity number), name, place and
// date of birth, [Sex], [BloodType], the [Address] with RT/RW (neighbourhood
// and community units), kelurahan/desa (village), kecamatan (district),
// kabupaten/kota (regency/city) and provinsi (province), [Religion],
// [MaritalStatus], occupation, [Citizenship] (WNI citizen or WNA foreign
// resident, with a nationality), [Validity] ("SEUMUR HIDUP", for life, or a
// date), the issuing office and the issue date. Each is a [Claim].
//
// Enums have a stable key ([Sex.String]: "female"). [KTP.Display] shows a
// claim's value as printed on the card and in English ("PEREMPUAN" /
// "Female"), [Claim.Indonesian] and [Claim.English] its field label.
// [KTP.MarshalJSON] and [KTP.UnmarshalJSON] read and write person records,
// accepting the card's labels and common spellings on input.
//
// # Family documents
//
// [KK] is the Kartu Keluarga: its 16-digit number (checked like a NIK),
// head of the family, address with postal code, issuing office and date,
// and the [Member]s with their NIK, birth, [Religion], [Education],
// [Occupation], [MaritalStatus], [Relationship] to the head, citizenship,
// passport and KITAS/KITAP numbers and parents' names. [BirthCertificate]
// is the Akta Kelahiran. Each [Document] has its own claims
// ([Claim.Document]) and profiles ([Profile.Document]): [ProfileKKFull],
// [ProfileKKMembers] (names, NIKs, relationships), [ProfileKKSchool] (one
// child and its parents, one credential per child), [ProfileAktaFull] and
// [ProfileAktaSchool]. An issuer signs them with the same [Issuer.Issue],
// bound to the device key and status entry of the holder's KTP;
// [KK.Validate] and [BirthCertificate.Validate] report every problem at
// once, a member's with [Problem.Member].
//
// # Validation
//
// A NIK encodes where and when its holder was registered: province (one of
// the 38), regency/city and district codes, the birth date as DDMMYY with
// 40 added to the day for women, and a serial; [ParseNIK] checks its shape.
// [KTP.Validate] checks every claim and reports every problem at once in a
// [*ValidationError]: the NIK against the birth date, the sex and the
// province of the address ([ErrNIKMismatch]), missing claims
// ([ErrMissingClaim]), bad values and dates out of order
// ([ErrInvalidValue]), a WNA's nationality and dated validity.
//
// # Disclosure profiles
//
// An issuer signs one small credential per [Profile], all bound to the same
// device key and status entry: [ProfileFull] (every claim), [ProfileTravel]
// (name, NIK, birth date, sex), [ProfileKAI] (name, NIK) and [ProfileAge]
// (only "17 or older"). The wallet shows the smallest one a verifier needs.
// Fixed profiles cost nothing in QR size, where salted-digest selective
// disclosure (SD-CWT, ISO mdoc) costs 17–34 bytes per hidden claim.
//
// # Wire format
//
// A credential is a COSE_Sign1 (RFC 9052 §4.2), protected header {alg, kid},
// whose payload is a CWT claims set (RFC 8392) in Core Deterministic CBOR
// with small integer keys: iss (1), exp (4), iat (6), cnf (8, RFC 8747: the
// device's P-256 key as a COSE_Key with a compressed point), and ikd's
// private claims profile (-1), status reference (-2: [list, index]) and the
// KTP claims (-3, keyed by [Claim] number), or a Kartu Keluarga's (-4) or
// an Akta Kelahiran's (-5): exactly one, the profile's document's. Dates are YYYYMMDD integers and
// the NIK an integer, to keep QR codes small. See docs/wire-format.md.
//
// # Trust model
//
// [NewIssuer] binds an issuer id to a crypto.Signer; the key decides the
// algorithm (ES256 with a P-256 key, EdDSA with an Ed25519 key) and the kid
// (keys.KeyID). [Issuer.Issue] validates, then signs. [Issuer.SignStatusList]
// signs the issuer's revocation list (package credential/status).
//
// [Parse] decodes without deciding trust: it checks structure only, with
// strict limits (canonical CBOR, no duplicate or unknown keys, no explicit
// zero values, no indefinite lengths, no tags, nesting and size caps). Its
// accessors are named Unverified. [Signed.Verify] checks the signature over
// the bytes exactly as received, never over a re-encoding, with the
// algorithm of the key the caller trusts, and then the claims; every
// signature failure is the one [ErrBadSignature]. Clock-dependent checks
// (expiry, key validity windows, revocation) belong to package verify.
package credential
