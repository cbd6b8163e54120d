// Command wallet is an example IKD wallet: it keeps a device key and the
// credentials issued to it in a folder, and shows them as rotating QR codes.
//
// Usage:
//
//	wallet init   -dir W                      # make the device key; prints its public JWK for the issuer
//	wallet import -dir W FILE...              # copy credential files in (each must be bound to the device key)
//	wallet show   -dir W [-refresh 30s] [-count N] [SELECT]   # rotating QR in the terminal
//	wallet png    -dir W -out code.png [-text code.txt] [SELECT]
//	wallet share  -dir W -for 5m|1h -out PREFIX [-link URL] [SELECT]  # share code: PREFIX.txt, PREFIX.png (and PREFIX.link)
//
// With -link https://verify.example.id/S/ share also writes PREFIX.link,
// the share link ("tautan sementara") on that verifier page: the address,
// "#", and the code's text. Send it by chat; it dies with the code.
//
// SELECT chooses what is shown: -for-airline or -for-kai (the claims and
// audience those scanners need), -for-school -subject NIK [-document
// akta_kelahiran] (the child's kk-school entry, or its Akta, for a school
// enrolment), -audience X, -claims name,nik,... (the
// smallest credential that carries them) or -profile full|travel|kai|age;
// for the family documents -document kk|akta_kelahiran, -profile
// kk-full|kk-members|kk-school|akta-full|akta-school and -subject NIK (the
// child a kk-school or akta code is about).
//
// The device key is device.key (PEM, mode 0600) with device.jwk beside it;
// credentials are credential-PROFILE.cbor (a kk-school or Akta credential,
// one per child, credential-PROFILE-NIK.cbor with the child's NIK); import
// says when it replaces a credential held before. share and png create
// the folder of -out. A real wallet keeps the device
// key in Android Keystore or the iOS Secure Enclave.
package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

func main() {
	os.Exit(exampleutil.ExitCode(run(os.Args[1:], os.Stdout), os.Stderr))
}

func run(args []string, stdout io.Writer) error {
	return runEnv(exampleutil.Env{}, args, stdout)
}

const usage = `usage: wallet init|import|show|png|share -dir W [flags]; wallet CMD -h for the flags`

// runEnv is run with an injected clock and sleep, so that tests of show
// never sleep.
func runEnv(env exampleutil.Env, args []string, stdout io.Writer) error {
	return exampleutil.Dispatch(map[string]exampleutil.Command{
		"init": initCmd, "import": importCmd, "show": show, "png": pngCmd, "share": share,
	}, usage, env, args, stdout)
}

const (
	deviceKeyFile = "device.key"
	devicePubFile = "device.jwk"
)

func parse(fs *flag.FlagSet, args []string, dir *string, allowArgs bool) error {
	if err := fs.Parse(args); err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	if *dir == "" {
		return exampleutil.Usagef("%s: -dir is required", fs.Name())
	}
	if !allowArgs && fs.NArg() > 0 {
		return exampleutil.Usagef("%s: unexpected arguments: %v", fs.Name(), fs.Args())
	}
	return nil
}

func initCmd(_ exampleutil.Env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.SetOutput(stdout)
	dir := fs.String("dir", "", "the wallet folder")
	if err := parse(fs, args, dir, false); err != nil {
		return err
	}
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		return err
	}
	keyPath := filepath.Join(*dir, deviceKeyFile)
	if _, err := os.Stat(keyPath); err == nil {
		return exampleutil.Usagef("init: %s exists; the wallet already has a device key", keyPath)
	}
	key, err := keys.GenerateKey(keys.ES256, rand.Reader) // phone secure hardware holds P-256 only
	if err != nil {
		return err
	}
	if err := keys.SavePrivateKey(keyPath, key); err != nil {
		return err
	}
	pubPath := filepath.Join(*dir, devicePubFile)
	if err := keys.SavePublicKey(pubPath, key.Public()); err != nil {
		return err
	}
	jwk, err := os.ReadFile(pubPath) // the JWK to hand to the issuer
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s", jwk)
	return nil
}

func loadDevice(dir string) (*ecdsa.PrivateKey, error) {
	k, err := keys.LoadPrivateKey(filepath.Join(dir, deviceKeyFile))
	if err != nil {
		return nil, exampleutil.Usagef("no device key in %s (run wallet init): %v", dir, err)
	}
	dev, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		return nil, exampleutil.Usagef("the device key in %s is not a P-256 key", dir)
	}
	return dev, nil
}

