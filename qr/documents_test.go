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
	const head, mother = "3171011708850003", "3171015204880004"
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
		// Look 15, attacker 1: a Subject is never met by a credential that
		// lists other people, so the school never gets kk-full.
		{"the_head_is_no_subject_of_any_kk", Request{Document: credential.DocumentKK, Subject: head,
			Claims: []credential.Claim{credential.ClaimMemberBirthDate}}, 0, "", ErrNoProfile},
		{"the_mother_is_no_subject_of_any_kk", Request{Document: credential.DocumentKK, Subject: mother}, 0, "", ErrNoProfile},
		{"a_child_with_a_claim_kk_school_lacks", Request{Document: credential.DocumentKK, Subject: rizky,
			Claims: []credential.Claim{credential.ClaimMemberReligion}}, 0, "", ErrNoProfile},
		{"kk_full_named_with_a_subject", Request{Profile: credential.ProfileKKFull, Subject: rizky}, 0, "", ErrNoProfile},
		// Attacker 4, newcomer 6: without a Subject, two children's
		// credentials are ambiguous.
		{"two_children_without_subject", Request{Document: credential.DocumentKK,
			Claims: []credential.Claim{credential.ClaimMemberBirthDate}}, 0, "", errOptions},
		{"kk_school_without_subject", Request{Profile: credential.ProfileKKSchool}, 0, "", errOptions},
		// Attacker 11: an unknown document or a subject that is no NIK
		// is an invalid request, not a missing credential.
		{"document_4", Request{Document: 4}, 0, "", errOptions},
		{"document_255", Request{Document: 255}, 0, "", errOptions},
		{"subject_with_a_leading_space", Request{Document: credential.DocumentKK, Subject: credential.NIK(" " + rizky[:15])}, 0, "", errOptions},
		{"subject_not_a_nik", Request{Document: credential.DocumentKK, Subject: "3171099999999999"}, 0, "", errOptions},
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
