'use strict';
// Random, seeded calls of the whole public API, for test/16-fuzz.test.js (a few thousand
// calls) and scripts/fuzz.js (as many as asked). Every call must either return a correct
// result or throw an Error (TypeError, RangeError or Error) with a non-empty message of the
// library's own; the process must never crash. For every call the fuzzer predicts whether
// it is valid ('ok'), invalid ('throw') or not decidable from the outside ('either'); a
// valid call that throws, an invalid one that returns, and any result that differs from
// the float64 reference of test/support/reference.js are findings.
//
// Iteration i of seed s draws from its own generator, seeded from (s, i): FUZZ_SEED=s
// FUZZ_ONLY=i replays exactly one case.
const rnn = require('../../lib');
const { referenceSequence, referenceCell, maxError } = require('./reference');

const { Tensor, PackedSequence } = rnn;
const TOLERANCE = 1e-4;

// ------------------------------------------------------------------------------ randomness

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  float() {
    return this.next();
  }
  /** An integer in [lo, hi]. */
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p) {
    return this.next() < p;
  }
  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }
  normal() {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  floats(count) {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.normal();
    return out;
  }
}

/** Sizes that are wrong in every way a size can be. */
const ODD_SIZES = [0, -1, -7, 2 ** 31, 2 ** 32, 2 ** 53 + 2, 1e12, 1e300, 1.5, -0.5, NaN, Infinity, -Infinity];
/** Values of the wrong type. */
const ODD_VALUES = () => [
  '3', '', 'abc', null, undefined, true, {}, [], [2], 3n, Symbol('odd'), () => 1, new Map(), new Date(0),
  Object.create(null), new Float64Array(3), new Int32Array(2), new Uint8Array(4), { length: 2 ** 40 },
  { shape: [2, 3], data: new Float32Array(6) }, new Proxy({}, {}),
];

const product = (shape) => shape.reduce((a, b) => a * b, 1);

function detach(array) {
  structuredClone(array.buffer, { transfer: [array.buffer] });
}

