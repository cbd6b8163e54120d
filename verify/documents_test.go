package verify_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// familyHolder is Man's wallet with his KTP, his household's KK (four
// members) and his first child's Akta Kelahiran, all issued by Jakarta to
// his one device and status entry.
func familyHolder(t *testing.T, f *fixture) *qr.Wallet {
	t.Helper()
	dev := testkit.Device("man")
	kk, birth := testkit.Family(4), testkit.Birth()
	var raw [][]byte
	for _, c := range f.man.creds {
		raw = append(raw, c.Bytes)
	}
	for _, req := range []credential.Request{{KK: &kk}, {BirthCertificate: &birth}} {
		req.DeviceKey = &dev.PublicKey
		req.Status = credential.StatusRef{List: 1, Index: f.man.index}
		req.IssuedAt, req.Expiry = testkit.Now.Add(-24*time.Hour), testkit.Now.AddDate(1, 0, 0)
		creds, err := f.jakarta.cred.Issue(&req)
		require.NoError(t, err)
		for _, c := range creds {
			raw = append(raw, c.Bytes)
		}
	}
	w, err := qr.NewWallet(dev, raw, qr.WithClock(f.clock.Now), qr.WithRand(testkit.NewReader("family wallet")))
	require.NoError(t, err)
	return w
}

func TestPoliciesNameDocuments(t *testing.T) {
	f := newFixture(t)
	w := familyHolder(t, f)
	const rizky = "3171012107140002"
	share := qr.ShareOneHour
	tests := []struct {
		name   string
		policy verify.Policy
		req    qr.Request
		reason verify.Reason // 0: accepted
	}{
		{"school_accepts_the_kk_school_profile", verify.SchoolEnrolment(),
			qr.Request{Profile: credential.ProfileKKSchool, Subject: rizky, Lifetime: share}, 0},
		{"school_accepts_the_akta_school_profile", verify.SchoolEnrolment(),
			qr.Request{Profile: credential.ProfileAktaSchool, Lifetime: share}, 0},
		// Look 15, attacker 1: a hostile or careless wallet showing the
		// whole household is refused, not minimised claim by claim.
		{"school_refuses_a_full_kk", verify.SchoolEnrolment(),
			qr.Request{Profile: credential.ProfileKKFull, Lifetime: share}, verify.ReasonPolicyUnmet},
		{"school_refuses_the_full_akta", verify.SchoolEnrolment(),
			qr.Request{Profile: credential.ProfileAktaFull, Lifetime: share}, verify.ReasonPolicyUnmet},
		// Attacker 3: the no-required-claim rule holds for the KTP too.
		{"a_policy_requiring_only_kk_claims_refuses_a_ktp_age_code", verify.Policy{
			Name: "careless-ktp", Documents: []credential.Document{credential.DocumentKTP, credential.DocumentKK},
			RequiredClaims: []credential.Claim{credential.ClaimKKNumber}, MaxLifetime: time.Hour, TrustListGrace: time.Hour},
			qr.Request{Profile: credential.ProfileAge, Lifetime: share}, verify.ReasonPolicyUnmet},
		{"school_claims_without_documents_refuse_a_ktp", func() verify.Policy {
			p := verify.SchoolEnrolment()
			p.Documents, p.Profiles = nil, nil
			return p
		}(), qr.Request{Profile: credential.ProfileKAI, Lifetime: share}, verify.ReasonPolicyUnmet},
		{"school_refuses_the_kk_members_profile_without_birth_dates", verify.SchoolEnrolment(),
			qr.Request{Profile: credential.ProfileKKMembers, Lifetime: share}, verify.ReasonPolicyUnmet},
		{"school_refuses_a_ktp", verify.SchoolEnrolment(),
			qr.Request{Profile: credential.ProfileFull, Lifetime: share}, verify.ReasonPolicyUnmet},
		{"share_receiver_refuses_a_kk", verify.ShareReceiver(),
			qr.Request{Profile: credential.ProfileKKFull, Lifetime: share}, verify.ReasonPolicyUnmet},
		{"kai_gate_refuses_an_akta", verify.KAIGate(verify.Ticket{}),
			qr.Request{Profile: credential.ProfileAktaFull, Audience: verify.AudienceKAI}, verify.ReasonPolicyUnmet},
		{"a_policy_naming_a_document_but_none_of_its_claims_refuses_it", verify.Policy{
			Name: "careless", Documents: []credential.Document{credential.DocumentKTP, credential.DocumentKK},
			RequiredClaims: []credential.Claim{credential.ClaimNIK}, MaxLifetime: time.Hour, TrustListGrace: time.Hour},
			qr.Request{Profile: credential.ProfileKKFull, Lifetime: share}, verify.ReasonPolicyUnmet},
		{"a_ticket_is_never_matched_against_a_kk", verify.Policy{
			Name: "ticketed", Documents: []credential.Document{credential.DocumentKK},
			RequiredClaims: []credential.Claim{credential.ClaimMemberName}, Ticket: &verify.Ticket{Name: "BUDI SANTOSO"},
			MaxLifetime: time.Hour, TrustListGrace: time.Hour},
			qr.Request{Profile: credential.ProfileKKMembers, Lifetime: share}, verify.ReasonTicketMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := f.verifier(t, tt.policy)
			code, err := w.Present(tt.req)
			require.NoError(t, err)
			res, err := v.VerifyText(code.Text)
			if tt.reason != 0 {
				var ve *verify.Error
				require.True(t, errors.As(err, &ve), "error %v", err)
				assert.Equal(t, tt.reason, ve.Reason)
				assert.Nil(t, res)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.req.Profile, res.Profile)
			assert.Equal(t, credential.KTP{}, res.Claims)
			switch tt.req.Profile.Document() {
			case credential.DocumentKK:
				require.NotNil(t, res.KK)
				assert.Nil(t, res.BirthCertificate)
				assert.Equal(t, "3171012003120007", res.KK.Number)
				assert.Empty(t, res.KK.IssuingOffice, "not in the school policy")
				for _, m := range res.KK.Members {
					assert.NotEmpty(t, m.NIK)
					assert.Zero(t, m.Religion, "minimised")
					assert.Zero(t, m.Occupation, "minimised")
				}
			case credential.DocumentBirthCertificate:
				require.NotNil(t, res.BirthCertificate)
				assert.Nil(t, res.KK)
				assert.Equal(t, credential.NIK(rizky), res.BirthCertificate.ChildNIK)
				assert.Empty(t, res.BirthCertificate.BirthTime, "minimised")
			}
		})
	}
}

