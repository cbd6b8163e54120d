// Status list tokens (docs/wire-format.md, "Status lists"; docs/status.md):
// a COSE_Sign1 with protected {alg, kid, typ: application/statuslist+cwt}
// over the CWT {2 sub, 6 iat, 4 exp?, 65534 ttl?, 65533 {bits, lst}}.
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { Malformed, decodeStrict, int, time, bytes, text, map, get } from './cbor.js';
import { parseTagged } from './cose.js';

const TYP = 'application/statuslist+cwt';
const SUB = /^urn:ikd:status:([A-Za-z0-9._-]{1,32}):(0|[1-9][0-9]{0,9})$/;
const MAX_TTL = 100 * 365 * 24 * 3600;

// parseToken reads a token without trusting it.
export function parseToken(buf) {
  const m = parseTagged(buf, [1, 4, 16]);
  if (m.typ !== TYP) throw new Malformed('typ is not ' + TYP);
  const c = map(decodeStrict(m.payload), 'claims');
  const claims = {};
  for (const [k, v] of c) {
    switch (Number(k)) {
      case 2: claims.sub = text(v, 'sub'); break;
      case 4: claims.exp = time(v, 'exp'); break;
      case 6: claims.iat = time(v, 'iat'); break;
      case 65534: claims.ttl = Number(int(v, 'ttl')); break;
      case 65533: {
        const sl = map(v, 'status_list');
        for (const [sk, sv] of sl) {
          if (sk === 'bits') claims.bits = Number(int(sv, 'bits'));
          else if (sk === 'lst') claims.lst = bytes(sv, 'lst');
          else if (sk === 'aggregation_uri') text(sv, 'aggregation_uri');
          else throw new Malformed('unknown status_list member');
        }
        break;
      }
      default: throw new Malformed('unknown claim ' + k);
    }
    if (typeof k === 'string') throw new Malformed('text claim key');
  }
  if (!claims.sub) throw new Malformed('no sub');
  if (!(claims.iat > 0)) throw new Malformed('no iat');
  if (claims.exp !== undefined && claims.exp !== 0 && claims.exp <= claims.iat) throw new Malformed('exp not after iat');
  if (claims.ttl !== undefined && (claims.ttl < 0 || claims.ttl > MAX_TTL)) throw new Malformed('ttl');
  if (![1, 2, 4, 8].includes(claims.bits)) throw new Malformed('bits');
  if (!claims.lst || claims.lst.length === 0) throw new Malformed('empty lst');
  return { ...m, claims, digest: crypto.createHash('sha256').update(m.payload).digest('hex') };
}

// open decompresses a verified token and names it.
export function open(tok) {
  let entries;
  try {
    const r = zlib.inflateSync(tok.claims.lst, { maxOutputLength: 32 << 20, info: true });
    entries = r.buffer;
    // One complete stream and nothing after it.
    if (r.engine.bytesWritten !== tok.claims.lst.length) throw new Error('bytes after the zlib stream');
  } catch (e) {
    throw new Malformed('lst: ' + e.message);
  }
  if (entries.length === 0) throw new Malformed('lst inflates to no bytes');
  const s = SUB.exec(tok.claims.sub);
  if (!s || Number(s[2]) > 0xffffffff) throw new Malformed('sub is not an ikd status list URN');
  return {
    issuerId: s[1], listId: Number(s[2]), iat: tok.claims.iat, exp: tok.claims.exp || 0,
    bits: tok.claims.bits, entries, digest: tok.digest,
    // get returns the status at index, or null past the end.
    get(index) {
      const per = 8 / this.bits;
      const byte = Math.floor(index / per);
      if (byte >= this.entries.length) return null;
      return (this.entries[byte] >> ((index % per) * this.bits)) & ((1 << this.bits) - 1);
    },
  };
}
