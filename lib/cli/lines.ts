// Lines of a byte stream, with their numbers and the bytes read so far, split on '\n'
// (a '\r' before it is dropped). Written here rather than with readline: it also counts
// the bytes consumed, which the progress bar needs, and decodes each line once.
import type { Readable } from 'stream';

export interface Line {
  /** 1-based line number in the stream. */
  number: number;
  text: string;
  /** Bytes of the stream consumed up to the end of this line. */
  bytesRead: number;
}

export async function* readLines(stream: Readable): AsyncGenerator<Line> {
  let carry: Buffer | null = null;
  let number = 0;
  let consumed = 0;
  for await (const piece of stream) {
    const chunk: Buffer = carry ? Buffer.concat([carry, piece as Buffer]) : (piece as Buffer);
    let start = 0;
    for (let end = chunk.indexOf(10, start); end !== -1; end = chunk.indexOf(10, start)) {
      const stop = end > start && chunk[end - 1] === 13 ? end - 1 : end;
      consumed += end + 1 - start;
      yield { number: ++number, text: chunk.toString('utf8', start, stop), bytesRead: consumed };
      start = end + 1;
    }
    carry = start < chunk.length ? chunk.subarray(start) : null;
  }
  if (carry && carry.length > 0) {
    consumed += carry.length;
    const stop = carry[carry.length - 1] === 13 ? carry.length - 1 : carry.length;
    yield { number: ++number, text: carry.toString('utf8', 0, stop), bytesRead: consumed };
  }
}
