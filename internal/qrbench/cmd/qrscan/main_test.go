package main

import (
	"bytes"
	"image/png"
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
	img, err := qr.Render(text)
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "clean_000.png"), b.Bytes(), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "expected.tsv"), []byte("clean_000.png\tclean\t"+text+"\n"), 0o600))
	var out bytes.Buffer
	require.NoError(t, run([]string{"-engine", "ikd", dir}, &out))
	assert.Contains(t, out.String(), "ikd: 1/1 read")
	assert.Error(t, run([]string{"-engine", "nope", dir}, &out))
	assert.Error(t, run(nil, &out))
}
