//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package keys_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/keys"
)

// mkfifo makes a named pipe at path, and at the end of the test opens it
// for writing once, so that a reader the code under test left blocked on
// it returns.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	require.NoError(t, syscall.Mkfifo(path, 0o644))
	t.Cleanup(func() {
		if f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
}

// within runs f and fails the test if it has not returned after 5 s: the
// code under test blocked.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s blocked", what)
	}
}

// TestAttackStoreFileType (on the systems where syscall has Mkfifo): a store path, or a key file, that is not a
// regular file (a named pipe, a directory, a device, a symlink to one) is
// refused at once, never read and never waited on.
func TestAttackStoreFileType(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	list := smallList(t, root, 1)
	for _, tc := range []struct {
		name string
		make func(t *testing.T, path string)
	}{
		{"named_pipe", func(t *testing.T, path string) { mkfifo(t, path) }},
		{"symlink_to_named_pipe", func(t *testing.T, path string) {
			fifo := filepath.Join(t.TempDir(), "fifo")
			mkfifo(t, fifo)
			require.NoError(t, os.Symlink(fifo, path))
		}},
		{"directory", func(t *testing.T, path string) { require.NoError(t, os.Mkdir(path, 0o755)) }},
		{"symlink_to_device", func(t *testing.T, path string) { require.NoError(t, os.Symlink("/dev/zero", path)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "trust-store.json")
			tc.make(t, path)
			var s *keys.Store
			within(t, "OpenStore", func() { s = openStore(t, path, root.Public()) })
			wantErr(t, s.LoadError(), keys.ErrMalformed, true)
			assert.Nil(t, s.Current())
		})
	}
	t.Run("named_pipe_replaced_by_update", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "trust-store.json")
		mkfifo(t, path)
		var s *keys.Store
		within(t, "OpenStore", func() { s = openStore(t, path, root.Public()) })
		require.NoError(t, s.Update(list))
		fi, err := os.Lstat(path)
		require.NoError(t, err)
		assert.True(t, fi.Mode().IsRegular(), "the update left a %v", fi.Mode().Type())
		assert.Equal(t, uint64(1), seqOf(openStore(t, path, root.Public()).Current()))
	})
	// The same read serves the key files: a scanner loading its pinned
	// root from a named pipe must not hang either.
	for name, load := range map[string]func(string) error{
		"public_key_file_is_named_pipe":  func(p string) error { _, err := keys.LoadPublicKey(p); return err },
		"private_key_file_is_named_pipe": func(p string) error { _, err := keys.LoadPrivateKey(p); return err },
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "root.jwk")
			mkfifo(t, path)
			var err error
			within(t, "loading the key", func() { err = load(path) })
			assert.ErrorIs(t, err, keys.ErrMalformed)
		})
	}
}