// TestSchoolEnrolmentAsksPerDocument: asked with the policy's required
// claims of each document and the child's NIK, the wallet shows the
// school profiles, which the policy accepts.
func TestSchoolEnrolmentAsksPerDocument(t *testing.T) {
	f := newFixture(t)
	w := familyHolder(t, f)
	policy := verify.SchoolEnrolment()
	v := f.verifier(t, policy)
	for _, tt := range []struct {
		doc  credential.Document
		want credential.Profile
	}{
		{credential.DocumentKK, credential.ProfileKKSchool},
		{credential.DocumentBirthCertificate, credential.ProfileAktaSchool},
	} {
		t.Run(tt.doc.String(), func(t *testing.T) {
			req := qr.Request{Document: tt.doc, Subject: "3171014309170001", Lifetime: qr.ShareOneHour}
			for _, c := range policy.RequiredClaims {
				if c.Document() == tt.doc {
					req.Claims = append(req.Claims, c)
				}
			}
			if tt.doc == credential.DocumentBirthCertificate {
				req.Subject = "3171012107140002" // only Rizky has an Akta in this wallet
			}
			code, err := w.Present(req)
			require.NoError(t, err)
			assert.Equal(t, tt.want, code.Profile)
			res, err := v.VerifyText(code.Text)
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Profile)
			if res.KK != nil {
				assert.Equal(t, "AYU LESTARI SANTOSO", res.KK.Members[0].Name, "the child asked for")
			}
		})
	}
}

// TestDiscloseKKWithoutMemberClaims: a policy that names only the card's
// claims learns nothing of the members, not even how many there are.
func TestDiscloseKKWithoutMemberClaims(t *testing.T) {
	f := newFixture(t)
	w := familyHolder(t, f)
	v := f.verifier(t, verify.Policy{
		Name: "kk-number-only", Documents: []credential.Document{credential.DocumentKK},
		RequiredClaims: []credential.Claim{credential.ClaimKKNumber}, MaxLifetime: time.Hour, TrustListGrace: time.Hour,
	})
	code, err := w.Present(qr.Request{Profile: credential.ProfileKKFull, Lifetime: qr.ShareOneHour})
	require.NoError(t, err)
	res, err := v.VerifyText(code.Text)
	require.NoError(t, err)
	assert.Equal(t, &credential.KK{Number: "3171012003120007"}, res.KK)
}
