package exampleutil

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/verify"
)

// runLines parses args (with -json), runs ScanInputs with a check that
// accepts texts starting with "OK", and returns every JSON line as a map.
func runLines(t *testing.T, env Env, stdin io.Reader, args ...string) ([]map[string]any, error) {
	t.Helper()
	fs := flag.NewFlagSet("scanner", flag.ContinueOnError)
	var f ScannerFlags
	f.Register(fs)
	require.NoError(t, f.Parse(fs, append([]string{"-trust", "t", "-root", "r", "-json"}, args...)))
	var out bytes.Buffer
	err := ScanInputs(&f, env, stdin, &out, func(text string) Verdict {
		if strings.HasPrefix(text, "OK") {
			return Accepted(&verify.Result{})
		}
		return Rejected(verify.ReasonNotIKD, nil)
	})
	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		lines = append(lines, m)
	}
	return lines, err
}

func TestNoCodeScanned(t *testing.T) {
	empty := t.TempDir()
	blank := grayFrame(t, "")
	tests := []struct {
		name   string
		stdin  io.Reader
		args   []string
		source string
	}{
		{"empty stdin", strings.NewReader(""), nil, "stdin"},
		{"stdin of blank lines", strings.NewReader("\n \n"), nil, "stdin"},
		{"empty -watch-once folder", nil, []string{"-watch", empty, "-watch-once"}, empty},
		{"empty -camera folder", nil, []string{"-camera", empty}, "camera"},
		{"a raw stream with no code", bytes.NewReader(append(append([]byte{}, blank.Pix...), blank.Pix...)), []string{"-camera", "-", "-size", "320x240"}, "camera"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, err := runLines(t, Env{Stderr: io.Discard}, tt.stdin, tt.args...)
			require.ErrorIs(t, err, ErrNoCodeScanned)
			assert.Equal(t, 3, ExitCode(err, io.Discard), "neither a refusal (1) nor an input error (2)")
			require.Len(t, lines, 1, "one JSON object says so")
			assert.Equal(t, map[string]any{"accepted": false, "source": tt.source, "error": "no code scanned"}, lines[0])
		})
	}
}

func TestHelpNamesTheOutcomes(t *testing.T) {
	fs := flag.NewFlagSet("scanner", flag.ContinueOnError)
	var out bytes.Buffer
	fs.SetOutput(&out)
	var f ScannerFlags
	f.Register(fs)
	require.ErrorIs(t, f.Parse(fs, []string{"-h"}), ErrHelp)
	for _, want := range []string{
		"3 when no code was scanned", "then rename it into place", "SIGINT", `"camera:N:NAME"`,
		"missing (status_unknown)",
	} {
		assert.Contains(t, out.String(), want)
	}
}

func TestJSONSetupErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"unknown flag, -json after it", []string{"-bogus", "-json"}},
		{"unknown flag, -json before it", []string{"--json", "-bogus"}},
		{"no -trust", []string{"-json", "-root", "r"}},
		{"no -root", []string{"-json=true", "-trust", "t"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("scanner", flag.ContinueOnError)
			var stdout bytes.Buffer
			fs.SetOutput(&stdout) // the programs' setting; -json moves usage to stderr
			var f ScannerFlags
			f.Register(fs)
			err := func() (err error) {
				defer f.ReportSetupError(&stdout, &err)
				return f.Parse(fs, tt.args)
			}()
			require.Error(t, err)
			assert.Equal(t, 2, ExitCode(err, io.Discard))
			lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
			require.Len(t, lines, 1, "stdout holds one JSON object and no usage text: %q", stdout.String())
			var v map[string]any
			require.NoError(t, json.Unmarshal([]byte(lines[0]), &v))
			assert.Equal(t, "setup", v["source"])
			assert.Equal(t, err.Error(), v["error"])
		})
	}
}

