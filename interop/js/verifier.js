// An ikd verifier written from docs/wire-format.md ("Normative rules for
// verifiers"): the checks in their normative order, each failure a reason
// key.
import crypto from 'node:crypto';
import { Malformed, decodeCanonical, uint, int, time, text, map, bytes, intKeys, get } from './cbor.js';
import { decodeBase45, Base45Error } from './base45.js';
import { fromItem } from './cose.js';
import { deviceKey, sigStructure, verifySig, ES256 } from './keys.js';
import { DOCUMENTS } from './documents.js';
import { parseToken, open } from './status.js';
import { sameName } from './name.js';

export class Refusal extends Error {
  constructor(reason, detail) {
    super(`${reason}${detail ? ': ' + detail : ''}`);
    this.reason = reason;
  }
}

const refuse = (reason, detail) => { throw new Refusal(reason, detail); };

const MAX_TEXT = 4296;
const MAX_SKEW = 300; // the largest clock skew of any policy
const ISSUER_ID = /^[A-Za-z0-9._-]{1,32}$/;

function validAudience(a) {
  return a.length <= 64 && a.trim() === a && /^[\x20-\x7e]*$/.test(a);
}

// parseCredential reads an embedded credential item (step 1).
function parseCredential(item) {
  const m = fromItem(item, [1, 4]);
  if (!m.kid || m.kid.length < 1 || m.kid.length > 32) throw new Malformed('kid missing or over 32 bytes');
  const p = map(decodeCanonical(m.payload), 'claims');
  const keys = intKeys(p, 'payload');
  // iss, exp, iat, cnf, profile, status reference, and one document's
  // claims under the document type's label (-3 for the KTP).
  const want = [1, 4, 6, 8, -1, -2];
  if (keys.length !== 7 || want.some((k, i) => keys[i] !== k) || !(keys[6] in DOCUMENTS)) throw new Malformed('payload claims');
  const cred = { ...m };
  cred.iss = text(get(p, 1), 'iss');
  cred.exp = time(get(p, 4), 'exp');
  cred.iat = time(get(p, 6), 'iat');
  const cnf = map(get(p, 8), 'cnf');
  if (cnf.size !== 1 || !cnf.has(1)) throw new Malformed('cnf');
  const ck = map(get(cnf, 1), 'COSE_Key');
  const ckk = intKeys(ck, 'COSE_Key');
  if (ckk.length !== 4 || [1, -1, -2, -3].some((k, i) => ckk[i] !== k)) throw new Malformed('COSE_Key');
  if (Number(get(ck, 1)) !== 2 || Number(get(ck, -1)) !== 1) throw new Malformed('device key is not EC2 P-256');
  const x = bytes(get(ck, -2), 'x');
  const sign = get(ck, -3);
  if (x.length !== 32 || typeof sign !== 'boolean') throw new Malformed('device key');
  cred.deviceKey = deviceKey(x, sign);
  cred.profile = Number(uint(get(p, -1), 'profile', 255n));
  const st = get(p, -2);
  if (!Array.isArray(st) || st.length !== 2) throw new Malformed('status reference');
  cred.statusList = Number(uint(st[0], 'list', 0xffffffffn));
  cred.statusIndex = Number(uint(st[1], 'index', 0xffffffffn));
  cred.doc = DOCUMENTS[keys[6]];
  cred.claims = cred.doc.decode(get(p, keys[6]));
  if (!(cred.profile in cred.doc.profiles)) throw new Malformed('profile');
  if (!ISSUER_ID.test(cred.iss)) throw new Malformed('issuer id');
  if (!(cred.iat > 0 && cred.exp > cred.iat)) throw new Malformed('need 0 < iat < exp');
  return cred;
}

// parsePresentation reads the presentation bytes (step 1).
function parsePresentation(buf) {
  if (buf[0] === 0xd2) throw new Malformed('tagged presentation');
  const item = decodeCanonical(buf);
  const m = fromItem(item, [1]);
  if (m.alg !== ES256 || !m.protectedBytes.equals(Buffer.from([0xa1, 0x01, 0x26]))) throw new Malformed('protected header must be {1: -7}');
  const body = decodeCanonical(m.payload);
  if (!Array.isArray(body) || (body.length !== 4 && body.length !== 5)) throw new Malformed('payload array');
  const pres = { ...m };
  pres.iat = time(body[1], 'iat');
  pres.ttl = Number(int(body[2], 'ttl'));
  pres.nonce = bytes(body[3], 'nonce');
  pres.audience = '';
  if (body.length === 5) {
    pres.audience = text(body[4], 'audience');
    if (pres.audience === '') throw new Malformed('empty audience must be left out');
  }
  if (!(pres.iat > 0) || pres.ttl < 1 || pres.ttl > 86400) throw new Malformed('iat or ttl');
  if (pres.nonce.length !== 6) throw new Malformed('nonce');
  if (!validAudience(pres.audience)) throw new Malformed('audience');
  pres.cred = parseCredential(body[0]);
  return pres;
}

