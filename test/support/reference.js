'use strict';
// A plain-JavaScript, float64 reference of RNN/LSTM/GRU and their cells, written from
// torch.nn's equations: slow and obvious, for the fuzz tests to check the native engine's
// results on random shapes (sizes of a few units only).

const sigmoid = (x) => 1 / (1 + Math.exp(-x));

/** W x + b for W (rows x cols, row-major) and b (rows) or null. */
function affine(W, b, x, rows, cols) {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = b ? b[r] : 0;
    for (let k = 0; k < cols; k++) sum += W[r * cols + k] * x[k];
    out[r] = sum;
  }
  return out;
}

/**
 * One step of a cell. `kind`: 'RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'. `p`: { wih, whh, bih,
 * bhh, whr } (Float32Arrays, biases and whr may be null), H (hidden), inputSize, hOut.
 * Returns [h', c'] (c' null unless LSTM).
 */
function cellStep(kind, p, x, h, c) {
  const { H, inputSize, hOut } = p;
  const gates = kind === 'LSTM' ? 4 : kind === 'GRU' ? 3 : 1;
  const gx = affine(p.wih, p.bih, x, gates * H, inputSize);
  const gh = affine(p.whh, p.bhh, h, gates * H, hOut);
  if (kind === 'RNN_TANH' || kind === 'RNN_RELU') {
    const out = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      const v = gx[j] + gh[j];
      out[j] = kind === 'RNN_TANH' ? Math.tanh(v) : Math.max(0, v);
    }
    return [out, null];
  }
  if (kind === 'GRU') {
    const out = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      const r = sigmoid(gx[j] + gh[j]);
      const z = sigmoid(gx[H + j] + gh[H + j]);
      const n = Math.tanh(gx[2 * H + j] + r * gh[2 * H + j]);
      out[j] = (1 - z) * n + z * h[j];
    }
    return [out, null];
  }
  const cNext = new Float64Array(H);
  const hCell = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    const i = sigmoid(gx[j] + gh[j]);
    const f = sigmoid(gx[H + j] + gh[H + j]);
    const g = Math.tanh(gx[2 * H + j] + gh[2 * H + j]);
    const o = sigmoid(gx[3 * H + j] + gh[3 * H + j]);
    cNext[j] = f * c[j] + i * g;
    hCell[j] = o * Math.tanh(cNext[j]);
  }
  return [p.whr ? affine(p.whr, null, hCell, hOut, H) : hCell, cNext];
}

function kindOf(mode, nonlinearity) {
  if (mode === 'LSTM' || mode === 'GRU') return mode;
  return nonlinearity === 'relu' ? 'RNN_RELU' : 'RNN_TANH';
}

/**
 * One sequence through a whole stack. `spec`: { mode, nonlinearity, inputSize, hiddenSize,
 * numLayers, bidirectional, projSize }. `params`: name -> Float32Array (torch's names).
 * `xs`: L arrays of inputSize. `h0`/`c0`: (layers*D) arrays, or null for zeros.
 * Returns { output: L arrays of D*hOut, hN: (layers*D) arrays, cN: (layers*D) arrays or null }.
 */
function referenceSequence(spec, params, xs, h0, c0) {
  const kind = kindOf(spec.mode, spec.nonlinearity);
  const D = spec.bidirectional ? 2 : 1;
  const H = spec.hiddenSize;
  const hOut = spec.projSize > 0 ? spec.projSize : H;
  const L = xs.length;
  const hN = [];
  const cN = kind === 'LSTM' ? [] : null;
  let layerInput = xs;
  for (let layer = 0; layer < spec.numLayers; layer++) {
    const inputSize = layer === 0 ? spec.inputSize : D * hOut;
    const layerOutput = Array.from({ length: L }, () => new Float64Array(D * hOut));
    for (let d = 0; d < D; d++) {
      const suffix = `_l${layer}${d === 1 ? '_reverse' : ''}`;
      const p = {
        wih: params[`weight_ih${suffix}`],
        whh: params[`weight_hh${suffix}`],
        bih: params[`bias_ih${suffix}`] ?? null,
        bhh: params[`bias_hh${suffix}`] ?? null,
        whr: params[`weight_hr${suffix}`] ?? null,
        H,
        inputSize,
        hOut,
      };
      const state = layer * D + d;
      let h = h0 ? Float64Array.from(h0[state]) : new Float64Array(hOut);
      let c = kind === 'LSTM' ? (c0 ? Float64Array.from(c0[state]) : new Float64Array(H)) : null;
      for (let step = 0; step < L; step++) {
        const t = d === 0 ? step : L - 1 - step;
        [h, c] = cellStep(kind, p, layerInput[t], h, c);
        layerOutput[t].set(h, d * hOut);
      }
      hN.push(h);
      if (cN) cN.push(c);
    }
    layerInput = layerOutput;
  }
  return { output: layerInput, hN, cN };
}

/** A cell's step: params are the cell's own (weight_ih, weight_hh, bias_ih, bias_hh). */
function referenceCell(mode, nonlinearity, params, inputSize, hiddenSize, x, h, c) {
  const kind = kindOf(mode.replace('Cell', ''), nonlinearity);
  const p = {
    wih: params.weight_ih,
    whh: params.weight_hh,
    bih: params.bias_ih ?? null,
    bhh: params.bias_hh ?? null,
    whr: null,
    H: hiddenSize,
    inputSize,
    hOut: hiddenSize,
  };
  return cellStep(kind, p, x, h ?? new Float64Array(hiddenSize), kind === 'LSTM' ? c ?? new Float64Array(hiddenSize) : null);
}

/** Largest |a - e| / max(1, |e|), NaN-aware (NaN anywhere but in both is Infinity). */
function maxError(actual, expected) {
  let worst = 0;
  if (actual.length !== expected.length) return Infinity;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(a) || Number.isNaN(e)) {
      if (!(Number.isNaN(a) && Number.isNaN(e))) return Infinity;
      continue;
    }
    const error = Math.abs(a - e) / Math.max(1, Math.abs(e));
    if (error > worst) worst = error;
  }
  return worst;
}

module.exports = { referenceSequence, referenceCell, maxError };
