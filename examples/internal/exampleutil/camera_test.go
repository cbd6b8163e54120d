package exampleutil

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// runScanner parses args (with -json) and runs ScanInputs with a check
// that accepts texts starting with "OK"; it returns the JSON lines, the
// raw output and the error.
func runScanner(t *testing.T, stdin io.Reader, args ...string) ([]Verdict, string, error) {
	t.Helper()
	check := func(text string) Verdict {
		if strings.HasPrefix(text, "OK") {
			return Accepted(&verify.Result{Claims: credential.KTP{Name: text}, Profile: credential.ProfileKAI})
		}
		return Rejected(verify.ReasonNotIKD, fmt.Errorf("read %s", text))
	}
	fs := flag.NewFlagSet("scanner", flag.ContinueOnError)
	var f ScannerFlags
	f.Register(fs)
	if err := f.Parse(fs, append([]string{"-trust", "t", "-root", "r", "-json"}, args...)); err != nil {
		return nil, "", err
	}
	var out bytes.Buffer
	err := ScanInputs(&f, Env{Stderr: io.Discard}, stdin, &out, check)
	var vs []Verdict
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if line == "" {
			continue
		}
		var v Verdict
		require.NoError(t, json.Unmarshal([]byte(line), &v), line)
		vs = append(vs, v)
	}
	return vs, out.String(), err
}

// grayFrame returns a 320×240 frame with the code for text in it, or a
// blank frame for "".
func grayFrame(t *testing.T, text string) *image.Gray {
	t.Helper()
	f := image.NewGray(image.Rect(0, 0, 320, 240))
	for i := range f.Pix {
		f.Pix[i] = 200
	}
	if text == "" {
		return f
	}
	code, err := qr.Render(text)
	require.NoError(t, err)
	g := code
	scale := max(1, g.Rect.Dx()/200)
	for y := 0; y < g.Rect.Dy()/scale && y < 240; y++ {
		for x := 0; x < g.Rect.Dx()/scale && x < 320; x++ {
			f.Pix[(y+10)*f.Stride+x+40] = g.Pix[y*scale*g.Stride+x*scale]
		}
	}
	return f
}

