// Package exampletest builds, for the tests of the example programs, a
// small world from real files made by the issuer and wallet examples:
// keys, a trust list, two citizens' credentials in their wallets and the
// issuers' status lists. It runs the programs as built binaries, as a user
// would, and gives the tests a verifier made from those files alone and a
// QR reader for the PNGs the programs write.
package exampletest

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// Build compiles the example programs examples/<name> with one go build
// into a temporary directory and returns the binaries' paths, in order.
func Build(t testing.TB, names ...string) []string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("exampletest: cannot locate the examples directory")
	}
	dir := t.TempDir()
	args := []string{"build", "-o", dir + string(filepath.Separator)}
	var bins []string
	for _, name := range names {
		args = append(args, filepath.Join(filepath.Dir(file), "..", "..", name))
		bins = append(bins, filepath.Join(dir, name))
	}
	out, err := exec.Command("go", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("exampletest: go build %v: %v\n%s", names, err, out)
	}
	return bins
}

// Run runs a binary and returns its standard output and exit status.
func Run(t testing.TB, bin string, args ...string) (string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return stdout.String(), 0
	case errors.As(err, &ee):
		return stdout.String() + stderr.String(), ee.ExitCode()
	default:
		t.Fatalf("exampletest: %s: %v", bin, err)
		return "", -1
	}
}

// MustRun runs a binary and fails the test unless it exits with status 0.
func MustRun(t testing.TB, bin string, args ...string) string {
	t.Helper()
	out, code := Run(t, bin, args...)
	if code != 0 {
		t.Fatalf("exampletest: %s %v: exit status %d\n%s", filepath.Base(bin), args, code, out)
	}
	return out
}

// World is the files the issuer example made.
type World struct {
	// Dir holds everything.
	Dir string
	// Trust, Root and IssuerKeys are trust.jws, root.jwk and issuers.jwks.
	Trust, Root, IssuerKeys string
	// Status are the signed status lists of issuers 3171 and 3273.
	Status []string
	// Budi and Siti are the holders.
	Budi, Siti Holder
	// Issuer and Wallet are the built example binaries.
	Issuer, Wallet string
}

// Holder is one person's files.
type Holder struct {
	// Person is the person record given to the issuer.
	Person credential.KTP
	// Wallet is the wallet folder, with the credentials imported when
	// Setup's imported was true.
	Wallet string
	// Creds is the folder the issuer wrote the credential files to.
	Creds string
	// State is the issuer's database (SQLite; the issuer example's
	// -db).
	State string
	// IssuerKey is the issuer's private key file.
	IssuerKey string
}

// ScannerArgs returns the -trust, -root and -status flags for w's files,
// in a slice without spare capacity, so that appending to it copies.
func (w *World) ScannerArgs() []string {
	args := []string{"-trust", w.Trust, "-root", w.Root}
	for _, s := range w.Status {
		args = append(args, "-status", s)
	}
	return slices.Clip(args)
}

