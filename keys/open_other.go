//go:build !unix

package keys

// openFlags are the extra flags readFileLimited opens with: none where
// there are no named pipes in the file system (open_unix.go).
const openFlags = 0
