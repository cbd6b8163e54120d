package main

// The family subcommand (issue 15) signs a Kartu Keluarga or an Akta
// Kelahiran for a holder whose KTP this issuer has already signed, and who
// is on the document (a member of the household; the child or a parent on
// the certificate): the
// document is bound to the same device key and shares the KTP's status
// entry, so revoking the phone revokes every document on it. It is kept
// apart from issue; it adds no status entry of its own.
//
//	issuer family -db issuer.db -key issuer.key -device device.jwk
//	              (-kk kk.json | -akta akta.json) -out DIR [-profiles kk-school,...] [-valid 8760h]
//
// The record is the Go JSON form of credential.KK or
// credential.BirthCertificate (field names as in the Go types, dates as
// {"Year":2014,"Month":7,"Day":21}, enums as their numbers: the SIAK codes of
// docs/wire-format.md), read with unknown fields refused. A person-record
// JSON with labels, as the KTP has, is not there yet.

import (
	"bytes"
	"encoding/json"
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
	"github.com/ikdgo/ikd/examples/internal/issuerdb"
	"github.com/ikdgo/ikd/keys"
)

func family(e env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("family", flag.ContinueOnError)
	fs.SetOutput(stdout)
	keyPath := fs.String("key", "", "the issuer's private key")
	issuerID := fs.String("issuer-id", "", "the issuer id (checked against the database's, if given)")
	dbPath := fs.String("db", "", "the issuer's database, holding the device's KTP entry")
	devicePath := fs.String("device", "", "the wallet's device public key (JWK or PEM)")
	kkPath := fs.String("kk", "", "a Kartu Keluarga record (JSON of credential.KK)")
	aktaPath := fs.String("akta", "", "an Akta Kelahiran record (JSON of credential.BirthCertificate)")
	outDir := fs.String("out", "", "directory for the credential files")
	profiles := fs.String("profiles", "", "disclosure profiles to sign (default: all of the document's)")
	valid := fs.Duration("valid", 365*24*time.Hour, "credential lifetime")
	if err := parse(fs, args, "key", "db", "device", "out"); err != nil {
		return err
	}
	if (*kkPath == "") == (*aktaPath == "") {
		return exampleutil.Usagef("family: give one of -kk and -akta")
	}
	var req credential.Request
	switch {
	case *kkPath != "":
		req.KK = new(credential.KK)
		if err := readRecord(*kkPath, req.KK); err != nil {
			return err
		}
	default:
		req.BirthCertificate = new(credential.BirthCertificate)
		if err := readRecord(*aktaPath, req.BirthCertificate); err != nil {
			return err
		}
	}
	if *profiles != "" {
		for _, name := range strings.Split(*profiles, ",") {
			p, ok := credential.ParseProfile(strings.TrimSpace(name))
			if !ok {
				return exampleutil.Usagef("family: unknown profile %q", name)
			}
			req.Profiles = append(req.Profiles, p)
		}
	}
	device, err := rowDevice("", *devicePath, ".")
	if err != nil {
		return exampleutil.Usagef("family: device key: %v", err)
	}
	db, err := openDB(*dbPath, *issuerID, 0, false)
	if err != nil {
		return err
	}
	defer db.Close()
	iss, _, err := loadIssuer("family", *keyPath, db.IssuerID())
	if err != nil {
		return err
	}
	devKID, err := keys.KeyID(device)
	if err != nil {
		return err
	}
	// The device's live KTP entry: the family documents share it.
	entries, err := db.Find(issuerdb.Query{Device: devKID})
	if err != nil {
		return err
	}
	i := slices.IndexFunc(entries, func(en issuerdb.Entry) bool {
		return en.Kind == "ktp" && en.Status == status.StatusValid
	})
	if i < 0 {
		return exampleutil.Usagef("family: no valid KTP entry for this device in %s: issue the holder's KTP first (issuer issue)", *dbPath)
	}
	ktp := entries[i]
	for _, en := range entries[i+1:] {
		if en.Kind == "ktp" && en.Status == status.StatusValid && en.NIK != ktp.NIK {
			return exampleutil.Usagef("family: this device has valid KTP entries of two NIKs (%s, %s; a database from before one phone, one person): revoke the wrong one first", ktp.NIK, en.NIK)
		}
	}
	// The phone's holder must be on the document: a member of the
	// household, or the child or a parent on the birth certificate.
	holder := ktp.NIK
	onIt := false
	if req.KK != nil {
		for _, m := range req.KK.Members {
			onIt = onIt || m.NIK == holder
		}
	} else {
		b := req.BirthCertificate
		onIt = holder == b.ChildNIK || holder == b.FatherNIK || holder == b.MotherNIK
	}
	if !onIt {
		return exampleutil.Usagef("family: the holder of this device (the KTP's NIK) is not on the document")
	}
	now := e.Clock()().Truncate(time.Second)
	req.DeviceKey, req.Status = device, ktp.Ref
	req.IssuedAt, req.Expiry = now, now.Add(*valid)
	issued, err := iss.Issue(&req)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return err
	}
	for _, c := range issued {
		name := "credential-" + c.Profile.String()
		if c.Profile == credential.ProfileKKSchool {
			s, err := credential.Parse(c.Bytes)
			if err != nil {
				return err
			}
			name += "-" + string(s.UnverifiedCredential().KK.Members[0].NIK) // one per child
		}
		path := filepath.Join(*outDir, name+".cbor")
		if err := exampleutil.WriteFile(path, c.Bytes, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %d bytes\n", path, len(c.Bytes))
	}
	fmt.Fprintf(stdout, "issued %d credential(s), status list %d index %d (the KTP's)\n", len(issued), ktp.Ref.List, ktp.Ref.Index)
	return nil
}

// readRecord reads the JSON record at path into v, refusing unknown fields.
func readRecord(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return exampleutil.Usagef("family: %s: %v", path, err)
	}
	return nil
}
