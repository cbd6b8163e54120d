package credential_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/testkit"
)

func TestDisplay(t *testing.T) {
	type pair struct{ id, en string }
	man := map[credential.Claim]pair{
		credential.ClaimNIK:           {"3171011708850003", "3171011708850003"},
		credential.ClaimName:          {"BUDI SANTOSO", "BUDI SANTOSO"},
		credential.ClaimBirthPlace:    {"JAKARTA", "JAKARTA"},
		credential.ClaimBirthDate:     {"17-08-1985", "1985-08-17"},
		credential.ClaimSex:           {"LAKI-LAKI", "Male"},
		credential.ClaimBloodType:     {"O", "O"},
		credential.ClaimAddress:       {"JL. MERDEKA SELATAN NO. 10, RT/RW 005/002, GAMBIR, GAMBIR, JAKARTA PUSAT, DKI JAKARTA", "JL. MERDEKA SELATAN NO. 10, RT/RW 005/002, GAMBIR, GAMBIR, JAKARTA PUSAT, DKI JAKARTA"},
		credential.ClaimReligion:      {"ISLAM", "Islam"},
		credential.ClaimMaritalStatus: {"KAWIN", "Married"},
		credential.ClaimOccupation:    {"KARYAWAN SWASTA", "KARYAWAN SWASTA"},
		credential.ClaimCitizenship:   {"WNI", "Indonesian citizen"},
		credential.ClaimNationality:   {"", ""},
		credential.ClaimValidity:      {"SEUMUR HIDUP", "For life"},
		credential.ClaimIssuingOffice: {"JAKARTA PUSAT", "JAKARTA PUSAT"},
		credential.ClaimIssueDate:     {"12-03-2019", "2019-03-12"},
		credential.ClaimOver17:        {"", ""},
	}
	k := testkit.Man()
	for c := credential.ClaimNIK; c <= credential.ClaimOver17; c++ {
		id, en := k.Display(c)
		assert.Equal(t, man[c], pair{id, en}, "%v", c)
	}

	f := testkit.Foreigner()
	for c, want := range map[credential.Claim]pair{
		credential.ClaimBloodType:   {"-", "Unknown"},
		credential.ClaimReligion:    {"BUDDHA", "Buddhism"},
		credential.ClaimCitizenship: {"WNA", "Foreign national"},
		credential.ClaimNationality: {"JPN", "JPN"},
		credential.ClaimValidity:    {"30-06-2030", "2030-06-30"},
	} {
		id, en := f.Display(c)
		assert.Equal(t, want, pair{id, en}, "%v", c)
	}

	w := testkit.Woman()
	for c, want := range map[credential.Claim]pair{
		credential.ClaimSex:           {"PEREMPUAN", "Female"},
		credential.ClaimMaritalStatus: {"BELUM KAWIN", "Single"},
		credential.ClaimBirthDate:     {"05-03-1990", "1990-03-05"},
	} {
		id, en := w.Display(c)
		assert.Equal(t, want, pair{id, en}, "%v", c)
	}

	yes, no := true, false
	for _, tc := range []struct {
		name string
		k    credential.KTP
		c    credential.Claim
		id   string
		en   string
	}{
		{"over 17", credential.KTP{Over17: &yes}, credential.ClaimOver17, "YA", "Yes"},
		{"under 17", credential.KTP{Over17: &no}, credential.ClaimOver17, "TIDAK", "No"},
		{"address without RT/RW", credential.KTP{Address: &credential.Address{Street: "JL. A", Regency: "BADUNG"}}, credential.ClaimAddress, "JL. A, BADUNG", "JL. A, BADUNG"},
		{"address with RT only", credential.KTP{Address: &credential.Address{RT: 7, Province: "BALI"}}, credential.ClaimAddress, "RT/RW 007/000, BALI", "RT/RW 007/000, BALI"},
		{"empty address is absent", credential.KTP{Address: &credential.Address{}}, credential.ClaimAddress, "", ""},
		{"unknown religion shows as bad", credential.KTP{Religion: 9}, credential.ClaimReligion, "Religion(9)", "Religion(9)"},
		{"unknown claim", testkit.Man(), 0, "", ""},
		{"claim 17", testkit.Man(), 17, "", ""},
		{"absent claim", credential.KTP{}, credential.ClaimName, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, en := tc.k.Display(tc.c)
			assert.Equal(t, tc.id, id)
			assert.Equal(t, tc.en, en)
		})
	}
}