func TestWatchRetriesAYoungUndecodableFile(t *testing.T) {
	tests := []struct {
		name      string
		finish    bool // the writer completes the file after the first look
		wantError bool
	}{
		{"a file completed after the first look is read, no error", true, false},
		{"a file that stays broken is reported once it is old", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "gate.png")
			require.NoError(t, os.WriteFile(path, []byte("\x89PNG\r\n\x1a\n half"), 0o644))
			mod := time.Now()
			require.NoError(t, os.Chtimes(path, mod, mod))
			now := mod.Add(100 * time.Millisecond)
			looks := 0
			env := Env{Stderr: io.Discard, Now: func() time.Time { return now }, Sleep: func(d time.Duration) {
				looks++
				now = now.Add(d)
				if looks == 1 && tt.finish {
					pngOf(t, path, "OK-1")
					require.NoError(t, os.Chtimes(path, now, now))
				}
				require.Less(t, looks, 10, "the watch must end")
			}}
			lines, err := runLines(t, env, nil, "-watch", dir, "-max", "1", "-interval", "1s")
			require.Len(t, lines, 1)
			if tt.wantError {
				assert.Equal(t, 2, ExitCode(err, io.Discard))
				assert.Equal(t, "gate.png", lines[0]["source"])
				msg, _ := lines[0]["error"].(string)
				assert.NotEmpty(t, msg, "an input error")
				assert.GreaterOrEqual(t, now.Sub(mod), settleTime, "reported only once the file is old")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, true, lines[0]["accepted"])
			assert.Nil(t, lines[0]["error"], "the half-written file was never reported")
		})
	}
}

func TestAddStatusLists(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.cbor", "b.cbor", "c.cbor"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), []byte(n), 0o644))
	}
	rollback := &verify.Error{Reason: verify.ReasonStatusRollback, Err: errors.New("older")}
	tests := []struct {
		name      string
		results   map[string]error // what add says to each file's content
		warn      bool             // -warn-stale-status
		files     []string
		wantErr   bool
		wantWarns []string // sources of the warnings
		wantText  string   // in a warning
	}{
		{"all newer", map[string]error{}, false, []string{"a.cbor", "b.cbor"}, false, nil, ""},
		{"an older list after a newer is skipped with a warning", map[string]error{"b.cbor": rollback}, false, []string{"a.cbor", "b.cbor", "c.cbor"}, false, []string{"b.cbor"}, "newer one is used"},
		{"an older list before a newer is warned about too", map[string]error{"a.cbor#2": rollback}, false, []string{"a.cbor", "b.cbor"}, false, []string{"a.cbor"}, "newer one is used"},
		{"another error is fatal", map[string]error{"b.cbor": &verify.Error{Reason: verify.ReasonBadIssuerSignature}}, false, []string{"a.cbor", "b.cbor"}, true, nil, ""},
		{"a missing file is fatal", map[string]error{}, false, []string{"zz.cbor"}, true, nil, ""},
		{"no list warns once", map[string]error{}, false, nil, false, []string{"status"}, "refused as status_unknown"},
		{"no list, lenient", map[string]error{}, true, nil, false, []string{"status"}, "accepted with the warning status_unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ScannerFlags{JSON: true, WarnStaleStatus: tt.warn}
			for _, n := range tt.files {
				f.Status = append(f.Status, filepath.Join(dir, n))
			}
			// add fails as tt.results says, keyed by the file's content,
			// or by content#2 for its second time.
			fake := func() (func([]byte) error, map[string]int) {
				added := map[string]int{}
				return func(data []byte) error {
					added[string(data)]++
					if added[string(data)] == 2 {
						if err, ok := tt.results[string(data)+"#2"]; ok {
							return err
						}
					}
					return tt.results[string(data)]
				}, added
			}
			add, added := fake()
			var out bytes.Buffer
			err := f.AddStatusLists(Env{}, &out, add)
			if tt.wantErr {
				var u *UsageError
				assert.ErrorAs(t, err, &u)
				return
			}
			require.NoError(t, err)
			assert.Len(t, added, len(tt.files), "every file is tried")
			for _, n := range tt.files {
				assert.Positive(t, added[n], n)
			}
			var got []string
			for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
				if line == "" {
					continue
				}
				var n Notice
				require.NoError(t, json.Unmarshal([]byte(line), &n))
				got = append(got, n.Source)
				assert.Contains(t, n.Warning, tt.wantText)
			}
			assert.Equal(t, tt.wantWarns, got)

			// Without -json the same warnings go to stderr as text.
			f.JSON = false
			var stdout, stderr bytes.Buffer
			add, _ = fake()
			require.NoError(t, f.AddStatusLists(Env{Stderr: &stderr}, &stdout, add))
			assert.Empty(t, stdout.String())
			assert.Equal(t, len(tt.wantWarns), strings.Count(stderr.String(), "PERINGATAN / WARNING: "), stderr.String())
		})
	}
}

