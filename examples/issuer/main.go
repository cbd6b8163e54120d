// Command issuer is an example issuing office (Dukcapil or a regional
// Disdukcapil): it makes keys, signs the trust list, issues KTP credentials
// from JSON person records, and revokes, suspends and publishes status.
//
// Usage:
//
//	issuer keygen    -alg ES256|EdDSA -key root.key -pub root.jwk
//	issuer trustlist -root-key root.key -issuer 'ID,PUBFILE,NAME' ... [-seq 1] [-next-update 720h] -out trust.jws [-jwks issuers.jwks]
//	issuer issue     -key issuer.key -issuer-id 3171 -state state.json -person budi.json -device device.jwk -out DIR [-profiles full,travel,kai,age] [-valid 8760h]
//	issuer revoke    -state state.json (-index N | -credential FILE) [-suspend | -reinstate]
//	issuer family    -key issuer.key -issuer-id 3171 -state state.json -device device.jwk (-kk kk.json | -akta akta.json) -out DIR (family.go)
//	issuer publish   -key issuer.key -state state.json -out status.cbor [-ttl 24h] [-valid 720h]
//
// Private keys are written with keys.SavePrivateKey (mode 0600, atomically);
// every other file atomically too. The state file keeps the issuer's status
// list and the indices it has handed out, so that an index is never given
// twice and revocations survive a restart.
package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
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
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/keys"
)

func main() {
	os.Exit(exampleutil.ExitCode(run(os.Args[1:], os.Stdout), os.Stderr))
}

func run(args []string, stdout io.Writer) error {
	return runEnv(exampleutil.Env{}, args, stdout)
}

const usage = `usage: issuer keygen|trustlist|issue|family|revoke|publish [flags]; issuer CMD -h for the flags`

