package qr_test

import (
	"errors"
	"fmt"
	"image"
	"strings"

	"github.com/ikdgo/ikd/qr"
)

// ExampleRender draws a text as a QR code and scans it back, as a camera
// frame would be.
func ExampleRender() {
	text := "IKD1:QED8WEX0"
	img, err := qr.Render(text) // 4 px per module, quiet zone 4, ECC M
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("size", img.Bounds().Dx(), "px") // a version 1 code: (21 + 8) modules × 4 px

	got, err := qr.Scan(img)
	fmt.Println(got, err)
	// Output:
	// size 116 px
	// IKD1:QED8WEX0 <nil>
}

// ExampleRenderTerminal prints a code for a dark terminal.
func ExampleRenderTerminal() {
	s, err := qr.RenderTerminal("IKD1:QED8WEX0")
	if err != nil {
		fmt.Println(err)
		return
	}
	// A version 1 code with its quiet zone is 29 modules square: 29
	// columns by 15 lines of half blocks.
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	fmt.Println(len(lines), "lines of", len([]rune(lines[0])), "columns")
	// Output:
	// 15 lines of 29 columns
}

// ExampleScanner reads a camera's stream of frames: the code held in view
// for several frames is reported once; a blank frame has no code.
func ExampleScanner() {
	code, err := qr.Render("IKD1:QED8WEX0")
	if err != nil {
		fmt.Println(err)
		return
	}
	blank := image.NewGray(code.Bounds())
	frames := []image.Image{code, code, code, blank}
	sc := qr.NewScanner()
	for i, frame := range frames {
		text, err := sc.Scan(frame)
		switch {
		case err == nil:
			fmt.Println(i, "new code:", text) // verify it: Verifier.VerifyText(text)
		case errors.Is(err, qr.ErrSameCode):
			fmt.Println(i, "still in view")
		case errors.Is(err, qr.ErrBusy):
			fmt.Println(i, "dropped") // another goroutine is scanning
		case errors.Is(err, qr.ErrNoCode):
			fmt.Println(i, "no code")
		default:
			fmt.Println(i, err)
		}
	}
	// Output:
	// 0 new code: IKD1:QED8WEX0
	// 1 still in view
	// 2 still in view
	// 3 no code
}
