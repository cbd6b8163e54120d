package main

import (
	"bufio"
	"bytes"
	"crypto"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/examples/internal/issuerdb"
	"github.com/ikdgo/ikd/keys"
)

// changeStatus returns the revoke, suspend or reinstate command. Each
// selects entries by NIK, device or index, prints every change it would
// make, and makes them only with -yes or after "yes" on a terminal;
// -dry-run only prints.
func changeStatus(cmd string) command {
	to := map[string]status.Status{"revoke": status.StatusRevoked, "suspend": status.StatusSuspended, "reinstate": status.StatusValid}[cmd]
	return func(e env, args []string, stdout io.Writer) error {
		fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
		fs.SetOutput(stdout)
		dbPath := fs.String("db", "", "the issuer's database")
		nik := fs.String("nik", "", "every credential of this NIK (all its devices)")
		deviceKID := fs.String("device-kid", "", "the credentials bound to this device key, by COSE kid in hex (as the batch output gives it)")
		deviceKey := fs.String("device-key", "", "the credentials bound to the device key in this file (JWK or PEM)")
		index := fs.Int64("index", -1, "the credentials of this status index")
		list := fs.Uint("list", 0, "the list of -index (needed when the issuer has more than one list)")
		credPath := fs.String("credential", "", "the credentials sharing this credential file's status index (with -issuer-pub, or -trust and -root, to verify it)")
		issuerPub := fs.String("issuer-pub", "", "with -credential: the issuer public key that signed it")
		trustPath := fs.String("trust", "", "with -credential and -root: verify it with the issuer's keys in this trust list")
		rootPath := fs.String("root", "", "the root public key of -trust")
		dryRun := fs.Bool("dry-run", false, "show what would change and change nothing")
		yes := fs.Bool("yes", false, "change without asking")
		reason := fs.String("reason", "", "why, kept in the database's history")
		if err := parse(fs, args, "db"); err != nil {
			return err
		}
		indexSet := false
		fs.Visit(func(f *flag.Flag) { indexSet = indexSet || f.Name == "index" })
		if indexSet && (*index < 0 || *index > math.MaxUint32) {
			return exampleutil.Usagef("%s: -index %d is not a status index (0..%d)", cmd, *index, uint32(math.MaxUint32))
		}
		given := 0
		for _, set := range []bool{*nik != "", *deviceKID != "", *deviceKey != "", indexSet, *credPath != ""} {
			if set {
				given++
			}
		}
		if given != 1 {
			return exampleutil.Usagef("%s: give exactly one of -nik, -device-kid, -device-key, -index and -credential", cmd)
		}
		if *dryRun && *yes {
			return exampleutil.Usagef("%s: -dry-run and -yes exclude each other", cmd)
		}
		open := func(path string) (issuerdb.Store, error) { return openDB(path, "", 0, false) }
		if *dryRun { // only shown: nothing is written
			open = openReadOnly
		}
		db, err := open(*dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		if *list > math.MaxUint32 {
			return exampleutil.Usagef("%s: -list %d is not a list id", cmd, *list)
		}
		var cred *credential.Credential
		if *credPath != "" {
			if cred, err = verifiedCredential(db.IssuerID(), *credPath, *issuerPub, *trustPath, *rootPath); err != nil {
				return err
			}
		} else if *issuerPub != "" || *trustPath != "" || *rootPath != "" {
			return exampleutil.Usagef("%s: -issuer-pub, -trust and -root go with -credential", cmd)
		}
		q, err := statusQuery(db, *nik, *deviceKID, *deviceKey, *index, uint32(*list), cred)
		if err != nil {
			return err
		}
		entries, err := db.Find(q)
		if err != nil {
			return err
		}
		if cred != nil {
			if err := sameHolder(cred, entries); err != nil {
				return err
			}
		}
		if len(entries) == 0 {
			return exampleutil.Usagef("%s: no credential was issued for that", cmd)
		}
		var refs []credential.StatusRef
		for _, en := range entries {
			switch {
			case en.Status == to:
				fmt.Fprintf(stdout, "  list %d index %d: already %s (NIK %s, device %x)\n", en.Ref.List, en.Ref.Index, to, en.NIK, en.Device)
			case en.Status == status.StatusRevoked:
				fmt.Fprintf(stdout, "  list %d index %d: revoked for good, stays revoked (NIK %s, device %x)\n", en.Ref.List, en.Ref.Index, en.NIK, en.Device)
			case to == status.StatusValid && en.Status != status.StatusSuspended:
			default:
				fmt.Fprintf(stdout, "  list %d index %d: %s -> %s (NIK %s, device %x, %s, issued %s)\n", en.Ref.List, en.Ref.Index,
					en.Status, to, en.NIK, en.Device, en.Kind, en.IssuedAt.UTC().Format(time.RFC3339))
				refs = append(refs, en.Ref)
			}
		}
		if len(refs) == 0 {
			// Exit 2 when what was asked cannot be done (a revoked
			// entry suspended or reinstated), 0 when it is done already.
			for _, en := range entries {
				if en.Status == status.StatusRevoked && to != status.StatusRevoked {
					return exampleutil.Usagef("%s: nothing changed: a revocation is for good", cmd)
				}
			}
			fmt.Fprintf(stdout, "%s: nothing to change: already %s\n", cmd, to)
			return nil
		}
		if *dryRun {
			fmt.Fprintf(stdout, "dry run: %d change(s) shown, none made\n", len(refs))
			return nil
		}
		if !*yes {
			if !e.stdinTerminal {
				return exampleutil.Usagef("%s: %d change(s) shown above; add -yes to make them (or -dry-run to only show them)", cmd, len(refs))
			}
			fmt.Fprintf(stdout, "make these %d change(s)? type yes: ", len(refs))
			answer, _ := bufio.NewReader(e.stdin).ReadString('\n')
			if strings.TrimSpace(answer) != "yes" {
				return exampleutil.Usagef("%s: not confirmed; nothing changed", cmd)
			}
		}
		if err := db.SetStatus(refs, to, e.Clock()(), *reason); err != nil {
			if errors.Is(err, issuerdb.ErrRevoked) {
				return &exampleutil.UsageError{Err: err}
			}
			return err
		}
		fmt.Fprintf(stdout, "%d credential index(es) now %s; publish the status lists\n", len(refs), to)
		return nil
	}
}

// statusQuery turns the selection flags into a query.
func statusQuery(db issuerdb.Store, nik, deviceKID, deviceKey string, index int64, list uint32, cred *credential.Credential) (issuerdb.Query, error) {
	switch {
	case nik != "":
		n, err := credential.ParseNIK(nik)
		if err != nil {
			return issuerdb.Query{}, &exampleutil.UsageError{Err: err}
		}
		return issuerdb.Query{NIK: n}, nil
	case deviceKID != "":
		kid, err := hex.DecodeString(deviceKID)
		if err != nil || len(kid) == 0 {
			return issuerdb.Query{}, exampleutil.Usagef("-device-kid %q is not hex", deviceKID)
		}
		return issuerdb.Query{Device: kid}, nil
	case deviceKey != "":
		pub, err := keys.LoadPublicKey(deviceKey)
		if err != nil {
			return issuerdb.Query{}, &exampleutil.UsageError{Err: err}
		}
		kid, err := keys.KeyID(pub)
		if err != nil {
			return issuerdb.Query{}, &exampleutil.UsageError{Err: err}
		}
		return issuerdb.Query{Device: kid}, nil
	case cred != nil:
		return issuerdb.Query{Ref: &cred.Status}, nil
	}
	if index > int64(^uint32(0)) {
		return issuerdb.Query{}, exampleutil.Usagef("-index %d is not a status index", index)
	}
	if list == 0 {
		lists, err := db.Lists()
		if err != nil {
			return issuerdb.Query{}, err
		}
		if len(lists) != 1 {
			return issuerdb.Query{}, exampleutil.Usagef("the issuer has %d lists; give -list with -index", len(lists))
		}
		list = lists[0].ID
	}
	return issuerdb.Query{Ref: &credential.StatusRef{List: list, Index: uint32(index)}}, nil
}

// verifiedCredential reads the credential file at path and verifies it
// for issuerID: with the public key at pubPath, or with the issuer's keys
// in the trust list at trustPath under the root at rootPath. A file whose
// signature does not verify selects nothing: anyone can write a file that
// names another person's status index.
func verifiedCredential(issuerID, path, pubPath, trustPath, rootPath string) (*credential.Credential, error) {
	if (pubPath == "") == (trustPath == "" && rootPath == "") || (trustPath == "") != (rootPath == "") {
		return nil, exampleutil.Usagef("-credential: give -issuer-pub, or -trust and -root, to verify the file")
	}
	data, err := readLimited(path, 1<<20)
	if err != nil {
		return nil, &exampleutil.UsageError{Err: err}
	}
	signed, err := credential.Parse(data)
	if err != nil {
		return nil, exampleutil.Usagef("%s: %v", path, err)
	}
	var pubs []crypto.PublicKey
	if pubPath != "" {
		pub, err := keys.LoadPublicKey(pubPath)
		if err != nil {
			return nil, exampleutil.Usagef("-issuer-pub: %v", err)
		}
		pubs = append(pubs, pub)
	} else {
		root, err := keys.LoadPublicKey(rootPath)
		if err != nil {
			return nil, exampleutil.Usagef("-root: %v", err)
		}
		jws, err := readLimited(trustPath, 1<<20)
		if err != nil {
			return nil, &exampleutil.UsageError{Err: err}
		}
		// The file's issue time may be any time: a revocation is for
		// old credentials too; the key must be the issuer's.
		tl, err := keys.ParseTrustList(jws, root)
		if err != nil {
			return nil, exampleutil.Usagef("-trust %s: %v", trustPath, err)
		}
		for _, k := range tl.Lookup(signed.UnverifiedKeyID()) {
			if k.IssuerID == issuerID {
				pubs = append(pubs, k.PublicKey)
			}
		}
	}
	for _, pub := range pubs {
		if c, err := signed.Verify(pub); err == nil {
			if c.Issuer != issuerID {
				return nil, exampleutil.Usagef("%s is from issuer %s, not %s", path, c.Issuer, issuerID)
			}
			return c, nil
		}
	}
	return nil, exampleutil.Usagef("%s does not verify with the issuer's key: not a credential of issuer %s; nothing selected", path, issuerID)
}

// sameHolder checks that the entries of a verified credential's index
// are bound to its device key (and NIK, when its profile discloses one).
func sameHolder(c *credential.Credential, entries []issuerdb.Entry) error {
	kid, err := keys.KeyID(c.DeviceKey)
	if err != nil {
		return err
	}
	for _, en := range entries {
		if !bytes.Equal(en.Device, kid) || (c.Claims.NIK != "" && c.Claims.NIK != en.NIK) {
			return exampleutil.Usagef("the credential's holder (device %x) is not the one recorded at list %d index %d (device %x): a database of another issuer office, or restored from an older copy; nothing selected",
				kid, en.Ref.List, en.Ref.Index, en.Device)
		}
	}
	return nil
}

// checkIssuerKey refuses a signing key that the trust list does not give
// to issuerID at now: a list or credential signed with another key (the
// root, a retired key, another office's) is refused by every scanner.
func checkIssuerKey(cmd string, signer crypto.Signer, issuerID, trustPath, rootPath string, now time.Time) error {
	root, err := keys.LoadPublicKey(rootPath)
	if err != nil {
		return exampleutil.Usagef("%s: root key: %v", cmd, err)
	}
	jws, err := os.ReadFile(trustPath)
	if err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	tl, err := keys.ParseTrustList(jws, root, keys.WithClock(func() time.Time { return now }))
	if err != nil {
		return exampleutil.Usagef("%s: trust list %s: %v", cmd, trustPath, err)
	}
	kid, err := keys.KeyID(signer.Public())
	if err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	for _, k := range tl.Lookup(kid) {
		if k.IssuerID == issuerID && k.ValidAt(now) {
			return nil
		}
	}
	return exampleutil.Usagef("%s: the key (kid %x) is not a key of issuer %s valid now in trust list %d; scanners would refuse what it signs",
		cmd, kid, issuerID, tl.Sequence())
}

func publish(e env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("publish", flag.ContinueOnError)
	fs.SetOutput(stdout)
	keyPath := fs.String("key", "", "the issuer's private key")
	dbPath := fs.String("db", "", "the issuer's database")
	trustPath := fs.String("trust", "", "the current trust list (JWS); the key must be this issuer's in it")
	rootPath := fs.String("root", "", "the root public key the trust list is signed with")
	outPath := fs.String("out", "", "the signed status list to write (one list: the only one, or -list)")
	outDir := fs.String("out-dir", "", "or: write every list as DIR/status-<list>.cbor")
	list := fs.Uint("list", 0, "the list to publish with -out")
	ttl := fs.Duration("ttl", 24*time.Hour, "how long scanners may use the list before fetching a new one")
	valid := fs.Duration("valid", 30*24*time.Hour, "the list's expiry, from now")
	if err := parse(fs, args, "key", "db", "trust", "root"); err != nil {
		return err
	}
	if (*outPath == "") == (*outDir == "") {
		return exampleutil.Usagef("publish: give exactly one of -out and -out-dir")
	}
	if *list > math.MaxUint32 {
		return exampleutil.Usagef("publish: -list %d is not a list id", *list)
	}
	if *outDir != "" && *list != 0 {
		return exampleutil.Usagef("publish: -list goes with -out")
	}
	if *valid <= 0 || *ttl < 0 {
		return exampleutil.Usagef("publish: -valid must be positive and -ttl not negative")
	}
	db, err := openDB(*dbPath, "", 0, false)
	if err != nil {
		return err
	}
	defer db.Close()
	iss, signer, err := loadIssuer("publish", *keyPath, db.IssuerID())
	if err != nil {
		return err
	}
	now := e.Clock()().Truncate(time.Second)
	if err := checkIssuerKey("publish", signer, db.IssuerID(), *trustPath, *rootPath, now); err != nil {
		return err
	}
	lists, err := db.Lists()
	if err != nil {
		return err
	}
	if *outPath != "" {
		var pick []issuerdb.List
		for _, l := range lists {
			if *list == 0 || l.ID == uint32(*list) {
				pick = append(pick, l)
			}
		}
		if len(pick) != 1 {
			return exampleutil.Usagef("publish: the issuer has %d list(s) (%d match -list); give -list or use -out-dir", len(lists), len(pick))
		}
		lists = pick
	}
	if len(lists) == 0 {
		return exampleutil.Usagef("publish: nothing issued yet, no list to publish")
	}
	folder := *outDir
	if folder == "" {
		folder = filepath.Dir(*outPath)
	}
	if st, err := os.Stat(folder); err != nil || !st.IsDir() {
		return exampleutil.Usagef("publish: the folder %s does not exist; make it first", folder)
	}
	// A list published earlier in this same second (a revocation right
	// after a publication) is followed by one dated the next second:
	// wait for it rather than refuse. A clock behind the last
	// publication is refused by the database.
	for _, l := range lists {
		if l.LastPublished.Equal(now) {
			e.Wait(now.Add(time.Second).Sub(e.Clock()()))
			now = e.Clock()().Truncate(time.Second)
			break
		}
	}
	for _, l := range lists {
		sl, err := status.NewList(l.Size)
		if err != nil {
			return err
		}
		if err := db.NotValid(l.ID, func(index uint32, s status.Status) error { return sl.Set(index, s) }); err != nil {
			return err
		}
		token, err := iss.SignStatusList(status.Token{ListID: l.ID, IssuedAt: now, Expiry: now.Add(*valid), TTL: *ttl}, sl)
		if err != nil {
			return err
		}
		if !now.After(l.LastPublished) {
			return fmt.Errorf("publish: list %d was last published at %s, not before this one (%s): %w; scanners refuse a list not newer than the one they hold",
				l.ID, l.LastPublished.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339), issuerdb.ErrNotNewer)
		}
		path := *outPath
		if path == "" {
			path = filepath.Join(*outDir, fmt.Sprintf("status-%d.cbor", l.ID))
		}
		// Written first, recorded after: a list that could not be
		// written is not counted as published. (A write whose record
		// then fails is a publication the database does not count; the
		// next one is dated later all the same.)
		if err := exampleutil.WriteFile(path, token, 0o644); err != nil {
			return err
		}
		seq, err := db.Publish(l.ID, now)
		if errors.Is(err, issuerdb.ErrNotNewer) {
			return fmt.Errorf("publish: %w; scanners refuse a list not newer than the one they hold", err)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "status list %s/%d publication %d (%d entries, %d issued, %d revoked, %d suspended) written to %s (%d bytes)\n",
			db.IssuerID(), l.ID, seq, l.Size, l.Used, l.Revoked, l.Suspended, path, len(token))
	}
	return nil
}

