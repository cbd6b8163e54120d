// Document types, from docs/wire-format.md ("Claims", "Profiles", "Kartu
// Keluarga and Akta Kelahiran"). A document type is one entry of
// DOCUMENTS, keyed by its CWT claims label (KTP -3, Kartu Keluarga -4,
// Akta Kelahiran -5): its claims (key, name, labels, type), the value
// tables of its enumerated claims, its profiles, its decoder and
// validation rules, the claims it carries (present) and what a result
// shows (show). A new document type is a new entry here.
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
  // The Kartu Keluarga's own tables ("Kartu Keluarga and Akta Kelahiran").
  relationship: {
    1: ["head", "KEPALA KELUARGA", "Head of the family"],
    2: ["husband", "SUAMI", "Husband"],
    3: ["wife", "ISTRI", "Wife"],
    4: ["child", "ANAK", "Child"],
    5: ["child_in_law", "MENANTU", "Child-in-law"],
    6: ["grandchild", "CUCU", "Grandchild"],
    7: ["parent", "ORANG TUA", "Parent"],
    8: ["parent_in_law", "MERTUA", "Parent-in-law"],
    9: ["other_relative", "FAMILI LAIN", "Other relative"],
    10: ["domestic_worker", "PEMBANTU", "Domestic worker"],
    11: ["other", "LAINNYA", "Other"],
  },
  education: {
    1: ["none", "TIDAK/BELUM SEKOLAH", "No schooling or not yet in school"],
    2: ["primary_incomplete", "BELUM TAMAT SD/SEDERAJAT", "Primary school not completed"],
    3: ["primary", "TAMAT SD/SEDERAJAT", "Primary school or equivalent"],
    4: ["junior_secondary", "SLTP/SEDERAJAT", "Junior secondary school or equivalent"],
    5: ["senior_secondary", "SLTA/SEDERAJAT", "Senior secondary school or equivalent"],
    6: ["diploma_1_2", "DIPLOMA I/II", "Diploma I or II"],
    7: ["diploma_3", "AKADEMI/DIPLOMA III/S. MUDA", "Academy, Diploma III or Sarjana Muda"],
    8: ['bachelor', 'DIPLOMA IV/STRATA I', "Diploma IV or bachelor's degree"],
    9: ['master', 'STRATA II', "Master's degree"],
    10: ["doctorate", "STRATA III", "Doctorate"],
  },
  occupation: {
    1: ["not_working", "BELUM/TIDAK BEKERJA", "Not working"],
    2: ["homemaker", "MENGURUS RUMAH TANGGA", "Homemaker"],
    3: ["student", "PELAJAR/MAHASISWA", "Student"],
    4: ["retired", "PENSIUNAN", "Retired"],
    5: ["civil_servant", "PEGAWAI NEGERI SIPIL", "Civil servant"],
    6: ["armed_forces", "TENTARA NASIONAL INDONESIA", "Armed forces (TNI)"],
    7: ["police", "KEPOLISIAN RI", "Police (POLRI)"],
    8: ["trade", "PERDAGANGAN", "Trade"],
    9: ["farmer", "PETANI/PEKEBUN", "Farmer or grower"],
    10: ["livestock_farmer", "PETERNAK", "Livestock farmer"],
    11: ["fisher", "NELAYAN/PERIKANAN", "Fisher"],
    12: ["industry", "INDUSTRI", "Industry"],
    13: ["construction", "KONSTRUKSI", "Construction"],
    14: ["transport", "TRANSPORTASI", "Transport"],
    15: ["private_employee", "KARYAWAN SWASTA", "Private-sector employee"],
    16: ["soe_employee", "KARYAWAN BUMN", "State-owned enterprise employee"],
    17: ["rsoe_employee", "KARYAWAN BUMD", "Regional state-owned enterprise employee"],
    18: ["honorary_employee", "KARYAWAN HONORER", "Contract (honorary) employee"],
    19: ["day_labourer", "BURUH HARIAN LEPAS", "Casual day labourer"],
    20: ["farm_labourer", "BURUH TANI/PERKEBUNAN", "Farm or plantation labourer"],
    21: ["fishery_labourer", "BURUH NELAYAN/PERIKANAN", "Fishery labourer"],
    22: ["livestock_labourer", "BURUH PETERNAKAN", "Livestock labourer"],
    23: ["domestic_worker", "PEMBANTU RUMAH TANGGA", "Domestic worker"],
    24: ["barber", "TUKANG CUKUR", "Barber"],
    25: ["electrician", "TUKANG LISTRIK", "Electrician"],
    26: ["mason", "TUKANG BATU", "Mason"],
    27: ["carpenter", "TUKANG KAYU", "Carpenter"],
    28: ["cobbler", "TUKANG SOL SEPATU", "Cobbler"],
    29: ["welder_smith", "TUKANG LAS/PANDAI BESI", "Welder or blacksmith"],
    30: ["tailor", "TUKANG JAHIT", "Tailor"],
    31: ["dental_technician", "TUKANG GIGI", "Dental technician"],
    32: ["makeup_artist", "PENATA RIAS", "Make-up artist"],
    33: ["costume_stylist", "PENATA BUSANA", "Costume stylist"],
    34: ["hairdresser", "PENATA RAMBUT", "Hairdresser"],
    35: ["mechanic", "MEKANIK", "Mechanic"],
    36: ["artist", "SENIMAN", "Artist"],
    37: ["traditional_healer", "TABIB", "Traditional healer"],
    38: ["traditional_midwife", "PARAJI", "Traditional birth attendant"],
    39: ["fashion_designer", "PERANCANG BUSANA", "Fashion designer"],
    40: ["translator", "PENTERJEMAH", "Translator"],
    41: ["imam", "IMAM MASJID", "Mosque imam"],
    42: ["minister", "PENDETA", "Protestant minister"],
    43: ["priest", "PASTOR", "Catholic priest"],
    44: ["journalist", "WARTAWAN", "Journalist"],
    45: ["preacher", "USTADZ/MUBALIGH", "Islamic teacher or preacher"],
    46: ["cook", "JURU MASAK", "Cook"],
    47: ["event_promoter", "PROMOTOR ACARA", "Event promoter"],
    48: ["member_dpr", "ANGGOTA DPR-RI", "Member of the House of Representatives (DPR)"],
    49: ["member_dpd", "ANGGOTA DPD", "Member of the Regional Representative Council (DPD)"],
    50: ["member_bpk", "ANGGOTA BPK", "Member of the Audit Board (BPK)"],
    51: ["president", "PRESIDEN", "President"],
    52: ["vice_president", "WAKIL PRESIDEN", "Vice President"],
    53: ["constitutional_judge", "ANGGOTA MAHKAMAH KONSTITUSI", "Constitutional Court justice"],
    54: ["cabinet_member", "ANGGOTA KABINET/KEMENTERIAN", "Cabinet member"],
    55: ["ambassador", "DUTA BESAR", "Ambassador"],
    56: ["governor", "GUBERNUR", "Governor"],
    57: ["vice_governor", "WAKIL GUBERNUR", "Vice governor"],
    58: ["regent", "BUPATI", "Regent"],
    59: ["vice_regent", "WAKIL BUPATI", "Vice regent"],
    60: ["mayor", "WALIKOTA", "Mayor"],
    61: ["vice_mayor", "WAKIL WALIKOTA", "Vice mayor"],
    62: ["member_dprd_province", "ANGGOTA DPRD PROVINSI", "Member of a provincial council (DPRD)"],
    63: ["member_dprd_regency", "ANGGOTA DPRD KABUPATEN/KOTA", "Member of a regency or city council (DPRD)"],
    64: ["lecturer", "DOSEN", "Lecturer"],
    65: ["teacher", "GURU", "Teacher"],
    66: ["pilot", "PILOT", "Pilot"],
    67: ["lawyer", "PENGACARA", "Lawyer"],
    68: ["notary", "NOTARIS", "Notary"],
    69: ["architect", "ARSITEK", "Architect"],
    70: ["accountant", "AKUNTAN", "Accountant"],
    71: ["consultant", "KONSULTAN", "Consultant"],
    72: ["doctor", "DOKTER", "Doctor"],
    73: ["midwife", "BIDAN", "Midwife"],
    74: ["nurse", "PERAWAT", "Nurse"],
    75: ["pharmacist", "APOTEKER", "Pharmacist"],
    76: ["psychiatrist_psychologist", "PSIKIATER/PSIKOLOG", "Psychiatrist or psychologist"],
    77: ["tv_presenter", "PENYIAR TELEVISI", "Television presenter"],
    78: ["radio_presenter", "PENYIAR RADIO", "Radio presenter"],
    79: ["sailor", "PELAUT", "Sailor"],
    80: ["researcher", "PENELITI", "Researcher"],
    81: ["driver", "SOPIR", "Driver"],
    82: ["broker", "PIALANG", "Broker"],
    83: ["paranormal", "PARANORMAL", "Paranormal"],
    84: ["trader", "PEDAGANG", "Trader"],
    85: ["village_official", "PERANGKAT DESA", "Village official"],
    86: ["village_head", "KEPALA DESA", "Village head"],
    87: ["nun", "BIARAWATI", "Nun"],
    88: ["self_employed", "WIRASWASTA", "Self-employed"],
    89: ["other", "LAINNYA", "Other"],
  },
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

