package main

import (
	"bufio"
	"fmt"
	"image"
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/qr"
)

// Video of the fake camera: a phone held in a hand, a little tilted and
// swaying, whose wallet shows a new code every framesPerCode frames, as
// Y4M (YUV 4:2:0, gray: the chroma planes are flat), which Chromium's fake
// capture device plays in a loop (--use-file-for-fake-video-capture).
const (
	videoW, videoH = 640, 480
	videoFPS       = 10
	framesPerCode  = 12
)

// phoneScreen draws the phone: a dark body, a white screen and the code.
func phoneScreen(code *image.Gray) *image.Gray {
	qw := code.Bounds().Dx()
	w, h := qw+40, qw+150
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := uint8(0x22) // body
			if x >= 8 && x < w-8 && y >= 30 && y < h-40 {
				c = 0xf4 // screen
			}
			img.Pix[y*img.Stride+x] = c
		}
	}
	ox, oy := (w-qw)/2, 50
	for y := range qw {
		copy(img.Pix[(oy+y)*img.Stride+ox:], code.Pix[y*code.Stride:y*code.Stride+qw])
	}
	return img
}

// writePhoneVideo writes the video of texts, one after the other, to path.
func writePhoneVideo(t *testing.T, path string, texts []string) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	_, err = fmt.Fprintf(bw, "YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n", videoW, videoH, videoFPS)
	require.NoError(t, err)
	luma := make([]byte, videoW*videoH)
	chroma := make([]byte, videoW*videoH/2)
	for i := range chroma {
		chroma[i] = 128
	}
	n := 0
	for _, text := range texts {
		code, err := qr.Render(text)
		require.NoError(t, err)
		phone := phoneScreen(code)
		pw, ph := phone.Bounds().Dx(), phone.Bounds().Dy()
		for range framesPerCode {
			// The hand: up to 6° of tilt and a few pixels of sway.
			a := 6 * math.Pi / 180 * math.Sin(float64(n)/7)
			sin, cos := math.Sin(a), math.Cos(a)
			cx, cy := float64(videoW)/2+8*math.Sin(float64(n)/5), float64(videoH)/2+4*math.Cos(float64(n)/9)
			for y := range videoH {
				for x := range videoW {
					dx, dy := float64(x)-cx, float64(y)-cy
					sx := int(math.Round(cos*dx+sin*dy)) + pw/2
					sy := int(math.Round(-sin*dx+cos*dy)) + ph/2
					c := uint8(0x80 + (x+y)/40) // a desk, lit from one side
					if sx >= 0 && sx < pw && sy >= 0 && sy < ph {
						c = phone.Pix[sy*phone.Stride+sx]
					}
					luma[y*videoW+x] = c
				}
			}
			_, err = bw.WriteString("FRAME\n")
			require.NoError(t, err)
			_, err = bw.Write(luma)
			require.NoError(t, err)
			_, err = bw.Write(chroma)
			require.NoError(t, err)
			n++
		}
	}
	require.NoError(t, bw.Flush())
}
