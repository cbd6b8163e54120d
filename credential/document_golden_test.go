package credential_test

import (
	"fmt"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
)

// TestGoldenDocuments pins the wire format of the Kartu Keluarga (a
// household of four: kk4-*) and the Akta Kelahiran (akta-*) as TestGolden
// pins the KTP's, with the same files per credential: .eddsa.hex,
// .payload.hex, .es256.hex and .diag. The school profile's credentials
// are numbered by child (kk4-kk-school-1, -2). Rewrite with
// go test ./credential -run TestGoldenDocuments -update.
func TestGoldenDocuments(t *testing.T) {
	kk, birth := testkit.Family(4), testkit.Birth()
	for _, doc := range []struct {
		prefix string
		req    func(*credential.Request)
	}{
		{"kk4", func(r *credential.Request) { r.KK = &kk }},
		{"akta", func(r *credential.Request) { r.BirthCertificate = &birth }},
	} {
		issue := func(alg string) []credential.Issued {
			req := testRequest(credential.KTP{}, "holder")
			doc.req(req)
			out, err := testIssuer(alg).Issue(req)
			require.NoError(t, err)
			return out
		}
		ed, es := issue("EdDSA"), issue("ES256")
		require.Len(t, es, len(ed))
		seen := map[credential.Profile]int{}
		for i, cred := range ed {
			seen[cred.Profile]++
			name := doc.prefix + "-" + cred.Profile.String()
			if cred.Profile == credential.ProfileKKSchool {
				name += fmt.Sprintf("-%d", seen[cred.Profile])
			}
			t.Run(name, func(t *testing.T) {
				payload := payloadOf(t, cred.Bytes)
				golden(t, name+".eddsa.hex", hexLine(cred.Bytes))
				golden(t, name+".payload.hex", hexLine(payload))
				diag, err := cbor.Diagnose(payload)
				require.NoError(t, err)
				golden(t, name+".diag", []byte(diag+"\n"))
				assert.Equal(t, payload, payloadOf(t, es[i].Bytes), "ES256 payload")
				if *update {
					golden(t, name+".es256.hex", hexLine(es[i].Bytes))
				}
				stored := readHex(t, name+".es256.hex")
				m, err := sign1.Parse(stored, sign1.LabelAlg|sign1.LabelKID)
				require.NoError(t, err)
				assert.Equal(t, payload, m.Payload, "stored ES256 payload")
				for _, c := range []struct {
					b   []byte
					alg string
				}{{stored, "ES256"}, {readHex(t, name+".eddsa.hex"), "EdDSA"}} {
					s, err := credential.Parse(c.b)
					require.NoError(t, err)
					got, err := s.Verify(issuerPublic(c.alg))
					require.NoError(t, err)
					assert.Equal(t, cred.Profile, got.Profile)
				}
			})
		}
	}
}
