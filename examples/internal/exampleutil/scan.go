package exampleutil

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// Env is the outside world of a program: its clock, how it waits and where
// its notices go. Tests pass a fake clock whose Sleep advances it, so that
// nothing sleeps.
type Env struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits; nil means time.Sleep.
	Sleep func(time.Duration)
	// Stderr receives notices (such as what -watch watches); nil means
	// os.Stderr.
	Stderr io.Writer
	// Stop, closed, ends a -watch or -camera run as SIGINT does: the run
	// prints its summary and returns. Nil means SIGINT.
	Stop <-chan struct{}
}

// Clock returns e.Now or time.Now.
func (e Env) Clock() func() time.Time {
	if e.Now != nil {
		return e.Now
	}
	return time.Now
}

// Wait calls e.Sleep or time.Sleep.
func (e Env) Wait(d time.Duration) {
	if e.Sleep != nil {
		e.Sleep(d)
		return
	}
	time.Sleep(d)
}

// Notices returns e.Stderr or os.Stderr.
func (e Env) Notices() io.Writer {
	if e.Stderr != nil {
		return e.Stderr
	}
	return os.Stderr
}

// ListFlag is a repeatable string flag.
type ListFlag []string

// String returns the values joined by commas.
func (l *ListFlag) String() string { return strings.Join(*l, ",") }

// Set appends v.
func (l *ListFlag) Set(v string) error { *l = append(*l, v); return nil }

// TimeFlag is an RFC 3339 time flag; the zero value means "not set".
type TimeFlag struct{ T time.Time }

// String returns the time in RFC 3339, or "".
func (t *TimeFlag) String() string {
	if t == nil || t.T.IsZero() {
		return ""
	}
	return t.T.Format(time.RFC3339)
}

// Set parses an RFC 3339 time.
func (t *TimeFlag) Set(v string) error {
	p, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return err
	}
	t.T = p
	return nil
}

// Verdict is the result of one scan, as the scanners print it with -json.
type Verdict struct {
	// Accepted is true only for an accepted presentation.
	Accepted bool `json:"accepted"`
	// Source is where the code came from: the image file's name,
	// "stdin:N" for line N of standard input, "camera:N" for frame N.
	Source string `json:"source,omitempty"`
	// Error is set, and nothing else but Source, when the input could not
	// be read at all (a missing, unreadable or oversized file): an input
	// error, not a verdict on the person (exit status 2).
	Error string `json:"error,omitempty"`
	// Reason is the verify.Reason key of a rejection ("replayed").
	Reason string `json:"reason,omitempty"`
	// MessageID and MessageEN are the reason's messages in Indonesian and
	// English.
	MessageID string `json:"message_id,omitempty"`
	MessageEN string `json:"message_en,omitempty"`
	// Detail is the underlying error, for logs.
	Detail string `json:"detail,omitempty"`
	// Profile, IssuerID, IssuerName, Audience and Expires describe an
	// accepted presentation.
	Profile    string    `json:"profile,omitempty"`
	IssuerID   string    `json:"issuer_id,omitempty"`
	IssuerName string    `json:"issuer_name,omitempty"`
	Audience   string    `json:"audience,omitempty"`
	Expires    time.Time `json:"expires,omitzero"`
	// Claims are the disclosed claims of an accepted presentation.
	Claims *credential.KTP `json:"claims,omitempty"`
	// Warnings lists the keys of the reasons a lenient policy let through.
	Warnings []string `json:"warnings,omitempty"`
	warnings []verify.Reason
}

// Accepted returns the verdict of an accepted presentation.
func Accepted(res *verify.Result) Verdict {
	v := Verdict{
		Accepted: true, Profile: res.Profile.String(), IssuerID: res.IssuerID, IssuerName: res.IssuerName,
		Audience: res.Audience, Expires: res.Expires.UTC(), Claims: &res.Claims, warnings: res.Warnings,
	}
	for _, w := range res.Warnings {
		v.Warnings = append(v.Warnings, w.String())
	}
	return v
}

// Rejected returns the verdict of a refusal for reason r; err is the
// verifier's error, kept for the log line.
func Rejected(r verify.Reason, err error) Verdict {
	v := Verdict{Reason: r.String(), MessageID: r.Indonesian(), MessageEN: r.English()}
	if err != nil {
		v.Detail = err.Error()
	}
	return v
}

