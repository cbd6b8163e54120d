// Document types, from docs/wire-format.md ("Claims", "Profiles"). A
// document type is one entry of DOCUMENTS, keyed by its CWT claims label
// (KTP is -3): its claims (key, name, labels, type), the value tables of
// its enumerated claims, its profiles, and its own validation rules. A new
// document type (Kartu Keluarga, Akta Kelahiran) is a new entry here; the
// verifier itself does not change.
import { Malformed, uint, text, map, intKeys, get } from './cbor.js';
import { laterThanUnicode15 } from './unicode15.js';

// Value tables: wire value -> [key, Indonesian, English].
export const TABLES = {
  sex: { 1: ['male', 'LAKI-LAKI', 'Male'], 2: ['female', 'PEREMPUAN', 'Female'] },
  blood_type: {
    1: ['a', 'A', 'A'], 2: ['b', 'B', 'B'], 3: ['ab', 'AB', 'AB'], 4: ['o', 'O', 'O'],
    5: ['unknown', '-', 'Unknown'],
  },
  religion: {
    1: ['islam', 'ISLAM', 'Islam'],
    2: ['protestant', 'KRISTEN', 'Protestant Christianity'],
    3: ['catholic', 'KATOLIK', 'Catholic Christianity'],
    4: ['hindu', 'HINDU', 'Hinduism'],
    5: ['buddhist', 'BUDDHA', 'Buddhism'],
    6: ['confucian', 'KHONGHUCU', 'Confucianism'],
    7: ['kepercayaan', 'KEPERCAYAAN TERHADAP TUHAN YME', 'Belief in God Almighty'],
  },
  marital_status: {
    1: ['single', 'BELUM KAWIN', 'Single'], 2: ['married', 'KAWIN', 'Married'],
    3: ['divorced', 'CERAI HIDUP', 'Divorced'], 4: ['widowed', 'CERAI MATI', 'Widowed'],
  },
  citizenship: { 1: ['indonesian', 'WNI', 'Indonesian citizen'], 2: ['foreign', 'WNA', 'Foreign national'] },
};

// Province codes and names (credential/province.go), for the NIK.
export const PROVINCES = {
  11: 'Aceh', 12: 'Sumatera Utara', 13: 'Sumatera Barat', 14: 'Riau', 15: 'Jambi',
  16: 'Sumatera Selatan', 17: 'Bengkulu', 18: 'Lampung', 19: 'Kepulauan Bangka Belitung',
  21: 'Kepulauan Riau', 31: 'DKI Jakarta', 32: 'Jawa Barat', 33: 'Jawa Tengah',
  34: 'DI Yogyakarta', 35: 'Jawa Timur', 36: 'Banten', 51: 'Bali', 52: 'Nusa Tenggara Barat',
  53: 'Nusa Tenggara Timur', 61: 'Kalimantan Barat', 62: 'Kalimantan Tengah',
  63: 'Kalimantan Selatan', 64: 'Kalimantan Timur', 65: 'Kalimantan Utara',
  71: 'Sulawesi Utara', 72: 'Sulawesi Tengah', 73: 'Sulawesi Selatan', 74: 'Sulawesi Tenggara',
  75: 'Gorontalo', 76: 'Sulawesi Barat', 81: 'Maluku', 82: 'Maluku Utara', 91: 'Papua',
  92: 'Papua Barat', 93: 'Papua Selatan', 94: 'Papua Tengah', 95: 'Papua Pegunungan',
  96: 'Papua Barat Daya',
};

// ---- value types ----

const MAX_TEXT = 120;

function wireText(v, what) {
  const s = text(v, what);
  if (s === '') throw new Malformed(`${what}: explicit empty text`);
  return s;
}

// A date on the wire: uint YYYYMMDD, not zero, a day that exists in years
// 1800-9999.
function wireDate(v, what) {
  const n = uint(v, what);
  if (n === 0n) throw new Malformed(`${what}: explicit zero`);
  const d = dateFromCompact(n);
  if (!d) throw new Malformed(`${what}: no such date`);
  return d;
}

