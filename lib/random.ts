// The global random generator behind manualSeed, randn, resetParameters and dropout.
// PyTorch's own stream (mt19937 with its float tricks) is not reproduced: rnn-blas
// promises PyTorch's distributions and seeded reproducibility, not PyTorch's bits.

/** xoshiro128** : small, fast, good enough statistics for init and dropout masks. */
class Xoshiro128 {
  private s = new Uint32Array(4);

  constructor(seed: number) {
    this.seed(seed);
  }

  seed(seed: number): void {
    // splitmix32 spreads any seed (even 0) over the four state words.
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const generator = new Xoshiro128(Date.now() ^ (Math.random() * 0x100000000));

/**
 * Seeds every random draw of the library, as torch's `torch.manual_seed`: parameter
 * initialisation (module constructors and `resetParameters()`), {@link randn}, and the
 * dropout masks of modules in training mode. Without it, the generator starts from the
 * clock.
 *
 * The same seed gives the same numbers on every machine and Node version, but not the
 * numbers PyTorch draws for that seed: to reproduce a PyTorch model, load its weights
 * (`loadStateDict`, `fromStateDict`) rather than its seed.
 *
 * @param seed - any finite number; it is truncated to an integer and used modulo 2^32.
 * @throws TypeError if `seed` is not a finite number.
 *
 * @example
 * ```ts
 * manualSeed(42);
 * const a = new LSTM(10, 20).stateDict();
 * manualSeed(42);
 * const b = new LSTM(10, 20).stateDict(); // the same weights as a
 * ```
 */
export function manualSeed(seed: number): void {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    const shown = typeof seed === 'object' || typeof seed === 'function' ? typeof seed : String(seed);
    throw new TypeError(`manualSeed expected a finite number, got ${shown}`);
  }
  generator.seed(Math.trunc(seed));
}

/** Uniform in [0, 1), 24 random bits so that every float32 value is reachable. */
export function randomUniform(): number {
  return (generator.nextUint32() >>> 8) / 16777216;
}

/** Fills `out` with U(low, high). */
export function fillUniform(out: Float32Array, low: number, high: number): void {
  const span = high - low;
  for (let i = 0; i < out.length; i++) out[i] = low + span * randomUniform();
}

/** Fills `out` with N(0, 1) by Box-Muller. */
export function fillNormal(out: Float32Array): void {
  for (let i = 0; i < out.length; i += 2) {
    const u1 = 1 - randomUniform(); // (0, 1]: log stays finite
    const u2 = randomUniform();
    const radius = Math.sqrt(-2 * Math.log(u1));
    out[i] = radius * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = radius * Math.sin(2 * Math.PI * u2);
  }
}
