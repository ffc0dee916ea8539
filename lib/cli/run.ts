// `rnn-blas run`: a checkpoint's encoder over a whole input, results in input order.
import * as fs from 'fs';
import { encodeChunks } from '../pipeline/batcher';
import { SequenceEncoder } from '../pipeline/encoder';
import type { PlainSequence } from '../pipeline/plain-batch';
import { native } from '../native';
import { setNumThreads } from '../threads';
import { buildEmbedding, buildLinear, buildRecurrent, chooseRecurrentPrefix, loadCheckpoint, normalizePrefix } from './checkpoint';
import { InputError, UsageError } from './errors';
import { openInput } from './inputs';
import { parseCount, parseNonlinearity, parsePool, parseWorkers, resolveShard } from './options';
import { openOutput, outputFormat, partialPathOf } from './outputs';
import { createProgress } from './progress';

/** The options as commander hands them over (strings, booleans). */
export interface RunArguments {
  input: string;
  output: string;
  embedding?: string;
  rnn?: string;
  linear?: string;
  nonlinearity?: string;
  pool: string;
  lengths?: string;
  key?: string;
  batchFirst?: boolean;
  batchTokens: string;
  threads?: string;
  workers?: string;
  shard?: string;
  shards?: string;
  resume?: boolean;
  skipBad?: boolean;
  quiet?: boolean;
}

/**
 * A run streams, so its footprint should not grow with the input; but glibc raises its mmap
 * threshold each time a large batch buffer is freed, and the later ones then fragment the
 * heap (336 MB at 1M sequences against 252 MB with this). 128 KiB is glibc's own starting
 * value, kept fixed. A MALLOC_MMAP_THRESHOLD_ in the environment is the user's and wins.
 */
const STREAMING_MMAP_THRESHOLD_BYTES = 128 * 1024;

function say(quiet: boolean | undefined, text: string): void {
  if (!quiet) process.stderr.write(`${text}\n`);
}

export async function runCommand(checkpoint: string, args: RunArguments): Promise<void> {
  // Every usage error before any file is touched.
  const pool = parsePool(args.pool);
  const nonlinearity = parseNonlinearity(args.nonlinearity);
  const format = outputFormat(args.output);
  if (pool === 'none' && format === 'npy') throw new UsageError('--pool none writes a sequence per input: use a .jsonl output');
  const batchTokens = parseCount(args.batchTokens, '--batch-tokens');
  const workers = parseWorkers(args.workers);
  const threads = args.threads === undefined ? null : parseCount(args.threads, '--threads');
  const shard = resolveShard(args.shard, args.shards, process.env);
  if (args.resume && args.output !== '-' && fs.existsSync(args.output) && !fs.existsSync(partialPathOf(args.output))) {
    say(args.quiet, `${args.output} is complete already; nothing to resume`);
    return;
  }

  const sd = loadCheckpoint(checkpoint, args.key);
  const rnn = buildRecurrent(sd, chooseRecurrentPrefix(sd, args.rnn, checkpoint), nonlinearity);
  if (rnn.mode.startsWith('RNN') && nonlinearity === undefined) {
    say(args.quiet, "note: an RNN's weights do not record its nonlinearity; computing tanh (torch's default): pass --nonlinearity relu for nn.RNN(..., nonlinearity='relu')");
  }
  const embedding = args.embedding !== undefined ? buildEmbedding(sd, normalizePrefix(args.embedding)) : null;
  const linear = args.linear !== undefined ? buildLinear(sd, normalizePrefix(args.linear)) : null;
  let encoder: SequenceEncoder;
  try {
    encoder = new SequenceEncoder({ embedding, rnn, linear, pool });
  } catch (error) {
    throw new InputError(`${checkpoint}: ${(error as Error).message}`);
  }
  if (threads !== null && workers === 0) setNumThreads(threads);
  if (process.env.MALLOC_MMAP_THRESHOLD_ === undefined) native.setMallocMmapThreshold(STREAMING_MMAP_THRESHOLD_BYTES);

  const source = openInput({
    input: args.input,
    lengths: args.lengths,
    batchFirst: Boolean(args.batchFirst),
    spec: { numEmbeddings: embedding ? embedding.numEmbeddings : null, inputSize: rnn.inputSize },
    shard,
  });
  const sink = openOutput({ output: args.output, width: encoder.outputSize, resume: Boolean(args.resume) });
  if (sink.resumedRows > 0) say(args.quiet, `resuming ${partialPathOf(args.output)} after ${sink.resumedRows} rows`);

  // Ids wait here, in input order, for their results; bad inputs never enter.
  const ids: unknown[] = [];
  let toSkip = sink.resumedRows;
  let skipped = 0;
  async function* sequences(): AsyncGenerator<PlainSequence> {
    for await (const record of source.records) {
      if (record.error !== undefined) {
        if (!args.skipBad) throw new InputError(`${record.where}: ${record.error}`);
        skipped++;
        process.stderr.write(`skipped ${record.where} (id ${JSON.stringify(record.id)}): ${record.error}\n`);
        continue;
      }
      // Rows already written still go to the batcher, which forms its windows as the
      // first run did and leaves their results out; their ids are not kept.
      if (toSkip > 0) toSkip--;
      else ids.push(record.id);
      yield record.sequence;
    }
  }

  const progress = createProgress(!args.quiet);
  const started = Date.now();
  let written = sink.resumedRows;
  try {
    for await (const chunk of encodeChunks(encoder, sequences(), { batchTokens, windowBatches: 16, workers, threads, skip: sink.resumedRows })) {
      const chunkIds = ids.splice(0, chunk.count);
      if (chunk.vectors) sink.writeVectors(chunkIds, chunk.vectors, encoder.outputSize);
      else sink.writeSequences(chunkIds, chunk.sequences!, encoder.outputSize);
      written += chunk.count;
      const { done, total } = source.progress();
      progress.update(done, total, written);
    }
  } catch (error) {
    progress.stop();
    sink.abandon();
    if (args.output !== '-' && written > 0) say(args.quiet, `the ${written} rows written so far are kept in ${partialPathOf(args.output)} (--resume continues it)`);
    if (error instanceof InputError || error instanceof UsageError) throw error;
    throw new InputError((error as Error).message);
  }
  progress.stop();
  sink.finish();
  const seconds = (Date.now() - started) / 1000;
  const skippedText = skipped > 0 ? `, ${skipped} skipped` : '';
  say(args.quiet, `${written} ${written === 1 ? 'sequence' : 'sequences'}${skippedText} -> ${args.output === '-' ? 'stdout' : args.output} in ${seconds.toFixed(1)} s (${Math.round((written - sink.resumedRows) / Math.max(seconds, 1e-3))}/s)`);
}
