package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/examples/internal/exampletest"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/verify"
)

func scan(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	err := run(args, strings.NewReader(stdin), &out)
	return out.String(), exampleutil.ExitCode(err, &bytes.Buffer{})
}

func TestKAIScanner(t *testing.T) {
	w := exampletest.Setup(t, true)
	dir := t.TempDir()
	png, txt := filepath.Join(dir, "budi.png"), filepath.Join(dir, "budi.txt")
	exampletest.MustRun(t, w.Wallet, "png", "-dir", w.Budi.Wallet, "-for-kai", "-out", png, "-text", txt)
	text, err := os.ReadFile(txt)
	require.NoError(t, err)
	sitiPNG := filepath.Join(dir, "siti.png")
	exampletest.MustRun(t, w.Wallet, "png", "-dir", w.Siti.Wallet, "-for-kai", "-out", sitiPNG)
	airlinePNG := filepath.Join(dir, "budi-airline.png")
	exampletest.MustRun(t, w.Wallet, "png", "-dir", w.Budi.Wallet, "-for-airline", "-out", airlinePNG)
	budiTicket := slices.Clip(append(w.ScannerArgs(), "-ticket-name", "Bpk. Budi Santoso", "-ticket-nik", "3171011708850003"))

	tests := []struct {
		name   string
		args   []string
		stdin  string
		status int
		reason verify.Reason // 0 for accepted
	}{
		{"the passenger's own code is accepted", append(budiTicket, "-image", png), "", 0, 0},
		{"someone else on this ticket is refused", append(budiTicket, "-image", sitiPNG), "", 1, verify.ReasonTicketMismatch},
		{"a code made for an airline is refused", append(budiTicket, "-image", airlinePNG), "", 1, verify.ReasonWrongAudience},
		{"the ticket name alone is enough", append(w.ScannerArgs(), "-ticket-name", "BUDI SANTOSO", "-image", png), "", 0, 0},
		{"a wrong NIK on the ticket is refused", append(w.ScannerArgs(), "-ticket-name", "BUDI SANTOSO",
			"-ticket-nik", "3273014503900001", "-image", png), "", 1, verify.ReasonTicketMismatch},
		{"text on stdin", budiTicket, string(text) + "\n", 0, 0},
		{"not an IKD code", budiTicket, "M1SANTOSO/BUDI MR EABC123 CGKDPSGA 0404\n", 1, verify.ReasonNotIKD},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, status := scan(t, tt.stdin, append(tt.args, "-json")...)
			require.Equal(t, tt.status, status, out)
			var v exampleutil.Verdict
			require.NoError(t, json.Unmarshal([]byte(strings.TrimSpace(out)), &v), out)
			assert.Equal(t, tt.reason == 0, v.Accepted)
			if tt.reason == 0 {
				assert.Empty(t, v.Reason)
				require.NotNil(t, v.Claims)
				assert.Equal(t, "BUDI SANTOSO", v.Claims.Name)
				assert.Equal(t, "kai", v.Profile)
				assert.NotContains(t, out, "birth_date", "a gate sees name and NIK only")
			} else {
				assert.Equal(t, tt.reason.String(), v.Reason)
				assert.Equal(t, tt.reason.Indonesian(), v.MessageID)
				assert.Equal(t, tt.reason.English(), v.MessageEN)
				assert.Nil(t, v.Claims, "a refusal shows no claims")
			}
		})
	}

	t.Run("plain verdicts", func(t *testing.T) {
		out, status := scan(t, "", append(budiTicket, "-image", png)...)
		assert.Equal(t, 0, status)
		assert.Contains(t, out, "DITERIMA / ACCEPTED: BUDI SANTOSO, NIK 3171011708850003")
		out, status = scan(t, "", append(budiTicket, "-image", sitiPNG)...)
		assert.Equal(t, 1, status)
		assert.Contains(t, out, "DITOLAK / REJECTED: "+verify.ReasonTicketMismatch.Indonesian()+" / "+
			verify.ReasonTicketMismatch.English()+" (ticket_mismatch)")
	})

	t.Run("watch once", func(t *testing.T) {
		out, status := scan(t, "", append(budiTicket, "-watch", dir, "-watch-once")...)
		assert.Equal(t, 1, status)
		assert.Equal(t, 1, strings.Count(out, "DITERIMA / ACCEPTED"), out)
		assert.Equal(t, 2, strings.Count(out, "DITOLAK / REJECTED"), out)
	})

	t.Run("usage errors exit 2", func(t *testing.T) {
		for _, args := range [][]string{
			append(w.ScannerArgs(), "-image", png),
			append(w.ScannerArgs(), "-ticket-name", "X", "-ticket-nik", "12345", "-image", png),
			{"-ticket-name", "X", "-image", png},
		} {
			_, status := scan(t, "", args...)
			assert.Equal(t, 2, status, "%v", args)
		}
	})
}
