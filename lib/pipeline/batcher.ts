// The streaming batcher: reads sequences from an (async) iterable, groups them into
// batches bounded by a token budget, sorted by length inside a window so that batches
// hold sequences of similar length, runs each batch as one packed forward (off the event
// loop, or on worker threads), and yields results in input order. It reads the next window
// while the current one computes, and holds at most two windows: a slow consumer slows the
// reading (backpressure), it does not fill memory.
import { availableParallelism, cpus } from 'os';
import { Tensor } from '../tensor';
import { CheckedEncodeOptions, checkEncodeOptions, checkFeatureSequence, checkTokenSequence } from '../validation/pipeline';
import { SequenceEncoder } from './encoder';
import { BatchResult, PlainBatch, PlainSequence, buildPlainBatch } from './plain-batch';
import { EncoderWorkerPool } from './worker-pool';

/** Options of {@link encodeSequences}. */
export interface EncodeSequencesOptions {
  /** Token budget of a batch: the sum of its sequences' lengths (one sequence longer than this runs alone). Default 8192. */
  batchTokens?: number;
  /** Sequences are sorted by length within windows of this many batches' worth of tokens. Default 16. */
  windowBatches?: number;
  /**
   * Worker threads, each with its own copy of the encoder and its own BLAS threads; 0 (the
   * default) runs the batches on this thread's libuv pool with forwardAsync. `workers: 'auto'`
   * sizes the pool to the cores.
   */
  workers?: number | 'auto';
  /** BLAS threads per worker (default 1). Without workers, use {@link setNumThreads}. */
  threads?: number;
}

/** Results of consecutive inputs, in input order. @internal */
export interface EncodedChunk {
  /** Index of the first input of the chunk. */
  start: number;
  count: number;
  /** count x outputSize (pool last, mean, max). */
  vectors: Float32Array | null;
  /** One (L_i x outputSize) array per input (pool none). */
  sequences: Float32Array[] | null;
}

/** Where {@link encodeSequences} reads its sequences: any iterable or async iterable. */
export type SequenceSource<T> = Iterable<T> | AsyncIterable<T>;

interface Runner {
  capacity: number;
  run(batch: PlainBatch): Promise<BatchResult>;
  close(): Promise<void>;
}

function inProcessRunner(encoder: SequenceEncoder): Runner {
  // One batch at a time: each forward already uses every BLAS thread (setNumThreads).
  return { capacity: 1, run: (batch) => encoder.encodeBatch(batch), close: async () => {} };
}

/** The number of cores, as the worker pool's default size. */
export function coreCount(): number {
  return typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
}

/**
 * Runs at most `limit` tasks at once, in the order they were queued. A finishing task hands
 * its slot straight to the next waiter: freeing it first would let a task queued in the
 * microtask before the waiter wakes take it too, one over the limit.
 */
function limiter(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) {
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      active++;
    }
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/**
 * Streams checked sequences through an encoder, one chunk of results per window, in input
 * order. The CLI uses it directly; {@link encodeSequences} wraps it for single results.
 *
 * `skip` leaves out the results of the first `skip` inputs (a resumed run) while forming
 * the windows as a run from the first input does: a sequence's last bits depend on the
 * batch it shares (the kernels and their blocking follow the batch size), so only the
 * same windows give the same bytes. Windows wholly skipped are read but not computed.
 * @internal
 */
export async function* encodeChunks(
  encoder: SequenceEncoder,
  source: SequenceSource<PlainSequence>,
  options: CheckedEncodeOptions & { skip?: number },
): AsyncGenerator<EncodedChunk> {
  const runner: Runner = options.workers > 0
    ? new EncoderWorkerPool(encoder, options.workers, options.threads ?? 1)
    : inProcessRunner(encoder);
  const limit = limiter(runner.capacity);
  const windowTokens = options.batchTokens * options.windowBatches;
  const width = encoder.stepWidth;
  const iterator = (Symbol.asyncIterator in source ? (source as AsyncIterable<PlainSequence>)[Symbol.asyncIterator]() : (source as Iterable<PlainSequence>)[Symbol.iterator]()) as AsyncIterator<PlainSequence> | Iterator<PlainSequence>;
  let start = 0;

  const readWindow = async (): Promise<PlainSequence[]> => {
    const window: PlainSequence[] = [];
    let tokens = 0;
    while (tokens < windowTokens) {
      const next = await iterator.next();
      if (next.done) break;
      window.push(next.value);
      tokens += next.value.length / width;
    }
    return window;
  };

  const runWindow = async (window: PlainSequence[], first: number): Promise<EncodedChunk> => {
    const lengths = window.map((sequence) => sequence.length / width);
    const order = window.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
    const batches: number[][] = [];
    let current: number[] = [];
    let tokens = 0;
    for (const index of order) {
      if (current.length > 0 && tokens + lengths[index] > options.batchTokens) {
        batches.push(current);
        current = [];
        tokens = 0;
      }
      current.push(index);
      tokens += lengths[index];
    }
    if (current.length > 0) batches.push(current);
    const results = await Promise.all(
      batches.map((members) => limit(() => runner.run(buildPlainBatch(members.map((i) => window[i]), members.map((i) => lengths[i]))))),
    );
    return assemble(first, window.length, batches, results, encoder.outputSize);
  };

  let toSkip = options.skip ?? 0;
  let pending: Promise<EncodedChunk> | null = null;
  try {
    for (;;) {
      const window = await readWindow();
      if (window.length === 0) break;
      const dropped = Math.min(toSkip, window.length);
      toSkip -= dropped;
      if (dropped === window.length) {
        start += window.length;
        continue;
      }
      const computed = runWindow(window, start);
      const next = dropped > 0 ? computed.then((chunk) => dropLeading(chunk, dropped, encoder.outputSize)) : computed;
      next.catch(() => {}); // awaited below; a failure must not surface as unhandled meanwhile
      start += window.length;
      if (pending) yield await pending;
      pending = next;
    }
    if (pending) yield await pending;
  } finally {
    await runner.close();
    if (typeof iterator.return === 'function') await iterator.return();
  }
}

