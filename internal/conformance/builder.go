package conformance

import (
	"encoding/hex"
	"encoding/json"
	"slices"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/verify"
)

// vb builds one vector.
type vb struct {
	w *world
	v *Vector
}

func (w *world) vector(id, comment string, pol Policy, features ...string) *vb {
	return &vb{w: w, v: &Vector{
		ID: id, SpecRevision: SpecRevision, Comment: comment, Root: json.RawMessage(trimNL(w.rootJWK)), Policy: pol,
		ReplayStore: "memory", Covers: Covers{Features: features},
	}}
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	// Compact JSON, so that the vector's own indentation applies.
	var v any
	must(json.Unmarshal(b, &v))
	out, err := json.Marshal(v)
	must(err)
	return out
}

func step(op string, now time.Time) Step {
	return Step{Op: op, Now: now.Unix(), NowUTC: now.UTC().Format(time.RFC3339)}
}

// trust offers a trust list; errKey "" means it is accepted.
func (b *vb) trust(now time.Time, jws, errKey string) *vb {
	s := step(OpTrustList, now)
	s.JWS = jws
	s.Expect = Expect{Result: Accepted}
	if errKey != "" {
		s.Expect = Expect{Result: Refused, Error: errKey}
		addOnce(&b.v.Covers.TrustListErrors, errKey)
	}
	b.v.Steps = append(b.v.Steps, s)
	return b
}

// status adds a status list token (hex); reason "" means it is accepted.
func (b *vb) status(now time.Time, tokenHex string, reason verify.Reason) *vb {
	s := step(OpStatusList, now)
	s.Hex = tokenHex
	s.Expect = Expect{Result: Accepted}
	if reason != 0 {
		s.Expect = Expect{Result: Refused, Reason: reason.String()}
		b.reason(reason.String())
	}
	b.v.Steps = append(b.v.Steps, s)
	return b
}

// std offers the base trust list and both issuers' status lists at
// RefTime.
func (b *vb) std() *vb {
	b.trust(RefTime, b.w.trust1(), "")
	b.status(RefTime, b.w.statusList(b.w.jakarta, defaultStatus()), 0)
	b.status(RefTime, b.w.statusList(b.w.bandung, defaultStatus()), 0)
	return b
}

func (w *world) trust1() string { return signTrust(w.rootA, w.trustContent(1)) }

// scan verifies presentation bytes at now.
func (b *vb) scan(now time.Time, pres []byte, e Expect) *vb {
	return b.scanText(now, text(pres), e)
}

// scanText verifies a text at now.
func (b *vb) scanText(now time.Time, txt string, e Expect) *vb {
	s := step(OpVerifyText, now)
	s.Text = txt
	if data, err := presentation.Decode(trimLine(txt)); err == nil {
		s.PresentationHex = hex.EncodeToString(data)
		if p, err := presentation.Parse(data); err == nil {
			c := p.Credential().UnverifiedCredential()
			b.profile(c.Profile.String())
			b.alg(p.Credential().UnverifiedAlgorithm().String())
		}
	}
	s.Expect = e
	if e.Reason != "" {
		b.reason(e.Reason)
	}
	for _, w := range e.Warnings {
		b.reason(w)
	}
	b.v.Steps = append(b.v.Steps, s)
	return b
}

// scanImage verifies a PNG at now.
func (b *vb) scanImage(now time.Time, png []byte, e Expect) *vb {
	s := step(OpVerifyImage, now)
	s.Hex = hex.EncodeToString(png)
	s.Expect = e
	if e.Reason != "" {
		b.reason(e.Reason)
	}
	b.v.Steps = append(b.v.Steps, s)
	return b
}

func trimLine(s string) string {
	if n := len(s); n > 0 && s[n-1] == '\n' {
		s = s[:n-1]
	}
	if n := len(s); n > 0 && s[n-1] == '\r' {
		s = s[:n-1]
	}
	return s
}

func addOnce(list *[]string, s string) {
	if s != "" && !slices.Contains(*list, s) {
		*list = append(*list, s)
	}
}

func (b *vb) reason(r string)  { addOnce(&b.v.Covers.Reasons, r) }
func (b *vb) profile(p string) { addOnce(&b.v.Covers.Profiles, p) }
func (b *vb) alg(a string) {
	if a == "ES256" || a == "EdDSA" {
		addOnce(&b.v.Covers.Algorithms, a)
	}
}

func (b *vb) replayUnavailable() *vb { b.v.ReplayStore = "unavailable"; return b }

func refused(r verify.Reason) Expect { return Expect{Result: Refused, Reason: r.String()} }

