package main

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/keys"
)

// The batch input, one holder per row, in JSONL or CSV.
//
// JSONL: one JSON object per line (blank lines are skipped):
//
//	{"kind":"ktp","record":{...the person record of credential.KTP...},"device_key":"A0...base64url"}
//
// CSV: a header row naming the columns, in any order, then one row per
// holder. The columns are kind, device_key, device_key_file, the KTP
// person-record members nik, name, birth_place, birth_date, sex,
// blood_type, religion, marital_status, occupation, citizenship,
// nationality, validity, issuing_office, issue_date, and the address
// members street, rt, rw, kelurahan, kecamatan, regency, province. An
// empty cell is an absent value.
//
// kind is the document type, "ktp" when absent (the only one today).
// device_key is the wallet's P-256 device public key as a SEC 1 point,
// compressed (33 bytes) or uncompressed (65 bytes), in unpadded base64url:
// what Android Keystore and the Secure Enclave export. device_key_file
// instead names a JWK or PEM file, relative to the input file's folder (the
// working folder for standard input). Each row has exactly one of the two.

// Limits of the batch input.
const (
	maxRowBytes   = 64 << 10 // one JSONL line or CSV record
	maxInputBytes = 1 << 30  // the whole input
	maxRows       = 10_000_000
)

// kind is a document type a batch row can carry. Adding one (Kartu
// Keluarga, Akta Kelahiran) is one entry in kinds: how its record decodes
// from JSON, which CSV columns make the record, and how it is signed.
type kind struct {
	// name is the row's kind value.
	name string
	// decode reads a record, one well-formed JSON value, and reports every
	// problem with it.
	decode func(record []byte) (document, []error)
	// csvRecord turns a CSV row's cells (by column) into the record's JSON.
	csvRecord func(cells map[string]string) ([]byte, error)
	// csvColumns are the columns csvRecord reads.
	csvColumns []string
}

// document is a decoded, valid record of some kind.
type document interface {
	// nik is the holder's NIK, recorded with the status index.
	nik() credential.NIK
	// request returns what to sign, with the status reference and times to
	// be filled in.
	request() credential.Request
}

// ktpDoc is a KTP record.
type ktpDoc struct{ k *credential.KTP }

func (d ktpDoc) nik() credential.NIK { return d.k.NIK }

func (d ktpDoc) request() credential.Request { return credential.Request{Claims: *d.k} }

var kinds = map[string]*kind{
	"ktp": {
		name: "ktp",
		decode: func(record []byte) (document, []error) {
			k, err := decodePersonJSON(record, true)
			var pe *PersonError
			if errors.As(err, &pe) {
				errs := make([]error, len(pe.Problems))
				for i, p := range pe.Problems {
					errs[i] = p
				}
				return nil, errs
			}
			if err != nil {
				return nil, []error{err}
			}
			return ktpDoc{k}, nil
		},
		csvRecord:  ktpCSVRecord,
		csvColumns: append(append([]string(nil), ktpCSVColumns...), addressCSVColumns...),
	},
}

// ktpCSVColumns are the KTP members of a CSV row outside the address, in
// the person record's order; addressCSVColumns those of the address.
var (
	ktpCSVColumns = []string{"nik", "name", "birth_place", "birth_date", "sex", "blood_type", "religion",
		"marital_status", "occupation", "citizenship", "nationality", "validity", "issuing_office", "issue_date"}
	addressCSVColumns = []string{"street", "rt", "rw", "kelurahan", "kecamatan", "regency", "province"}
)

