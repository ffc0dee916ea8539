// Threads one call may use, like torch.set_num_threads / torch.get_num_threads.
import { native } from './native';
import { typeName } from './validation/common';

/** Sets the number of BLAS threads one forward may use. */
export function setNumThreads(threads: number): void {
  if (typeof threads !== 'number' || !Number.isInteger(threads)) {
    throw new TypeError(`set_num_threads(): argument 'int' must be int, not ${typeName(threads)}`);
  }
  if (threads <= 0) throw new RangeError('Expected positive number of threads');
  native.setNumThreads(threads);
}

export function getNumThreads(): number {
  return native.getNumThreads();
}
