package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
)

// testClock is the clock of the program under test: testkit.Now until a
// test moves it.
type testClock struct{ t time.Time }

func (c *testClock) now() time.Time          { return c.t }
func (c *testClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// testEnv returns an environment at testkit.Now, with its clock, no
// terminal and stdin.
func testEnv(stdin string) (env, *testClock) {
	c := &testClock{t: testkit.Now}
	return env{Env: exampleutil.Env{Now: c.now}, stdin: strings.NewReader(stdin)}, c
}

// fixedEnv runs the issuer at testkit.Now.
var fixedEnv, _ = testEnv("")

func runOK(t *testing.T, args ...string) string {
	t.Helper()
	return runWith(t, fixedEnv, args...)
}

func runWith(t *testing.T, e env, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, runEnv(e, args, &out), "issuer %v: %s", args, out.String())
	return out.String()
}

func exitCode(args ...string) (int, error) {
	err := runEnv(fixedEnv, args, &bytes.Buffer{})
	return exampleutil.ExitCode(err, &bytes.Buffer{}), err
}

// resident returns the i-th generated resident of Kota Bandung: a woman
// with a NIK and birth date of her own.
func resident(i int) credential.KTP {
	k := testkit.Woman()
	d, m, y := 1+i%28, 1+(i/28)%12, 1950+(i/336)%50
	serial := 1 + i/16800
	k.NIK = credential.NIK(fmt.Sprintf("327301%02d%02d%02d%04d", d+40, m, y%100, serial))
	k.BirthDate = credential.Date{Year: y, Month: time.Month(m), Day: d}
	k.Name = fmt.Sprintf("WARGA %d", i)
	return k
}

// devicePoint returns a new P-256 device key as the batch input gives it
// (unpadded base64url of the uncompressed SEC 1 point) and its public key.
func devicePoint(t testing.TB) (string, *ecdsa.PublicKey) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	b, err := k.PublicKey.Bytes()
	require.NoError(t, err)
	return base64.RawURLEncoding.EncodeToString(b), &k.PublicKey
}

// batchRow is one generated input row and what it should issue.
type batchRow struct {
	ktp    credential.KTP
	device *ecdsa.PublicKey
	point  string
}

// writeJSONL writes n residents from first on as a JSONL batch.
func writeJSONL(t testing.TB, path string, first, n int) []batchRow {
	t.Helper()
	var b bytes.Buffer
	rows := make([]batchRow, n)
	for i := range n {
		k := resident(first + i)
		point, dev := devicePoint(t)
		rec, err := json.Marshal(k)
		require.NoError(t, err)
		line, err := json.Marshal(map[string]any{"kind": "ktp", "record": json.RawMessage(rec), "device_key": point})
		require.NoError(t, err)
		b.Write(line)
		b.WriteByte('\n')
		rows[i] = batchRow{k, dev, point}
	}
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
	return rows
}

// outLine is one line of the batch output.
type outLine struct {
	Row         int               `json:"row"`
	Kind        string            `json:"kind"`
	NIK         string            `json:"nik"`
	DeviceKID   string            `json:"device_kid"`
	List        uint32            `json:"list"`
	Index       uint32            `json:"index"`
	Credentials map[string]string `json:"credentials"`
}

func readOutput(t testing.TB, path string) []outLine {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []outLine
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	for dec.More() {
		var l outLine
		require.NoError(t, dec.Decode(&l))
		out = append(out, l)
	}
	return out
}

// keysIn makes root and EdDSA issuer keys and a trust list in dir.
func keysIn(t testing.TB, dir string) { t.Helper(); keysInAlg(t, dir, "EdDSA") }

// keysInAlg makes root and issuer keys (alg) and a trust list in dir.
func keysInAlg(t testing.TB, dir, alg string) {
	t.Helper()
	p := func(n string) string { return filepath.Join(dir, n) }
	for _, args := range [][]string{
		{"keygen", "-alg", "ES256", "-key", p("root.key"), "-pub", p("root.jwk")},
		{"keygen", "-alg", alg, "-key", p("issuer.key"), "-pub", p("issuer.jwk")},
		{"trustlist", "-root-key", p("root.key"), "-issuer", "3273," + p("issuer.jwk") + ",Disdukcapil Kota Bandung", "-out", p("trust.jws")},
	} {
		require.NoError(t, runEnv(fixedEnv, args, &bytes.Buffer{}), "%v", args)
	}
}

func mustLoad(t testing.TB, path string) any {
	t.Helper()
	pub, err := keys.LoadPublicKey(path)
	require.NoError(t, err)
	return pub
}