func info(_ env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("info", flag.ContinueOnError)
	fs.SetOutput(stdout)
	dbPath := fs.String("db", "", "the issuer's database")
	if err := parse(fs, args, "db"); err != nil {
		return err
	}
	db, err := openReadOnly(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	lists, err := db.Lists()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "issuer %s, new lists of %d entries, %d list(s)\n", db.IssuerID(), db.ListSize(), len(lists))
	for _, l := range lists {
		last := "never published"
		if l.Publications > 0 {
			last = fmt.Sprintf("published %d time(s), last %s", l.Publications, l.LastPublished.UTC().Format(time.RFC3339))
		}
		fmt.Fprintf(stdout, "list %d: %d of %d used, %d revoked, %d suspended, %s\n", l.ID, l.Used, l.Size, l.Revoked, l.Suspended, last)
	}
	batches, err := db.Batches()
	if err != nil {
		return err
	}
	for _, b := range batches {
		state := "unfinished"
		switch {
		case b.Finished:
			state = "finished"
		case b.Abandoned:
			state = "abandoned"
		}
		fmt.Fprintf(stdout, "batch %s: %d of %d rows, %s, output %s (%d issued, %d refused, started %s)\n",
			b.Name, b.NextRow, b.Rows, state, b.Out, b.Issued, b.Refused, b.IssuedAt.UTC().Format(time.RFC3339))
	}
	return nil
}

