package exampleutil

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ErrRejected is returned by a scanner's run when at least one presentation
// was not accepted (exit status 1).
var ErrRejected = errors.New("exampleutil: presentation rejected")

// UsageError reports a bad command line or an unusable configuration file
// (exit status 2).
type UsageError struct {
	// Err says what is wrong.
	Err error
	// reported is set when the error was already printed as a JSON line.
	reported bool
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
// nil and for flag.ErrHelp (-h, --help: the help was printed), 1 for
// ErrRejected, 2 for a *UsageError (input and configuration errors too),
// 3 for ErrNoCodeScanned, and 1 for anything else. It prints the error to stderr unless it is ErrRejected,
// whose details the program already printed.
func ExitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) { // -h printed the help
		return 0
	}
	if errors.Is(err, ErrRejected) {
		return 1
	}
	fmt.Fprintln(stderr, "error:", err)
	if errors.Is(err, ErrNoCodeScanned) {
		return 3
	}
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
