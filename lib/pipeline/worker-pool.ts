// A pool of worker threads, each with its own copy of an encoder: batches go to whichever
// worker is free, and every batch's Promise resolves with its own result, so callers keep
// their order however the workers finish.
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { SequenceEncoder } from './encoder';
import { BatchResult, PlainBatch } from './plain-batch';
import { recipeOf } from './recipe';

interface Job {
  id: number;
  batch: PlainBatch;
  resolve: (result: BatchResult) => void;
  reject: (error: Error) => void;
}

const ERROR_TYPES: Record<string, ErrorConstructor> = { TypeError, RangeError, Error };

export class EncoderWorkerPool {
  private readonly idle: Worker[] = [];
  private readonly running = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private nextId = 0;
  private failure: Error | null = null;

  /** `size` workers, each with `threads` BLAS threads and a copy of `encoder`. */
  constructor(encoder: SequenceEncoder, readonly size: number, threads: number) {
    const recipe = recipeOf(encoder);
    for (let i = 0; i < size; i++) {
      const worker = new Worker(path.join(__dirname, 'encoder-worker.js'), { workerData: { recipe, threads } });
      worker.on('message', (message) => this.finished(worker, message));
      worker.on('error', (error) => this.crashed(worker, error));
      worker.unref();
      this.idle.push(worker);
    }
  }

  /** Batches handed over at once: two per worker, so that none waits while the next is built. */
  get capacity(): number {
    return this.size * 2;
  }

  run(batch: PlainBatch): Promise<BatchResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, batch, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    const workers = [...this.idle, ...this.running.keys()];
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.running.set(worker, job);
      worker.ref();
      const { lengths, ids, features } = job.batch;
      const transfer = [lengths.buffer, (ids ?? features)!.buffer] as ArrayBuffer[];
      worker.postMessage({ id: job.id, batch: job.batch }, transfer);
    }
  }

  private finished(worker: Worker, message: { id: number; result?: BatchResult; error?: { name: string; message: string } }): void {
    const job = this.running.get(worker)!;
    this.running.delete(worker);
    worker.unref();
    this.idle.push(worker);
    if (message.error) job.reject(new (ERROR_TYPES[message.error.name] ?? Error)(message.error.message));
    else job.resolve(message.result!);
    this.dispatch();
  }

  private crashed(worker: Worker, error: Error): void {
    this.failure = error;
    const job = this.running.get(worker);
    this.running.delete(worker);
    job?.reject(error);
    for (const queued of this.queue.splice(0)) queued.reject(error);
  }
}
