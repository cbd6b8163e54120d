//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// openPartial opens (or makes, mode 0600) a batch's partial output and
// locks it for this process. It never follows a symbolic link, refuses
// anything but a regular file with one name that this user owns (a hard
// link planted there would have the batch overwrite its target), and
// refuses a file another run holds: two runs of one batch would write
// one file at once.
func openPartial(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("%s is a symbolic link; remove it (a batch writes its output only to a file of its own)", path)
	}
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !st.Mode().IsRegular() || !ok || sys.Nlink != 1 || int(sys.Uid) != os.Geteuid() {
		f.Close()
		return nil, fmt.Errorf("%s is not a file of this batch's (not a regular file with one name owned by this user); remove it", path)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s is being written by another run of this batch; wait for it to end", path)
		}
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