const RANK = { unknown_issuer: 0, algorithm_not_allowed: 1, bad_issuer_signature: 2, key_not_valid: 3, malformed: 4, nik_inconsistent: 4 };

export class Verifier {
  // policy is the vector's policy object; replay is 'memory' or
  // 'unavailable'.
  constructor(policy, replay) {
    this.policy = policy;
    this.replayUnavailable = replay === 'unavailable';
    this.seen = new Map(); // replay key -> expiry
    this.trust = null;
    this.status = new Map(); // "issuer list" -> opened list (+ signer)
  }

  setTrustList(list) {
    this.trust = list;
    // Status lists count only while their signing key is trusted for their
    // issuer, valid at their iat.
    for (const [k, l] of this.status) {
      const ok = list.lookup(l.signerKid).some((c) => c.issuerId === l.issuerId && c.nbf <= l.iat && l.iat < c.exp && c.thumbprint === l.signerThumb);
      if (!ok) this.status.delete(k);
    }
  }

  checkTrustList(now) {
    if (now > this.trust.nextUpdate + this.policy.trust_list_grace) refuse('trust_list_expired');
  }

  // addStatusList adds a token (bytes) at now, or throws a Refusal.
  addStatusList(buf, now) {
    let tok;
    try {
      tok = parseToken(buf);
    } catch (e) {
      if (e instanceof Malformed) refuse('malformed', e.message);
      throw e;
    }
    this.checkTrustList(now);
    let worst = new Refusal('unknown_issuer', 'no trusted key has the kid');
    const note = (r) => { if (RANK[r.reason] >= RANK[worst.reason]) worst = r; };
    for (const k of this.trust.lookup(tok.kid || Buffer.alloc(0))) {
      if (k.alg !== tok.alg) { note(new Refusal('algorithm_not_allowed')); continue; }
      if (!verifySig(k.alg, k.key, sigStructure(tok.protectedBytes, tok.payload), tok.signature)) { note(new Refusal('bad_issuer_signature')); continue; }
      let l;
      try {
        l = open(tok);
      } catch (e) {
        if (e instanceof Malformed) refuse('malformed', e.message);
        throw e;
      }
      if (l.issuerId !== k.issuerId) { note(new Refusal('unknown_issuer', 'list of another issuer')); continue; }
      if (!(k.nbf <= l.iat && l.iat < k.exp)) { note(new Refusal('key_not_valid')); continue; }
      if (l.iat - now > MAX_SKEW) refuse('status_invalid', 'list from the future');
      const name = `${l.issuerId} ${l.listId}`;
      const held = this.status.get(name);
      if (held) {
        if (l.iat < held.iat) refuse('status_rollback', 'older list');
        if (l.iat === held.iat) {
          if (l.digest === held.digest) return;
          refuse('status_rollback', 'same iat, other content');
        }
      }
      l.signerKid = k.kid;
      l.signerThumb = k.thumbprint;
      this.status.set(name, l);
      return;
    }
    throw worst;
  }

