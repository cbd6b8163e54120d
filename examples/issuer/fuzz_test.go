package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"

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
