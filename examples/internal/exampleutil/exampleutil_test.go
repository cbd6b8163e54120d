package exampleutil

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.key")
	require.NoError(t, WriteFile(path, []byte("one"), 0o600))
	require.NoError(t, WriteFile(path, []byte("two"), 0o600))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "two", string(got))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left")

	assert.Error(t, WriteFile(filepath.Join(dir, "missing", "x"), nil, 0o644))
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"success", nil, 0},
		{"rejected", rejectedErr(2), 1},
		{"usage", Usagef("bad flag"), 2},
		{"wrapped usage", errors.Join(errors.New("x"), Usagef("bad")), 2},
		{"other failure", errors.New("disk full"), 1},
		{"no code scanned", ErrNoCodeScanned, 3},
		{"wrapped no code scanned", fmt.Errorf("camera: %w", ErrNoCodeScanned), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			assert.Equal(t, tt.want, ExitCode(tt.err, &stderr))
			assert.Equal(t, tt.err != nil && tt.want != 1 || tt.name == "other failure", stderr.Len() > 0)
		})
	}
}

func TestRejected(t *testing.T) {
	v := Rejected(verify.ReasonRevoked, &verify.Error{Reason: verify.ReasonRevoked})
	assert.False(t, v.Accepted)
	assert.Equal(t, "revoked", v.Reason)
	assert.Equal(t, verify.ReasonRevoked.Indonesian(), v.MessageID)
	assert.Equal(t, verify.ReasonRevoked.English(), v.MessageEN)
	assert.NotEmpty(t, v.Detail, "the error is kept for the log")
	assert.Nil(t, v.Claims)
	assert.Equal(t, "DITOLAK / REJECTED: "+verify.ReasonRevoked.Indonesian()+" / "+verify.ReasonRevoked.English()+" (revoked)", v.Line())

	v = Rejected(verify.ReasonNoCode, nil)
	assert.False(t, v.Accepted)
	assert.Equal(t, "no_code", v.Reason)
	assert.Empty(t, v.Detail)
	v.Source = "scan.png"
	assert.True(t, strings.HasPrefix(v.Line(), "scan.png: DITOLAK / REJECTED: "), v.Line())
}

func TestAccepted(t *testing.T) {
	expires := time.Date(2026, 11, 23, 9, 1, 0, 0, time.FixedZone("WIB", 7*3600))
	res := &verify.Result{
		Claims: credential.KTP{NIK: "3273014503900001", Name: "SITI RAHMAWATI",
			BirthDate: credential.Date{Year: 1990, Month: time.March, Day: 5}, Sex: credential.SexFemale},
		Profile: credential.ProfileTravel, IssuerID: "3273", IssuerName: "Disdukcapil Kota Bandung",
		Audience: verify.AudienceAirline, Expires: expires,
		Warnings: []verify.Reason{verify.ReasonStatusStale},
	}
	v := Accepted(res)
	assert.True(t, v.Accepted)
	assert.Empty(t, v.Reason)
	assert.Equal(t, "travel", v.Profile)
	assert.Equal(t, "3273", v.IssuerID)
	assert.Equal(t, time.UTC, v.Expires.Location(), "times are printed in UTC")
	assert.True(t, expires.Equal(v.Expires))
	assert.Equal(t, []string{"status_stale"}, v.Warnings)
	assert.Equal(t, "DITERIMA / ACCEPTED: SITI RAHMAWATI, NIK 3273014503900001, lahir/born 1990-03-05, PEREMPUAN/Female"+
		" [travel, Disdukcapil Kota Bandung (3273)]"+
		"\n  PERINGATAN / WARNING: "+verify.ReasonStatusStale.Indonesian()+" / "+verify.ReasonStatusStale.English()+" (status_stale)",
		v.Line())

	b, err := json.Marshal(v)
	require.NoError(t, err)
	var back Verdict
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back.Accepted)
	assert.Equal(t, []string{"status_stale"}, back.Warnings)
	require.NotNil(t, back.Claims)
	assert.Equal(t, res.Claims, *back.Claims)
	assert.NotContains(t, string(b), `"reason"`, "no reason in an acceptance")

	kai := Accepted(&verify.Result{Claims: credential.KTP{NIK: "3171011708850003", Name: "BUDI SANTOSO"},
		Profile: credential.ProfileKAI, IssuerID: "3171", IssuerName: "Disdukcapil Kota Jakarta Pusat"})
	assert.Equal(t, "DITERIMA / ACCEPTED: BUDI SANTOSO, NIK 3171011708850003 [kai, Disdukcapil Kota Jakarta Pusat (3171)]",
		kai.Line(), "only the claims disclosed")
	assert.Nil(t, kai.Warnings)
}

