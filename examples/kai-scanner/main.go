// Command kai-scanner is an example KAI (Kereta Api Indonesia) gate
// scanner: it verifies IKD codes offline with the verify.KAIGate policy and
// matches the disclosed name and NIK against the passenger's ticket.
//
// Usage:
//
//	kai-scanner -trust trust.jws -root root.jwk -status status.cbor [-status ...] \
//	    -ticket-name 'BUDI SANTOSO' [-ticket-nik 3171011708850003] \
//	    [-image code.png | -watch DIR [-watch-once] [-max N] [-interval 1s]] [-json] [-now RFC3339]
//
// Without -image or -watch it reads codes from standard input, one per line.
// Names are compared after normalisation (case, titles such as BPK or IBU,
// punctuation). Output and exit status are those of airline-scanner.
package main

import (
	"flag"
	"io"
	"os"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/verify"
)

func main() {
	os.Exit(exampleutil.ExitCode(run(os.Args[1:], os.Stdin, os.Stdout), os.Stderr))
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	return exampleutil.RunScanner(exampleutil.ScannerConfig{
		Name: "kai-scanner",
		Flags: func(fs *flag.FlagSet) func() (verify.Policy, error) {
			name := fs.String("ticket-name", "", "passenger name on the ticket (required)")
			nik := fs.String("ticket-nik", "", "passenger NIK on the ticket, if the booking has one")
			return func() (verify.Policy, error) {
				if *name == "" {
					return verify.Policy{}, exampleutil.Usagef("kai-scanner: -ticket-name is required")
				}
				if *nik != "" {
					if _, err := credential.ParseNIK(*nik); err != nil {
						return verify.Policy{}, exampleutil.Usagef("kai-scanner: -ticket-nik: %v", err)
					}
				}
				return verify.KAIGate(verify.Ticket{Name: *name, NIK: *nik}), nil
			}
		},
	}, exampleutil.Env{}, args, stdin, stdout)
}
