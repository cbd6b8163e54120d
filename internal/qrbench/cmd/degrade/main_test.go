package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/qrbench"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run([]string{"-out", dir, "-n", "1"}, &out))
	assert.Contains(t, out.String(), "wrote")
	tsv, err := os.ReadFile(filepath.Join(dir, "expected.tsv"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(tsv)), "\n")
	assert.Len(t, lines, len(qrbench.Cases)+len(qrbench.CameraCases))
	for _, l := range lines {
		_, err := os.Stat(filepath.Join(dir, strings.SplitN(l, "\t", 2)[0]))
		assert.NoError(t, err)
	}
	// Reproducible: a second run writes the same files.
	dir2 := t.TempDir()
	require.NoError(t, run([]string{"-out", dir2, "-n", "1"}, &out))
	a, err := os.ReadFile(filepath.Join(dir, "rot15_000.png"))
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(dir2, "rot15_000.png"))
	require.NoError(t, err)
	assert.Equal(t, a, b)
}
