package qr

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/testkit"
)

// familyWallet is Man's wallet holding his KTP, his household's KK (four
// members, two children) and his first child's Akta Kelahiran, all bound
// to the one device key.
func familyWallet(t *testing.T) *Wallet {
	t.Helper()
	ktp, dev := issueCreds(t, "EdDSA", "man", testkit.Man())
	kk := testkit.Family(4)
	kkCreds, _, err := testkit.IssueDocument("EdDSA", "man", &kk, nil)
	require.NoError(t, err)
	akta, _, err := testkit.IssueDocument("EdDSA", "man", nil, new(testkit.Birth()))
	require.NoError(t, err)
	all := credList(ktp)
	for _, c := range append(kkCreds, akta...) {
		all = append(all, c.Bytes)
	}
	w, err := NewWallet(dev, all, WithClock(fixedClock(testkit.Now)), WithRand(testkit.NewReader("family")))
	require.NoError(t, err)
	return w
}

func TestWalletChoosesDocument(t *testing.T) {
	w := familyWallet(t)
	const rizky, ayu = "3171012107140002", "3171014309170001"
	tests := []struct {
		name    string
		req     Request
		profile credential.Profile
		about   credential.NIK // the chosen credential is about this NIK, if set
		err     error
	}{
		{"no_document_means_the_ktp", Request{}, credential.ProfileKAI, "", nil},
		{"ktp_claims_never_pick_a_kk", Request{Claims: []credential.Claim{credential.ClaimName}}, credential.ProfileKAI, "", nil},
		{"kk_members_and_relationships", Request{Document: credential.DocumentKK,
			Claims: []credential.Claim{credential.ClaimMemberNIK, credential.ClaimMemberRelationship}}, credential.ProfileKKMembers, "", nil},
		{"kk_with_religion_needs_the_full_card", Request{Document: credential.DocumentKK,
			Claims: []credential.Claim{credential.ClaimMemberReligion}}, credential.ProfileKKFull, "", nil},
		{"kk_school_for_the_second_child", Request{Document: credential.DocumentKK, Subject: ayu,
			Claims: []credential.Claim{credential.ClaimMemberBirthDate}}, credential.ProfileKKSchool, ayu, nil},
		{"kk_school_for_the_first_child", Request{Profile: credential.ProfileKKSchool, Subject: rizky},
			credential.ProfileKKSchool, rizky, nil},
		{"the_smallest_akta", Request{Document: credential.DocumentBirthCertificate}, credential.ProfileAktaSchool, rizky, nil},
		{"akta_of_a_child_without_one", Request{Document: credential.DocumentBirthCertificate, Subject: ayu}, 0, "", ErrNoProfile},
		{"a_claim_of_another_document", Request{Document: credential.DocumentKK,
			Claims: []credential.Claim{credential.ClaimNIK}}, 0, "", errOptions},
		{"a_profile_of_another_document", Request{Document: credential.DocumentKK, Profile: credential.ProfileAktaFull}, 0, "", errOptions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, err := w.Present(tt.req)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				assert.Nil(t, code)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.profile, code.Profile)
			p := parseText(t, code.Text)
			c := p.Credential().UnverifiedCredential()
			assert.Equal(t, tt.profile, c.Profile)
			if tt.about != "" {
				assert.True(t, c.About(tt.about), "about %s", tt.about)
			}
			assert.NoError(t, p.VerifyDevice())
		})
	}
}
