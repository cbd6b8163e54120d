package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/examples/internal/exampletest"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/verify"
)

func scan(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	err := run(args, strings.NewReader(stdin), &out)
	return out.String(), exampleutil.ExitCode(err, &bytes.Buffer{})
}

// TestSchoolReceiver: the issuer program signs Budi's household KK and his
// son's Akta for his phone, the wallet program shares the son's entry and
// certificate, and the receiver accepts both, refuses a KTP and a sister's
// entry after the son's certificate.
func TestSchoolReceiver(t *testing.T) {
	w := exampletest.Setup(t, true)
	for name, rec := range map[string]any{"kk": testkit.Family(4), "akta": testkit.Birth()} {
		data, err := json.Marshal(rec)
		require.NoError(t, err)
		path := filepath.Join(w.Dir, name+".json")
		require.NoError(t, os.WriteFile(path, data, 0o644))
		exampletest.MustRun(t, w.Issuer, "family", "-key", w.Budi.IssuerKey, "-issuer-id", "3171", "-db", w.Budi.State,
			"-device", filepath.Join(w.Budi.Wallet, "device.jwk"), "-"+name, path, "-out", filepath.Join(w.Dir, "family"))
	}
	files, err := filepath.Glob(filepath.Join(w.Dir, "family", "*.cbor"))
	require.NoError(t, err)
	exampletest.MustRun(t, w.Wallet, append([]string{"import", "-dir", w.Budi.Wallet}, files...)...)
	dir := t.TempDir()
	share := func(name string, sel ...string) (png, text string) {
		prefix := filepath.Join(dir, name)
		exampletest.MustRun(t, w.Wallet, append([]string{"share", "-dir", w.Budi.Wallet, "-for", "1h", "-out", prefix}, sel...)...)
		b, err := os.ReadFile(prefix + ".txt")
		require.NoError(t, err)
		return prefix + ".png", string(b)
	}
	const rizky, ayu = "3171012107140002", "3171014309170001"
	rizkyKKPNG, rizkyKK := share("rizky-kk", "-profile", "kk-school", "-subject", rizky)
	_, rizkyAkta := share("rizky-akta", "-profile", "akta-school", "-subject", rizky)
	_, ayuKK := share("ayu-kk", "-profile", "kk-school", "-subject", ayu)
	_, ktp := share("ktp", "-profile", "full")
	_, wholeKK := share("whole-kk", "-profile", "kk-full")
	cfg := w.ScannerArgs()

	t.Run("the child's entry and certificate are accepted", func(t *testing.T) {
		out, status := scan(t, rizkyKK+"\n"+rizkyAkta+"\n", cfg...)
		assert.Equal(t, 0, status, out)
		assert.Equal(t, 2, strings.Count(out, "DITERIMA / ACCEPTED: RIZKY PRATAMA SANTOSO, NIK "+rizky+", lahir/born 2014-07-21"), out)
		assert.Contains(t, out, "[kk-school, Disdukcapil Kota Jakarta Pusat (3171)]")
		assert.Contains(t, out, "[akta-school, Disdukcapil Kota Jakarta Pusat (3171)]")
	})
	t.Run("an image is accepted", func(t *testing.T) {
		out, status := scan(t, "", append(cfg, "-image", rizkyKKPNG)...)
		assert.Equal(t, 0, status, out)
		assert.Contains(t, out, "DITERIMA / ACCEPTED: RIZKY PRATAMA SANTOSO")
	})
	t.Run("a sister's entry after the son's certificate is refused", func(t *testing.T) {
		out, status := scan(t, rizkyAkta+"\n"+ayuKK+"\n", append(cfg, "-json")...)
		assert.Equal(t, 1, status, out)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		require.Len(t, lines, 2)
		var second exampleutil.Verdict
		require.NoError(t, json.Unmarshal([]byte(lines[1]), &second))
		assert.False(t, second.Accepted)
		assert.Equal(t, verify.ReasonPolicyUnmet.String(), second.Reason)
	})
	// Look 15, attacker 2: a whole KK never stands in for the child's
	// entry, and never skips the same-child check.
	t.Run("a whole KK is refused", func(t *testing.T) {
		out, status := scan(t, wholeKK+"\n", cfg...)
		assert.Equal(t, 1, status, out)
		assert.Contains(t, out, "("+verify.ReasonPolicyUnmet.String()+")")
		out, status = scan(t, wholeKK+"\n"+rizkyAkta+"\n"+ayuKK+"\n", cfg...)
		assert.Equal(t, 1, status, out)
		assert.Equal(t, 2, strings.Count(out, "DITOLAK / REJECTED"), out)
	})
	// Newcomer 4: the refusal says why, and a completed enrolment lets the
	// next family in.
	t.Run("a mismatch names itself", func(t *testing.T) {
		out, status := scan(t, rizkyAkta+"\n"+ayuKK+"\n", cfg...)
		assert.Equal(t, 1, status, out)
		assert.Contains(t, out, "name different children or parents", out)
	})
	t.Run("a completed enrolment lets the next family in", func(t *testing.T) {
		out, status := scan(t, rizkyKK+"\n"+rizkyAkta+"\n"+ayuKK+"\n", cfg...)
		assert.Equal(t, 0, status, out)
		assert.Equal(t, 3, strings.Count(out, "DITERIMA / ACCEPTED"), out)
	})
	t.Run("a half enrolment times out", func(t *testing.T) {
		clock := time.Now()
		env := exampleutil.Env{Now: func() time.Time { return clock }}
		in := &steppedReader{lines: []string{rizkyAkta + "\n", ayuKK + "\n"}, step: func() { clock = clock.Add(16 * time.Minute) }}
		var out bytes.Buffer
		err := runEnv(env, cfg, in, &out)
		assert.NoError(t, err, "the second family's code, 16 minutes later, starts a new enrolment: %s", out.String())
	})
	t.Run("a KTP is refused", func(t *testing.T) {
		out, status := scan(t, ktp+"\n", cfg...)
		assert.Equal(t, 1, status, out)
		assert.Contains(t, out, "("+verify.ReasonPolicyUnmet.String()+")")
	})
	t.Run("bad flags are usage errors", func(t *testing.T) {
		_, status := scan(t, "", "-trust", filepath.Join(dir, "missing.jws"), "-root", w.Root)
		assert.Equal(t, 2, status)
	})
}

