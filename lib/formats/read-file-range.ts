// The positional read every file reader here needs: fs.readSync may return fewer bytes than
// asked, so it loops; a file that ends first (truncated or changed while read) gets the
// reader's own error.
import * as fs from 'fs';

/** `length` bytes of the file open as `fd`, from `position`; throws `endedEarly()` if it ends first. */
export function readFileRange(fd: number, length: number, position: number, endedEarly: () => Error): Uint8Array {
  const bytes = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const read = fs.readSync(fd, bytes, filled, length - filled, position + filled);
    if (read === 0) throw endedEarly();
    filled += read;
  }
  return bytes;
}
