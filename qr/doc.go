// Package qr is the wallet side of ikd and the bridge between bytes and QR
// images: it builds time-boxed presentations signed by the device key, turns
// them into QR text, draws that text as QR images, and reads QR codes back
// from camera frames and image files.
//
// # Presentations
//
// A presentation is a COSE_Sign1 (RFC 9052) made by the wallet's device key
// over an issuer-signed credential, the creation time, a time-to-live and a
// random nonce, so that every code the wallet shows is different and a
// screenshot expires within a minute: the shape of SD-CWT's key-binding
// token. On the wire it is an untagged COSE_Sign1 with protected header
// {alg: ES256} whose payload is the CBOR array
//
//	[credential, iat, ttl, nonce]  or  [credential, iat, ttl, nonce, audience]
//
// with the credential embedded as a CBOR item (not a byte string), iat in
// Unix seconds, ttl in seconds ([DefaultLifetime] 60 s; [ShareFiveMinutes]
// and [ShareOneHour] in share mode, "Bagikan Dokumen") and a 6-byte nonce.
// [NewPresentation] builds one; [Wallet] holds a person's credentials and
// device key and, for each request, presents the smallest profile that
// carries the claims asked for ([Wallet.Present], [Wallet.PresentImage]).
// Scanners use [Decode] and [ParsePresentation]; package verify decides.
//
// The device key is a crypto.Signer so that it can stay in Android
// Keystore or the iOS Secure Enclave; both offer P-256 only, so device keys
// are ES256.
//
// # Text form
//
// The QR text is the version prefix "IKD1:" followed by the base45 encoding
// (RFC 9285) of the presentation bytes. Every character of that text belongs
// to the QR alphanumeric set, so the code is stored in alphanumeric mode at
// 5.5 bits per character: at error correction level M a train-gate
// presentation of up to 419 characters fits in a version 12 code and a full
// KTP presentation of up to 734 characters in version 17. Base45 is
// canonical (every accepted text is the encoding of the bytes it decodes to),
// and signatures are checked over the bytes as received.
//
// # Images
//
// [Render] draws a text as an *image.Gray (black modules on white, a 4-module
// quiet zone, 4 pixels per module and level M by default), [RenderPNG]
// encodes it as PNG and [RenderTerminal] draws it in Unicode half blocks for
// a terminal with a dark background. [Version] tells which QR version a text
// needs. The wallet checks every code it renders by scanning it back:
// gozxing, the decoder used here, misreads about 3–5% of clean codes of this
// size because of false finder patterns in the data area; the renderer then
// tries another mask pattern, and the wallet draws a new nonce if none reads.
//
// # Scanning
//
// [Scan] reads a QR code from an image: a camera frame as *image.Gray or
// *image.YCbCr (used in place, no per-pixel At call), or any other
// image.Image. [ScanFile] and [ScanReader] read PNG and JPEG. A [Scanner]
// reuses its buffers across the frames of a video stream. Scanning retries,
// cheapest first, with other binarizers, a thorough finder search, half
// resolution, a light blur, the inverted image and a 90° turn before it
// reports [ErrNoCode]. Only QR codes are read; other barcodes give ErrNoCode.
//
// # Limits
//
// Texts longer than limits.MaxText are refused. Images of more than
// limits.MaxImagePixels pixels are refused before any pixel is read (for
// files, before the pixels are decoded, from the image header), and so are
// images smaller than the smallest QR code (21×21 pixels). The scanner never
// panics on input: a panic inside the decoder is turned into ErrNoCode.
//
// See docs/scanning.md for measurements against zbar.
package qr
