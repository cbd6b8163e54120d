// Command school-receiver is an example school office receiver: it
// verifies the family documents a parent shares when enrolling a child
// (the child's entry of the Kartu Keluarga and the child's Akta
// Kelahiran, share-mode codes) offline with the verify.SchoolEnrolment
// policy, and checks that the two name the same child and parents.
//
// Usage:
//
//	school-receiver -trust trust.jws -root root.jwk -status status.cbor [-status ...] \
//	    [-image code.png | -watch DIR [-watch-once] [-max N] [-interval 1s]] [-json] [-now RFC3339] [-trust-grace 168h]
//
// It reads codes as the scanner programs do (standard input, one per line,
// or images) and prints one verdict per code, naming the child the
// document is about. Only the school profiles are accepted: a whole
// Kartu Keluarga (kk-full, kk-members), which would show the school the
// siblings and the rest of the household, is refused with policy_unmet.
//
// One enrolment is a kk-school code and an Akta of the same child, in
// either order. After the first document of an enrolment, a document that
// names another child (or other parents) is refused with policy_unmet and
// the message "KK dan Akta menyebut anak atau orang tua berbeda / the
// family card and the birth certificate name different children or
// parents". Once both documents of the child are accepted the enrolment is
// complete and the next code starts the next family's; so does a code
// arriving more than 15 minutes (by the receiver's clock) after the
// enrolment's first, so that a family that left halfway does not block
// the next. Exit status: 0 when every code was accepted, 1 when one was
// rejected, 2 for a usage or configuration error.
package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"time"

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

// errOtherChild reports a document that names another child or other
// parents than the one accepted before it; errWholeKK a Kartu Keluarga
// that is not the school profile.
var (
	errOtherChild = errors.New("school-receiver: the family card and the birth certificate name different children or parents")
	errWholeKK    = errors.New("school-receiver: a Kartu Keluarga other than the kk-school profile lists the whole household")
)

// sessionTimeout is how long an enrolment waits for its second document.
const sessionTimeout = 15 * time.Minute

func runEnv(env exampleutil.Env, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("school-receiver", flag.ContinueOnError)
	fs.SetOutput(stdout)
	var f exampleutil.ScannerFlags
	f.Register(fs)
	if err := f.Parse(fs, args); err != nil {
		return err
	}
	now := f.Clock(env)
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
	v, err := verify.New(list, verify.SchoolEnrolment(), verify.WithClock(now))
	if err != nil {
		return exampleutil.Usagef("verifier: %v", err)
	}
	for _, path := range f.Status {
		data, err := os.ReadFile(path)
		if err != nil {
			return exampleutil.Usagef("status list: %v", err)
		}
		if err := v.AddStatusList(data); err != nil {
			return exampleutil.Usagef("status list %s: %v", path, err)
		}
	}

	var (
		child   *enrolment // the child of the enrolment under way, or nil
		started time.Time  // when its first document was accepted
		haveKK  bool       // its kk-school code was accepted
		haveAkt bool       // its Akta was accepted
	)
	return exampleutil.ScanInputs(&f, env, stdin, stdout, func(text string) exampleutil.Verdict {
		res, err := v.VerifyText(text)
		var verr *verify.Error
		if errors.As(err, &verr) {
			return exampleutil.Rejected(verr.Reason, err)
		}
		if err != nil {
			return exampleutil.Rejected(verify.ReasonMalformed, err)
		}
		e := enrolmentOf(res)
		if e == nil {
			// verify.SchoolEnrolment already refuses every profile but
			// the school ones; the receiver does not rely on it alone.
			return exampleutil.Rejected(verify.ReasonPolicyUnmet, errWholeKK)
		}
		if child != nil && now().Sub(started) > sessionTimeout {
			child = nil
		}
		if child != nil && !child.same(e) {
			vd := exampleutil.Rejected(verify.ReasonPolicyUnmet, errOtherChild)
			vd.MessageID = "KK dan Akta menyebut anak atau orang tua berbeda"
			vd.MessageEN = "the family card and the birth certificate name different children or parents"
			return vd
		}
		if child == nil {
			child, started, haveKK, haveAkt = e, now(), false, false
		}
		if res.KK != nil {
			haveKK = true
		} else {
			haveAkt = true
		}
		if haveKK && haveAkt {
			child = nil // enrolment complete: the next code is the next family's
		}
		vd := exampleutil.Accepted(res)
		// The verdict line names the child the document is about.
		vd.Claims = &credential.KTP{Name: e.name, NIK: e.nik, BirthDate: e.born}
		return vd
	})
}

// enrolment is what the KK school entry and the Akta must agree on.
type enrolment struct {
	nik            credential.NIK
	name           string
	born           credential.Date
	father, mother string
}

// same reports whether e and o name the same child and parents. The NIK
// and the father are compared only when both documents give them: an
// older birth certificate has no NIK, and one may name the mother only.
func (e *enrolment) same(o *enrolment) bool {
	opt := func(a, b string) bool { return a == "" || b == "" || a == b }
	return e.name == o.name && e.born == o.born && e.mother == o.mother &&
		opt(string(e.nik), string(o.nik)) && opt(e.father, o.father)
}

// enrolmentOf returns the child a kk-school or akta-school result is
// about, or nil for a result that names no single child (a whole KK).
func enrolmentOf(res *verify.Result) *enrolment {
	switch {
	case res.KK != nil && res.Profile == credential.ProfileKKSchool && len(res.KK.Members) > 0:
		m := res.KK.Members[0]
		return &enrolment{nik: m.NIK, name: m.Name, born: m.BirthDate, father: m.Father, mother: m.Mother}
	case res.BirthCertificate != nil && res.Profile == credential.ProfileAktaSchool:
		a := res.BirthCertificate
		return &enrolment{nik: a.ChildNIK, name: a.ChildName, born: a.BirthDate, father: a.Father, mother: a.Mother}
	}
	return nil
}
