#!/usr/bin/env node
'use strict';
// Soak test: minutes of mixed load on one module - forward and forwardAsync, padded and
// packed, cells, state-dict reloads, refused calls - checking every result against the
// first one bit for bit and printing RSS and a result checksum every 30 s. Fails (exit 1)
// if any result differs or RSS keeps growing.
//
//   SOAK_MINUTES=10 npm run soak        (default 10 minutes; SOAK_REPORT_SECONDS=30)
//
// Light on purpose: setNumThreads(1) and one call at a time, so it uses about one core.
const rnn = require('../lib');

const minutes = Number(process.env.SOAK_MINUTES || 10);
const reportSeconds = Number(process.env.SOAK_REPORT_SECONDS || 30);
// RSS may grow while allocator arenas and V8's heap settle; after the first report it must
// stay within this many MiB of the lowest value seen since.
const rssSlackMiB = Number(process.env.SOAK_RSS_SLACK_MIB || 24);

rnn.setNumThreads(1);
rnn.manualSeed(2024);
const lstm = new rnn.LSTM(32, 64, { numLayers: 2, bidirectional: true }).eval();
const cell = new rnn.GRUCell(32, 48);
const padded = rnn.randn([20, 8, 32]);
const state = [rnn.randn([4, 8, 64]), rnn.randn([4, 8, 64])];
const lengths = [17, 20, 3, 9, 20, 1, 12, 7];
const sequences = lengths.map((length) => rnn.randn([length, 32]));
const packed = rnn.packSequence(sequences, { enforceSorted: false });
const step = rnn.randn([8, 32]);
const checkpoint = lstm.stateDict();

/** FNV-1a over the float bits: equal results, equal checksums. */
function checksum(...arrays) {
  let hash = 0x811c9dc5;
  for (const array of arrays) {
    const bits = new Uint32Array(array.buffer, array.byteOffset, array.length);
    for (let i = 0; i < bits.length; i++) hash = Math.imul(hash ^ bits[i], 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

const results = {
  padded: ([out, [h, c]]) => checksum(out.data, h.data, c.data),
  packed: ([out, [h, c]]) => checksum(out.data.data, h.data, c.data),
  cell: (h1) => checksum(h1.data),
};
const reference = {
  padded: results.padded(lstm.forward(padded, state)),
  packed: results.packed(lstm.forward(packed)),
  cell: results.cell(cell.forward(step)),
};

const counts = { sync: 0, async: 0, packed: 0, cell: 0, reloads: 0, refused: 0, mismatches: 0 };
function check(kind, sum) {
  if (sum !== reference[kind]) {
    counts.mismatches++;
    console.error(`soak: ${kind} result ${sum} differs from the first one, ${reference[kind]}`);
  }
}

function rssMiB() {
  return process.memoryUsage().rss / 2 ** 20;
}

async function cycle(i) {
  check('padded', results.padded(lstm.forward(padded, state)));
  counts.sync++;
  check('padded', results.padded(await lstm.forwardAsync(padded, state)));
  counts.async++;
  check('packed', results.packed(i % 2 ? lstm.forward(packed) : await lstm.forwardAsync(packed)));
  counts.packed++;
  check('cell', results.cell(i % 2 ? cell.forward(step) : await cell.forwardAsync(step)));
  counts.cell++;
  if (i % 50 === 0) {
    lstm.loadStateDict(checkpoint); // the same weights: results must not change
    counts.reloads++;
  }
  if (i % 10 === 0) {
    try {
      lstm.forward(rnn.randn([3, 2, 31]));
    } catch {
      counts.refused++;
    }
  }
}

async function main() {
  const started = Date.now();
  const end = started + minutes * 60000;
  let nextReport = started + reportSeconds * 1000;
  const samples = [];
  console.log(`soak: ${minutes} min, 1 thread, reference checksums ${reference.padded} ${reference.packed} ${reference.cell}`);
  console.log(`soak: start RSS ${rssMiB().toFixed(1)} MiB`);
  for (let i = 0; Date.now() < end; i++) {
    await cycle(i);
    if (Date.now() >= nextReport) {
      nextReport += reportSeconds * 1000;
      const rss = rssMiB();
      samples.push(rss);
      const { heapUsed, external } = process.memoryUsage();
      const elapsed = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
      console.log(
        `soak: ${elapsed} s  RSS ${rss.toFixed(1)} MiB  heap ${(heapUsed / 2 ** 20).toFixed(1)} MiB  ` +
          `external ${(external / 2 ** 20).toFixed(1)} MiB  checksum ${results.padded(lstm.forward(padded, state))}  ` +
          `calls ${counts.sync + counts.async + counts.packed + counts.cell}  mismatches ${counts.mismatches}`,
      );
    }
  }
  const finalRss = rssMiB();
  console.log(`soak: end RSS ${finalRss.toFixed(1)} MiB after ${JSON.stringify(counts)}`);
  const settled = samples.slice(1);
  const growth = settled.length ? finalRss - Math.min(...settled) : 0;
  let failed = counts.mismatches > 0;
  if (growth > rssSlackMiB) {
    console.error(`soak: RSS grew ${growth.toFixed(1)} MiB after the first report (allowed ${rssSlackMiB})`);
    failed = true;
  }
  console.log(failed ? 'soak: FAILED' : `soak: ok (RSS growth after the first report ${growth.toFixed(1)} MiB, results identical)`);
  process.exitCode = failed ? 1 : 0;
}

main();
