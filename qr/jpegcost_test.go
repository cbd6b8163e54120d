package qr

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/limits"
)

// jpegSegment appends marker m with payload p to b.
func jpegSegment(b []byte, m byte, p []byte) []byte {
	b = append(b, 0xff, m)
	b = binary.BigEndian.AppendUint16(b, uint16(len(p)+2))
	return append(b, p...)
}

// jpegMarkers builds the marker structure of a JPEG of w×h pixels: a frame
// header (sof: 0xc0 baseline, 0xc2 progressive) with the given
// components (sampling factors h<<4|v), then scans, each naming the
// components in scanComps, each followed by a few bytes of entropy-coded
// data (with a stuffed 0xff and a restart marker), then EOI. Only the
// markers are meaningful: the cost parser reads nothing else.
func jpegMarkers(sof byte, w, h int, sampling []byte, scans int, scanComps []byte) []byte {
	b := []byte{0xff, 0xd8}
	b = jpegSegment(b, 0xdb, make([]byte, 65)) // DQT
	sofp := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), byte(len(sampling))}
	for i, s := range sampling {
		sofp = append(sofp, byte(i+1), s, 0)
	}
	b = jpegSegment(b, sof, sofp)
	for range scans {
		sos := []byte{byte(len(scanComps))}
		for _, c := range scanComps {
			sos = append(sos, c, 0)
		}
		sos = append(sos, 1, 63, 0)
		b = jpegSegment(b, 0xda, sos)
		b = append(b, 0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56)
	}
	return append(b, 0xff, 0xd9)
}

// TestJPEGCost: the parser counts the scans, the blocks they walk and the
// memory the standard decoder allocates, per format: 1 byte per sample for
// a baseline JPEG (4:4:4 colour is 3 per pixel, not 9), 5 for a
// progressive one (64 coefficients of 4 bytes kept per block).
func TestJPEGCost(t *testing.T) {
	const px = 4096 * 4096
	tests := []struct {
		name       string
		data       []byte
		wantBytes  int64
		wantScans  int
		wantErr    string
		overBudget bool
		// wantIs is the error an error case wraps: errImageTooLarge for
		// scans that cost too much, errImageFormat for markers the
		// standard decoder refuses.
		wantIs error
	}{
		{"baseline_gray", jpegMarkers(0xc0, 4096, 4096, []byte{0x11}, 1, []byte{1}), px, 1, "", false, nil},
		{"baseline_444", jpegMarkers(0xc0, 4096, 4096, []byte{0x11, 0x11, 0x11}, 1, []byte{1, 2, 3}), 3 * px, 1, "", false, nil},
		{"baseline_420", jpegMarkers(0xc0, 4096, 4096, []byte{0x22, 0x11, 0x11}, 1, []byte{1, 2, 3}), px * 3 / 2, 1, "", false, nil},
		{"progressive_gray_1_scan", jpegMarkers(0xc2, 4096, 4096, []byte{0x11}, 1, []byte{1}), 5 * px, 1, "", true, nil},
		{"progressive_gray_2048", jpegMarkers(0xc2, 2048, 2048, []byte{0x11}, 6, []byte{1}), 5 * px / 4, 6, "", false, nil},
		{"progressive_444", jpegMarkers(0xc2, 4096, 4096, []byte{0x11, 0x11, 0x11}, 3, []byte{1, 2, 3}), 15 * px, 3, "", true, nil},
		{"progressive_1000_scans", jpegMarkers(0xc2, 1024, 1024, []byte{0x11}, 1000, []byte{1}), 0, 0, "more than 12 times", false, errImageTooLarge},
		{"scans_over_cap", jpegMarkers(0xc2, 1024, 1024, []byte{0x22, 0x11, 0x11}, 40, []byte{2}), 0, 0, "more than 32 scans", false, errImageTooLarge},
		{"no_scan", jpegMarkers(0xc2, 64, 64, []byte{0x11}, 0, nil), 0, 0, "no frame or no scan", false, errImageFormat},
		{"two_frames", append(jpegMarkers(0xc0, 64, 64, []byte{0x11}, 0, nil)[:2+2+67+2+11], jpegMarkers(0xc0, 64, 64, []byte{0x11}, 1, []byte{1})[2:]...), 0, 0, "more than one frame", false, errImageFormat},
		{"arithmetic", jpegMarkers(0xc9, 64, 64, []byte{0x11}, 1, []byte{1}), 0, 0, "unsupported coding", false, errImageFormat},
		// Found by FuzzScanReader: a frame header whose declared length
		// runs past the end of the file.
		{"segment_past_end", []byte("\xff\xd8\xff\xc0\x00\v\b00\x000\x010A\x00\xff\xda00"), 0, 0, "segment length 12336 out of range", false, errImageFormat},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseJPEGCost(tc.data)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.ErrorIs(t, err, tc.wantIs)
				_, err = ScanReader(bytes.NewReader(tc.data))
				assert.ErrorIs(t, err, tc.wantIs)
				assert.ErrorIs(t, err, ErrImage)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantBytes, c.bytes)
			assert.Equal(t, tc.wantScans, c.scans)
			assert.Equal(t, tc.overBudget, c.bytes > limits.MaxImageBytes)
			if tc.overBudget {
				_, err = ScanReader(bytes.NewReader(tc.data))
				assert.ErrorIs(t, err, errImageTooLarge)
			}
		})
	}
}

