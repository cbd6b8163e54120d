// Command kai-scanner is an example KAI (Kereta Api Indonesia) gate
// scanner: it verifies IKD codes offline with the verify.KAIGate policy and
// matches the disclosed name and NIK against the passenger's ticket.
//
// Usage:
//
//	kai-scanner -trust trust.jws -root root.jwk -status status.cbor [-status ...] \
//	    -ticket-name 'BUDI SANTOSO' [-ticket-nik 3171011708850003] \
//	    [-image code.png | -watch DIR [-watch-once] [-max N] [-interval 1s] | -camera SRC [-size WxH]] \
//	    [-json] [-now RFC3339] [-trust-grace 168h] [-warn-stale-status]
//
// -camera reads a stream of frames through qr.Scanner (a directory of PNG or
// JPEG frames, or raw gray frames of -size from - or a file or device).
// Without -image, -watch or -camera it reads codes from standard input, one per line.
// Names are compared after normalisation (NFKC; case, spacing, titles
// such as BPK or IBU and degrees after a comma such as S.E. do not
// matter); a name with letters of another script, a second name after a
// comma or characters the rules do not know matches nothing (see
// verify.Ticket). Output and exit status are those of airline-scanner.
//
// The library calls a scanner needs are all in this file (reading image
// files and printing verdicts are in examples/internal/exampleutil): load the pinned
// root key and the trust list (keys.ParseTrustList), build the verifier
// (verify.New), add the status lists (Verifier.AddStatusList), and verify
// each scanned text (Verifier.VerifyText), reading the refusal's Reason
// with errors.As.
package main

import (
	"errors"
	"flag"
	"io"
	"os"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/verify"
)

func main() {
	os.Exit(exampleutil.ExitCode(run(os.Args[1:], os.Stdin, os.Stdout), os.Stderr))
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	return runEnv(exampleutil.Env{}, args, stdin, stdout)
}

func runEnv(env exampleutil.Env, args []string, stdin io.Reader, stdout io.Writer) (err error) {
	fs := flag.NewFlagSet("kai-scanner", flag.ContinueOnError)
	fs.SetOutput(stdout)
	var f exampleutil.ScannerFlags
	f.Description = "kai-scanner verifies IKD (KTP Digital) codes offline at a KAI railway gate against the ticket's passenger name (and NIK): name and NIK from live codes (policy verify.KAIGate)."
	f.Register(fs)
	replay := exampleutil.RegisterReplay(fs) // -replay redis://…: one replay store for all the gates (issue 17)
	defer replay.Close()
	ticketName := fs.String("ticket-name", "", "passenger name on the ticket (required)")
	ticketNIK := fs.String("ticket-nik", "", "passenger NIK on the ticket, if the booking has one")
	defer f.ReportSetupError(stdout, &err) // with -json, a bad command line is a JSON line too
	if err := f.Parse(fs, args); err != nil {
		return err
	}
	if *ticketName == "" {
		return exampleutil.Usagef("kai-scanner: -ticket-name is required")
	}
	if *ticketNIK != "" {
		if _, err := credential.ParseNIK(*ticketNIK); err != nil {
			return exampleutil.Usagef("kai-scanner: -ticket-nik: %v", err)
		}
	}
	now := f.Clock(env)
	if err := replay.Open(); err != nil { // the flags and the server, once, before any code (issue 17)
		return exampleutil.Usagef("%v", err)
	}

	// The root key is pinned when the scanner is installed; the trust list
	// and the status lists are downloaded while online and kept on disk.
	root, err := keys.LoadPublicKey(f.Root)
	if err != nil {
		return exampleutil.Usagef("root key %s: %v", f.Root, err)
	}
	jws, err := os.ReadFile(f.Trust)
	if err != nil {
		return exampleutil.Usagef("trust list: %v", err)
	}
	list, err := keys.ParseTrustList(jws, root, keys.WithClock(now), keys.WithGrace(f.Grace))
	if err != nil {
		return exampleutil.Usagef("trust list %s: %v", f.Trust, err)
	}
	v, err := verify.New(list, replay.Policy(f.Policy(verify.KAIGate(verify.Ticket{Name: *ticketName, NIK: *ticketNIK}))), replay.Options(verify.WithClock(now))...)
	if err != nil {
		return exampleutil.Usagef("verifier: %v", err)
	}
	// Several lists of one issuer: the newest is kept, an older one is
	// skipped with a warning; no list at all is warned about here, once.
	if err := f.AddStatusLists(env, stdout, v.AddStatusList); err != nil {
		return err
	}

	return exampleutil.ScanInputs(&f, env, stdin, stdout, func(text string) exampleutil.Verdict {
		res, err := v.VerifyText(text)
		var verr *verify.Error
		if errors.As(err, &verr) {
			return exampleutil.Rejected(verr.Reason, err)
		}
		if err != nil { // every error of VerifyText is a *verify.Error; refuse anything else too
			return exampleutil.Rejected(verify.ReasonMalformed, err)
		}
		return exampleutil.Accepted(res)
	})
}
