'use strict';
// The rnn-blas command: `run` gives PyTorch's results (pack_sequence, the same weights, in
// float64) within 1e-5 of each vector's scale for every --pool, from every input format to
// every output format, in input order, sharded and merged, on worker threads, and resumed
// after a kill to the same bytes; `info` lists tensors and modules; exit codes 0/1/2 with
// their messages. Fixtures: scripts/fixtures/make_pipeline_fixtures.py.
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { npy, safetensors, LSTM, GRU, Linear } = require('../lib');

const CLI = path.join(__dirname, '..', 'lib', 'cli', 'main.js');
const DIR = path.join(__dirname, 'fixtures', 'pipeline');
const fixture = (name) => path.join(DIR, name);
const expected = JSON.parse(fs.readFileSync(fixture('expected.json'), 'utf8'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-blas-cli-'));
const out = (name) => path.join(tmp, name);
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const TOKENS = [fixture('tokens.safetensors'), '--embedding', 'embedding.', '--quiet'];
const FEATURES = [fixture('features.safetensors'), '--quiet'];
// tokens.jsonl: ids 'seq-i', except every fifth line from 3 on, a bare array (its id: its index).
const TOKEN_IDS = expected.tokens.last.map((_, i) => (i % 5 === 3 ? i : `seq-${i}`));

function cli(args, { input, env } = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { input, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ok(args, options) {
  const result = cli(args, options);
  assert.equal(result.status, 0, `exit ${result.status}: ${result.stderr}`);
  return result;
}

function assertClose(actual, want, label) {
  assert.equal(actual.length, want.length, `${label}: length`);
  const scale = Math.max(...want.map(Math.abs), 1e-30);
  want.forEach((value, k) => {
    if (!(Math.abs(actual[k] - value) <= 1e-5 * scale)) assert.fail(`${label}[${k}]: got ${actual[k]}, expected ${value} (scale ${scale})`);
  });
}

function assertVectors(rows, wantRows, label) {
  assert.equal(rows.length, wantRows.length, `${label}: rows`);
  rows.forEach((row, i) => assertClose(Array.from(row), wantRows[i], `${label} row ${i}`));
}

function readJsonl(text) {
  return text.trim().split('\n').map((line) => JSON.parse(line));
}

function npyRows(file) {
  const t = npy.load(file);
  assert.equal(t.dtype, 'float32');
  return t.toArray();
}

describe('41 rnn-blas command', function () {
  this.timeout(60000);

  describe('run: PyTorch\'s results for every --pool and format', () => {
    const tokenInputs = [
      ['tokens.jsonl', []],
      ['tokens_padded.npy', ['--lengths', fixture('tokens_lengths.npy'), '--batch-first']],
      ['tokens_time_major.npy', ['--lengths', fixture('tokens_lengths.npy')]],
      ['tokens.npz', ['--batch-first']],
      ['tokens_padded_fortran.npy', ['--lengths', fixture('tokens_lengths.npy'), '--batch-first']],
      ['tokens_time_major_fortran.npy', ['--lengths', fixture('tokens_lengths.npy')]],
    ];
    for (const pool of ['last', 'mean', 'max']) {
      for (const [input, extra] of tokenInputs) {
        it(`tokens: --pool ${pool}, ${input} -> .npy and -> .jsonl`, () => {
          const npyOut = out(`${pool}-${input}.npy`);
          ok(['run', ...TOKENS, '--input', fixture(input), ...extra, '--pool', pool, '--output', npyOut, '--batch-tokens', '16']);
          assertVectors(npyRows(npyOut), expected.tokens[pool], `${pool} ${input} npy`);
          assert.ok(!fs.existsSync(`${npyOut}.partial`));
          const jsonlOut = out(`${pool}-${input}.jsonl`);
          ok(['run', ...TOKENS, '--input', fixture(input), ...extra, '--pool', pool, '--output', jsonlOut]);
          const lines = readJsonl(fs.readFileSync(jsonlOut, 'utf8'));
          assertVectors(lines.map((line) => line.vector), expected.tokens[pool], `${pool} ${input} jsonl`);
          const ids = input.endsWith('.jsonl') ? TOKEN_IDS : TOKEN_IDS.map((_, i) => i);
          assert.deepEqual(lines.map((line) => line.id), ids);
        });
      }
    }
    it('tokens: --pool none (JSONL only), from JSONL and from a padded .npy', () => {
      for (const [input, extra] of tokenInputs.slice(0, 2)) {
        const lines = readJsonl(ok(['run', ...TOKENS, '--input', fixture(input), ...extra, '--pool', 'none', '--output', '-']).stdout);
        lines.forEach((line, i) => assertVectors(line.output, expected.tokens.none[i], `none ${input} ${i}`));
      }
    });
    it('tokens: --linear head. after --pool last, and on every step with --pool none', () => {
      const file = out('linear.npy');
      ok(['run', ...TOKENS, '--input', fixture('tokens.jsonl'), '--linear', 'head', '--output', file]);
      assertVectors(npyRows(file), expected.tokens.last_linear, 'last + linear');
      const lines = readJsonl(ok(['run', ...TOKENS, '--input', fixture('tokens.jsonl'), '--linear', 'head.', '--pool', 'none', '--output', '-']).stdout);
      lines.forEach((line, i) => assertVectors(line.output, expected.tokens.none_linear[i], `none + linear ${i}`));
    });
    for (const pool of ['last', 'mean', 'max', 'none']) {
      it(`features (GRU at the top level): --pool ${pool}, JSONL and .npz`, () => {
        for (const [input, extra] of [['features.jsonl', []], ['features.npz', ['--batch-first']]]) {
          const lines = readJsonl(ok(['run', ...FEATURES, '--input', fixture(input), ...extra, '--pool', pool, '--output', '-']).stdout);
          if (pool === 'none') lines.forEach((line, i) => assertVectors(line.output, expected.features.none[i], `none ${input} ${i}`));
          else assertVectors(lines.map((line) => line.vector), expected.features[pool], `${pool} ${input}`);
          if (input.endsWith('.jsonl')) assert.deepEqual(lines.map((line) => line.id), lines.map((_, i) => i * 10));
        }
      });
    }
    it('a ReLU RNN: --nonlinearity relu gives torch\'s results; without it, tanh and a note saying so', () => {
      const relu = fixture('relu_rnn.pt');
      const run = (extra) => cli(['run', relu, '--input', fixture('features.jsonl'), '--output', '-', '--quiet', ...extra]);
      const withRelu = run(['--nonlinearity', 'relu']);
      assert.equal(withRelu.status, 0, withRelu.stderr);
      assert.equal(withRelu.stderr, '');
      assertVectors(readJsonl(withRelu.stdout).map((line) => line.vector), expected.features.relu_last, 'relu');
      const asTanh = cli(['run', relu, '--input', fixture('features.jsonl'), '--output', out('relu-as-tanh.npy')]);
      assert.equal(asTanh.status, 0, asTanh.stderr);
      assert.equal(
        asTanh.stderr.split('\n')[0],
        "note: an RNN's weights do not record its nonlinearity; computing tanh (torch's default): pass --nonlinearity relu for nn.RNN(..., nonlinearity='relu')",
      );
      assert.notDeepEqual(npyRows(out('relu-as-tanh.npy'))[0], expected.features.relu_last[0]);
      assert.deepEqual(run(['--nonlinearity', 'sigmoid']), { status: 2, stdout: '', stderr: "rnn-blas: --nonlinearity must be tanh or relu, got 'sigmoid'\n" });
      const onGru = cli(['run', ...FEATURES, '--input', fixture('features.jsonl'), '--output', '-', '--nonlinearity', 'relu']);
      assert.deepEqual(onGru, { status: 2, stdout: '', stderr: "rnn-blas: --nonlinearity is an RNN's option; the module at '' is a GRU\n" });
      assert.deepEqual(ok(['info', relu]).stdout.split('\n').slice(-4), [
        'modules:',
        '  (no prefix): RNN(4, 6, num_layers=2, bias=False)',
        "note: an RNN's weights do not record its nonlinearity: run computes tanh unless given --nonlinearity relu",
        '',
      ]);
    });
    it('a torch.save checkpoint (.pt) gives the bytes of the same weights in safetensors; --key picks a checkpoint entry', () => {
      const reference = ok(['run', ...TOKENS, '--input', fixture('tokens.jsonl'), '--output', '-']).stdout;
      assert.equal(ok(['run', fixture('tokens.pt'), '--embedding', 'embedding.', '--quiet', '--input', fixture('tokens.jsonl'), '--output', '-']).stdout, reference);
      assert.equal(ok(['run', fixture('tokens_checkpoint.pt'), '--key', 'model_state_dict', '--embedding', 'embedding.', '--quiet', '--input', fixture('tokens.jsonl'), '--output', '-']).stdout, reference);
      const noKey = cli(['run', fixture('tokens_checkpoint.pt'), '--embedding', 'embedding.', '--input', fixture('tokens.jsonl'), '--output', '-']);
      assert.equal(noKey.status, 1);
      assert.match(noKey.stderr, /^rnn-blas: .*tokens_checkpoint\.pt: .*pass the one to load, --key model_state_dict\n$/);
    });
    it('stdin to stdout, one line per sequence in order (the form Spark RDD.pipe and Hadoop Streaming use)', () => {
      const text = fs.readFileSync(fixture('tokens.jsonl'), 'utf8');
      const lines = readJsonl(ok(['run', ...TOKENS, '--input', '-', '--output', '-'], { input: text }).stdout);
      assert.deepEqual(lines.map((line) => line.id), TOKEN_IDS);
      assertVectors(lines.map((line) => line.vector), expected.tokens.last, 'stdin');
    });
    it('--workers 2 and --threads 2 give the same bytes as this thread alone', () => {
      const reference = ok(['run', ...TOKENS, '--input', fixture('tokens.jsonl'), '--output', '-', '--batch-tokens', '8']).stdout;
      assert.equal(ok(['run', ...TOKENS, '--input', fixture('tokens.jsonl'), '--output', '-', '--batch-tokens', '8', '--workers', '2']).stdout, reference);
      assert.equal(ok(['run', ...TOKENS, '--input', fixture('tokens.jsonl'), '--output', '-', '--batch-tokens', '8', '--threads', '2']).stdout, reference);
    });
  });

  describe('shards', () => {
    it('--shard i/3 x 3, then merge: each shard\'s rows, interleaved back into input order (.npy and .jsonl)', () => {
      // A shard batches its inputs with other neighbours than one run does, so its rows match
      // one run's to float32 rounding (torch's numbers either way); merge itself moves bytes.
      for (const extension of ['npy', 'jsonl']) {
        const read = (file) => (extension === 'npy' ? npyRows(file).map((row) => ({ vector: row })) : readJsonl(fs.readFileSync(file, 'utf8')));
        const shards = [0, 1, 2].map((i) => out(`shard-${i}.${extension}`));
        shards.forEach((file, i) => ok(['run', ...TOKENS, '--input', fixture('tokens.jsonl'), '--shard', `${i}/3`, '--output', file]));
        const shardRows = shards.map(read);
        assert.deepEqual(shardRows.map((rows) => rows.length), [8, 8, 7]);
        const merged = out(`merged.${extension}`);
        ok(['merge', ...shards.slice().reverse(), '--output', merged, '--quiet']);
        const mergedRows = read(merged);
        assert.deepEqual(mergedRows, mergedRows.map((_, k) => shardRows[k % 3][Math.floor(k / 3)]));
        if (extension === 'jsonl') assert.deepEqual(mergedRows.map((row) => row.id), TOKEN_IDS);
        assertVectors(mergedRows.map((row) => row.vector), expected.tokens.last, `merged ${extension}`);
      }
    });
    it('--shards n takes the index from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX', () => {
      const direct = ok(['run', ...TOKENS, '--input', fixture('tokens.jsonl'), '--shard', '1/4', '--output', '-']).stdout;
      assert.equal(ok(['run', ...TOKENS, '--input', fixture('tokens.jsonl'), '--shards', '4', '--output', '-'], { env: { JOB_COMPLETION_INDEX: '1' } }).stdout, direct);
      assert.equal(ok(['run', ...TOKENS, '--input', fixture('tokens.jsonl'), '--shards', '4', '--output', '-'], { env: { AWS_BATCH_JOB_ARRAY_INDEX: '1' } }).stdout, direct);
      assert.deepEqual(readJsonl(direct).map((line) => line.id), TOKEN_IDS.filter((_, i) => i % 4 === 1));
    });
    it('merge refuses shards that are not one complete split', () => {
      const shards = [0, 1].map((i) => out(`half-${i}.npy`));
      ok(['run', ...TOKENS, '--input', fixture('tokens.jsonl'), '--shard', '0/2', '--output', shards[0]]);
      ok(['run', ...TOKENS, '--input', fixture('tokens.jsonl'), '--shard', '0/3', '--output', shards[1]]);
      const result = cli(['merge', ...shards, '--output', out('bad-merge.npy')]);
      assert.equal(result.status, 1);
      assert.equal(result.stderr, `rnn-blas: ${shards[0]} holds 12 rows, but shard 0/2 of 20 inputs holds 10: are the shards complete, all of one run, and none skipped (--skip-bad)?\n`);
    });
  });

  describe('nothing lost: a killed run resumes to the same bytes', () => {
    const bigInput = out('big.jsonl');
    const args = ['run', ...TOKENS, '--input', bigInput, '--batch-tokens', '64'];
    const reference = (extension) => out(`uninterrupted.${extension}`);
    before(() => {
      const lines = [];
      let seed = 5;
      const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
      for (let i = 0; i < 30000; i++) lines.push(JSON.stringify({ id: i, tokens: Array.from({ length: 1 + Math.floor(random() * 12) }, () => Math.floor(random() * 50)) }));
      fs.writeFileSync(bigInput, `${lines.join('\n')}\n`);
      // One uninterrupted run per format, the bytes every resume below must reproduce.
      for (const extension of ['npy', 'jsonl']) ok([...args, '--output', reference(extension)]);
    });
    for (const extension of ['npy', 'jsonl']) {
      it(`.${extension}: a partial output cut inside a batch window resumes to the same bytes`, () => {
        // SIGKILL can stop a write between pages, leaving rows of half a window. The 1000
        // rows kept here end inside the 7th window of 1024 tokens (rows 952..1106).
        const target = out(`cut.${extension}`);
        const bytes = fs.readFileSync(reference(extension));
        const keep = extension === 'npy'
          ? 10 + bytes.readUInt16LE(8) + 1000 * 12 * 4
          : bytes.toString('utf8').split('\n').slice(0, 1000).join('\n').length + 1;
        fs.writeFileSync(`${target}.partial`, bytes.subarray(0, keep));
        const resumed = cli([...args, '--output', target, '--resume'].filter((a) => a !== '--quiet'));
        assert.equal(resumed.status, 0, resumed.stderr);
        assert.equal(resumed.stderr.split('\n')[0], `resuming ${target}.partial after 1000 rows`);
        assert.deepEqual(fs.readFileSync(target), bytes);
      });
      it(`.${extension}: SIGKILL midway, then --resume`, async () => {
        const uninterrupted = reference(extension);
        const target = out(`killed.${extension}`);
        const partial = `${target}.partial`;
        const child = spawn(process.execPath, [CLI, ...args, '--output', target], { stdio: 'ignore' });
        const exited = new Promise((resolve) => child.on('exit', resolve));
        const finalSize = fs.statSync(uninterrupted).size;
        // Kill once some rows are out, well before the end.
        for (;;) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          const size = fs.existsSync(partial) ? fs.statSync(partial).size : 0;
          if (size > finalSize / 20) break;
        }
        child.kill('SIGKILL');
        await exited;
        assert.ok(!fs.existsSync(target), 'the destination appears only when complete');
        const cutAt = fs.statSync(partial).size;
        assert.ok(cutAt < finalSize, `killed at ${cutAt} of ${finalSize} bytes`);
        const resumed = cli([...args, '--output', target, '--resume'].filter((a) => a !== '--quiet'));
        assert.equal(resumed.status, 0, resumed.stderr);
        assert.match(resumed.stderr, /^resuming .*killed\.[a-z]+\.partial after [0-9]+ rows\n/);
        assert.deepEqual(fs.readFileSync(target), fs.readFileSync(uninterrupted));
        assert.ok(!fs.existsSync(partial));
        // Resuming a complete output does nothing.
        const again = cli([...args, '--output', target, '--resume'].filter((a) => a !== '--quiet'));
        assert.equal(again.status, 0, again.stderr);
        assert.match(again.stderr, /is complete already; nothing to resume\n$/);
        assert.deepEqual(fs.readFileSync(target), fs.readFileSync(uninterrupted));
      });
    }
  });

  describe('info', () => {
    it('lists the tensors and the modules with torch\'s repr', () => {
      const { stdout } = ok(['info', fixture('tokens.safetensors')]);
      const lines = stdout.split('\n');
      assert.equal(lines[0], `${fixture('tokens.safetensors')}: 19 tensors`);
      assert.equal(lines[1], '  embedding.weight          float32  [50, 8]');
      assert.equal(lines[19], '  rnn.weight_ih_l1_reverse  float32  [24, 12]');
      // Modules in the file's key order (a safetensors file sorts its keys).
      assert.deepEqual(lines.slice(20), [
        'modules:',
        '  embedding.: Embedding(50, 8)',
        '  head.: Linear(in_features=12, out_features=3, bias=True)',
        '  rnn.: LSTM(8, 6, num_layers=2, bidirectional=True)',
        '',
      ]);
      assert.deepEqual(ok(['info', fixture('features.safetensors')]).stdout.split('\n').slice(-3), ['modules:', '  (no prefix): GRU(4, 5, bidirectional=True)', '']);
      const fromPt = ok(['info', fixture('tokens_checkpoint.pt'), '--key', 'model_state_dict']).stdout.split('\n');
      assert.equal(fromPt.length, lines.length);
      // torch.save keeps the state dict's order (the model's), safetensors sorts by name.
      assert.deepEqual(fromPt.slice(-5), [
        'modules:',
        '  embedding.: Embedding(50, 8)',
        '  rnn.: LSTM(8, 6, num_layers=2, bidirectional=True)',
        '  head.: Linear(in_features=12, out_features=3, bias=True)',
        '',
      ]);
    });
  });

  describe('exit codes and messages', () => {
    const bad = out('bad.jsonl');
    before(() => fs.writeFileSync(bad, '{"id": "a", "tokens": [1, 2]}\n{"id": "b", "tokens": [1, 99]}\n{"id": "c", "tokens": [3]\n{"id": "d", "tokens": []}\n[4, 5, 6]\n{"id": "f", "tokens": [1.5]}\n'));
    const usage = [
      [['run', ...TOKENS, '--input', 'x.jsonl', '--output', '-', '--bogus'], "error: unknown option '--bogus'\n(rnn-blas --help for usage)\n"],
      [['run', ...TOKENS, '--output', '-'], "error: required option '--input <path|->' not specified\n(rnn-blas --help for usage)\n"],
      [['run', ...TOKENS, '--input', 'x.jsonl', '--output', '-', '--pool', 'avg'], "rnn-blas: --pool must be last, mean, max or none, got 'avg'\n"],
      [['run', ...TOKENS, '--input', 'x.jsonl', '--output', 'x.npy', '--pool', 'none'], 'rnn-blas: --pool none writes a sequence per input: use a .jsonl output\n'],
      [['run', ...TOKENS, '--input', 'x.jsonl', '--output', 'x.csv'], 'rnn-blas: --output x.csv: expected a .npy or .jsonl file, or - for JSONL on stdout\n'],
      [['run', ...TOKENS, '--input', 'x.jsonl', '--output', '-', '--shard', '3/2'], "rnn-blas: --shard must be i/n with 0 <= i < n, got '3/2'\n"],
      [['run', ...TOKENS, '--input', 'x.jsonl', '--output', '-', '--shards', '2'], 'rnn-blas: --shards 2 takes the shard index from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX, and neither is set\n'],
      [['run', ...TOKENS, '--input', 'x.jsonl', '--output', '-', '--batch-tokens', '0'], "rnn-blas: --batch-tokens must be a positive integer, got '0'\n"],
      [['run', ...TOKENS, '--input', fixture('tokens.jsonl'), '--output', '-', '--resume'], 'rnn-blas: --resume needs an --output file: stdout cannot be resumed\n'],
      [['run', ...TOKENS, '--input', fixture('tokens.txt'), '--output', '-'], `rnn-blas: --input ${fixture('tokens.txt')}: expected a .jsonl, .npy or .npz file, or - for JSONL on stdin\n`],
      [['frobnicate'], "error: unknown command 'frobnicate'\n(rnn-blas --help for usage)\n"],
    ];
    usage.forEach(([args, message], i) => {
      it(`exit 2: ${message.trim().split('\n')[0].slice(0, 70)}`, () => {
        const result = cli(args, { env: { JOB_COMPLETION_INDEX: '', AWS_BATCH_JOB_ARRAY_INDEX: '' } });
        assert.equal(result.stderr, message, `case ${i}`);
        assert.equal(result.status, 2);
        assert.equal(result.stdout, '');
      });
    });
    it('exit 0 for --help and --version', () => {
      assert.match(ok(['--help']).stdout, /^Usage: rnn-blas \[options\] \[command\]/);
      assert.match(ok(['run', '--help']).stdout, /--pool <how>/);
      assert.equal(ok(['--version']).stdout, `${require('../package.json').version}\n`);
    });
    it('exit 1: a malformed line stops the run with its line number, and no output appears', () => {
      const target = out('stopped.npy');
      const result = cli(['run', ...TOKENS, '--input', bad, '--output', target]);
      assert.equal(result.status, 1);
      assert.equal(result.stderr, 'rnn-blas: bad.jsonl:2: index out of range in self: id 99 at position 1, but the table has 50 rows (ids must be in [0, 50))\n');
      assert.ok(!fs.existsSync(target));
    });
    it('--skip-bad: each bad line reported with its id and left out', () => {
      const result = cli(['run', ...TOKENS, '--input', bad, '--output', '-', '--skip-bad']);
      assert.equal(result.status, 0);
      // JSON.parse's own words differ between Node versions: only their place is checked.
      const stderr = result.stderr.replace(/not valid JSON \(.*\)\n/, 'not valid JSON (...)\n');
      assert.equal(stderr, [
        'skipped bad.jsonl:2 (id "b"): index out of range in self: id 99 at position 1, but the table has 50 rows (ids must be in [0, 50))',
        'skipped bad.jsonl:3 (id 2): not valid JSON (...)',
        "skipped bad.jsonl:4 (id \"d\"): Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0",
        'skipped bad.jsonl:6 (id "f"): token ids must be integers, got 1.5 at position 0',
        '',
      ].join('\n'));
      assert.deepEqual(readJsonl(result.stdout).map((line) => line.id), ['a', 4]);
    });
    it('exit 1: files that cannot be used', () => {
      const missing = cli(['run', out('nope.safetensors'), '--input', bad, '--output', '-']);
      assert.equal(missing.status, 1);
      assert.match(missing.stderr, /^rnn-blas: .*nope\.safetensors: ENOENT: no such file or directory/);
      const notNpy = cli(['run', ...TOKENS, '--input', fixture('tokens_lengths.npy'), '--output', '-']);
      assert.equal(notNpy.status, 1);
      assert.equal(notNpy.stderr, `rnn-blas: ${fixture('tokens_lengths.npy')}: expected token ids (N, L) with --batch-first, else (L, N), got shape [23]\n`);
      const wrongLengths = cli(['run', ...TOKENS, '--input', fixture('tokens_padded.npy'), '--batch-first', '--lengths', fixture('tokens_padded.npy'), '--output', '-']);
      assert.equal(wrongLengths.status, 1);
      assert.equal(wrongLengths.stderr, `rnn-blas: ${fixture('tokens_padded.npy')}: lengths must be 1-D, got shape [23, 12]\n`);
    });
    it('a checkpoint dict without --key: exit 1, naming the --key to pass', () => {
      const file = fixture('tokens_checkpoint.pt');
      const result = cli(['info', file]);
      assert.equal(result.status, 1);
      assert.equal(result.stderr, `rnn-blas: ${file}: pt: the file holds a dict of 2 entries ("epoch", "model_state_dict"), ` +
        'not a flat state dict of tensors; the entries holding state dicts are "model_state_dict": pass the one to load, --key model_state_dict\n');
    });
    it('a checkpoint with two recurrent modules needs --rnn (exit 2); one with none cannot run (exit 1)', () => {
      const two = out('two-rnns.safetensors');
      const state = {};
      Object.entries(new LSTM(4, 3).stateDict()).forEach(([key, t]) => { state[`encoder.${key}`] = t; });
      Object.entries(new GRU(3, 2).stateDict()).forEach(([key, t]) => { state[`decoder.${key}`] = t; });
      safetensors.saveFile(state, two);
      const input = fixture('features.jsonl');
      // In the file's key order (safetensors sorts the names).
      const ambiguous = cli(['run', two, '--input', input, '--output', '-', '--quiet']);
      assert.equal(ambiguous.stderr, `rnn-blas: ${two}: holds 2 recurrent modules ('decoder.', 'encoder.'); choose one with --rnn <prefix>\n`);
      assert.equal(ambiguous.status, 2);
      const none = out('linear-only.safetensors');
      safetensors.saveFile(new Linear(4, 2).stateDict(), none);
      const nothing = cli(['run', none, '--input', input, '--output', '-', '--quiet']);
      assert.equal(nothing.stderr, `rnn-blas: ${none}: holds no RNN, LSTM or GRU (no weight_ih_l0 key)\n`);
      assert.equal(nothing.status, 1);
      assert.equal(nothing.stdout, '');
    });
    it('no progress bar when stderr is not a terminal: one summary line, none with --quiet', () => {
      const result = cli(['run', TOKENS[0], '--embedding', 'embedding', '--input', fixture('tokens.jsonl'), '--output', out('summary.npy')]);
      assert.equal(result.status, 0);
      assert.match(result.stderr, /^23 sequences -> .*summary\.npy in [0-9.]+ s \([0-9]+\/s\)\n$/);
      assert.equal(cli(['run', ...TOKENS, '--input', fixture('tokens.jsonl'), '--output', out('quiet.npy')]).stderr, '');
    });
  });
});
