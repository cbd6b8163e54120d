// COSE_Sign1 framing as ikd holds it (docs/wire-format.md, "Decoding"):
// four items, shortest heads, a canonical protected header holding only
// the labels of its kind of message, and the unprotected header exactly
// the empty map.
import { Tag } from 'cbor2';
import { Malformed, decodeCanonical, bytes, map, intKeys, get } from './cbor.js';

// fromItem checks a decoded COSE_Sign1 array. labels is the set of
// protected header labels this kind of message may (and, for alg, must)
// carry. It returns {protectedBytes, alg, kid, typ, payload, signature}.
export function fromItem(item, labels) {
  if (item instanceof Tag) throw new Malformed('tagged where untagged belongs');
  if (!Array.isArray(item) || item.length !== 4) throw new Malformed('not a COSE_Sign1 array of 4');
  const [prot, unprot, payload, sig] = item;
  bytes(prot, 'protected');
  bytes(payload, 'payload');
  bytes(sig, 'signature');
  // ES256 (r ‖ s) and Ed25519 signatures are both 64 bytes; any other
  // length is a layout error (docs/wire-format.md, step 1).
  if (sig.length !== 64) throw new Malformed('signature is not 64 bytes');
  if (!(unprot instanceof Map) || unprot.size !== 0) throw new Malformed('unprotected header is not empty');
  const hdr = map(decodeCanonical(prot), 'protected header');
  const out = { protectedBytes: Buffer.from(prot), payload: Buffer.from(payload), signature: Buffer.from(sig) };
  for (const k of intKeys(hdr, 'protected header')) {
    if (!labels.includes(k)) throw new Malformed(`protected header label ${k} not allowed here`);
    const v = get(hdr, k);
    if (k === 1) {
      if (typeof v !== 'number' && typeof v !== 'bigint') throw new Malformed('alg is not an integer');
      out.alg = Number(v);
    } else if (k === 4) {
      out.kid = Buffer.from(bytes(v, 'kid'));
    } else if (k === 16) {
      if (typeof v !== 'string') throw new Malformed('typ is not text');
      out.typ = v;
    }
  }
  if (out.alg === undefined) throw new Malformed('no protected alg');
  return out;
}

// parseTagged decodes a stand-alone COSE_Sign1, with or without tag 18.
export function parseTagged(buf, labels) {
  let item = decodeCanonical(buf, { allowTag: true });
  if (item instanceof Tag) {
    if (Number(item.tag) !== 18) throw new Malformed('tag other than 18');
    item = item.contents;
  }
  return fromItem(item, labels);
}
