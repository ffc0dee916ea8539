'use strict';
// Mutations of valid .npy and .npz files (bytes flipped, cut short, header characters and
// length fields changed): each must load or throw an Error whose message starts with
// "npy: " or "npz: ", never anything else, never a crash or a hang. test/40 runs a few
// thousand; `node scripts/fuzz-npy.js` runs as many as asked.
const fs = require('node:fs');
const path = require('node:path');
const { npy, npz, Tensor } = require('../../lib');

const DIR = path.join(__dirname, '..', 'fixtures', 'npy');
const HEADER_CHARACTERS = " (),:'\"[]{}-0123456789TFL<>|fiub";

function sources() {
  return fs.readdirSync(DIR).filter((name) => name.endsWith('.npy') || name.endsWith('.npz')).sort().map((name) => ({
    name,
    load: name.endsWith('.npz') ? npz.load : npy.load,
    prefix: name.endsWith('.npz') ? 'npz: ' : 'npy: ',
    bytes: new Uint8Array(fs.readFileSync(path.join(DIR, name))),
  }));
}

function mutate(bytes, random) {
  let out = bytes.slice();
  const mutations = 1 + Math.floor(random() * 4);
  for (let m = 0; m < mutations && out.length > 0; m++) {
    const kind = random();
    const at = Math.floor(random() * out.length);
    if (kind < 0.45) out[at] = Math.floor(random() * 256);
    else if (kind < 0.6) out = out.subarray(0, at);
    else if (kind < 0.75) out[Math.min(at, 11)] ^= 1 << Math.floor(random() * 8); // version and length fields
    else {
      const end = Buffer.from(out).indexOf(0x0a);
      if (end > 10) out[10 + Math.floor(random() * (end - 10))] = HEADER_CHARACTERS.charCodeAt(Math.floor(random() * HEADER_CHARACTERS.length));
    }
  }
  return out;
}

/** Runs `runs` mutations from `seed`; returns { loaded, refused } or throws on a finding. */
function fuzzNpy(runs, seed) {
  const files = sources();
  let state = seed >>> 0;
  const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
  let loaded = 0;
  let refused = 0;
  for (let run = 0; run < runs; run++) {
    const source = files[run % files.length];
    const bytes = mutate(source.bytes, random);
    try {
      const result = source.load(bytes);
      const tensors = result instanceof Tensor ? [result] : Object.values(result);
      for (const t of tensors) if (!(t instanceof Tensor) || t.data.length !== t.shape.reduce((a, b) => a * b, 1)) throw new Error('a malformed tensor');
      loaded++;
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith(source.prefix)) {
        throw new Error(`seed ${seed} run ${run} (${source.name}): ${error && error.stack}`);
      }
      refused++;
    }
  }
  return { loaded, refused };
}

module.exports = { fuzzNpy };
