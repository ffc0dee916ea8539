// Where the results go: a .npy of N x F float32 rows, JSONL ({"id", "vector"} per line), or
// JSONL on stdout. Files are written to `<destination>.partial` beside the destination and
// renamed into place once complete, so a destination that exists is whole. --resume
// continues a .partial from its last complete row or line.
import * as fs from 'fs';
import * as path from 'path';
import { NpyRowWriter } from '../npy/file';
import { InputError, UsageError } from './errors';
import { formatVector } from './float-text';

export type OutputFormat = 'npy' | 'jsonl';

export interface ResultSink {
  /** Rows already in the output when the run started (a resumed run skips that many inputs). */
  readonly resumedRows: number;
  /** Pooled results: count vectors of F values, in order. */
  writeVectors(ids: unknown[], vectors: Float32Array, width: number): void;
  /** pool none: each input's (L_i x F) outputs. */
  writeSequences(ids: unknown[], sequences: Float32Array[], width: number): void;
  /** Completes the output (renames it into place). */
  finish(): void;
  /** Leaves the output unfinished (resumable). */
  abandon(): void;
}

export function outputFormat(output: string): OutputFormat {
  if (output === '-') return 'jsonl';
  const extension = path.extname(output).toLowerCase();
  if (extension === '.npy') return 'npy';
  if (extension === '.jsonl' || extension === '.ndjson' || extension === '.json') return 'jsonl';
  throw new UsageError(`--output ${output}: expected a .npy or .jsonl file, or - for JSONL on stdout`);
}

export function partialPathOf(output: string): string {
  return `${output}.partial`;
}

function idText(id: unknown): string {
  return JSON.stringify(id === undefined ? null : id);
}

/** Bytes of `fd` up to and including its last '\n'. */
function completeLinesLength(fd: number, size: number): { length: number; lines: number } {
  const buffer = Buffer.alloc(1 << 20);
  let lines = 0;
  let lastNewline = -1;
  for (let position = 0; position < size; ) {
    const read = fs.readSync(fd, buffer, 0, Math.min(buffer.length, size - position), position);
    if (read === 0) break;
    for (let i = buffer.indexOf(10, 0); i !== -1 && i < read; i = buffer.indexOf(10, i + 1)) {
      lines++;
      lastNewline = position + i;
    }
    position += read;
  }
  return { length: lastNewline + 1, lines };
}

class JsonlSink implements ResultSink {
  readonly resumedRows: number;
  private buffered: string[] = [];

  constructor(private readonly fd: number, private readonly finishFile: (() => void) | null, resumedRows: number) {
    this.resumedRows = resumedRows;
  }

  writeVectors(ids: unknown[], vectors: Float32Array, width: number): void {
    for (let i = 0; i < ids.length; i++) this.buffered.push(`{"id":${idText(ids[i])},"vector":${formatVector(vectors, i * width, (i + 1) * width)}}\n`);
    this.flush();
  }

  writeSequences(ids: unknown[], sequences: Float32Array[], width: number): void {
    for (let i = 0; i < ids.length; i++) {
      const steps: string[] = [];
      for (let t = 0; t < sequences[i].length / width; t++) steps.push(formatVector(sequences[i], t * width, (t + 1) * width));
      this.buffered.push(`{"id":${idText(ids[i])},"output":[${steps.join(',')}]}\n`);
    }
    this.flush();
  }

  private flush(): void {
    const text = Buffer.from(this.buffered.join(''));
    this.buffered = [];
    let written = 0;
    while (written < text.length) {
      try {
        written += fs.writeSync(this.fd, text, written, text.length - written);
      } catch (error) {
        // stdout may be a pipe that is momentarily full.
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      }
    }
  }

  finish(): void {
    if (this.finishFile) this.finishFile();
  }

  abandon(): void {
    if (this.finishFile) fs.closeSync(this.fd);
  }
}

class NpySink implements ResultSink {
  constructor(private readonly writer: NpyRowWriter, private readonly partial: string, private readonly output: string, readonly resumedRows: number) {}

  writeVectors(_ids: unknown[], vectors: Float32Array): void {
    this.writer.append(vectors);
  }

  writeSequences(): void {
    throw new UsageError('--pool none writes a sequence per input: use a .jsonl output');
  }

  finish(): void {
    this.writer.finish();
    fs.renameSync(this.partial, this.output);
  }

  abandon(): void {
    this.writer.close();
  }
}

export interface OpenOutputOptions {
  output: string;
  width: number;
  resume: boolean;
}

/**
 * The sink for --output. With resume, an existing .partial is continued; without, any is
 * replaced.
 */
export function openOutput({ output, width, resume }: OpenOutputOptions): ResultSink {
  if (output === '-') {
    if (resume) throw new UsageError('--resume needs an --output file: stdout cannot be resumed');
    return new JsonlSink(1, null, 0);
  }
  const partial = partialPathOf(output);
  const canResume = resume && fs.existsSync(partial);
  try {
    if (outputFormat(output) === 'npy') {
      const writer = canResume ? NpyRowWriter.resume(partial, 'float32', [width]) : NpyRowWriter.create(partial, 'float32', [width]);
      return new NpySink(writer, partial, output, writer.rows);
    }
    const fd = fs.openSync(partial, canResume ? 'r+' : 'w');
    let rows = 0;
    if (canResume) {
      // A line cut short by the interruption is dropped; its input runs again.
      const complete = completeLinesLength(fd, fs.fstatSync(fd).size);
      fs.ftruncateSync(fd, complete.length);
      rows = complete.lines;
    }
    fs.closeSync(fd);
    const appendFd = fs.openSync(partial, 'a');
    return new JsonlSink(appendFd, () => {
      fs.fsyncSync(appendFd);
      fs.closeSync(appendFd);
      fs.renameSync(partial, output);
    }, rows);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new InputError(`${partial}: ${(error as Error).message}`);
  }
}
