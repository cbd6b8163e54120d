package keys

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// maxKeyFile is the largest key file LoadPrivateKey and LoadPublicKey read.
const maxKeyFile = 64 << 10

// File formats: a path ending in ".jwk" or ".json" is a JWK (RFC 7517) in
// JSON, any other path PEM. Loading looks at the content instead: a file
// whose first non-space byte is '{' is a JWK, anything else PEM.
func isJWKPath(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".jwk" || ext == ".json"
}

// SavePrivateKey writes key to path, readable by its owner only (mode
// 0600): as a JWK with d, kid, alg and use when path ends in ".jwk" or
// ".json", otherwise as a PEM "PRIVATE KEY" block (PKCS #8). key must be an
// *ecdsa.PrivateKey on P-256 or an ed25519.PrivateKey; a signer whose key
// cannot be exported (an HSM) is an error wrapping [ErrMalformed].
//
// The write is atomic: the key goes to a temporary file created with mode
// 0600 in the same directory, which is synced and then renamed over path,
// so that path holds either the old content or the new, never part of it,
// and the secret never sits in a file others can read.
func SavePrivateKey(path string, key crypto.Signer) error {
	if key == nil {
		return fmt.Errorf("%w: nil key", errInvalidKey)
	}
	alg, err := AlgorithmOf(key.Public())
	if err != nil {
		return err
	}
	switch key.(type) {
	case *ecdsa.PrivateKey, ed25519.PrivateKey:
	default:
		return fmt.Errorf("%w: cannot export a %T", errInvalidKey, key)
	}
	var data []byte
	if isJWKPath(path) {
		kid, err := jwkKeyID(key.Public())
		if err != nil {
			return err
		}
		data, err = jose.JSONWebKey{Key: key, KeyID: kid, Algorithm: string(alg.jose()), Use: useSig}.MarshalJSON()
		if err != nil {
			return fmt.Errorf("%w: %v", errInvalidKey, err)
		}
		data = append(data, '\n')
	} else {
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return fmt.Errorf("%w: %v", errInvalidKey, err)
		}
		data = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	}
	return writeFileAtomic(path, data, 0o600)
}

// LoadPrivateKey reads a private key that [SavePrivateKey] wrote, or a PEM
// "EC PRIVATE KEY" (SEC 1) block as OpenSSL writes it. The key must be on
// P-256 or Ed25519; a JWK may name no alg, or the key's. It returns an
// error wrapping [ErrMalformed] for a file it cannot use (over 64 KiB
// included, and a path that is not a regular file or a symlink to one: a
// named pipe or a device is refused without being read, so loading never
// blocks), and the os error if the file cannot be read.
func LoadPrivateKey(path string) (crypto.Signer, error) {
	data, err := readFileLimited(path, maxKeyFile)
	if err != nil {
		return nil, err
	}
	var key any
	if isJSON(data) {
		if err := checkJSON(data); err != nil {
			return nil, fmt.Errorf("keys: %s: %w", path, err)
		}
		var k jose.JSONWebKey
		if err := k.UnmarshalJSON(data); err != nil {
			return nil, fmt.Errorf("keys: %s: %w: %v", path, errInvalidKey, err)
		}
		if k.Algorithm != "" {
			if _, ok := algorithmFromJOSE(k.Algorithm); !ok {
				return nil, fmt.Errorf("keys: %s: %w: JWK alg %q", path, errInvalidKey, k.Algorithm)
			}
		}
		key = k.Key
	} else {
		block, _ := pem.Decode(data)
		if block == nil {
			return nil, fmt.Errorf("keys: %s: %w: neither PEM nor JWK", path, ErrMalformed)
		}
		switch block.Type {
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(block.Bytes)
		default:
			return nil, fmt.Errorf("keys: %s: %w: PEM block %q is not a private key", path, ErrMalformed, block.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("keys: %s: %w: %v", path, ErrMalformed, err)
		}
	}
	var signer crypto.Signer
	switch k := key.(type) {
	case ed25519.PrivateKey:
		signer = k
	case *ecdsa.PrivateKey:
		// Rebuild the key from its scalar, so that a JWK whose x and y do
		// not belong to d is caught.
		if k.Curve != elliptic.P256() {
			return nil, fmt.Errorf("keys: %s: %w: not a P-256 key", path, errInvalidKey)
		}
		raw, err := k.Bytes()
		if err != nil {
			return nil, fmt.Errorf("keys: %s: %w: %v", path, errInvalidKey, err)
		}
		fresh, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), raw)
		if err != nil || !fresh.PublicKey.Equal(&k.PublicKey) {
			return nil, fmt.Errorf("keys: %s: %w: public key does not match private key", path, errInvalidKey)
		}
		signer = fresh
	default:
		return nil, fmt.Errorf("keys: %s: %w: %T is not an ES256 or EdDSA private key", path, errInvalidKey, key)
	}
	if _, err := AlgorithmOf(signer.Public()); err != nil {
		return nil, fmt.Errorf("keys: %s: %w", path, err)
	}
	return signer, nil
}

