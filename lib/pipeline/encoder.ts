// SequenceEncoder: [Embedding ->] RNN/LSTM/GRU -> pooling [-> Linear], run on a batch of
// variable-length sequences as one packed forward. Sequences are packed straight into
// PackedSequence order (longest first), so nothing is padded and no permutation is needed.
import { Embedding } from '../modules/embedding';
import { GRU } from '../modules/gru';
import { Linear } from '../modules/linear';
import { LSTM } from '../modules/lstm';
import { RNN } from '../modules/rnn';
import { PackedSequence } from '../packing';
import { Tensor } from '../tensor';
import { checkEncoderParts } from '../validation/pipeline';
import { BatchResult, PlainBatch } from './plain-batch';
import { Pooling, poolLast, poolSteps, unpackSteps } from './pooling';

/** A recurrent module the encoder runs. */
export type RecurrentModule = RNN | LSTM | GRU;

/** The parts of a {@link SequenceEncoder}. */
export interface SequenceEncoderOptions {
  /** In front: inputs are token ids, looked up here. Default none: inputs are feature rows. */
  embedding?: Embedding | null;
  /** The recurrent module (its batchFirst does not matter: batches are packed). */
  rnn: RecurrentModule;
  /** After the pooling (or on every step, with pool 'none'). Default none. */
  linear?: Linear | null;
  /**
   * How a sequence's outputs become its result. 'last' (default): the last layer's final
   * hidden state, directions concatenated forward then reverse, as
   * `torch.cat([h_n[-2], h_n[-1]], 1)`; 'mean' / 'max': over the sequence's real steps of
   * the output; 'none': the whole output, (L_i, D*H_out).
   */
  pool?: Pooling;
}

/**
 * Turns variable-length sequences into vectors with a pretrained recurrent encoder: the
 * optional Embedding, the recurrent module, a pooling step and an optional Linear, as a
 * PyTorch user writes
 *
 *     packed = pack_sequence([embedding(ids) for ids in batch], enforce_sorted=False)
 *     output, h_n = lstm(packed)           # LSTM: h_n is (h_n, c_n)[0]
 *     vector = torch.cat([h_n[-2], h_n[-1]], 1)   # pool 'last', bidirectional
 *     vector = linear(vector)              # when a Linear follows
 *
 * Each batch runs as one packed forward, with no padding. Use {@link encodeSequences} to
 * stream a whole dataset through it.
 *
 * Output size F: D*H_out (D = 2 when bidirectional, H_out = projSize || hiddenSize), or the
 * Linear's outFeatures.
 *
 * @example
 * ```ts
 * const sd = safetensors.loadFile('model.safetensors');
 * const encoder = new SequenceEncoder({
 *   embedding: new Embedding(5000, 64),
 *   rnn: LSTM.fromStateDict(sd, { prefix: 'rnn.' }).eval(),
 *   pool: 'last',
 * });
 * ```
 */
export class SequenceEncoder {
  /** The Embedding in front, or null (inputs are feature rows). */
  readonly embedding: Embedding | null;
  /** The recurrent module. */
  readonly rnn: RecurrentModule;
  /** The Linear after pooling, or null. */
  readonly linear: Linear | null;
  /** The pooling: 'last', 'mean', 'max' or 'none'. */
  readonly pool: Pooling;
  /** F: the size of each result vector (or of each step's, with pool 'none'). */
  readonly outputSize: number;
  /** What each input step holds: 1 (an id) with an Embedding, else H_in features. */
  readonly stepWidth: number;

  constructor(options: SequenceEncoderOptions) {
    const parts = checkEncoderParts(options);
    this.embedding = parts.embedding;
    this.rnn = parts.rnn;
    this.linear = parts.linear;
    this.pool = parts.pool;
    const directions = this.rnn.bidirectional ? 2 : 1;
    const recurrentWidth = directions * (this.rnn.projSize || this.rnn.hiddenSize);
    this.outputSize = this.linear ? this.linear.outFeatures : recurrentWidth;
    this.stepWidth = this.embedding ? 1 : this.rnn.inputSize;
    Object.freeze(this);
  }

  /** One batch through the encoder, the recurrent forward off the event loop. @internal */
  async encodeBatch(batch: PlainBatch): Promise<BatchResult> {
    const { packed, order } = this.pack(batch);
    // Typed as LSTM only to pick one overload: RNN and GRU return [output, hN], which finish() takes too.
    const [output, state] = await (this.rnn as LSTM).forwardAsync(packed);
    return this.finish(batch, packed, order, output, state);
  }

  /** One batch on the calling thread (what a worker thread runs). @internal */
  encodeBatchSync(batch: PlainBatch): BatchResult {
    const { packed, order } = this.pack(batch);
    const [output, state] = (this.rnn as LSTM).forward(packed);
    return this.finish(batch, packed, order, output, state);
  }

  private pack(batch: PlainBatch): { packed: PackedSequence; order: Int32Array } {
    const { lengths } = batch;
    const count = lengths.length;
    // Longest first; ties keep their order (a stable sort, as torch's).
    const order = Int32Array.from({ length: count }, (_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
    const steps = lengths[order[0]];
    const batchSizes = new Int32Array(steps);
    for (let t = 0, running = count; t < steps; t++) {
      while (lengths[order[running - 1]] <= t) running--;
      batchSizes[t] = running;
    }
    const starts = new Int32Array(count);
    for (let i = 1; i < count; i++) starts[i] = starts[i - 1] + lengths[i - 1];
    const total = starts[count - 1] + lengths[count - 1];
    let data: Tensor;
    if (batch.ids) {
      const ids = new Int32Array(total);
      let row = 0;
      for (let t = 0; t < steps; t++) for (let i = 0; i < batchSizes[t]; i++) ids[row++] = batch.ids[starts[order[i]] + t];
      data = this.embedding!.forward(ids);
    } else {
      const width = this.stepWidth;
      const rows = new Float32Array(total * width);
      const source = batch.features!;
      let row = 0;
      for (let t = 0; t < steps; t++) {
        for (let i = 0; i < batchSizes[t]; i++, row++) {
          const from = (starts[order[i]] + t) * width;
          rows.set(source.subarray(from, from + width), row * width);
        }
      }
      data = new Tensor(rows, [total, width]);
    }
    return { packed: new PackedSequence(data, batchSizes), order };
  }

  private finish(batch: PlainBatch, packed: PackedSequence, order: Int32Array, output: PackedSequence, state: Tensor | Tensor[]): BatchResult {
    const count = batch.lengths.length;
    const rnn = this.rnn;
    const directions = rnn.bidirectional ? 2 : 1;
    const hidden = rnn.projSize || rnn.hiddenSize;
    const width = directions * hidden;
    if (this.pool === 'none') {
      let steps = output.data;
      if (this.linear) steps = this.linear.forward(steps);
      return { vectors: null, sequences: unpackSteps(steps.data, packed.batchSizes, this.outputSize, order) };
    }
    let vectors: Float32Array;
    if (this.pool === 'last') {
      const hN = Array.isArray(state) ? state[0] : state;
      vectors = poolLast(hN.data, directions, rnn.numLayers, count, hidden, order);
    } else {
      vectors = poolSteps(this.pool, output.data.data, packed.batchSizes, width, order);
    }
    if (this.linear) vectors = this.linear.forward(new Tensor(vectors, [count, width])).data;
    return { vectors, sequences: null };
  }
}
