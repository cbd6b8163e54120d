package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/examples/internal/exampletest"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/verify"
)

// scan runs the scanner and returns its output and exit status.
func scan(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	err := run(args, strings.NewReader(stdin), &out)
	return out.String(), exampleutil.ExitCode(err, &bytes.Buffer{})
}

// verdicts parses -json output, one object per line.
func verdicts(t *testing.T, out string) []exampleutil.Verdict {
	t.Helper()
	var vs []exampleutil.Verdict
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var v exampleutil.Verdict
		require.NoError(t, json.Unmarshal([]byte(line), &v), line)
		vs = append(vs, v)
	}
	return vs
}

func TestAirlineScanner(t *testing.T) {
	w := exampletest.Setup(t, true)
	dir := t.TempDir()
	code := func(holder exampletest.Holder, name string, sel ...string) (png, text string) {
		png, txt := filepath.Join(dir, name+".png"), filepath.Join(dir, name+".txt")
		exampletest.MustRun(t, w.Wallet, append([]string{"png", "-dir", holder.Wallet, "-out", png, "-text", txt}, sel...)...)
		b, err := os.ReadFile(txt)
		require.NoError(t, err)
		return png, string(b)
	}
	budiPNG, budiText := code(w.Budi, "budi", "-for-airline")
	sitiPNG, sitiText := code(w.Siti, "siti", "-for-airline")
	_, kaiText := code(w.Siti, "siti-kai", "-for-kai", "-claims", "name,nik,birth_date")
	cfg := w.ScannerArgs()

	t.Run("an image is accepted", func(t *testing.T) {
		out, status := scan(t, "", append(cfg, "-image", budiPNG)...)
		assert.Equal(t, 0, status, out)
		assert.Contains(t, out, "budi.png: DITERIMA / ACCEPTED: BUDI SANTOSO, NIK 3171011708850003, lahir/born 1985-08-17")
	})

	t.Run("json for an accepted code names the claims", func(t *testing.T) {
		out, status := scan(t, sitiText+"\n", append(cfg, "-json")...)
		require.Equal(t, 0, status, out)
		v := verdicts(t, out)
		require.Len(t, v, 1)
		assert.True(t, v[0].Accepted)
		require.NotNil(t, v[0].Claims)
		assert.Equal(t, "SITI RAHMAWATI", v[0].Claims.Name)
		assert.Equal(t, "travel", v[0].Profile)
		assert.Equal(t, "3273", v[0].IssuerID)
		assert.Equal(t, "Disdukcapil Kota Bandung", v[0].IssuerName)
		assert.Contains(t, out, `"birth_date":"1990-03-05"`)
		assert.NotContains(t, out, "religion", "the travel profile discloses no more")
	})

	t.Run("stdin: a replay and a code for KAI are rejected", func(t *testing.T) {
		out, status := scan(t, budiText+"\n\n"+budiText+"\r\n"+kaiText+"\n", append(cfg, "-json")...)
		assert.Equal(t, 1, status)
		v := verdicts(t, out)
		require.Len(t, v, 3)
		assert.True(t, v[0].Accepted)
		assert.False(t, v[1].Accepted)
		assert.Equal(t, "replayed", v[1].Reason)
		assert.Equal(t, verify.ReasonReplayed.Indonesian(), v[1].MessageID)
		assert.Equal(t, verify.ReasonReplayed.English(), v[1].MessageEN)
		assert.Equal(t, "wrong_audience", v[2].Reason)
		assert.Nil(t, v[2].Claims)
	})

	t.Run("a screenshot five minutes later is rejected", func(t *testing.T) {
		later := time.Now().Add(5 * time.Minute).Format(time.RFC3339)
		out, status := scan(t, "", append(cfg, "-image", sitiPNG, "-now", later)...)
		assert.Equal(t, 1, status)
		assert.Contains(t, out, "DITOLAK / REJECTED: "+verify.ReasonPresentationExpired.Indonesian()+" / "+
			verify.ReasonPresentationExpired.English()+" (presentation_expired)")

		out, status = scan(t, "", append(cfg, "-image", sitiPNG, "-now", later, "-json")...)
		assert.Equal(t, 1, status)
		assert.Equal(t, "presentation_expired", verdicts(t, out)[0].Reason)
	})

	t.Run("a tampered code is rejected", func(t *testing.T) {
		tampered := budiText[:len(budiText)-3] + "AAA"
		if tampered == budiText {
			tampered = budiText[:len(budiText)-3] + "BBB"
		}
		out, status := scan(t, tampered+"\n", append(cfg, "-json")...)
		assert.Equal(t, 1, status)
		assert.Contains(t, []string{verify.ReasonMalformed.String(), verify.ReasonBadDeviceSignature.String()},
			verdicts(t, out)[0].Reason)
	})

	t.Run("without the status list, revocation cannot be checked", func(t *testing.T) {
		out, status := scan(t, "", "-trust", w.Trust, "-root", w.Root, "-image", budiPNG, "-json")
		assert.Equal(t, 1, status)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		require.Len(t, lines, 2, out)
		var warn exampleutil.Notice
		require.NoError(t, json.Unmarshal([]byte(lines[0]), &warn))
		assert.Equal(t, "status", warn.Source, "no -status is warned about once, at the start")
		assert.Contains(t, warn.Warning, "status_unknown")
		assert.Equal(t, "status_unknown", verdicts(t, lines[1])[0].Reason)
	})

	t.Run("watch a directory once", func(t *testing.T) {
		watch := t.TempDir()
		copyFile(t, budiPNG, filepath.Join(watch, "01-budi.png"))
		copyFile(t, sitiPNG, filepath.Join(watch, "02-siti.PNG"))
		require.NoError(t, os.WriteFile(filepath.Join(watch, "03-broken.png"), []byte("not a png"), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(watch, "notes.txt"), []byte(budiText), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(watch, ".04-partial.png"), []byte("half"), 0o644))
		out, status := scan(t, "", append(cfg, "-watch", watch, "-watch-once", "-json")...)
		assert.Equal(t, 2, status, "a broken file is an input error")
		v := verdicts(t, out)
		require.Len(t, v, 3, "images only, each once")
		assert.Equal(t, "01-budi.png", v[0].Source)
		assert.True(t, v[0].Accepted)
		assert.True(t, v[1].Accepted)
		assert.Empty(t, v[2].Reason, "not a verdict on the person")
		assert.NotEmpty(t, v[2].Error)

		out, status = scan(t, "", append(cfg, "-watch", watch, "-max", "1")...)
		assert.Equal(t, 0, status, out)
		assert.Equal(t, 1, strings.Count(out, "ACCEPTED"))
	})

	t.Run("revoked after the phone is lost", func(t *testing.T) {
		old := filepath.Join(dir, "status-3171-old.cbor")
		copyFile(t, w.Status[0], old)
		exampletest.MustRun(t, w.Issuer, "revoke", "-db", w.Budi.State, "-credential", filepath.Join(w.Budi.Creds, "credential-travel.cbor"), "-trust", w.Trust, "-root", w.Root, "-yes")
		w.Publish(t, w.Budi, w.Status[0])
		_, fresh := code(w.Budi, "budi-lost", "-for-airline")
		out, status := scan(t, fresh+"\n", append(cfg, "-json")...)
		assert.Equal(t, 1, status)
		assert.Equal(t, "revoked", verdicts(t, out)[0].Reason)

		// A folder of downloaded lists holds the old one too: in either
		// order the newest is kept, the older warned about, and the run
		// goes on.
		for _, order := range [][]string{{old, w.Status[0]}, {w.Status[0], old}} {
			args := []string{"-trust", w.Trust, "-root", w.Root, "-status", order[0], "-status", order[1], "-status", w.Status[1], "-json"}
			out, status := scan(t, fresh+"\n", args...)
			assert.Equal(t, 1, status, out)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			require.Len(t, lines, 2, out)
			var warn exampleutil.Notice
			require.NoError(t, json.Unmarshal([]byte(lines[0]), &warn))
			assert.NotEmpty(t, warn.Warning, out)
			assert.Equal(t, "revoked", verdicts(t, lines[1])[0].Reason, "the newer list is the one used")
		}
	})

	t.Run("usage and configuration errors exit 2", func(t *testing.T) {
		for _, args := range [][]string{
			{"-image", budiPNG},
			append(append([]string{}, cfg...), "-image", filepath.Join(dir, "missing.png")),
			{"-trust", w.Trust, "-root", w.IssuerKeys, "-image", budiPNG},
			{"-trust", w.Root, "-root", w.Root, "-image", budiPNG},
			{"-trust", w.Trust, "-root", w.Root, "-status", w.Trust, "-image", budiPNG},
			append(append([]string{}, cfg...), "-image", budiPNG, "-watch", dir),
			append(append([]string{}, cfg...), "-watch", budiPNG),
			append(append([]string{}, cfg...), "-now", "tomorrow"),
			append(append([]string{}, cfg...), "extra"),
		} {
			_, status := scan(t, "", args...)
			assert.Equal(t, 2, status, "%v", args)
		}
	})

	t.Run("with -json every error is a line on stdout", func(t *testing.T) {
		for _, args := range [][]string{
			{"-trust", w.Root, "-root", w.Root, "-image", budiPNG, "-json"},                          // a bad trust list
			append(append([]string{}, cfg...), "-image", filepath.Join(dir, "missing.png"), "-json"), // a missing image
		} {
			out, status := scan(t, "", args...)
			assert.Equal(t, 2, status, "%v", args)
			v := verdicts(t, out)
			require.Len(t, v, 1, out)
			assert.NotEmpty(t, v[0].Error)
			assert.NotEmpty(t, v[0].Source)
			assert.False(t, v[0].Accepted)
		}
	})
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(to, b, 0o644))
}