// wireAddress reads an address map; postal (a KK's) allows key 8, the
// postal code, a uint 10000-99999, kept as its five digits.
function wireAddress(v, what, postal = false) {
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
    } else if (k === 8 && postal) {
      const n = uint(x, what, 0xffffffffffffffffn);
      if (n < 10000n || n > 99999n) throw new Malformed(`${what}: postal code not five digits from 10000`);
      a.postal_code = n.toString();
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
      for (const k of ['street', 'rt', 'rw', 'kelurahan', 'kecamatan', 'regency', 'province', 'postal_code']) if (a[k] !== undefined) o[k] = a[k];
      return o;
    },
    show: (a) => {
      const parts = [];
      if (a.street) parts.push(a.street);
      if (a.rt || a.rw) parts.push(`RT/RW ${pad(a.rt || 0, 3)}/${pad(a.rw || 0, 3)}`);
      for (const k of ['kelurahan', 'kecamatan', 'regency', 'province', 'postal_code']) if (a[k]) parts.push(a[k]);
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

// showClaims returns the claims of c (decoded under defs) that shows
// accepts, in claim key order, as a vector's claims.
function showClaims(defs, c, shows) {
  const out = [];
  for (const k of Object.keys(defs).map(Number).sort((a, b) => a - b)) {
    const def = defs[k];
    const v = c[def.key];
    if (v === undefined || !shows(def.key)) continue;
    const [id, en] = def.type.show(v);
    out.push({ claim: def.key, label: { id: def.id, en: def.en }, value: def.type.json(v), display: { id, en } });
  }
  return out;
}

// ---- Kartu Keluarga (-4) and Akta Kelahiran (-5) ----

// A KK number: a NIK's digits PPRRDD DDMMYY SSSS without the 40 for women.
function checkKKNumber(s) {
  if (!/^[0-9]{16}$/.test(s)) return false;
  const day = Number(s.slice(6, 8));
  if (day > 31) return false;
  return checkNIK(s);
}

function wireKKNumber(v, what) {
  const n = uint(v, what, 0xffffffffffffffffn);
  if (n === 0n) throw new Malformed(`${what}: explicit zero`);
  const s = n.toString();
  if (!checkKKNumber(s)) throw new Malformed(`${what}: not a valid KK number`);
  return s;
}

const num = { read: (v, what) => wireEnum(v, what), json: (v) => v, show: (v) => [String(v), String(v)] };
const kkAddress = { ...T.address, read: (v, what) => wireAddress(v, what, true) };

const KK_CLAIMS = {
  1: { key: 'kk_number', id: 'No. KK', en: 'Family card number', type: { ...T.nik, read: wireKKNumber } },
  2: { key: 'kk_head', id: 'Nama Kepala Keluarga', en: 'Head of the family', type: T.text },
  3: { key: 'kk_address', id: 'Alamat', en: 'Address', type: kkAddress },
  4: { key: 'kk_issuing_office', id: 'Dikeluarkan Oleh', en: 'Issued by', type: T.text },
  5: { key: 'kk_issue_date', id: 'Dikeluarkan Tanggal', en: 'Date of issue', type: T.date },
};

const MEMBER_CLAIMS = {
  1: { key: 'member_name', id: 'Nama Lengkap', en: 'Full name', type: T.text },
  2: { key: 'member_nik', id: 'NIK', en: 'NIK', type: T.nik },
  3: { key: 'member_sex', id: 'Jenis Kelamin', en: 'Sex', type: enumType('sex') },
  4: { key: 'member_birth_place', id: 'Tempat Lahir', en: 'Place of birth', type: T.text },
  5: { key: 'member_birth_date', id: 'Tanggal Lahir', en: 'Date of birth', type: T.date },
  6: { key: 'member_religion', id: 'Agama', en: 'Religion', type: enumType('religion') },
  7: { key: 'member_education', id: 'Pendidikan', en: 'Education', type: enumType('education') },
  8: { key: 'member_occupation', id: 'Jenis Pekerjaan', en: 'Occupation', type: enumType('occupation') },
  9: { key: 'member_blood_type', id: 'Golongan Darah', en: 'Blood type', type: enumType('blood_type') },
  10: { key: 'member_marital_status', id: 'Status Perkawinan', en: 'Marital status', type: enumType('marital_status') },
  11: { key: 'member_marriage_date', id: 'Tanggal Perkawinan', en: 'Date of marriage', type: T.date },
  12: { key: 'member_relationship', id: 'Status Hubungan Dalam Keluarga', en: 'Relationship in the family', type: enumType('relationship') },
  13: { key: 'member_citizenship', id: 'Kewarganegaraan', en: 'Citizenship', type: enumType('citizenship') },
  14: { key: 'member_passport', id: 'No. Paspor', en: 'Passport number', type: T.text },
  15: { key: 'member_kitas', id: 'No. KITAS/KITAP', en: 'Stay permit (KITAS/KITAP) number', type: T.text },
  16: { key: 'member_father', id: 'Nama Ayah', en: "Father's name", type: T.text },
  17: { key: 'member_mother', id: 'Nama Ibu', en: "Mother's name", type: T.text },
};

const AKTA_CLAIMS = {
  1: { key: 'akta_number', id: 'Nomor Akta Kelahiran', en: 'Birth certificate number', type: T.text },
  2: { key: 'akta_child_nik', id: 'NIK', en: 'NIK', type: T.nik },
  3: { key: 'akta_child_name', id: 'Nama', en: 'Name', type: T.text },
  4: { key: 'akta_sex', id: 'Jenis Kelamin', en: 'Sex', type: enumType('sex') },
  5: { key: 'akta_birth_place', id: 'Tempat Lahir', en: 'Place of birth', type: T.text },
  6: { key: 'akta_birth_date', id: 'Tanggal Lahir', en: 'Date of birth', type: T.date },
  7: { key: 'akta_birth_time', id: 'Pukul', en: 'Time of birth', type: T.text },
  8: { key: 'akta_birth_order', id: 'Anak Ke', en: 'Birth order', type: num },
  9: { key: 'akta_father', id: 'Nama Ayah', en: "Father's name", type: T.text },
  10: { key: 'akta_father_nik', id: 'NIK Ayah', en: "Father's NIK", type: T.nik },
  11: { key: 'akta_mother', id: 'Nama Ibu', en: "Mother's name", type: T.text },
  12: { key: 'akta_mother_nik', id: 'NIK Ibu', en: "Mother's NIK", type: T.nik },
  13: { key: 'akta_issuing_office', id: 'Dikeluarkan di', en: 'Place of issue', type: T.text },
  14: { key: 'akta_issue_date', id: 'Tanggal Terbit', en: 'Date of issue', type: T.date },
};

const keysOf = (defs) => Object.values(defs).map((d) => d.key);
const MAX_MEMBERS = 24;

// decodeMap reads a claims map under defs; a key outside them is malformed.
function decodeMap(m, defs, what) {
  const c = {};
  const ks = intKeys(map(m, what), what);
  for (const k of ks) {
    const def = defs[k];
    if (!def) throw new Malformed(`${what}: unknown key ${k}`);
    c[def.key] = def.type.read(get(m, k), def.key);
  }
  return { c, size: ks.length };
}

function decodeKKClaims(m) {
  const mm = map(m, 'KK claims');
  const card = {};
  let members = null;
  for (const k of intKeys(mm, 'KK claims')) {
    const v = get(mm, k);
    if (k === 6) {
      if (!Array.isArray(v) || v.length < 1 || v.length > MAX_MEMBERS) throw new Malformed('KK members: 1 to 24');
      members = v.map((x, i) => {
        const { c, size } = decodeMap(x, MEMBER_CLAIMS, `member ${i + 1}`);
        if (size === 0) throw new Malformed(`member ${i + 1}: empty member map`);
        return c;
      });
      continue;
    }
    const def = KK_CLAIMS[k];
    if (!def) throw new Malformed(`unknown Kartu Keluarga key ${k}`);
    card[def.key] = def.type.read(v, def.key);
  }
  return { card, members: members || [] };
}

// The KK's profiles: value -> [name, card claims required, card claims
// allowed, member claims required, member claims allowed]; kk-school's
// second and third members (head, spouse) have their own sets.
const SCHOOL_CHILD = ['member_name', 'member_nik', 'member_sex', 'member_birth_place', 'member_birth_date',
  'member_relationship', 'member_father', 'member_mother'];
const SCHOOL_PARENT = ['member_name', 'member_nik', 'member_relationship'];
const KK_PROFILES = {
  5: ['kk-full', keysOf(KK_CLAIMS), keysOf(KK_CLAIMS),
    ['member_name', 'member_nik', 'member_sex', 'member_birth_place', 'member_birth_date', 'member_religion',
      'member_education', 'member_occupation', 'member_blood_type', 'member_marital_status', 'member_relationship',
      'member_citizenship', 'member_father', 'member_mother'], keysOf(MEMBER_CLAIMS)],
  6: ['kk-members', ['kk_number', 'kk_head'], ['kk_number', 'kk_head'], SCHOOL_PARENT, SCHOOL_PARENT],
  7: ['kk-school', ['kk_number', 'kk_head', 'kk_address'], ['kk_number', 'kk_head', 'kk_address'], SCHOOL_CHILD, SCHOOL_CHILD],
};

function nikParts(n) {
  let day = Number(n.slice(6, 8));
  const female = day > 40;
  if (female) day -= 40;
  return { day, month: Number(n.slice(8, 10)), yy: Number(n.slice(10, 12)), sex: female ? 2 : 1 };
}

const nikBirthDate = (n, d) => { const p = nikParts(n); return d.d === p.day && d.m === p.month && d.y % 100 === p.yy; };

function checkEnums(problems, defs, c) {
  for (const def of Object.values(defs)) {
    const v = c[def.key];
    if (v === undefined) continue;
    if (def.type.table && !(v in TABLES[def.type.table])) problems.push(['value', def.key, 'unknown value']);
    if (def.type === T.text) checkText(problems, def.key, v);
  }
}

// sexOf is a member's sex: the claim when it is in its table, else the
// NIK's.
const sexOf = (m) => (m.member_sex in TABLES.sex ? m.member_sex : (m.member_nik ? nikParts(m.member_nik).sex : 0));

function validateKK(k, profile) {
  const problems = [];
  const bad = (claim, why) => problems.push(['value', claim, why]);
  const [, cardReq, cardAllowed, memReq, memAllowed] = KK_PROFILES[profile];
  const { card, members } = k;
  for (const c of cardReq) if (card[c] === undefined) bad(c, 'missing');
  for (const c of Object.keys(card)) if (!cardAllowed.includes(c)) bad(c, 'not in profile');
  members.forEach((m, i) => {
    const school = profile === 7 && i > 0;
    const req = school ? SCHOOL_PARENT : memReq;
    const allowed = school ? SCHOOL_PARENT : memAllowed;
    for (const c of req) if (m[c] === undefined) bad(c, `member ${i + 1} missing`);
    for (const c of Object.keys(m)) if (!allowed.includes(c)) bad(c, `member ${i + 1}: not in profile`);
    checkEnums(problems, MEMBER_CLAIMS, m);
    if (m.member_nik) {
      if (m.member_birth_date && !nikBirthDate(m.member_nik, m.member_birth_date)) problems.push(['nik', 'member_birth_date', `member ${i + 1}`]);
      if (m.member_sex in TABLES.sex && m.member_sex !== nikParts(m.member_nik).sex) problems.push(['nik', 'member_sex', `member ${i + 1}`]);
    }
    if (m.member_marriage_date) {
      if (m.member_marital_status === 1) bad('member_marriage_date', 'never married');
      if (m.member_birth_date && !(compact(m.member_birth_date) < compact(m.member_marriage_date))) bad('member_marriage_date', 'not after birth');
    }
    if (m.member_citizenship === 2) {
      if (m.member_passport === undefined) bad('member_passport', 'a WNA member has one');
      if (m.member_kitas === undefined) bad('member_kitas', 'a WNA member has one');
    } else if (m.member_citizenship === 1 && (m.member_passport !== undefined || m.member_kitas !== undefined)) bad('member_kitas', 'a WNI member has none');
  });
  // The card.
  checkEnums(problems, KK_CLAIMS, card);
  const a = card.kk_address;
  if (a) {
    const lines = ['street', 'kelurahan', 'kecamatan', 'regency', 'province'];
    if (lines.some((x) => a[x] === undefined)) bad('kk_address', 'line missing');
    for (const x of lines) checkText(problems, 'kk_address', a[x]);
    if ((a.rt || 0) > 999 || (a.rw || 0) > 999) bad('kk_address', 'RT/RW over 999');
    if (card.kk_number && a.province !== undefined) {
      const prov = PROVINCES[Number(card.kk_number.slice(0, 2))];
      if (normProvince(prov) !== normProvince(a.province)) bad('kk_address', 'not the KK number\'s province');
    }
  }
  const seen = new Set();
  for (const m of members) {
    if (m.member_nik !== undefined && seen.has(m.member_nik)) bad('member_nik', 'twice');
    seen.add(m.member_nik);
  }
  const rel = (m) => m.member_relationship;
  if (profile === 7) {
    if (members.length > 0) {
      if (rel(members[0]) !== 4) bad('member_relationship', 'a child first');
      if (members.length < 2 || rel(members[1]) !== 1) bad('member_relationship', 'the head second');
      else if (card.kk_head && members[1].member_name && members[1].member_name !== card.kk_head) bad('kk_head', 'not the head');
      if (members.length > 3) bad('member_name', 'the child and its parents only');
      if (members.length === 3 && rel(members[2]) !== 2 && rel(members[2]) !== 3) bad('member_relationship', 'the third is the spouse');
    }
    return problems;
  }
  // The household.
  let head = -1;
  const husbands = [], wives = [];
  members.forEach((m, i) => {
    if (rel(m) === 1) { if (head >= 0) bad('member_relationship', 'a second head'); else head = i; }
    else if (rel(m) === 2) husbands.push(i);
    else if (rel(m) === 3) wives.push(i);
  });
  if (head < 0) { bad('member_relationship', 'no head'); return problems; }
  const h = members[head];
  if (card.kk_head && h.member_name && card.kk_head !== h.member_name) bad('kk_head', 'not the head');
  const hs = sexOf(h);
  if (husbands.length > 1) bad('member_relationship', 'a second husband');
  if (wives.length > 4) bad('member_relationship', 'more than four wives');
  if (husbands.length > 0 && wives.length > 0) bad('member_relationship', 'a husband and a wife');
  for (const i of husbands) {
    if (sexOf(members[i]) === 2) bad('member_sex', 'a husband is male');
    if (hs === 1) bad('member_relationship', 'a male head has no husband');
  }
  for (const i of wives) {
    if (sexOf(members[i]) === 1) bad('member_sex', 'a wife is female');
    if (hs === 2) bad('member_relationship', 'a female head has no wife');
  }
  const spouses = [...husbands, ...wives];
  if (spouses.length > 0) {
    if (h.member_marital_status !== undefined && h.member_marital_status !== 2) bad('member_marital_status', 'the head is married');
    for (const i of spouses) {
      const ms = members[i].member_marital_status;
      if (ms !== undefined && ms !== 2) bad('member_marital_status', 'a spouse is married');
    }
  }
  if (h.member_birth_date) {
    const hb = compact(h.member_birth_date);
    for (const m of members) {
      if (!m.member_birth_date) continue;
      const mb = compact(m.member_birth_date);
      if ((rel(m) === 4 || rel(m) === 6) && !(hb < mb)) bad('member_birth_date', 'born after the head');
      if ((rel(m) === 7 || rel(m) === 8) && !(mb < hb)) bad('member_birth_date', 'born before the head');
    }
  }
  return problems;
}

// The members a KK shows: every member, each with the member claims shown,
// when the policy shows any member claim; else none.
function showKK(k, shows) {
  const out = { claims: showClaims(KK_CLAIMS, k.card, shows) };
  if (keysOf(MEMBER_CLAIMS).some(shows)) out.members = k.members.map((m) => ({ claims: showClaims(MEMBER_CLAIMS, m, shows) }));
  return out;
}

const KK = {
  name: 'kk',
  claims: { ...Object.fromEntries(Object.entries(KK_CLAIMS).map(([k, d]) => [32 + Number(k), d])), ...Object.fromEntries(Object.entries(MEMBER_CLAIMS).map(([k, d]) => [40 + Number(k), d])) },
  profiles: KK_PROFILES,
  decode: decodeKKClaims,
  validate: validateKK,
  // A KK has a member claim when at least one member has it.
  present: (k) => [...new Set([...Object.keys(k.card), ...k.members.flatMap((m) => Object.keys(m))])],
  show: showKK,
};

const AKTA_FULL_REQUIRED = ['akta_number', 'akta_child_name', 'akta_sex', 'akta_birth_place', 'akta_birth_date',
  'akta_birth_order', 'akta_mother', 'akta_issuing_office', 'akta_issue_date'];
const AKTA_SCHOOL = ['akta_number', 'akta_child_name', 'akta_sex', 'akta_birth_place', 'akta_birth_date', 'akta_mother'];
const AKTA_PROFILES = {
  8: ['akta-full', AKTA_FULL_REQUIRED, keysOf(AKTA_CLAIMS)],
  9: ['akta-school', AKTA_SCHOOL, [...AKTA_SCHOOL, 'akta_child_nik', 'akta_father']],
};

function validateAkta(b, profile) {
  const problems = [];
  const bad = (claim, why) => problems.push(['value', claim, why]);
  const [, req, allowed] = AKTA_PROFILES[profile];
  for (const c of req) if (b[c] === undefined) bad(c, 'missing');
  for (const c of Object.keys(b)) if (!allowed.includes(c)) bad(c, 'not in profile');
  checkEnums(problems, { ...AKTA_CLAIMS, 7: { key: 'akta_birth_time', type: {} } }, b);
  if (b.akta_father_nik && nikParts(b.akta_father_nik).sex !== 1) problems.push(['nik', 'akta_father_nik', "a woman's NIK"]);
  if (b.akta_mother_nik && nikParts(b.akta_mother_nik).sex !== 2) problems.push(['nik', 'akta_mother_nik', "a man's NIK"]);
  if (b.akta_birth_time !== undefined) {
    const t = /^([0-9]{2}):([0-9]{2})$/.exec(b.akta_birth_time);
    if (!t || Number(t[1]) > 23 || Number(t[2]) > 59) bad('akta_birth_time', 'not HH:MM');
  }
  if (b.akta_birth_order !== undefined && b.akta_birth_order > 30) bad('akta_birth_order', 'over 30');
  if (b.akta_child_nik) {
    if (b.akta_birth_date && !nikBirthDate(b.akta_child_nik, b.akta_birth_date)) problems.push(['nik', 'akta_birth_date', 'the NIK encodes another']);
    if (b.akta_sex in TABLES.sex && b.akta_sex !== nikParts(b.akta_child_nik).sex) problems.push(['nik', 'akta_sex', 'the NIK encodes another']);
  }
  if (b.akta_birth_date && b.akta_issue_date && compact(b.akta_issue_date) < compact(b.akta_birth_date)) bad('akta_issue_date', 'before birth');
  return problems;
}

const AKTA = {
  name: 'akta_kelahiran',
  claims: Object.fromEntries(Object.entries(AKTA_CLAIMS).map(([k, d]) => [64 + Number(k), d])),
  profiles: AKTA_PROFILES,
  decode: (m) => decodeMap(m, AKTA_CLAIMS, 'Akta claims').c,
  validate: validateAkta,
  present: (b) => Object.keys(b),
  show: (b, shows) => ({ claims: showClaims(AKTA_CLAIMS, b, shows) }),
};

export const DOCUMENTS = {
  [-3]: {
    name: 'ktp',
    claims: KTP_CLAIMS,
    profiles: KTP_PROFILES,
    decode: decodeKTPClaims,
    validate: validateKTP,
    present: (c) => Object.keys(c),
    show: (c, shows) => ({ claims: showClaims(KTP_CLAIMS, c, shows) }),
  },
  [-4]: KK,
  [-5]: AKTA,
};
