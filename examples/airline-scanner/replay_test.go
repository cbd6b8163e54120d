package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/examples/internal/exampletest"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/internal/redistest"
)

// TestSharedReplayStore: two runs of the scanner are two desks sharing one
// real redis-server through -replay (issue 17).
func TestSharedReplayStore(t *testing.T) {
	s := redistest.Start(t)
	w := exampletest.Setup(t, true)
	dir := t.TempDir()
	n := 0
	code := func() string {
		n++
		txt := filepath.Join(dir, fmt.Sprintf("code-%d.txt", n))
		exampletest.MustRun(t, w.Wallet, "png", "-dir", w.Budi.Wallet, "-out", txt+".png", "-text", txt, "-for-airline")
		b, err := os.ReadFile(txt)
		require.NoError(t, err)
		return string(b)
	}
	// The timeout is relaxed from the 50 ms default: test machines are
	// busy, and this test is about sharing, not about the timeout.
	replay := []string{"-json", "-replay", "redis://" + s.Addr(), "-replay-timeout", "5s"}
	desk := func(t *testing.T, text string, extra ...string) (exampleutil.Verdict, int) {
		t.Helper()
		var out bytes.Buffer
		err := run(append(append(w.ScannerArgs(), replay...), extra...), strings.NewReader(text+"\n"), &out)
		var v exampleutil.Verdict
		require.NoError(t, json.Unmarshal(out.Bytes(), &v), out.String())
		return v, exampleutil.ExitCode(err, &bytes.Buffer{})
	}

	text := code()
	t.Run("accepted at one desk, replayed at the other", func(t *testing.T) {
		v, status := desk(t, text)
		require.Equal(t, 0, status, v.Detail)
		assert.True(t, v.Accepted)
		assert.Empty(t, v.Warnings)
		v, status = desk(t, text)
		assert.Equal(t, 1, status)
		assert.Equal(t, "replayed", v.Reason)
	})
	t.Run("server down: refused", func(t *testing.T) {
		s.Kill()
		v, status := desk(t, code(), "-replay-timeout", "100ms")
		assert.Equal(t, 1, status)
		assert.Equal(t, "replay_check_failed", v.Reason)
	})
	t.Run("server down with -replay-fallback: accepted with a warning", func(t *testing.T) {
		v, status := desk(t, code(), "-replay-timeout", "100ms", "-replay-fallback")
		require.Equal(t, 0, status, v.Detail)
		assert.True(t, v.Accepted)
		assert.Equal(t, []string{"replay_checked_locally"}, v.Warnings)
	})
	t.Run("a bad URL is a usage error", func(t *testing.T) {
		var out bytes.Buffer
		err := run(append(w.ScannerArgs(), "-replay", "http://nowhere"), strings.NewReader(""), &out)
		assert.Equal(t, 2, exampleutil.ExitCode(err, &bytes.Buffer{}))
	})
	t.Run("a bad URL under -json: a JSON verdict, exit 2, no password", func(t *testing.T) {
		var out, stderr bytes.Buffer
		err := run(append(w.ScannerArgs(), "-json", "-replay", "redis://gate:s3cr3t-pw@127.0.0.1:6379?bogus=1"), strings.NewReader(""), &out)
		assert.Equal(t, 2, exampleutil.ExitCode(err, &stderr))
		var v exampleutil.Verdict
		require.NoError(t, json.Unmarshal(out.Bytes(), &v), out.String())
		assert.Contains(t, v.Error, "xxxxx")
		assert.NotContains(t, out.String()+stderr.String(), "s3cr3t")
	})
	t.Run("-replay-fallback without -replay: exit 2", func(t *testing.T) {
		var out bytes.Buffer
		err := run(append(w.ScannerArgs(), "-replay-fallback"), strings.NewReader(""), &out)
		assert.Equal(t, 2, exampleutil.ExitCode(err, &bytes.Buffer{}))
		assert.Contains(t, err.Error(), "-replay-fallback needs -replay")
	})
}