// accepted is the outcome of verifying cred (issued by is) under pol: the
// claims it carries that pol shows, with their labels, and the audience
// and warnings given. It reads the claims with credential.Parse, never
// through the verifier.
func accepted(is *issuer, cred []byte, pol Policy, aud string, warnings ...verify.Reason) Expect {
	s, err := credential.Parse(cred)
	must(err)
	c := s.UnverifiedCredential()
	e := Expect{Result: Accepted, Profile: c.Profile.String(), IssuerID: is.id, IssuerName: is.name, Audience: aud}
	for _, w := range warnings {
		e.Warnings = append(e.Warnings, w.String())
	}
	if c.Profile.Document() != credential.DocumentKTP {
		shows := func(cl credential.Claim) bool {
			return slices.Contains(pol.RequiredClaims, cl.String()) || slices.Contains(pol.AllowedClaims, cl.String())
		}
		DocumentOutcome(&e, c.KK, c.BirthCertificate, shows)
		return e
	}
	all, err := json.Marshal(c.Claims)
	must(err)
	var values map[string]json.RawMessage
	must(json.Unmarshal(all, &values))
	for _, cl := range c.Claims.Claims() {
		if !slices.Contains(pol.RequiredClaims, cl.String()) && !slices.Contains(pol.AllowedClaims, cl.String()) {
			continue
		}
		id, en := c.Claims.Display(cl)
		e.Claims = append(e.Claims, Claim{
			Claim: cl.String(), Label: Text{cl.Indonesian(), cl.English()},
			Value: values[cl.String()], Display: Text{id, en},
		})
	}
	return e
}

// policyOf is the vector form of a verify.Policy.
func policyOf(p verify.Policy) Policy {
	names := func(cs []credential.Claim) []string {
		out := []string{}
		for _, c := range cs {
			out = append(out, c.String())
		}
		return out
	}
	sec := func(d time.Duration) int64 { return int64(d / time.Second) }
	out := Policy{
		Name: p.Name, RequiredClaims: names(p.RequiredClaims), AllowedClaims: names(p.AllowedClaims),
		RefuseExtraClaims: p.RefuseExtraClaims, Audiences: append([]string{}, p.Audiences...),
		RequireAudience: p.RequireAudience, MaxLifetime: sec(p.MaxLifetime), ClockSkew: sec(p.ClockSkew),
		ClockWrongAfter: sec(p.ClockWrongAfter), StatusMaxAge: sec(p.StatusMaxAge),
		WarnOnStaleStatus: p.WarnOnStaleStatus, WarnOnReplayStoreDown: p.WarnOnReplayStoreDown,
		TrustListGrace: sec(p.TrustListGrace),
	}
	if p.Ticket != nil {
		out.Ticket = &Ticket{Name: p.Ticket.Name, NIK: p.Ticket.NIK}
	}
	for _, d := range p.Documents {
		out.Documents = append(out.Documents, d.String())
	}
	for _, pr := range p.Profiles {
		out.Profiles = append(out.Profiles, pr.String())
	}
	return out
}

// VerifyPolicy is the verify.Policy of p. It returns false for a claim
// key, document or profile it does not know.
func (p Policy) VerifyPolicy() (verify.Policy, bool) {
	claims := func(keys []string) ([]credential.Claim, bool) {
		var out []credential.Claim
		for _, k := range keys {
			c, ok := credential.ParseClaim(k)
			if !ok {
				return nil, false
			}
			out = append(out, c)
		}
		return out, true
	}
	req, ok1 := claims(p.RequiredClaims)
	allowed, ok2 := claims(p.AllowedClaims)
	sec := func(n int64) time.Duration { return time.Duration(n) * time.Second }
	out := verify.Policy{
		Name: p.Name, RequiredClaims: req, AllowedClaims: allowed, RefuseExtraClaims: p.RefuseExtraClaims,
		Audiences: p.Audiences, RequireAudience: p.RequireAudience, MaxLifetime: sec(p.MaxLifetime),
		ClockSkew: sec(p.ClockSkew), ClockWrongAfter: sec(p.ClockWrongAfter), StatusMaxAge: sec(p.StatusMaxAge),
		WarnOnStaleStatus: p.WarnOnStaleStatus, WarnOnReplayStoreDown: p.WarnOnReplayStoreDown,
		TrustListGrace: sec(p.TrustListGrace),
	}
	if p.Ticket != nil {
		out.Ticket = &verify.Ticket{Name: p.Ticket.Name, NIK: p.Ticket.NIK}
	}
	ok3 := true
	for _, name := range p.Documents {
		d, ok := documentByName[name]
		ok3 = ok3 && ok
		out.Documents = append(out.Documents, d)
	}
	for _, name := range p.Profiles {
		pr, ok := credential.ParseProfile(name)
		ok3 = ok3 && ok
		out.Profiles = append(out.Profiles, pr)
	}
	return out, ok1 && ok2 && ok3
}

var documentByName = map[string]credential.Document{
	credential.DocumentKTP.String(): credential.DocumentKTP, credential.DocumentKK.String(): credential.DocumentKK,
	credential.DocumentBirthCertificate.String(): credential.DocumentBirthCertificate,
}
