// Where the sequences come from: JSONL (a file or stdin), a padded .npy with its lengths,
// or an .npz. Every source yields the inputs of this shard in input order, each checked
// (ids within the Embedding's table, feature rows of input_size) or marked bad with the
// reason and its line or row.
import * as fs from 'fs';
import * as path from 'path';
import type { Readable } from 'stream';
import type { TensorData } from '../dtype';
import * as npy from '../npy';
import * as npz from '../npz';
import type { PlainSequence } from '../pipeline/plain-batch';
import { AnyTensor } from '../tensor';
import { checkFeatureSequence, checkTokenSequence } from '../validation/pipeline';
import { InputError, UsageError } from './errors';
import { readLines } from './lines';

/** What every sequence must be, from the model. */
export interface SequenceSpec {
  /** With an Embedding: ids below this. */
  numEmbeddings: number | null;
  /** Without: rows of this many features. */
  inputSize: number;
}

export interface Shard {
  index: number;
  count: number;
}

export type InputRecord =
  | { id: unknown; sequence: PlainSequence; error?: undefined; where: string }
  | { id: unknown; sequence?: undefined; error: string; where: string };

export interface InputSource {
  /** Inputs of this shard, in order. */
  records: AsyncIterable<InputRecord>;
  /** For the progress bar: how far through the input, and of how much (null when unknown). */
  progress(): { done: number; total: number | null };
}

function checkSequence(value: unknown, spec: SequenceSpec, where: string): PlainSequence {
  return spec.numEmbeddings !== null ? checkTokenSequence(value, spec.numEmbeddings, where) : checkFeatureSequence(value, spec.inputSize, where);
}

function inShard(index: number, shard: Shard): boolean {
  return index % shard.count === shard.index;
}

/** One JSONL line's sequence: {"id", "tokens"} / {"id", "features"} / a bare array. */
function parseLine(text: string, spec: SequenceSpec, where: string): { id: unknown; sequence: PlainSequence } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message})`);
  }
  let id: unknown = undefined;
  let body: unknown = value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    id = record.id;
    const wanted = spec.numEmbeddings !== null ? 'tokens' : 'features';
    const other = wanted === 'tokens' ? 'features' : 'tokens';
    if (!(wanted in record)) {
      throw new Error(
        other in record
          ? `has "${other}", but the model ${wanted === 'tokens' ? 'has an Embedding (--embedding) and takes "tokens"' : 'has no Embedding and takes "features" (add --embedding <prefix> for token ids)'}`
          : `has no "${wanted}" key`,
      );
    }
    body = record[wanted];
  } else if (!Array.isArray(value)) {
    throw new Error(`must be an object with "tokens" or "features", or an array; got ${value === null ? 'null' : typeof value}`);
  }
  return { id, sequence: checkSequence(body, spec, where) };
}

/** JSONL from a file or a stream: one sequence per non-empty line. */
export function jsonlSource(stream: Readable, name: string, spec: SequenceSpec, shard: Shard, totalBytes: number | null): InputSource {
  let bytesRead = 0;
  async function* records(): AsyncGenerator<InputRecord> {
    let index = 0;
    for await (const line of readLines(stream)) {
      bytesRead = line.bytesRead;
      if (line.text.trim() === '') continue;
      const inputIndex = index++;
      if (!inShard(inputIndex, shard)) continue;
      const where = `${name}:${line.number}`;
      try {
        const { id, sequence } = parseLine(line.text, spec, where);
        yield { id: id === undefined ? inputIndex : id, sequence, where };
      } catch (error) {
        const message = (error as Error).message.startsWith(`${where}: `) ? (error as Error).message.slice(where.length + 2) : (error as Error).message;
        yield { id: idOf(line.text) ?? inputIndex, error: message, where };
      }
    }
  }
  return { records: records(), progress: () => ({ done: bytesRead, total: totalBytes }) };
}

/** The "id" of a line that failed, when it can still be read, for the skip report. */
function idOf(text: string): unknown {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value.id : undefined;
  } catch {
    return undefined;
  }
}

function toLengths(tensor: AnyTensor, name: string): number[] {
  if (tensor.dim() !== 1) throw new InputError(`${name}: lengths must be 1-D, got shape [${tensor.shape.join(', ')}]`);
  if (tensor.dtype === 'float32' || tensor.dtype === 'float64' || tensor.dtype === 'bool') {
    throw new InputError(`${name}: lengths must be integers, got dtype ${tensor.dtype}`);
  }
  return Array.from(tensor.data as ArrayLike<number | bigint>, Number);
}

/**
 * A padded array of sequences with their lengths: ids (N, L) or features (N, L, H_in) with
 * batchFirst, else time-major (L, N) / (L, N, H_in), as torch's pack_padded_sequence reads
 * them. Rows are read a chunk of sequences at a time.
 */
function paddedSource(
  read: (sequence: number, count: number) => TensorData[],
  layout: { sequences: number; steps: number; width: number },
  lengths: number[] | null,
  name: string,
  spec: SequenceSpec,
  shard: Shard,
): InputSource {
  const { sequences, steps } = layout;
  if (lengths && lengths.length !== sequences) {
    throw new InputError(`${name}: Expected \`len(lengths)\` to be equal to batch_size, but got ${lengths.length} (batch_size=${sequences})`);
  }
  let done = 0;
  const CHUNK = 1024;
  async function* records(): AsyncGenerator<InputRecord> {
    for (let first = 0; first < sequences; first += CHUNK) {
      const count = Math.min(CHUNK, sequences - first);
      const rows = read(first, count); // one array per sequence: steps x width
      for (let j = 0; j < count; j++) {
        const index = first + j;
        done = index + 1;
        if (!inShard(index, shard)) continue;
        const where = `${name}: sequence ${index}`;
        const length = lengths ? lengths[index] : steps;
        try {
          if (!(length >= 1)) throw new Error("Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0");
          if (length > steps) throw new Error(`length ${length} is longer than the padded length ${steps}`);
          const row = rows[j];
          const kept = row.subarray(0, length * layout.width) as TensorData;
          const value = spec.numEmbeddings !== null ? kept : toNestedRows(kept, layout.width, length);
          yield { id: index, sequence: checkSequence(value, spec, where), where };
        } catch (error) {
          const message = (error as Error).message.startsWith(`${where}: `) ? (error as Error).message.slice(where.length + 2) : (error as Error).message;
          yield { id: index, error: message, where };
        }
      }
    }
  }
  return { records: records(), progress: () => ({ done, total: sequences }) };
}

