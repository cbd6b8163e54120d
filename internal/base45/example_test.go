package base45_test

import (
	"errors"
	"fmt"

	"github.com/ikdgo/ikd/internal/base45"
)

func Example() {
	s := base45.Encode([]byte("ietf!"))
	fmt.Println(s)
	b, err := base45.Decode(s)
	fmt.Println(string(b), err)

	_, err = base45.Decode("GGW")
	fmt.Println(errors.Is(err, base45.ErrOverflow))
	_, err = base45.Decode("BB8b0")
	var ce base45.CorruptInputError
	fmt.Println(errors.As(err, &ce), int64(ce))
	// Output:
	// QED8WEX0
	// ietf! <nil>
	// true
	// true 3
}
