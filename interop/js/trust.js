// The trust list (docs/keys.md, "Trust list format"; docs/wire-format.md,
// "Trust list"): a compact JWS signed by the Dukcapil root, and the
// scanner's update rules (current root or announced next root, sequence,
// expiry).
import crypto from 'node:crypto';
import { importJWK, verifySig, ES256, EDDSA } from './keys.js';

export class TrustError extends Error {
  constructor(kind, msg) {
    super(`${kind}: ${msg}`);
    this.kind = kind; // malformed | bad_signature | rollback | expired
  }
}

const GRACE = 7 * 24 * 3600; // the store's grace past next_update, seconds
const TYP = 'ikd-trustlist+json';
const ISSUER_ID = /^[A-Za-z0-9._-]{1,32}$/;

function b64(part) {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) throw new TrustError('malformed', 'bad base64url');
  return Buffer.from(part, 'base64url');
}

function json(buf) {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buf));
  } catch {
    throw new TrustError('malformed', 'not JSON');
  }
}

function onlyMembers(o, allowed, what) {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new TrustError('malformed', `${what} is not an object`);
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new TrustError('malformed', `${what}: unknown member ${k}`);
}

const isInt = (v) => Number.isSafeInteger(v) && v >= 0;

// verifyJWS checks jws against the candidate roots ({alg, key}) and returns
// {payload (bytes), root}.
function verifyJWS(jws, roots) {
  const parts = jws.trim().split('.');
  if (parts.length !== 3) throw new TrustError('malformed', 'not a compact JWS');
  const header = json(b64(parts[0]));
  onlyMembers(header, ['alg', 'kid', 'typ'], 'header');
  const payload = b64(parts[1]);
  const sig = b64(parts[2]);
  const input = Buffer.from(parts[0] + '.' + parts[1]);
  let algOK = false;
  for (const r of roots) {
    if (header.alg !== (r.alg === ES256 ? 'ES256' : 'EdDSA')) continue;
    algOK = true;
    if (verifySig(r.alg, r.key, input, sig)) {
      if (header.typ !== TYP) throw new TrustError('malformed', 'typ');
      return { payload, root: r };
    }
  }
  throw new TrustError('bad_signature', algOK ? 'signature does not verify' : 'alg is not the root key\'s');
}

// parsePayload reads a verified payload into a trust list.
function parsePayload(payload) {
  const p = json(payload);
  onlyMembers(p, ['version', 'sequence', 'issued_at', 'next_update', 'issuers', 'jwks', 'next_root'], 'payload');
  if (p.version !== 1) throw new TrustError('malformed', 'version');
  if (!isInt(p.sequence) || p.sequence < 1 || !isInt(p.issued_at) || !isInt(p.next_update) || p.next_update <= p.issued_at) {
    throw new TrustError('malformed', 'sequence or times');
  }
  if (!Array.isArray(p.issuers)) throw new TrustError('malformed', 'issuers');
  const names = new Map();
  for (const is of p.issuers) {
    onlyMembers(is, ['id', 'name'], 'issuer');
    if (typeof is.id !== 'string' || !ISSUER_ID.test(is.id) || names.has(is.id)) throw new TrustError('malformed', 'issuer id');
    if (typeof is.name !== 'string' || is.name === '' || is.name.trim() !== is.name) throw new TrustError('malformed', 'issuer name');
    names.set(is.id, is.name);
  }
  onlyMembers(p.jwks, ['keys', 'validity'], 'jwks');
  if (!Array.isArray(p.jwks.keys) || !Array.isArray(p.jwks.validity)) throw new TrustError('malformed', 'jwks');
  const byKid = new Map();
  for (const j of p.jwks.keys) {
    let k;
    try {
      k = importJWK(j);
    } catch (e) {
      throw new TrustError('malformed', e.message);
    }
    if (j.kid !== undefined && j.kid !== k.thumbprint) throw new TrustError('malformed', 'JWK kid is not its thumbprint');
    if (byKid.has(k.thumbprint)) throw new TrustError('malformed', 'the same key twice');
    byKid.set(k.thumbprint, k);
  }
  const keys = [];
  const seen = new Set();
  const used = new Set();
  for (const v of p.jwks.validity) {
    onlyMembers(v, ['kid', 'iss', 'nbf', 'exp'], 'validity');
    const k = byKid.get(v.kid);
    if (!k) throw new TrustError('malformed', 'validity of a key not in the set');
    if (!names.has(v.iss)) throw new TrustError('malformed', 'key of an unlisted issuer');
    if (seen.has(v.kid + ' ' + v.iss)) throw new TrustError('malformed', 'the same key twice for one issuer');
    seen.add(v.kid + ' ' + v.iss);
    if (!isInt(v.nbf) || !isInt(v.exp) || v.nbf >= v.exp) throw new TrustError('malformed', 'empty window');
    used.add(v.kid);
    keys.push({ issuerId: v.iss, issuerName: names.get(v.iss), kid: k.kid, alg: k.alg, key: k.key, thumbprint: k.thumbprint, nbf: v.nbf, exp: v.exp });
  }
  for (const kid of byKid.keys()) if (!used.has(kid)) throw new TrustError('malformed', 'key without a window');
  let nextRoot = null;
  if (p.next_root !== undefined && p.next_root !== null) {
    try {
      nextRoot = importJWK(p.next_root);
    } catch (e) {
      throw new TrustError('malformed', 'next root: ' + e.message);
    }
  }
  return {
    sequence: p.sequence, issuedAt: p.issued_at, nextUpdate: p.next_update, keys, nextRoot,
    digest: crypto.createHash('sha256').update(payload).digest('hex'),
    // lookup returns the keys whose 8-byte kid is kid, in list order.
    lookup(kid) {
      if (kid.length !== 8) return [];
      return keys.filter((k) => Buffer.compare(k.kid, kid) === 0);
    },
  };
}

// TrustStore holds the pinned root, the current list and the announced next
// root.
export class TrustStore {
  constructor(rootJWK) {
    this.root = importJWK(rootJWK);
    this.list = null;
  }

  // update offers a compact JWS at time now (Unix seconds). It returns the
  // new current list or throws a TrustError; a refused list changes
  // nothing.
  update(jws, now) {
    const roots = [this.root];
    if (this.list && this.list.nextRoot) roots.push(this.list.nextRoot);
    const { payload, root } = verifyJWS(jws, roots);
    const l = parsePayload(payload);
    if (this.list) {
      if (l.sequence < this.list.sequence) throw new TrustError('rollback', 'older sequence');
      if (l.sequence === this.list.sequence) {
        if (l.digest !== this.list.digest) throw new TrustError('rollback', 'sequence reused for other content');
        return this.list;
      }
    }
    if (now > l.nextUpdate + GRACE) throw new TrustError('expired', 'past next update and grace');
    this.root = root;
    this.list = l;
    return l;
  }
}
