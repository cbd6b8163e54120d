package exampleutil

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// ErrRejected is returned by a scanner's run when at least one presentation
// was not accepted (exit status 1).
var ErrRejected = errors.New("exampleutil: presentation rejected")

// UsageError reports a bad command line or an unusable configuration file
// (exit status 2).
type UsageError struct {
	// Err says what is wrong.
	Err error
}

// Error returns the underlying message.
func (e *UsageError) Error() string { return e.Err.Error() }

// Unwrap returns e.Err.
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef returns a *UsageError with a formatted message.
func Usagef(format string, a ...any) error {
	return &UsageError{Err: fmt.Errorf(format, a...)}
}

// ExitCode maps the error of a program's run to its exit status: 0 for
// nil, 1 for ErrRejected, 2 for a *UsageError (or flag.ErrHelp), and 1 for
// anything else. It prints the error to stderr unless it is ErrRejected,
// whose details the program already printed.
func ExitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, ErrRejected) {
		return 1
	}
	fmt.Fprintln(stderr, "error:", err)
	var u *UsageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// WriteFile writes data to path atomically: it goes to a temporary file in
// the same directory, which is synced and renamed over path, so path holds
// either its old content or the new, never part of it. perm is the new
// file's mode (0600 for secrets, 0644 otherwise).
func WriteFile(path string, data []byte, perm os.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	// Sync the directory so that the rename itself survives a power cut.
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync() // best effort: some file systems refuse to sync a directory
		d.Close()
	}
	return nil
}

// VerifierFiles names the files a scanner is configured from.
type VerifierFiles struct {
	// Trust is the signed trust list (trust.jws).
	Trust string
	// Root is the pinned root public key (root.jwk or PEM).
	Root string
	// Status lists the signed status lists (status.cbor), any number.
	Status []string
}

// LoadVerifier builds a verifier for policy from files alone: the trust list
// is verified against the root key, and every status list against the trust
// list. now is the clock of the trust list check and of the verifier. Every
// failure is a *UsageError: a scanner that cannot load its configuration
// must not verify anything.
func LoadVerifier(files VerifierFiles, policy verify.Policy, now func() time.Time) (*verify.Verifier, error) {
	if files.Trust == "" || files.Root == "" {
		return nil, Usagef("a trust list (-trust) and a root key (-root) are required")
	}
	root, err := keys.LoadPublicKey(files.Root)
	if err != nil {
		return nil, Usagef("root key %s: %v", files.Root, err)
	}
	jws, err := os.ReadFile(files.Trust)
	if err != nil {
		return nil, Usagef("trust list: %v", err)
	}
	tl, err := keys.ParseTrustList(jws, root, keys.WithClock(now))
	if err != nil {
		return nil, Usagef("trust list %s: %v", files.Trust, err)
	}
	v, err := verify.New(verify.NewStaticTrust(tl), policy, verify.WithClock(now))
	if err != nil {
		return nil, Usagef("verifier: %v", err)
	}
	for _, p := range files.Status {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, Usagef("status list: %v", err)
		}
		if err := v.AddStatusList(data); err != nil {
			return nil, Usagef("status list %s: %v", p, err)
		}
	}
	return v, nil
}

// renderAttempts bounds PresentPNG's read-back loop, as the wallet's own.
const renderAttempts = 8

// PresentPNG makes a fresh presentation of profile p from w and renders it
// as a PNG with qr.RenderPNG, applying the wallet's read-back rule: the PNG
// is scanned and, unless it reads back to exactly the code's text, a new
// presentation (new nonce) is made and rendered instead.
func PresentPNG(w *qr.Wallet, p credential.Profile, req qr.Request) (*qr.Code, []byte, error) {
	var lastErr error
	for range renderAttempts {
		code, err := w.PresentProfile(p, req)
		if err != nil {
			return nil, nil, err
		}
		png, err := qr.RenderPNG(code.Text, nil)
		if err != nil {
			return nil, nil, err
		}
		got, err := qr.ScanReader(bytes.NewReader(png))
		if err == nil && got == code.Text {
			return code, png, nil
		}
		lastErr = err
	}
	return nil, nil, fmt.Errorf("exampleutil: %d renderings did not read back: %v", renderAttempts, lastErr)
}
