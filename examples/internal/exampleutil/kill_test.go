package exampleutil_test

import (
	"bufio"
	"crypto/ed25519"
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

	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/internal/testkit"
)

// The wallet example keeps its credentials in files written by
// exampleutil.WriteFile. TestKillWalletCredentialWrite re-runs this test
// binary as a child that rewrites one credential file in a loop (each
// version a credential with another status index), SIGKILLs it 20 times
// after a random 0–30 ms, and checks after each kill that the file parses,
// its issuer signature verifies, and it is the last version written or the
// one being written.

const walletKillEnv = "IKD_EXAMPLEUTIL_KILL_HELPER"

var walletKillIssuer = testkit.Ed25519("kill test issuer") // deterministic signatures

// walletKillCred returns version i of the credential file.
func walletKillCred(t testing.TB, i int) []byte {
	t.Helper()
	iss, err := credential.NewIssuer("3171", walletKillIssuer)
	require.NoError(t, err)
	issued, err := iss.Issue(&credential.Request{
		Claims: testkit.Man(), DeviceKey: &testkit.Device("kill test wallet").PublicKey,
		Status:   credential.StatusRef{List: 1, Index: uint32(i)},
		IssuedAt: testkit.Now.Add(-time.Hour), Expiry: testkit.Now.AddDate(1, 0, 0),
		Profiles: []credential.Profile{credential.ProfileTravel},
	})
	require.NoError(t, err)
	return issued[0].Bytes
}

// walletKillVersion parses and verifies the file and returns its version.
func walletKillVersion(t testing.TB, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	s, err := credential.Parse(data)
	require.NoError(t, err, "the credential file does not parse")
	c, err := s.Verify(walletKillIssuer.Public().(ed25519.PublicKey))
	require.NoError(t, err, "the credential file does not verify")
	return int(c.Status.Index)
}

func TestKillWalletCredentialWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("kill timings from seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	dir := t.TempDir()
	path := filepath.Join(dir, "credential-travel.cbor")
	require.NoError(t, exampleutil.WriteFile(path, walletKillCred(t, 1), 0o600))
	held := 1
	for i := range 20 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillWalletHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), walletKillEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		sc := bufio.NewScanner(out)
		for sc.Scan() && sc.Text() != "ready" {
		}
		delay := time.Duration(rng.IntN(31)) * time.Millisecond
		time.Sleep(delay)
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		lastDone := held
		for sc.Scan() {
			if n, ok := strings.CutPrefix(sc.Text(), "wrote "); ok {
				lastDone, err = strconv.Atoi(n)
				require.NoError(t, err)
			}
		}
		_ = cmd.Wait()
		got := walletKillVersion(t, path)
		require.True(t, got == lastDone || got == lastDone+1, "kill %d after %v: file holds version %d, last written %d", i, delay, got, lastDone)
		held = got
	}
	t.Logf("20 kills, final version %d", held)
}

// TestKillWalletHelperProcess is the child: it rewrites the credential
// file with versions held+1, held+2, … until it is killed.
func TestKillWalletHelperProcess(t *testing.T) {
	dir := os.Getenv(walletKillEnv)
	if dir == "" {
		t.Skip("child of TestKillWalletCredentialWrite")
	}
	path := filepath.Join(dir, "credential-travel.cbor")
	i := walletKillVersion(t, path)
	// Sign ahead, so that the loop below only writes.
	var next [][]byte
	for j := 1; j <= 200; j++ {
		next = append(next, walletKillCred(t, i+j))
	}
	fmt.Println("ready")
	for j, data := range next {
		require.NoError(t, exampleutil.WriteFile(path, data, 0o600))
		fmt.Printf("wrote %d\n", i+j+1)
	}
	os.Exit(0)
}