func TestScannerFlags(t *testing.T) {
	cfg := []string{"-trust", "trust.jws", "-root", "root.jwk"}
	with := func(extra ...string) []string { return append(append([]string{}, cfg...), extra...) }
	tests := []struct {
		name  string
		args  []string
		usage bool
	}{
		{"trust and root", cfg, false},
		{"several status lists", with("-status", "a.cbor", "-status", "b.cbor"), false},
		{"no trust list", []string{"-root", "root.jwk"}, true},
		{"no root key", []string{"-trust", "trust.jws"}, true},
		{"image and watch", with("-image", "a.png", "-watch", "dir"), true},
		{"interval zero", with("-watch", "dir", "-interval", "0s"), true},
		{"bad time", with("-now", "tomorrow"), true},
		{"unknown flag", with("-nope"), true},
		{"extra argument", with("code.png"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("scanner", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			var f ScannerFlags
			f.Register(fs)
			err := f.Parse(fs, tt.args)
			if !tt.usage {
				require.NoError(t, err)
				return
			}
			var u *UsageError
			assert.ErrorAs(t, err, &u)
			assert.Equal(t, 2, ExitCode(err, io.Discard))
		})
	}

	t.Run("status lists are kept in order", func(t *testing.T) {
		fs := flag.NewFlagSet("scanner", flag.ContinueOnError)
		var f ScannerFlags
		f.Register(fs)
		require.NoError(t, f.Parse(fs, with("-status", "a.cbor", "-status", "b.cbor", "-json")))
		assert.Equal(t, ListFlag{"a.cbor", "b.cbor"}, f.Status)
		assert.True(t, f.JSON)
		assert.Equal(t, time.Second, f.Interval, "default interval")
	})

	t.Run("clock", func(t *testing.T) {
		fixed := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		env := Env{Now: func() time.Time { return fixed }}
		fs := flag.NewFlagSet("scanner", flag.ContinueOnError)
		var f ScannerFlags
		f.Register(fs)
		require.NoError(t, f.Parse(fs, cfg))
		assert.Equal(t, fixed, f.Clock(env)(), "the environment's clock")

		fs = flag.NewFlagSet("scanner", flag.ContinueOnError)
		f = ScannerFlags{}
		f.Register(fs)
		require.NoError(t, f.Parse(fs, with("-now", "2027-01-02T03:04:05+07:00")))
		assert.True(t, time.Date(2027, 1, 2, 3, 4, 5, 0, time.FixedZone("", 7*3600)).Equal(f.Clock(env)()), "-now")
	})
}

// pngOf writes a PNG of a QR code holding text.
func pngOf(t *testing.T, path, text string) {
	t.Helper()
	img, err := qr.Render(text)
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
}

// writePNG writes img as a PNG file.
func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
}

