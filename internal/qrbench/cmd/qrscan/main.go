// Command qrscan scans a set written by degrade and prints, per degradation,
// how many images were read to exactly the expected text, by qr.ScanReader
// (-engine ikd, in this process) or by zbarimg (-engine zbar, one zbarimg
// process per image, QR only), and the mean wall time per image, for reads
// and failures separately (PNG decoding included; for zbar, the process
// start too).
//
//	go run ./internal/qrbench/cmd/qrscan -engine ikd /tmp/qrset
//	go run ./internal/qrbench/cmd/qrscan -engine ikd -frames 10 /tmp/qrset
//	go run ./internal/qrbench/cmd/qrscan -engine zbar /tmp/qrset
//
// With -frames N (ikd only), each image is decoded once and given to a new
// qr.Scanner up to N times, as a camera that keeps showing it: a read is
// the first report, and the time is the sum over the frames it took.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"image"
	_ "image/png" // the set is PNG
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/ikdgo/ikd/qr"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "qrscan:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("qrscan", flag.ContinueOnError)
	engine := fs.String("engine", "ikd", "ikd or zbar")
	quiet := fs.Bool("q", false, "print only the totals")
	frames := fs.Int("frames", 0, "ikd: show each image to a qr.Scanner up to this many frames (0: qr.ScanReader once)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: qrscan [-engine ikd|zbar] dir")
	}
	dir := fs.Arg(0)
	f, err := os.Open(filepath.Join(dir, "expected.tsv"))
	if err != nil {
		return err
	}
	defer f.Close()
	type tally struct {
		ok, n          int
		okDur, failDur time.Duration
	}
	var order []string
	counts := map[string]*tally{}
	var failed []string
	total, ok := 0, 0
	start := time.Now()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), "\t", 3)
		if len(parts) != 3 {
			return fmt.Errorf("bad line %q", sc.Text())
		}
		name, c, want := parts[0], parts[1], parts[2]
		path := filepath.Join(dir, name)
		var got string
		t0 := time.Now()
		switch *engine {
		case "ikd":
			if *frames > 0 {
				got, err = scanFrames(path, *frames)
			} else {
				got, err = scanFile(path)
			}
		case "zbar":
			var out []byte
			out, err = exec.Command("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path).Output()
			got = strings.TrimSuffix(string(out), "\n")
		default:
			return fmt.Errorf("unknown engine %q", *engine)
		}
		d := time.Since(t0)
		if counts[c] == nil {
			counts[c] = &tally{}
			order = append(order, c)
		}
		counts[c].n++
		total++
		if err == nil && got == want {
			counts[c].ok++
			counts[c].okDur += d
			ok++
		} else {
			counts[c].failDur += d
			failed = append(failed, name)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stdout, "%-18s %7s %9s %9s\n", "case", "read", "ms/read", "ms/fail")
		for _, c := range order {
			t := counts[c]
			fmt.Fprintf(stdout, "%-18s %3d/%-3d %9s %9s\n", c, t.ok, t.n, mean(t.okDur, t.ok), mean(t.failDur, t.n-t.ok))
		}
		if len(failed) > 0 && len(failed) <= 40 {
			fmt.Fprintf(stdout, "failed: %s\n", strings.Join(failed, " "))
		}
	}
	fmt.Fprintf(stdout, "%s: %d/%d read in %v\n", *engine, ok, total, time.Since(start).Round(time.Millisecond))
	return nil
}

// mean formats d/n in milliseconds, or "-" when n is 0.
func mean(d time.Duration, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000/float64(n))
}

// scanFile reads the image at path with qr.ScanReader.
func scanFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return qr.ScanReader(f)
}

// scanFrames decodes the image at path and gives it to a new qr.Scanner up
// to n times, returning the first code reported.
func scanFrames(path string, n int) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return "", err
	}
	sc := qr.NewScanner()
	for range n {
		text, err := sc.Scan(img)
		if !errors.Is(err, qr.ErrNoCode) {
			return text, err
		}
	}
	return "", qr.ErrNoCode
}
