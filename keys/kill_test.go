package keys_test

import (
	"bufio"
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/keys"

	"github.com/ikdgo/ikd/internal/testkit"
)

// The kill tests re-run this test binary as a child that writes a file in
// a loop (a scanner's trust store, a wallet's device key) and SIGKILL it
// at random moments. After every kill the file must hold the last good
// state: it parses and verifies, and it is either the last version the
// child finished writing or the one it was writing, never a mix and never
// nothing. SIGKILL runs no deferred cleanup, the nearest a test can get to
// pulling the power cord (a real power loss also needs the fsyncs that
// writeFileAtomic does, which a test cannot observe).

const (
	killEnv   = "IKD_KEYS_KILL_HELPER" // "store:<dir>" or "wallet:<dir>"
	killCount = 20
	killMaxMS = 30
)

// killRoot is the trust list root both processes derive.
func killRoot() ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("ikd kill test root"))
	return ed25519.NewKeyFromSeed(seed[:])
}

// killDeviceKey is the i-th key the wallet child saves.
func killDeviceKey(i int) crypto.Signer {
	seed := sha256.Sum256([]byte("ikd kill test device " + strconv.Itoa(i)))
	return ed25519.NewKeyFromSeed(seed[:])
}

// killIssuerKey is the i-th issuer key the store child puts in list i, so
// that two lists differ in content as well as in sequence number.
func killIssuerKey(i int) crypto.PublicKey {
	seed := sha256.Sum256([]byte("ikd kill test issuer " + strconv.Itoa(i)))
	return ed25519.NewKeyFromSeed(seed[:]).Public()
}

// killList signs trust list number seq.
func killList(t testing.TB, seq int) []byte {
	t.Helper()
	now := time.Now()
	return sign(t, killRoot(), &keys.TrustListContent{
		Sequence:   uint64(seq),
		IssuedAt:   now.Add(-time.Hour),
		NextUpdate: now.Add(30 * 24 * time.Hour),
		Issuers: []keys.TrustedIssuer{{
			ID: "3171", Name: "Disdukcapil Kota Jakarta Pusat",
			Keys: []keys.IssuerKey{{PublicKey: killIssuerKey(seq), NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(5, 0, 0)}},
		}},
	})
}

// killRun starts the child in mode over dir, waits until it is ready,
// kills it after a random 0–30 ms, and returns the last version it
// reported as completely written (0 for none).
func killRun(t *testing.T, rng *rand.Rand, mode, dir string) (lastDone int, delay time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), killEnv+"="+mode+":"+dir)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	sc := bufio.NewScanner(out)
	ready := false
	for sc.Scan() {
		if sc.Text() == "ready" {
			ready = true
			break
		}
	}
	require.True(t, ready, "child did not start")
	delay = time.Duration(rng.IntN(killMaxMS+1)) * time.Millisecond
	time.Sleep(delay)
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	for sc.Scan() { // what it wrote before it died
		if n, ok := strings.CutPrefix(sc.Text(), "wrote "); ok {
			lastDone, err = strconv.Atoi(n)
			require.NoError(t, err)
		}
	}
	_ = cmd.Wait()
	return lastDone, delay
}

func killRNG(t *testing.T) *rand.Rand {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("IKD_KILL_SEED"); s != "" {
		var err error
		seed, err = strconv.ParseUint(s, 10, 64)
		require.NoError(t, err)
	}
	t.Logf("kill timings from IKD_KILL_SEED=%d", seed)
	return rand.New(rand.NewPCG(seed, seed))
}

