// Package base45 implements the Base45 encoding of RFC 9285, the text form
// that ikd puts into QR codes.
//
// Base45 turns every 2 bytes into 3 characters (and a final odd byte into 2)
// from a 45-character alphabet that is exactly the QR alphanumeric set:
//
//	0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:
//
// A QR code stores those characters in alphanumeric mode at 5.5 bits each,
// so base45 costs 8.25 bits per byte in the symbol, against 10.67 for base64
// in byte mode.
//
// # Strictness
//
// [Decode] accepts only what [Encode] produces:
//
//   - a length that is 1 more than a multiple of 3 is rejected ([ErrInvalidLength]);
//   - a character outside the alphabet, including lower case, is rejected
//     ([ErrInvalidCharacter], as a [CorruptInputError] carrying its offset);
//   - a 3-character group above 65535 (such as "GGW") or a final 2-character
//     group above 255 (such as "::") is rejected ([ErrOverflow]).
//
// With those checks base45 is canonical: every accepted string is the
// encoding of the bytes it decodes to, so no two strings decode to the same
// bytes and Encode(Decode(s)) == s for every s that Decode accepts. (A group
// c + 45·d + 2025·e names one number below 45³, and the length of the input
// fixes the length of the output.) Signatures are checked over decoded bytes;
// canonical text means that a verifier cannot be shown two different QR texts
// for the same signed message.
//
// # Empty input
//
// RFC 9285 does not say what "" decodes to; implementations differ. Here
// Encode(nil) is "" and Decode("") is an empty, non-nil slice with no error, so
// that the round trip holds for every input. Callers that need a non-empty
// message (every ikd caller) check the length of what they decode.
package base45