func TestClaimLabels(t *testing.T) {
	want := map[credential.Claim][3]string{
		credential.ClaimNIK:           {"nik", "NIK", "NIK"},
		credential.ClaimName:          {"name", "Nama", "Name"},
		credential.ClaimBirthPlace:    {"birth_place", "Tempat Lahir", "Place of birth"},
		credential.ClaimBirthDate:     {"birth_date", "Tgl Lahir", "Date of birth"},
		credential.ClaimSex:           {"sex", "Jenis Kelamin", "Sex"},
		credential.ClaimBloodType:     {"blood_type", "Gol. Darah", "Blood type"},
		credential.ClaimAddress:       {"address", "Alamat", "Address"},
		credential.ClaimReligion:      {"religion", "Agama", "Religion"},
		credential.ClaimMaritalStatus: {"marital_status", "Status Perkawinan", "Marital status"},
		credential.ClaimOccupation:    {"occupation", "Pekerjaan", "Occupation"},
		credential.ClaimCitizenship:   {"citizenship", "Kewarganegaraan", "Citizenship"},
		credential.ClaimNationality:   {"nationality", "Kebangsaan", "Nationality"},
		credential.ClaimValidity:      {"validity", "Berlaku Hingga", "Valid until"},
		credential.ClaimIssuingOffice: {"issuing_office", "Tempat Terbit", "Place of issue"},
		credential.ClaimIssueDate:     {"issue_date", "Tgl Terbit", "Date of issue"},
		credential.ClaimOver17:        {"over_17", "Usia 17 Tahun ke Atas", "Aged 17 or over"},
	}
	is := assert.New(t)
	is.Len(want, 16)
	ids, ens := map[string]bool{}, map[string]bool{}
	for c, w := range want {
		is.Equal(w[0], c.String())
		is.Equal(w[1], c.Indonesian())
		is.Equal(w[2], c.English())
		got, ok := credential.ParseClaim(w[0])
		is.True(ok)
		is.Equal(c, got)
		is.False(ids[w[1]], "Indonesian label %q twice", w[1])
		is.False(ens[w[2]], "English label %q twice", w[2])
		ids[w[1]], ens[w[2]] = true, true
	}
	for _, c := range []credential.Claim{0, 17, 255} {
		is.Empty(c.Indonesian())
		is.Empty(c.English())
	}
	is.Equal("Claim(0)", credential.Claim(0).String())
	is.Equal("Claim(17)", credential.Claim(17).String())
	for _, s := range []string{"", "NIK", "Name", "nama", "Claim(1)", "over17"} {
		_, ok := credential.ParseClaim(s)
		is.False(ok, s)
	}
}

func TestProfiles(t *testing.T) {
	for p, s := range map[credential.Profile]string{
		credential.ProfileFull: "full", credential.ProfileTravel: "travel",
		credential.ProfileKAI: "kai", credential.ProfileAge: "age",
		credential.ProfileKKFull: "kk-full", credential.ProfileKKMembers: "kk-members",
		credential.ProfileKKSchool: "kk-school", credential.ProfileAktaFull: "akta-full",
		credential.ProfileAktaSchool: "akta-school",
	} {
		assert.Equal(t, s, p.String())
		got, ok := credential.ParseProfile(s)
		assert.True(t, ok)
		assert.Equal(t, p, got)
	}
	assert.Equal(t, "Profile(0)", credential.Profile(0).String())
	assert.Equal(t, "Profile(10)", credential.Profile(10).String())
	for _, s := range []string{"", "Full", "KAI", "Profile(1)"} {
		_, ok := credential.ParseProfile(s)
		assert.False(t, ok, s)
	}
	for c := credential.ClaimNIK; c <= credential.ClaimOver17; c++ {
		assert.Equal(t, c != credential.ClaimOver17, credential.ProfileAllows(credential.ProfileFull, c), "full %v", c)
		assert.Equal(t, c == credential.ClaimOver17, credential.ProfileAllows(credential.ProfileAge, c), "age %v", c)
	}
}
