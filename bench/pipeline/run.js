'use strict';
// npm run bench:pipeline: the whole preprocessing pipeline, `rnn-blas run` against PyTorch
// doing the same (bench/pipeline/torch_pipeline.py), on the same machine, one after the
// other: N sequences of 5-60 token ids in a JSONL file, through Embedding(5000, 64) ->
// bidirectional LSTM(64, 128), both directions' last state, to a .npy. Wall time (I/O
// included), sequences per second, and peak RSS (GNU time), at each size: RSS stays flat
// from 100k to 1M when the run streams. The outputs are compared row by row.
//
//   npm run bench:pipeline                              # 100k and 1M sequences, 2 threads
//   PIPELINE_SIZES=100000 npm run bench:pipeline        # 100k only
//   MALLOC_MMAP_THRESHOLD_=262144 npm run bench:pipeline  # glibc mmap threshold for both (rnn-blas run fixes 128 KiB itself)
//   PIPELINE_WORKERS=2 ...                              # 2 worker threads of 1 BLAS thread (default: the CLI's, this thread with 2)
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { npy } = require('../../lib');

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');
const PYTHON = '/usr/bin/python3';
const WORK = process.env.PIPELINE_DIR || path.join(os.tmpdir(), 'rnn-blas-bench-pipeline');
const SIZES = (process.env.PIPELINE_SIZES || '100000,1000000').split(',').map(Number);
// PyTorch at 1M takes about half an hour on 2 cores (583 sequences/s): PIPELINE_TORCH_SIZES
// limits it to some of the sizes (its figures stay those of the sizes it ran).
const TORCH_SIZES = (process.env.PIPELINE_TORCH_SIZES || SIZES.join(',')).split(',').map(Number);
const THREADS = Number(process.env.PIPELINE_THREADS || 2);
const WORKERS = process.env.PIPELINE_WORKERS ?? '0';
const OUR_THREADS = process.env.PIPELINE_OUR_THREADS ?? (WORKERS === '0' ? String(THREADS) : '1');
const BATCH_TOKENS = Number(process.env.PIPELINE_BATCH_TOKENS || 8192);
const WINDOW_BATCHES = 16;

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** N lines of {"id": i, "tokens": [5-60 ids below 5000]}, seeded, written once and kept. */
function dataset(count) {
  const file = path.join(WORK, `sequences-${count}.jsonl`);
  if (fs.existsSync(file)) return file;
  const random = mulberry32(count);
  const fd = fs.openSync(`${file}.tmp`, 'w');
  let lines = [];
  for (let i = 0; i < count; i++) {
    const length = 5 + Math.floor(random() * 56);
    const tokens = new Array(length);
    for (let t = 0; t < length; t++) tokens[t] = Math.floor(random() * 5000);
    lines.push(`{"id":${i},"tokens":[${tokens.join(',')}]}`);
    if (lines.length === 10000) {
      fs.writeSync(fd, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length) fs.writeSync(fd, `${lines.join('\n')}\n`);
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

/** Runs a command under GNU time: wall seconds and peak RSS in MB. */
function timed(command, args) {
  const result = spawnSync('/usr/bin/time', ['-v', command, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr.slice(-2000)}`);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)[1]) / 1024;
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(result.stderr);
  const seconds = Number(wall[1] || 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  return { seconds, rssMB: rss };
}

/** Largest difference between two (N, F) float32 .npy files, relative to each row's scale. */
function compare(a, b) {
  const fa = npy.open(a);
  const fb = npy.open(b);
  if (fa.shape.join() !== fb.shape.join()) throw new Error(`shapes differ: ${fa.shape} vs ${fb.shape}`);
  const width = fa.shape[1];
  let worst = 0;
  for (let start = 0; start < fa.rows; start += 8192) {
    const count = Math.min(8192, fa.rows - start);
    const x = fa.readRows(start, count).data;
    const y = fb.readRows(start, count).data;
    for (let r = 0; r < count; r++) {
      let scale = 0;
      for (let k = 0; k < width; k++) scale = Math.max(scale, Math.abs(y[r * width + k]));
      for (let k = 0; k < width; k++) worst = Math.max(worst, Math.abs(x[r * width + k] - y[r * width + k]) / (scale || 1));
    }
  }
  fa.close();
  fb.close();
  return worst;
}

function cpuModel() {
  return `${os.cpus()[0].model} (${os.cpus().length} cores)`;
}

function main() {
  fs.mkdirSync(WORK, { recursive: true });
  const model = path.join(WORK, 'encoder.pt');
  if (!fs.existsSync(model)) {
    const made = spawnSync(PYTHON, [path.join(__dirname, 'make_model.py'), model], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`make_model.py: ${made.stderr}`);
  }
  const torchVersion = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim();
  console.log(`pipeline: ${cpuModel()}, node ${process.version}, PyTorch ${torchVersion}`);
  const allocator = process.env.MALLOC_MMAP_THRESHOLD_ ? `, MALLOC_MMAP_THRESHOLD_=${process.env.MALLOC_MMAP_THRESHOLD_} (both)` : '';
  console.log(`ours: --workers ${WORKERS} --threads ${OUR_THREADS} --batch-tokens ${BATCH_TOKENS}; torch: set_num_threads(${THREADS}), same batching${allocator}`);
  const rows = [];
  for (const count of SIZES) {
    const input = dataset(count);
    const ours = path.join(WORK, `ours-${count}.npy`);
    const theirs = path.join(WORK, `torch-${count}.npy`);
    const ourRun = timed(process.execPath, [
      CLI, 'run', model, '--embedding', 'embedding', '--rnn', 'rnn', '--input', input, '--output', ours,
      '--batch-tokens', String(BATCH_TOKENS), '--workers', WORKERS, '--threads', OUR_THREADS, '--quiet',
    ]);
    const ourText = `${String(count).padStart(8)} sequences | rnn-blas ${ourRun.seconds.toFixed(1).padStart(6)} s ${Math.round(count / ourRun.seconds).toString().padStart(7)}/s ${ourRun.rssMB.toFixed(0).padStart(5)} MB`;
    if (!TORCH_SIZES.includes(count)) {
      rows.push({ count, ours: ourRun });
      console.log(`${ourText} | PyTorch not run at this size (PIPELINE_TORCH_SIZES)`);
      fs.rmSync(ours);
      continue;
    }
    const torchRun = timed(PYTHON, [path.join(__dirname, 'torch_pipeline.py'), model, input, theirs, String(THREADS), String(BATCH_TOKENS), String(WINDOW_BATCHES)]);
    const difference = compare(ours, theirs);
    rows.push({ count, ours: ourRun, torch: torchRun, difference });
    console.log(
      `${ourText} | PyTorch ${torchRun.seconds.toFixed(1).padStart(6)} s ${Math.round(count / torchRun.seconds).toString().padStart(7)}/s ` +
        `${torchRun.rssMB.toFixed(0).padStart(5)} MB | speed ${(torchRun.seconds / ourRun.seconds).toFixed(2)}x | max diff ${difference.toExponential(1)}`,
    );
    fs.rmSync(ours);
    fs.rmSync(theirs);
  }
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'pipeline.json'), JSON.stringify({ cpu: cpuModel(), torch: torchVersion, workers: WORKERS, threads: THREADS, rows }, null, 1));
}

main();
