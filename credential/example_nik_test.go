package credential_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/ikdgo/ikd/credential"
)

func ExampleParseNIK() {
	n, err := credential.ParseNIK("3171015708850002")
	if err != nil {
		fmt.Println(err)
		return
	}
	province, _ := credential.LookupProvince(n.ProvinceCode())
	day, month, yy := n.BirthDay()
	fmt.Println("province:", province.Name)
	fmt.Println("district:", n.DistrictCode())
	fmt.Println("sex:", n.Sex().Indonesian(), "/", n.Sex().English())
	fmt.Printf("born: %d %s '%02d\n", day, month, yy)
	// Output:
	// province: DKI Jakarta
	// district: 317101
	// sex: PEREMPUAN / Female
	// born: 17 August '85
}

func ExampleParseNIK_invalid() {
	// 31 February: the number cannot have been issued.
	_, err := credential.ParseNIK("3171013102850001")
	var ne *credential.NIKError
	if errors.As(err, &ne) {
		fmt.Println(ne.Reason)
	}
	fmt.Println(errors.Is(err, credential.ErrInvalidNIK))
	fmt.Println(err)
	// Output:
	// birth-date
	// true
	// credential: invalid NIK: impossible birth date
}

func ExampleNIK_MatchesBirthDate() {
	n, _ := credential.ParseNIK("3171015708850002")
	declared := credential.Date{Year: 1985, Month: time.August, Day: 17}
	fmt.Println(n.MatchesBirthDate(declared), n.Sex() == credential.SexFemale)
	fmt.Println(n.MatchesBirthDate(credential.Date{Year: 1985, Month: time.August, Day: 18}))
	// Output:
	// true true
	// false
}

func ExampleParseReligion() {
	r, err := credential.ParseReligion("KATHOLIK") // a common variant spelling
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r, "|", r.Indonesian(), "|", r.English())
	_, err = credential.ParseBloodType("A+")
	fmt.Println(err)
	// Output:
	// catholic | KATOLIK | Catholic Christianity
	// credential: unknown value: blood type "A+"
}