// SavePublicKey writes pub to path (mode 0644, atomically as
// [SavePrivateKey]): as a JWK (RFC 7517) with kid (the base64url RFC 7638
// thumbprint), alg and use "sig" when path ends in ".jwk" or ".json", such
// as the root.jwk that scanners pin, otherwise as a PEM "PUBLIC KEY" block
// (PKIX). pub must be an ES256 or EdDSA key; otherwise the error wraps
// [ErrMalformed].
func SavePublicKey(path string, pub crypto.PublicKey) error {
	if _, err := AlgorithmOf(pub); err != nil {
		return err
	}
	var data []byte
	if isJWKPath(path) {
		j, err := marshalPublicJWK(pub)
		if err != nil {
			return err
		}
		data = append(j, '\n')
	} else {
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			return fmt.Errorf("%w: %v", errInvalidKey, err)
		}
		data = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	}
	return writeFileAtomic(path, data, 0o644)
}

// LoadPublicKey reads a public key that [SavePublicKey] wrote: a JWK or a
// PEM "PUBLIC KEY" block, as [ParsePublicKey] reads it. It returns an error
// wrapping [ErrMalformed] for a file it cannot use (a path that is not a
// regular file included, as for LoadPrivateKey), and the os error if the
// file cannot be read.
func LoadPublicKey(path string) (crypto.PublicKey, error) {
	data, err := readFileLimited(path, maxKeyFile)
	if err != nil {
		return nil, err
	}
	pub, err := ParsePublicKey(data)
	if err != nil {
		return nil, fmt.Errorf("keys: %s: %w", path, err)
	}
	return pub, nil
}

// ParsePublicKey reads a public key from the bytes of a file that
// [SavePublicKey] wrote, for a key that is not a file of its own: the root
// key a phone app pins, shipped as an asset of its package (Android assets
// are not files). It takes a JWK or a PEM "PUBLIC KEY" block of at most 64
// KiB. The key must be an ES256 or EdDSA key, checked as by [AlgorithmOf];
// in a JWK, kid, alg and use are optional but must be right when present
// (kid the RFC 7638 thumbprint, alg the key's, use "sig"), and private or
// unknown members are refused. Every error wraps [ErrMalformed].
func ParsePublicKey(data []byte) (crypto.PublicKey, error) {
	if len(data) > maxKeyFile {
		return nil, fmt.Errorf("%w: key of %d bytes, at most %d", ErrMalformed, len(data), maxKeyFile)
	}
	if isJSON(data) {
		return parsePublicJWK(data)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, fmt.Errorf("%w: no PEM PUBLIC KEY block and no JWK", ErrMalformed)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if _, err := AlgorithmOf(pub); err != nil {
		return nil, err
	}
	return pub, nil
}

func isJSON(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// readFileLimited reads path, refusing (with errTooLarge) a file over max
// bytes before reading all of it, and (with ErrMalformed) anything that is
// not a regular file, a symlink to one included: a named pipe would block
// the open or the read until someone writes to it (a scanner that never
// starts), a device can be read without end or have side effects on open,
// a directory is not a file. The check is made on the path (os.Stat, so
// that a pipe or a device is never opened) and again on the opened file
// (so that a path swapped in between is caught); the open itself does not
// block (openFlags).
func readFileLimited(path string, max int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, notRegular(path, fi.Mode())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, notRegular(path, fi.Mode())
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("keys: %s: %w: over %d bytes", path, errTooLarge, max)
	}
	return data, nil
}

func notRegular(path string, m os.FileMode) error {
	what := "a " + m.Type().String()
	switch {
	case m.IsDir():
		what = "a directory"
	case m&os.ModeNamedPipe != 0:
		what = "a named pipe"
	case m&os.ModeDevice != 0:
		what = "a device"
	case m&os.ModeSocket != 0:
		what = "a socket"
	}
	return fmt.Errorf("keys: %s: %w: %s, not a regular file", path, ErrMalformed, what)
}

// writeFileAtomic replaces path with data so that a crash or a kill at any
// moment leaves path with either its old content or the new: data goes to
// a new temporary file in the same directory (created with mode 0600, then
// set to perm), which is synced to disk, closed and renamed over path;
// then the directory is synced so that the rename itself is durable (where
// the operating system supports syncing a directory). On failure the
// temporary file is removed and path is untouched.
func writeFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, tempPrefix(base)+"*")
	if err != nil {
		return fmt.Errorf("keys: writing %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = f.Chmod(perm); err != nil {
		return fmt.Errorf("keys: writing %s: %w", path, err)
	}
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("keys: writing %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("keys: writing %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("keys: writing %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("keys: writing %s: %w", path, err)
	}
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync() // best effort: some systems cannot sync a directory
		d.Close()
	}
	return nil
}

// tempPrefix is the name prefix of writeFileAtomic's temporary files for a
// file named base: hidden, and recognisable so that a Store can remove the
// ones a killed process left behind.
func tempPrefix(base string) string { return "." + base + ".tmp-" }