func TestCamera(t *testing.T) {
	// A showing of OK-1 for 5 frames, 16 empty frames (it left the view),
	// OK-1 again for 3 (the same showing: the Scanner remembers a code it
	// reported for two minutes, so the gate does not verify it again and
	// refuse it as replayed), then OK-2 (the wallet's next code) for 3.
	var frames []*image.Gray
	add := func(text string, n int) {
		f := grayFrame(t, text)
		for range n {
			frames = append(frames, f)
		}
	}
	add("OK-1", 5)
	add("", 16)
	add("OK-1", 3)
	add("OK-2", 3)
	want := []string{"OK-1", "OK-2"}

	t.Run("a_directory_of_frames_reports_each_showing_once", func(t *testing.T) {
		dir := t.TempDir()
		for i, f := range frames {
			writePNG(t, filepath.Join(dir, "frame"+string(rune('a'+i/26))+string(rune('a'+i%26))+".png"), f)
		}
		vs, _, err := runScanner(t, nil, "-camera", dir)
		require.NoError(t, err)
		var got []string
		for _, v := range vs {
			got = append(got, v.Claims.Name)
			assert.Regexp(t, `^camera:[1-9][0-9]*:frame[a-z]{2}\.png$`, v.Source, "frame number from 1, then the file name")
		}
		assert.Equal(t, want, got)
	})
	raw := func() []byte {
		var b []byte
		for _, f := range frames {
			b = append(b, f.Pix...)
		}
		return b
	}
	t.Run("raw_gray_frames_on_stdin", func(t *testing.T) {
		vs, _, err := runScanner(t, bytes.NewReader(raw()), "-camera", "-", "-size", "320x240")
		require.NoError(t, err)
		require.Len(t, vs, 2)
		assert.Equal(t, "camera:1", vs[0].Source)
		assert.Equal(t, "OK-2", vs[1].Claims.Name)
	})
	t.Run("raw_gray_frames_from_a_file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "frames.raw")
		require.NoError(t, os.WriteFile(path, raw(), 0o644))
		vs, _, err := runScanner(t, nil, "-camera", path, "-size", "320x240")
		require.NoError(t, err)
		assert.Len(t, vs, 2)
	})
	t.Run("a_stream_cut_inside_a_frame_is_an_input_error", func(t *testing.T) {
		b := raw()
		vs, _, err := runScanner(t, bytes.NewReader(b[:len(b)-100]), "-camera", "-", "-size", "320x240")
		var u *UsageError
		require.ErrorAs(t, err, &u)
		require.NotEmpty(t, vs)
		assert.Contains(t, vs[len(vs)-1].Error, "is -size the stream's frame size?")
	})
	t.Run("a_wrong_size_is_named_in_the_error", func(t *testing.T) {
		// 320×240 frames read as 330×240: the stream is not a whole
		// number of frames of that size.
		vs, _, err := runScanner(t, bytes.NewReader(raw()), "-camera", "-", "-size", "330x240")
		var u *UsageError
		require.ErrorAs(t, err, &u)
		require.NotEmpty(t, vs)
		last := vs[len(vs)-1]
		assert.Contains(t, last.Error, "-size 330x240")
		assert.Contains(t, last.Error, "not a whole number of frames")
	})
	for _, args := range [][]string{
		{"-camera", "-"},                         // raw frames without a size
		{"-camera", "-", "-size", "10x10"},       // too small
		{"-camera", "-", "-size", "5000x5000"},   // too large
		{"-camera", "-", "-size", "wide"},        // not WxH
		{"-size", "320x240"},                     // -size without -camera
		{"-camera", "-", "-image", "a.png"},      // two inputs
		{"-camera", t.TempDir(), "-size", "1x1"}, // a directory takes no size
	} {
		t.Run("usage_error_"+strings.Join(args, "_"), func(t *testing.T) {
			_, _, err := runScanner(t, bytes.NewReader(nil), args...)
			var u *UsageError
			assert.ErrorAs(t, err, &u)
		})
	}
	if devs, _ := filepath.Glob("/dev/video*"); len(devs) == 0 {
		t.Log("no /dev/video* device here: -camera /dev/videoN is not exercised")
	}
}

func TestScannerFlagsHelpAndPolicy(t *testing.T) {
	t.Run("-h_and_--help_print_the_description_and_exit_codes_and_exit_0", func(t *testing.T) {
		for _, arg := range []string{"-h", "--help"} {
			fs := flag.NewFlagSet("gate", flag.ContinueOnError)
			var out bytes.Buffer
			fs.SetOutput(&out)
			f := ScannerFlags{Description: "gate verifies codes at the gate."}
			f.Register(fs)
			err := f.Parse(fs, []string{arg})
			assert.Equal(t, 0, ExitCode(err, io.Discard))
			assert.ErrorIs(t, err, ErrHelp)
			assert.Contains(t, out.String(), "gate verifies codes at the gate.")
			assert.Contains(t, out.String(), "Exit status: 0")
			assert.Contains(t, out.String(), "-warn-stale-status")
		}
	})
	t.Run("-warn-stale-status_sets_the_policy", func(t *testing.T) {
		fs := flag.NewFlagSet("gate", flag.ContinueOnError)
		var f ScannerFlags
		f.Register(fs)
		require.NoError(t, f.Parse(fs, []string{"-trust", "t", "-root", "r", "-warn-stale-status"}))
		assert.True(t, f.Policy(verify.AirlineCheckIn()).WarnOnStaleStatus)
		var g ScannerFlags
		g.Register(flag.NewFlagSet("gate", flag.ContinueOnError))
		assert.False(t, g.Policy(verify.AirlineCheckIn()).WarnOnStaleStatus, "refusing is the default")
	})
	t.Run("json_is_not_html_escaped", func(t *testing.T) {
		_, out, err := runScanner(t, strings.NewReader("<b>&\n"))
		assert.ErrorIs(t, err, ErrRejected)
		assert.Contains(t, out, `"detail":"read <b>&"`)
	})
}