// Line returns the verdict as a gate operator reads it.
func (v Verdict) Line() string {
	var b strings.Builder
	if v.Source != "" {
		fmt.Fprintf(&b, "%s: ", v.Source)
	}
	if v.Error != "" {
		fmt.Fprintf(&b, "KESALAHAN INPUT / INPUT ERROR: %s", v.Error)
		return b.String()
	}
	if !v.Accepted {
		fmt.Fprintf(&b, "DITOLAK / REJECTED: %s / %s (%s)", v.MessageID, v.MessageEN, v.Reason)
		return b.String()
	}
	c := v.Claims
	fmt.Fprintf(&b, "DITERIMA / ACCEPTED: %s, NIK %s", c.Name, c.NIK)
	if c.Has(credential.ClaimBirthDate) {
		fmt.Fprintf(&b, ", lahir/born %s", c.BirthDate)
	}
	if id, en := c.Display(credential.ClaimSex); id != "" {
		fmt.Fprintf(&b, ", %s/%s", id, en)
	}
	fmt.Fprintf(&b, " [%s, %s (%s)]", v.Profile, v.IssuerName, v.IssuerID)
	for _, r := range v.warnings {
		// r.String(), not r: a Reason is also an error, and fmt would print
		// its Error ("verify: status_stale") instead of the key.
		fmt.Fprintf(&b, "\n  PERINGATAN / WARNING: %s / %s (%s)", r.Indonesian(), r.English(), r.String())
	}
	return b.String()
}

// ScannerFlags are the flags both scanner programs share.
type ScannerFlags struct {
	// Trust is the signed trust list (trust.jws), Root the pinned root
	// public key (root.jwk or PEM), Status the signed status lists.
	Trust, Root string
	Status      ListFlag
	// Image is one image file to verify; Watch a directory to watch.
	Image, Watch string
	// Once, Max and Interval control -watch.
	Once     bool
	Max      int
	Interval time.Duration
	// JSON prints one JSON object per code.
	JSON bool
	// Now, if set, replaces the clock.
	Now TimeFlag
	// Grace is how long past its next update the trust list is still used.
	Grace time.Duration
	// WarnStaleStatus accepts, with a warning, a code whose status list is
	// too old to say whether it was revoked (verify.Policy.WarnOnStaleStatus).
	WarnStaleStatus bool
	// Camera is a stream of frames: a directory of PNG or JPEG frames (read
	// in name order), "-" for raw 8-bit gray frames on standard input, or a
	// file or device of raw gray frames; Size is their WxH.
	Camera string
	Size   string
	// Description is what the program does, printed by -h before the flags.
	Description string
}

// exitCodes is the part of -h that every scanner shares.
const exitCodes = `
Exit status: 0 when every code was accepted, 1 when one was rejected, 2 for
an input error (a missing, unreadable or oversized image, a bad frame
stream), a usage error or a configuration error, 3 when no code was scanned
at all (empty standard input, a -watch-once or -camera directory without
images, a frame stream with no code in it).

With -json every outcome is one JSON object per line on standard output:
verdicts, input errors ({"source":...,"error":...}), usage and
configuration errors ({"source":"setup","error":...}), "no code scanned"
({"source":...,"error":"no code scanned"}), warnings
({"source":...,"warning":...}) and the summary of an interrupted run
({"source":"summary","summary":{...}}); the usage text goes to standard
error.

-watch reads a file once its size and modification time are unchanged
between two looks; a file that cannot be decoded while it is less than 2 s
old is tried again at the next look and reported only if it still fails
(with -watch-once there is no next look: it is reported at once).
Write a frame under a name starting with "." or without a .png/.jpg/.jpeg
extension, then rename it into place, and it is never seen half-written.

SIGINT (Ctrl-C) during -watch or -camera ends the run after the current
file or frame: it prints a summary (accepted, refused, input errors) and
exits with the status above for what was scanned. A second SIGINT ends the
program at once (a raw frame read can block on a stalled pipe).

-camera names frames "camera:N", N counting frames from 1 in reading
order; frames from a directory add their file name ("camera:N:NAME").
`