function toNestedRows(data: TensorData, width: number, length: number): number[][] {
  const rows: number[][] = [];
  for (let t = 0; t < length; t++) rows.push(Array.from(data.subarray(t * width, (t + 1) * width) as ArrayLike<number | bigint>, Number));
  return rows;
}

function layoutOf(shape: readonly number[], batchFirst: boolean, spec: SequenceSpec, name: string): { sequences: number; steps: number; width: number } {
  const rank = spec.numEmbeddings !== null ? 2 : 3;
  if (shape.length !== rank) {
    const what = rank === 2 ? 'token ids (N, L) with --batch-first, else (L, N)' : 'features (N, L, H_in) with --batch-first, else (L, N, H_in)';
    throw new InputError(`${name}: expected ${what}, got shape [${shape.join(', ')}]`);
  }
  const width = rank === 3 ? shape[2] : 1;
  if (rank === 3 && width !== spec.inputSize) throw new InputError(`${name}: input.size(-1) must be equal to input_size. Expected ${spec.inputSize}, got ${width}`);
  return batchFirst ? { sequences: shape[0], steps: shape[1], width } : { sequences: shape[1], steps: shape[0], width };
}

/** Sequence-major rows out of an in-memory padded tensor. */
function tensorReader(tensor: AnyTensor, layout: { sequences: number; steps: number; width: number }, batchFirst: boolean) {
  const data = tensor.data as TensorData;
  const { sequences, steps, width } = layout;
  return (first: number, count: number): TensorData[] => {
    const out: TensorData[] = [];
    for (let j = 0; j < count; j++) {
      const n = first + j;
      if (batchFirst) {
        out.push(data.subarray(n * steps * width, (n + 1) * steps * width) as TensorData);
      } else {
        const row = new (data.constructor as new (length: number) => TensorData)(steps * width);
        for (let t = 0; t < steps; t++) (row as Float32Array).set((data as Float32Array).subarray((t * sequences + n) * width, (t * sequences + n + 1) * width), t * width);
        out.push(row);
      }
    }
    return out;
  };
}

