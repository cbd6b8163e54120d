//go:build unix

package keys

import "syscall"

// openFlags are the extra flags readFileLimited opens with: O_NONBLOCK so
// that a path swapped for a named pipe after the Stat check cannot block
// the open (the fstat after it refuses the pipe before any read), and
// O_NOCTTY so that a terminal device cannot become the process's
// controlling terminal.
const openFlags = syscall.O_NONBLOCK | syscall.O_NOCTTY
