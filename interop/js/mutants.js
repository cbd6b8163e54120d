// mutants.js checks that the conformance vectors can tell: for each rule
// below it copies this verifier, removes or changes the one check that
// enforces the rule, runs every vector against the copy, and reports the
// mutant as caught when at least one vector then fails. A mutant that
// passes every vector is a rule the vectors do not test (testdata/README.md,
// "Rules and their vectors"). Usage: node mutants.js [vector dir]. It exits
// with status 1 if a mutant is not caught or a check is no longer found.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2] || path.join(here, '..', '..', 'testdata', 'vectors');

// [rule, file, the check as written, what the mutant has instead]
const MUTANTS = [
  ["status bits general rule -> 2-bit only", "status.js", "const per = 8 / this.bits;", "const per = 4;"],
  ["status value >3 masked to 2 bits", "status.js", "& ((1 << this.bits) - 1);", "& 3;"],
  ["status lst empty allowed", "status.js", "if (entries.length === 0) throw new Malformed('lst inflates to no bytes');", ""],
  ["status lst trailing allowed", "status.js", "if (r.engine.bytesWritten !== tok.claims.lst.length) throw new Error('bytes after the zlib stream');", ""],
  ["status unknown claim allowed", "status.js", "default: throw new Malformed('unknown claim ' + k);", "default: break;"],
  ["status unknown member allowed", "status.js", "else throw new Malformed('unknown status_list member');", ""],
  ["status ttl bound", "status.js", "claims.ttl > MAX_TTL", "false"],
  ["status list id bound", "status.js", "|| Number(s[2]) > 0xffffffff", ""],
  ["status bits set", "status.js", "[1, 2, 4, 8].includes(claims.bits)", "[1, 2, 3, 4, 8].includes(claims.bits)"],
  ["time bound", "cbor.js", "if (n > MAX_TIME)", "if (false)"],
  ["signature length", "cose.js", "if (sig.length !== 64) throw new Malformed('signature is not 64 bytes');", ""],
  ["text trim check", "documents.js", "else if (s.trim() !== s) problems.push(['value', key, 'leading or trailing space']);", ""],
  ["text length", "documents.js", "if (Buffer.byteLength(s, 'utf8') > MAX_TEXT)", "if (false)"],
  ["issue before birth", "documents.js", "compact(c.issue_date) < compact(c.birth_date)", "false"],
  ["validity before issue", "documents.js", "compact(c.validity.until) < compact(c.issue_date)", "false"],
  ["WNA needs nationality", "documents.js", "if (c.nationality === undefined) problems.push(['value', 'nationality', 'a foreign national needs one']);", ""],
  ["WNI no nationality", "documents.js", "} else if (c.citizenship === 1 && c.nationality !== undefined) problems.push(['value', 'nationality', 'a citizen has none']);", "}"],
  ["NIK leap year", "documents.js", "if (month === 2 && (leap(1900 + yy) || leap(2000 + yy))) max = 29;", "if (month === 2) max = 29;"],
  ["NIK province code", "documents.js", "if (!(Number(s.slice(0, 2)) in PROVINCES)) return false;", ""],
  ["province mismatch", "documents.js", "if (prov && normProvince(prov) !== normProvince(c.address.province))", "if (false)"],
  ["province normalisation", "documents.js", ".replace(/^PROVINSI /, '').replace(/[ .-]/g, '')", ""],
  ["mononym", "name.js", "if (words.length === 2 && words[0] === words[1]) words = words.slice(0, 1);", ""],
  ["titles", "name.js", "while (words.length > 1 && TITLES.has(words[0])) words = words.slice(1);", ""],
  ["title only word dropped", "name.js", "while (words.length > 1 && TITLES.has(words[0]))", "while (words.length > 0 && TITLES.has(words[0]))"],
  ["ticket name empty", "verifier.js", "if (p.ticket.name !== '' && !sameName", "if (!sameName"],
  ["trust typ", "trust.js", "if (header.typ !== TYP) throw new TrustError('malformed', 'typ');", ""],
  ["trust header members", "trust.js", "onlyMembers(header, ['alg', 'kid', 'typ'], 'header');", ""],
  ["drop withdrawn status lists", "verifier.js", "if (!ok) this.status.delete(k);", ""],
  ["unicode 15 printable", "documents.js", " && !laterThanUnicode15(s);", ";"],
  ["unicode 15 name", "name.js", "if (laterThanUnicode15(s)) return '';", ""],
  ["max text counts chars", "verifier.js", "Buffer.byteLength(txt, 'utf8') > MAX_TEXT", "txt.length > MAX_TEXT"],
  ["max text check removed", "verifier.js", "if (Buffer.byteLength(txt, 'utf8') > MAX_TEXT) refuse('malformed', 'text too long');", ""],
  ["version rule digits 1-6", "verifier.js", "{1,5}", "{1,6}"],
  ["policy documents", "verifier.js", "if (!docs.includes(doc.name)) refuse('policy_unmet', 'document ' + doc.name + ' not accepted');", ""],
  ["policy profiles", "verifier.js", "if (p.profiles && p.profiles.length > 0 && !p.profiles.includes(profileName)) refuse('policy_unmet', 'profile ' + profileName + ' not accepted');", ""],
  ["required claims of another document", "verifier.js", "if (!asked && (doc.name !== 'ktp' || p.required_claims.length > 0))", "if (!asked && doc.name !== 'ktp')"],
  ["ticket on a KK", "verifier.js", "if (p.ticket && doc.name !== 'ktp') refuse('ticket_mismatch', 'a ticket is matched against a KTP');", ""],
  ["KK members all shown", "documents.js", "out.members = k.members.map(", "out.members = k.members.slice(0, 1).map("],
  ["KK two heads", "documents.js", "if (head >= 0) bad('member_relationship', 'a second head'); else head = i;", "if (head < 0) head = i;"],
  ["KK member NIK birth date", "documents.js", "if (m.member_birth_date && !nikBirthDate(m.member_nik, m.member_birth_date))", "if (false)"],
  ["KK member NIK sex", "documents.js", "if (m.member_sex in TABLES.sex && m.member_sex !== nikParts(m.member_nik).sex)", "if (false)"],
  ["KK wife female", "documents.js", "if (sexOf(members[i]) === 1) bad('member_sex', 'a wife is female');", ""],
  ["KK number province", "documents.js", "if (normProvince(prov) !== normProvince(a.province))", "if (false)"],
  ["kk-school parents' claims", "documents.js", "const allowed = school ? SCHOOL_PARENT : memAllowed;", "const allowed = memAllowed;"],
  ["kk-school no sibling", "documents.js", "if (members.length > 3) bad('member_name', 'the child and its parents only');", ""],
  ["Akta birth time", "documents.js", "Number(t[1]) > 23", "Number(t[1]) > 24"],
  ["Akta mother's NIK a woman's", "documents.js", "if (b.akta_mother_nik && nikParts(b.akta_mother_nik).sex !== 2)", "if (false)"],
  ["Akta child NIK birth date", "documents.js", "if (b.akta_birth_date && !nikBirthDate(b.akta_child_nik, b.akta_birth_date))", "if (false)"],
  ["KK postal code in the address line", "documents.js", "'province', 'postal_code']) if (a[k]) parts.push(a[k]);", "'province']) if (a[k]) parts.push(a[k]);"],
  ["KK postal code range", "documents.js", "if (n < 10000n || n > 99999n)", "if (n > 99999n)"],
  ["KK marriage date of a single member", "documents.js", "if (m.member_marital_status === 1) bad('member_marriage_date', 'never married');", ""],
  ["KK WNA member's passport", "documents.js", "if (m.member_passport === undefined) bad('member_passport', 'a WNA member has one');", ""],
  ["KK WNA member's KITAS", "documents.js", "if (m.member_kitas === undefined) bad('member_kitas', 'a WNA member has one');", ""],
  ["KK no husband beside a male head", "documents.js", "if (hs === 1) bad('member_relationship', 'a male head has no husband');", ""],
  ["KK child born after the head", "documents.js", "if ((rel(m) === 4 || rel(m) === 6) && !(hb < mb))", "if (false)"],
  ["KK member columns of the profile", "documents.js", "for (const c of Object.keys(m)) if (!allowed.includes(c))", "for (const c of []) if (!allowed.includes(c))"],
  ["Akta claims of the profile", "documents.js", "for (const c of Object.keys(b)) if (!allowed.includes(c)) bad(c, 'not in profile');", ""],
  ["Akta issued before birth", "documents.js", "compact(b.akta_issue_date) < compact(b.akta_birth_date)", "false"],
  ["KK member claims count as extra", "documents.js", "...k.members.flatMap((m) => Object.keys(m))", ""],
  ["document key must be the profile's", "verifier.js", "if (!(cred.profile in cred.doc.profiles)) throw new Malformed('profile');", "if (!(cred.profile in DOCUMENTS[-3].profiles || cred.profile in DOCUMENTS[-4].profiles || cred.profile in DOCUMENTS[-5].profiles)) throw new Malformed('profile');"],];

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ikd-mutants-'));
let bad = 0;
try {
  for (const [rule, file, check, instead] of MUTANTS) {
    const copy = path.join(work, 'js');
    fs.rmSync(copy, { recursive: true, force: true });
    fs.mkdirSync(copy);
    for (const f of fs.readdirSync(here)) if (f.endsWith('.js') || f === 'package.json') fs.copyFileSync(path.join(here, f), path.join(copy, f));
    fs.symlinkSync(path.join(here, 'node_modules'), path.join(copy, 'node_modules'));
    const src = fs.readFileSync(path.join(copy, file), 'utf8');
    if (!src.includes(check)) {
      console.log(`GONE   ${rule}: ${file} no longer holds the check`);
      bad++;
      continue;
    }
    fs.writeFileSync(path.join(copy, file), src.replace(check, instead));
    const r = spawnSync(process.execPath, [path.join(copy, 'run.js'), dir], { encoding: 'utf8' });
    const last = r.stdout.trim().split('\n').pop() || r.stderr.trim().split('\n').pop();
    const caught = r.status !== 0;
    if (!caught) bad++;
    console.log(`${caught ? 'caught' : 'MISSED'} ${rule}: ${last}`);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(`${MUTANTS.length - bad}/${MUTANTS.length} mutants caught`);
process.exit(bad === 0 ? 0 : 1);
