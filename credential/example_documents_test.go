package credential_test

import (
	"errors"
	"fmt"

	"github.com/ikdgo/ikd/credential"
)

// An issuing clerk's Kartu Keluarga (the kk-members profile: names, NIKs
// and relationships) with three mistakes: Validate reports them all at
// once, each with its member.
func ExampleKK_Validate() {
	kk := credential.KK{
		Number: "3171012003120007", Head: "BUDI SANTOSO",
		Members: []credential.Member{
			{Name: "BUDI SANTOSO", NIK: "3171011708850003", Relationship: credential.RelationshipKepalaKeluarga},
			// The wife's NIK is a man's: 40 is added to a woman's day of birth.
			{Name: "DEWI LESTARI", NIK: "3171011204880004", Relationship: credential.RelationshipIstri},
			// A second head of the family.
			{Name: "RIZKY PRATAMA SANTOSO", NIK: "3171012107140002", Relationship: credential.RelationshipKepalaKeluarga},
			// The clerk typed Rizky's NIK twice.
			{Name: "AYU LESTARI SANTOSO", NIK: "3171012107140002", Relationship: credential.RelationshipAnak},
		},
	}
	err := kk.Validate(credential.ProfileKKMembers)
	var ve *credential.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// member 2: member_sex: invalid value: a wife (ISTRI) is female
	// member 3: member_relationship: invalid value: a second head of the family
	// member 4: member_nik: invalid value: the same NIK as an earlier member
}
