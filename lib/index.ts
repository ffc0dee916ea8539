// rnn-blas: PyTorch's recurrent layers for Node.js. Everything public is exported here.
export { Tensor, tensor, zeros, ones, randn } from './tensor';
export type {
  AnyTensor,
  ArrayFor,
  DType,
  DTypeArrays,
  DTypeOptions,
  ElementFor,
  NestedArray,
  NestedInput,
  NestedOf,
  TensorData,
  TensorLike,
  TensorValues,
} from './tensor';
export { manualSeed } from './random';
export { setNumThreads, getNumThreads } from './threads';
export { kernelSet } from './kernels';
export type { KernelSetName } from './kernels';
export { Module } from './modules/module';
export type { LoadStateDictOptions, LoadStateDictResult } from './modules/module';
export { RNN } from './modules/rnn';
export type { RNNOptions } from './modules/rnn';
export { LSTM } from './modules/lstm';
export type { LSTMOptions, LSTMState } from './modules/lstm';
export { GRU } from './modules/gru';
export type { GRUOptions } from './modules/gru';
export { RNNCell, LSTMCell, GRUCell } from './modules/cells';
export { Linear } from './modules/linear';
export type { LinearOptions } from './modules/linear';
export { Embedding } from './modules/embedding';
export type { EmbeddingOptions, EmbeddingFromStateDictOptions, EmbeddingInput } from './modules/embedding';
export { Sequential, ModuleList, ModuleDict } from './modules/containers';
export { Dropout, ReLU, Tanh, Sigmoid, Softmax, LogSoftmax, Identity } from './modules/activations';
export type { DropoutOptions, InplaceOptions } from './modules/activations';
export { LayerNorm } from './modules/layer-norm';
export type { LayerNormOptions } from './modules/layer-norm';
export {
  select, narrow, indexSelect, transpose, permute, unbind, flatten, squeeze, unsqueeze, cat, stack,
  add, sub, mul, div, sigmoid, tanh, relu, sum, mean, max, min, argmax, argmin, softmax, logSoftmax, topk,
} from './ops';
export type { AlphaOptions, FloatOperand, Operand, ReduceOptions, TensorInput, TopkOptions, ValuesAndIndices } from './ops';
export type { StateDictLike } from './validation/state-dict';
/**
 * The tensor operations as functions, as `torch.nn.functional` (and torch's own functions)
 * are used: `functional.softmax(logits, -1)`, `functional.cat([a, b], 1)`. The same
 * functions are exported at the root, and as methods of {@link Tensor}.
 */
export * as functional from './ops';
export type {
  FromStateDictOptions,
  RNNFromStateDictOptions,
  LSTMFromStateDictOptions,
  GRUFromStateDictOptions,
  RNNCellFromStateDictOptions,
} from './modules/infer-architecture';
export {
  PackedSequence,
  packPaddedSequence,
  padPackedSequence,
  packSequence,
  padSequence,
  unpadSequence,
  unpackSequence,
} from './packing';
export type {
  IntegerVector,
  PackPaddedSequenceOptions,
  PadPackedSequenceOptions,
  PackSequenceOptions,
  PadSequenceOptions,
  UnpadSequenceOptions,
} from './packing';
export type { CellOptions, Nonlinearity, RecurrentMode } from './validation/recurrent';
export type { RecurrentModuleMode } from './modules/recurrent-base';
/**
 * Reads and writes Hugging Face's safetensors format, in which PyTorch checkpoints are
 * shared (`safetensors.torch.save_file` / `load_file`): {@link safetensors.loadFile},
 * {@link safetensors.load}, {@link safetensors.saveFile}, {@link safetensors.save},
 * {@link safetensors.metadata}.
 */
export * as safetensors from './safetensors';
/**
 * Reads the files `torch.save` and `torch.jit.save` write (`.pt`, `.pth`), running nothing
 * in them: {@link pt.loadFile}, {@link pt.load}, {@link pt.loadObject}.
 */
export * as pt from './pt';
export { SequenceEncoder } from './pipeline/encoder';
export type { SequenceEncoderOptions, RecurrentModule } from './pipeline/encoder';
export type { Pooling } from './pipeline/pooling';
export { encodeSequences } from './pipeline/batcher';
export type { EncodeSequencesOptions, SequenceSource } from './pipeline/batcher';
/**
 * Reads and writes numpy's `.npy` array files ({@link npy.load}, {@link npy.save},
 * {@link npy.serialize}), every Tensor dtype, both byte orders, C and Fortran order, format
 * versions 1-3; {@link npy.open} reads the rows of a large file a chunk at a time.
 */
export * as npy from './npy';
/** Reads and writes numpy's `.npz` archives ({@link npz.load}, {@link npz.save}). */
export * as npz from './npz';
