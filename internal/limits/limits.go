// Package limits holds the hard size limits that every ikd decoder enforces,
// in one place so that the wallet, the scanner and the tests agree on them.
//
// The numbers are generous for what a QR code can carry (a version 40 QR code
// holds at most 4,296 alphanumeric characters) and small enough that the worst
// input an attacker can hand a scanner is decoded in bounded time and memory.
package limits

const (
	// MaxText is the longest QR text, in bytes, that the text decoder accepts.
	// A version 40 QR code holds 4,296 alphanumeric characters; ikd's largest
	// presentation is well under 1,000.
	MaxText = 4296

	// MaxMessage is the largest CBOR or COSE message, in bytes, that any
	// decoder accepts: base45 turns 3 characters into 2 bytes, so MaxText
	// characters never decode to more.
	MaxMessage = MaxText * 2 / 3

	// MaxNesting is the deepest CBOR nesting (arrays and maps inside each
	// other) that the decoder accepts. ikd's deepest structure is a COSE_Key
	// inside a cnf map inside a payload inside a presentation: 4 levels.
	MaxNesting = 8

	// MaxArrayElements is the largest CBOR array the decoder accepts.
	MaxArrayElements = 64

	// MaxMapPairs is the largest CBOR map the decoder accepts.
	MaxMapPairs = 64

	// MaxTrustList is the largest trust list document, in bytes, that a
	// scanner accepts: 514 regencies and cities with a few keys each fit in
	// well under 1 MiB.
	MaxTrustList = 4 << 20

	// MaxStatusList is the largest signed status list, in bytes, that a
	// scanner accepts. 100 million entries at 2 bits with 1% revoked compress
	// to a few MiB.
	MaxStatusList = 64 << 20

	// MaxStatusListEntries caps the decompressed size of a status list, so
	// that a small zlib stream cannot expand without bound (decompression
	// bomb): 2^30 entries of 2 bits is 256 MiB.
	MaxStatusListEntries = 1 << 30

	// MaxStatusListBytes caps the decompressed bit array of a status list,
	// in bytes, whatever its bits per entry: 32 MiB holds 2^27 (134 million)
	// entries at 2 bits, more than Indonesia's population, and bounds what a
	// zlib bomb can make a scanner allocate.
	MaxStatusListBytes = 32 << 20

	// MaxTime is the latest instant, in Unix seconds, that any ikd time
	// claim may hold: 9999-12-31T23:59:59Z. A credential's iat and exp, a
	// presentation's iat and a status list's iat and exp outside 1 to
	// MaxTime are malformed, so every time claim fits an int64 and a
	// JavaScript Number exactly, and time arithmetic cannot overflow.
	MaxTime = 253402300799

	// MaxImagePixels is the largest image, in pixels, that the QR scanner
	// decodes; larger images are refused before any pixel is read.
	MaxImagePixels = 4096 * 4096

	// MaxImageBytes caps the memory, in bytes, that decoding an image file
	// and scanning it take, counted from its headers before decoding: the
	// pixels as the standard decoders allocate them, a progressive JPEG's
	// coefficients (4 bytes per sample, kept until the last scan), and the
	// 8-bit gray copy the scanner makes of every image that is not gray or
	// YCbCr. 8-bit gray and 4:4:4 baseline JPEGs of MaxImagePixels fit (16
	// and 48 MiB); an 8-bit RGBA PNG of that size does not (80 MiB), nor a
	// 16-bit one (136 MiB), nor a progressive JPEG (80 MiB for one
	// component).
	MaxImageBytes = 64 << 20
)