// Setup makes the world with the issuer example: a root key and two issuer
// keys (3171 ES256, 3273 EdDSA), the trust list and JWK set, Budi's and
// Siti's wallets (made with the wallet example), their credentials and the
// status lists. With imported, the credentials are imported into the
// wallets too.
func Setup(t testing.TB, imported bool) *World {
	t.Helper()
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	bins := Build(t, "issuer", "wallet")
	w := &World{Dir: dir, Trust: p("trust.jws"), Root: p("root.jwk"), IssuerKeys: p("issuers.jwks"),
		Issuer: bins[0], Wallet: bins[1]}
	MustRun(t, w.Issuer, "keygen", "-alg", "ES256", "-key", p("root.key"), "-pub", w.Root)
	MustRun(t, w.Issuer, "keygen", "-alg", "ES256", "-key", p("issuer-3171.key"), "-pub", p("issuer-3171.jwk"))
	MustRun(t, w.Issuer, "keygen", "-alg", "EdDSA", "-key", p("issuer-3273.key"), "-pub", p("issuer-3273.jwk"))
	MustRun(t, w.Issuer, "trustlist", "-root-key", p("root.key"),
		"-issuer", "3171,"+p("issuer-3171.jwk")+",Disdukcapil Kota Jakarta Pusat",
		"-issuer", "3273,"+p("issuer-3273.jwk")+",Disdukcapil Kota Bandung",
		"-out", w.Trust, "-jwks", w.IssuerKeys)

	holder := func(label, issuer string, person credential.KTP) Holder {
		h := Holder{Person: person, Wallet: p("wallet-" + label), Creds: p("creds-" + label),
			State: p("issuer-" + issuer + ".db"), IssuerKey: p("issuer-" + issuer + ".key")}
		MustRun(t, w.Wallet, "init", "-dir", h.Wallet)
		rec, err := json.Marshal(person)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p(label+".json"), rec, 0o644); err != nil {
			t.Fatal(err)
		}
		MustRun(t, w.Issuer, "issue", "-key", h.IssuerKey, "-issuer-id", issuer, "-db", h.State,
			"-person", p(label+".json"), "-device", filepath.Join(h.Wallet, "device.jwk"), "-out", h.Creds)
		if imported {
			files, _ := filepath.Glob(filepath.Join(h.Creds, "*.cbor"))
			MustRun(t, w.Wallet, append([]string{"import", "-dir", h.Wallet}, files...)...)
		}
		return h
	}
	w.Budi = holder("budi", "3171", testkit.Man())
	w.Siti = holder("siti", "3273", testkit.Woman())
	w.Status = []string{p("status-3171.cbor"), p("status-3273.cbor")}
	w.Publish(t, w.Budi, w.Status[0])
	w.Publish(t, w.Siti, w.Status[1])
	return w
}

// Publish signs h's issuer's status list into path with the issuer
// example, which checks the key against w's trust list.
func (w *World) Publish(t testing.TB, h Holder, path string) {
	t.Helper()
	MustRun(t, w.Issuer, "publish", "-key", h.IssuerKey, "-db", h.State, "-trust", w.Trust, "-root", w.Root, "-out", path)
}

// Verifier returns a verifier for policy made from files alone, as a
// scanner is configured: the trust list at trust checked against the root
// public key at root, and every status list in status added. now is the
// clock of both the trust list check and the verifier. Any failure fails
// the test.
func Verifier(t testing.TB, trust, root string, status []string, policy verify.Policy, now func() time.Time) *verify.Verifier {
	t.Helper()
	pub, err := keys.LoadPublicKey(root)
	if err != nil {
		t.Fatalf("exampletest: root key %s: %v", root, err)
	}
	jws, err := os.ReadFile(trust)
	if err != nil {
		t.Fatal(err)
	}
	list, err := keys.ParseTrustList(jws, pub, keys.WithClock(now))
	if err != nil {
		t.Fatalf("exampletest: trust list %s: %v", trust, err)
	}
	v, err := verify.New(list, policy, verify.WithClock(now))
	if err != nil {
		t.Fatalf("exampletest: verify.New: %v", err)
	}
	for _, path := range status {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.AddStatusList(data); err != nil {
			t.Fatalf("exampletest: status list %s: %v", path, err)
		}
	}
	return v
}

// Verifier returns a verifier for policy made from w's trust list, root key
// and status lists, with clock now.
func (w *World) Verifier(t testing.TB, policy verify.Policy, now func() time.Time) *verify.Verifier {
	t.Helper()
	return Verifier(t, w.Trust, w.Root, w.Status, policy, now)
}

// ScanFile reads the QR code in the PNG or JPEG file at path with
// qr.ScanReader and returns its text; a file without a readable code fails
// the test.
func ScanFile(t testing.TB, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	text, err := qr.ScanReader(f)
	if err != nil {
		t.Fatalf("exampletest: %s: %v", filepath.Base(path), err)
	}
	return text
}
