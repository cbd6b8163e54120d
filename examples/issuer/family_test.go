package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
)

func TestFamily(t *testing.T) {
	dir := setup(t)
	p := func(n string) string { return filepath.Join(dir, n) }
	write := func(name string, v any) string {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(p(name), b, 0o644))
		return p(name)
	}
	kkFile, aktaFile := write("kk.json", testkit.Family(2)), write("akta.json", testkit.Birth())
	family := func(args ...string) []string {
		return append([]string{"family", "-key", p("issuer.key"), "-issuer-id", "3273", "-db", p("issuer.db"),
			"-device", p("device.pem"), "-out", p("family")}, args...)
	}

	// Refused before the holder's KTP is issued, and with bad flags or records.
	bad := write("bad.json", map[string]any{"Number": "3171012003120007", "Pets": 2})
	broken := testkit.Family(2)
	broken.Members[1].Relationship = credential.RelationshipKepalaKeluarga
	brokenFile := write("broken.json", broken)
	for _, args := range [][]string{
		family("-kk", kkFile),                      // no database yet
		family(),                                   // neither -kk nor -akta
		family("-kk", kkFile, "-akta", aktaFile),   // both
		family("-kk", bad),                         // unknown field
		family("-kk", kkFile, "-profiles", "kai"),  // a KTP profile for a KK
		family("-kk", kkFile, "-profiles", "nope"), // unknown profile
	} {
		code, err := exitCode(args...)
		assert.Error(t, err, "%v", args)
		assert.NotZero(t, code, "%v", args)
	}

	// Siti's phone: she is not on Budi's family card.
	runOK(t, "issue", "-key", p("issuer.key"), "-issuer-id", "3273", "-db", p("siti.db"),
		"-person", p("siti.json"), "-device", p("device.pem"), "-out", p("siti-creds"))
	_, err := exitCode("family", "-key", p("issuer.key"), "-issuer-id", "3273", "-db", p("siti.db"),
		"-device", p("device.pem"), "-out", p("family"), "-kk", kkFile)
	assert.Error(t, err, "the holder is not on the document")

	writePerson(t, p("budi.json"), testkit.Man())
	runOK(t, "issue", "-key", p("issuer.key"), "-issuer-id", "3273", "-db", p("issuer.db"),
		"-person", p("budi.json"), "-device", p("device.pem"), "-out", p("creds"))
	_, err = exitCode(family("-kk", brokenFile)...)
	var ve *credential.ValidationError
	assert.ErrorAs(t, err, &ve, "two heads of the family")

	out := runOK(t, family("-kk", kkFile)...)
	assert.Contains(t, out, "issued 2 credential(s)", "kk-full and kk-members: a household of two has no child")
	runOK(t, family("-akta", aktaFile, "-profiles", "akta-school")...)

	ktp, err := os.ReadFile(p("creds/credential-full.cbor"))
	require.NoError(t, err)
	ktpSigned, err := credential.Parse(ktp)
	require.NoError(t, err)
	pub, err := keys.LoadPublicKey(p("issuer.jwk"))
	require.NoError(t, err)
	for _, name := range []string{"credential-kk-full.cbor", "credential-kk-members.cbor", "credential-akta-school.cbor"} {
		data, err := os.ReadFile(filepath.Join(p("family"), name))
		require.NoError(t, err, name)
		signed, err := credential.Parse(data)
		require.NoError(t, err)
		c, err := signed.Verify(pub)
		require.NoError(t, err, name)
		assert.Equal(t, ktpSigned.UnverifiedCredential().Status, c.Status, "%s shares the KTP's status entry", name)
		assert.True(t, ktpSigned.UnverifiedCredential().DeviceKey.Equal(c.DeviceKey), name)
	}
}
