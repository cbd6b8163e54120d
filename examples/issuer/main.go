// Command issuer is an example issuing office (Dukcapil or a regional
// Disdukcapil): it makes keys, signs the trust list, issues KTP credentials
// one at a time or in batches of hundreds of thousands, keeps what it
// issued in an SQLite database, revokes, suspends and reinstates by NIK,
// device or index, and publishes status lists.
//
// Usage:
//
//	issuer keygen    -alg ES256|EdDSA -key root.key -pub root.jwk [-force]
//	issuer trustlist -root-key root.key -issuer 'ID,PUBFILE,NAME' ... [-seq 1] [-next-update 720h] -out trust.jws [-jwks issuers.jwks] [-force]
//	issuer init      -db issuer.db -issuer-id 3273 [-list-size 1048576]
//	issuer migrate   -state state.json -db issuer.db [-list-size 1048576]
//	issuer issue     -db issuer.db [-issuer-id 3273] -key issuer.key -person budi.json -device device.jwk -out DIR [-profiles full,travel,kai,age] [-valid 8760h] [-trust trust.jws -root root.jwk]
//	issuer batch     -db issuer.db [-issuer-id 3273] -key issuer.key -in rows.jsonl|rows.csv|- [-format jsonl|csv] -out issued.jsonl [-skip-invalid] [-abandon NAME] [-workers N] [-progress auto|bar|lines|off] [-trust trust.jws -root root.jwk]
//	issuer revoke    -db issuer.db (-nik NIK | -device-kid HEX | -device-key FILE | -index N [-list L] | -credential FILE) [-dry-run | -yes] [-reason TEXT]
//	issuer suspend   (the flags of revoke)
//	issuer reinstate (the flags of revoke)
//	issuer family    -db issuer.db [-issuer-id 3273] -key issuer.key -device device.jwk (-kk kk.json | -akta akta.json) -out DIR (family.go)
//	issuer publish   -db issuer.db -key issuer.key -trust trust.jws -root root.jwk (-out status.cbor [-list L] | -out-dir DIR) [-ttl 24h] [-valid 720h]
//	issuer info      -db issuer.db
//	issuer export    -in issued.jsonl -out DIR [-nik NIK] [-force]   (export.go: a batch's credentials as wallet files)
//
// Nothing is overwritten or reused by accident: keygen refuses to replace a
// key file and trustlist a newer trust list without -force; an index is
// handed out in the database transaction that records it, so no index is
// ever given twice, even when the program is killed; a batch killed at any
// point resumes where it stopped when run again with the same input;
// publish signs only with a key that the trust list gives to this issuer,
// and only a list dated after the last one; revocations show what they
// change before changing it. Private keys are written with
// keys.SavePrivateKey (mode 0600, atomically), every other file atomically
// too. docs/issuing.md describes the database, the batch formats and a
// national deployment.
package main

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/keys"
)

func main() {
	os.Exit(exampleutil.ExitCode(run(os.Args[1:], os.Stdout), os.Stderr))
}

func run(args []string, stdout io.Writer) error {
	return runEnv(env{
		Env: exampleutil.Env{}, stdin: os.Stdin, stderr: os.Stderr,
		stderrTerminal: term.IsTerminal(int(os.Stderr.Fd())), stdinTerminal: term.IsTerminal(int(os.Stdin.Fd())),
	}, args, stdout)
}

// env is the issuer's outside world: the clock, standard input (batch
// input and confirmations), standard error (progress) and whether those
// are terminals.
type env struct {
	exampleutil.Env
	stdin                         io.Reader
	stderr                        io.Writer
	stderrTerminal, stdinTerminal bool
}

// command is one subcommand.
type command func(env env, args []string, stdout io.Writer) error

const usage = `usage: issuer keygen|trustlist|init|migrate|issue|batch|family|revoke|suspend|reinstate|publish|info|export [flags]; issuer CMD -h for the flags`

func runEnv(e env, args []string, stdout io.Writer) error {
	if e.stdin == nil {
		e.stdin = strings.NewReader("")
	}
	if e.stderr == nil {
		e.stderr = io.Discard
	}
	cmds := map[string]command{
		"keygen": keygen, "trustlist": trustlist, "init": initDB, "migrate": migrate,
		"issue": issue, "batch": batch, "family": family, "publish": publish, "info": info, "export": export,
		"revoke": changeStatus("revoke"), "suspend": changeStatus("suspend"), "reinstate": changeStatus("reinstate"),
	}
	if len(args) == 0 {
		return exampleutil.Usagef("%s", usage)
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		return exampleutil.Usagef("unknown command %q; %s", args[0], usage)
	}
	return cmd(e, args[1:], stdout)
}

