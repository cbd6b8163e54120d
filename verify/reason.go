package verify

import "strconv"

// Reason says why a presentation was not accepted. Reasons are append-only
// and never renumbered; their String values are stable keys for messages,
// logs and test vectors. A Reason is also an error, so that
// errors.Is(err, verify.ReasonRevoked) asks for one; that is also why fmt's
// %v and %s print it as an error ("verify: revoked"): call String for the
// bare key.
type Reason int

// The reasons a verification fails. The zero Reason is invalid.
const (
	// ReasonMalformed: the text, presentation or credential is not well
	// formed (truncated, altered bytes, wrong structure).
	ReasonMalformed Reason = iota + 1
	// ReasonNotIKD: the code is not an IKD code at all (a boarding pass, a
	// payment code).
	ReasonNotIKD
	// ReasonUnsupportedVersion: an IKD code of a version this scanner does
	// not read; update the scanner.
	ReasonUnsupportedVersion
	// ReasonUnknownIssuer: no trusted issuer key has the credential's kid,
	// or the key belongs to another issuer than the credential names.
	ReasonUnknownIssuer
	// ReasonAlgorithmNotAllowed: the credential's algorithm is not the
	// algorithm of the trusted key (alg confusion), or not allowed at all.
	ReasonAlgorithmNotAllowed
	// ReasonBadIssuerSignature: the issuer signature does not verify: the
	// credential was altered or forged.
	ReasonBadIssuerSignature
	// ReasonBadDeviceSignature: the presentation was not signed by the
	// device the credential was issued to.
	ReasonBadDeviceSignature
	// ReasonKeyNotValid: the issuer key was outside its validity window
	// when the credential was issued.
	ReasonKeyNotValid
	// ReasonCredentialExpired: the credential itself has expired; the
	// holder must renew it in the app.
	ReasonCredentialExpired
	// ReasonCredentialNotYetValid: the credential's issue time is in the
	// future.
	ReasonCredentialNotYetValid
	// ReasonPresentationExpired: the QR code is too old: a screenshot or a
	// photo; ask for a fresh code.
	ReasonPresentationExpired
	// ReasonPresentationFromFuture: the QR code's time is ahead of the
	// scanner's by more than the allowed skew.
	ReasonPresentationFromFuture
	// ReasonClockWrong: the phone's clock is clearly wrong (far ahead, or
	// before the credential was issued); ask the holder to set it to
	// automatic.
	ReasonClockWrong
	// ReasonReplayed: this exact code was already shown.
	ReasonReplayed
	// ReasonRevoked: the issuer revoked the credential (phone lost or
	// stolen, data changed).
	ReasonRevoked
	// ReasonSuspended: the issuer suspended the credential.
	ReasonSuspended
	// ReasonStatusUnknown: the scanner holds no status list for the
	// credential, so revocation cannot be checked. Never "revoked".
	ReasonStatusUnknown
	// ReasonStatusStale: the scanner's status list is older than the
	// policy allows; update it. Never "revoked".
	ReasonStatusStale
	// ReasonPolicyUnmet: the code does not disclose a claim this check
	// needs.
	ReasonPolicyUnmet
	// ReasonWrongAudience: the code was made for another verifier or
	// purpose.
	ReasonWrongAudience
	// ReasonLifetimeTooLong: the code's lifetime (share mode) is longer
	// than this check accepts.
	ReasonLifetimeTooLong
	// ReasonNIKInconsistent: the NIK contradicts the birth date or sex on
	// the same credential.
	ReasonNIKInconsistent
	// ReasonTicketMismatch: the name or NIK differs from the ticket or
	// booking.
	ReasonTicketMismatch
	// ReasonNoCode: no readable QR code in the image.
	ReasonNoCode
	// ReasonReplayCheckFailed: the replay store could not be consulted, so
	// the code is not accepted (fail closed).
	ReasonReplayCheckFailed
	// ReasonStatusRollback: a status list offered to the scanner is older
	// than the one it holds, which stays in use (an old list could undo a
	// revocation), or issued in the same second as the held one but
	// different (the scanner cannot tell which is newer, so it keeps the
	// one it has). Only [Verifier.AddStatusList] returns it.
	ReasonStatusRollback
	// ReasonTrustListExpired: the scanner's trust list is past its next
	// update by more than the policy's TrustListGrace, so no code is
	// accepted until it is updated: an old list may still hold keys that
	// were withdrawn since.
	ReasonTrustListExpired
	// ReasonStatusInvalid: the issuer's status list cannot answer for this
	// credential: the credential's index lies outside the list, or the
	// list holds a status value ikd does not define. That is an error of
	// the issuer, not an old list, so it refuses even under
	// WarnOnStaleStatus. [Verifier.AddStatusList] also returns it for a
	// list dated further ahead of the scanner's clock than any policy's
	// clock skew may be (5 minutes), which is not used.
	ReasonStatusInvalid
	// ReasonReplayCheckedLocally is a warning only, never a refusal: the
	// shared replay store ([WithReplayCache]) could not be asked, and a
	// policy with WarnOnReplayStoreDown accepted the code after checking
	// it against this verifier's own memory of the codes it accepted. The
	// code is refused if shown again here, but another gate may accept it
	// once while the store is down. It is listed in Result.Warnings.
	ReasonReplayCheckedLocally
)