// TestKillTrustStoreUpdate kills a scanner's trust store in the middle of
// Store.Update, 20 times at random moments, and checks that the store
// file always opens with a list that verifies against the root and is the
// last one written or the one being written.
func TestKillTrustStoreUpdate(t *testing.T) {
	testkit.SkipWithoutProcesses(t, "starts processes")
	rng := killRNG(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "trust-store.json")
	root := killRoot().Public()
	s, err := keys.OpenStore(path, root)
	require.NoError(t, err)
	require.NoError(t, s.Update(killList(t, 1)))
	held := 1
	progressed := 0
	for i := range killCount {
		lastDone, delay := killRun(t, rng, "store", dir)
		s, err := keys.OpenStore(path, root)
		require.NoError(t, err)
		require.NoError(t, s.LoadError(), "kill %d after %v: the file is unusable", i, delay)
		l := s.Current()
		require.NotNil(t, l, "kill %d after %v: no list", i, delay)
		got := int(l.Sequence())
		want := max(lastDone, held)
		assert.True(t, got == want || got == want+1, "kill %d after %v: file holds list %d; last written %d", i, delay, got, want)
		// The list in the file verifies on its own against the root.
		again, err := keys.ParseTrustList(keys.JWS(l), root)
		require.NoError(t, err)
		assert.Equal(t, l.Sequence(), again.Sequence())
		assert.Len(t, again.Lookup(mustKID(t, killIssuerKey(got))), 1, "list %d holds its own issuer key", got)
		tmp, _ := filepath.Glob(filepath.Join(dir, ".trust-store.json.tmp-*"))
		assert.Empty(t, tmp, "OpenStore removes what a killed update left")
		if got > held {
			progressed++
		}
		held = got
	}
	t.Logf("%d kills, the store advanced during %d of them, final list %d", killCount, progressed, held)
}

// TestKillWalletKeySave kills a wallet in the middle of SavePrivateKey
// (its device key file), 20 times at random moments, and checks that the
// file always loads as the last key written or the one being written.
func TestKillWalletKeySave(t *testing.T) {
	testkit.SkipWithoutProcesses(t, "starts processes")
	rng := killRNG(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "device.pem")
	require.NoError(t, keys.SavePrivateKey(path, killDeviceKey(0)))
	held := 0
	for i := range killCount {
		lastDone, delay := killRun(t, rng, "wallet", dir)
		k, err := keys.LoadPrivateKey(path)
		require.NoError(t, err, "kill %d after %v: the key file is unusable", i, delay)
		want := max(lastDone, held)
		switch {
		case killSame(k, killDeviceKey(want)):
			held = want
		case killSame(k, killDeviceKey(want+1)):
			held = want + 1
		default:
			t.Fatalf("kill %d after %v: the key file holds neither key %d nor key %d", i, delay, want, want+1)
		}
		// The loaded key signs, and its signature verifies.
		msg := []byte("ikd")
		sig, err := k.Sign(nil, msg, crypto.Hash(0))
		require.NoError(t, err)
		assert.True(t, ed25519.Verify(k.Public().(ed25519.PublicKey), msg, sig))
	}
	t.Logf("%d kills, final key %d", killCount, held)
}

func killSame(k crypto.Signer, want crypto.Signer) bool {
	pub, ok := k.Public().(ed25519.PublicKey)
	return ok && pub.Equal(want.Public())
}

func mustKID(t testing.TB, pub crypto.PublicKey) []byte {
	t.Helper()
	kid, err := keys.KeyID(pub)
	require.NoError(t, err)
	return kid
}

// TestKillHelperProcess is the child of the kill tests: it writes in a
// loop until it is killed, printing "wrote N" after each complete write.
func TestKillHelperProcess(t *testing.T) {
	mode, dir, ok := strings.Cut(os.Getenv(killEnv), ":")
	if !ok {
		t.Skip("child of TestKillTrustStoreUpdate and TestKillWalletKeySave")
	}
	switch mode {
	case "store":
		s, err := keys.OpenStore(filepath.Join(dir, "trust-store.json"), killRoot().Public())
		require.NoError(t, err)
		require.NoError(t, s.LoadError())
		seq := int(s.Current().Sequence())
		fmt.Println("ready")
		for {
			seq++
			require.NoError(t, s.Update(killList(t, seq)))
			fmt.Printf("wrote %d\n", seq)
		}
	case "wallet":
		path := filepath.Join(dir, "device.pem")
		k, err := keys.LoadPrivateKey(path)
		require.NoError(t, err)
		i := 0
		for !killSame(k, killDeviceKey(i)) {
			i++
			require.Less(t, i, 1<<20)
		}
		fmt.Println("ready")
		for {
			i++
			require.NoError(t, keys.SavePrivateKey(path, killDeviceKey(i)))
			fmt.Printf("wrote %d\n", i)
		}
	}
	t.Fatalf("unknown mode %q", mode)
}
