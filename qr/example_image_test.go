package qr_test

import (
	"fmt"
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
