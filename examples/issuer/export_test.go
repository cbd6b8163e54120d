package main

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/keys"
)

// TestExport: a batch output becomes one folder of credential files per
// person and phone, the files the wallet imports, each verifying and
// bound to its row's device; a line that files one person's credential
// under another's name is refused before anything is written.
func TestExport(t *testing.T) {
	dir := t.TempDir()
	keysIn(t, dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	rows := writeJSONL(t, p("rows.jsonl"), 0, 3)
	runOK(t, "batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p("issuer.key"), "-progress", "off", "-in", p("rows.jsonl"), "-out", p("issued.jsonl"))
	out := runOK(t, "export", "-in", p("issued.jsonl"), "-out", p("wallets"))
	assert.Contains(t, out, "exported 12 credential file(s) in 3 folder(s)")
	pub := mustLoad(t, p("issuer.jwk"))
	for _, r := range rows {
		kid, err := keys.KeyID(r.device)
		require.NoError(t, err)
		folder := p(filepath.Join("wallets", string(r.ktp.NIK)+"-"+hex.EncodeToString(kid)))
		for _, prof := range []string{"full", "travel", "kai", "age"} {
			path := filepath.Join(folder, "credential-"+prof+".cbor")
			st, err := os.Stat(path)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
			signed, err := credential.Parse(must(os.ReadFile(path)))
			require.NoError(t, err)
			c, err := signed.Verify(pub)
			require.NoError(t, err)
			assert.True(t, r.device.Equal(c.DeviceKey))
		}
	}
	code, err := exitCode("export", "-in", p("issued.jsonl"), "-out", p("wallets"))
	assert.Equal(t, 2, code, "existing files are kept: %v", err)
	out = runOK(t, "export", "-in", p("issued.jsonl"), "-out", p("one"), "-nik", string(rows[1].ktp.NIK))
	assert.Contains(t, out, "exported 4 credential file(s) in 1 folder(s)")

	// Row 1's credentials under row 2's NIK and device: refused.
	lines := strings.Split(strings.TrimSpace(string(must(os.ReadFile(p("issued.jsonl"))))), "\n")
	o := readOutput(t, p("issued.jsonl"))
	swapped := strings.Replace(lines[0], `"nik":"`+o[0].NIK+`","device_kid":"`+o[0].DeviceKID, `"nik":"`+o[1].NIK+`","device_kid":"`+o[1].DeviceKID, 1)
	require.NotEqual(t, lines[0], swapped)
	for name, line := range map[string]string{
		"swapped":   swapped,
		"duplicate": strings.Replace(lines[0], `"kind":"ktp"`, `"kind":"ktp","kind":"ktp"`, 1),
		"case":      strings.Replace(lines[0], `"nik"`, `"NIK"`, 1),
	} {
		require.NoError(t, os.WriteFile(p("bad.jsonl"), []byte(line+"\n"), 0o600))
		code, err := exitCode("export", "-in", p("bad.jsonl"), "-out", p("bad-"+name))
		assert.Equal(t, 2, code, "%s: %v", name, err)
		_, statErr := os.Stat(p("bad-" + name))
		assert.ErrorIs(t, statErr, os.ErrNotExist, name)
	}
}

// FuzzParseOutputLine: a batch output line from anywhere never panics the
// export, and a line it accepts has a NIK, an 8-byte kid and credentials.
func FuzzParseOutputLine(f *testing.F) {
	f.Add([]byte(`{"row":1,"kind":"ktp","nik":"3273014503900001","device_kid":"0011223344556677","list":1,"index":5,"credentials":{"full":"0oRD"}}`))
	f.Add([]byte(`{"kind":"ktp","credentials":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := parseOutputLine(data)
		if err == nil {
			assert.Len(t, l.kid, 8)
			assert.NotEmpty(t, l.creds)
			assert.Len(t, string(l.nik), 16)
		}
	})
}
