// Strict CBOR for ikd (docs/wire-format.md, "Decoding"): Core Deterministic
// Encoding (RFC 8949 §4.2.1) through cbor2's CDE options, plus the ikd
// rules cbor2 does not enforce: no tags, no simple values but true and
// false, nesting at most 8, arrays and maps at most 64 items.
import { decode, encode, Tag } from 'cbor2';

export class Malformed extends Error {}

const canonical = {
  cde: true, rejectStreaming: true, requirePreferred: true, rejectDuplicateKeys: true,
  rejectFloats: true, rejectUndefined: true, rejectSimple: true, preferMap: true,
};
// Status list tokens are decoded strictly but need not be canonical.
const lenient = {
  rejectStreaming: true, rejectDuplicateKeys: true, rejectFloats: true,
  rejectUndefined: true, rejectSimple: true, preferMap: true,
};

const MAX_DEPTH = 8;
const MAX_ITEMS = 64;

function check(v, depth, allowTagAtTop, limits) {
  if (depth > MAX_DEPTH) throw new Malformed('nesting deeper than 8');
  if (v instanceof Tag) {
    if (!allowTagAtTop) throw new Malformed('tags are not allowed');
    check(v.contents, depth, false, limits);
    return;
  }
  if (v === null || v === undefined) throw new Malformed('null and undefined are not allowed');
  if (typeof v === 'number' && !Number.isInteger(v)) throw new Malformed('floats are not allowed');
  if (Array.isArray(v)) {
    if (limits && v.length > MAX_ITEMS) throw new Malformed('array over 64 items');
    for (const x of v) check(x, depth + 1, false, limits);
  } else if (v instanceof Map) {
    if (limits && v.size > MAX_ITEMS) throw new Malformed('map over 64 items');
    for (const [k, x] of v) {
      if (typeof k !== 'number' && typeof k !== 'bigint' && typeof k !== 'string') throw new Malformed('map key of another type');
      check(x, depth + 1, false, limits);
    }
  } else if (!(v instanceof Uint8Array) && !['number', 'bigint', 'string', 'boolean'].includes(typeof v)) {
    throw new Malformed('unexpected CBOR item');
  }
}

function run(bytes, opts, allowTag, limits) {
  let v;
  try {
    v = decode(bytes, opts);
  } catch (e) {
    throw new Malformed('cbor: ' + e.message);
  }
  check(v, 1, allowTag, limits);
  return v;
}

// decodeCanonical decodes one item that must be in canonical form.
export function decodeCanonical(bytes, { allowTag = false } = {}) {
  return run(bytes, canonical, allowTag, true);
}

// decodeStrict decodes one item strictly but accepts non-canonical forms.
export function decodeStrict(bytes, { allowTag = false } = {}) {
  return run(bytes, lenient, allowTag, false);
}

// encodeCanonical encodes a value (for Sig_structure).
export function encodeCanonical(v) {
  return encode(v, { cde: true });
}

// int returns a CBOR integer as a BigInt, or throws.
export function int(v, what) {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'bigint') return v;
  throw new Malformed(`${what}: not an integer`);
}

// MAX_TIME is the latest instant a time claim may hold,
// 9999-12-31T23:59:59Z (docs/wire-format.md, "Integers and times").
export const MAX_TIME = 253402300799n;

// time reads a time claim (Unix seconds) as a Number: an integer of at
// most MAX_TIME, so that it is exact; the caller checks the lower bound.
export function time(v, what) {
  const n = int(v, what);
  if (n > MAX_TIME) throw new Malformed(`${what}: after 9999-12-31T23:59:59Z`);
  return Number(n);
}

export function uint(v, what, max) {
  const n = int(v, what);
  if (n < 0n || (max !== undefined && n > max)) throw new Malformed(`${what}: out of range`);
  return n;
}

export function bytes(v, what) {
  if (!(v instanceof Uint8Array)) throw new Malformed(`${what}: not a byte string`);
  return v;
}

export function text(v, what) {
  if (typeof v !== 'string') throw new Malformed(`${what}: not a text string`);
  return v;
}

export function map(v, what) {
  if (!(v instanceof Map)) throw new Malformed(`${what}: not a map`);
  return v;
}

// get returns m's value for an integer key, whether cbor2 gave it as a
// number or a BigInt.
export function get(m, key) {
  if (m.has(key)) return m.get(key);
  return m.get(BigInt(key));
}

// intKeys returns m's keys as numbers, or throws for a non-integer key.
export function intKeys(m, what) {
  return [...m.keys()].map((k) => {
    if (typeof k === 'string') throw new Malformed(`${what}: text key`);
    return Number(k);
  });
}
