package qr

import (
	"bytes"
	"errors"
	"image"
	"os"
	"path/filepath"
	"testing"
)

// FuzzScanReader feeds arbitrary bytes to ScanReader: it never panics, fails
// only with its documented errors, and returns text only without error.
// Seeds: the small PNG and JPEG files in testdata/images (real codes, a
// code too small to read, and a non-code) plus testdata/fuzz/FuzzScanReader.
func FuzzScanReader(f *testing.F) {
	paths, err := filepath.Glob("testdata/images/*")
	if err != nil {
		f.Fatal(err)
	}
	if len(paths) == 0 {
		f.Fatal("no seed images in testdata/images")
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		text, err := ScanReader(bytes.NewReader(data))
		if err != nil {
			if text != "" {
				t.Fatalf("text %q with error %v", text, err)
			}
			if !errors.Is(err, errImageFormat) && !errors.Is(err, errImageTooLarge) &&
				!errors.Is(err, errImageTooSmall) && !errors.Is(err, ErrNoCode) {
				t.Fatalf("undocumented error %v", err)
			}
		}
	})
}

// FuzzScanGray scans arbitrary gray pixels at a fuzzed width: Scan never
// panics on any pixel content.
func FuzzScanGray(f *testing.F) {
	img, err := renderWith("IKD1:FUZZ", &renderOptions{ModuleSize: 1, QuietZone: 2})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(img.Pix, uint16(img.Rect.Dx()))
	f.Add(make([]byte, 30*30), uint16(30))
	f.Fuzz(func(t *testing.T, pix []byte, w uint16) {
		if w == 0 || int(w) > len(pix) {
			return
		}
		h := len(pix) / int(w)
		g := &image.Gray{Pix: pix, Stride: int(w), Rect: image.Rect(0, 0, int(w), h)}
		text, err := Scan(g)
		if (err == nil) != (text != "") {
			t.Fatalf("Scan = %q, %v: want text exactly when no error", text, err)
		}
	})
}

// FuzzScanner feeds a Scanner a sequence of fuzzed gray frames of a fuzzed
// width, the first seeded with a real code: it never panics, reports text
// only without error, and fails only with its documented errors.
func FuzzScanner(f *testing.F) {
	img, err := renderWith("IKD1:FUZZ", &renderOptions{ModuleSize: 2, QuietZone: 4})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(img.Pix, uint16(img.Rect.Dx()), uint8(3))
	f.Add(make([]byte, 64*64), uint16(64), uint8(2))
	f.Fuzz(func(t *testing.T, pix []byte, w uint16, frames uint8) {
		if w == 0 || int(w) > len(pix) {
			return
		}
		h := len(pix) / int(w)
		g := &image.Gray{Pix: pix, Stride: int(w), Rect: image.Rect(0, 0, int(w), h)}
		sc := NewScanner()
		for i := 0; i < int(frames%8)+1; i++ {
			text, err := sc.Scan(g)
			if (err == nil) != (text != "") {
				t.Fatalf("frame %d: Scan = %q, %v: want text exactly when no error", i, text, err)
			}
			if err != nil && !errors.Is(err, ErrNoCode) && !errors.Is(err, ErrSameCode) && !errors.Is(err, ErrImage) {
				t.Fatalf("frame %d: undocumented error %v", i, err)
			}
			if i > 0 && err == nil {
				t.Fatalf("frame %d: the same frame reported twice", i)
			}
		}
	})
}