// parse parses flags and reports missing required ones as usage errors.
func parse(fs *flag.FlagSet, args []string, required ...string) error {
	if err := fs.Parse(args); err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	if fs.NArg() > 0 {
		return exampleutil.Usagef("%s: unexpected arguments: %v", fs.Name(), fs.Args())
	}
	for _, name := range required {
		if fs.Lookup(name).Value.String() == "" {
			return exampleutil.Usagef("%s: -%s is required", fs.Name(), name)
		}
	}
	return nil
}

// refuseOverwrite returns a usage error if any of paths exists: keys and
// lists are never replaced without -force.
func refuseOverwrite(cmd string, paths ...string) error {
	for _, p := range paths {
		if _, err := os.Lstat(p); err == nil {
			return exampleutil.Usagef("%s: %s exists; it is not replaced without -force", cmd, p)
		} else if !errors.Is(err, os.ErrNotExist) {
			return &exampleutil.UsageError{Err: err}
		}
	}
	return nil
}

// keyPaths checks, before keygen writes anything, that the private and
// public key go to two files (one would overwrite the other: the private
// key lost), in folders that exist, neither of them a folder.
func keyPaths(keyPath, pubPath string) error {
	a, errA := filepath.Abs(keyPath)
	b, errB := filepath.Abs(pubPath)
	if errA != nil || errB != nil || a == b {
		return exampleutil.Usagef("keygen: -key and -pub must be two files")
	}
	stA, errA := os.Stat(keyPath)
	stB, errB := os.Stat(pubPath)
	if errA == nil && errB == nil && os.SameFile(stA, stB) {
		return exampleutil.Usagef("keygen: -key %s and -pub %s are one file", keyPath, pubPath)
	}
	for _, p := range []string{keyPath, pubPath} {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return exampleutil.Usagef("keygen: %s is a folder; give a file name", p)
		}
		if st, err := os.Stat(filepath.Dir(p)); err != nil || !st.IsDir() {
			return exampleutil.Usagef("keygen: the folder of %s does not exist; make it first", p)
		}
	}
	return nil
}

func keygen(_ env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	fs.SetOutput(stdout)
	algName := fs.String("alg", "ES256", "ES256 or EdDSA")
	keyPath := fs.String("key", "", "private key file to write (PEM; .jwk for a JWK), mode 0600")
	pubPath := fs.String("pub", "", "public key file to write (.jwk for a JWK, else PEM)")
	force := fs.Bool("force", false, "replace existing key files (the old key is lost)")
	if err := parse(fs, args, "key", "pub"); err != nil {
		return err
	}
	var alg keys.Algorithm
	switch *algName {
	case "ES256":
		alg = keys.ES256
	case "EdDSA":
		alg = keys.EdDSA
	default:
		return exampleutil.Usagef("keygen: -alg must be ES256 or EdDSA, not %q", *algName)
	}
	if err := keyPaths(*keyPath, *pubPath); err != nil {
		return err
	}
	if !*force {
		if err := refuseOverwrite("keygen", *keyPath, *pubPath); err != nil {
			return err
		}
	}
	key, err := keys.GenerateKey(alg, rand.Reader)
	if err != nil {
		return err
	}
	if err := keys.SavePrivateKey(*keyPath, key); err != nil {
		return err
	}
	if err := keys.SavePublicKey(*pubPath, key.Public()); err != nil {
		return err
	}
	kid, err := keys.KeyID(key.Public())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s key written: %s (private, 0600), %s (public); COSE kid %x\n", alg, *keyPath, *pubPath, kid)
	return nil
}