type message struct{ key, english, indonesian string }

var messages = [...]message{
	ReasonMalformed:              {"malformed", "Invalid code. Ask for a new code.", "Kode tidak valid. Minta kode baru."},
	ReasonNotIKD:                 {"not_ikd", "This is not a digital ID code.", "Ini bukan kode KTP digital."},
	ReasonUnsupportedVersion:     {"unsupported_version", "Code version not supported. Update the scanner.", "Versi kode tidak didukung. Perbarui pemindai."},
	ReasonUnknownIssuer:          {"unknown_issuer", "Issuer not recognised.", "Penerbit tidak dikenal."},
	ReasonAlgorithmNotAllowed:    {"algorithm_not_allowed", "Forged code: signature type not allowed.", "Kode palsu: jenis tanda tangan tidak diizinkan."},
	ReasonBadIssuerSignature:     {"bad_issuer_signature", "Forged or altered data.", "Data palsu atau telah diubah."},
	ReasonBadDeviceSignature:     {"bad_device_signature", "Code not from the holder's phone.", "Kode bukan dari ponsel pemilik."},
	ReasonKeyNotValid:            {"key_not_valid", "Issuer key not valid.", "Kunci penerbit tidak berlaku."},
	ReasonCredentialExpired:      {"credential_expired", "Digital ID expired. Renew it in the app.", "KTP digital kedaluwarsa. Perbarui di aplikasi."},
	ReasonCredentialNotYetValid:  {"credential_not_yet_valid", "Digital ID not yet valid.", "KTP digital belum berlaku."},
	ReasonPresentationExpired:    {"presentation_expired", "Code expired. Ask for a fresh code.", "Kode kedaluwarsa. Minta kode baru."},
	ReasonPresentationFromFuture: {"presentation_from_future", "Code time is ahead. Ask for a fresh code.", "Waktu kode lebih cepat. Minta kode baru."},
	ReasonClockWrong:             {"clock_wrong", "Phone clock is wrong. Set it to automatic.", "Jam ponsel salah. Atur ke otomatis."},
	ReasonReplayed:               {"replayed", "Code already used. Ask for a fresh code.", "Kode sudah dipakai. Minta kode baru."},
	ReasonRevoked:                {"revoked", "Digital ID revoked.", "KTP digital telah dicabut."},
	ReasonSuspended:              {"suspended", "Digital ID suspended.", "KTP digital ditangguhkan."},
	ReasonStatusUnknown:          {"status_unknown", "Status cannot be checked.", "Status tidak dapat diperiksa."},
	ReasonStatusStale:            {"status_stale", "Status list out of date. Update the scanner.", "Daftar status usang. Perbarui pemindai."},
	ReasonPolicyUnmet:            {"policy_unmet", "Code lacks required data.", "Kode tidak memuat data yang diperlukan."},
	ReasonWrongAudience:          {"wrong_audience", "Code made for another purpose.", "Kode dibuat untuk keperluan lain."},
	ReasonLifetimeTooLong:        {"lifetime_too_long", "Shared code not accepted here. Show a live code.", "Kode bagikan tidak diterima. Tunjukkan kode langsung."},
	ReasonNIKInconsistent:        {"nik_inconsistent", "NIK does not match the data.", "NIK tidak sesuai dengan data."},
	ReasonTicketMismatch:         {"ticket_mismatch", "Name or NIK does not match the ticket.", "Nama atau NIK tidak sesuai tiket."},
	ReasonNoCode:                 {"no_code", "No code found. Scan again.", "Kode tidak terbaca. Pindai ulang."},
	ReasonReplayCheckFailed:      {"replay_check_failed", "Cannot check the code now. Try again.", "Kode tidak dapat diperiksa. Coba lagi."},
	ReasonStatusRollback:         {"status_rollback", "Older status list refused.", "Daftar status lama ditolak."},
	ReasonTrustListExpired:       {"trust_list_expired", "Trusted issuer list out of date. Update the scanner.", "Daftar penerbit tepercaya kedaluwarsa. Perbarui pemindai."},
	ReasonStatusInvalid:          {"status_invalid", "Issuer's status list is faulty. Contact the issuer.", "Daftar status penerbit bermasalah. Hubungi penerbit."},
	ReasonReplayCheckedLocally:   {"replay_checked_locally", "Shared replay store unreachable: checked at this scanner only.", "Penyimpanan bersama tidak terjangkau: hanya diperiksa di pemindai ini."},
}