/** Sequence-major rows read from a .npy on disk, a chunk at a time. */
function fileReader(file: npy.NpyFile, layout: { sequences: number; steps: number; width: number }, batchFirst: boolean) {
  const { sequences, steps, width } = layout;
  return (first: number, count: number): TensorData[] => {
    if (batchFirst) {
      const rows = file.readRows(first, count).data as TensorData;
      return Array.from({ length: count }, (_, j) => rows.subarray(j * steps * width, (j + 1) * steps * width) as TensorData);
    }
    const out: TensorData[] = [];
    const columns: TensorData[] = [];
    for (let t = 0; t < steps; t++) columns.push(file.readElements((t * sequences + first) * width, count * width));
    for (let j = 0; j < count; j++) {
      const row = new (columns[0].constructor as new (length: number) => TensorData)(steps * width);
      for (let t = 0; t < steps; t++) (row as Float32Array).set((columns[t] as Float32Array).subarray(j * width, (j + 1) * width), t * width);
      out.push(row);
    }
    return out;
  };
}

export interface InputOptions {
  input: string;
  lengths?: string;
  batchFirst: boolean;
  spec: SequenceSpec;
  shard: Shard;
}

/** The input named on the command line: '-' (JSONL on stdin), .jsonl/.json/.ndjson, .npy or .npz. */
export function openInput(options: InputOptions): InputSource {
  const { input, spec, shard, batchFirst } = options;
  if (input === '-') {
    if (options.lengths) throw new UsageError('--lengths goes with a padded .npy input, not JSONL on stdin');
    return jsonlSource(process.stdin, 'stdin', spec, shard, null);
  }
  const extension = path.extname(input).toLowerCase();
  const fail = (error: unknown): never => {
    if (error instanceof InputError || error instanceof UsageError) throw error;
    throw new InputError(`${input}: ${(error as Error).message}`);
  };
  if (extension === '.jsonl' || extension === '.ndjson' || extension === '.json') {
    if (options.lengths) throw new UsageError('--lengths goes with a padded .npy input, not JSONL');
    let size: number;
    try {
      size = fs.statSync(input).size;
    } catch (error) {
      return fail(error);
    }
    return jsonlSource(fs.createReadStream(input, { highWaterMark: 1 << 20 }), path.basename(input), spec, shard, size);
  }
  const lengthsOf = (file: string): number[] => {
    try {
      return toLengths(npy.load(file), file);
    } catch (error) {
      return fail(error);
    }
  };
  if (extension === '.npy') {
    try {
      const file = npy.open(input);
      const layout = layoutOf(file.shape, batchFirst, spec, input);
      const lengths = options.lengths ? lengthsOf(options.lengths) : null;
      if (file.fortranOrder && !batchFirst) {
        // A time-major column-major file keeps no sequence's steps near each other: read whole.
        file.close();
        return paddedSource(tensorReader(npy.load(input), layout, batchFirst), layout, lengths, path.basename(input), spec, shard);
      }
      return paddedSource(fileReader(file, layout, batchFirst), layout, lengths, path.basename(input), spec, shard);
    } catch (error) {
      return fail(error);
    }
  }
  if (extension === '.npz') {
    try {
      const arrays = npz.load(input);
      const names = Object.keys(arrays).filter((name) => name !== 'lengths');
      const preferred = names.find((name) => ['tokens', 'ids', 'input_ids', 'features', 'input'].includes(name));
      const dataName = preferred ?? (names.length === 1 ? names[0] : undefined);
      if (dataName === undefined) {
        throw new InputError(`${input}: holds ${names.map((n) => `'${n}'`).join(', ')}; name the sequences 'tokens', 'ids', 'features' or 'input', with an optional 'lengths'`);
      }
      const lengths = options.lengths ? lengthsOf(options.lengths) : arrays.lengths ? toLengths(arrays.lengths, `${input}: lengths`) : null;
      const layout = layoutOf(arrays[dataName].shape, batchFirst, spec, `${input}: ${dataName}`);
      return paddedSource(tensorReader(arrays[dataName], layout, batchFirst), layout, lengths, path.basename(input), spec, shard);
    } catch (error) {
      return fail(error);
    }
  }
  throw new UsageError(`--input ${input}: expected a .jsonl, .npy or .npz file, or - for JSONL on stdin`);
}