func runEnv(env exampleutil.Env, args []string, stdout io.Writer) error {
	return exampleutil.Dispatch(map[string]exampleutil.Command{
		"keygen": keygen, "trustlist": trustlist, "issue": issue, "revoke": revoke, "publish": publish,
		"family": family, // family.go: a KK or an Akta for a holder's device (issue 15)
	}, usage, env, args, stdout)
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

func keygen(_ exampleutil.Env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	fs.SetOutput(stdout)
	algName := fs.String("alg", "ES256", "ES256 or EdDSA")
	keyPath := fs.String("key", "", "private key file to write (PEM; .jwk for a JWK), mode 0600")
	pubPath := fs.String("pub", "", "public key file to write (.jwk for a JWK, else PEM)")
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

func trustlist(env exampleutil.Env, args []string, stdout io.Writer) error {
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
	var issuers []keys.TrustedIssuer
	var all []keys.IssuerKey
	for _, spec := range specs {
		parts := strings.SplitN(spec, ",", 3)
		if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
			return exampleutil.Usagef("trustlist: -issuer %q is not 'ID,PUBLIC-KEY-FILE,NAME'", spec)
		}
		pub, err := keys.LoadPublicKey(parts[1])
		if err != nil {
			return exampleutil.Usagef("trustlist: issuer %s: %v", parts[0], err)
		}
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

// state is the issuer's state file: its status list and the indices it has
// handed out.
type state struct {
	IssuerID string  `json:"issuer_id"`
	ListID   uint32  `json:"list_id"`
	Size     int     `json:"size"`
	Bits     int     `json:"bits"`
	Entries  []entry `json:"entries"`
}

// entry is one allocated index.
type entry struct {
	Index    uint32    `json:"index"`
	Status   string    `json:"status"`
	NIK      string    `json:"nik"`
	Device   string    `json:"device"` // the device key's COSE kid (keys.KeyID), in hex
	IssuedAt time.Time `json:"issued_at"`
}

func loadState(path string) (*state, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s state
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("state %s: %v", path, err)
	}
	return &s, nil
}

func (s *state) save(path string) error {
	slices.SortFunc(s.Entries, func(a, b entry) int { return int(a.Index) - int(b.Index) })
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return exampleutil.WriteFile(path, append(data, '\n'), 0o600)
}

// statusBits is the number of bits per status list entry ikd uses: valid,
// revoked, suspended.
const statusBits = 2

var statusNames = map[string]status.Status{
	status.StatusValid.String(): status.StatusValid, status.StatusRevoked.String(): status.StatusRevoked,
	status.StatusSuspended.String(): status.StatusSuspended,
}

// list rebuilds the status list from the state.
func (s *state) list() (*status.List, error) {
	if s.Bits != statusBits {
		return nil, fmt.Errorf("state: %d bits per entry, this issuer writes %d", s.Bits, statusBits)
	}
	l, err := status.NewList(s.Size)
	if err != nil {
		return nil, err
	}
	for _, e := range s.Entries {
		st, ok := statusNames[e.Status]
		if !ok {
			return nil, fmt.Errorf("state: index %d: unknown status %q", e.Index, e.Status)
		}
		if err := l.Set(e.Index, st); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// allocate draws a fresh random index that no entry holds.
func (s *state) allocate() (uint32, error) {
	a, err := status.NewAllocator(s.Size, rand.Reader)
	if err != nil {
		return 0, err
	}
	for _, e := range s.Entries {
		if err := a.Reserve(e.Index); err != nil {
			return 0, err
		}
	}
	return a.Allocate()
}

func issue(env exampleutil.Env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("issue", flag.ContinueOnError)
	fs.SetOutput(stdout)
	keyPath := fs.String("key", "", "the issuer's private key")
	issuerID := fs.String("issuer-id", "", "the issuer id in the trust list, for example 3171")
	statePath := fs.String("state", "", "the issuer's state file (created if missing)")
	personPath := fs.String("person", "", "the person record (JSON)")
	devicePath := fs.String("device", "", "the wallet's device public key (JWK or PEM)")
	outDir := fs.String("out", "", "directory for the credential files")
	profiles := fs.String("profiles", "full,travel,kai,age", "disclosure profiles to sign")
	valid := fs.Duration("valid", 365*24*time.Hour, "credential lifetime")
	size := fs.Int("list-size", 1<<16, "status list size, for a new state file")
	if err := parse(fs, args, "key", "issuer-id", "state", "person", "device", "out"); err != nil {
		return err
	}
	var ps []credential.Profile
	for _, name := range strings.Split(*profiles, ",") {
		p, ok := credential.ParseProfile(strings.TrimSpace(name))
		if !ok {
			return exampleutil.Usagef("issue: unknown profile %q", name)
		}
		ps = append(ps, p)
	}
	signer, err := keys.LoadPrivateKey(*keyPath)
	if err != nil {
		return exampleutil.Usagef("issue: issuer key: %v", err)
	}
	devPub, err := keys.LoadPublicKey(*devicePath)
	if err != nil {
		return exampleutil.Usagef("issue: device key: %v", err)
	}
	device, ok := devPub.(*ecdsa.PublicKey)
	if !ok {
		return exampleutil.Usagef("issue: the device key must be a P-256 key")
	}
	data, err := os.ReadFile(*personPath)
	if err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	person, err := decodePerson(data)
	if err != nil {
		return err
	}

	st, err := loadState(*statePath)
	switch {
	case errors.Is(err, os.ErrNotExist):
		st = &state{IssuerID: *issuerID, ListID: 1, Size: *size, Bits: statusBits}
	case err != nil:
		return err
	case st.IssuerID != *issuerID:
		return exampleutil.Usagef("issue: state file belongs to issuer %s, not %s", st.IssuerID, *issuerID)
	}
	index, err := st.allocate()
	if errors.Is(err, status.ErrFull) {
		return fmt.Errorf("issue: status list %d of issuer %s has no free index (%d entries): %w", st.ListID, st.IssuerID, st.Size, err)
	}
	if err != nil {
		return err
	}
	iss, err := credential.NewIssuer(*issuerID, signer)
	if err != nil {
		return exampleutil.Usagef("issue: %v", err)
	}
	now := env.Clock()().Truncate(time.Second)
	issued, err := iss.Issue(&credential.Request{
		Claims: *person, DeviceKey: device, Status: credential.StatusRef{List: st.ListID, Index: index},
		IssuedAt: now, Expiry: now.Add(*valid), Profiles: ps,
	})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return err
	}
	for _, c := range issued {
		path := filepath.Join(*outDir, "credential-"+c.Profile.String()+".cbor")
		if err := exampleutil.WriteFile(path, c.Bytes, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %d bytes\n", path, len(c.Bytes))
	}
	devKID, err := keys.KeyID(device)
	if err != nil {
		return err
	}
	st.Entries = append(st.Entries, entry{Index: index, Status: status.StatusValid.String(), NIK: string(person.NIK), Device: hex.EncodeToString(devKID), IssuedAt: now})
	if err := st.save(*statePath); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "issued %d credential(s) for %s, status list %d index %d\n", len(issued), person.Name, st.ListID, index)
	return nil
}

// PersonError lists every problem with a person record: JSON members that
// do not decode and claims that do not validate.
type PersonError struct {
	// Problems are the problems in the order found: decoding first, then
	// validation. Each wraps credential.ErrInvalidValue,
	// credential.ErrMissingClaim or credential.ErrNIKMismatch.
	Problems []credential.Problem
}

// Error lists the problems, one per line.
func (e *PersonError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "person record has %d problem(s):", len(e.Problems))
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  - %s", p.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so that errors.Is finds their kinds.
func (e *PersonError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// decodePerson reads a person record and reports every problem at once:
// the members that do not decode (credential.KTP's JSON decoding lists them
// all) and then the claims that do not validate as a full KTP.
func decodePerson(data []byte) (*credential.KTP, error) {
	var k credential.KTP
	var problems []credential.Problem
	var ve *credential.ValidationError
	err := json.Unmarshal(data, &k)
	switch {
	case errors.As(err, &ve):
		problems = append(problems, ve.Problems...)
		var object map[string]json.RawMessage
		if json.Unmarshal(data, &object) != nil {
			return nil, &PersonError{Problems: problems} // not an object: nothing to validate
		}
		// The members that decoded are set, and are validated below.
	case err != nil:
		return nil, &PersonError{Problems: []credential.Problem{
			{Err: fmt.Errorf("%w: not JSON: %w", credential.ErrInvalidValue, err)},
		}}
	}
	bad := map[credential.Claim]bool{}
	for _, p := range problems {
		bad[p.Claim] = true
	}
	if err := k.Validate(credential.ProfileFull); errors.As(err, &ve) {
		for _, p := range ve.Problems {
			if bad[p.Claim] && errors.Is(p.Err, credential.ErrMissingClaim) {
				continue // already reported as undecodable
			}
			problems = append(problems, p)
		}
	} else if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, &PersonError{Problems: problems}
	}
	return &k, nil
}

func revoke(_ exampleutil.Env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("revoke", flag.ContinueOnError)
	fs.SetOutput(stdout)
	statePath := fs.String("state", "", "the issuer's state file")
	index := fs.Int64("index", -1, "the status index to change")
	credPath := fs.String("credential", "", "or: a credential file whose index to change")
	suspend := fs.Bool("suspend", false, "suspend instead of revoking")
	reinstate := fs.Bool("reinstate", false, "set back to valid (after a suspension)")
	if err := parse(fs, args, "state"); err != nil {
		return err
	}
	if (*index >= 0) == (*credPath != "") {
		return exampleutil.Usagef("revoke: give exactly one of -index and -credential")
	}
	if *suspend && *reinstate {
		return exampleutil.Usagef("revoke: -suspend and -reinstate exclude each other")
	}
	st, err := loadState(*statePath)
	if err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	idx := uint32(*index)
	if *credPath != "" {
		data, err := os.ReadFile(*credPath)
		if err != nil {
			return &exampleutil.UsageError{Err: err}
		}
		signed, err := credential.Parse(data)
		if err != nil {
			return exampleutil.Usagef("revoke: %s: %v", *credPath, err)
		}
		c := signed.UnverifiedCredential()
		if c.Issuer != st.IssuerID || c.Status.List != st.ListID {
			return exampleutil.Usagef("revoke: the credential is from issuer %s list %d, not %s list %d",
				c.Issuer, c.Status.List, st.IssuerID, st.ListID)
		}
		idx = c.Status.Index
	}
	to := status.StatusRevoked
	switch {
	case *suspend:
		to = status.StatusSuspended
	case *reinstate:
		to = status.StatusValid
	}
	i := slices.IndexFunc(st.Entries, func(e entry) bool { return e.Index == idx })
	if i < 0 {
		return exampleutil.Usagef("revoke: index %d was never issued", idx)
	}
	if st.Entries[i].Status == status.StatusRevoked.String() && to != status.StatusRevoked {
		return exampleutil.Usagef("revoke: index %d is revoked for good", idx)
	}
	st.Entries[i].Status = to.String()
	if err := st.save(*statePath); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "index %d is now %s; publish a new status list\n", idx, to)
	return nil
}

func publish(env exampleutil.Env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("publish", flag.ContinueOnError)
	fs.SetOutput(stdout)
	keyPath := fs.String("key", "", "the issuer's private key")
	statePath := fs.String("state", "", "the issuer's state file")
	outPath := fs.String("out", "", "the signed status list to write")
	ttl := fs.Duration("ttl", 24*time.Hour, "how long scanners may use the list before fetching a new one")
	valid := fs.Duration("valid", 30*24*time.Hour, "the list's expiry, from now")
	if err := parse(fs, args, "key", "state", "out"); err != nil {
		return err
	}
	signer, err := keys.LoadPrivateKey(*keyPath)
	if err != nil {
		return exampleutil.Usagef("publish: issuer key: %v", err)
	}
	st, err := loadState(*statePath)
	if err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	l, err := st.list()
	if err != nil {
		return err
	}
	token, err := sign(signer, st, l, env.Clock()(), *ttl, *valid)
	if err != nil {
		return err
	}
	if err := exampleutil.WriteFile(*outPath, token, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "status list %s/%d (%d entries, %d issued) written to %s (%d bytes)\n",
		st.IssuerID, st.ListID, st.Size, len(st.Entries), *outPath, len(token))
	return nil
}

func sign(signer crypto.Signer, st *state, l *status.List, now time.Time, ttl, valid time.Duration) ([]byte, error) {
	iss, err := credential.NewIssuer(st.IssuerID, signer)
	if err != nil {
		return nil, exampleutil.Usagef("publish: %v", err)
	}
	now = now.Truncate(time.Second)
	return iss.SignStatusList(status.Token{ListID: st.ListID, IssuedAt: now, Expiry: now.Add(valid), TTL: ttl}, l)
}
