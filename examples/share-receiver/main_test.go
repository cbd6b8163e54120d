package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/examples/internal/exampletest"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
)

// scan runs the receiver and returns its output and exit status.
func scan(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	err := run(args, strings.NewReader(stdin), &out)
	return out.String(), exampleutil.ExitCode(err, &bytes.Buffer{})
}

func TestShareReceiver(t *testing.T) {
	w := exampletest.Setup(t, true)
	dir := t.TempDir()
	share := func(name, dur string) (png, text string) {
		prefix := filepath.Join(dir, name)
		exampletest.MustRun(t, w.Wallet, "share", "-dir", w.Budi.Wallet, "-for", dur, "-out", prefix)
		b, err := os.ReadFile(prefix + ".txt")
		require.NoError(t, err)
		return prefix + ".png", strings.TrimSpace(string(b))
	}
	fivePNG, fiveText := share("five", "5m")
	_, hourText := share("hour", "1h")
	cfg := w.ScannerArgs()

	t.Run("a_five_minute_share_image_is_accepted", func(t *testing.T) {
		out, status := scan(t, "", append(cfg, "-image", fivePNG, "-json")...)
		require.Equal(t, 0, status, out)
		var v exampleutil.Verdict
		require.NoError(t, json.Unmarshal([]byte(out), &v))
		assert.True(t, v.Accepted)
		assert.Equal(t, "five.png", v.Source)
		assert.Equal(t, w.Budi.Person.Name, v.Claims.Name)
	})
	t.Run("a_one_hour_share_text_is_accepted", func(t *testing.T) {
		out, status := scan(t, hourText+"\n", cfg...)
		assert.Equal(t, 0, status, out)
		assert.Contains(t, out, "ACCEPTED")
	})
	t.Run("a_five_minute_share_opened_an_hour_later_is_refused", func(t *testing.T) {
		later := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		out, status := scan(t, fiveText+"\n", append(cfg, "-now", later, "-json")...)
		assert.Equal(t, 1, status, out)
		assert.Contains(t, out, `"accepted":false`)
	})
	t.Run("json_every_outcome_is_one_object", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			args []string
			exit int
		}{
			{"unknown flag", append([]string{"-json", "-bogus"}, cfg...), 2},
			{"no -trust or -root", []string{"-json"}, 2},
			{"no code scanned", append(cfg, "-json"), 3},
		} {
			out, status := scan(t, "", tt.args...)
			assert.Equal(t, tt.exit, status, tt.name)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			require.Len(t, lines, 1, "%s: one JSON object, no usage text: %q", tt.name, out)
			var v map[string]any
			require.NoError(t, json.Unmarshal([]byte(lines[0]), &v), tt.name)
			assert.NotEmpty(t, v["source"], tt.name)
			assert.NotEmpty(t, v["error"], tt.name)
		}
	})
	t.Run("help_exits_0", func(t *testing.T) {
		out, status := scan(t, "", "-h")
		assert.Equal(t, 0, status)
		assert.Contains(t, out, "share codes")
		assert.Contains(t, out, "Exit status")
	})
}
