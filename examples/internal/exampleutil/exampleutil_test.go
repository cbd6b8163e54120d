package exampleutil

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			assert.Equal(t, tt.want, ExitCode(tt.err, &stderr))
			assert.Equal(t, tt.err != nil && tt.want != 1 || tt.name == "other failure", stderr.Len() > 0)
		})
	}
}

func TestNewVerdict(t *testing.T) {
	v := NewVerdict(nil, &verify.Error{Reason: verify.ReasonRevoked})
	assert.False(t, v.Accepted)
	assert.Equal(t, "revoked", v.Reason)
	assert.Equal(t, "DITOLAK / REJECTED: "+verify.ReasonRevoked.Indonesian()+" / "+verify.ReasonRevoked.English()+" (revoked)", v.Line())

	v = NewVerdict(nil, errors.New("not a verify error"))
	assert.Equal(t, "malformed", v.Reason, "an unexpected error is never an acceptance")
}

func TestLoadVerifierNeedsTrust(t *testing.T) {
	_, err := LoadVerifier(VerifierFiles{}, verify.AirlineCheckIn(), nil)
	var u *UsageError
	assert.ErrorAs(t, err, &u)
}
