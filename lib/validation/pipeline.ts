// Checks of the streaming pipeline's arguments and of each sequence fed to it.
import { Embedding } from '../modules/embedding';
import { GRU } from '../modules/gru';
import { Linear } from '../modules/linear';
import { LSTM } from '../modules/lstm';
import { RNN } from '../modules/rnn';
import type { SequenceEncoderOptions, RecurrentModule } from '../pipeline/encoder';
import type { PlainSequence } from '../pipeline/plain-batch';
import type { Pooling } from '../pipeline/pooling';
import { Tensor } from '../tensor';

/** What a value is in JavaScript's words, for arguments that have no torch counterpart. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

const POOLINGS: readonly Pooling[] = ['last', 'mean', 'max', 'none'];

export interface EncoderParts {
  embedding: Embedding | null;
  rnn: RecurrentModule;
  linear: Linear | null;
  pool: Pooling;
}

export function checkPooling(value: unknown): Pooling {
  if (!POOLINGS.includes(value as Pooling)) {
    throw new RangeError(`pool must be one of 'last', 'mean', 'max', 'none', got ${typeof value === 'string' ? `'${value}'` : typeName(value)}`);
  }
  return value as Pooling;
}

export function checkEncoderParts(options: SequenceEncoderOptions): EncoderParts {
  if (options === null || typeof options !== 'object') throw new TypeError(`SequenceEncoder: options must be an object, got ${typeName(options)}`);
  const { embedding = null, rnn, linear = null, pool = 'last', ...rest } = options;
  for (const key of Object.keys(rest)) throw new TypeError(`SequenceEncoder: unknown option '${key}' (known: embedding, rnn, linear, pool)`);
  if (!(rnn instanceof RNN || rnn instanceof LSTM || rnn instanceof GRU)) {
    throw new TypeError(`SequenceEncoder: rnn must be an RNN, LSTM or GRU, got ${typeName(rnn)}`);
  }
  if (embedding !== null && !(embedding instanceof Embedding)) throw new TypeError(`SequenceEncoder: embedding must be an Embedding, got ${typeName(embedding)}`);
  if (linear !== null && !(linear instanceof Linear)) throw new TypeError(`SequenceEncoder: linear must be a Linear, got ${typeName(linear)}`);
  const checkedPool = checkPooling(pool);
  if (embedding && embedding.embeddingDim !== rnn.inputSize) {
    throw new RangeError(`SequenceEncoder: the Embedding gives ${embedding.embeddingDim} features, the ${rnn.constructor.name} takes input_size ${rnn.inputSize}`);
  }
  const width = (rnn.bidirectional ? 2 : 1) * (rnn.projSize || rnn.hiddenSize);
  if (linear && linear.inFeatures !== width) {
    throw new RangeError(`SequenceEncoder: the ${rnn.constructor.name} gives ${width} features, the Linear takes in_features ${linear.inFeatures}`);
  }
  return { embedding, rnn, linear, pool: checkedPool };
}

const PACKING_LENGTH_MESSAGE = "Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0";

/**
 * One sequence of token ids as an Int32Array, every id checked against the table (torch's
 * `index out of range in self`, with the id, the table size and the input's number).
 */
export function checkTokenSequence(value: unknown, numEmbeddings: number, where: string): Int32Array {
  let values: ArrayLike<number | bigint>;
  if (value instanceof Tensor) {
    const t = value as Tensor;
    if (t.dim() !== 1) throw new RangeError(`${where}: token ids must be 1-D, got a ${t.dim()}-D tensor`);
    values = t.data as unknown as ArrayLike<number | bigint>;
  } else if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    values = value as ArrayLike<number | bigint>;
  } else {
    throw new TypeError(`${where}: token ids must be an array of integers, got ${typeName(value)}`);
  }
  if (values.length === 0) throw new RangeError(`${where}: ${PACKING_LENGTH_MESSAGE}`);
  const ids = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const raw = values[i];
    const id = typeof raw === 'bigint' ? Number(raw) : raw;
    if (typeof id !== 'number' || !Number.isInteger(id)) {
      throw new TypeError(`${where}: token ids must be integers, got ${typeof raw === 'number' ? raw : typeName(raw)} at position ${i}`);
    }
    if (id < 0 || id >= numEmbeddings) {
      // Embedding.forward's words (torch's, then the id and the table size).
      throw new RangeError(
        `${where}: index out of range in self: id ${id} at position ${i}, but the table has ${numEmbeddings} rows (ids must be in [0, ${numEmbeddings}))`,
      );
    }
    ids[i] = id;
  }
  return ids;
}

/** One sequence of feature rows, (L, inputSize), flattened into a Float32Array. */
export function checkFeatureSequence(value: unknown, inputSize: number, where: string): Float32Array {
  if (value instanceof Tensor) {
    const t = value as Tensor;
    if (t.dim() !== 2 || t.size(1) !== inputSize) {
      throw new RangeError(`${where}: features must be (L, ${inputSize}), got [${t.shape.join(', ')}]`);
    }
    if (t.size(0) === 0) throw new RangeError(`${where}: ${PACKING_LENGTH_MESSAGE}`);
    return Float32Array.from(t.data as unknown as ArrayLike<number>);
  }
  if (!Array.isArray(value)) throw new TypeError(`${where}: features must be a (L, ${inputSize}) Tensor or nested arrays, got ${typeName(value)}`);
  if (value.length === 0) throw new RangeError(`${where}: ${PACKING_LENGTH_MESSAGE}`);
  const out = new Float32Array(value.length * inputSize);
  for (let t = 0; t < value.length; t++) {
    const row = value[t];
    if (!Array.isArray(row) || row.length !== inputSize) {
      throw new RangeError(`${where}: step ${t} must be a row of ${inputSize} numbers (input.size(-1) must be equal to input_size), got ${Array.isArray(row) ? `${row.length} values` : typeName(row)}`);
    }
    for (let k = 0; k < inputSize; k++) {
      const x = row[k];
      if (typeof x !== 'number') throw new TypeError(`${where}: step ${t} holds ${typeName(x)}, not a number`);
      out[t * inputSize + k] = x;
    }
  }
  return out;
}

export type { PlainSequence };

export interface CheckedEncodeOptions {
  batchTokens: number;
  windowBatches: number;
  workers: number;
  threads: number | null;
}

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${typeof value === 'number' ? value : typeName(value)}`);
  }
  return value;
}

export function checkEncodeOptions(options: unknown): CheckedEncodeOptions {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new TypeError(`encodeSequences: options must be an object, got ${typeName(options)}`);
  const { batchTokens, windowBatches, workers, threads, ...rest } = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(rest)) throw new TypeError(`encodeSequences: unknown option '${key}' (known: batchTokens, windowBatches, workers, threads)`);
  const workerCount = workers === undefined || workers === 0 ? 0 : positiveInt(workers, 'workers', 0);
  return {
    batchTokens: positiveInt(batchTokens, 'batchTokens', 8192),
    windowBatches: positiveInt(windowBatches, 'windowBatches', 16),
    workers: workerCount,
    threads: threads === undefined ? null : positiveInt(threads, 'threads', 1),
  };
}
