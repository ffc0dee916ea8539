// `rnn-blas merge`: the outputs of --shard 0/n ... (n-1)/n back in input order. Shard k
// holds inputs k, k+n, k+2n, ...: output row j of shard k is input k + j*n.
import * as fs from 'fs';
import { NpyFile, NpyRowWriter } from '../npy/file';
import { InputError, UsageError } from './errors';
import { readLines } from './lines';
import { outputFormat, partialPathOf } from './outputs';

/** out-2 before out-10: the order a shell glob does not give. */
function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Shard k of n over N inputs holds ceil((N - k) / n) of them. */
function checkCounts(files: string[], counts: number[]): void {
  const total = counts.reduce((a, b) => a + b, 0);
  const n = files.length;
  counts.forEach((count, k) => {
    const expected = Math.ceil((total - k) / n);
    if (count !== expected) {
      throw new InputError(
        `${files[k]} holds ${count} rows, but shard ${k}/${n} of ${total} inputs holds ${expected}: are the shards complete, all of one run, and none skipped (--skip-bad)?`,
      );
    }
  });
}

export async function mergeCommand(shards: string[], output: string, quiet: boolean): Promise<void> {
  const format = outputFormat(output);
  if (output === '-' && format !== 'jsonl') throw new UsageError('merge: --output - writes JSONL');
  const files = [...shards].sort(naturalCompare);
  for (const file of files) {
    if (outputFormat(file) !== format) throw new UsageError(`merge: ${file} is not a .${format} file like --output`);
  }
  const partial = output === '-' ? null : partialPathOf(output);
  if (format === 'npy') await mergeNpy(files, partial!);
  else await mergeJsonl(files, partial);
  if (partial) fs.renameSync(partial, output);
  if (!quiet) process.stderr.write(`merged ${files.length} shards -> ${output}\n`);
}

async function mergeNpy(files: string[], partial: string): Promise<void> {
  let opened: NpyFile[] = [];
  try {
    opened = files.map((file) => new NpyFile(file));
  } catch (error) {
    for (const file of opened) file.close();
    throw new InputError((error as Error).message);
  }
  try {
    const rowShape = opened[0].shape.slice(1);
    opened.forEach((file, k) => {
      if (file.dtype !== opened[0].dtype || file.shape.slice(1).join() !== rowShape.join()) {
        throw new InputError(`${files[k]} holds ${file.dtype} rows of [${file.shape.slice(1).join(', ')}], ${files[0]} ${opened[0].dtype} rows of [${rowShape.join(', ')}]`);
      }
    });
    checkCounts(files, opened.map((file) => file.rows));
    const writer = NpyRowWriter.create(partial, opened[0].dtype, rowShape);
    const CHUNK = 4096;
    const rowElements = rowShape.reduce((a, b) => a * b, 1);
    for (let start = 0; start < opened[0].rows; start += CHUNK) {
      const chunks = opened.map((file) => file.readRows(Math.min(start, file.rows), Math.max(0, Math.min(CHUNK, file.rows - start))).data);
      const rows = Math.min(CHUNK, opened[0].rows - start);
      for (let j = 0; j < rows; j++) {
        for (let k = 0; k < opened.length; k++) {
          if (start + j < opened[k].rows) writer.append(chunks[k].subarray(j * rowElements, (j + 1) * rowElements) as never);
        }
      }
    }
    writer.finish();
  } finally {
    for (const file of opened) file.close();
  }
}

async function mergeJsonl(files: string[], partial: string | null): Promise<void> {
  const iterators = files.map((file) => {
    if (!fs.existsSync(file)) throw new InputError(`${file}: no such file`);
    return readLines(fs.createReadStream(file))[Symbol.asyncIterator]();
  });
  const counts: number[] = [];
  for (const file of files) {
    let count = 0;
    for await (const line of readLines(fs.createReadStream(file))) if (line.text.trim() !== '') count++;
    counts.push(count);
  }
  checkCounts(files, counts);
  const fd = partial ? fs.openSync(partial, 'w') : 1;
  try {
    let pending: string[] = [];
    for (let active = true; active; ) {
      active = false;
      for (const iterator of iterators) {
        let next = await iterator.next();
        while (!next.done && next.value.text.trim() === '') next = await iterator.next();
        if (next.done) continue;
        active = true;
        pending.push(`${next.value.text}\n`);
      }
      if (pending.length >= 1024 || !active) {
        fs.writeSync(fd, pending.join(''));
        pending = [];
      }
    }
  } finally {
    if (partial) fs.closeSync(fd);
  }
}