// Register defines the shared flags on fs.
func (f *ScannerFlags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Trust, "trust", "", "signed trust list (trust.jws)")
	fs.StringVar(&f.Root, "root", "", "pinned root public key (root.jwk)")
	fs.Var(&f.Status, "status", "signed status list (status.cbor); repeat for several issuers")
	fs.StringVar(&f.Image, "image", "", "verify the QR code in this PNG or JPEG file")
	fs.StringVar(&f.Watch, "watch", "", "verify each new image file that appears in this directory")
	fs.BoolVar(&f.Once, "watch-once", false, "with -watch: process the files present now, then exit")
	fs.IntVar(&f.Max, "max", 0, "with -watch: exit after this many files (0: no limit)")
	fs.DurationVar(&f.Interval, "interval", time.Second, "with -watch: how often to look for new files")
	fs.BoolVar(&f.JSON, "json", false, "print one JSON result per code")
	fs.Var(&f.Now, "now", "verify as of this RFC 3339 time instead of the clock")
	fs.DurationVar(&f.Grace, "trust-grace", 7*24*time.Hour, "use the trust list for this long past its next update (a station offline for days)")
	fs.BoolVar(&f.WarnStaleStatus, "warn-stale-status", false, "accept with a warning, instead of refusing, a code whose revocation cannot be checked: its status list is too old (status_stale) or missing (status_unknown)")
	fs.StringVar(&f.Camera, "camera", "", "read a stream of frames: a directory of PNG/JPEG frames, - for raw gray frames on stdin, or a file or /dev/video* device giving raw gray frames (needs -size)")
	fs.StringVar(&f.Size, "size", "", "with -camera and raw frames: frame size WxH, e.g. 640x480")
	fs.Usage = func() {
		out := fs.Output()
		if f.Description != "" {
			fmt.Fprintf(out, "%s\n\n", strings.TrimSpace(f.Description))
		}
		fmt.Fprintf(out, "Usage of %s:\n", fs.Name())
		fs.PrintDefaults()
		fmt.Fprint(out, exitCodes)
	}
}

// ErrHelp is returned by Parse for -h or --help, after the help was
// printed: exit status 0.
var ErrHelp = flag.ErrHelp

// ReportSetupError prints *err, with -json, as one JSON object on stdout
// ({"source":"setup","error":...}), unless it was already reported there:
// with -json every outcome is a line on stdout, a bad trust list or root
// key too. A program calls it deferred, on its named error result, before
// Parse (so that a bad command line is reported too).
func (f *ScannerFlags) ReportSetupError(stdout io.Writer, err *error) {
	var u *UsageError
	if !f.JSON || *err == nil || !errors.As(*err, &u) || u.reported {
		return
	}
	u.reported = true
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(Verdict{Source: "setup", Error: (*err).Error()}) // the exit status says it too
}

// Policy returns p adjusted by the flags (-warn-stale-status).
func (f *ScannerFlags) Policy(p verify.Policy) verify.Policy {
	p.WarnOnStaleStatus = p.WarnOnStaleStatus || f.WarnStaleStatus
	return p
}

// Parse parses args into the flags registered on fs and checks them.
func (f *ScannerFlags) Parse(fs *flag.FlagSet, args []string) error {
	// With -json, stdout carries JSON objects only: the usage text an
	// unknown flag prints goes to stderr, and the error itself becomes a
	// JSON object (ReportSetupError), even when -json follows the bad flag.
	for _, a := range args {
		if a == "--" {
			break
		}
		switch a {
		case "-json", "--json", "-json=true", "--json=true":
			f.JSON = true
			fs.SetOutput(os.Stderr)
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ErrHelp
		}
		return &UsageError{Err: err}
	}
	inputs := 0
	for _, in := range []string{f.Image, f.Watch, f.Camera} {
		if in != "" {
			inputs++
		}
	}
	switch {
	case fs.NArg() > 0:
		return Usagef("unexpected arguments: %v", fs.Args())
	case inputs > 1:
		return Usagef("use one of -image, -watch and -camera")
	case f.Size != "" && f.Camera == "":
		return Usagef("-size needs -camera")
	case f.Interval <= 0:
		return Usagef("-interval must be positive")
	case f.Grace < 0:
		return Usagef("-trust-grace must not be negative")
	case f.Trust == "" || f.Root == "":
		return Usagef("a trust list (-trust) and a root key (-root) are required")
	}
	return nil
}

