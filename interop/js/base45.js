// Base45 (RFC 9285).
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

export class Base45Error extends Error {}

export function decodeBase45(s) {
  if (s.length % 3 === 1) throw new Base45Error('base45: invalid length');
  const out = [];
  const val = (c) => {
    const i = ALPHABET.indexOf(c);
    if (i < 0 || c.length !== 1) throw new Base45Error('base45: invalid character');
    return i;
  };
  for (let i = 0; i < s.length; i += 3) {
    if (i + 2 < s.length) {
      const n = val(s[i]) + val(s[i + 1]) * 45 + val(s[i + 2]) * 2025;
      if (n > 0xffff) throw new Base45Error('base45: triple out of range');
      out.push(n >> 8, n & 0xff);
    } else {
      const n = val(s[i]) + val(s[i + 1]) * 45;
      if (n > 0xff) throw new Base45Error('base45: pair out of range');
      out.push(n);
    }
  }
  return Uint8Array.from(out);
}
