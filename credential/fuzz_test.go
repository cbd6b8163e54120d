package credential

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ikdgo/ikd/internal/codec"
)

// FuzzParse feeds arbitrary bytes to Parse, seeded from the golden
// credentials (every profile, both algorithms, the three sample holders).
// Properties: Parse never panics; it fails with ErrMalformed or
// ErrAlgorithm; and when it succeeds, encoding the decoded payload again
// gives the payload bytes exactly (the decoder accepts canonical input
// only), the credential's content agrees with the payload, and Verify
// returns cleanly for any key.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.hex"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no golden seeds: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		b, err := hex.DecodeString(strings.TrimSpace(string(data)))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte{0xd2, 0x84})
	ed := ed25519.NewKeyFromSeed(make([]byte, 32)).Public()
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), bytes.NewReader(make([]byte, 64)))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrAlgorithm) {
				t.Fatalf("error %v is neither ErrMalformed nor ErrAlgorithm", err)
			}
			if s != nil {
				t.Fatal("Signed returned with an error")
			}
			return
		}
		again, err := codec.Marshal(s.body)
		if err != nil {
			t.Fatalf("accepted payload does not re-encode: %v", err)
		}
		if !bytes.Equal(again, s.msg.Payload) {
			t.Fatalf("re-encoded payload differs:\n got %x\nwant %x", again, s.msg.Payload)
		}
		c := s.UnverifiedCredential()
		if c.DeviceKey == nil || !c.Profile.Valid() || c.Document != DocumentKTP || !c.Expiry.After(c.IssuedAt) {
			t.Fatalf("accepted credential is inconsistent: %+v", c)
		}
		if !bytes.Equal(s.Bytes(), data) {
			t.Fatal("Bytes is not the input")
		}
		for _, pub := range []any{ed, &ec.PublicKey} {
			if got, err := s.Verify(pub); (got == nil) == (err == nil) {
				t.Fatalf("Verify: result %v with error %v", got, err)
			}
		}
	})
}
