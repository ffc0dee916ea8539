// The body of one worker thread of an EncoderWorkerPool: its own copy of the encoder, one
// batch at a time, on the thread's own BLAS threads.
import { parentPort, workerData } from 'worker_threads';
import { setNumThreads } from '../threads';
import { encoderFromRecipe, EncoderRecipe } from './recipe';
import { PlainBatch } from './plain-batch';

const { recipe, threads } = workerData as { recipe: EncoderRecipe; threads: number };
setNumThreads(threads);
const encoder = encoderFromRecipe(recipe);

parentPort!.on('message', ({ id, batch }: { id: number; batch: PlainBatch }) => {
  try {
    const result = encoder.encodeBatchSync(batch);
    const transfer = result.vectors ? [result.vectors.buffer] : result.sequences!.map((sequence) => sequence.buffer);
    parentPort!.postMessage({ id, result }, transfer as ArrayBuffer[]);
  } catch (error) {
    const { name, message } = error as Error;
    parentPort!.postMessage({ id, error: { name, message } });
  }
});