// TestJPEGCostRealFiles: the parser accepts what image/jpeg writes (gray
// and 4:2:0 colour), with the memory the decoder then allocates.
func TestJPEGCostRealFiles(t *testing.T) {
	code := mustRender(t, "IKD1:JPEG", nil)
	colour := image.NewRGBA(code.Rect)
	for i, v := range code.Pix {
		copy(colour.Pix[4*i:], []byte{v, v, v, 255})
	}
	for name, img := range map[string]image.Image{"gray": code, "ycbcr_420": colour} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}))
			c, err := parseJPEGCost(buf.Bytes())
			require.NoError(t, err)
			assert.Equal(t, 1, c.scans)
			assert.False(t, c.progressive)
			dec, err := jpeg.Decode(bytes.NewReader(buf.Bytes()))
			require.NoError(t, err)
			var pixels int
			switch m := dec.(type) {
			case *image.Gray:
				pixels = len(m.Pix)
			case *image.YCbCr:
				pixels = len(m.Y) + len(m.Cb) + len(m.Cr)
			}
			assert.Equal(t, int64(pixels), c.bytes, "the estimate is what the decoder allocates")
			text, err := ScanReader(bytes.NewReader(buf.Bytes()))
			require.NoError(t, err)
			assert.Equal(t, "IKD1:JPEG", text)
		})
	}
}

// FuzzJPEGCost: the marker parser never panics, fails only with an error
// wrapping errImageFormat or errImageTooLarge, and never reports more
// scans than its cap allows without an error.
func FuzzJPEGCost(f *testing.F) {
	f.Add(jpegMarkers(0xc2, 64, 64, []byte{0x11}, 3, []byte{1}))
	f.Add(jpegMarkers(0xc0, 100, 80, []byte{0x22, 0x11, 0x11}, 1, []byte{1, 2, 3}))
	f.Add([]byte{0xff, 0xd8, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseJPEGCost(data)
		if err != nil {
			if !errors.Is(err, errImageFormat) && !errors.Is(err, errImageTooLarge) {
				t.Fatalf("undocumented error %v", err)
			}
			return
		}
		if c.scans < 1 || c.scans > maxJPEGScans || c.components < 1 || c.components > 4 {
			t.Fatalf("accepted %+v", c)
		}
		if c.scanBlocks > maxJPEGScanPasses*c.blocks || c.bytes < c.blocks*jpegPixelBlockBytes {
			t.Fatalf("accepted %+v", c)
		}
	})
}
