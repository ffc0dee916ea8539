// The tensor operations as functions: `functional` (torch.nn.functional and torch's own
// functions), and the implementations behind the Tensor methods of the same names.
export { select, narrow, indexSelect, transpose, permute, unbind, flatten, squeeze, unsqueeze, cat, stack } from './movement';
export { add, sub, mul, div, sigmoid, tanh, relu } from './pointwise';
export type { AlphaOptions } from './pointwise';
export type { FloatOperand, Operand } from './pointwise';
export type { TensorInput } from './storage';
export { sum, mean, max, min, argmax, argmin, softmax, logSoftmax, topk, item } from './reduce';
export type { ReduceOptions, TopkOptions, ValuesAndIndices } from './reduce';