func importCmd(_ exampleutil.Env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stdout)
	dir := fs.String("dir", "", "the wallet folder")
	if err := parse(fs, args, dir, true); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return exampleutil.Usagef("import: name the credential files to import")
	}
	dev, err := loadDevice(*dir)
	if err != nil {
		return err
	}
	for _, path := range fs.Args() {
		data, err := os.ReadFile(path)
		if err != nil {
			return &exampleutil.UsageError{Err: err}
		}
		// NewWallet checks that the credential parses and is bound to
		// this device's key.
		if _, err := qr.NewWallet(dev, [][]byte{data}); err != nil {
			if errors.Is(err, qr.ErrDevice) {
				return &exampleutil.UsageError{Err: fmt.Errorf("import %s: this credential was issued to another phone's device key: %w", path, err)}
			}
			return fmt.Errorf("import %s: %w", path, err)
		}
		signed, err := credential.Parse(data)
		if err != nil {
			return err
		}
		c := signed.UnverifiedCredential()
		dst := filepath.Join(*dir, fileName(c))
		if old, err := os.ReadFile(dst); err == nil {
			if bytes.Equal(old, data) {
				fmt.Fprintf(stdout, "%s: already imported\n", filepath.Base(dst))
				continue
			}
			// A newer credential of the same profile and person (a
			// renewal) replaces the old one, and says so.
			fmt.Fprintf(stdout, "%s: replacing the credential held before\n", filepath.Base(dst))
		}
		if err := exampleutil.WriteFile(dst, data, 0o600); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "imported %s credential of %s (issuer %s, expires %s)\n",
			c.Profile, nameOf(c), c.Issuer, c.Expiry.Format("2006-01-02"))
	}
	return nil
}

// fileName names the file of credential c: credential-PROFILE.cbor, with
// the child's NIK for the per-child credentials (kk-school, and an Akta,
// one per child), so that a second child's never overwrites the first's.
func fileName(c *credential.Credential) string {
	name := "credential-" + c.Profile.String()
	switch {
	case c.Profile == credential.ProfileKKSchool && c.KK != nil && len(c.KK.Members) > 0:
		name += "-" + string(c.KK.Members[0].NIK)
	case c.BirthCertificate != nil && c.BirthCertificate.ChildNIK != "":
		name += "-" + string(c.BirthCertificate.ChildNIK)
	}
	return name + ".cbor"
}

func nameOf(c *credential.Credential) string {
	switch {
	case c.Claims.Name != "":
		return c.Claims.Name
	case c.KK != nil && c.Profile == credential.ProfileKKSchool && len(c.KK.Members) > 0:
		return "the family card of " + c.KK.Head + ", for " + c.KK.Members[0].Name
	case c.KK != nil:
		return "the family card of " + c.KK.Head
	case c.BirthCertificate != nil:
		return "the birth certificate of " + c.BirthCertificate.ChildName
	}
	return "(no name in this profile)"
}

