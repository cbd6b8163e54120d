//go:build !unix

package main

import (
	"fmt"
	"os"
)

// openPartial opens (or makes, mode 0600) a batch's partial output. Off
// Unix it refuses anything but a regular file there; it takes no lock, so
// two runs of one batch at once are the operator's to avoid.
func openPartial(path string) (*os.File, error) {
	if st, err := os.Lstat(path); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file; remove it", path)
	}
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
}