// ktpCSVRecord builds the person-record JSON from CSV cells: text as JSON
// strings, RT and RW as numbers when they are digits, leading zeros
// dropped as the KTP prints them ("007" is 7; otherwise as
// strings, which the record's decoder reports), the address members in an
// address object when any is given.
func ktpCSVRecord(cells map[string]string) ([]byte, error) {
	m := map[string]any{}
	for _, c := range ktpCSVColumns {
		if v := cells[c]; v != "" {
			m[c] = v
		}
	}
	addr := map[string]any{}
	for _, c := range addressCSVColumns {
		v := cells[c]
		if v == "" {
			continue
		}
		if (c == "rt" || c == "rw") && isDigits(v) && len(v) <= 5 {
			// As printed on the KTP, "007": the number 7.
			if t := strings.TrimLeft(v, "0"); t != "" {
				v = t
			} else {
				v = "0"
			}
			addr[c] = json.Number(v)
		} else {
			addr[c] = v
		}
	}
	if len(addr) > 0 {
		m["address"] = addr
	}
	return json.Marshal(m)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// row is one input row after validation.
type row struct {
	// n is the row's number in the input, from 1.
	n int
	// problems are everything wrong with the row; the other fields are
	// set only when it is empty.
	problems []error
	kind     *kind
	doc      document
	device   *ecdsa.PublicKey
	kid      []byte
}

// RowError is one invalid input row and all its problems.
type RowError struct {
	// Row is the row's number in the input, from 1 (the header of a CSV
	// file is not a row).
	Row int
	// Problems are every problem found, in the order found.
	Problems []error
}

// Error lists the problems on one line.
func (e *RowError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "row %d:", e.Row)
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteByte(' ')
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems.
func (e *RowError) Unwrap() []error { return e.Problems }

// errInput reports input that is not JSONL or CSV as documented.
var errInput = errors.New("batch input")

// rowSource yields the input's rows, first raw (cheap, in order), then
// split into their parts (in parallel).
type rowSource interface {
	// next returns the next raw row, or io.EOF after the last. An error
	// is for input that cannot be read on (a line over the limit, a
	// broken CSV quote).
	next() (raw any, err error)
	// split returns a raw row's kind, record JSON, device key and device
	// key file, or the problem that keeps it from being split. It is
	// safe for concurrent use.
	split(raw any) (kind string, record []byte, deviceKey, deviceFile string, problem error)
}

// jsonlSource reads JSONL.
type jsonlSource struct{ sc *bufio.Scanner }

func newJSONL(r io.Reader) *jsonlSource {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxRowBytes)
	return &jsonlSource{sc: sc}
}

// jsonlRow is the JSONL row object.
type jsonlRow struct {
	Kind          string          `json:"kind"`
	Record        json.RawMessage `json:"record"`
	DeviceKey     string          `json:"device_key"`
	DeviceKeyFile string          `json:"device_key_file"`
}

func (s *jsonlSource) next() (any, error) {
	for s.sc.Scan() {
		line := bytes.TrimSpace(s.sc.Bytes())
		if len(line) == 0 {
			continue
		}
		return bytes.Clone(line), nil
	}
	if err := s.sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %v (a line is at most %d bytes)", errInput, err, maxRowBytes)
	}
	return nil, io.EOF
}

