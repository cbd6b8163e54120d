// Command share-receiver verifies IKD share codes offline: the codes a
// holder makes to send to someone who is not in front of them (a hotel, a
// landlord, an employer), valid for 5 minutes or 1 hour, with the
// verify.ShareReceiver policy (name and NIK; lifetimes up to one hour, so a
// code sent in a chat is still good when it is opened).
//
// Usage:
//
//	share-receiver -trust trust.jws -root root.jwk -status status.cbor [-status ...] \
//	    [-image code.png | -watch DIR [-watch-once] [-max N] [-interval 1s] | -camera SRC [-size WxH]] \
//	    [-json] [-now RFC3339] [-trust-grace 168h] [-warn-stale-status]
//
// Without -image, -watch or -camera it reads codes from standard input, one
// per line. It prints "DITERIMA / ACCEPTED: ..." or "DITOLAK / REJECTED:
// <Indonesian> / <English> (reason)" for each code, or one JSON object per
// line with -json, for every outcome (errors and warnings included). Exit
// status: 0 when every code was accepted, 1 when one was rejected, 2 for an
// input, usage or configuration error, 3 when no code was scanned at all.
// Output, warnings and SIGINT are as for airline-scanner.
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
	fs := flag.NewFlagSet("share-receiver", flag.ContinueOnError)
	fs.SetOutput(stdout)
	var f exampleutil.ScannerFlags
	f.Description = "share-receiver verifies IKD (KTP Digital) share codes offline: codes a holder made to share for 5 minutes or 1 hour (policy verify.ShareReceiver)."
	f.Register(fs)
	replay := exampleutil.RegisterReplay(fs) // -replay redis://…: one replay store for all the desks of a site
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
	v, err := verify.New(list, replay.Policy(f.Policy(verify.ShareReceiver())), replay.Options(verify.WithClock(now))...)
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
