package qr

import (
	"encoding/binary"
	"fmt"
)

// maxJPEGScans is the most scans (SOS segments) a JPEG may hold. A
// baseline JPEG has one per component at most; libjpeg's progressive
// scripts use 6 (gray) to 10 (colour) scans. Each scan makes the standard
// decoder walk every block of its components, so the scan count, not the
// file size, sets the decoding time: 1,000 scans of end-of-band runs fit in
// 29 KB and cost 90× a clean read.
const maxJPEGScans = 32

// maxJPEGScanPasses bounds the blocks all scans of a JPEG make the decoder
// walk, as a multiple of the blocks in the image: each component counted
// once per scan that carries it. libjpeg's colour script walks each
// block 4 to 5 times (a DC scan, AC bands, refinements).
const maxJPEGScanPasses = 12

// jpegBlockBytes is what the standard decoder allocates per 8×8 block of a
// component: 64 bytes of pixels, and for a progressive JPEG also 64
// coefficients of 4 bytes each, kept until the last scan.
const (
	jpegPixelBlockBytes = 64
	jpegCoeffBlockBytes = 64 * 4
)

// jpegCost is what decoding a JPEG costs the standard decoder, from its
// markers alone.
type jpegCost struct {
	width, height int
	components    int
	progressive   bool
	scans         int
	blocks        int64 // 8×8 blocks over all components, padded to whole MCUs
	scanBlocks    int64 // blocks walked by all scans together
	bytes         int64 // memory of pixels and coefficients
	adobeRGB      bool  // an Adobe APP14 segment says the 3 components are RGB
}

// badJPEG is the error of a JPEG whose markers the standard decoder
// refuses: not a readable image.
func badJPEG(format string, a ...any) error {
	return fmt.Errorf("%w: jpeg: %s", errImageFormat, fmt.Sprintf(format, a...))
}

// costlyJPEG is the error of a JPEG whose scans cost too much to decode.
func costlyJPEG(format string, a ...any) error {
	return fmt.Errorf("%w: jpeg: %s", errImageTooLarge, fmt.Sprintf(format, a...))
}

// parseJPEGCost reads the markers of a JPEG file up to its end (EOI) or
// the end of data, without decoding any pixel, and returns what decoding
// it costs. It checks the structure only as far as it needs to: data the
// standard decoder then refuses is refused there. Its errors wrap
// errImageFormat (markers the decoder refuses) or errImageTooLarge (too
// many scans, or scans walking the blocks too often).
func parseJPEGCost(data []byte) (jpegCost, error) {
	var c jpegCost
	if len(data) < 4 || data[0] != 0xff || data[1] != 0xd8 {
		return c, badJPEG("no SOI marker")
	}
	type comp struct {
		id   byte
		h, v int
	}
	var comps []comp
	var compBlocks []int64 // blocks of each component
	hmax, vmax := 1, 1
	i := 2
	for i < len(data) {
		if data[i] != 0xff { // stray bytes between segments: the decoder skips them
			i++
			continue
		}
		for i < len(data) && data[i] == 0xff { // fill bytes
			i++
		}
		if i >= len(data) {
			break
		}
		m := data[i]
		i++
		switch {
		case m == 0xd9: // EOI
			return c, c.check()
		case m == 0x01 || m >= 0xd0 && m <= 0xd7: // TEM, RSTn: no length
			continue
		}
		if i+2 > len(data) {
			return c, badJPEG("truncated segment")
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || i+n > len(data) {
			return c, badJPEG("segment length %d out of range", n)
		}
		seg := data[i+2 : i+n]
		i += n
		switch m {
		case 0xc0, 0xc1, 0xc2: // SOF0 baseline, SOF1 extended, SOF2 progressive
			if comps != nil {
				return c, badJPEG("more than one frame header")
			}
			if len(seg) < 6 {
				return c, badJPEG("short frame header")
			}
			c.progressive = m == 0xc2
			c.height = int(binary.BigEndian.Uint16(seg[1:]))
			c.width = int(binary.BigEndian.Uint16(seg[3:]))
			nc := int(seg[5])
			if nc < 1 || nc > 4 || len(seg) < 6+3*nc {
				return c, badJPEG("%d components", nc)
			}
			for k := 0; k < nc; k++ {
				b := seg[6+3*k:]
				h, v := int(b[1]>>4), int(b[1]&15)
				if h < 1 || h > 4 || v < 1 || v > 4 {
					return c, badJPEG("sampling factor %d×%d", h, v)
				}
				comps = append(comps, comp{b[0], h, v})
				hmax, vmax = max(hmax, h), max(vmax, v)
			}
			c.components = nc
			// The decoder works in whole MCUs of 8·hmax × 8·vmax pixels;
			// each holds h×v blocks of a component.
			mx := int64((c.width + 8*hmax - 1) / (8 * hmax))
			my := int64((c.height + 8*vmax - 1) / (8 * vmax))
			for _, p := range comps {
				b := mx * my * int64(p.h*p.v)
				compBlocks = append(compBlocks, b)
				c.blocks += b
			}
		case 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf:
			return c, badJPEG("unsupported coding (SOF%d)", m-0xc0)
		case 0xee: // APP14: Adobe's colour transform, 0 = RGB or CMYK
			if len(seg) >= 12 && string(seg[:5]) == "Adobe" && seg[11] == 0 {
				c.adobeRGB = true
			}
		case 0xda: // SOS, followed by entropy-coded data
			if comps == nil {
				return c, badJPEG("scan before the frame header")
			}
			if c.scans++; c.scans > maxJPEGScans {
				return c, costlyJPEG("more than %d scans", maxJPEGScans)
			}
			if len(seg) < 1 || len(seg) < 1+2*int(seg[0]) {
				return c, badJPEG("short scan header")
			}
			for k := 0; k < int(seg[0]); k++ {
				for j, p := range comps {
					if p.id == seg[1+2*k] {
						c.scanBlocks += compBlocks[j]
					}
				}
			}
			if c.scanBlocks > maxJPEGScanPasses*c.blocks {
				return c, costlyJPEG("scans walk the image's blocks more than %d times", maxJPEGScanPasses)
			}
			// Skip the entropy-coded data: up to a 0xff that is not a
			// stuffed zero, a fill byte or a restart marker.
			for i < len(data) {
				if data[i] != 0xff {
					i++
					continue
				}
				if i+1 < len(data) {
					if b := data[i+1]; b == 0 || b >= 0xd0 && b <= 0xd7 {
						i += 2
						continue
					}
				}
				break
			}
		}
	}
	// Data ending without EOI: the decoder reads it as far as it goes.
	return c, c.check()
}

// check computes the memory and refuses a JPEG without a frame or a scan.
func (c *jpegCost) check() error {
	if c.components == 0 || c.scans == 0 {
		return badJPEG("no frame or no scan")
	}
	per := int64(jpegPixelBlockBytes)
	if c.progressive {
		per += jpegCoeffBlockBytes
	}
	c.bytes = c.blocks * per
	return nil
}
