// Command airline-scanner is an example airline check-in scanner: it
// verifies IKD codes offline with the verify.AirlineCheckIn policy (name,
// NIK and birth date, live codes made for audience AIRLINE).
//
// Usage:
//
//	airline-scanner -trust trust.jws -root root.jwk -status status.cbor [-status ...] \
//	    [-image code.png | -watch DIR [-watch-once] [-max N] [-interval 1s] | -camera SRC [-size WxH]] \
//	    [-json] [-now RFC3339] [-trust-grace 168h] [-warn-stale-status]
//
// -camera reads a stream of frames through qr.Scanner (a directory of PNG or
// JPEG frames, or raw gray frames of -size from - or a file or device).
// Without -image, -watch or -camera it reads codes from standard input, one per line
// (as a hardware scanner types them). It prints "DITERIMA / ACCEPTED: ..."
// or "DITOLAK / REJECTED: <Indonesian> / <English> (reason)" for each code,
// or with -json one JSON object per line on standard output for every
// outcome, input and configuration errors included ({"source":...,
// "error":...}, a bad command line too) and warnings ({"source":...,
// "warning":...}: a -status list older than another of its issuer, which is
// skipped; no -status at all). Exit status: 0 when every code was
// accepted, 1 when one was rejected, 2 for an input error (a missing,
// unreadable or oversized image, a broken frame stream), a usage or a
// configuration error, 3 when no code was scanned at all; -h prints the
// flags, the exit codes and the -watch, -camera and SIGINT rules, and
// exits 0. SIGINT during -watch or -camera prints a summary and exits with
// the status of what was scanned.
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
	fs := flag.NewFlagSet("airline-scanner", flag.ContinueOnError)
	fs.SetOutput(stdout)
	var f exampleutil.ScannerFlags
	f.Description = "airline-scanner verifies IKD (KTP Digital) codes offline at an airline check-in desk: name, NIK and birth date, from live codes made for audience AIRLINE (policy verify.AirlineCheckIn)."
	f.Register(fs)
	replay := exampleutil.RegisterReplay(fs) // -replay redis://…: one replay store for all the gates (issue 17)
	defer replay.Close()
	defer f.ReportSetupError(stdout, &err) // with -json, a bad command line is a JSON line too
	if err := f.Parse(fs, args); err != nil {
		return err
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
	v, err := verify.New(list, replay.Policy(f.Policy(verify.AirlineCheckIn())), replay.Options(verify.WithClock(now))...)
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