// openWallet loads the device key and every credential in dir.
func openWallet(env exampleutil.Env, dir string) (*qr.Wallet, error) {
	dev, err := loadDevice(dir)
	if err != nil {
		return nil, err
	}
	paths, err := filepath.Glob(filepath.Join(dir, "credential-*.cbor"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, exampleutil.Usagef("no credentials in %s (run wallet import)", dir)
	}
	var creds [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		creds = append(creds, data)
	}
	return qr.NewWallet(dev, creds, qr.WithClock(env.Clock()))
}

// selection is what the SELECT flags ask the wallet to show.
type selection struct {
	forAirline, forKAI bool
	forSchool          bool
	audience, claims   string
	profile            string
	document, subject  string
}

func (s *selection) register(fs *flag.FlagSet) {
	fs.BoolVar(&s.forAirline, "for-airline", false, "show what an airline check-in needs, for audience "+verify.AudienceAirline)
	fs.BoolVar(&s.forKAI, "for-kai", false, "show what a KAI gate needs, for audience "+verify.AudienceKAI)
	fs.BoolVar(&s.forSchool, "for-school", false, "show what a school enrolment needs of -document kk (default) or akta_kelahiran, for the child -subject")
	fs.StringVar(&s.audience, "audience", "", "name the verifier or purpose")
	fs.StringVar(&s.claims, "claims", "", "claims to disclose, comma separated (name,nik,birth_date,...)")
	fs.StringVar(&s.profile, "profile", "", "show this profile: full, travel, kai or age; kk-full, kk-members, kk-school; akta-full, akta-school")
	fs.StringVar(&s.document, "document", "", "show this document: ktp (default), kk or akta_kelahiran")
	fs.StringVar(&s.subject, "subject", "", "the NIK of the person the code is about (the child, for kk-school and akta)")
}

// request turns the selection into a wallet request.
func (s *selection) request() (qr.Request, error) {
	var req qr.Request
	if btoi(s.forAirline)+btoi(s.forKAI)+btoi(s.forSchool) > 1 {
		return req, exampleutil.Usagef("-for-airline, -for-kai and -for-school exclude each other")
	}
	if s.forAirline {
		req = qr.Request{Claims: verify.AirlineCheckIn().RequiredClaims, Audience: verify.AudienceAirline}
	}
	if s.forKAI {
		req = qr.Request{Claims: verify.KAIGate(verify.Ticket{}).RequiredClaims, Audience: verify.AudienceKAI}
	}
	if s.audience != "" {
		req.Audience = s.audience
	}
	if s.claims != "" {
		req.Claims = nil
		for _, name := range strings.Split(s.claims, ",") {
			c, ok := credential.ParseClaim(strings.TrimSpace(name))
			if !ok {
				return req, exampleutil.Usagef("unknown claim %q", name)
			}
			req.Claims = append(req.Claims, c)
		}
	}
	if s.profile != "" {
		var ok bool
		if req.Profile, ok = credential.ParseProfile(s.profile); !ok {
			return req, exampleutil.Usagef("unknown profile %q", s.profile)
		}
		req.Claims = nil // the profile named wins over -claims and -for-*'s claims; their audience stays
	}
	if s.document != "" {
		for d := credential.DocumentKTP; d.String() != fmt.Sprintf("Document(%d)", d); d++ {
			if d.String() == s.document {
				req.Document = d
			}
		}
		if req.Document == 0 {
			return req, exampleutil.Usagef("unknown document %q (ktp, kk or akta_kelahiran)", s.document)
		}
	} else if len(req.Claims) > 0 && req.Profile == 0 {
		req.Document = req.Claims[0].Document() // -claims member_name,... asks for a KK
	}
	if s.forSchool {
		if s.subject == "" {
			return req, exampleutil.Usagef("-for-school needs -subject, the NIK of the child enrolled")
		}
		if req.Document == 0 {
			req.Document = credential.DocumentKK
		}
		req.Claims, req.Profile = nil, 0
		for _, c := range verify.SchoolEnrolment().RequiredClaims {
			if c.Document() == req.Document {
				req.Claims = append(req.Claims, c)
			}
		}
		if len(req.Claims) == 0 {
			return req, exampleutil.Usagef("-for-school shows a kk or akta_kelahiran, not a %v", req.Document)
		}
	}
	req.Subject = credential.NIK(s.subject)
	return req, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// presentPNG makes a code and its PNG, which reads back to the code's text.
func presentPNG(w *qr.Wallet, req qr.Request) (*qr.Code, []byte, error) {
	code, img, err := w.PresentImage(req)
	if err != nil {
		return nil, nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, nil, err
	}
	return code, buf.Bytes(), nil
}

func show(env exampleutil.Env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	fs.SetOutput(stdout)
	dir := fs.String("dir", "", "the wallet folder")
	refresh := fs.Duration("refresh", 30*time.Second, "show a new code this often (at most the code lifetime)")
	count := fs.Int("count", 0, "stop after this many codes (0: until interrupted)")
	var sel selection
	sel.register(fs)
	if err := parse(fs, args, dir, false); err != nil {
		return err
	}
	if *refresh < time.Second || *refresh > qr.DefaultLifetime {
		return exampleutil.Usagef("show: -refresh must be between 1s and %s", qr.DefaultLifetime)
	}
	if *count < 0 {
		return exampleutil.Usagef("show: -count must not be negative")
	}
	req, err := sel.request()
	if err != nil {
		return err
	}
	w, err := openWallet(env, *dir)
	if err != nil {
		return err
	}
	now := env.Clock()
	for n := 1; *count == 0 || n <= *count; n++ {
		code, err := w.Present(req)
		if err != nil {
			return err
		}
		art, err := qr.RenderTerminal(code.Text)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nKode %d / Code %d: profil/profile %s, berlaku hingga / valid until %s\n%s",
			n, n, code.Profile, code.Expires.Format("15:04:05"), art)
		next := now().Add(*refresh)
		for left := next.Sub(now()); left > 0; left = next.Sub(now()) {
			fmt.Fprintf(stdout, "\rkode baru dalam / new code in %2d s ", int(left.Round(time.Second)/time.Second))
			env.Wait(min(time.Second, left))
		}
		fmt.Fprintln(stdout)
	}
	return nil
}

func pngCmd(env exampleutil.Env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("png", flag.ContinueOnError)
	fs.SetOutput(stdout)
	dir := fs.String("dir", "", "the wallet folder")
	out := fs.String("out", "", "the PNG file to write")
	text := fs.String("text", "", "also write the QR text to this file (no trailing newline)")
	var sel selection
	sel.register(fs)
	if err := parse(fs, args, dir, false); err != nil {
		return err
	}
	if *out == "" {
		return exampleutil.Usagef("png: -out is required")
	}
	req, err := sel.request()
	if err != nil {
		return err
	}
	return writeCode(env, *dir, req, *out, *text, stdout)
}

func writeCode(env exampleutil.Env, dir string, req qr.Request, pngPath, textPath string, stdout io.Writer) error {
	return writeShare(env, dir, req, pngPath, textPath, "", "", stdout)
}

// writeShare is writeCode that also writes the code's share link on the
// verifier page at linkBase to linkPath, when linkBase is set. The link is
// made before any file is written, so a bad base writes nothing.
func writeShare(env exampleutil.Env, dir string, req qr.Request, pngPath, textPath, linkBase, linkPath string, stdout io.Writer) error {
	w, err := openWallet(env, dir)
	if err != nil {
		return err
	}
	for _, p := range []string{pngPath, textPath} {
		if p == "" {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return &exampleutil.UsageError{Err: fmt.Errorf("output folder: %w", err)}
		}
	}
	code, img, err := presentPNG(w, req)
	if err != nil {
		if errors.Is(err, qr.ErrNoProfile) {
			return &exampleutil.UsageError{Err: err}
		}
		return err
	}
	var link string
	if linkBase != "" {
		if link, err = code.ShareLink(linkBase); err != nil {
			return &exampleutil.UsageError{Err: fmt.Errorf("-link: %w", err)}
		}
	}
	if err := exampleutil.WriteFile(pngPath, img, 0o644); err != nil {
		return err
	}
	if textPath != "" {
		if err := exampleutil.WriteFile(textPath, []byte(code.Text), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "%s: %s code, %d characters, valid until %s\n",
		pngPath, code.Profile, len(code.Text), code.Expires.Format(time.RFC3339))
	if link != "" {
		if err := exampleutil.WriteFile(linkPath, []byte(link+"\n"), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: share link, valid until %s\n%s\n", linkPath, code.Expires.Format(time.RFC3339), link)
	}
	return nil
}

func share(env exampleutil.Env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("share", flag.ContinueOnError)
	fs.SetOutput(stdout)
	dir := fs.String("dir", "", "the wallet folder")
	forDur := fs.Duration("for", 0, "how long the share code is valid: 5m or 1h")
	out := fs.String("out", "", "write PREFIX.txt and PREFIX.png")
	link := fs.String("link", "", "also write PREFIX.link, the share link on the verifier page at this https address")
	var sel selection
	sel.register(fs)
	if err := parse(fs, args, dir, false); err != nil {
		return err
	}
	if *forDur != qr.ShareFiveMinutes && *forDur != qr.ShareOneHour {
		return exampleutil.Usagef("share: -for must be 5m or 1h")
	}
	if *out == "" {
		return exampleutil.Usagef("share: -out is required")
	}
	req, err := sel.request()
	if err != nil {
		return err
	}
	req.Lifetime = *forDur
	return writeShare(env, *dir, req, *out+".png", *out+".txt", *link, *out+".link", stdout)
}
