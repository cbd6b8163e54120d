package exampleutil

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// Env is the outside world of a program: its clock and how it waits. Tests
// pass a fake clock whose Sleep advances it, so that nothing sleeps.
type Env struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits; nil means time.Sleep.
	Sleep func(time.Duration)
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
	// Source is the image file scanned, or "" for text.
	Source string `json:"source,omitempty"`
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
	// Warnings lists reasons a lenient policy let through.
	Warnings []string `json:"warnings,omitempty"`
}

// NewVerdict turns a verification's outcome into a Verdict.
func NewVerdict(res *verify.Result, err error) Verdict {
	if err != nil {
		var ve *verify.Error
		r := verify.ReasonMalformed
		if errors.As(err, &ve) {
			r = ve.Reason
		}
		return Verdict{Reason: r.String(), MessageID: r.Indonesian(), MessageEN: r.English(), Detail: err.Error()}
	}
	v := Verdict{
		Accepted: true, Profile: res.Profile.String(), IssuerID: res.IssuerID, IssuerName: res.IssuerName,
		Audience: res.Audience, Expires: res.Expires.UTC(), Claims: &res.Claims,
	}
	for _, w := range res.Warnings {
		v.Warnings = append(v.Warnings, w.String())
	}
	return v
}

// Line returns the verdict as a gate operator reads it.
func (v Verdict) Line() string {
	var b strings.Builder
	if v.Source != "" {
		fmt.Fprintf(&b, "%s: ", v.Source)
	}
	if !v.Accepted {
		fmt.Fprintf(&b, "DITOLAK / REJECTED: %s / %s (%s)", v.MessageID, v.MessageEN, v.Reason)
		return b.String()
	}
	c := v.Claims
	fmt.Fprintf(&b, "DITERIMA / ACCEPTED: %s, NIK %s", c.Name, c.NIK)
	if !c.BirthDate.IsZero() {
		fmt.Fprintf(&b, ", lahir/born %s", c.BirthDate)
	}
	if c.Sex.Valid() {
		fmt.Fprintf(&b, ", %s/%s", c.Sex.Indonesian(), c.Sex.English())
	}
	fmt.Fprintf(&b, " [%s, %s (%s)]", v.Profile, v.IssuerName, v.IssuerID)
	for _, w := range v.Warnings {
		if r, ok := verify.ParseReason(w); ok {
			fmt.Fprintf(&b, "\n  PERINGATAN / WARNING: %s / %s (%s)", r.Indonesian(), r.English(), w)
		}
	}
	return b.String()
}

// ScannerConfig is what differs between the airline and the KAI scanner.
type ScannerConfig struct {
	// Name is the program name, for usage messages.
	Name string
	// Flags registers the program's own flags on fs and returns the
	// function that builds its policy once the flags are parsed.
	Flags func(fs *flag.FlagSet) func() (verify.Policy, error)
}

// imageExts are the file types a watched directory is scanned for.
var imageExts = []string{".png", ".jpg", ".jpeg"}

// RunScanner is the whole of a scanner program: it parses args, loads the
// trust list, root key and status lists, and verifies codes from an image
// (-image), a watched directory (-watch) or standard input (one code per
// line), printing one verdict per code. It returns nil when every code was
// accepted, ErrRejected when one was not, and a *UsageError for a bad
// command line or configuration.
func RunScanner(cfg ScannerConfig, env Env, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet(cfg.Name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	var files VerifierFiles
	var status ListFlag
	var now TimeFlag
	fs.StringVar(&files.Trust, "trust", "", "signed trust list (trust.jws)")
	fs.StringVar(&files.Root, "root", "", "pinned root public key (root.jwk)")
	fs.Var(&status, "status", "signed status list (status.cbor); repeat for several issuers")
	image := fs.String("image", "", "verify the QR code in this PNG or JPEG file")
	watch := fs.String("watch", "", "verify each new image file that appears in this directory")
	once := fs.Bool("watch-once", false, "with -watch: process the files present now, then exit")
	maxN := fs.Int("max", 0, "with -watch: exit after this many files (0: no limit)")
	interval := fs.Duration("interval", time.Second, "with -watch: how often to look for new files")
	asJSON := fs.Bool("json", false, "print one JSON result per code")
	fs.Var(&now, "now", "verify as of this RFC 3339 time instead of the clock")
	policyOf := cfg.Flags(fs)
	if err := fs.Parse(args); err != nil {
		return &UsageError{Err: err}
	}
	if fs.NArg() > 0 {
		return Usagef("unexpected arguments: %v", fs.Args())
	}
	if *image != "" && *watch != "" {
		return Usagef("use -image or -watch, not both")
	}
	if *interval <= 0 {
		return Usagef("-interval must be positive")
	}
	files.Status = status
	clock := env.Clock()
	if !now.T.IsZero() {
		clock = func() time.Time { return now.T }
	}
	policy, err := policyOf()
	if err != nil {
		return &UsageError{Err: err}
	}
	v, err := LoadVerifier(files, policy, clock)
	if err != nil {
		return err
	}

	rejected, total := 0, 0
	report := func(vd Verdict) error {
		total++
		if !vd.Accepted {
			rejected++
		}
		if *asJSON {
			b, err := json.Marshal(vd)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(stdout, "%s\n", b)
			return err
		}
		_, err := fmt.Fprintln(stdout, vd.Line())
		return err
	}
	scanFile := func(path string) Verdict {
		text, err := qr.ScanFile(path)
		var vd Verdict
		if err != nil {
			vd = NewVerdict(nil, &verify.Error{Reason: verify.ReasonNoCode, Err: err})
		} else {
			vd = NewVerdict(v.VerifyText(text))
		}
		vd.Source = filepath.Base(path)
		return vd
	}

	switch {
	case *image != "":
		if _, err := os.Stat(*image); err != nil {
			return &UsageError{Err: err}
		}
		if err := report(scanFile(*image)); err != nil {
			return err
		}
	case *watch != "":
		if st, err := os.Stat(*watch); err != nil || !st.IsDir() {
			return Usagef("-watch %s: not a directory", *watch)
		}
		seen := map[string]bool{}
		n := 0
		for {
			entries, err := os.ReadDir(*watch)
			if err != nil {
				return err
			}
			for _, e := range entries { // ReadDir sorts by name
				name := e.Name()
				if seen[name] || !e.Type().IsRegular() || strings.HasPrefix(name, ".") ||
					!slices.Contains(imageExts, strings.ToLower(filepath.Ext(name))) {
					continue
				}
				seen[name] = true
				if err := report(scanFile(filepath.Join(*watch, name))); err != nil {
					return err
				}
				n++
				if *maxN > 0 && n >= *maxN {
					return rejectedErr(rejected)
				}
			}
			if *once {
				break
			}
			env.Wait(*interval)
		}
	default:
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" {
				continue
			}
			if err := report(NewVerdict(v.VerifyText(line))); err != nil {
				return err
			}
		}
		if err := sc.Err(); err != nil {
			return err
		}
	}
	if total == 0 {
		return errors.New("no code scanned")
	}
	return rejectedErr(rejected)
}

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