// TestSIGINTSummary runs the built scanner on a watched folder, sends it
// SIGINT once it has reported the code there, and reads its summary.
func TestSIGINTSummary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	w := exampletest.Setup(t, true)
	bin := exampletest.Build(t, "airline-scanner")[0]
	watch := t.TempDir()
	exampletest.MustRun(t, w.Wallet, "png", "-dir", w.Budi.Wallet, "-out", filepath.Join(watch, "budi.png"), "-for-airline")
	tests := []struct {
		name string
		json bool
	}{{"text", false}, {"json", true}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(w.ScannerArgs(), "-watch", watch, "-interval", "100ms")
			if tt.json {
				args = append(args, "-json")
			}
			cmd := exec.Command(bin, args...)
			stdout, err := cmd.StdoutPipe()
			require.NoError(t, err)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			require.NoError(t, cmd.Start())
			lines := bufio.NewScanner(stdout)
			require.True(t, lines.Scan(), "the verdict for budi.png")
			assert.Contains(t, lines.Text(), "budi.png")
			require.NoError(t, cmd.Process.Signal(os.Interrupt))
			var rest []string
			for lines.Scan() {
				rest = append(rest, lines.Text())
			}
			err = cmd.Wait()
			require.NoError(t, err, "exit 0: the one code was accepted; stderr: %s", stderr.String())
			if tt.json {
				require.Len(t, rest, 1)
				var n exampleutil.Notice
				require.NoError(t, json.Unmarshal([]byte(rest[0]), &n))
				require.NotNil(t, n.Summary)
				assert.Equal(t, exampleutil.Summary{Accepted: 1}, *n.Summary)
				return
			}
			assert.Empty(t, rest)
			assert.Contains(t, stderr.String(), "interrupted: 1 accepted, 0 refused, 0 input error(s)")
		})
	}
}
