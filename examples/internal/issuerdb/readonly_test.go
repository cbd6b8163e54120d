package issuerdb_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/examples/internal/issuerdb"
)

// roEnv names the read-only database TestReadOnlyMountHelper opens.
const roEnv = "ISSUERDB_RO_TEST_DB"

// TestReadOnlyMount: a database on a file system mounted read-only (a
// backup) opens with OpenReadOnly. The mount needs Linux, root and
// unshare(1); elsewhere the test is skipped.
func TestReadOnlyMount(t *testing.T) {
	unshare, err := exec.LookPath("unshare")
	if runtime.GOOS != "linux" || os.Geteuid() != 0 || err != nil {
		t.Skip("needs Linux, root and unshare(1) to mount a folder read-only")
	}
	dir := t.TempDir()
	src, ro := filepath.Join(dir, "src"), filepath.Join(dir, "ro")
	require.NoError(t, os.Mkdir(src, 0o700))
	require.NoError(t, os.Mkdir(ro, 0o700))
	s, err := issuerdb.Create(filepath.Join(src, "issuer.db"), "3273", 10)
	require.NoError(t, err)
	_, err = s.Allocate("", holders(0, 2), now)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	cmd := exec.Command(unshare, "-m", "sh", "-c", `mount --bind -o ro "$1" "$2" && mount -o remount,ro,bind "$2" && exec "$3" -test.run='^TestReadOnlyMountHelper$' -test.count=1`,
		"sh", src, ro, os.Args[0])
	cmd.Env = append(os.Environ(), roEnv+"="+filepath.Join(ro, "issuer.db"))
	out, err := cmd.CombinedOutput()
	if err != nil && !strings.Contains(string(out), "TestReadOnlyMountHelper") {
		t.Skipf("cannot mount read-only here: %v: %s", err, out) // the helper never ran
	}
	require.NoError(t, err, "%s", out)
}

// TestReadOnlyMountHelper runs inside TestReadOnlyMount's mount namespace.
func TestReadOnlyMountHelper(t *testing.T) {
	path := os.Getenv(roEnv)
	if path == "" {
		t.Skip("child of TestReadOnlyMount")
	}
	_, err := os.Create(filepath.Join(filepath.Dir(path), "probe"))
	require.Error(t, err, "the folder is read-only")
	s, err := issuerdb.OpenReadOnly(path)
	require.NoError(t, err)
	defer s.Close()
	lists, err := s.Lists()
	require.NoError(t, err)
	require.Len(t, lists, 1)
	assert.Equal(t, 2, lists[0].Used)
}