func (r Reason) known() bool { return r > 0 && int(r) < len(messages) }

// String returns the reason's stable key ("revoked", "presentation_expired"),
// or "Reason(N)" for an unknown value.
func (r Reason) String() string {
	if r.known() {
		return messages[r].key
	}
	return "Reason(" + strconv.Itoa(int(r)) + ")"
}

// Error returns "verify: " + the reason's key, so that a Reason is an error.
func (r Reason) Error() string { return "verify: " + r.String() }

// English returns a short message in English that a gate operator can read
// aloud.
func (r Reason) English() string {
	if r.known() {
		return messages[r].english
	}
	return "Not accepted."
}

// Indonesian returns a short message in Indonesian that a gate operator can
// read aloud.
func (r Reason) Indonesian() string {
	if r.known() {
		return messages[r].indonesian
	}
	return "Tidak diterima."
}

// reasons returns every known reason, in numeric order.
func reasons() []Reason {
	out := make([]Reason, 0, len(messages)-1)
	for r := Reason(1); r.known(); r++ {
		out = append(out, r)
	}
	return out
}

// parseReason returns the Reason whose String is key.
func parseReason(key string) (Reason, bool) {
	for r := Reason(1); r.known(); r++ {
		if messages[r].key == key {
			return r, true
		}
	}
	return 0, false
}

// Error is the error of every failed verification: scanners use errors.As
// to read the Reason, or errors.Is(err, verify.ReasonX).
type Error struct {
	// Reason is why the presentation was not accepted.
	Reason Reason
	// Err is the underlying detail, for logs; may be nil.
	Err error
}

// Error returns "verify: reason: detail".
func (e *Error) Error() string {
	if e.Err == nil {
		return e.Reason.Error()
	}
	return e.Reason.Error() + ": " + e.Err.Error()
}

// Unwrap returns the reason and the detail, so that errors.Is finds both.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Reason}
	}
	return []error{e.Reason, e.Err}
}

func fail(r Reason, err error) *Error { return &Error{Reason: r, Err: err} }