// stateFile is the issuer's state file before the database: its status
// list and the indices it handed out.
type stateFile struct {
	IssuerID string       `json:"issuer_id"`
	ListID   uint32       `json:"list_id"`
	Size     int          `json:"size"`
	Bits     int          `json:"bits"`
	Entries  []stateEntry `json:"entries"`
}

type stateEntry struct {
	Index    uint32    `json:"index"`
	Status   string    `json:"status"`
	NIK      string    `json:"nik"`
	Device   string    `json:"device"` // the device key's COSE kid in hex
	IssuedAt time.Time `json:"issued_at"`
}

func migrate(_ env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stdout)
	statePath := fs.String("state", "", "the state.json of the issuer program before the database")
	dbPath := fs.String("db", "", "the database to make")
	size := fs.Int("list-size", defaultListSize, "entries of the lists opened after the migrated one")
	if err := parse(fs, args, "state", "db"); err != nil {
		return err
	}
	data, err := readLimited(*statePath, 1<<30)
	if err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	st, entries, err := parseState(data)
	if err != nil {
		return exampleutil.Usagef("migrate: %s: %v", *statePath, err)
	}
	if *size < 1 || *size > issuerdb.MaxListSize {
		return exampleutil.Usagef("migrate: -list-size %d outside 1..%d", *size, issuerdb.MaxListSize)
	}
	db, err := issuerdb.Create(*dbPath, st.IssuerID, *size)
	if err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	if err := db.Import(st.ListID, st.Size, entries); err != nil {
		db.Close()
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(*dbPath + suffix)
		}
		return exampleutil.Usagef("migrate: %v; no database made", err)
	}
	if err := db.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "migrated %s to %s: issuer %s, list %d of %d entries, %d entries; %s is no longer read, keep it as a backup\n",
		*statePath, *dbPath, st.IssuerID, st.ListID, st.Size, len(entries), *statePath)
	return nil
}