  // verifyText verifies scanned text at now and returns the result, or
  // throws a Refusal.
  verifyText(txt, now) {
    const p = this.policy;
    // Step 1: text.
    if (txt.endsWith('\n')) txt = txt.slice(0, -1);
    if (txt.endsWith('\r')) txt = txt.slice(0, -1);
    if (Buffer.byteLength(txt, 'utf8') > MAX_TEXT) refuse('malformed', 'text too long');
    if (!txt.startsWith('IKD1:')) {
      if (/^IKD[0-9]{1,5}:./s.test(txt)) refuse('unsupported_version');
      refuse('not_ikd');
    }
    const body = txt.slice(5);
    if (body === '') refuse('malformed', 'empty');
    let pres;
    try {
      pres = parsePresentation(decodeBase45(body));
    } catch (e) {
      if (e instanceof Malformed || e instanceof Base45Error) refuse('malformed', e.message);
      throw e;
    }
    const cred = pres.cred;
    // Step 2: device signature.
    if (!verifySig(ES256, cred.deviceKey, sigStructure(pres.protectedBytes, pres.payload), pres.signature)) refuse('bad_device_signature');
    // Step 3: issuer.
    const key = this.verifyIssuer(cred);
    // Step 4: credential window.
    if (cred.iat > now + p.clock_skew) refuse('credential_not_yet_valid');
    if (now >= cred.exp) refuse('credential_expired');
    // Step 5: presentation window.
    const ahead = pres.iat - now;
    if (pres.iat < cred.iat - p.clock_skew) refuse('clock_wrong', 'before its credential');
    if (ahead > p.clock_skew) {
      if (p.clock_wrong_after > 0 && ahead > p.clock_wrong_after) refuse('clock_wrong', 'far ahead');
      refuse('presentation_from_future');
    }
    if (pres.ttl > p.max_lifetime) refuse('lifetime_too_long');
    if (now > pres.iat + pres.ttl + p.clock_skew) refuse('presentation_expired');
    // Step 6: trust list freshness.
    this.checkTrustList(now);
    // Step 7: status.
    const warnings = [];
    const soft = (r) => { if (p.warn_on_stale_status) warnings.push(r); else refuse(r); };
    const list = this.status.get(`${cred.iss} ${cred.statusList}`);
    if (!list) soft('status_unknown');
    else {
      const st = list.get(cred.statusIndex);
      if (st === null) refuse('status_invalid', 'index past the end');
      if (st === 1) refuse('revoked');
      if (st === 2) refuse('suspended');
      if (st !== 0) refuse('status_invalid', 'undefined status value');
      if (p.status_max_age > 0 && now - list.iat > p.status_max_age) soft('status_stale');
      else if (list.exp && now >= list.exp) soft('status_stale');
    }
    // Step 8: policy. The document, then the profile, then the required
    // claims of that document (another document's are skipped; at least
    // one must be of this document when the policy requires any, and a
    // document other than the KTP needs one); a ticket is for a KTP.
    const c = cred.claims;
    const doc = cred.doc;
    const profileName = doc.profiles[cred.profile][0];
    const docs = p.documents && p.documents.length > 0 ? p.documents : ['ktp'];
    if (!docs.includes(doc.name)) refuse('policy_unmet', 'document ' + doc.name + ' not accepted');
    if (p.profiles && p.profiles.length > 0 && !p.profiles.includes(profileName)) refuse('policy_unmet', 'profile ' + profileName + ' not accepted');
    const docKeys = Object.values(doc.claims).map((d) => d.key);
    const present = doc.present(c);
    let asked = false;
    for (const k of p.required_claims) {
      if (!docKeys.includes(k)) continue;
      asked = true;
      if (!present.includes(k)) refuse('policy_unmet', 'missing ' + k);
      if (k === 'over_17' && c[k] !== true) refuse('policy_unmet', 'under 17');
    }
    if (!asked && (doc.name !== 'ktp' || p.required_claims.length > 0)) refuse('policy_unmet', 'no required claim of ' + doc.name);
    if (p.ticket && doc.name !== 'ktp') refuse('ticket_mismatch', 'a ticket is matched against a KTP');
    const shows = (k) => p.required_claims.includes(k) || p.allowed_claims.includes(k);
    if (p.refuse_extra_claims && present.some((k) => !shows(k))) refuse('policy_unmet', 'extra claim');
    if (pres.audience === '' && p.require_audience) refuse('wrong_audience', 'none named');
    if (pres.audience !== '' && p.audiences.length > 0 && !p.audiences.includes(pres.audience)) refuse('wrong_audience');
    // AIRLINE and KAI name live verifiers: a share policy (max_lifetime
    // over 60 s) that lists no audience refuses a code made for them.
    if (p.audiences.length === 0 && p.max_lifetime > 60 && (pres.audience === 'AIRLINE' || pres.audience === 'KAI')) refuse('wrong_audience', 'a live verifier');
    if (p.ticket) {
      if (p.ticket.nik !== '' && p.ticket.nik !== (c.nik || '')) refuse('ticket_mismatch');
      if (p.ticket.name !== '' && !sameName(p.ticket.name, c.name || '')) refuse('ticket_mismatch');
    }
    // Step 9: replay.
    // A shared store that cannot answer refuses, unless the policy falls
    // back to this verifier's own memory (this.seen) with a warning.
    if (this.replayUnavailable && !p.warn_on_replay_store_down) refuse('replay_check_failed');
    for (const [k, exp] of this.seen) if (now > exp) this.seen.delete(k);
    const rk = crypto.createHash('sha256').update(pres.payload).digest('hex');
    if (this.seen.has(rk)) refuse('replayed');
    this.seen.set(rk, pres.iat + pres.ttl + MAX_SKEW);
    if (this.replayUnavailable) warnings.push('replay_checked_locally');
    // The result: the claims the policy shows, in claim key order (and a
    // KK's members, each with the member claims shown).
    const shown = doc.show(c, shows);
    return {
      result: 'accepted', profile: profileName, issuer_id: key.issuerId,
      issuer_name: key.issuerName, audience: pres.audience, warnings, claims: shown.claims, members: shown.members,
    };
  }

  verifyIssuer(cred) {
    let worst = null;
    const note = (r) => { if (worst === null || RANK[r] >= RANK[worst]) worst = r; };
    for (const k of this.trust.lookup(cred.kid)) {
      if (k.issuerId !== cred.iss) continue;
      if (k.alg !== cred.alg) { note('algorithm_not_allowed'); continue; }
      if (!verifySig(k.alg, k.key, sigStructure(cred.protectedBytes, cred.payload), cred.signature)) { note('bad_issuer_signature'); continue; }
      const problems = cred.doc.validate(cred.claims, cred.profile);
      if (problems.some((x) => x[0] === 'value')) { note('malformed'); continue; }
      if (problems.length > 0) { note('nik_inconsistent'); continue; }
      if (!(k.nbf <= cred.iat && cred.iat < k.exp)) { note('key_not_valid'); continue; }
      return k;
    }
    refuse(worst || 'unknown_issuer');
  }
}
