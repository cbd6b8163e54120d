package status

import (
	"encoding"
	"fmt"

	"github.com/ikdgo/ikd/internal/limits"
)

// bitsPerEntry is the width of every entry in a list ikd issues: two bits
// hold valid, revoked and suspended (draft-ietf-oauth-status-list §4.1).
// The draft also allows 1, 4 and 8 bits; scanners decode those
// (internal/statuslist), but an issuer has no use for them, so there is
// no choice to get wrong.
const bitsPerEntry = 2

// entriesPerByte is how many entries one byte of the bit array holds.
const entriesPerByte = 8 / bitsPerEntry

// maxEntries is the largest list NewList builds: the entry cap, or the
// bit-array cap at two bits per entry, whichever is smaller. Scanners
// refuse anything larger, so an issuer must not be able to build it.
const maxEntries = min(limits.MaxStatusListEntries, limits.MaxStatusListBytes*entriesPerByte)

// List is an issuer's status list: one 2-bit [Status] per credential index,
// all [StatusValid] to begin with. The issuer changes entries with
// [List.Set] and publishes the list through
// [github.com/ikdgo/ikd/credential.Issuer.SignStatusList].
//
// A List is not safe for concurrent use: do not sign it while another
// goroutine calls [List.Set].
type List struct {
	size int
	data []byte // the bit array of draft-ietf-oauth-status-list §4.1
}

var _ encoding.BinaryMarshaler = (*List)(nil)

// NewList returns a list of size entries, all [StatusValid]. size must be
// between 1 and 134,217,728 (limits.MaxStatusListBytes at two bits per
// entry: a 32 MiB bit array, which is the most a scanner inflates);
// otherwise NewList returns an error. The list takes size/4 bytes: 25 MB
// for 100 million credentials.
func NewList(size int) (*List, error) {
	if size < 1 || size > maxEntries {
		return nil, fmt.Errorf("status: list size %d outside 1..%d", size, maxEntries)
	}
	return &List{size: size, data: make([]byte, (size+entriesPerByte-1)/entriesPerByte)}, nil
}

// Set sets the status at index: [StatusRevoked] when a phone is lost or the
// civil registry data changes, [StatusSuspended] and back to [StatusValid]
// for a temporary hold. It returns an error for an index at or beyond the
// list's size and for a status that does not fit in two bits (above 3).
func (l *List) Set(index uint32, s Status) error {
	if uint64(index) >= uint64(l.size) {
		return fmt.Errorf("%w: %d >= %d", errOutOfRange, index, l.size)
	}
	if s >= 1<<bitsPerEntry {
		return fmt.Errorf("status: %v does not fit in %d bits", s, bitsPerEntry)
	}
	shift := uint(index%entriesPerByte) * bitsPerEntry
	mask := byte(1<<bitsPerEntry-1) << shift
	b := &l.data[index/entriesPerByte]
	*b = *b&^mask | byte(s)<<shift
	return nil
}

// MarshalBinary returns the list's bit array as
// draft-ietf-oauth-status-list §4.1 defines it, uncompressed: entry i in
// bits 2·(i mod 4) and 2·(i mod 4)+1 of byte i/4, least significant bits
// first, the unused bits of the last byte zero. It is (size+3)/4 bytes, a
// copy the caller may keep. The error is always nil; the method satisfies
// [encoding.BinaryMarshaler].
//
// The status list token compresses these bytes with zlib; that and the
// signature are the signing issuer's job, not the list's.
func (l *List) MarshalBinary() ([]byte, error) {
	return append([]byte(nil), l.data...), nil
}