func trustlist(env env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("trustlist", flag.ContinueOnError)
	fs.SetOutput(stdout)
	rootPath := fs.String("root-key", "", "the root's private key")
	var specs exampleutil.ListFlag
	fs.Var(&specs, "issuer", "an issuer as 'ID,PUBLIC-KEY-FILE,NAME'; repeat for each issuer key")
	seq := fs.Uint64("seq", 1, "sequence number, higher than every list signed before")
	next := fs.Duration("next-update", 30*24*time.Hour, "time until the next list")
	keyBefore := fs.Duration("key-not-before", time.Hour, "issuer keys are valid from this long ago")
	keyFor := fs.Duration("key-valid", 5*365*24*time.Hour, "issuer keys are valid for this long from now")
	outPath := fs.String("out", "", "the trust list to write (compact JWS)")
	jwksPath := fs.String("jwks", "", "also write the issuer keys as a JWK set")
	force := fs.Bool("force", false, "replace -out even if it holds a list of the same or a higher sequence number")
	if err := parse(fs, args, "root-key", "out"); err != nil {
		return err
	}
	if len(specs) == 0 {
		return exampleutil.Usagef("trustlist: at least one -issuer is required")
	}
	root, err := keys.LoadPrivateKey(*rootPath)
	if err != nil {
		return exampleutil.Usagef("trustlist: root key: %v", err)
	}
	now := env.Clock()().Truncate(time.Second)
	if err := checkTrustSequence(*outPath, root.Public(), *seq, now, *force); err != nil {
		return err
	}
	rootKID, err := keys.KeyID(root.Public())
	if err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	var issuers []keys.TrustedIssuer
	var all []keys.IssuerKey
	keyOf := map[string]string{} // kid -> issuer id
	for _, spec := range specs {
		parts := strings.SplitN(spec, ",", 3)
		if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
			return exampleutil.Usagef("trustlist: -issuer %q is not 'ID,PUBLIC-KEY-FILE,NAME'", spec)
		}
		pub, err := keys.LoadPublicKey(parts[1])
		if err != nil {
			return exampleutil.Usagef("trustlist: issuer %s: %v", parts[0], err)
		}
		// The root key only signs trust lists; an issuer key is one
		// office's: a key listed twice would let one office sign as the
		// other, or the root sign credentials.
		kid, err := keys.KeyID(pub)
		if err != nil {
			return exampleutil.Usagef("trustlist: issuer %s: %v", parts[0], err)
		}
		if bytes.Equal(kid, rootKID) {
			return exampleutil.Usagef("trustlist: issuer %s: %s is the root's public key; an issuer signs with a key of its own", parts[0], parts[1])
		}
		if other, dup := keyOf[string(kid)]; dup {
			return exampleutil.Usagef("trustlist: issuer %s: the key in %s is already given to issuer %s; each key belongs to one issuer, once", parts[0], parts[1], other)
		}
		keyOf[string(kid)] = parts[0]
		k := keys.IssuerKey{IssuerID: parts[0], IssuerName: parts[2], PublicKey: pub,
			NotBefore: now.Add(-*keyBefore), NotAfter: now.Add(*keyFor)}
		all = append(all, k)
		i := slices.IndexFunc(issuers, func(is keys.TrustedIssuer) bool { return is.ID == parts[0] })
		if i < 0 {
			issuers = append(issuers, keys.TrustedIssuer{ID: parts[0], Name: parts[2]})
			i = len(issuers) - 1
		}
		issuers[i].Keys = append(issuers[i].Keys, k)
	}
	jws, err := keys.SignTrustList(root, &keys.TrustListContent{
		Sequence: *seq, IssuedAt: now, NextUpdate: now.Add(*next), Issuers: issuers,
	})
	if err != nil {
		return err
	}
	if err := exampleutil.WriteFile(*outPath, jws, 0o644); err != nil {
		return err
	}
	if *jwksPath != "" {
		jwks, err := keys.MarshalJWKSet(all...)
		if err != nil {
			return err
		}
		if err := exampleutil.WriteFile(*jwksPath, append(jwks, '\n'), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "trust list %d with %d issuer(s) written to %s (%d bytes), next update %s\n",
		*seq, len(issuers), *outPath, len(jws), now.Add(*next).Format(time.RFC3339))
	return nil
}

// checkTrustSequence refuses to replace the trust list at path unless the
// new sequence number seq is above the one it holds: scanners refuse a
// list whose number is not above the last, so re-signing a number would
// leave some scanners on the old list and some on the new one. A file that
// does not verify against the root is not replaced either, since its
// number cannot be known. force skips the check.
func checkTrustSequence(path string, root crypto.PublicKey, seq uint64, now time.Time, force bool) error {
	old, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) || force {
		return nil
	}
	if err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	l, err := keys.ParseTrustList(old, root, keys.WithClock(func() time.Time { return now }), keys.WithGrace(100*365*24*time.Hour))
	if err != nil {
		return exampleutil.Usagef("trustlist: %s exists and does not verify against this root (%v); it is not replaced without -force", path, err)
	}
	if seq <= l.Sequence() {
		return exampleutil.Usagef("trustlist: %s holds list %d; -seq %d must be above it", path, l.Sequence(), seq)
	}
	return nil
}
