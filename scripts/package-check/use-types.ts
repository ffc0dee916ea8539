// Compiled by scripts/check-package.sh with tsc --strict against the types in the
// installed rnn-blas tarball (as use-types.ts under CommonJS resolution and as
// use-types.mts under Node16 ESM resolution), then run.
import {
  GRU, LSTM, LSTMCell, PackedSequence, RNN, Tensor,
  getNumThreads, manualSeed, packPaddedSequence, padPackedSequence, randn, safetensors, setNumThreads, tensor, zeros,
} from 'rnn-blas';
import type { AnyTensor, LSTMOptions, LSTMState, LoadStateDictResult, NestedArray, RNNOptions, TensorLike } from 'rnn-blas';

manualSeed(0);
setNumThreads(1);
const threads: number = getNumThreads();

const options: LSTMOptions = { numLayers: 2, batchFirst: true, projSize: 5 };
const lstm: LSTM = new LSTM(10, 20, options);
lstm.eval();
const state: LSTMState = [zeros([2, 3, 5]), zeros([2, 3, 20])];
const [output, [hN, cN]]: [Tensor, [Tensor, Tensor]] = lstm.forward(randn([3, 4, 10]), state);
const outputShape: readonly number[] = output.shape;
const data: Float32Array = hN.data;

const rnnOptions: RNNOptions = { nonlinearity: 'relu', bidirectional: true };
const rnn = new RNN({ inputSize: 4, hiddenSize: 6, ...rnnOptions });
const nested: NestedArray[] = [[[1, 2, 3, 4]]];
const input: TensorLike = nested;
const [rnnOutput, rnnHidden] = rnn.forward(input);

const gru = new GRU(2, 3);
const packed: PackedSequence = packPaddedSequence(tensor([[[1, 2]], [[3, 4]]]), [2]);
const [packedOutput] = gru.forward(packed);
const [padded, lengths]: [Tensor, Int32Array] = padPackedSequence(packedOutput);

const cell = new LSTMCell(3, 4);
const [h1, c1] = cell.forward(randn([2, 3]));
const weights: Record<string, Tensor> = safetensors.load(safetensors.save(cell.stateDict()), { dtype: 'float32' });
const anyDtype: Record<string, AnyTensor> = safetensors.load(safetensors.save(cell.stateDict()));
const result: LoadStateDictResult = cell.loadStateDict(weights);
cell.loadStateDict(anyDtype);
const ids: Tensor<'int64'> = tensor([1, 2], { dtype: 'int64' });
const idData: BigInt64Array = ids.data;
const asFloat: Float32Array = ids.float().data;
const named: Array<[string, Tensor]> = lstm.namedParameters();

// Misuse the types must refuse (never called: it would throw at run time too).
function refusedByTheTypes(): unknown[] {
  // @ts-expect-error: hiddenSize is a number
  const badSize = new LSTM(10, '20');
  // @ts-expect-error: forward gives [output, [hN, cN]], not a Tensor
  const notATensor: Tensor = lstm.forward(randn([3, 4, 10]));
  // @ts-expect-error: LSTM has no nonlinearity option
  const badOption = new LSTM(10, 20, { nonlinearity: 'relu' });
  // @ts-expect-error: an int64 tensor holds a BigInt64Array
  const notFloats: Float32Array = ids.data;
  return [badSize, notATensor, badOption, notFloats];
}

async function background(): Promise<number[]> {
  const [asyncOutput] = await lstm.forwardAsync(randn([3, 4, 10]));
  return asyncOutput.size();
}

void background().then((size) => {
  const summary = [threads, outputShape, data.length, cN.dim(), rnnOutput.numel(), rnnHidden.numel(),
    padded.shape, lengths, h1.shape, c1.shape, result.missingKeys.length, named.length, size, refusedByTheTypes,
    idData.length + asFloat.length];
  if (summary.length !== 15) throw new Error('unreachable');
  console.log('typescript: compiled with --strict and ran; LSTM output', outputShape);
});
