package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/conformance"
)

func TestRunWritesEveryVector(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "vectors")
	// A stale vector the generator no longer makes is removed.
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "stale.json"), []byte("{}"), 0o644))
	var out bytes.Buffer
	require.NoError(t, run([]string{"-out", dir}, &out))
	want, err := conformance.Files()
	require.NoError(t, err)
	got, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	assert.Len(t, got, len(want))
	assert.NoFileExists(t, filepath.Join(dir, "stale.json"))
	for _, p := range got {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		assert.Equal(t, string(want[filepath.Base(p)]), string(b), p)
	}
	m, err := os.ReadFile(filepath.Join(dir, conformance.ManifestName))
	require.NoError(t, err)
	assert.Equal(t, string(conformance.Manifest(want)), string(m))
	assert.Equal(t, len(want), strings.Count(string(m), "\n"), "one manifest line per vector")
	assert.True(t, strings.HasPrefix(out.String(), "vectors "), out.String())
	assert.Contains(t, out.String(), "reason revoked ")
	assert.Error(t, run([]string{"-bogus"}, &bytes.Buffer{}))
}
