package status

import "time"

// Token is what an issuer states about a status list besides its entries:
// the claims of a status list token (draft-ietf-oauth-status-list §5.2)
// other than the list itself. The token's sub claim names the list
// "urn:ikd:status:<issuer id>:<ListID>".
//
// The issuer id is not a field: it is the id of the
// [github.com/ikdgo/ikd/credential.Issuer] that signs the token, so that an
// issuer can only publish lists under its own name. Signing refuses a
// token without IssuedAt, with an Expiry not after IssuedAt, or with a
// negative or fractional TTL.
type Token struct {
	// ListID numbers the issuer's lists (one per regency, or one per
	// 100 million credentials). Credentials carry it with their index.
	ListID uint32
	// IssuedAt is the iat claim, in whole seconds. Required: a scanner
	// refuses a list older than the one it holds (rollback), and reports a
	// list's age from it.
	IssuedAt time.Time
	// Expiry is the exp claim, in whole seconds; zero for none. A scanner
	// must not use the list at or after it.
	Expiry time.Time
	// TTL is the ttl claim, in whole seconds: how long a scanner may use the
	// list before fetching a new one (draft-ietf-oauth-status-list §13.7).
	// Zero for none.
	TTL time.Duration
}