func (s *jsonlSource) split(raw any) (string, []byte, string, string, error) {
	var r jsonlRow
	if err := strictJSON(raw.([]byte)); err != nil {
		return "", nil, "", "", fmt.Errorf("%w: not a row object: %v", errInput, err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw.([]byte)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return "", nil, "", "", fmt.Errorf("%w: not a row object: %v", errInput, err)
	}
	if dec.More() {
		return "", nil, "", "", fmt.Errorf("%w: data after the row object", errInput)
	}
	return r.Kind, r.Record, r.DeviceKey, r.DeviceKeyFile, nil
}

// csvSource reads CSV with a header row.
type csvSource struct {
	r      *csv.Reader
	header []string
	kind   *kind // the kind whose columns the header names
}

// newCSV reads the header. Every column must be known, none repeated, and
// the columns must be one kind's: kind, device_key, device_key_file and
// that kind's csvColumns.
func newCSV(r io.Reader) (*csvSource, error) {
	// A UTF-8 byte order mark, as spreadsheet programs write it, is not
	// part of the first column's name.
	br := bufio.NewReaderSize(r, maxRowBytes+4)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\xef\xbb\xbf" {
		br.Discard(3)
	}
	// The header is a row: at most maxRowBytes up to its line end (a
	// column name holds no line break), checked before the rest is read.
	if head, err := br.Peek(maxRowBytes + 1); len(head) > maxRowBytes && !bytes.ContainsRune(head, '\n') {
		return nil, fmt.Errorf("%w: CSV header: no line end in the first %d bytes", errInput, maxRowBytes)
	} else if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("%w: CSV header: %v", errInput, err)
	}
	cr := csv.NewReader(io.LimitReader(br, maxInputBytes))
	cr.ReuseRecord = false
	cr.FieldsPerRecord = 0
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: CSV header: %v", errInput, err)
	}
	known := map[string]bool{"kind": true, "device_key": true, "device_key_file": true}
	k := kinds["ktp"] // one kind today; a second one adds its columns here
	for _, c := range k.csvColumns {
		known[c] = true
	}
	seen := map[string]bool{}
	var problems []string
	for _, c := range header {
		switch {
		case !known[c]:
			problems = append(problems, fmt.Sprintf("unknown column %q", truncateText(c)))
		case seen[c]:
			problems = append(problems, fmt.Sprintf("repeated column %q", c))
		}
		seen[c] = true
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w: CSV header: %s", errInput, strings.Join(problems, "; "))
	}
	return &csvSource{r: cr, header: header, kind: k}, nil
}

// csvProblem is a CSV row that cannot be split.
type csvProblem struct{ err error }

func (s *csvSource) next() (any, error) {
	rec, err := s.r.Read()
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
		return csvProblem{fmt.Errorf("%w: %d cells, the header has %d", errInput, len(rec), len(s.header))}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: CSV: %v", errInput, err)
	}
	return rec, nil
}

func (s *csvSource) split(raw any) (string, []byte, string, string, error) {
	if p, ok := raw.(csvProblem); ok {
		return "", nil, "", "", p.err
	}
	rec := raw.([]string)
	cells := make(map[string]string, len(rec))
	size := 0
	for i, v := range rec {
		if err := checkText(s.header[i], v); err != nil {
			return "", nil, "", "", fmt.Errorf("%w: %v", errInput, err)
		}
		cells[s.header[i]] = strings.TrimSpace(v)
		size += len(v)
	}
	if size > maxRowBytes {
		return "", nil, "", "", fmt.Errorf("%w: row of %d bytes, at most %d", errInput, size, maxRowBytes)
	}
	record, err := s.kind.csvRecord(cells)
	if err != nil {
		return "", nil, "", "", fmt.Errorf("%w: %v", errInput, err)
	}
	return cells["kind"], record, cells["device_key"], cells["device_key_file"], nil
}

func truncateText(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// readRows reads and validates every row of src. dir is the folder
// device_key_file paths are relative to. A row's problems are all in
// row.problems; the error is for input that cannot be read on (a broken
// CSV quote, a line over the limit). Rows are read in order, decoded and
// checked on every core, then checked against each other in order.
func readRows(src rowSource, dir string) ([]row, error) {
	var raws []any
	var readErr error
	for {
		raw, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			readErr = fmt.Errorf("after row %d: %w", len(raws), err)
			break
		}
		if len(raws) == maxRows {
			readErr = fmt.Errorf("%w: more than %d rows; split the batch", errInput, maxRows)
			break
		}
		raws = append(raws, raw)
	}
	rows := make([]row, len(raws))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(raws); i += workers {
				rows[i] = checkRow(src, raws[i], i+1, dir)
			}
		}()
	}
	wg.Wait()

	type holderKey struct{ nik, kid string }
	byHolder := map[holderKey]int{}
	type deviceUse struct {
		nik credential.NIK
		row int
	}
	byDevice := map[string]deviceUse{}
	for i := range rows {
		r := &rows[i]
		if len(r.problems) == 0 {
			hk := holderKey{string(r.doc.nik()), string(r.kid)}
			if first, dup := byHolder[hk]; dup {
				r.problems = append(r.problems, fmt.Errorf("%w: the same NIK and device key as row %d", errInput, first))
			} else if other, shared := byDevice[string(r.kid)]; shared && other.nik != r.doc.nik() {
				r.problems = append(r.problems, fmt.Errorf("%w: the same device key as row %d, another NIK; each phone holds one person's credentials", errInput, other.row))
			} else {
				byHolder[hk] = r.n
				byDevice[string(r.kid)] = deviceUse{r.doc.nik(), r.n}
			}
		}
		if len(r.problems) > 0 {
			r.kind, r.doc, r.device, r.kid = nil, nil, nil, nil
		}
	}
	return rows, readErr
}

