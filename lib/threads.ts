// Threads one call may use, like torch.set_num_threads / torch.get_num_threads.
import { native } from './native';
import { typeName } from './validation/common';

/** The native side's bound: one call never spreads over more threads than this. */
const MAX_THREADS = 1024;

/**
 * Sets the number of threads one `forward` or `forwardAsync` call may use, as torch's
 * `torch.set_num_threads`. The engine splits a call's work (batch rows, hidden units,
 * directions) over its own threads and runs BLAS single-threaded inside each, so a call
 * never uses more than `threads` cores. The default is the number of CPUs.
 *
 * The setting belongs to the thread that loaded the package: each `worker_thread` has its
 * own. When a server runs several calls at once (`forwardAsync` from many requests, or
 * several workers), `setNumThreads(1)` lets each call take one core.
 *
 * @param threads - a positive integer, at most 1024.
 * @throws TypeError if `threads` is not an integer; RangeError if it is below 1 or above 1024.
 *
 * @example
 * ```ts
 * setNumThreads(1);
 * getNumThreads(); // 1
 * ```
 */
export function setNumThreads(threads: number): void {
  if (typeof threads !== 'number' || !Number.isInteger(threads)) {
    throw new TypeError(`set_num_threads(): argument 'int' must be int, not ${typeName(threads)}`);
  }
  if (threads <= 0) throw new RangeError('Expected positive number of threads');
  if (threads > MAX_THREADS) throw new RangeError(`set_num_threads(): at most ${MAX_THREADS} threads, got ${threads}`);
  native.setNumThreads(threads);
}

/**
 * The number of threads one call may use, as torch's `torch.get_num_threads`: the value
 * of the last {@link setNumThreads} on this thread, else the number of CPUs.
 */
export function getNumThreads(): number {
  return native.getNumThreads();
}
