// Ticket name matching (docs/wire-format.md, "The ticket": its eight
// steps and its title and degree tables). Two names match when both are
// understood and their comparable forms are equal.
import { laterThanUnicode15 } from './unicode15.js';

const TITLES = new Set(['BPK', 'BAPAK', 'IBU', 'SDR', 'SDRI', 'SAUDARA', 'SAUDARI', 'TN', 'TUAN', 'NY', 'NYONYA',
  'NN', 'NONA', 'H', 'HJ', 'KH', 'DR', 'DRS', 'DRA', 'DRG', 'IR', 'PROF', 'MR', 'MRS', 'MS', 'MSTR', 'MISS']);

const DEGREES = new Set([
  'AP', 'AMA', 'AMAPD', 'AMD', 'AMDKOM', 'AMDKEB', 'AMDKEP', 'AMDFARM', 'AMDT', 'AMDAK', 'AMDPAR', 'AMDKES', 'AMDGZ', 'AMK',
  'SE', 'SH', 'SKOM', 'ST', 'SPD', 'SSI', 'SSOS', 'SAG', 'SPSI', 'SFARM', 'SKED', 'SKEP', 'SKEB', 'SIKOM', 'SAK', 'SHUM',
  'SIP', 'SP', 'SPT', 'SPI', 'SHUT', 'SGZ', 'SKM', 'SSN', 'SDS', 'STH', 'SPDI', 'SHI', 'SEI', 'SSY', 'SKEL', 'SARS',
  'SSTAT', 'SMAT', 'SKES', 'SAP', 'SAB', 'SS', 'SFIL', 'SGEO', 'SKG', 'SKH', 'STP', 'SPWK', 'SPDSD', 'SST', 'SSTP', 'STR',
  'STRT', 'STRKOM', 'STRKES', 'STRKEP', 'STRPAR', 'STRAK',
  'MM', 'MBA', 'MSI', 'MT', 'MKOM', 'MPD', 'MH', 'MHUM', 'MAG', 'MSC', 'MA', 'MENG', 'MKES', 'MAK', 'ME', 'MFARM', 'MPSI',
  'MKN', 'MSN', 'MARS', 'MP', 'MAP', 'MSTAT', 'MPHIL', 'MED', 'MIKOM', 'MSOS', 'MTH', 'MTR', 'MKM', 'MIP', 'MPH', 'MPDI',
  'MHI', 'MEI', 'MSY', 'MKEP', 'MKEB', 'MGZ', 'MPWK', 'MTI', 'MPA', 'MS', 'LLM',
  'DR', 'PHD', 'DSC', 'EDD', 'DBA',
  'IR', 'DRG', 'APT', 'NS', 'AK', 'BD', 'LC',
  'SPA', 'SPB', 'SPPD', 'SPOG', 'SPJP', 'SPM', 'SPKK', 'SPDV', 'SPTHT', 'SPTHTKL', 'SPS', 'SPN', 'SPRAD', 'SPAN', 'SPKJ',
  'SPP', 'SPU', 'SPOT', 'SPBS', 'SPF', 'SPKFR', 'SPPK', 'SPPA', 'SPMK', 'SPGK', 'SPBP', 'SPBA', 'SPBTKV', 'SPJ',
  'BA', 'BSC', 'BENG', 'BBA', 'BCOM', 'MD', 'MCOM', 'LLB', 'DIPLING',
]);

const APOSTROPHES = new Set(["'", '\u2019', '\u2018', '`', '\u02bc']);

const squash = (s) => s.replace(/[. -]/g, '');

function onlyDegrees(rest) {
  if (rest === null) return true;
  for (let item of rest.split(',')) {
    if (!/^[A-Za-z. -]*$/.test(item)) return false;
    item = item.toUpperCase();
    const sq = squash(item);
    if (sq === '' || DEGREES.has(sq)) continue;
    for (const w of item.split(' ').filter(Boolean)) if (!DEGREES.has(squash(w))) return false;
  }
  return true;
}

function cleanName(s) {
  let out = '';
  for (const r of s) {
    if (r >= 'a' && r <= 'z') out += r.toUpperCase();
    else if ((r >= 'A' && r <= 'Z') || r === ' ' || r === '.' || r === '-') out += r;
    else if (APOSTROPHES.has(r)) continue;
    else if (r.codePointAt(0) >= 0x80 && /^\p{Script=Latin}$/u.test(r) && /^\p{L}$/u.test(r)) {
      const u = r.toUpperCase();
      if ([...u].length !== 1 || u.codePointAt(0) < 0x80) return null; // ı would become I
      out += u;
    } else return null;
  }
  return out;
}

function isTitle(tok) {
  if (TITLES.has(tok.replace(/\./g, ''))) return true;
  const parts = tok.split('.').filter(Boolean);
  return parts.length >= 2 && parts.every((p) => TITLES.has(p));
}

// normalizeName returns the comparable form of a name, or '' if it is not
// understood.
export function normalizeName(s) {
  if (laterThanUnicode15(s)) return '';
  s = s.normalize('NFKC');
  const i = s.indexOf(',');
  const name = i < 0 ? s : s.slice(0, i);
  const rest = i < 0 ? null : s.slice(i + 1);
  if (!onlyDegrees(rest)) return '';
  const cleaned = cleanName(name);
  if (cleaned === null) return '';
  let tokens = cleaned.split(' ').filter(Boolean);
  while (tokens.length > 1 && isTitle(tokens[0])) tokens = tokens.slice(1);
  let words = tokens.flatMap((t) => t.split(/[.-]/).filter(Boolean));
  while (words.length > 1 && TITLES.has(words[0])) words = words.slice(1);
  if (words.length === 2 && words[0] === words[1]) words = words.slice(0, 1);
  return words.join(' ');
}

export function sameName(a, b) {
  const ka = normalizeName(a), kb = normalizeName(b);
  return ka !== '' && ka === kb;
}