// Clock returns the clock the flags ask for: -now, or env's clock.
func (f *ScannerFlags) Clock(env Env) func() time.Time {
	if !f.Now.T.IsZero() {
		t := f.Now.T
		return func() time.Time { return t }
	}
	return env.Clock()
}

// imageExts are the file types a watched directory is scanned for.
var imageExts = []string{".png", ".jpg", ".jpeg"}

// ScanInputs reads codes from the input the flags name (an image, a watched
// directory, a camera stream, or standard input with one code per line),
// passes each text to check and prints the verdict, or with -json one JSON
// object per line on standard output for every outcome, input errors
// included. It returns nil when every code was accepted, an error wrapping
// ErrRejected when one was not, and a *UsageError (exit status 2) when an
// input could not be read, after reporting it.
func ScanInputs(f *ScannerFlags, env Env, stdin io.Reader, stdout io.Writer, check func(text string) Verdict) error {
	out := &reporter{json: f.JSON, w: stdout}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false) // a "<" or ">" in a message stays as it is
	out.enc = enc
	scanFile := func(path string) Verdict {
		source := filepath.Base(path)
		file, err := os.Open(path)
		if err != nil {
			return inputError(source, err)
		}
		text, err := qr.ScanReader(file)
		file.Close()
		switch {
		case errors.Is(err, qr.ErrNoCode):
			vd := Rejected(verify.ReasonNoCode, err)
			vd.Source = source
			return vd
		case err != nil: // unreadable, too large, not an image
			return inputError(source, err)
		}
		vd := check(text)
		vd.Source = source
		return vd
	}

	source := "stdin"
	switch {
	case f.Image != "":
		if err := out.report(scanFile(f.Image)); err != nil {
			return err
		}
	case f.Watch != "" || f.Camera != "":
		stop, release := env.interrupt()
		defer release()
		var err error
		if f.Watch != "" {
			source = f.Watch
			err = watch(f, env, stop, out, scanFile)
		} else {
			source = "camera"
			err = camera(f, stdin, stop, out, check)
		}
		if err != nil {
			return err
		}
		if stopped(stop) {
			notify(f.JSON, env, stdout, Notice{Source: "summary",
				Summary: &Summary{Accepted: out.total - out.rejected, Refused: out.rejected, InputErrors: out.inputErrors}})
		}
	default:
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		n := 0
		for sc.Scan() {
			n++
			line := strings.TrimSpace(sc.Text())
			if line == "" {
				continue
			}
			vd := check(line)
			vd.Source = fmt.Sprintf("stdin:%d", n)
			if err := out.report(vd); err != nil {
				return err
			}
		}
		if err := sc.Err(); err != nil {
			if rerr := out.report(inputError(fmt.Sprintf("stdin:%d", n+1), err)); rerr != nil {
				return rerr
			}
			return &UsageError{Err: fmt.Errorf("standard input: %w", err), reported: true}
		}
	}
	if out.inputErrors > 0 {
		return &UsageError{Err: fmt.Errorf("%d input error(s)", out.inputErrors), reported: true}
	}
	if out.total == 0 {
		if f.JSON {
			if err := enc.Encode(Verdict{Source: source, Error: ErrNoCodeScanned.Error()}); err != nil {
				return err
			}
		}
		return ErrNoCodeScanned
	}
	return rejectedErr(out.rejected)
}

// inputError is the verdict-less report of an input that could not be read.
func inputError(source string, err error) Verdict {
	return Verdict{Source: source, Error: err.Error()}
}

// reporter prints verdicts and counts them.
type reporter struct {
	json                         bool
	w                            io.Writer
	enc                          *json.Encoder
	total, rejected, inputErrors int
}

func (r *reporter) report(vd Verdict) error {
	switch {
	case vd.Error != "":
		r.inputErrors++
	case !vd.Accepted:
		r.total++
		r.rejected++
	default:
		r.total++
	}
	if r.json {
		return r.enc.Encode(vd)
	}
	_, err := fmt.Fprintln(r.w, vd.Line())
	return err
}

