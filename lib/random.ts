// The global random generator behind manualSeed, randn, resetParameters and dropout: the
// stream of PyTorch's CPU generator (at::mt19937 and ATen's transformations), so that a
// seed gives the numbers torch gives for it. The init of RNN, LSTM, GRU, the cells and
// Linear, dropout masks (torch built without MKL, whose bernoulli_ draws its own stream)
// and randn below 16 elements are torch's bit for bit; randn of 16 or more elements (and
// Embedding's init) take torch's float path (normal_fill), whose log, sin and cos torch
// vectorizes, so a value may differ from torch's in its last bit.

const STATE_WORDS = 624;
const SHIFT_WORDS = 397;

/** MT19937, seeded as at::mt19937 seeds it (the seed's low 32 bits). */
class MersenneTwister {
  private readonly state = new Uint32Array(STATE_WORDS);
  private index = STATE_WORDS;

  constructor(seed: number) {
    this.seed(seed);
  }

  seed(seed: number): void {
    const mt = this.state;
    mt[0] = seed >>> 0;
    for (let i = 1; i < STATE_WORDS; i++) {
      const previous = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, previous) + i) >>> 0;
    }
    this.index = STATE_WORDS;
  }

  nextUint32(): number {
    const mt = this.state;
    if (this.index >= STATE_WORDS) {
      for (let k = 0; k < STATE_WORDS; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % STATE_WORDS] & 0x7fffffff);
        mt[k] = mt[(k + SHIFT_WORDS) % STATE_WORDS] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

// Unseeded, a process starts from a random seed, as torch does when it is imported.
const generator = new MersenneTwister((Date.now() ^ (Math.random() * 0x100000000)) >>> 0);
/** The second value of torch's double Box-Muller pair, kept for the next draw (as the generator keeps it). */
let cachedNormal: number | null = null;

/**
 * Seeds every random draw of the library, as torch's `torch.manual_seed`: parameter
 * initialisation (module constructors and `resetParameters()`), {@link randn}, and the
 * dropout masks of modules in training mode. Without it, the generator starts from a
 * random seed, as torch's does.
 *
 * The draws are torch's CPU generator's: after `manualSeed(s)`, `new LSTM(10, 20)` holds
 * the weights `torch.manual_seed(s); nn.LSTM(10, 20)` holds, bit for bit (so do GRU, RNN,
 * the cells and Linear, built in the same order), and `randn` gives torch.randn's numbers
 * (from 16 elements on, torch's vectorized log, sin and cos can round a value's last bit
 * differently).
 *
 * @param seed - any finite number; it is truncated to an integer and used modulo 2^32
 *   (as torch's generator uses a seed's low 32 bits).
 * @throws TypeError if `seed` is not a finite number.
 *
 * @example
 * ```ts
 * manualSeed(42);
 * const a = new LSTM(10, 20).stateDict();
 * manualSeed(42);
 * const b = new LSTM(10, 20).stateDict(); // the same weights as a, and as torch's
 * ```
 */
export function manualSeed(seed: number): void {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    const shown = typeof seed === 'object' || typeof seed === 'function' ? typeof seed : String(seed);
    throw new TypeError(`manualSeed expected a finite number, got ${shown}`);
  }
  generator.seed(Math.trunc(seed));
  cachedNormal = null;
}

/** torch's uniform_real_distribution<float>(0, 1): the low 24 bits of one draw, over 2^24. */
function uniformFloat(): number {
  return (generator.nextUint32() & 0xffffff) / 16777216;
}

/**
 * torch's uniform_real_distribution<double>(0, 1): the low 53 bits of a 64-bit draw (two
 * 32-bit draws, the first high), over 2^53.
 */
export function randomDouble(): number {
  const high = generator.nextUint32();
  const low = generator.nextUint32();
  return ((high & 0x1fffff) * 4294967296 + low) / 9007199254740992;
}

/**
 * Fills `out` with U(low, high) as torch's `Tensor.uniform_` on float32: the bounds as
 * float32, the arithmetic in double, one draw per element in order.
 */
export function fillUniform(out: Float32Array, low: number, high: number): void {
  const from = Math.fround(low);
  const span = Math.fround(high) - from;
  for (let i = 0; i < out.length; i++) out[i] = uniformFloat() * span + from;
}

/** One N(0, 1) value as torch's normal_distribution<double>: Box-Muller, the pair's sine kept for the next call. */
function normalDouble(): number {
  if (cachedNormal !== null) {
    const next = cachedNormal;
    cachedNormal = null;
    return next;
  }
  const u1 = randomDouble();
  const u2 = randomDouble();
  const radius = Math.sqrt(-2 * Math.log1p(-u2));
  const theta = 2 * Math.PI * u1;
  cachedNormal = radius * Math.sin(theta);
  return radius * Math.cos(theta);
}

const f = Math.fround;
const TWO_PI_FLOAT = f(2 * Math.PI);

/** torch's normal_fill_16 on 16 uniforms: Box-Muller pairs (j, j + 8), in float32 steps. */
function boxMuller16(data: Float32Array, at: number): void {
  for (let j = at; j < at + 8; j++) {
    const u1 = f(1 - data[j]);
    const u2 = data[j + 8];
    const radius = f(Math.sqrt(f(-2 * f(Math.log(u1)))));
    const theta = f(TWO_PI_FLOAT * u2);
    data[j] = radius * f(Math.cos(theta));
    data[j + 8] = radius * f(Math.sin(theta));
  }
}

/**
 * Fills `out` with N(0, 1) as torch's `normal_` on float32: from 16 elements, torch's
 * normal_fill (all uniforms first, then Box-Muller in blocks of 16, the last 16 drawn and
 * transformed again when the size is not a multiple of 16); below, one double normal each.
 */
export function fillNormal(out: Float32Array): void {
  const size = out.length;
  if (size < 16) {
    for (let i = 0; i < size; i++) out[i] = normalDouble();
    return;
  }
  for (let i = 0; i < size; i++) out[i] = uniformFloat();
  for (let i = 0; i + 16 <= size; i += 16) boxMuller16(out, i);
  if (size % 16 !== 0) {
    for (let i = size - 16; i < size; i++) out[i] = uniformFloat();
    boxMuller16(out, size - 16);
  }
}