export function dateFromCompact(n) {
  if (n > 99991231n) return null;
  const y = Number(n / 10000n), m = Number((n / 100n) % 100n), d = Number(n % 100n);
  if (y < 1800 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return null;
  return { y, m, d };
}

function daysIn(y, m) {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const pad = (n, w) => String(n).padStart(w, '0');
const iso = (d) => `${pad(d.y, 4)}-${pad(d.m, 2)}-${pad(d.d, 2)}`;
const card = (d) => `${pad(d.d, 2)}-${pad(d.m, 2)}-${pad(d.y, 4)}`;
const compact = (d) => d.y * 10000 + d.m * 100 + d.d;

function wireEnum(v, what) {
  const n = uint(v, what, 255n);
  if (n === 0n) throw new Malformed(`${what}: explicit zero`);
  return Number(n);
}

// The NIK: 16 digits PPRRDDTTMMYYSSSS (wire-format.md, "The NIK").
export function checkNIK(s) {
  if (!/^[0-9]{16}$/.test(s)) return false;
  if (!(Number(s.slice(0, 2)) in PROVINCES)) return false;
  if (s.slice(2, 4) === '00' || s.slice(4, 6) === '00') return false;
  let day = Number(s.slice(6, 8));
  const month = Number(s.slice(8, 10)), yy = Number(s.slice(10, 12));
  if (day > 40) day -= 40;
  if (day < 1 || day > 31 || month < 1 || month > 12) return false;
  const leap = (y) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  let max = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (month === 2 && (leap(1900 + yy) || leap(2000 + yy))) max = 29;
  if (day > max) return false;
  if (s.slice(12) === '0000') return false;
  return true;
}

function wireNIK(v, what) {
  const n = uint(v, what, 0xffffffffffffffffn);
  if (n === 0n) throw new Malformed(`${what}: explicit zero`);
  const s = n.toString();
  if (!checkNIK(s)) throw new Malformed(`${what}: not a valid NIK`);
  return s;
}

const ADDRESS_TEXT = { 1: 'street', 4: 'kelurahan', 5: 'kecamatan', 6: 'regency', 7: 'province' };

function wireAddress(v, what) {
  const m = map(v, what);
  if (m.size === 0) throw new Malformed(`${what}: empty address map`);
  const a = {};
  for (const k of intKeys(m, what)) {
    const x = get(m, k);
    if (ADDRESS_TEXT[k]) a[ADDRESS_TEXT[k]] = wireText(x, `${what}.${ADDRESS_TEXT[k]}`);
    else if (k === 2 || k === 3) {
      const n = uint(x, what, 65535n);
      if (n === 0n) throw new Malformed(`${what}: explicit zero`);
      a[k === 2 ? 'rt' : 'rw'] = Number(n);
    } else throw new Malformed(`${what}: unknown address key ${k}`);
  }
  return a;
}

function wireValidity(v, what) {
  if (v === true) return { lifetime: true };
  if (v === false) throw new Malformed(`${what}: validity is neither true nor a date`);
  return { until: wireDate(v, what) };
}

function wireBool(v, what) {
  if (typeof v !== 'boolean') throw new Malformed(`${what}: not a boolean`);
  return v;
}

// ---- KTP ----

// Claim types: how each is read off the wire, shown, and written as
// person-record JSON.
const T = {
  nik: { read: wireNIK, json: (v) => v, show: (v) => [v, v] },
  text: { read: wireText, json: (v) => v, show: (v) => [v, v] },
  date: { read: wireDate, json: iso, show: (d) => [card(d), iso(d)] },
  address: {
    read: wireAddress,
    json: (a) => {
      const o = {};
      for (const k of ['street', 'rt', 'rw', 'kelurahan', 'kecamatan', 'regency', 'province']) if (a[k] !== undefined) o[k] = a[k];
      return o;
    },
    show: (a) => {
      const parts = [];
      if (a.street) parts.push(a.street);
      if (a.rt || a.rw) parts.push(`RT/RW ${pad(a.rt || 0, 3)}/${pad(a.rw || 0, 3)}`);
      for (const k of ['kelurahan', 'kecamatan', 'regency', 'province']) if (a[k]) parts.push(a[k]);
      const s = parts.join(', ');
      return [s, s];
    },
  },
  validity: {
    read: wireValidity,
    json: (v) => (v.lifetime ? 'SEUMUR HIDUP' : iso(v.until)),
    show: (v) => (v.lifetime ? ['SEUMUR HIDUP', 'For life'] : [card(v.until), iso(v.until)]),
  },
  bool: { read: wireBool, json: (v) => v, show: (v) => (v ? ['YA', 'Yes'] : ['TIDAK', 'No']) },
};

function enumType(table) {
  return {
    read: wireEnum,
    table,
    json: (v) => TABLES[table][v][0],
    show: (v) => [TABLES[table][v][1], TABLES[table][v][2]],
  };
}

const KTP_CLAIMS = {
  1: { key: 'nik', id: 'NIK', en: 'NIK', type: T.nik },
  2: { key: 'name', id: 'Nama', en: 'Name', type: T.text },
  3: { key: 'birth_place', id: 'Tempat Lahir', en: 'Place of birth', type: T.text },
  4: { key: 'birth_date', id: 'Tgl Lahir', en: 'Date of birth', type: T.date },
  5: { key: 'sex', id: 'Jenis Kelamin', en: 'Sex', type: enumType('sex') },
  6: { key: 'blood_type', id: 'Gol. Darah', en: 'Blood type', type: enumType('blood_type') },
  7: { key: 'address', id: 'Alamat', en: 'Address', type: T.address },
  8: { key: 'religion', id: 'Agama', en: 'Religion', type: enumType('religion') },
  9: { key: 'marital_status', id: 'Status Perkawinan', en: 'Marital status', type: enumType('marital_status') },
  10: { key: 'occupation', id: 'Pekerjaan', en: 'Occupation', type: T.text },
  11: { key: 'citizenship', id: 'Kewarganegaraan', en: 'Citizenship', type: enumType('citizenship') },
  12: { key: 'nationality', id: 'Kebangsaan', en: 'Nationality', type: T.text },
  13: { key: 'validity', id: 'Berlaku Hingga', en: 'Valid until', type: T.validity },
  14: { key: 'issuing_office', id: 'Tempat Terbit', en: 'Place of issue', type: T.text },
  15: { key: 'issue_date', id: 'Tgl Terbit', en: 'Date of issue', type: T.date },
  16: { key: 'over_17', id: 'Usia 17 Tahun ke Atas', en: 'Aged 17 or over', type: T.bool },
};

const FULL_REQUIRED = ['nik', 'name', 'birth_place', 'birth_date', 'sex', 'blood_type', 'address', 'religion',
  'marital_status', 'occupation', 'citizenship', 'validity', 'issuing_office', 'issue_date'];

// Profiles: value -> [name, required claims, optional claims].
const KTP_PROFILES = {
  1: ['full', FULL_REQUIRED, ['nationality']],
  2: ['travel', ['nik', 'name', 'birth_date', 'sex'], []],
  3: ['kai', ['nik', 'name'], []],
  4: ['age', ['over_17'], []],
};

function printable(s) {
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u.test(s) && !laterThanUnicode15(s);
}

function checkText(problems, key, s) {
  if (s === undefined) return;
  if (Buffer.byteLength(s, 'utf8') > MAX_TEXT) problems.push(['value', key, 'too long']);
  else if (s.trim() !== s) problems.push(['value', key, 'leading or trailing space']);
  else if (!printable(s)) problems.push(['value', key, 'unprintable character']);
}

const normProvince = (s) => s.toUpperCase().trim().replace(/^PROVINSI /, '').replace(/[ .-]/g, '');

// validateKTP returns the problems of decoded claims c under profile p:
// [group, claim, why], group "value" (malformed) or "nik" (nik_inconsistent).
function validateKTP(c, profile) {
  const problems = [];
  const [, required, optional] = KTP_PROFILES[profile];
  for (const k of required) if (c[k] === undefined) problems.push(['value', k, 'missing']);
  for (const k of Object.keys(c)) if (!required.includes(k) && !optional.includes(k)) problems.push(['value', k, 'not in profile']);
  for (const def of Object.values(KTP_CLAIMS)) {
    const v = c[def.key];
    if (v === undefined) continue;
    if (def.type.table && !(v in TABLES[def.type.table])) problems.push(['value', def.key, 'unknown value']);
    if (def.type === T.text) checkText(problems, def.key, v);
  }
  if (c.address) {
    const a = c.address;
    if (['street', 'kelurahan', 'kecamatan', 'regency', 'province'].some((k) => a[k] === undefined)) problems.push(['value', 'address', 'line missing']);
    for (const k of ['street', 'kelurahan', 'kecamatan', 'regency', 'province']) checkText(problems, 'address', a[k]);
    if ((a.rt || 0) > 999 || (a.rw || 0) > 999) problems.push(['value', 'address', 'RT/RW over 999']);
  }
  if (c.nationality !== undefined && (!/^[A-Z]{3}$/.test(c.nationality) || c.nationality === 'IDN')) problems.push(['value', 'nationality', 'not a foreign ISO 3166-1 alpha-3 code']);
  if (c.birth_date && c.issue_date && compact(c.issue_date) < compact(c.birth_date)) problems.push(['value', 'issue_date', 'before birth']);
  if (c.validity && c.validity.until && c.issue_date && compact(c.validity.until) < compact(c.issue_date)) problems.push(['value', 'validity', 'before issue']);
  if (c.citizenship === 2) {
    if (c.nationality === undefined) problems.push(['value', 'nationality', 'a foreign national needs one']);
    if (c.validity && c.validity.lifetime) problems.push(['value', 'validity', 'a foreign national is valid until a date']);
  } else if (c.citizenship === 1 && c.nationality !== undefined) problems.push(['value', 'nationality', 'a citizen has none']);
  // Consistency with the NIK.
  if (c.nik) {
    const n = c.nik;
    let day = Number(n.slice(6, 8));
    const female = day > 40;
    if (female) day -= 40;
    const month = Number(n.slice(8, 10)), yy = Number(n.slice(10, 12));
    if (c.birth_date && !(c.birth_date.d === day && c.birth_date.m === month && c.birth_date.y % 100 === yy)) problems.push(['nik', 'birth_date', 'the NIK encodes another birth date']);
    if (c.sex in TABLES.sex && (c.sex === 2) !== female) problems.push(['nik', 'sex', 'the NIK encodes another sex']);
    if (c.address && c.address.province !== undefined) {
      const prov = PROVINCES[Number(n.slice(0, 2))];
      if (prov && normProvince(prov) !== normProvince(c.address.province)) problems.push(['nik', 'address', 'another province']);
    }
  }
  return problems;
}

function decodeKTPClaims(m) {
  const c = {};
  for (const k of intKeys(map(m, 'claims'), 'claims')) {
    const def = KTP_CLAIMS[k];
    if (!def) throw new Malformed(`unknown claim key ${k}`);
    c[def.key] = def.type.read(get(m, k), def.key);
  }
  return c;
}

export const DOCUMENTS = {
  [-3]: {
    name: 'ktp',
    claims: KTP_CLAIMS,
    profiles: KTP_PROFILES,
    decode: decodeKTPClaims,
    validate: validateKTP,
  },
};

// claimOrder returns the document's claim definitions in claim key order.
export function claimOrder(doc) {
  return Object.keys(doc.claims).map(Number).sort((a, b) => a - b).map((k) => doc.claims[k]);
}
