// Package ident holds ikd's one rule for issuer ids, so that the trust list,
// credentials and status lists agree on what an issuer id may be.
package ident

// MaxIssuerID is the longest issuer id, in bytes.
const MaxIssuerID = 32

// ValidIssuerID reports whether id is a valid issuer id: 1 to 32 bytes of
// A-Z, a-z, 0-9, '.', '_' and '-'. That covers the Disdukcapil regency and
// city codes ("3171"), "00" for the national Dukcapil, and short names
// ("disdukcapil-3171"); it leaves out ':' so that the status list URN
// "urn:ikd:status:<issuer>:<list>" parses back unambiguously, and it keeps
// every id small enough for a QR code.
func ValidIssuerID(id string) bool {
	if len(id) == 0 || len(id) > MaxIssuerID {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