// steppedReader hands out one line per Read, calling step before each but
// the first: the receiver's clock moves between two codes.
type steppedReader struct {
	lines []string
	step  func()
	n     int
}

func (r *steppedReader) Read(p []byte) (int, error) {
	if r.n >= len(r.lines) {
		return 0, io.EOF
	}
	if r.n > 0 {
		r.step()
	}
	k := copy(p, r.lines[r.n])
	r.n++
	return k, nil
}

func TestSameChild(t *testing.T) {
	base := enrolment{nik: "3171012107140002", name: "RIZKY", born: credential.Date{Year: 2014, Month: 7, Day: 21}, father: "BUDI", mother: "DEWI"}
	for _, tt := range []struct {
		name string
		edit func(e *enrolment)
		same bool
	}{
		{"same", func(*enrolment) {}, true},
		{"no_nik_on_an_old_certificate", func(e *enrolment) { e.nik = "" }, true},
		{"no_father", func(e *enrolment) { e.father = "" }, true},
		{"another_nik", func(e *enrolment) { e.nik = "3171014309170001" }, false},
		{"another_name", func(e *enrolment) { e.name = "AYU" }, false},
		{"another_birth_date", func(e *enrolment) { e.born.Day = 22 }, false},
		{"another_mother", func(e *enrolment) { e.mother = "HARTATI" }, false},
		{"another_father", func(e *enrolment) { e.father = "AGUS" }, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := base
			tt.edit(&o)
			assert.Equal(t, tt.same, base.same(&o))
		})
	}
}
