package conformance

import (
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"fmt"

	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/statuslist"
)

// rawList is a status list token built claim by claim, so that vectors can
// carry what ikd's issuer never signs: lists of 1, 4 or 8 bits, values
// above 3, and broken claims that only a verifier's checks refuse.
type rawList struct {
	o    statusOpts
	bits int
	data []byte // the bit array before compression
	// lst, when set, replaces zlib(data).
	lst []byte
	// edit, when set, changes the CWT claims map before it is encoded.
	edit func(claims map[any]any)
}

// bitArray returns size entries of bits bits, entry i holding set[i],
// entry i in bits bits·(i mod 8/bits) upwards of byte i·bits/8.
func bitArray(bits, size int, set map[uint32]uint8) []byte {
	data := make([]byte, size*bits/8)
	per := 8 / bits
	for i, v := range set {
		data[int(i)/per] |= v << (uint(int(i)%per) * uint(bits))
	}
	return data
}

func deflate(data []byte) []byte {
	var buf bytes.Buffer
	zw, err := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	must(err)
	_, err = zw.Write(data)
	must(err)
	must(zw.Close())
	return buf.Bytes()
}

// rawStatusList signs r as list 1 of is and returns its hex.
func (w *world) rawStatusList(is *issuer, r rawList) string {
	lst := r.lst
	if lst == nil {
		lst = deflate(r.data)
	}
	claims := map[any]any{
		int64(2):     fmt.Sprintf("urn:ikd:status:%s:1", is.id),
		int64(6):     r.o.iat.Unix(),
		int64(65533): map[any]any{"bits": int64(r.bits), "lst": lst},
	}
	if !r.o.exp.IsZero() {
		claims[int64(4)] = r.o.exp.Unix()
	}
	if r.o.ttl > 0 {
		claims[int64(65534)] = int64(r.o.ttl.Seconds())
	}
	if r.edit != nil {
		r.edit(claims)
	}
	tok := signStatusPayload(is, marshal(claims))
	return hex.EncodeToString(tok)
}

// signStatusPayload signs CWT claims bytes as a status list token of is.
func signStatusPayload(is *issuer, payload []byte) []byte {
	b, err := sign1.SignWithHeader(nil, is.signer, is.alg, is.kid, map[int]any{16: statuslist.MediaType}, payload)
	must(err)
	return b
}
