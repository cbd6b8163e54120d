// Package qr is the wallet side of ikd and the bridge between bytes and QR
// images: it makes time-boxed presentations signed by the device key, draws
// them as QR codes, and reads QR codes back from camera frames and image
// files.
//
// # Wallet
//
// A [Wallet] holds one person's credentials, as the issuer sent them, and
// the device key they are bound to: a crypto.Signer over P-256, so that it
// can stay in Android Keystore or the iOS Secure Enclave (both offer P-256
// only). For each [Request] the wallet picks the smallest credential that
// carries the claims asked for (or the profile the request names) and makes
// a fresh presentation of it: [Wallet.Present] gives the QR text,
// [Wallet.PresentImage] the text and its image. A presentation lives
// [DefaultLifetime] (60 s: a screenshot is worthless a minute later) or, in
// share mode ("Bagikan Dokumen"), [ShareFiveMinutes] or [ShareOneHour];
// show a new one every 30 seconds or so while the code is on screen.
//
// On the wire a presentation is an untagged COSE_Sign1 (RFC 9052) by the
// device key over [credential, iat, ttl, nonce, audience?]: the shape of
// SD-CWT's key-binding token, with a 6-byte random nonce so that every code
// differs. Its QR text is "IKD1:" followed by the base45 (RFC 9285)
// encoding of those bytes; every character is in the QR alphanumeric set,
// so a KAI gate's code of up to 419 characters fits a version 12 code at
// error correction level M and a full KTP of up to 734 a version 17 code.
// docs/wire-format.md has every byte; package verify reads them.
//
// # Images
//
// [Render] draws a text as an *image.Gray at error correction level M, 4
// pixels per module and a 4-module quiet zone; encode it with image/png.
// [RenderTerminal] draws it in Unicode half blocks for a terminal with a
// dark background. [Wallet.PresentImage] checks every code it renders by
// scanning it back: gozxing, the decoder used here, misreads about 3–5% of
// clean codes of this size because of false finder patterns in the data
// area; the renderer then tries the other mask patterns, and the wallet
// draws a new nonce if none reads.
//
// # Scanning
//
// [Scan] reads a QR code from an image: a camera frame as *image.Gray or
// *image.YCbCr (used in place, no per-pixel At call), or any other
// image.Image. [ScanReader] reads a PNG or JPEG file's bytes. Scanning
// retries, in the order of measured reads per millisecond, with half
// resolution, other binarizers, the inverted image, a light blur, turned
// images and a thorough finder search, within a per-image work budget,
// before it reports [ErrNoCode]. Only QR codes are read; other barcodes
// give ErrNoCode. An image that cannot be scanned at all (too large, too
// small, not PNG or JPEG, fields that disagree) gives [ErrImage].
//
// A [Scanner] reads a camera's stream of frames: it drops a frame that
// arrives while it is busy ([ErrBusy]), looks first where the last code
// was, spreads the retries over consecutive frames, and reports each
// showing of a code once ([ErrSameCode] while it stays in view).
//
// # Limits
//
// Texts longer than 4,296 bytes (a QR code holds at most 4,296 characters) are
// refused. Images of more than 4096×4096 pixels are refused before any
// pixel is read (for files, from the image header, before the pixels are
// decoded), and so are image files whose pixels would decode to more than
// 64 MiB (a 16-bit RGBA PNG of 4096×4096), and images smaller than the
// smallest QR code (21×21 pixels). Every image costs bounded time: images
// over 2 megapixels are shrunk before detection, and an image with more
// than 40 finder-pattern candidates is given up (docs/scanning.md, "Bounded
// per frame"). The scanner never panics on input: a panic inside the
// decoder is turned into ErrNoCode.
//
// See docs/scanning.md for measurements against zbar, and docs/api.md for
// the calls a wallet needs.
package qr