func TestInterruptPrintsASummary(t *testing.T) {
	dir := t.TempDir()
	pngOf(t, filepath.Join(dir, "01.png"), "OK-1")
	pngOf(t, filepath.Join(dir, "02.png"), "BAD")
	okOnly := t.TempDir()
	pngOf(t, filepath.Join(okOnly, "01.png"), "OK-1")
	tests := []struct {
		name     string
		args     []string
		wantExit int
		want     Summary
	}{
		{"-watch, one refused", []string{"-watch", dir}, 1, Summary{Accepted: 1, Refused: 1}},
		{"-watch, all accepted", []string{"-watch", okOnly}, 0, Summary{Accepted: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stop := make(chan struct{})
			env := Env{Stderr: io.Discard, Stop: stop, Sleep: func(time.Duration) {
				select {
				case <-stop:
					t.Fatal("the watch went on after the stop")
				default:
					close(stop) // Ctrl-C while waiting for new files
				}
			}}
			lines, err := runLines(t, env, nil, tt.args...)
			assert.Equal(t, tt.wantExit, ExitCode(err, io.Discard))
			require.NotEmpty(t, lines)
			last, _ := json.Marshal(lines[len(lines)-1])
			var n Notice
			require.NoError(t, json.Unmarshal(last, &n))
			assert.Equal(t, "summary", n.Source)
			require.NotNil(t, n.Summary)
			assert.Equal(t, tt.want, *n.Summary)
		})
	}
	t.Run("-camera stops between frames", func(t *testing.T) {
		stop := make(chan struct{})
		close(stop)
		var raw []byte
		for range 3 {
			raw = append(raw, grayFrame(t, "OK-1").Pix...)
		}
		lines, err := runLines(t, Env{Stderr: io.Discard, Stop: stop}, bytes.NewReader(raw), "-camera", "-", "-size", "320x240")
		assert.ErrorIs(t, err, ErrNoCodeScanned, "stopped before the first frame")
		require.Len(t, lines, 2)
		assert.Equal(t, "summary", lines[0]["source"])
		assert.Equal(t, "no code scanned", lines[1]["error"])
	})
	t.Run("text mode: a summary line on stderr", func(t *testing.T) {
		stop := make(chan struct{})
		fs := flag.NewFlagSet("scanner", flag.ContinueOnError)
		var f ScannerFlags
		f.Register(fs)
		require.NoError(t, f.Parse(fs, []string{"-trust", "t", "-root", "r", "-watch", okOnly}))
		var stdout, stderr bytes.Buffer
		err := ScanInputs(&f, Env{Stderr: &stderr, Stop: stop, Sleep: func(time.Duration) { close(stop) }}, nil, &stdout,
			func(string) Verdict { return Accepted(&verify.Result{}) })
		require.NoError(t, err)
		assert.Contains(t, stderr.String(), fmt.Sprintf("interrupted: %d accepted, %d refused, %d input error(s)", 1, 0, 0))
	})
}

func TestFrameNames(t *testing.T) {
	dir := t.TempDir()
	var raw []byte
	for i, text := range []string{"", "OK-1", ""} {
		g := grayFrame(t, text)
		writePNG(t, filepath.Join(dir, fmt.Sprintf("frame%04d.png", i)), g)
		raw = append(raw, g.Pix...)
	}
	tests := []struct {
		name  string
		stdin io.Reader
		args  []string
		want  string
	}{
		{"directory: number from 1, then the file name", nil, []string{"-camera", dir}, "camera:2:frame0001.png"},
		{"raw: the same number", bytes.NewReader(raw), []string{"-camera", "-", "-size", "320x240"}, "camera:2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, err := runLines(t, Env{Stderr: io.Discard}, tt.stdin, tt.args...)
			require.NoError(t, err)
			require.Len(t, lines, 1)
			assert.Equal(t, tt.want, lines[0]["source"])
		})
	}
}
