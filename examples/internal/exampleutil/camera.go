package exampleutil

import (
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // frames in a directory may be JPEG
	_ "image/png"  // or PNG
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ikdgo/ikd/qr"
)

// maxFramePixels is the largest frame -camera accepts: 4096×4096, as qr.Scan.
const maxFramePixels = 4096 * 4096

// parseSize reads "WxH".
func parseSize(s string) (w, h int, err error) {
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	if ok {
		w, err = strconv.Atoi(ws)
		if err == nil {
			h, err = strconv.Atoi(hs)
		}
	}
	if !ok || err != nil || w < 21 || h < 21 || int64(w)*int64(h) > maxFramePixels {
		return 0, 0, fmt.Errorf("-size %q: want WxH, each at least 21, at most %d pixels", s, maxFramePixels)
	}
	return w, h, nil
}

// camera reads the frames f.Camera names through a qr.Scanner and checks
// each code once per showing (the Scanner reports a code again only after
// it left the view). A directory is a recording of PNG or JPEG frames, read
// in name order; anything else is a stream of raw 8-bit gray frames of
// -size WxH: standard input ("-"), a file or FIFO, or a video device that
// delivers GREY frames to read(2) (others: pipe them through
// `ffmpeg -f v4l2 -i /dev/video0 -pix_fmt gray -f rawvideo -`). A stream
// that ends inside a frame is an input error.
//
// Frames are named "camera:N", N counting from 1 in reading order, for a
// directory and a raw stream alike; a directory's frames add the file name
// ("camera:3:frame0002.png"). A stop (SIGINT) ends the stream between two
// frames.
func camera(f *ScannerFlags, stdin io.Reader, stop <-chan struct{}, out *reporter, check func(string) Verdict) error {
	sc := qr.NewScanner()
	frame := func(source string, img image.Image) error {
		text, err := sc.Scan(img)
		switch {
		case err == nil:
			vd := check(text)
			vd.Source = source
			return out.report(vd)
		case errors.Is(err, qr.ErrImage):
			return out.report(inputError(source, err))
		}
		return nil // no code, the same code, or a dropped frame
	}
	if st, err := os.Stat(f.Camera); f.Camera != "-" && err == nil && st.IsDir() {
		if f.Size != "" {
			return Usagef("-size is for raw frames, not a directory of images")
		}
		entries, err := os.ReadDir(f.Camera)
		if err != nil {
			return &UsageError{Err: err}
		}
		n := 0
		for _, e := range entries {
			name := e.Name()
			if !e.Type().IsRegular() || !slices.Contains(imageExts, strings.ToLower(filepath.Ext(name))) {
				continue
			}
			if stopped(stop) {
				return nil
			}
			n++
			source := fmt.Sprintf("camera:%d:%s", n, name)
			img, err := decodeFrame(filepath.Join(f.Camera, name))
			if err != nil {
				if err := out.report(inputError(source, err)); err != nil {
					return err
				}
				continue
			}
			if err := frame(source, img); err != nil {
				return err
			}
		}
		return nil
	}
	if f.Size == "" {
		return Usagef("-camera %s: raw frames need -size WxH", f.Camera)
	}
	w, h, err := parseSize(f.Size)
	if err != nil {
		return &UsageError{Err: err}
	}
	r := stdin
	if f.Camera != "-" {
		file, err := os.Open(f.Camera)
		if err != nil {
			return out.report(inputError("camera", err))
		}
		defer file.Close()
		r = file
	}
	// One buffer: the Scanner reads a frame only during Scan. Frames are
	// read in order; a live source that outpaces the scanner blocks in
	// its pipe (ffmpeg then drops frames itself).
	img := image.NewGray(image.Rect(0, 0, w, h))
	for n := 1; !stopped(stop); n++ {
		got, err := io.ReadFull(r, img.Pix)
		switch {
		case errors.Is(err, io.EOF):
			return nil // the stream ended between frames
		case errors.Is(err, io.ErrUnexpectedEOF):
			// Most often -size does not match the stream: its length is
			// not a whole number of frames of this size.
			return out.report(inputError(fmt.Sprintf("camera:%d", n), fmt.Errorf(
				"the stream ended %d bytes into frame %d, which needs %d (-size %dx%d, 1 byte per pixel): its length is not a whole number of frames; is -size the stream's frame size?",
				got, n, len(img.Pix), w, h)))
		case err != nil:
			return out.report(inputError(fmt.Sprintf("camera:%d", n), fmt.Errorf("reading frame %d: %w", n, err)))
		}
		if err := frame(fmt.Sprintf("camera:%d", n), img); err != nil {
			return err
		}
	}
	return nil
}

// decodeFrame reads a PNG or JPEG frame, checking its size from the header
// first.
func decodeFrame(path string) (image.Image, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	cfg, _, err := image.DecodeConfig(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxFramePixels {
		return nil, fmt.Errorf("%s: %d×%d pixels: too large", filepath.Base(path), cfg.Width, cfg.Height)
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(file)
	return img, err
}
