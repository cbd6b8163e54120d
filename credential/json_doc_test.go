package credential_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/testkit"
)

// recordsDir holds the sample records a clerk copies (look 15, newcomer
// 1): docs/records/kk.json and akta.json, and ktp.json, the person record
// examples/README.md's issuer round trip reads (look 19, newcomer 6). They are golden files of the
// record JSON, indented; -update rewrites them.
const recordsDir = "../docs/records"

func TestFamilyRecordJSONGolden(t *testing.T) {
	for _, tt := range []struct {
		file string
		rec  any
		back func([]byte) (any, error)
	}{
		{"ktp.json", testkit.Man(), func(b []byte) (any, error) {
			var k credential.KTP
			err := json.Unmarshal(b, &k)
			return k, err
		}},
		{"kk.json", testkit.Family(4), func(b []byte) (any, error) {
			var k credential.KK
			err := json.Unmarshal(b, &k)
			return k, err
		}},
		{"akta.json", testkit.Birth(), func(b []byte) (any, error) {
			var a credential.BirthCertificate
			err := json.Unmarshal(b, &a)
			return a, err
		}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			compact, err := json.Marshal(tt.rec)
			require.NoError(t, err)
			var pretty bytes.Buffer
			require.NoError(t, json.Indent(&pretty, compact, "", "  "))
			pretty.WriteByte('\n')
			path := filepath.Join(recordsDir, tt.file)
			if *update {
				require.NoError(t, os.WriteFile(path, pretty.Bytes(), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./credential -run TestFamilyRecordJSONGolden -update")
			assert.Equal(t, string(want), pretty.String())
			back, err := tt.back(want)
			require.NoError(t, err)
			assert.Equal(t, tt.rec, back, "the sample reads back to the record")
		})
	}
}

// TestFamilyRecordJSONProblems: every problem at once, with the member's
// place, the members that decode set anyway, and an empty record named.
func TestFamilyRecordJSONProblems(t *testing.T) {
	var k credential.KK
	err := k.UnmarshalJSON([]byte(`{"kk_number":"3171012003120007","kk_issue_date":"2024-13-01","nomor":1,
		"members":[{"member_name":"BUDI","member_sex":"male","member_relationship":"head","member_education":"phd"},
		{"member_name":"DEWI","member_sex":7,"member_birth_date":"12-04-1988","member_relationship":"wife"}]}`))
	var ve *credential.ValidationError
	require.ErrorAs(t, err, &ve)
	type key struct {
		member int
		claim  credential.Claim
	}
	var got []key
	for _, p := range ve.Problems {
		assert.ErrorIs(t, p, credential.ErrInvalidValue)
		got = append(got, key{p.Member, p.Claim})
	}
	assert.Equal(t, []key{
		{0, credential.ClaimKKIssueDate}, {0, 0},
		{1, credential.ClaimMemberEducation},
		{2, credential.ClaimMemberSex}, {2, credential.ClaimMemberBirthDate},
	}, got)
	assert.Equal(t, "3171012003120007", k.Number, "what decodes is set")
	require.Len(t, k.Members, 2)
	assert.Equal(t, credential.RelationshipKepalaKeluarga, k.Members[0].Relationship)
	assert.Equal(t, credential.SexMale, k.Members[0].Sex)
	assert.Equal(t, credential.RelationshipIstri, k.Members[1].Relationship)

	for _, rec := range []interface{ UnmarshalJSON([]byte) error }{&credential.KK{}, &credential.BirthCertificate{}} {
		err := rec.UnmarshalJSON([]byte(`{}`))
		assert.ErrorIs(t, err, credential.ErrMissingClaim, "an empty record is named as such")
	}
	var b credential.BirthCertificate
	err = b.UnmarshalJSON([]byte(`{"akta_child_nik":"123","akta_birth_order":31,"akta_sex":"female","kk_number":"1"}`))
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Problems, 3)
	assert.Equal(t, credential.SexFemale, b.Sex)
	assert.True(t, errors.Is(err, credential.ErrInvalidValue))
}
