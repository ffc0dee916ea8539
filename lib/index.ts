// rnn-blas: PyTorch's recurrent layers for Node.js. Everything public is exported here.
export { Tensor, tensor, zeros, randn } from './tensor';
export type {
  AnyTensor,
  ArrayFor,
  DType,
  DTypeArrays,
  DTypeOptions,
  ElementFor,
  NestedArray,
  NestedOf,
  TensorData,
  TensorLike,
  TensorValues,
} from './tensor';
export { manualSeed } from './random';
export { setNumThreads, getNumThreads } from './threads';
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
export type { EmbeddingOptions } from './modules/embedding';
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
export type { EncodeSequencesOptions } from './pipeline/batcher';
/**
 * Reads and writes numpy's `.npy` array files ({@link npy.load}, {@link npy.save},
 * {@link npy.serialize}), every Tensor dtype, both byte orders, C and Fortran order, format
 * versions 1-3; {@link npy.open} reads the rows of a large file a chunk at a time.
 */
export * as npy from './npy';
/** Reads and writes numpy's `.npz` archives ({@link npz.load}, {@link npz.save}). */
export * as npz from './npz';
