package qr_test

import (
	"fmt"
	"strings"

	"github.com/ikdgo/ikd/qr"
)

// ExampleRender draws a text as a QR code and scans it back.
func ExampleRender() {
	text := "IKD1:QED8WEX0"
	img, err := qr.Render(text, nil) // 4 px per module, quiet zone 4, ECC M
	if err != nil {
		fmt.Println(err)
		return
	}
	v, _ := qr.version(text, qr.eccMedium)
	fmt.Println("version", v, "size", img.Bounds().Dx(), "px")

	got, err := qr.Scan(img)
	fmt.Println(got, err)
	// Output:
	// version 1 size 116 px
	// IKD1:QED8WEX0 <nil>
}

// ExampleScanner_Scan reads frames with one Scanner, reusing its buffers.
func ExampleScanner_Scan() {
	s := qr.newScanner()
	for _, text := range []string{"IKD1:BB8", "IKD1:%69 VD92EX0"} {
		frame, err := qr.Render(text, &qr.renderOptions{ModuleSize: 3})
		if err != nil {
			fmt.Println(err)
			return
		}
		got, err := s.Scan(frame)
		fmt.Println(got, err)
	}
	// Output:
	// IKD1:BB8 <nil>
	// IKD1:%69 VD92EX0 <nil>
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