function describe(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return 'Symbol';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'function';
  if (value instanceof Tensor) return `Tensor[${value.shape}]`;
  if (Array.isArray(value)) return value.length > 6 ? `array(${value.length})` : `[${value.map(describe).join(', ')}]`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.length})`;
  return value.constructor?.name ?? 'object';
}

// ------------------------------------------------------------------------------ outcomes

const ENGINE_MESSAGES = new RegExp(
  [
    'Cannot read propert', 'Cannot set propert', 'is not a function', 'is not iterable', 'is not a constructor',
    'Cannot convert', 'Cannot mix BigInt', 'Invalid typed array length', 'Invalid array length',
    'Maximum call stack', 'Array buffer allocation failed', 'Cannot perform', 'out of bounds',
    'Invalid time value', 'serialize a BigInt', 'Reduce of empty array', 'detached ArrayBuffer',
  ].join('|'),
);

/** Why an error thrown by the library is not acceptable, or null when it is. */
function errorProblem(error) {
  if (!(error instanceof Error)) return `threw a non-Error: ${describe(error)}`;
  if (![Error, TypeError, RangeError].includes(error.constructor)) {
    return `threw ${error.constructor.name}: ${error.message}`;
  }
  if (typeof error.message !== 'string' || error.message.trim() === '') return `threw ${error.name} with an empty message`;
  if (ENGINE_MESSAGES.test(error.message)) return `a JavaScript engine error escaped: ${error.name}: ${error.message}`;
  return null;
}

function combine(...expectations) {
  if (expectations.includes('throw')) return 'throw';
  if (expectations.includes('either')) return 'either';
  return 'ok';
}

class ApiFuzzer {
  /** Tolerance of each module's results against the reference (see buildRecurrent). */
  static tolerances = new WeakMap();

  constructor(seed, options = {}) {
    this.seed = seed;
    this.findings = [];
    this.stats = { calls: 0, returned: 0, threw: 0, async: 0 };
    this.pending = [];
    this.maxFindings = options.maxFindings ?? 20;
    this.threads = options.threads ?? 2;
    this.label = '';
  }

  fail(message) {
    if (this.findings.length < this.maxFindings) {
      this.findings.push(`seed ${this.seed} case ${this.caseIndex} (${this.scenario}): ${this.label}: ${message}`);
    } else {
      this.findings.length = this.maxFindings; // keep the count bounded
    }
  }

  /**
   * Calls fn() and judges the outcome. `expectation`: 'ok' (must return; verify(result)
   * checks it), 'throw' (must throw), 'either'. Returns the result or undefined.
   */
  expect(expectation, fn, verify) {
    this.stats.calls++;
    let result;
    try {
      result = fn();
    } catch (error) {
      this.stats.threw++;
      const problem = errorProblem(error);
      if (problem) this.fail(problem);
      else if (expectation === 'ok') this.fail(`threw ${error.name}: ${error.message}`);
      return undefined;
    }
    this.stats.returned++;
    if (expectation === 'throw') {
      this.fail('returned instead of throwing');
      return undefined;
    }
    this.check(verify, result);
    return result;
  }

  /**
   * The async twin: it must never throw; bad arguments reject the Promise (with the Error
   * the sync call throws); a valid call's Promise must resolve to a correct result.
   */
  expectAsync(expectation, fn, verify) {
    this.stats.calls++;
    this.stats.async++;
    let promise;
    try {
      promise = fn();
    } catch (error) {
      this.stats.threw++;
      this.fail(`threw ${error && error.name}: ${error && error.message} instead of rejecting the Promise`);
      return;
    }
    if (!(promise instanceof Promise)) {
      this.fail(`returned ${describe(promise)}, not a Promise`);
      return;
    }
    const label = this.label;
    const where = { caseIndex: this.caseIndex, scenario: this.scenario };
    this.pending.push(
      promise.then(
        (result) => {
          this.stats.returned++;
          this.withContext(where, label, () => {
            if (expectation === 'throw') this.fail('resolved instead of rejecting');
            else this.check(verify, result);
          });
        },
        (error) => {
          this.stats.threw++;
          this.withContext(where, label, () => {
            const problem = errorProblem(error);
            if (problem) this.fail(problem);
            else if (expectation === 'ok') this.fail(`rejected with ${error.name}: ${error.message}`);
          });
        },
      ),
    );
  }

  withContext(where, label, fn) {
    const saved = [this.caseIndex, this.scenario, this.label];
    [this.caseIndex, this.scenario, this.label] = [where.caseIndex, where.scenario, label];
    try {
      fn();
    } finally {
      [this.caseIndex, this.scenario, this.label] = saved;
    }
  }

  check(verify, result) {
    if (!verify) return;
    try {
      verify(result);
    } catch (error) {
      this.fail(`wrong result: ${error.message}`);
    }
  }

  async settle() {
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending);
  }

  // ---------------------------------------------------------------------------- the run

  static scenarios() {
    return [
      [24, 'recurrentForward', (f, r) => f.recurrentForward(r)],
      [10, 'packedForward', (f, r) => f.packedForward(r)],
      [10, 'cellForward', (f, r) => f.cellForward(r)],
      [8, 'constructors', (f, r) => f.constructors(r)],
      [8, 'loadStateDict', (f, r) => f.loadStateDict(r)],
      [5, 'fromStateDict', (f, r) => f.fromStateDict(r)],
      [5, 'detachedWeights', (f, r) => f.detachedWeights(r)],
      [7, 'safetensors', (f, r) => f.safetensors(r)],
      [7, 'packing', (f, r) => f.packing(r)],
      [6, 'tensors', (f, r) => f.tensors(r)],
      [5, 'layers', (f, r) => f.layers(r)],
      [2, 'threads', (f, r) => f.threadCounts(r)],
    ];
  }

  /** Runs cases [from, to) of this seed; `only` restricts to one case. */
  async run(iterations, { only = null, onProgress = null, onCase = null } = {}) {
    const scenarios = ApiFuzzer.scenarios();
    const totalWeight = scenarios.reduce((sum, [weight]) => sum + weight, 0);
    rnn.setNumThreads(this.threads);
    for (let i = 0; i < iterations; i++) {
      if (only !== null && i !== only) continue;
      const caseSeed = (Math.imul(this.seed, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0;
      const r = new Random(caseSeed);
      rnn.manualSeed(caseSeed); // module initialisation too, so that one case replays alone
      let pick = r.float() * totalWeight;
      let chosen = scenarios[scenarios.length - 1];
      for (const scenario of scenarios) {
        pick -= scenario[0];
        if (pick < 0) {
          chosen = scenario;
          break;
        }
      }
      this.caseIndex = i;
      this.scenario = chosen[1];
      this.label = '';
      if (onCase) onCase(i, chosen[1]);
      try {
        chosen[2](this, r);
      } catch (error) {
        this.fail(`the fuzzer itself failed: ${error.stack}`);
      }
      if (this.pending.length >= 64) await this.settle();
      if (onProgress && (i + 1) % 1000 === 0) onProgress(i + 1, this);
    }
    await this.settle();
    return { findings: this.findings, stats: this.stats };
  }

  // ---------------------------------------------------------------------------- arguments

  /**
   * The tensor `clean` in one of many forms: { value, expectation, desc }. `expectation`
   * says whether the form stands for `clean` ('ok'), is no tensor at all ('throw'), or
   * could be read either way ('either'; a result must then still be right for `clean`).
   */
  tensorArgument(r, clean, { allowNested = true } = {}) {
    const n = clean.data.length;
    const roll = r.int(0, 19);
    if (roll <= 8) return { value: clean, expectation: 'ok', desc: `Tensor[${clean.shape}]` };
    switch (roll) {
      case 9: {
        // A view into a larger buffer, at an odd offset: native code must honour byteOffset.
        const big = new Float32Array(n + 7);
        big.set(clean.data, 3);
        return { value: new Tensor(big.subarray(3, 3 + n), clean.shape), expectation: 'ok', desc: 'subarray view' };
      }
      case 10: {
        const shared = new Float32Array(new SharedArrayBuffer(4 * n));
        shared.set(clean.data);
        return { value: new Tensor(shared, clean.shape), expectation: 'ok', desc: 'SharedArrayBuffer' };
      }
      case 11:
        if (allowNested && n > 0 && clean.shape.length > 0) {
          return { value: clean.toArray(), expectation: 'ok', desc: 'nested arrays' };
        }
        return { value: clean, expectation: 'ok', desc: `Tensor[${clean.shape}]` };
      case 12: {
        const copy = clean.clone();
        detach(copy.data);
        return { value: copy, expectation: n === 0 ? 'ok' : 'throw', desc: 'detached Tensor' };
      }
      case 13: {
        // Resizable buffer shrunk after the Tensor was made: the data no longer fills the shape.
        const buffer = new ArrayBuffer(4 * n, { maxByteLength: 4 * n + 64 });
        const data = new Float32Array(buffer);
        data.set(clean.data);
        const t = new Tensor(data, clean.shape);
        if (n > 0) buffer.resize(4 * r.int(0, n - 1));
        return { value: t, expectation: n === 0 ? 'ok' : 'throw', desc: 'shrunk resizable buffer' };
      }
      case 14: {
        const fake = Object.create(Tensor.prototype);
        fake.data = clean.data.slice();
        fake.shape = [...clean.shape];
        return { value: fake, expectation: 'either', desc: 'Object.create(Tensor.prototype), consistent' };
      }
      case 15: {
        const fake = Object.create(Tensor.prototype);
        const lie = clean.shape.length ? clean.shape.map((s, i) => (i === 0 ? s + r.int(1, 3) : s)) : [2];
        fake.data = r.chance(0.5) ? clean.data.slice() : new Float32Array(r.int(0, 3));
        fake.shape = r.chance(0.3) ? clean.shape.map(() => r.pick([2 ** 31, 1e12, -3, NaN])) : lie;
        // A lie that happens to be consistent (zero-size data) describes another tensor: make it inconsistent.
        if (product(fake.shape) === fake.data.length) fake.data = new Float32Array(fake.data.length + 1);
        return { value: fake, expectation: 'throw', desc: `fake Tensor lying shape [${fake.shape}] for ${fake.data.length}` };
      }
      case 16: {
        // A getter that changes its answer: whatever is read first must be what is used.
        const fake = Object.create(Tensor.prototype);
        let reads = 0;
        const other = [...clean.shape, 2];
        Object.defineProperty(fake, 'shape', { get: () => (reads++ % 2 === 0 ? clean.shape : other) });
        Object.defineProperty(fake, 'data', { get: () => (reads++ % 3 === 0 ? clean.data : new Float32Array(1)) });
        // Empty, both shapes fit the data: a valid tensor, maybe not `clean`.
        return { value: fake, expectation: 'either', desc: 'Tensor with changing getters', unverifiable: n === 0 };
      }
      case 17:
        return { value: { data: clean.data, shape: clean.shape }, expectation: 'throw', desc: 'plain {data, shape}' };
      case 18: {
        const Kind = r.pick([Float64Array, Int32Array, Uint8Array, Array]);
        // A plain array of numbers is a 1-D tensor's nested-array form.
        if (Kind === Array) {
          // A plain array of numbers is the nested-array form of a 1-D tensor: exactly `clean`
          // when that is 1-D, else another (valid or not) tensor.
          const exact = clean.shape.length === 1;
          return { value: Array.from(clean.data), expectation: exact ? 'ok' : 'either', desc: 'Array of the values', unverifiable: !exact };
        }
        return { value: Kind.from(clean.data), expectation: 'throw', desc: `${Kind.name} of the values` };
      }
      default: {
        const value = r.pick(ODD_VALUES());
        // [] and [2] are tensors too (1-D, of 0 and 1 elements): valid or not, never `clean`.
        if (Array.isArray(value)) return { value, expectation: 'either', desc: describe(value), unverifiable: true };
        return { value, expectation: 'throw', desc: describe(value) };
      }
    }
  }

  // ---------------------------------------------------------------------------- modules

  randomRecurrentSpec(r) {
    const mode = r.pick(['RNN', 'LSTM', 'GRU']);
    const hiddenSize = r.int(1, 7);
    return {
      mode,
      inputSize: r.int(1, 6), // torch 2.x refuses input_size 0 for RNN, LSTM and GRU (cells take it)
      hiddenSize,
      numLayers: r.chance(0.6) ? 1 : r.int(2, 3),
      bidirectional: r.chance(0.4),
      bias: r.chance(0.8),
      batchFirst: r.chance(0.3),
      projSize: mode === 'LSTM' && hiddenSize > 1 && r.chance(0.3) ? r.int(1, hiddenSize - 1) : 0,
      nonlinearity: mode === 'RNN' && r.chance(0.4) ? 'relu' : 'tanh',
    };
  }

  buildRecurrent(r, spec) {
    const Module = rnn[spec.mode];
    const options = { numLayers: spec.numLayers, bidirectional: spec.bidirectional, bias: spec.bias, batchFirst: spec.batchFirst };
    if (spec.mode === 'LSTM') options.projSize = spec.projSize;
    if (spec.mode === 'RNN') options.nonlinearity = spec.nonlinearity;
    const module = r.chance(0.5)
      ? new Module(spec.inputSize, spec.hiddenSize, options)
      : new Module({ inputSize: spec.inputSize, hiddenSize: spec.hiddenSize, ...options });
    // Weights far from init now and then, so saturation and sign changes get exercised.
    // Rounding errors grow through such a recurrence (ReLU can explode): a looser tolerance.
    const scaled = r.chance(0.2);
    if (scaled) for (const p of module.parameters()) for (let i = 0; i < p.data.length; i++) p.data[i] *= 4;
    ApiFuzzer.tolerances.set(module, scaled ? 1e-3 : TOLERANCE);
    return r.chance(0.9) ? module.eval() : module; // training with dropout 0 computes the same
  }

  static parametersOf(module) {
    return Object.fromEntries(module.namedParameters().map(([name, t]) => [name, t.data.slice()]));
  }

  /** Rows of a (d0, d1, size) tensor's data as arrays: rows[i][j] = data[i, j, :]. */
  static rows3(data, d0, d1, size) {
    const out = [];
    for (let i = 0; i < d0; i++) {
      const row = [];
      for (let j = 0; j < d1; j++) row.push(data.subarray((i * d1 + j) * size, (i * d1 + j + 1) * size));
      out.push(row);
    }
    return out;
  }

  recurrentForward(r) {
    const spec = this.randomRecurrentSpec(r);
    const module = this.buildRecurrent(r, spec);
    const D = spec.bidirectional ? 2 : 1;
    const hOut = spec.projSize || spec.hiddenSize;
    const S = spec.numLayers * D;

    // The input's shape: mostly right, sometimes wrong in one way.
    const unbatched = r.chance(0.25);
    let steps = r.int(1, 5);
    let batch = unbatched ? 1 : r.chance(0.1) ? 0 : r.int(1, 4);
    let features = spec.inputSize;
    let shape;
    let shapeExpectation = 'ok';
    const shapeRoll = r.int(0, 9);
    if (shapeRoll === 0) {
      features = spec.inputSize + r.pick([1, 2, -1].filter((d) => spec.inputSize + d >= 0 && d !== 0));
      shapeExpectation = 'throw';
    } else if (shapeRoll === 1) {
      steps = 0;
      shapeExpectation = 'throw';
    }
    if (unbatched) shape = [steps, features];
    else shape = spec.batchFirst ? [batch, steps, features] : [steps, batch, features];
    if (shapeRoll === 2) {
      shape = r.chance(0.5) ? [features] : [1, ...shape, 1].slice(0, 4);
      shapeExpectation = 'throw';
    }
    const clean = new Tensor(r.floats(product(shape)), shape);
    const input = this.tensorArgument(r, clean);

    // hx: none, right, or wrong in one way.
    const hShape = unbatched ? [S, hOut] : [S, batch, hOut];
    const cShape = unbatched ? [S, spec.hiddenSize] : [S, batch, spec.hiddenSize];
    let hx;
    let hxExpectation = 'ok';
    let h0 = null;
    let c0 = null;
    let hxDesc = 'none';
    let hxUnverifiable = false;
    if (r.chance(0.5)) {
      const badShape = (s) => {
        const which = r.int(0, s.length);
        if (which === s.length) return unbatched ? [1, ...s] : s.slice(1); // wrong rank
        return s.map((v, i) => (i === which ? v + r.pick([1, 2]) : v));
      };
      let hShapeUsed = hShape;
      let cShapeUsed = cShape;
      if (r.chance(0.25)) {
        if (spec.mode === 'LSTM' && r.chance(0.5)) cShapeUsed = badShape(cShape);
        else hShapeUsed = badShape(hShape);
        hxExpectation = 'throw';
      }
      h0 = new Tensor(r.floats(product(hShapeUsed)), hShapeUsed);
      const hArg = this.tensorArgument(r, h0);
      hxUnverifiable = Boolean(hArg.unverifiable);
      if (spec.mode !== 'LSTM' && (hArg.value === null || hArg.value === undefined)) {
        // No hx at all: zeros.
        hArg.expectation = 'ok';
        h0 = null;
        hxExpectation = 'ok';
      }
      if (spec.mode === 'LSTM') {
        c0 = new Tensor(r.floats(product(cShapeUsed)), cShapeUsed);
        const cArg = this.tensorArgument(r, c0);
        hxUnverifiable ||= Boolean(cArg.unverifiable);
        hxDesc = `[${hArg.desc} [${h0.shape}], ${cArg.desc} [${c0.shape}]]`;
        if (r.chance(0.05) && hArg.value !== null && hArg.value !== undefined) {
          hx = r.pick([[hArg.value], hArg.value, [hArg.value, cArg.value, cArg.value], { 0: hArg.value, 1: cArg.value }]);
          hxExpectation = 'throw';
          hxDesc += ' in a bad container';
        } else {
          hx = [hArg.value, cArg.value];
          hxExpectation = combine(hxExpectation, hArg.expectation, cArg.expectation);
        }
      } else {
        hx = hArg.value;
        hxDesc = `${hArg.desc} [${hShapeUsed}]`;
        hxExpectation = combine(hxExpectation, hArg.expectation);
      }
    }
    // An argument that may stand for another tensor can make a wrong shape right, or a right one wrong.
    const expectation = input.unverifiable || hxUnverifiable ? 'either' : combine(shapeExpectation, input.expectation, hxExpectation);
    const useAsync = r.chance(0.25);
    this.label = `${spec.mode}(${JSON.stringify(spec)}).${useAsync ? 'forwardAsync' : 'forward'}(${input.desc} [${shape}], hx ${hxDesc})`;
    const params = ApiFuzzer.parametersOf(module);
    const tolerance = ApiFuzzer.tolerances.get(module);
    const verify = input.unverifiable || hxUnverifiable ? null : (result) => this.verifyPadded(spec, params, result, clean, h0, c0, { unbatched, steps, batch, hOut, S, tolerance });
    if (useAsync) this.expectAsync(expectation, () => module.forwardAsync(input.value, hx), verify);
    else this.expect(expectation, () => module.forward(input.value, hx), verify);
  }

  verifyPadded(spec, params, result, clean, h0, c0, { unbatched, steps, batch, hOut, S, tolerance = TOLERANCE }) {
    const D = spec.bidirectional ? 2 : 1;
    const lstm = spec.mode === 'LSTM';
    if (!Array.isArray(result) || result.length !== 2) throw new Error('forward must return [output, hN]');
    const [output, state] = result;
    const [hN, cN] = lstm ? state : [state, null];
    const outShape = unbatched ? [steps, D * hOut] : spec.batchFirst ? [batch, steps, D * hOut] : [steps, batch, D * hOut];
    sameShape(output, outShape, 'output');
    sameShape(hN, unbatched ? [S, hOut] : [S, batch, hOut], 'hN');
    if (lstm) sameShape(cN, unbatched ? [S, spec.hiddenSize] : [S, batch, spec.hiddenSize], 'cN');
    const N = unbatched ? 1 : batch;
    const at = (t, b) => (unbatched ? t : spec.batchFirst ? b * steps + t : t * N + b);
    for (let b = 0; b < N; b++) {
      const xs = [];
      for (let t = 0; t < steps; t++) xs.push(clean.data.subarray(at(t, b) * spec.inputSize, (at(t, b) + 1) * spec.inputSize));
      const stateOf = (tensor, size) => (tensor ? Array.from({ length: S }, (_, s) => tensor.data.subarray((s * N + b) * size, (s * N + b + 1) * size)) : null);
      const expected = referenceSequence(spec, params, xs, stateOf(h0, hOut), stateOf(c0, spec.hiddenSize));
      for (let t = 0; t < steps; t++) {
        const row = output.data.subarray(at(t, b) * D * hOut, (at(t, b) + 1) * D * hOut);
        closeTo(row, expected.output[t], `output[t=${t}, b=${b}]`, tolerance);
      }
      for (let s = 0; s < S; s++) {
        closeTo(hN.data.subarray((s * N + b) * hOut, (s * N + b + 1) * hOut), expected.hN[s], `hN[${s}, ${b}]`, tolerance);
        if (lstm) {
          const H = spec.hiddenSize;
          closeTo(cN.data.subarray((s * N + b) * H, (s * N + b + 1) * H), expected.cN[s], `cN[${s}, ${b}]`, tolerance);
        }
      }
    }
  }

  packedForward(r) {
    const spec = { ...this.randomRecurrentSpec(r), batchFirst: false };
    const module = this.buildRecurrent(r, spec);
    const D = spec.bidirectional ? 2 : 1;
    const hOut = spec.projSize || spec.hiddenSize;
    const S = spec.numLayers * D;
    const N = r.int(1, 4);
    const lengths = Array.from({ length: N }, () => r.int(1, 5));
    const sequences = lengths.map((L) => new Tensor(r.floats(L * spec.inputSize), [L, spec.inputSize]));
    const enforceSorted = r.chance(0.3) || spec.inputSize === 0;
    let packed;
    if (spec.inputSize === 0) {
      // Packing refuses empty tensors (as torch does): build the PackedSequence itself.
      lengths.sort((a, b) => b - a);
      const batchSizes = Int32Array.from({ length: lengths[0] }, (_, t) => lengths.filter((L) => L > t).length);
      packed = new PackedSequence(new Tensor(new Float32Array(0), [lengths.reduce((a, b) => a + b, 0), 0]), batchSizes);
      sequences.splice(0, N, ...lengths.map((L) => new Tensor(new Float32Array(0), [L, 0])));
    } else if (enforceSorted) {
      const order = lengths.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a]);
      packed = rnn.packSequence(order.map((i) => sequences[i]), { enforceSorted: true });
      // The batch is now in sorted order: reorder the reference's view of it.
      const sortedSeqs = order.map((i) => sequences[i]);
      sequences.splice(0, N, ...sortedSeqs);
      const sortedLengths = order.map((i) => lengths[i]);
      lengths.splice(0, N, ...sortedLengths);
    } else if (r.chance(0.5)) {
      packed = rnn.packSequence(sequences, { enforceSorted: false });
    } else {
      const padded = rnn.padSequence(sequences, { batchFirst: true });
      packed = rnn.packPaddedSequence(padded, Int32Array.from(lengths), { batchFirst: true, enforceSorted: false });
    }

    // Sometimes the PackedSequence itself is bogus.
    let argument = packed;
    let expectation = 'ok';
    let desc = `PackedSequence(lengths ${lengths})`;
    const roll = r.int(0, 11);
    if (roll === 0) {
      argument = { data: packed.data, batchSizes: packed.batchSizes, sortedIndices: packed.sortedIndices, unsortedIndices: packed.unsortedIndices };
      expectation = 'throw';
      desc = 'a plain object shaped like a PackedSequence';
    } else if (roll === 1) {
      argument = Object.create(PackedSequence.prototype);
      Object.assign(argument, packed);
      expectation = 'either';
      desc = 'Object.create(PackedSequence.prototype), consistent';
    } else if (roll === 2 || roll === 3) {
      argument = Object.create(PackedSequence.prototype);
      Object.assign(argument, packed);
      const sizes = Int32Array.from(packed.batchSizes);
      const mutation = r.int(0, 7);
      if (mutation === 0 && sizes.length > 1) [sizes[0], sizes[sizes.length - 1]] = [sizes[sizes.length - 1], sizes[0] + 1];
      else if (mutation === 1) sizes[r.int(0, sizes.length - 1)] = r.pick([0, -1, 2 ** 31 - 1, -(2 ** 31)]);
      else if (mutation === 2) argument.batchSizes = Float64Array.from(sizes);
      else if (mutation === 3) argument.batchSizes = new Int32Array(0);
      else if (mutation === 4) argument.sortedIndices = Int32Array.from({ length: N }, () => r.int(-1, N));
      else if (mutation === 5) argument.data = new Tensor(packed.data.data.slice(0, packed.data.data.length - spec.inputSize), [packed.data.shape[0] - 1, spec.inputSize]);
      else if (mutation === 6) argument.batchSizes = r.pick(ODD_VALUES());
      else sizes[0] += 1;
      if (mutation <= 1 || mutation === 7) argument.batchSizes = sizes;
      expectation = 'throw';
      if (mutation === 2) expectation = 'either'; // the values are right, only the array type is not
      if (mutation === 0 && sizes.length === 1) expectation = 'either'; // nothing was swapped
      if (mutation === 4 && packed.sortedIndices && argument.sortedIndices.every((v, i) => v === packed.sortedIndices[i])) expectation = 'either';
      desc = `PackedSequence with mutation ${mutation}`;
    } else if (roll === 4 && packed.data.data.length > 0) {
      const copy = new PackedSequence(packed.data.clone(), packed.batchSizes, packed.sortedIndices, packed.unsortedIndices);
      detach(copy.data.data);
      argument = copy;
      expectation = 'throw';
      desc = 'PackedSequence whose data was detached';
    }

    let hx;
    let h0 = null;
    let c0 = null;
    let hxExpectation = 'ok';
    if (r.chance(0.4)) {
      const batchUsed = r.chance(0.15) ? N + 1 : N;
      if (batchUsed !== N) hxExpectation = 'throw';
      h0 = new Tensor(r.floats(S * batchUsed * hOut), [S, batchUsed, hOut]);
      if (spec.mode === 'LSTM') {
        c0 = new Tensor(r.floats(S * batchUsed * spec.hiddenSize), [S, batchUsed, spec.hiddenSize]);
        hx = [h0, c0];
      } else {
        hx = h0;
      }
    }
    expectation = combine(expectation, hxExpectation);
    const useAsync = r.chance(0.25);
    this.label = `${spec.mode}(${JSON.stringify(spec)}).${useAsync ? 'forwardAsync' : 'forward'}(${desc}, hx ${h0 ? h0.shape : 'none'})`;
    const params = ApiFuzzer.parametersOf(module);
    const tolerance = ApiFuzzer.tolerances.get(module);
    const verify = ([output, state]) => {
      if (!(output instanceof PackedSequence)) throw new Error('output is not a PackedSequence');
      const [hN, cN] = spec.mode === 'LSTM' ? state : [state, null];
      sameShape(hN, [S, N, hOut], 'hN');
      const outputs = rnn.unpackSequence(output);
      if (outputs.length !== N) throw new Error(`unpacked ${outputs.length} sequences, expected ${N}`);
      for (let b = 0; b < N; b++) {
        const L = lengths[b];
        sameShape(outputs[b], [L, D * hOut], `output[${b}]`);
        const xs = Array.from({ length: L }, (_, t) => sequences[b].data.subarray(t * spec.inputSize, (t + 1) * spec.inputSize));
        const stateOf = (tensor, size) => (tensor ? Array.from({ length: S }, (_, s) => tensor.data.subarray((s * N + b) * size, (s * N + b + 1) * size)) : null);
        const expected = referenceSequence(spec, params, xs, stateOf(h0, hOut), stateOf(c0, spec.hiddenSize));
        for (let t = 0; t < L; t++) closeTo(outputs[b].data.subarray(t * D * hOut, (t + 1) * D * hOut), expected.output[t], `output[${b}][${t}]`, tolerance);
        for (let s = 0; s < S; s++) {
          closeTo(hN.data.subarray((s * N + b) * hOut, (s * N + b + 1) * hOut), expected.hN[s], `hN[${s}, ${b}]`, tolerance);
          if (cN) closeTo(cN.data.subarray((s * N + b) * spec.hiddenSize, (s * N + b + 1) * spec.hiddenSize), expected.cN[s], `cN[${s}, ${b}]`, tolerance);
        }
      }
    };
    if (useAsync) this.expectAsync(expectation, () => module.forwardAsync(argument, hx), verify);
    else this.expect(expectation, () => module.forward(argument, hx), verify);
  }

  cellForward(r) {
    const mode = r.pick(['RNNCell', 'LSTMCell', 'GRUCell']);
    const inputSize = r.int(0, 6);
    const hiddenSize = r.int(1, 7);
    const bias = r.chance(0.8);
    const nonlinearity = mode === 'RNNCell' && r.chance(0.4) ? 'relu' : 'tanh';
    const options = mode === 'RNNCell' ? { bias, nonlinearity } : { bias };
    const cell = new rnn[mode](inputSize, hiddenSize, options);
    const unbatched = r.chance(0.3);
    const batch = unbatched ? 1 : r.chance(0.1) ? 0 : r.int(1, 4);
    let featureExpectation = 'ok';
    let features = inputSize;
    if (r.chance(0.1)) {
      features = inputSize + 1;
      featureExpectation = 'throw';
    }
    const shape = unbatched ? [features] : [batch, features];
    const clean = new Tensor(r.floats(product(shape)), shape);
    const input = this.tensorArgument(r, clean);
    let hx;
    let h = null;
    let c = null;
    let hxDesc = 'none';
    let hxExpectation = 'ok';
    let hxUnverifiable = false;
    if (r.chance(0.5)) {
      let hShape = unbatched ? [hiddenSize] : [batch, hiddenSize];
      let shapeExpectation = 'ok';
      if (r.chance(0.15)) {
        hShape = unbatched ? [hiddenSize + 1] : r.pick([[batch + 1, hiddenSize], [batch, hiddenSize + 1], [hiddenSize]]);
        shapeExpectation = 'throw';
      }
      h = new Tensor(r.floats(product(hShape)), hShape);
      const hArg = this.tensorArgument(r, h);
      hxUnverifiable = Boolean(hArg.unverifiable);
      hxDesc = `${hArg.desc} [${hShape}]`;
      if (mode === 'LSTMCell') {
        c = new Tensor(r.floats(product(hShape)), hShape);
        const cArg = this.tensorArgument(r, c);
        hxUnverifiable ||= Boolean(cArg.unverifiable);
        const badContainer = r.chance(0.05);
        hx = badContainer ? hArg.value : [hArg.value, cArg.value];
        // h alone: an error, unless it is itself an array of two rows, read as [h0, c0].
        if (badContainer) hxExpectation = Array.isArray(hArg.value) ? 'either' : 'throw';
        else hxExpectation = combine(shapeExpectation, hArg.expectation, cArg.expectation);
        if (badContainer) hxUnverifiable = true;
        hxDesc += `, ${cArg.desc}`;
      } else if (hArg.value === null || hArg.value === undefined) {
        hx = hArg.value; // no hx at all: zeros
        h = null;
      } else {
        hx = hArg.value;
        hxExpectation = combine(shapeExpectation, hArg.expectation);
      }
    }
    let expectation = combine(featureExpectation, hxExpectation);
    if (input.unverifiable || hxUnverifiable) expectation = 'either';
    if (expectation !== 'either') expectation = combine(expectation, input.expectation);
    const useAsync = r.chance(0.25);
    this.label = `${mode}(${inputSize}, ${hiddenSize}, ${JSON.stringify(options)}).${useAsync ? 'forwardAsync' : 'forward'}(${input.desc} [${shape}], hx ${hxDesc})`;
    const params = ApiFuzzer.parametersOf(cell);
    const verify = input.unverifiable || hxUnverifiable ? null : (result) => {
      const [h1, c1] = mode === 'LSTMCell' ? result : [result, null];
      const stateShape = unbatched ? [hiddenSize] : [batch, hiddenSize];
      sameShape(h1, stateShape, 'h1');
      if (c1) sameShape(c1, stateShape, 'c1');
      for (let b = 0; b < batch; b++) {
        const x = clean.data.subarray(b * inputSize, (b + 1) * inputSize);
        const slice = (t) => (t ? t.data.subarray(b * hiddenSize, (b + 1) * hiddenSize) : null);
        const [hExpected, cExpected] = referenceCell(mode, nonlinearity, params, inputSize, hiddenSize, x, slice(h), slice(c));
        closeTo(slice(h1), hExpected, `h1[${b}]`);
        if (c1) closeTo(slice(c1), cExpected, `c1[${b}]`);
      }
    };
    if (useAsync) this.expectAsync(expectation, () => cell.forwardAsync(input.value, hx), verify);
    else this.expect(expectation, () => cell.forward(input.value, hx), verify);
  }

  /** Constructors with random arguments; a module that constructs must then work. */
  constructors(r) {
    const kinds = ['RNN', 'LSTM', 'GRU', 'RNNCell', 'LSTMCell', 'GRUCell'];
    const kind = r.pick(kinds);
    const isCell = kind.endsWith('Cell');
    const size = () => (r.chance(0.7) ? r.int(0, 6) : r.chance(0.7) ? r.pick(ODD_SIZES) : r.pick(ODD_VALUES()));
    const optionValue = (name) => {
      if (r.chance(0.6)) {
        switch (name) {
          case 'numLayers': return r.int(1, 3);
          case 'projSize': return r.int(0, 3);
          case 'dropout': return r.pick([0, 0.25, 1]);
          case 'nonlinearity': return r.pick(['tanh', 'relu']);
          default: return r.chance(0.5);
        }
      }
      return r.chance(0.5) ? r.pick(ODD_SIZES) : r.pick([...ODD_VALUES(), 'sigmoid', 'TANH', 0, 1]);
    };
    const names = isCell ? ['bias', 'nonlinearity'] : ['numLayers', 'nonlinearity', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'projSize'];
    const options = {};
    for (const name of [...names, 'batch_first', 'hidden_size', 'foo']) {
      if (r.chance(name.length > 3 && names.includes(name) ? 0.35 : 0.03)) options[name] = optionValue(name);
    }
    const inputSize = size();
    const hiddenSize = size();
    const form = r.int(0, 4);
    let args;
    if (form === 0) args = [inputSize, hiddenSize, options];
    else if (form === 1) args = [{ inputSize, hiddenSize, ...options }];
    else if (form === 2) args = [inputSize, hiddenSize, isCell ? r.chance(0.5) : r.pick([r.int(1, 3), ...ODD_SIZES])];
    else if (form === 3) args = [inputSize, hiddenSize];
    else args = Array.from({ length: r.int(0, 5) }, () => (r.chance(0.5) ? size() : r.pick(ODD_VALUES())));
    this.label = `new ${kind}(${args.map(describe).join(', ')}) options ${Object.entries(options).map(([k, v]) => `${k}=${describe(v)}`).join(' ')}`;
    const quiet = silenceWarnings();
    let module;
    try {
      module = this.expect('either', () => new rnn[kind](...args), (m) => checkModuleSane(m, kind));
    } finally {
      quiet.restore();
    }
    if (!module) return;
    // It constructed: a forward of the right shape must work and match the reference.
    module.eval();
    if (isCell) {
      const x = new Tensor(r.floats(2 * module.inputSize), [2, module.inputSize]);
      // torch's RNNCell keeps any nonlinearity and refuses it at forward.
      const runs = kind !== 'RNNCell' || ['tanh', 'relu'].includes(module.nonlinearity);
      this.expect(runs ? 'ok' : 'throw', () => module.forward(x), (out) => sameShape(kind === 'LSTMCell' ? out[0] : out, [2, module.hiddenSize], 'h1'));
    } else {
      const x = new Tensor(r.floats(3 * 2 * module.inputSize), module.batchFirst ? [2, 3, module.inputSize] : [3, 2, module.inputSize]);
      const spec = {
        mode: kind, inputSize: module.inputSize, hiddenSize: module.hiddenSize, numLayers: module.numLayers,
        bidirectional: module.bidirectional, projSize: module.projSize, nonlinearity: module.nonlinearity ?? 'tanh', batchFirst: module.batchFirst,
      };
      const D = spec.bidirectional ? 2 : 1;
      const hOut = spec.projSize || spec.hiddenSize;
      this.label += ' then forward';
      const params = ApiFuzzer.parametersOf(module);
      this.expect('ok', () => module.forward(x), (result) =>
        this.verifyPadded(spec, params, result, x, null, null, { unbatched: false, steps: 3, batch: 2, hOut, S: spec.numLayers * D }));
    }
  }

  loadStateDict(r) {
    const spec = this.randomRecurrentSpec(r);
    const target = this.buildRecurrent(r, spec);
    const source = this.buildRecurrent(r, spec);
    const sd = source.stateDict();
    const names = Object.keys(sd);
    // The options first: what strict and prefix end up being decides what a load must do.
    const strictArg = r.chance(0.8) ? true : r.chance(0.5) ? false : r.pick(ODD_VALUES());
    const prefixed = r.chance(0.2);
    const options = r.chance(0.05) ? r.pick(ODD_VALUES()) : { strict: strictArg, prefix: prefixed ? 'enc.' : r.chance(0.03) ? 3 : '' };
    const effective = options === null || options === undefined ? {} : Object(options);
    const strict = effective.strict === undefined ? true : effective.strict;
    const prefix = effective.prefix === undefined ? '' : effective.prefix;
    let expectation = typeof strict === 'boolean' && typeof prefix === 'string' ? 'ok' : 'throw';
    let changed = 'nothing';
    const mutation = r.int(0, 11);
    const name = r.pick(names);
    const shape = sd[name].shape;
    if (mutation === 0) {
      const wrong = shape.map((s, i) => (i === shape.length - 1 ? s + 1 : s));
      sd[name] = new Tensor(r.floats(product(wrong)), wrong);
      expectation = 'throw';
      changed = `${name} reshaped to [${wrong}]`;
    } else if (mutation === 1) {
      delete sd[name];
      if (strict === true) expectation = 'throw';
      changed = `${name} missing`;
    } else if (mutation === 2) {
      sd[`${name}_extra`] = sd[name];
      if (strict === true) expectation = 'throw';
      changed = 'an extra key';
    } else if (mutation === 3) {
      const arg = this.tensorArgument(r, sd[name]);
      sd[name] = arg.value;
      expectation = combine(expectation, arg.unverifiable ? 'either' : arg.expectation);
      changed = `${name} as ${arg.desc}`;
    } else if (mutation === 4) {
      const fake = Object.create(Tensor.prototype);
      fake.shape = [...shape];
      fake.data = new Float32Array(Math.max(0, sd[name].data.length - 1));
      sd[name] = fake;
      expectation = product(shape) === fake.data.length ? combine(expectation, 'either') : 'throw';
      changed = `${name} as a fake Tensor with too little data`;
    } else if (mutation === 5) {
      const value = r.pick(ODD_VALUES());
      sd[name] = value;
      expectation = Array.isArray(value) ? combine(expectation, 'either') : 'throw'; // [2] fits a bias of 1
      changed = `${name} = ${describe(value)}`;
    }
    const dict = prefixed ? Object.fromEntries(Object.entries(sd).map(([k, v]) => [`enc.${k}`, v])) : sd;
    // With the wrong prefix every key is missing (and, prefixed, unexpected).
    const rightPrefix = prefix === (prefixed ? 'enc.' : '');
    if (!rightPrefix && strict === true) expectation = 'throw';
    if (!rightPrefix && strict === false) expectation = combine(expectation, 'either');
    this.label = `${spec.mode}.loadStateDict(${changed}, strict ${describe(strict)}, ${prefixed ? 'prefixed' : 'no prefix'})`;
    const x = new Tensor(r.floats(2 * 2 * spec.inputSize), spec.batchFirst ? [2, 2, spec.inputSize] : [2, 2, spec.inputSize]);
    const before = target.forward(x)[0].data.slice();
    const expectedAfter = mutation >= 6 && rightPrefix ? source.forward(x)[0].data : null;
    let threw = true;
    this.expect(expectation, () => {
      const out = target.loadStateDict(dict, options);
      threw = false;
      return out;
    });
    const after = target.forward(x)[0].data;
    // Not bit for bit: a forward that finds the thread team busy (async calls in flight)
    // runs on fewer threads, which changes the float rounding.
    if (threw && !(maxError(after, before) <= TOLERANCE)) this.fail('a failed loadStateDict changed the module');
    if (!threw && expectedAfter && !(maxError(after, expectedAfter) <= TOLERANCE)) this.fail('after loadStateDict the module does not compute what the source does');
  }

  fromStateDict(r) {
    const spec = this.randomRecurrentSpec(r);
    const source = this.buildRecurrent(r, spec);
    const sd = source.stateDict();
    const names = Object.keys(sd);
    let expectation = 'ok';
    let changed = 'nothing';
    const mutation = r.int(0, 7);
    const name = r.pick(names);
    if (mutation === 0) {
      const wrong = sd[name].shape.map((s) => s + r.int(0, 2));
      sd[name] = new Tensor(new Float32Array(product(wrong)), wrong);
      expectation = 'either';
      changed = `${name} reshaped`;
    } else if (mutation === 1) {
      delete sd[name];
      expectation = 'either';
      changed = `${name} missing`;
    } else if (mutation === 2) {
      const fake = Object.create(Tensor.prototype);
      fake.shape = sd[name].shape.map(() => r.pick([4 * 2 ** 20, 2 ** 31, 1e12, -4, 0.5, NaN]));
      fake.data = new Float32Array(4);
      sd[name] = fake;
      expectation = 'throw';
      changed = `${name} a fake Tensor of shape [${fake.shape}]`;
    } else if (mutation === 3) {
      sd[name] = r.pick(ODD_VALUES());
      expectation = Array.isArray(sd[name]) ? 'either' : 'throw'; // [2] fits a bias of 1
      changed = `${name} = ${describe(sd[name])}`;
    }
    const Module = rnn[spec.mode];
    const options = { batchFirst: spec.batchFirst };
    if (spec.mode === 'RNN') options.nonlinearity = spec.nonlinearity;
    this.label = `${spec.mode}.fromStateDict(${changed})`;
    const x = new Tensor(r.floats(2 * 2 * spec.inputSize), [2, 2, spec.inputSize]);
    const module = this.expect(expectation, () => Module.fromStateDict(sd, options));
    if (module && mutation >= 4) {
      module.eval();
      source.eval();
      if (!(maxError(module.forward(x)[0].data, source.forward(x)[0].data) <= TOLERANCE)) this.fail('the loaded module does not compute what the source does');
    } else if (module) {
      this.expect('either', () => module.forward(x));
    }
  }

  /** A parameter's buffer detached or shrunk: every later forward must refuse to run. */
  detachedWeights(r) {
    const spec = this.randomRecurrentSpec(r);
    const module = r.chance(0.3) ? new rnn[`${spec.mode}Cell`](spec.inputSize, spec.hiddenSize) : this.buildRecurrent(r, spec);
    const isCell = module instanceof rnn.RNNCell || module instanceof rnn.LSTMCell || module instanceof rnn.GRUCell;
    const parameters = module.namedParameters().filter(([, t]) => t.data.length > 0);
    const [name, victim] = r.pick(parameters);
    detach(victim.data);
    const x = isCell ? new Tensor(r.floats(2 * spec.inputSize), [2, spec.inputSize]) : new Tensor(r.floats(3 * 2 * spec.inputSize), [3, 2, spec.inputSize]);
    const useAsync = r.chance(0.3);
    this.label = `${module.constructor.name} with ${name} detached, ${useAsync ? 'forwardAsync' : 'forward'}`;
    if (useAsync) this.expectAsync('throw', () => module.forwardAsync(x));
    else this.expect('throw', () => module.forward(x));
    this.label = `${module.constructor.name} with ${name} detached, stateDict / loadStateDict / resetParameters`;
    this.expect('either', () => module.stateDict());
    this.expect('either', () => module.resetParameters());
  }

  safetensors(r) {
    const st = rnn.safetensors;
    const roll = r.int(0, 5);
    if (roll === 0) {
      const bytes = new Uint8Array(r.int(0, 64)).map(() => r.int(0, 255));
      this.label = `safetensors.load(${bytes.length} random bytes)`;
      this.expect('either', () => st.load(bytes), checkLoaded);
      this.expect('either', () => st.metadata(bytes));
      return;
    }
    // A valid file, then damaged.
    const tensors = {};
    for (let i = 0, n = r.int(0, 4); i < n; i++) {
      const shape = Array.from({ length: r.int(0, 3) }, () => r.int(0, 4));
      const name = r.pick(['a', 'b', 'weight_ih_l0', 'x.y', '__proto__', 'é', `t${i}`]);
      Object.defineProperty(tensors, name, { value: new Tensor(r.floats(product(shape)), shape), enumerable: true, configurable: true, writable: true });
    }
    const dtype = r.pick(['F32', 'F16', 'BF16']);
    const metadata = r.chance(0.5) ? { format: 'pt' } : undefined;
    const bytes = this.expect('ok', () => st.save(tensors, metadata, { dtype }));
    if (!bytes) return;
    const damaged = bytes.slice();
    let desc = 'intact';
    let expectation = 'ok';
    const damage = r.int(0, 5);
    if (damage === 1 && bytes.length > 8) {
      const at = r.int(0, bytes.length - 1);
      damaged[at] ^= 1 << r.int(0, 7);
      desc = `bit flip at ${at}`;
      expectation = 'either';
    } else if (damage === 2) {
      desc = 'truncated';
      expectation = 'throw';
      return this.expect(expectation, () => st.load(damaged.subarray(0, r.int(0, bytes.length - 1))), checkLoaded);
    } else if (damage === 3) {
      const view = new DataView(damaged.buffer);
      view.setUint32(r.chance(0.5) ? 0 : 4, r.pick([0, 1, 2 ** 32 - 1, 100000001, bytes.length]), true);
      desc = 'header length rewritten';
      expectation = 'either';
    } else if (damage === 4) {
      // Rewrite the header's JSON with hostile values.
      const headerLength = new DataView(bytes.buffer).getUint32(0, true);
      const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
      const keys = Object.keys(header).filter((k) => k !== '__metadata__');
      if (keys.length) {
        const entry = header[r.pick(keys)];
        const field = r.pick(['dtype', 'shape', 'data_offsets']);
        entry[field] = r.pick([[2 ** 53, 0], [-1, 4], [0, 1e300], [1.5], 'F32', 'I64', null, [[1]], {}, [2 ** 31, 2 ** 31], []]);
        desc = `header ${field} = ${JSON.stringify(entry[field])}`;
        expectation = 'either';
      }
      const json = new TextEncoder().encode(JSON.stringify(header));
      const rebuilt = new Uint8Array(8 + json.length + (bytes.length - 8 - headerLength));
      new DataView(rebuilt.buffer).setUint32(0, json.length, true);
      rebuilt.set(json, 8);
      rebuilt.set(bytes.subarray(8 + headerLength), 8 + json.length);
      this.label = `safetensors.load(${desc})`;
      this.expect(expectation, () => st.load(rebuilt), checkLoaded);
      return;
    } else if (damage === 5) {
      const extra = new Uint8Array(bytes.length + r.int(1, 8));
      extra.set(bytes);
      this.label = 'safetensors.load(trailing bytes)';
      this.expect('throw', () => st.load(extra));
      return;
    }
    this.label = `safetensors.load(${desc}, ${dtype})`;
    this.expect(expectation, () => st.load(damaged), (loaded) => {
      checkLoaded(loaded);
      if (desc !== 'intact') return;
      for (const [name, t] of Object.entries(tensors)) sameShape(loaded[name], t.shape, name);
      if (dtype === 'F32') for (const [name, t] of Object.entries(tensors)) closeTo(loaded[name].data, t.data, name, 0);
    });
    this.label = `safetensors.save(random arguments)`;
    this.expect('either', () => st.save(r.pick([tensors, ...ODD_VALUES()]), r.pick([undefined, { a: 'b' }, ...ODD_VALUES()]), r.pick([undefined, { dtype: r.pick(['F32', 'F64', 'I8', 3]) }, ...ODD_VALUES()])));
  }

  packing(r) {
    const features = r.int(0, 3);
    const N = r.int(1, 4);
    const lengths = Array.from({ length: N }, () => r.int(1, 4));
    const sequences = lengths.map((L) => new Tensor(r.floats(L * features), [L, features]));
    const roll = r.int(0, 5);
    if (roll === 0) {
      // Round trips that must succeed and give back what went in (torch cannot pack empty tensors).
      const expectation = features === 0 ? 'throw' : 'ok';
      this.label = `unpackSequence(packSequence(lengths ${lengths}))`;
      this.expect(expectation, () => rnn.unpackSequence(rnn.packSequence(sequences, { enforceSorted: false })), (out) => {
        out.forEach((t, b) => closeTo(t.data, sequences[b].data, `sequence ${b}`, 0));
      });
      const batchFirst = r.chance(0.5);
      this.label = `padPackedSequence(packPaddedSequence(padSequence(lengths ${lengths})))`;
      this.expect(expectation, () => {
        const padded = rnn.padSequence(sequences, { batchFirst });
        const packed = rnn.packPaddedSequence(padded, lengths, { batchFirst, enforceSorted: false });
        return [padded, rnn.padPackedSequence(packed, { batchFirst })];
      }, ([padded, [again, lengthsBack]]) => {
        closeTo(again.data, padded.data, 'padded', 0);
        closeTo(lengthsBack, lengths, 'lengths', 0);
      });
      return;
    }
    const arg = () => (r.chance(0.5) ? r.pick(ODD_VALUES()) : r.pick(ODD_SIZES));
    const lengthsArg = () => r.pick([lengths, Int32Array.from(lengths), lengths.map((l) => l + 0.5), [...lengths, 1], lengths.map(() => r.pick(ODD_SIZES)), arg()]);
    const seqArg = () => r.pick([sequences, sequences.map((s) => this.tensorArgument(r, s).value), [], [sequences[0], arg()], arg(), new Set(sequences)]);
    const optionsArg = () => r.pick([undefined, {}, { batchFirst: r.chance(0.5) }, { enforceSorted: r.chance(0.5) }, { totalLength: r.pick([0, 3, 10, ...ODD_SIZES]) }, { paddingValue: r.pick([0, NaN, '1']) }, { paddingSide: r.pick(['left', 'right', 'middle']) }, arg()]);
    const calls = [
      ['padSequence', () => rnn.padSequence(seqArg(), optionsArg())],
      ['packSequence', () => rnn.packSequence(seqArg(), optionsArg())],
      ['packPaddedSequence', () => rnn.packPaddedSequence(r.chance(0.7) ? rnn.padSequence(sequences) : arg(), lengthsArg(), optionsArg())],
      ['padPackedSequence', () => rnn.padPackedSequence(r.chance(0.7) ? rnn.packSequence(sequences, { enforceSorted: false }) : arg(), optionsArg())],
      ['unpadSequence', () => rnn.unpadSequence(r.chance(0.7) ? rnn.padSequence(sequences) : arg(), lengthsArg(), optionsArg())],
      ['unpackSequence', () => rnn.unpackSequence(r.chance(0.3) ? rnn.packSequence(sequences, { enforceSorted: false }) : arg())],
      ['new PackedSequence', () => new PackedSequence(r.chance(0.5) ? rnn.packSequence(sequences, { enforceSorted: false }).data : arg(), lengthsArg(), r.chance(0.5) ? null : lengthsArg(), r.chance(0.5) ? null : lengthsArg())],
    ];
    const [name, call] = r.pick(calls);
    this.label = `${name}(random arguments)`;
    this.expect('either', call, checkTensorsDeep);
  }

  tensors(r) {
    const shape = () => r.pick([[2, 3], [], [0], [2, 0, 3], [-1], [1.5], [2 ** 31, 2 ** 31], [1e12], [NaN], 'abc', null, [2, '3'], 5]);
    const values = () => r.pick([[1, 2, 3], [[1, 2], [3]], [[1, 2], [3, 4]], [], [[]], [1, 'a'], [1, null], new Float32Array(3), new Float64Array(2), 5, 'abc', null, { length: 3 }, { length: 2 ** 40 }, [[1], 2]]);
    const calls = [
      ['new Tensor', () => new Tensor(r.pick([new Float32Array(6), new Float64Array(6), [1, 2], null]), shape())],
      ['tensor', () => rnn.tensor(values(), r.chance(0.5) ? undefined : shape())],
      ['zeros', () => rnn.zeros(shape())],
      ['randn', () => rnn.randn(shape())],
      ['reshape', () => new Tensor(new Float32Array(6), [2, 3]).reshape(...r.pick([[3, 2], [-1], [-1, -1], [0, -1], [4, -1], [6, 1, 1], [[2, 3]], [2 ** 31, 0], ['a']]))],
      ['size', () => new Tensor(new Float32Array(6), [2, 3]).size(r.pick([0, 1, -1, -2, 2, -3, 1.5, NaN, '0']))],
    ];
    const [name, call] = r.pick(calls);
    this.label = `${name}(random arguments)`;
    this.expect('either', call, checkTensorsDeep);
  }

  layers(r) {
    if (!rnn.Linear) return;
    if (r.chance(0.5)) {
      const inF = r.chance(0.8) ? r.int(0, 5) : r.pick([...ODD_SIZES, ...ODD_VALUES()]);
      const outF = r.chance(0.8) ? r.int(0, 5) : r.pick([...ODD_SIZES, ...ODD_VALUES()]);
      const options = r.chance(0.8) ? { bias: r.chance(0.5) } : r.pick(ODD_VALUES());
      this.label = `new Linear(${describe(inF)}, ${describe(outF)}, ${describe(options)})`;
      if (legitimatelyHuge(inF, outF)) return;
      const linear = this.expect('either', () => new rnn.Linear(inF, outF, options));
      if (!linear) return;
      const lead = Array.from({ length: r.int(0, 2) }, () => r.int(0, 3));
      const clean = new Tensor(r.floats(product(lead) * linear.inFeatures), [...lead, linear.inFeatures]);
      const arg = this.tensorArgument(r, clean, { allowNested: false });
      const W = linear.namedParameters().find(([n]) => n === 'weight')[1].data.slice();
      const bias = linear.namedParameters().find(([n]) => n === 'bias')?.[1].data.slice();
      this.label += `.forward(${arg.desc} [${clean.shape}])`;
      this.expect(arg.expectation, () => linear.forward(arg.value), arg.unverifiable ? null : (y) => {
        sameShape(y, [...lead, linear.outFeatures], 'output');
        const rows = product(lead);
        for (let i = 0; i < rows; i++) {
          const x = clean.data.subarray(i * linear.inFeatures, (i + 1) * linear.inFeatures);
          const expected = Array.from({ length: linear.outFeatures }, (_, o) => {
            let sum = bias ? bias[o] : 0;
            for (let k = 0; k < linear.inFeatures; k++) sum += W[o * linear.inFeatures + k] * x[k];
            return sum;
          });
          closeTo(y.data.subarray(i * linear.outFeatures, (i + 1) * linear.outFeatures), expected, `row ${i}`);
        }
      });
    } else if (rnn.Embedding) {
      const count = r.chance(0.8) ? r.int(0, 6) : r.pick([...ODD_SIZES, ...ODD_VALUES()]);
      const dim = r.chance(0.8) ? r.int(0, 4) : r.pick([...ODD_SIZES, ...ODD_VALUES()]);
      const options = r.chance(0.7) ? { paddingIdx: r.chance(0.5) ? null : r.int(-3, 3) } : r.pick(ODD_VALUES());
      this.label = `new Embedding(${describe(count)}, ${describe(dim)}, ${describe(options)})`;
      if (legitimatelyHuge(count, dim)) return;
      const embedding = this.expect('either', () => new rnn.Embedding(count, dim, options));
      if (!embedding) return;
      const n = r.int(0, 4);
      const indices = Array.from({ length: n }, () => (r.chance(0.9) ? r.int(0, embedding.numEmbeddings - 1) : r.pick([-1, embedding.numEmbeddings, 1.5, NaN, '1'])));
      const valid = indices.every((i) => Number.isInteger(i) && i >= 0 && i < embedding.numEmbeddings);
      const form = r.int(0, 3);
      let input = form === 0 ? indices : form === 1 && valid ? Int32Array.from(indices) : form === 2 ? new Tensor(Float32Array.from(indices, Number), [n]) : indices;
      let expectation = valid ? 'ok' : 'throw';
      if (form === 2 && indices.some((i) => typeof i === 'string')) expectation = 'either';
      if (form === 3 && n > 0 && r.chance(0.5)) {
        input = new Tensor(Float32Array.from(indices, Number), [n]);
        detach(input.data);
        expectation = 'throw';
      }
      const W = embedding.namedParameters()[0][1].data.slice();
      this.label += `.forward(${describe(input)} ${JSON.stringify(indices.map(String))})`;
      this.expect(expectation, () => embedding.forward(input), (y) => {
        sameShape(y, [n, embedding.embeddingDim], 'output');
        indices.map(Number).forEach((index, i) => closeTo(y.data.subarray(i * embedding.embeddingDim, (i + 1) * embedding.embeddingDim), W.subarray(index * embedding.embeddingDim, (index + 1) * embedding.embeddingDim), `row ${i}`, 0));
      });
    }
  }

  threadCounts(r) {
    const value = r.chance(0.5) ? r.int(1, 4) : r.pick([...ODD_SIZES, ...ODD_VALUES(), 1025, 2 ** 31 - 1]);
    this.label = `setNumThreads(${describe(value)})`;
    this.expect('either', () => rnn.setNumThreads(value));
    const now = rnn.getNumThreads();
    if (!Number.isInteger(now) || now < 1) this.fail(`getNumThreads() is ${now}`);
    rnn.setNumThreads(this.threads);
    const seed = r.chance(0.5) ? r.int(0, 2 ** 32) : r.pick([...ODD_SIZES, ...ODD_VALUES()]);
    this.label = `manualSeed(${describe(seed)})`;
    this.expect('either', () => rnn.manualSeed(seed));
  }
}

// ------------------------------------------------------------------------------ checks

/**
 * Sizes whose product is a real allocation of 256 MiB to 1 TiB: valid requests that would
 * only make the fuzzer slow (or, near the machine's memory, make it a memory test).
 */
function legitimatelyHuge(...sizes) {
  if (!sizes.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 0)) return false;
  const bytes = 4 * product(sizes);
  return bytes >= 2 ** 28 && bytes < 2 ** 40;
}

function sameShape(t, shape, label) {
  if (!(t instanceof Tensor)) throw new Error(`${label} is not a Tensor`);
  if (t.shape.length !== shape.length || t.shape.some((v, i) => v !== shape[i])) {
    throw new Error(`${label} has shape [${t.shape}], expected [${shape}]`);
  }
  if (t.data.length !== product(shape)) throw new Error(`${label} has ${t.data.length} values for shape [${shape}]`);
}

function closeTo(actual, expected, label, tolerance = TOLERANCE) {
  const error = maxError(actual, expected);
  if (!(error <= tolerance)) throw new Error(`${label}: max error ${error} against the reference`);
}

function checkLoaded(loaded) {
  for (const [name, t] of Object.entries(loaded)) {
    if (!(t instanceof Tensor)) throw new Error(`${name} is not a Tensor`);
    if (t.data.length !== product(t.shape)) throw new Error(`${name}: data and shape disagree`);
  }
}

/** Every Tensor in a result (or in arrays and PackedSequences in it) is consistent. */
function checkTensorsDeep(value) {
  if (value instanceof Tensor) {
    if (!Array.isArray(value.shape) || value.shape.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`bad shape [${value.shape}]`);
    if (value.data.length !== product(value.shape)) throw new Error(`data (${value.data.length}) and shape [${value.shape}] disagree`);
  } else if (value instanceof PackedSequence) {
    checkTensorsDeep(value.data);
  } else if (Array.isArray(value)) {
    value.forEach(checkTensorsDeep);
  }
}

function checkModuleSane(module, kind) {
  for (const field of ['inputSize', 'hiddenSize']) {
    if (!Number.isInteger(module[field]) || module[field] < 0) throw new Error(`${field} is ${module[field]}`);
  }
  if (!kind.endsWith('Cell') && (!Number.isInteger(module.numLayers) || module.numLayers < 1)) throw new Error(`numLayers is ${module.numLayers}`);
  checkTensorsDeep(module.parameters());
}

/** dropout with one layer warns, as torch does; the fuzzer's thousands of warnings are noise. */
function silenceWarnings() {
  const original = process.emitWarning;
  process.emitWarning = () => {};
  return { restore: () => { process.emitWarning = original; } };
}

module.exports = { ApiFuzzer, Random, ODD_SIZES, ODD_VALUES, describe, errorProblem, detach };
