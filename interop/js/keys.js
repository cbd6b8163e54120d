// Keys and signatures with Node's own crypto: JWK import, RFC 7638
// thumbprints and ikd's 8-byte COSE kids, COSE_Sign1 Sig_structure, ES256
// (64-byte r || s) and EdDSA verification, and the compressed P-256 device
// key of docs/wire-format.md ("The device key").
import crypto from 'node:crypto';
import { Malformed } from './cbor.js';

export const ES256 = -7;
export const EDDSA = -8;

const b64u = (b) => Buffer.from(b).toString('base64url');

// importJWK returns {alg, key, thumbprint, kid} for a public JWK (EC P-256
// or OKP Ed25519), or throws Malformed.
export function importJWK(j) {
  if (typeof j !== 'object' || j === null) throw new Malformed('JWK is not an object');
  let canon, alg;
  if (j.kty === 'EC' && j.crv === 'P-256' && typeof j.x === 'string' && typeof j.y === 'string' && j.d === undefined) {
    canon = `{"crv":"P-256","kty":"EC","x":"${j.x}","y":"${j.y}"}`;
    alg = ES256;
  } else if (j.kty === 'OKP' && j.crv === 'Ed25519' && typeof j.x === 'string' && j.d === undefined) {
    canon = `{"crv":"Ed25519","kty":"OKP","x":"${j.x}"}`;
    alg = EDDSA;
  } else {
    throw new Malformed('not a P-256 or Ed25519 public JWK');
  }
  if (j.alg !== undefined && j.alg !== (alg === ES256 ? 'ES256' : 'EdDSA')) throw new Malformed('JWK alg does not fit the key');
  let key;
  try {
    key = crypto.createPublicKey({ key: { kty: j.kty, crv: j.crv, x: j.x, y: j.y }, format: 'jwk' });
  } catch (e) {
    throw new Malformed('invalid public key: ' + e.message);
  }
  const thumb = crypto.createHash('sha256').update(canon).digest();
  return { alg, key, thumbprint: b64u(thumb), kid: thumb.subarray(0, 8) };
}

// P-256 field prime and curve constant b.
const P = 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

function modpow(b, e, m) {
  let r = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

// deviceKey decompresses the cnf key: x (32 bytes) and the sign of y
// (true: y is odd).
export function deviceKey(x, odd) {
  const X = BigInt('0x' + Buffer.from(x).toString('hex'));
  if (X >= P) throw new Malformed('device key x out of range');
  const a = (((X * X) % P) * X - 3n * X + B + 3n * P) % P;
  let y = modpow(a, (P + 1n) / 4n, P);
  if ((y * y) % P !== a) throw new Malformed('device key is not on P-256');
  if ((y & 1n) !== (odd ? 1n : 0n)) y = P - y;
  const yb = Buffer.from(y.toString(16).padStart(64, '0'), 'hex');
  try {
    return crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64u(x), y: b64u(yb) }, format: 'jwk' });
  } catch (e) {
    throw new Malformed('device key: ' + e.message);
  }
}

function bstrHead(n) {
  if (n < 24) return Buffer.from([0x40 | n]);
  if (n < 0x100) return Buffer.from([0x58, n]);
  if (n < 0x10000) return Buffer.from([0x59, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = 0x5a;
  b.writeUInt32BE(n, 1);
  return b;
}

// sigStructure returns ["Signature1", protected, h'', payload] (RFC 9052
// §4.4), encoded.
export function sigStructure(protectedBytes, payload) {
  return Buffer.concat([
    Buffer.from([0x84, 0x6a]), Buffer.from('Signature1'),
    bstrHead(protectedBytes.length), protectedBytes,
    Buffer.from([0x40]),
    bstrHead(payload.length), payload,
  ]);
}

// verifySig checks a 64-byte signature (r || s for ES256) over data.
export function verifySig(alg, key, data, sig) {
  if (sig.length !== 64) return false;
  try {
    if (alg === ES256) return crypto.verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig);
    if (alg === EDDSA) return crypto.verify(null, data, key, sig);
  } catch {
    return false;
  }
  return false;
}
