package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/qr"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	text := "IKD1:QED8WEX0"
	b, err := qr.RenderPNG(text, nil)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "clean_000.png"), b, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "expected.tsv"), []byte("clean_000.png\tclean\t"+text+"\n"), 0o600))
	var out bytes.Buffer
	require.NoError(t, run([]string{"-engine", "ikd", dir}, &out))
	assert.Contains(t, out.String(), "ikd: 1/1 read")
	assert.Error(t, run([]string{"-engine", "nope", dir}, &out))
	assert.Error(t, run(nil, &out))
}