// parseState reads a state.json and returns its entries as the database
// records them. It refuses what it cannot carry over exactly: unknown
// members, another bit width, list id 0, a size outside 1..MaxListSize, an
// index outside the list or twice, an unknown status, a malformed NIK or
// device kid.
func parseState(data []byte) (*stateFile, []issuerdb.Entry, error) {
	var st stateFile
	if err := strictJSON(data); err != nil {
		return nil, nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return nil, nil, err
	}
	if dec.More() {
		return nil, nil, errors.New("data after the state object")
	}
	if st.IssuerID == "" {
		return nil, nil, errors.New("no issuer_id")
	}
	if err := issuerdb.CheckIssuerID(st.IssuerID); err != nil {
		return nil, nil, err
	}
	if st.Bits != 2 || st.ListID == 0 || st.ListID == math.MaxUint32 {
		return nil, nil, fmt.Errorf("list %d of %d bits per entry; this issuer writes lists of 2 bits with ids 1..%d (the last id leaves no list to roll over to)", st.ListID, st.Bits, uint32(math.MaxUint32-1))
	}
	if st.Size < 1 || st.Size > issuerdb.MaxListSize {
		return nil, nil, fmt.Errorf("list size %d outside 1..%d", st.Size, issuerdb.MaxListSize)
	}
	entries := make([]issuerdb.Entry, 0, len(st.Entries))
	seen := map[uint32]bool{}
	for _, se := range st.Entries {
		s, ok := map[string]status.Status{"valid": status.StatusValid, "revoked": status.StatusRevoked, "suspended": status.StatusSuspended}[se.Status]
		nik, nerr := credential.ParseNIK(se.NIK)
		kid, kerr := hex.DecodeString(se.Device)
		if !ok || nerr != nil || kerr != nil || len(kid) != 8 {
			return nil, nil, fmt.Errorf("entry %d: bad status, NIK or device (%q, %q, %q)", se.Index, se.Status, truncateText(se.NIK), truncateText(se.Device))
		}
		if uint64(se.Index) >= uint64(st.Size) || seen[se.Index] {
			return nil, nil, fmt.Errorf("entry %d: outside the list of %d or given twice", se.Index, st.Size)
		}
		seen[se.Index] = true
		if se.IssuedAt.Year() < 2000 {
			return nil, nil, fmt.Errorf("entry %d: issued_at %s is not an issue time (none before 2000)", se.Index, se.IssuedAt.UTC().Format(time.RFC3339))
		}
		entries = append(entries, issuerdb.Entry{
			Ref: credential.StatusRef{List: st.ListID, Index: se.Index}, Status: s, NIK: nik, Device: kid, Kind: "ktp", IssuedAt: se.IssuedAt,
		})
	}
	return &st, entries, nil
}
