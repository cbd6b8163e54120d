package credential_test

import (
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/sign1"
)

// update rewrites the golden files: go test ./credential -run TestGolden -update
var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const goldenDir = "testdata/golden"

// golden compares got with the golden file name, or writes it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		require.NoError(t, os.MkdirAll(goldenDir, 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file: run go test ./credential -run TestGolden -update")
	assert.Equal(t, string(want), string(got), "golden file %s differs; if the change is intended, run with -update", name)
}

func hexLine(b []byte) []byte { return []byte(hex.EncodeToString(b) + "\n") }

func readHex(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(goldenDir, name))
	require.NoError(t, err)
	b, err := hex.DecodeString(strings.TrimSpace(string(data)))
	require.NoError(t, err)
	return b
}

// TestGolden pins the wire format: for each sample holder (a man and a
// woman who are citizens, a foreign resident) and each profile,
//
//   - <holder>-<profile>.eddsa.hex: the signed EdDSA credential, byte for
//     byte (Ed25519 signatures are deterministic);
//   - <holder>-<profile>.payload.hex: the CWT claims bytes, the same for
//     both algorithms, pinned for ES256 whose signatures are random;
//   - <holder>-<profile>.es256.hex: one signed ES256 credential, checked by
//     verifying it, never by comparing bytes;
//   - <holder>-<profile>.diag: the payload in CBOR diagnostic notation, for
//     humans.
func TestGolden(t *testing.T) {
	for _, p := range people {
		ed := issueAll(t, "EdDSA", p.ktp())
		es := issueAll(t, "ES256", p.ktp())
		for i, cred := range ed {
			name := p.name + "-" + cred.Profile.String()
			t.Run(name, func(t *testing.T) {
				payload := payloadOf(t, cred.Bytes)
				golden(t, name+".eddsa.hex", hexLine(cred.Bytes))
				golden(t, name+".payload.hex", hexLine(payload))
				diag, err := cbor.Diagnose(payload)
				require.NoError(t, err)
				golden(t, name+".diag", []byte(diag+"\n"))

				// ES256: the payload is pinned, the signature verified.
				require.Equal(t, cred.Profile, es[i].Profile)
				assert.Equal(t, payload, payloadOf(t, es[i].Bytes), "ES256 payload")
				if *update {
					golden(t, name+".es256.hex", hexLine(es[i].Bytes))
				}
				stored := readHex(t, name+".es256.hex")
				m, err := sign1.Parse(stored, sign1.LabelAlg|sign1.LabelKID)
				require.NoError(t, err)
				assert.Equal(t, payload, m.Payload, "stored ES256 payload")
				for _, c := range [][]byte{stored, es[i].Bytes} {
					s, err := credential.Parse(c)
					require.NoError(t, err)
					_, err = s.Verify(issuerPublic("ES256"))
					require.NoError(t, err)
				}

				// The stored EdDSA credential verifies too.
				s, err := credential.Parse(readHex(t, name+".eddsa.hex"))
				require.NoError(t, err)
				got, err := s.Verify(issuerPublic("EdDSA"))
				require.NoError(t, err)
				assert.Equal(t, cred.Profile, got.Profile)
			})
		}
	}
}
