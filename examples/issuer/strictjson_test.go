package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStrictJSON(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" for accepted
	}{
		{`{"kind":"ktp","record":{"nik":"1","a":[1,{"b":2}]},"device_key":"x"}`, ""},
		{`{}`, ""},
		{`[{"a":1},{"a":1}]`, ""},
		{`{"KIND":"ktp"}`, "not lower-case ASCII"},
		{`{"\u212aind":"ktp"}`, "not lower-case ASCII"},
		{`{"device_key":"a","device_key":"b"}`, "given twice"},
		{`{"r":{"x":1,"x":2}}`, "given twice"},
		{`{"name":"\ud800"}`, "U+FFFD"},
		{"{\"name\":\"\xff\"}", "not valid UTF-8"},
		{`[[[[[[[[[1]]]]]]]]]`, "nested deeper"},
		{`{"a":`, "EOF"},
	} {
		err := strictJSON([]byte(tc.in))
		if tc.want == "" {
			assert.NoError(t, err, tc.in)
		} else {
			assert.ErrorContains(t, err, tc.want, tc.in)
		}
	}
}

func FuzzStrictJSON(f *testing.F) {
	for _, s := range []string{`{"a":{"b":[1,"x",{"c":null}]}}`, `{"a":1,"a":2}`, `{"A":1}`, `[`, `"\ud800"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = strictJSON(data) // never panics, never hangs
	})
}

// TestBatchHostileRows: rows that encoding/json or encoding/csv would
// accept with another meaning are invalid rows.
func TestBatchHostileRows(t *testing.T) {
	dir := t.TempDir()
	keysIn(t, dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	rows := writeJSONL(t, p("rows.jsonl"), 0, 2)
	rec := string(must(json.Marshal(rows[0].ktp)))
	point, other := rows[0].point, rows[1].point
	bad := []string{
		`{"KIND":"ktp","record":` + rec + `,"device_key":"` + point + `"}`,
		`{"kind":"ktp","record":` + rec + `,"DEVICE_KEY":"` + point + `"}`,
		`{"\u212aind":"ktp","record":` + rec + `,"device_key":"` + point + `"}`,
		`{"kind":"ktp","record":` + rec + `,"device_key":"` + other + `","device_key":"` + point + `"}`,
		`{"kind":"ktp","record":` + strings.Replace(rec, `"name":"`, `"name":"\ud800`, 1) + `,"device_key":"` + point + `"}`,
		`{"kind":"ktp","record":` + strings.Replace(rec, `"name":"`, "\"name\":\"\xff", 1) + `,"device_key":"` + point + `"}`,
	}
	require.NoError(t, os.WriteFile(p("bad.jsonl"), []byte(strings.Join(bad, "\n")+"\n"), 0o600))
	var out bytes.Buffer
	err := runEnv(fixedEnv, []string{"batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p("issuer.key"), "-in", p("bad.jsonl"), "-out", p("o.jsonl")}, &out)
	var be *BatchError
	require.ErrorAs(t, err, &be, out.String())
	assert.Len(t, be.Rows, len(bad), "every hostile row refused: %s", out.String())

	csvIn := "kind,device_key,nik,name\nktp," + point + ",3273014503900001,\"SITI \xffX\"\n"
	require.NoError(t, os.WriteFile(p("bad.csv"), []byte(csvIn), 0o600))
	out.Reset()
	err = runEnv(fixedEnv, []string{"batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p("issuer.key"), "-in", p("bad.csv"), "-out", p("o.jsonl")}, &out)
	require.ErrorAs(t, err, &be, out.String())
	assert.Contains(t, be.Rows[0].Error(), "not valid UTF-8")
}

// TestCSVLeadingZeros: RT and RW as the KTP prints them, "003" and
// "007", are the numbers 3 and 7.
func TestCSVLeadingZeros(t *testing.T) {
	rec, err := ktpCSVRecord(map[string]string{"nik": "3273014503900001", "rt": "003", "rw": "007", "street": "JL. DAGO"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"nik":"3273014503900001","address":{"rt":3,"rw":7,"street":"JL. DAGO"}}`, string(rec))
	rec, err = ktpCSVRecord(map[string]string{"rt": "000"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"address":{"rt":0}}`, string(rec), "zero stays a number (refused by the record's checks)")
}

// TestCSVByteOrderMark: a UTF-8 BOM before the header (spreadsheet
// exports) is not part of the first column's name.
func TestCSVByteOrderMark(t *testing.T) {
	src, err := newCSV(strings.NewReader("\xef\xbb\xbfkind,nik\nktp,3273014503900001\n"))
	require.NoError(t, err)
	assert.Equal(t, []string{"kind", "nik"}, src.header)
	_, err = newCSV(strings.NewReader("kind,\xef\xbb\xbfnik\n"))
	assert.Error(t, err, "a BOM elsewhere is part of a name, refused as unknown")
}

// TestCSVHeaderLimit: a header line over 64 KiB is refused as a row
// would be.
func TestCSVHeaderLimit(t *testing.T) {
	_, err := newCSV(strings.NewReader("kind," + strings.Repeat("x", maxRowBytes) + "\nktp\n"))
	assert.ErrorContains(t, err, "no line end in the first")
	_, err = newCSV(strings.NewReader("kind,nik"))
	assert.NoError(t, err, "a header alone, without a line end, is short")
}