// checkRow splits and validates one row on its own.
func checkRow(src rowSource, raw any, n int, dir string) row {
	r := row{n: n}
	kindName, record, deviceKey, deviceFile, problem := src.split(raw)
	if problem != nil {
		r.problems = append(r.problems, problem)
		return r
	}
	if kindName == "" {
		kindName = "ktp"
	}
	k, ok := kinds[kindName]
	if !ok {
		r.problems = append(r.problems, fmt.Errorf("%w: unknown kind %q (ktp is the only one)", errInput, truncateText(kindName)))
	}
	if len(bytes.TrimSpace(record)) == 0 {
		r.problems = append(r.problems, fmt.Errorf("%w: no record", errInput))
	} else if ok {
		r.kind = k
		doc, problems := k.decode(record)
		r.doc = doc
		r.problems = append(r.problems, problems...)
	}
	dev, err := rowDevice(deviceKey, deviceFile, dir)
	if err != nil {
		r.problems = append(r.problems, err)
	} else if r.kid, err = keys.KeyID(dev); err != nil {
		r.problems = append(r.problems, fmt.Errorf("device_key: %v", err))
	} else {
		r.device = dev
	}
	return r
}

// rowDevice reads a row's device key: exactly one of a base64url SEC 1
// point and a key file.
func rowDevice(b64, file, dir string) (*ecdsa.PublicKey, error) {
	switch {
	case b64 != "" && file != "":
		return nil, fmt.Errorf("%w: both device_key and device_key_file", errInput)
	case b64 != "":
		return parseDevicePoint(b64)
	case file != "":
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		pub, err := keys.LoadPublicKey(file)
		if err != nil {
			return nil, fmt.Errorf("%w: device_key_file: %v", errInput, err)
		}
		dev, ok := pub.(*ecdsa.PublicKey)
		if !ok || dev.Curve != elliptic.P256() {
			return nil, fmt.Errorf("%w: device_key_file: not a P-256 key", errInput)
		}
		return dev, nil
	}
	return nil, fmt.Errorf("%w: no device_key or device_key_file", errInput)
}

// parseDevicePoint decodes an unpadded base64url SEC 1 P-256 point,
// compressed or uncompressed.
func parseDevicePoint(s string) (*ecdsa.PublicKey, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: device_key: not unpadded base64url: %v", errInput, err)
	}
	if len(b) == 33 && (b[0] == 2 || b[0] == 3) {
		x, y := elliptic.UnmarshalCompressed(elliptic.P256(), b)
		if x == nil {
			return nil, fmt.Errorf("%w: device_key: not a P-256 point", errInput)
		}
		b = uncompressed(x, y)
	}
	if len(b) != 65 {
		return nil, fmt.Errorf("%w: device_key: %d bytes, want a 33- or 65-byte SEC 1 P-256 point", errInput, len(b))
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), b)
	if err != nil {
		return nil, fmt.Errorf("%w: device_key: %v", errInput, err)
	}
	return pub, nil
}

func uncompressed(x, y *big.Int) []byte {
	b := make([]byte, 65)
	b[0] = 4
	x.FillBytes(b[1:33])
	y.FillBytes(b[33:])
	return b
}
