package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/examples/internal/issuerdb"
	"github.com/ikdgo/ikd/internal/statuslist"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
)

// checkOutput verifies every credential of a batch output against the
// issuer key and the rows it was made from, and returns the status refs.
func checkOutput(t *testing.T, lines []outLine, rows []batchRow, issuerPub any) map[credential.StatusRef]int {
	t.Helper()
	refs := map[credential.StatusRef]int{}
	for _, l := range lines {
		require.GreaterOrEqual(t, l.Row, 1)
		want := rows[l.Row-1]
		ref := credential.StatusRef{List: l.List, Index: l.Index}
		prev, dup := refs[ref]
		require.False(t, dup, "rows %d and %d share %v", prev, l.Row, ref)
		refs[ref] = l.Row
		assert.Equal(t, string(want.ktp.NIK), l.NIK)
		assert.Equal(t, "ktp", l.Kind)
		kid, err := keys.KeyID(want.device)
		require.NoError(t, err)
		assert.Equal(t, hex.EncodeToString(kid), l.DeviceKID)
		require.Len(t, l.Credentials, 4)
		for _, prof := range allProfiles {
			raw, err := base64.RawURLEncoding.DecodeString(l.Credentials[prof.String()])
			require.NoError(t, err)
			signed, err := credential.Parse(raw)
			require.NoError(t, err)
			c, err := signed.Verify(issuerPub)
			require.NoError(t, err, "row %d %s", l.Row, prof)
			assert.Equal(t, ref, c.Status)
			assert.True(t, want.device.Equal(c.DeviceKey))
			assert.Equal(t, prof, c.Profile)
		}
	}
	return refs
}

