package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/testkit"
)

// FuzzRows feeds arbitrary batch input to both readers. Properties: no
// panic; every row read has a number one above the last; a row is either
// valid (a document, a P-256 device key and its kid) or has problems and
// nothing else; an error ends reading with the rows before it.
func FuzzRows(f *testing.F) {
	rec, err := json.Marshal(testkit.Woman())
	if err != nil {
		f.Fatal(err)
	}
	raw, err := testkit.Device("fuzz").PublicKey.Bytes()
	if err != nil {
		f.Fatal(err)
	}
	point := base64.RawURLEncoding.EncodeToString(raw)
	dir := f.TempDir()
	f.Add([]byte(`{"kind":"ktp","record":`+string(rec)+`,"device_key":"`+point+`"}`+"\n"), false)
	f.Add([]byte(`{"record":{},"device_key_file":"/dev/null"}`+"\n\n"+`{"kind":"kk"}`), false)
	f.Add([]byte("not json\n{}\n"), false)
	f.Add([]byte("kind,device_key,nik,name,rt\nktp,"+point+",3273014503900001,SITI,03\n"), true)
	f.Add([]byte("nik,nik\n1,2\n"), true)
	f.Add([]byte("nik,name\n\"unterminated,x\n"), true)
	f.Add([]byte("nik\n1,2,3\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, isCSV bool) {
		var src rowSource
		if isCSV {
			c, err := newCSV(bytes.NewReader(data))
			if err != nil {
				if !errors.Is(err, errInput) {
					t.Fatalf("header error outside errInput: %v", err)
				}
				return
			}
			src = c
		} else {
			src = newJSONL(bytes.NewReader(data))
		}
		rows, err := readRows(src, dir)
		if err != nil && !errors.Is(err, errInput) {
			t.Fatalf("error outside errInput: %v", err)
		}
		for i, r := range rows {
			if r.n != i+1 {
				t.Fatalf("row %d numbered %d", i+1, r.n)
			}
			valid := r.doc != nil && r.device != nil && len(r.kid) > 0 && r.kind != nil
			if (len(r.problems) == 0) != valid {
				t.Fatalf("row %d: %d problems, valid parts %v", r.n, len(r.problems), valid)
			}
		}
	})
}

// FuzzParseState feeds arbitrary state files to the migration's reader.
// Properties: no panic; on success every entry lies inside the list, no
// index twice, with a valid status, a well-formed NIK and a device kid.
func FuzzParseState(f *testing.F) {
	f.Add([]byte(`{"issuer_id":"3273","list_id":1,"size":8,"bits":2,"entries":[{"index":7,"status":"revoked","nik":"3273014503900001","device":"ab","issued_at":"2026-01-02T03:04:05Z"}]}`))
	f.Add([]byte(`{"issuer_id":"3273","list_id":1,"size":8,"bits":2,"entries":[{"index":8,"status":"valid","nik":"3273014503900001","device":"ab","issued_at":"2026-01-02T03:04:05Z"}]}`))
	f.Add([]byte(`{"issuer_id":"3273","list_id":1,"size":134217729,"bits":2,"entries":[]}`))
	f.Add([]byte(`{"issuer_id":"3273","list_id":1,"size":8,"bits":2,"entries":[]} {}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, entries, err := parseState(data)
		if err != nil {
			if st != nil || entries != nil {
				t.Fatal("a result with an error")
			}
			return
		}
		seen := map[uint32]bool{}
		for _, e := range entries {
			if e.Ref.List != st.ListID || int64(e.Ref.Index) >= int64(st.Size) || seen[e.Ref.Index] {
				t.Fatalf("entry %v outside list %d of %d, or twice", e.Ref, st.ListID, st.Size)
			}
			seen[e.Ref.Index] = true
			if e.Status > status.StatusSuspended || len(e.NIK) != 16 || len(e.Device) == 0 {
				t.Fatalf("entry %v: status %v, NIK %q, device %x", e.Ref, e.Status, e.NIK, e.Device)
			}
		}
	})
}