/** The chunk without the results of its first `count` inputs. */
function dropLeading(chunk: EncodedChunk, count: number, width: number): EncodedChunk {
  return {
    start: chunk.start + count,
    count: chunk.count - count,
    vectors: chunk.vectors ? chunk.vectors.subarray(count * width) : null,
    sequences: chunk.sequences ? chunk.sequences.slice(count) : null,
  };
}

function assemble(start: number, count: number, batches: number[][], results: BatchResult[], width: number): EncodedChunk {
  if (results.length > 0 && results[0].sequences) {
    const sequences: Float32Array[] = new Array(count);
    batches.forEach((members, b) => members.forEach((index, j) => (sequences[index] = results[b].sequences![j])));
    return { start, count, vectors: null, sequences };
  }
  const vectors = new Float32Array(count * width);
  batches.forEach((members, b) => {
    const batchVectors = results[b].vectors!;
    members.forEach((index, j) => vectors.set(batchVectors.subarray(j * width, (j + 1) * width), index * width));
  });
  return { start, count, vectors, sequences: null };
}

/**
 * Streams a dataset of variable-length sequences through a {@link SequenceEncoder} and yields
 * one result per input, in input order: a `(F)` Tensor per sequence for pool 'last', 'mean'
 * or 'max', a `(L_i, F)` Tensor for 'none'.
 *
 * Sequences are grouped into batches of at most `batchTokens` tokens (their lengths summed),
 * sorted by length inside a window of `windowBatches` batches so that each packed batch holds
 * sequences of similar length, and each batch runs as one packed forward: with
 * `forwardAsync` on this thread's libuv pool (the event loop stays free), or on `workers`
 * worker threads. The source is read only as fast as results are consumed.
 *
 * @param encoder - the model.
 * @param source - an iterable or async iterable of sequences: token ids (arrays, Int32Array,
 *   BigInt64Array or 1-D int Tensors) when the encoder has an Embedding, else (L, H_in)
 *   Tensors or nested arrays of features. Each is checked as it is read; a bad one throws
 *   (through the iteration) naming its index.
 * @param options - batchTokens, windowBatches, workers, threads.
 *
 * @example
 * ```ts
 * for await (const vector of encodeSequences(encoder, readSequences(), { workers: 'auto' })) {
 *   write(vector.data);
 * }
 * ```
 */
export async function* encodeSequences(
  encoder: SequenceEncoder,
  source: SequenceSource<unknown>,
  options?: EncodeSequencesOptions,
): AsyncGenerator<Tensor> {
  if (!(encoder instanceof SequenceEncoder)) throw new TypeError('encodeSequences: encoder must be a SequenceEncoder');
  const { workers, ...rest } = options ?? {};
  const checked = checkEncodeOptions({ ...rest, workers: workers === 'auto' ? coreCount() : workers });
  const table = encoder.embedding?.numEmbeddings ?? 0;
  async function* checkedSequences(): AsyncGenerator<PlainSequence> {
    let index = 0;
    for await (const item of source as AsyncIterable<unknown>) {
      const where = `sequence ${index++}`;
      yield encoder.embedding ? checkTokenSequence(item, table, where) : checkFeatureSequence(item, encoder.rnn.inputSize, where);
    }
  }
  const width = encoder.outputSize;
  for await (const chunk of encodeChunks(encoder, checkedSequences(), checked)) {
    for (let i = 0; i < chunk.count; i++) {
      if (chunk.vectors) yield new Tensor(chunk.vectors.slice(i * width, (i + 1) * width), [width]);
      else yield new Tensor(chunk.sequences![i], [chunk.sequences![i].length / width, width]);
    }
  }
}