func TestBatchJSONL(t *testing.T) {
	dir := t.TempDir()
	keysIn(t, dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	rows := writeJSONL(t, p("rows.jsonl"), 0, 600) // more than two chunks
	var stderr bytes.Buffer
	e, _ := testEnv("")
	e.stderr = &stderr
	out := runWith(t, e, "batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p("issuer.key"),
		"-in", p("rows.jsonl"), "-out", p("issued.jsonl"), "-list-size", "1000")
	assert.Contains(t, out, "600 rows, 600 issued, 0 refused")
	assert.Contains(t, stderr.String(), "issuing: 600/600 rows (100%)", "plain progress lines when not a terminal")
	lines := readOutput(t, p("issued.jsonl"))
	require.Len(t, lines, 600)
	refs := checkOutput(t, lines, rows, mustLoad(t, p("issuer.jwk")))
	assert.Len(t, refs, 600)
	st, err := os.Stat(p("issued.jsonl"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "the output holds personal data")
	tmp, _ := filepath.Glob(p(".issued.jsonl.*"))
	assert.Empty(t, tmp, "no partial output left")

	// The same input again is refused: it was issued.
	var buf bytes.Buffer
	err = runEnv(e, []string{"batch", "-db", p("issuer.db"), "-key", p("issuer.key"), "-in", p("rows.jsonl"), "-out", p("again.jsonl")}, &buf)
	var u *exampleutil.UsageError
	require.ErrorAs(t, err, &u, "a batch is never issued twice")
	_, statErr := os.Stat(p("again.jsonl"))
	assert.ErrorIs(t, statErr, os.ErrNotExist)

	// An existing file is not replaced by a batch's output.
	rows2 := writeJSONL(t, p("rows2.jsonl"), 600, 600)
	require.NoError(t, os.WriteFile(p("mine.txt"), []byte("keep"), 0o644))
	code := exampleutil.ExitCode(runEnv(e, []string{"batch", "-db", p("issuer.db"), "-key", p("issuer.key"), "-in", p("rows2.jsonl"), "-out", p("mine.txt")}, &buf), &buf)
	assert.Equal(t, 2, code)
	assert.Equal(t, "keep", string(must(os.ReadFile(p("mine.txt")))))

	// A second batch gets other indices; the list of 1000 rolls over.
	runWith(t, e, "batch", "-db", p("issuer.db"), "-key", p("issuer.key"), "-in", p("rows2.jsonl"), "-out", p("issued2.jsonl"), "-progress", "off")
	refs2 := checkOutput(t, readOutput(t, p("issued2.jsonl")), rows2, mustLoad(t, p("issuer.jwk")))
	lists := map[uint32]int{}
	for r := range refs2 {
		_, dup := refs[r]
		assert.False(t, dup, "%v handed out twice", r)
		lists[r.List]++
	}
	for r := range refs {
		lists[r.List]++
	}
	assert.Equal(t, map[uint32]int{1: 1000, 2: 200}, lists, "list 1 filled, then list 2")
}

func TestBatchCSVFromStdin(t *testing.T) {
	dir := t.TempDir()
	keysIn(t, dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	header := append(append([]string{"kind", "device_key", "device_key_file"}, ktpCSVColumns...), addressCSVColumns...)
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	require.NoError(t, w.Write(header))
	var rows []batchRow
	for i := range 5 {
		k := resident(i)
		point, dev := devicePoint(t)
		file := ""
		if i == 4 { // a device key by reference
			require.NoError(t, keys.SavePublicKey(p("dev4.jwk"), dev))
			point, file = "", "dev4.jwk"
		}
		if i == 3 { // the compressed point
			raw, err := base64.RawURLEncoding.DecodeString(point)
			require.NoError(t, err)
			point = base64.RawURLEncoding.EncodeToString(append([]byte{2 | raw[64]&1}, raw[1:33]...))
		}
		cells := map[string]string{"kind": "ktp", "device_key": point, "device_key_file": file,
			"nik": string(k.NIK), "name": k.Name, "birth_place": k.BirthPlace, "birth_date": k.BirthDate.String(),
			"sex": k.Sex.String(), "blood_type": k.BloodType.String(), "religion": k.Religion.String(),
			"marital_status": k.MaritalStatus.String(), "occupation": k.Occupation, "citizenship": k.Citizenship.String(),
			"validity": "SEUMUR HIDUP", "issuing_office": k.IssuingOffice, "issue_date": k.IssueDate.String(),
			"street": k.Address.Street, "rt": strconv.Itoa(int(k.Address.RT)), "rw": strconv.Itoa(int(k.Address.RW)),
			"kelurahan": k.Address.Kelurahan, "kecamatan": k.Address.Kecamatan, "regency": k.Address.Regency, "province": k.Address.Province}
		rec := make([]string, len(header))
		for j, h := range header {
			rec[j] = cells[h]
		}
		require.NoError(t, w.Write(rec))
		rows = append(rows, batchRow{ktp: k, device: dev})
	}
	w.Flush()
	e, _ := testEnv(b.String())
	wd, err := os.Getwd()
	require.NoError(t, err)
	require.NoError(t, os.Chdir(dir)) // device_key_file is relative to the working folder for stdin
	t.Cleanup(func() { _ = os.Chdir(wd) })
	out := runWith(t, e, "batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p("issuer.key"),
		"-in", "-", "-format", "csv", "-out", p("issued.jsonl"))
	assert.Contains(t, out, "5 rows, 5 issued, 0 refused")
	checkOutput(t, readOutput(t, p("issued.jsonl")), rows, mustLoad(t, p("issuer.jwk")))
}

func TestBatchInvalidRows(t *testing.T) {
	dir := t.TempDir()
	keysIn(t, dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	rows := writeJSONL(t, p("rows.jsonl"), 0, 4)
	good, err := os.ReadFile(p("rows.jsonl"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(good)), "\n")
	bad := []string{
		lines[0],
		`{"kind":"kk","record":{},"device_key":"x"}`,                                     // row 2: unknown kind, bad key
		strings.Replace(lines[1], `"sex":"female"`, `"sex":"male"`, 1) + "\n" + lines[1], // rows 3 and 4: NIK mismatch; then fine
		lines[1], // row 5: the same holder as row 4
		`{"record":` + string(must(json.Marshal(rows[2].ktp))) + `,"device_key":"` + rows[2].point + `"}`, // row 6: kind defaults to ktp; fine
		`not json`, // row 7
		`{"kind":"ktp","record":{"nik":"3273014503900001"},"device_key":"` + rows[3].point + `","extra":1}`, // row 8: unknown member
	}
	require.NoError(t, os.WriteFile(p("bad.jsonl"), []byte(strings.Join(bad, "\n")+"\n"), 0o644))
	e, _ := testEnv("")
	var out bytes.Buffer
	err = runEnv(e, []string{"batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p("issuer.key"), "-in", p("bad.jsonl"), "-out", p("o.jsonl")}, &out)
	var be *BatchError
	require.ErrorAs(t, err, &be, out.String())
	var got []int
	for _, r := range be.Rows {
		got = append(got, r.Row)
	}
	assert.Equal(t, []int{2, 3, 5, 7, 8}, got, "every invalid row, stopped before issuing")
	assert.GreaterOrEqual(t, len(be.Rows[0].Problems), 2, "all problems of a row: %v", be.Rows[0])
	assert.True(t, errors.Is(be.Rows[1], credential.ErrNIKMismatch), "the record's problems are visible: %v", be.Rows[1])
	assert.Contains(t, out.String(), "refused row 2:")
	_, statErr := os.Stat(p("issuer.db"))
	assert.ErrorIs(t, statErr, os.ErrNotExist, "nothing allocated")

	out.Reset()
	require.NoError(t, runEnv(e, []string{"batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p("issuer.key"),
		"-in", p("bad.jsonl"), "-out", p("o.jsonl"), "-skip-invalid"}, &out))
	assert.Contains(t, out.String(), "8 rows, 3 issued, 5 refused")
	issued := readOutput(t, p("o.jsonl"))
	var issuedRows []int
	for _, l := range issued {
		issuedRows = append(issuedRows, l.Row)
	}
	assert.Equal(t, []int{1, 4, 6}, issuedRows)
}

func TestRevokeByNIKAndDevice(t *testing.T) {
	dir := t.TempDir()
	keysIn(t, dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	rows := writeJSONL(t, p("rows.jsonl"), 0, 3)
	// A second phone of the first resident.
	second := writeJSONL(t, p("phone2.jsonl"), 0, 1)
	e, clock := testEnv("")
	runWith(t, e, "batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p("issuer.key"), "-in", p("rows.jsonl"), "-out", p("a.jsonl"))
	runWith(t, e, "batch", "-db", p("issuer.db"), "-key", p("issuer.key"), "-in", p("phone2.jsonl"), "-out", p("b.jsonl"))
	nik := string(rows[0].ktp.NIK)

	statusOf := func() map[credential.StatusRef]status.Status {
		clock.advance(time.Second)
		runWith(t, e, "publish", "-db", p("issuer.db"), "-key", p("issuer.key"), "-trust", p("trust.jws"), "-root", p("root.jwk"), "-out", p("status.cbor"))
		signed, err := statuslist.Parse(must(os.ReadFile(p("status.cbor"))))
		require.NoError(t, err)
		l, err := signed.Verify(mustLoad(t, p("issuer.jwk")))
		require.NoError(t, err)
		got := map[credential.StatusRef]status.Status{}
		for _, f := range []string{"a.jsonl", "b.jsonl"} {
			for _, line := range readOutput(t, p(f)) {
				s, err := l.Get(line.Index)
				require.NoError(t, err)
				got[credential.StatusRef{List: line.List, Index: line.Index}] = s
			}
		}
		return got
	}
	count := func(m map[credential.StatusRef]status.Status, s status.Status) int {
		n := 0
		for _, v := range m {
			if v == s {
				n++
			}
		}
		return n
	}

	out := runWith(t, e, "revoke", "-db", p("issuer.db"), "-nik", nik, "-dry-run")
	assert.Equal(t, 2, strings.Count(out, "valid -> revoked"), "both phones shown: %s", out)
	assert.Contains(t, out, "dry run")
	assert.Equal(t, 4, count(statusOf(), status.StatusValid), "a dry run changes nothing")

	code, err := exitCode("revoke", "-db", p("issuer.db"), "-nik", nik)
	assert.Equal(t, 2, code, "no -yes and no terminal: refused after showing: %v", err)

	// On a terminal the change waits for "yes".
	e2, _ := testEnv("no\n")
	e2.stdinTerminal, e2.Now = true, clock.now
	require.Error(t, runEnv(e2, []string{"suspend", "-db", p("issuer.db"), "-nik", nik}, &bytes.Buffer{}))
	e2.stdin = strings.NewReader("yes\n")
	require.NoError(t, runEnv(e2, []string{"suspend", "-db", p("issuer.db"), "-nik", nik}, &bytes.Buffer{}))
	assert.Equal(t, 2, count(statusOf(), status.StatusSuspended))

	// The new phone alone is reinstated, by its device key.
	kid, err := keys.KeyID(second[0].device)
	require.NoError(t, err)
	runWith(t, e, "reinstate", "-db", p("issuer.db"), "-device-kid", hex.EncodeToString(kid), "-yes")
	got := statusOf()
	assert.Equal(t, 1, count(got, status.StatusSuspended))
	assert.Equal(t, 3, count(got, status.StatusValid))

	runWith(t, e, "revoke", "-db", p("issuer.db"), "-nik", nik, "-yes", "-reason", "lost phone")
	assert.Equal(t, 2, count(statusOf(), status.StatusRevoked))
	code, _ = exitCode("reinstate", "-db", p("issuer.db"), "-nik", nik, "-yes")
	assert.Equal(t, 2, code, "a revocation is for good")
	code, _ = exitCode("revoke", "-db", p("issuer.db"), "-nik", "3273014503900009", "-yes")
	assert.Equal(t, 2, code, "a NIK never issued")
}

func TestPublishRefuses(t *testing.T) {
	dir := setup(t)
	p := func(n string) string { return filepath.Join(dir, n) }
	runOK(t, "issue", "-key", p("issuer.key"), "-issuer-id", "3273", "-db", p("issuer.db"),
		"-person", p("siti.json"), "-device", p("device.pem"), "-out", p("creds"))
	publish := func(e env, key string) error {
		return runEnv(e, []string{"publish", "-db", p("issuer.db"), "-key", p(key), "-trust", p("trust.jws"), "-root", p("root.jwk"), "-out", p("status.cbor")}, &bytes.Buffer{})
	}
	e, clock := testEnv("")
	var u *exampleutil.UsageError
	require.ErrorAs(t, publish(e, "root.key"), &u, "the root key is not an issuer key")
	runOK(t, "keygen", "-alg", "EdDSA", "-key", p("stranger.key"), "-pub", p("stranger.jwk"))
	require.ErrorAs(t, publish(e, "stranger.key"), &u, "a key outside the trust list")
	_, err := os.Stat(p("status.cbor"))
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing published")

	e.Sleep = clock.advance // waiting moves the test's clock
	require.NoError(t, publish(e, "issuer.key"))
	first := must(os.ReadFile(p("status.cbor")))
	require.NoError(t, publish(e, "issuer.key"), "the same second again: waits for the next")
	assert.Equal(t, testkit.Now.Add(time.Second), clock.now(), "waited one second")
	second := must(os.ReadFile(p("status.cbor")))
	clock.advance(-time.Hour)
	require.ErrorIs(t, publish(e, "issuer.key"), issuerdb.ErrNotNewer, "a clock gone back")
	assert.Equal(t, second, must(os.ReadFile(p("status.cbor"))), "the published list is kept")
	assert.NotEqual(t, first, second)
	clock.advance(time.Hour + time.Second)
	require.NoError(t, publish(e, "issuer.key"))
	out := runOK(t, "info", "-db", p("issuer.db"))
	assert.Contains(t, out, "list 1: 1 of 1048576 used, 0 revoked, 0 suspended, published 3 time(s)")

	// A list that cannot be written is not recorded as published.
	clock.advance(time.Second)
	for _, where := range [][]string{{"-out-dir", p("missing")}, {"-out", p("missing/s.cbor")}, {"-out", p("creds")}} {
		err := runEnv(e, append([]string{"publish", "-db", p("issuer.db"), "-key", p("issuer.key")}, where...), &bytes.Buffer{})
		assert.Error(t, err, "%v", where)
	}
	out = runOK(t, "info", "-db", p("issuer.db"))
	assert.Contains(t, out, "published 3 time(s)", "the failed publications are not counted")
}

func TestKeygenAndTrustListNeverOverwrite(t *testing.T) {
	dir := setup(t)
	p := func(n string) string { return filepath.Join(dir, n) }
	before := must(os.ReadFile(p("root.key")))
	code, err := exitCode("keygen", "-key", p("root.key"), "-pub", p("new.jwk"))
	assert.Equal(t, 2, code, "%v", err)
	code, _ = exitCode("keygen", "-key", p("new.key"), "-pub", p("root.jwk"))
	assert.Equal(t, 2, code, "the public key file is not replaced either")
	assert.Equal(t, before, must(os.ReadFile(p("root.key"))))
	_, statErr := os.Stat(p("new.key"))
	assert.ErrorIs(t, statErr, os.ErrNotExist, "nothing written")
	runOK(t, "keygen", "-key", p("root2.key"), "-pub", p("root2.jwk"))
	runOK(t, "keygen", "-key", p("root2.key"), "-pub", p("root2.jwk"), "-force")

	// One file for both, or a -pub that cannot be written: refused before
	// the private key is written (or, with -force, replaced).
	root2 := must(os.ReadFile(p("root2.key")))
	require.NoError(t, os.Mkdir(p("adir"), 0o700))
	for _, args := range [][]string{
		{"-key", p("same.key"), "-pub", p("same.key")},
		{"-key", p("same.key"), "-pub", filepath.Join(dir, ".", "same.key")},
		{"-key", p("root2.key"), "-pub", p("root2.key"), "-force"},
		{"-key", p("root2.key"), "-pub", p("adir"), "-force"},
		{"-key", p("root2.key"), "-pub", p("missing/x.jwk"), "-force"},
	} {
		code, err := exitCode(append([]string{"keygen"}, args...)...)
		assert.Equal(t, 2, code, "%v: %v", args, err)
	}
	assert.Equal(t, root2, must(os.ReadFile(p("root2.key"))), "the private key is kept")
	_, statErr = os.Stat(p("same.key"))
	assert.ErrorIs(t, statErr, os.ErrNotExist)

	tl := func(seq string, extra ...string) (int, error) {
		return exitCode(append([]string{"trustlist", "-root-key", p("root.key"), "-issuer", "3273," + p("issuer.jwk") + ",Bandung", "-out", p("trust.jws"), "-seq", seq}, extra...)...)
	}
	code, _ = tl("1")
	assert.Equal(t, 2, code, "sequence 1 is the one in trust.jws")
	code, _ = tl("2")
	assert.Equal(t, 0, code)
	code, _ = tl("2")
	assert.Equal(t, 2, code)
	code, _ = tl("1", "-force")
	assert.Equal(t, 0, code, "-force replaces it")
}

func TestMigrateStateJSON(t *testing.T) {
	dir := t.TempDir()
	keysIn(t, dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	kid := must(keys.KeyID(testkit.Device("migrate").Public()))
	state := `{"issuer_id":"3273","list_id":1,"size":65536,"bits":2,"entries":[
	 {"index":7,"status":"valid","nik":"3273014503900001","device":"` + hex.EncodeToString(kid) + `","issued_at":"2026-01-02T03:04:05Z"},
	 {"index":9,"status":"revoked","nik":"3171011708850003","device":"` + hex.EncodeToString(kid) + `","issued_at":"2026-01-02T03:04:05Z"}]}`
	require.NoError(t, os.WriteFile(p("state.json"), []byte(state), 0o600))
	runOK(t, "migrate", "-state", p("state.json"), "-db", p("issuer.db"))
	code, _ := exitCode("migrate", "-state", p("state.json"), "-db", p("issuer.db"))
	assert.Equal(t, 2, code, "an existing database is not replaced")

	db, err := issuerdb.Open(p("issuer.db"))
	require.NoError(t, err)
	lists, err := db.Lists()
	require.NoError(t, err)
	require.Len(t, lists, 1)
	assert.Equal(t, issuerdb.List{ID: 1, Size: 65536, Used: 2, Revoked: 1}, lists[0])
	es, err := db.Find(issuerdb.Query{NIK: "3171011708850003"})
	require.NoError(t, err)
	require.Len(t, es, 1)
	assert.Equal(t, uint32(9), es[0].Ref.Index)
	assert.Equal(t, status.StatusRevoked, es[0].Status)
	assert.Equal(t, kid, es[0].Device)
	require.NoError(t, db.Close())

	// New issues never take a migrated index; the migrated revocation is published.
	rows := writeJSONL(t, p("rows.jsonl"), 0, 300)
	runOK(t, "batch", "-db", p("issuer.db"), "-key", p("issuer.key"), "-in", p("rows.jsonl"), "-out", p("o.jsonl"))
	for r := range checkOutput(t, readOutput(t, p("o.jsonl")), rows, mustLoad(t, p("issuer.jwk"))) {
		assert.NotContains(t, []uint32{7, 9}, r.Index)
	}
	runOK(t, "publish", "-db", p("issuer.db"), "-key", p("issuer.key"), "-trust", p("trust.jws"), "-root", p("root.jwk"), "-out-dir", dir)
	signed, err := statuslist.Parse(must(os.ReadFile(p("status-1.cbor"))))
	require.NoError(t, err)
	l, err := signed.Verify(mustLoad(t, p("issuer.jwk")))
	require.NoError(t, err)
	s, err := l.Get(9)
	require.NoError(t, err)
	assert.Equal(t, status.StatusRevoked, s)

	for name, bad := range map[string]string{
		"bits":    `{"issuer_id":"3273","list_id":1,"size":8,"bits":1,"entries":[]}`,
		"size":    `{"issuer_id":"3273","list_id":1,"size":200000000,"bits":2,"entries":[]}`,
		"twice":   `{"issuer_id":"3273","list_id":1,"size":8,"bits":2,"entries":[{"index":1,"status":"valid","nik":"3273014503900001","device":"aa","issued_at":"2026-01-02T03:04:05Z"},{"index":1,"status":"valid","nik":"3273014503900001","device":"ab","issued_at":"2026-01-02T03:04:05Z"}]}`,
		"outside": `{"issuer_id":"3273","list_id":1,"size":8,"bits":2,"entries":[{"index":8,"status":"valid","nik":"3273014503900001","device":"aa","issued_at":"2026-01-02T03:04:05Z"}]}`,
		"unknown": `{"issuer_id":"3273","list_id":1,"size":8,"bits":2,"entries":[],"x":1}`,
		"kid7":    `{"issuer_id":"3273","list_id":1,"size":8,"bits":2,"entries":[{"index":1,"status":"valid","nik":"3273014503900001","device":"c4f9e22bfbd9e7","issued_at":"2026-01-02T03:04:05Z"}]}`,
		"iat0":    `{"issuer_id":"3273","list_id":1,"size":8,"bits":2,"entries":[{"index":1,"status":"valid","nik":"3273014503900001","device":"c4f9e22bfbd9e74b","issued_at":"0001-01-01T00:00:00Z"}]}`,
		"badid":   `{"issuer_id":"../x","list_id":1,"size":8,"bits":2,"entries":[]}`,
		"listmax": `{"issuer_id":"3273","list_id":4294967295,"size":8,"bits":2,"entries":[]}`,
		"case":    `{"ISSUER_ID":"3273","list_id":1,"size":8,"bits":2,"entries":[]}`,
		"dup":     `{"issuer_id":"3273","issuer_id":"3171","list_id":1,"size":8,"bits":2,"entries":[]}`,
	} {
		require.NoError(t, os.WriteFile(p("bad.json"), []byte(bad), 0o600))
		code, err := exitCode("migrate", "-state", p("bad.json"), "-db", p(name+".db"))
		assert.Equal(t, 2, code, "%s: %v", name, err)
		_, statErr := os.Stat(p(name + ".db"))
		assert.ErrorIs(t, statErr, os.ErrNotExist, "%s: no database left", name)
	}
}

func TestBatchKeyChecks(t *testing.T) {
	dir := t.TempDir()
	keysIn(t, dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	writeJSONL(t, p("rows.jsonl"), 0, 3)
	args := func(key string, extra ...string) []string {
		return append([]string{"batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p(key), "-in", p("rows.jsonl"), "-out", p("o.jsonl")}, extra...)
	}
	code, err := exitCode(args("root.key", "-trust", p("trust.jws"), "-root", p("root.jwk"))...)
	assert.Equal(t, 2, code, "the root key does not issue: %v", err)
	code, _ = exitCode(args("issuer.key", "-trust", p("trust.jws"))...)
	assert.Equal(t, 2, code, "-trust without -root")
	_, statErr := os.Stat(p("o.jsonl"))
	assert.ErrorIs(t, statErr, os.ErrNotExist)

	// A batch started with one key is not resumed with another.
	input := must(os.ReadFile(p("rows.jsonl")))
	sum := sha256.Sum256(input)
	db, err := issuerdb.Create(p("issuer.db"), "3273", 1024)
	require.NoError(t, err)
	abs, err := filepath.Abs(p("o.jsonl"))
	require.NoError(t, err)
	_, err = db.StartBatch(issuerdb.Batch{Name: hex.EncodeToString(sum[:16]), Out: abs, Rows: 3, Signer: []byte{1, 2, 3},
		IssuedAt: testkit.Now, Valid: time.Hour, Profiles: "full"})
	require.NoError(t, err)
	require.NoError(t, db.Close())
	code, err = exitCode(args("issuer.key")...)
	assert.Equal(t, 2, code, "%v", err)
	assert.ErrorContains(t, err, "started with -out "+abs+" and the issuer key with kid 010203")
	assert.NotContains(t, err.Error(), "issuerdb:", "the message speaks of the program's flags, not of its packages")

	runOK(t, append(args("issuer.key", "-trust", p("trust.jws"), "-root", p("root.jwk")), "-out", p("o2.jsonl"), "-db", p("other.db"))...)
	assert.Len(t, readOutput(t, p("o2.jsonl")), 3, "the issuer's own key passes the check")
}
