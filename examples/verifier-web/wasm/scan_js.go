//go:build js && !ikdnoscan

package main

import (
	"image"
	"syscall/js"

	"github.com/ikdgo/ikd/qr"
)

// registerScan adds ikd.scan: a camera frame as 8-bit gray pixels, row by
// row, width × height bytes, read with qr.Scan; "" when no code reads.
func registerScan(ikd js.Value) {
	ikd.Set("canScan", true)
	ikd.Set("scan", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) != 3 {
			return ""
		}
		w, h := args[1].Int(), args[2].Int()
		if w <= 0 || h <= 0 || w > 4096 || h > 4096 || args[0].Get("length").Int() != w*h {
			return ""
		}
		img := image.NewGray(image.Rect(0, 0, w, h))
		js.CopyBytesToGo(img.Pix, args[0])
		text, err := qr.Scan(img)
		if err != nil {
			return ""
		}
		return text
	}))
}
