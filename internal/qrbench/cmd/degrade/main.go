// Command degrade writes the fixed, reproducible set of degraded QR images
// that docs/scanning.md compares qr.Scan and zbarimg on: for each case of
// qrbench.Cases and qrbench.CameraCases, -n presentation-like texts ("IKD1:" + base45 of 180–480
// random bytes, fixed seeds) rendered by qr at 4 px/module, degraded, and
// written as PNG, with expected.tsv listing file and text.
//
//	go run ./internal/qrbench/cmd/degrade -out /tmp/qrset -n 20
package main

import (
	"bufio"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	"github.com/ikdgo/ikd/internal/base45"
	"github.com/ikdgo/ikd/internal/qrbench"
	"github.com/ikdgo/ikd/qr"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "degrade:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("degrade", flag.ContinueOnError)
	out := fs.String("out", "qrset", "output directory")
	n := fs.Int("n", 20, "texts per degradation")
	seed := fs.Uint64("seed", 1, "random seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	tsv, err := os.Create(filepath.Join(*out, "expected.tsv"))
	if err != nil {
		return err
	}
	defer tsv.Close()
	w := bufio.NewWriter(tsv)
	r := rand.New(rand.NewPCG(*seed, 0x717262656e6368))
	count := 0
	for i := 0; i < *n; i++ {
		var text string
		var src *image.Gray
		for src == nil { // like the wallet: a new nonce until the code reads back
			b := make([]byte, 180+r.IntN(301))
			for j := range b {
				b[j] = byte(r.Uint32())
			}
			text = "IKD1:" + base45.Encode(b)
			img, err := qr.Render(text)
			if err != nil {
				return err
			}
			if got, err := qr.Scan(img); err == nil && got == text {
				src = img
			}
		}
		for ci, c := range slices.Concat(qrbench.Cases, qrbench.CameraCases) {
			img := c.Apply(src, *seed*1000003+uint64(i*100+ci))
			name := fmt.Sprintf("%s_%03d.png", c.Name, i)
			if err := writePNG(filepath.Join(*out, name), img); err != nil {
				return err
			}
			fmt.Fprintf(w, "%s\t%s\t%s\n", name, c.Name, text)
			count++
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d images to %s\n", count, *out)
	return nil
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