func TestScanInputs(t *testing.T) {
	// check accepts the texts that start with "OK" and records every text.
	var seen []string
	check := func(text string) Verdict {
		seen = append(seen, text)
		if strings.HasPrefix(text, "OK") {
			return Accepted(&verify.Result{Claims: credential.KTP{Name: text}, Profile: credential.ProfileKAI})
		}
		return Rejected(verify.ReasonNotIKD, nil)
	}
	scan := func(t *testing.T, env Env, stdin string, args ...string) ([]Verdict, error) {
		t.Helper()
		seen = nil
		fs := flag.NewFlagSet("scanner", flag.ContinueOnError)
		var f ScannerFlags
		f.Register(fs)
		require.NoError(t, f.Parse(fs, append([]string{"-trust", "t", "-root", "r", "-json"}, args...)))
		var out bytes.Buffer
		err := ScanInputs(&f, env, strings.NewReader(stdin), &out, check)
		var vs []Verdict
		for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			if line == "" {
				continue
			}
			var v Verdict
			require.NoError(t, json.Unmarshal([]byte(line), &v), line)
			vs = append(vs, v)
		}
		return vs, err
	}

	t.Run("stdin: one code a line, blank lines and line ends ignored", func(t *testing.T) {
		vs, err := scan(t, Env{}, "OK-1\r\n\n  \nOK-2  \n")
		require.NoError(t, err)
		assert.Equal(t, []string{"OK-1", "OK-2"}, seen)
		require.Len(t, vs, 2)
		assert.True(t, vs[0].Accepted && vs[1].Accepted)
		assert.Equal(t, "stdin:1", vs[0].Source, "the line number is the source")
		assert.Equal(t, "stdin:4", vs[1].Source)
	})
	t.Run("stdin: one rejection fails the run", func(t *testing.T) {
		vs, err := scan(t, Env{}, "OK-1\nM1BOARDING PASS\nOK-2\n")
		assert.ErrorIs(t, err, ErrRejected)
		assert.Equal(t, 1, ExitCode(err, io.Discard))
		require.Len(t, vs, 3, "every code is reported")
		assert.Equal(t, "not_ikd", vs[1].Reason)
	})
	t.Run("stdin: nothing scanned is its own outcome", func(t *testing.T) {
		vs, err := scan(t, Env{}, "\n\n")
		require.ErrorIs(t, err, ErrNoCodeScanned)
		assert.NotErrorIs(t, err, ErrRejected)
		assert.Equal(t, 3, ExitCode(err, io.Discard))
		require.Len(t, vs, 1, "with -json, one object says so")
		assert.Equal(t, Verdict{Source: "stdin", Error: "no code scanned"}, vs[0])
	})
	t.Run("stdin: a line over 1 MiB is an error", func(t *testing.T) {
		_, err := scan(t, Env{}, strings.Repeat("A", 1<<20+1)+"\n")
		assert.Error(t, err)
		assert.Empty(t, seen)
	})

	dir := t.TempDir()
	pngOf(t, filepath.Join(dir, "a.png"), "OK-A")
	pngOf(t, filepath.Join(dir, "b.png"), "NOT-B")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "c.jpg"), []byte("not a jpeg"), 0o644))
	other := t.TempDir() // images that are not in dir, which -watch reads
	white := image.NewGray(image.Rect(0, 0, 100, 100))
	for i := range white.Pix {
		white.Pix[i] = 255
	}
	writePNG(t, filepath.Join(other, "white.png"), white)
	writePNG(t, filepath.Join(other, "huge.png"), image.NewGray(image.Rect(0, 0, 5000, 5000)))

	t.Run("image", func(t *testing.T) {
		vs, err := scan(t, Env{}, "", "-image", filepath.Join(dir, "a.png"))
		require.NoError(t, err)
		assert.Equal(t, []string{"OK-A"}, seen)
		require.Len(t, vs, 1)
		assert.Equal(t, "a.png", vs[0].Source)
	})
	t.Run("an image without a code is no_code, not checked", func(t *testing.T) {
		vs, err := scan(t, Env{}, "", "-image", filepath.Join(other, "white.png"))
		assert.ErrorIs(t, err, ErrRejected)
		assert.Empty(t, seen)
		require.Len(t, vs, 1)
		assert.Equal(t, "no_code", vs[0].Reason)
		assert.Equal(t, "white.png", vs[0].Source)
	})
	for _, tc := range []struct{ name, dir, file string }{
		{"a_file_that_is_not_an_image", dir, "c.jpg"},
		{"a_missing_image", dir, "missing.png"},
		{"an_oversized_image", other, "huge.png"},
	} {
		t.Run(tc.name+"_is_an_input_error_not_a_verdict", func(t *testing.T) {
			vs, err := scan(t, Env{}, "", "-image", filepath.Join(tc.dir, tc.file))
			var u *UsageError
			require.ErrorAs(t, err, &u)
			assert.Equal(t, 2, ExitCode(err, io.Discard))
			assert.Empty(t, seen)
			require.Len(t, vs, 1, "-json reports the error on stdout")
			assert.Equal(t, tc.file, vs[0].Source)
			assert.NotEmpty(t, vs[0].Error)
			assert.Empty(t, vs[0].Reason, "no verdict on the person")
		})
	}
	t.Run("watch picks up files that appear later, each once", func(t *testing.T) {
		watch := t.TempDir()
		pngOf(t, filepath.Join(watch, "01.png"), "OK-1")
		waits := 0
		var notices bytes.Buffer
		env := Env{Stderr: &notices, Sleep: func(d time.Duration) {
			assert.Equal(t, 250*time.Millisecond, d)
			waits++
			if waits == 2 { // a new code arrives while the scanner waits
				pngOf(t, filepath.Join(watch, "02.png"), "OK-2")
			}
		}}
		vs, err := scan(t, env, "", "-watch", watch, "-max", "2", "-interval", "250ms")
		require.NoError(t, err)
		assert.Equal(t, []string{"OK-1", "OK-2"}, seen)
		require.Len(t, vs, 2)
		assert.Equal(t, "02.png", vs[1].Source)
		assert.Equal(t, 3, waits, "a new file is read on the look after the one that found it")
		assert.Contains(t, notices.String(), "watching "+watch, "-watch announces itself")
	})
	t.Run("watch re-scans a changed file once it has settled", func(t *testing.T) {
		watch := t.TempDir()
		path := filepath.Join(watch, "gate.png")
		pngOf(t, path, "OK-1")
		waits := 0
		env := Env{Stderr: io.Discard, Sleep: func(time.Duration) {
			waits++
			switch waits {
			case 1: // the camera writes the next picture, in two steps
				require.NoError(t, os.WriteFile(path, []byte("\x89PNG half"), 0o644))
				require.NoError(t, os.Chtimes(path, time.Now(), time.Unix(1000, 0)))
			case 2:
				pngOf(t, path, "OK-2")
				require.NoError(t, os.Chtimes(path, time.Now(), time.Unix(2000, 0)))
			}
		}}
		vs, err := scan(t, env, "", "-watch", watch, "-max", "2", "-interval", "1s")
		require.NoError(t, err, "the half-written file is never read")
		assert.Equal(t, []string{"OK-1", "OK-2"}, seen)
		require.Len(t, vs, 2)
		assert.Equal(t, 3, waits)
	})
	t.Run("watch once", func(t *testing.T) {
		vs, err := scan(t, Env{Sleep: func(time.Duration) { t.Fatal("-watch-once never waits") }, Stderr: io.Discard}, "", "-watch", dir, "-watch-once")
		var u *UsageError
		assert.ErrorAs(t, err, &u, "c.jpg is not an image: an input error")
		require.Len(t, vs, 3)
		assert.Equal(t, []string{"a.png", "b.png", "c.jpg"}, []string{vs[0].Source, vs[1].Source, vs[2].Source})
		assert.Equal(t, []string{"OK-A", "NOT-B"}, seen)
	})
	t.Run("watch skips a FIFO and a link to a device with a line each, reads a link to an image", func(t *testing.T) {
		watch := t.TempDir()
		pngOf(t, filepath.Join(watch, "a.png"), "OK-A")
		require.NoError(t, syscall.Mkfifo(filepath.Join(watch, "fifo.png"), 0o644))
		require.NoError(t, os.Symlink("/dev/zero", filepath.Join(watch, "zero.jpg")))
		require.NoError(t, os.Symlink(filepath.Join(watch, "a.png"), filepath.Join(watch, "link.png")))
		seen = nil
		vs, err := scan(t, Env{Stderr: io.Discard}, "", "-watch", watch, "-watch-once")
		var u *UsageError
		assert.ErrorAs(t, err, &u, "skipped inputs are input errors")
		require.Len(t, vs, 4)
		assert.Equal(t, []string{"a.png", "fifo.png", "link.png", "zero.jpg"}, []string{vs[0].Source, vs[1].Source, vs[2].Source, vs[3].Source})
		assert.Contains(t, vs[1].Error, "skipped: not a regular file")
		assert.Contains(t, vs[3].Error, "skipped: not a regular file")
		assert.Equal(t, []string{"OK-A", "OK-A"}, seen)
	})
	t.Run("watching a file is a usage error", func(t *testing.T) {
		_, err := scan(t, Env{}, "", "-watch", filepath.Join(dir, "a.png"))
		var u *UsageError
		assert.ErrorAs(t, err, &u)
	})
}
