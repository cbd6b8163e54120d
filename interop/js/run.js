// Runs every conformance vector in testdata/vectors (testdata/README.md)
// through this verifier and exits non-zero on any disagreement.
//
//	node run.js [vector-dir]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { Verifier, Refusal } from './verifier.js';
import { TrustStore, TrustError } from './trust.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2] || path.join(here, '..', '..', 'testdata', 'vectors');

// canon is JSON with sorted object keys, for comparing outcomes.
function canon(v) {
  if (Array.isArray(v)) return '[' + v.map(canon).join(',') + ']';
  if (v && typeof v === 'object') return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canon(v[k])).join(',') + '}';
  return JSON.stringify(v);
}

// outcome drops empty members, as the vectors leave them out.
function outcome(o) {
  const out = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === '' || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

function readImage(hex) {
  const png = PNG.sync.read(Buffer.from(hex, 'hex'));
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  return code ? code.data : null;
}

function runVector(v) {
  const store = new TrustStore(v.root);
  let ver = null;
  const problems = [];
  v.steps.forEach((s, i) => {
    const want = s.expect;
    let got;
    try {
      switch (s.op) {
        case 'trust_list': {
          const list = store.update(s.jws, s.now);
          if (!ver) ver = new Verifier(v.policy, v.replay_store);
          ver.setTrustList(list);
          got = { result: 'accepted' };
          break;
        }
        case 'status_list':
          if (!ver) throw new Error('no trust list yet');
          ver.addStatusList(Buffer.from(s.hex, 'hex'), s.now);
          got = { result: 'accepted' };
          break;
        case 'verify_text':
        case 'verify_image': {
          if (!ver) throw new Error('no trust list yet');
          let text = s.text;
          if (s.op === 'verify_image') {
            text = readImage(s.hex);
            if (text === null) throw new Refusal('no_code');
          }
          got = outcome(ver.verifyText(text, s.now));
          break;
        }
        default:
          throw new Error('unknown op ' + s.op);
      }
    } catch (e) {
      if (e instanceof Refusal) got = { result: 'refused', reason: e.reason, detail: e.message };
      else if (e instanceof TrustError) got = { result: 'refused', error: e.kind, detail: e.message };
      else got = { result: 'crashed', detail: e.stack };
    }
    const detail = got.detail;
    delete got.detail;
    if (canon(got) !== canon(outcome(want))) {
      problems.push(`step ${i} (${s.op}): want ${canon(outcome(want))}\n      got  ${canon(got)}${detail ? ' (' + detail + ')' : ''}`);
    }
  });
  return problems;
}

// SPEC_REVISION is the revision of docs/wire-format.md this verifier
// implements; a vector made for another is a failure, not a pass.
const SPEC_REVISION = '2026-12-01.3';

const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
if (files.length === 0) {
  console.error(`no vectors in ${dir}`);
  process.exit(1);
}
let failed = 0;
let steps = 0;
for (const f of files) {
  const v = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  steps += v.steps.length;
  // This verifier follows one revision of docs/wire-format.md.
  const problems = v.spec_revision === SPEC_REVISION ? runVector(v)
    : [`spec_revision ${JSON.stringify(v.spec_revision)}, this verifier implements ${SPEC_REVISION}`];
  if (problems.length > 0) {
    failed++;
    console.log(`FAIL ${v.id}\n  ${problems.join('\n  ')}`);
  }
}
console.log(`${files.length - failed}/${files.length} vectors agree (${steps} steps)`);
process.exit(failed === 0 ? 0 : 1);