// watch scans the image files of f.Watch: those present at the start, then
// each new or changed one, once its size and modification time have stayed
// the same between two looks (a file still being written is not read).
//
// A file that cannot be decoded while it is younger than settleTime (by
// env's clock) is taken for one still being written: it is tried again at
// the next look and reported only if it still fails once it is older. A
// stop (SIGINT) ends the watch between two files.
func watch(f *ScannerFlags, env Env, stop <-chan struct{}, out *reporter, scanFile func(string) Verdict) error {
	if st, err := os.Stat(f.Watch); err != nil || !st.IsDir() {
		return Usagef("-watch %s: not a directory", f.Watch)
	}
	fmt.Fprintf(env.Notices(), "watching %s for PNG and JPEG files (every %v)\n", f.Watch, f.Interval)
	type state struct {
		size    int64
		mod     time.Time
		scanned bool
	}
	files := map[string]*state{}
	skipped := map[string]bool{} // reported as not regular files
	n := 0
	for first := true; ; first = false {
		entries, err := os.ReadDir(f.Watch)
		if err != nil {
			return &UsageError{Err: err}
		}
		for _, e := range entries { // ReadDir sorts by name
			if stopped(stop) {
				return nil
			}
			name := e.Name()
			if strings.HasPrefix(name, ".") || !slices.Contains(imageExts, strings.ToLower(filepath.Ext(name))) {
				continue
			}
			// A symbolic link to an image file is read; anything else
			// named like an image (a FIFO, a device, a link to one, a
			// directory) is skipped, with one line saying so.
			info, err := os.Stat(filepath.Join(f.Watch, name))
			if err != nil && !errors.Is(err, fs.ErrNotExist) || err == nil && !info.Mode().IsRegular() {
				if !skipped[name] {
					skipped[name] = true
					if err == nil {
						err = fmt.Errorf("skipped: not a regular file (%v)", info.Mode().Type())
					}
					if err := out.report(inputError(name, err)); err != nil {
						return err
					}
				}
				continue
			}
			if err != nil {
				continue // removed since ReadDir
			}
			delete(skipped, name)
			st := files[name]
			switch {
			case st == nil:
				files[name] = &state{size: info.Size(), mod: info.ModTime()}
				// The files there at the start are complete; a new
				// one waits for a second look, unless -watch-once.
				if !first && !f.Once {
					continue
				}
			case st.size != info.Size() || !st.mod.Equal(info.ModTime()):
				st.size, st.mod, st.scanned = info.Size(), info.ModTime(), false
				continue // changed: read it once it has settled
			case st.scanned:
				continue
			}
			vd := scanFile(filepath.Join(f.Watch, name))
			if vd.Error != "" && !f.Once && env.Clock()().Sub(info.ModTime()) < settleTime {
				continue // perhaps half-written: look again next time
			}
			files[name].scanned = true
			if err := out.report(vd); err != nil {
				return err
			}
			n++
			if f.Max > 0 && n >= f.Max {
				return nil
			}
		}
		if f.Once {
			return nil
		}
		if env.Sleep != nil {
			env.Sleep(f.Interval)
		} else {
			select {
			case <-time.After(f.Interval):
			case <-stop:
			}
		}
		if stopped(stop) {
			return nil
		}
	}
}

// settleTime is how long after its last modification a file that does not
// decode may still be being written.
const settleTime = 2 * time.Second

func rejectedErr(n int) error {
	if n > 0 {
		return fmt.Errorf("%w: %d code(s)", ErrRejected, n)
	}
	return nil
}

// Command is one subcommand of a program such as issuer or wallet.
type Command func(env Env, args []string, stdout io.Writer) error

// Dispatch runs the subcommand named by args[0] with the remaining
// arguments; no argument or an unknown name is a *UsageError that shows
// usage.
func Dispatch(cmds map[string]Command, usage string, env Env, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return Usagef("%s", usage)
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		return Usagef("unknown command %q; %s", args[0], usage)
	}
	return cmd(env, args[1:], stdout)
}
