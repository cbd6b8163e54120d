// Command airline-scanner is an example airline check-in scanner: it
// verifies IKD codes offline with the verify.AirlineCheckIn policy (name,
// NIK and birth date, live codes for audience AIRLINE or none).
//
// Usage:
//
//	airline-scanner -trust trust.jws -root root.jwk -status status.cbor [-status ...] \
//	    [-image code.png | -watch DIR [-watch-once] [-max N] [-interval 1s]] [-json] [-now RFC3339]
//
// Without -image or -watch it reads codes from standard input, one per line
// (as a hardware scanner types them). It prints "DITERIMA / ACCEPTED: ..."
// or "DITOLAK / REJECTED: <Indonesian> / <English> (reason)" for each code,
// or one JSON object per code with -json. Exit status: 0 when every code was
// accepted, 1 when one was rejected, 2 for a usage or configuration error.
package main

import (
	"flag"
	"io"
	"os"

	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/verify"
)

func main() {
	os.Exit(exampleutil.ExitCode(run(os.Args[1:], os.Stdin, os.Stdout), os.Stderr))
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	return exampleutil.RunScanner(exampleutil.ScannerConfig{
		Name: "airline-scanner",
		Flags: func(fs *flag.FlagSet) func() (verify.Policy, error) {
			return func() (verify.Policy, error) { return verify.AirlineCheckIn(), nil }
		},
	}, exampleutil.Env{}, args, stdin, stdout)
}
