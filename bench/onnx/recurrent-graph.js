'use strict';
// Builds an ONNX ModelProto (IR 8, opset 14) computing the same function as one of our
// RNN / LSTM / GRU modules, from that module's own weights, so onnxruntime can be timed and
// checked on identical parameters and inputs.
//
// ONNX recurrent ops take one layer each, so the graph holds one LSTM / GRU / RNN node per
// layer. Their Y output is [seq, num_directions, batch, hidden]; the next layer (and the
// graph's output) wants [seq, batch, num_directions*hidden] like torch, hence Squeeze (one
// direction) or Transpose + Reshape (two directions) after every node.
//
// Graph inputs: `input` float [seq, batch, input_size] and, with `sequenceLens: true`,
// `sequence_lens` int32 [batch] (ONNX's way of running padded variable-length batches).
// Graph output: `output` float [seq, batch, D*hidden].
const { Message } = require('./protobuf');

const ONNX_FLOAT = 1;
const ONNX_INT32 = 6;
const ONNX_INT64 = 7;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_STRING = 3;
const ATTRIBUTE_INTS = 7;
const ATTRIBUTE_STRINGS = 8;

/**
 * Per torch mode: the ONNX op, its gate count, and which torch gate block goes to each
 * ONNX gate slot. torch LSTM is i|f|g|o, ONNX i|o|f|c; torch GRU is r|z|n, ONNX z|r|h.
 */
const OPS = {
  LSTM: { opType: 'LSTM', gates: 4, onnxFromTorchBlock: [0, 3, 1, 2] },
  GRU: { opType: 'GRU', gates: 3, onnxFromTorchBlock: [1, 0, 2] },
  RNN_TANH: { opType: 'RNN', gates: 1, onnxFromTorchBlock: [0], activation: 'Tanh' },
  RNN_RELU: { opType: 'RNN', gates: 1, onnxFromTorchBlock: [0], activation: 'Relu' },
};

/** Which OPS entry a module of ours is (mode LSTM, GRU, or RNN with its nonlinearity). */
function opOf(module) {
  const key = module.mode === 'RNN' ? `RNN_${module.nonlinearity.toUpperCase()}` : module.mode;
  const op = OPS[key];
  if (!op) throw new Error(`no ONNX op for recurrent mode ${module.mode}`);
  if (module.projSize > 0) throw new Error('ONNX LSTM has no projections (projSize > 0)');
  if (module.batchFirst) throw new Error('the ONNX graph is built for sequence-first input');
  return op;
}

/** Reorders the gate blocks (hidden rows each) of a torch [G*hidden, cols] matrix or [G*hidden] vector. */
function reorderGates(values, hiddenSize, onnxFromTorchBlock) {
  const blockSize = values.length / onnxFromTorchBlock.length;
  if (blockSize % hiddenSize !== 0) throw new Error('gate rows are not a multiple of hidden_size');
  const out = new Float32Array(values.length);
  onnxFromTorchBlock.forEach((torchBlock, slot) => {
    out.set(values.subarray(torchBlock * blockSize, (torchBlock + 1) * blockSize), slot * blockSize);
  });
  return out;
}

function floatInitializer(name, dims, values) {
  return new Message()
    .packedVarints(1, dims)
    .varint(2, ONNX_FLOAT)
    .string(8, name)
    .bytes(9, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

function int64Initializer(name, values) {
  const raw = new BigInt64Array(values.map(BigInt));
  return new Message()
    .packedVarints(1, [values.length])
    .varint(2, ONNX_INT64)
    .string(8, name)
    .bytes(9, new Uint8Array(raw.buffer));
}

/** dims: numbers (fixed) or strings (symbolic, e.g. 'seq'). */
function valueInfo(name, elemType, dims) {
  const shape = new Message();
  for (const dim of dims) {
    const dimension = new Message();
    if (typeof dim === 'string') dimension.string(2, dim);
    else dimension.varint(1, dim);
    shape.message(1, dimension);
  }
  const tensorType = new Message().varint(1, elemType).message(2, shape);
  return new Message().string(1, name).message(2, new Message().message(1, tensorType));
}

function attribute(name, value) {
  const attr = new Message().string(1, name);
  if (typeof value === 'number') return attr.varint(20, ATTRIBUTE_INT).varint(3, value);
  if (typeof value === 'string') return attr.varint(20, ATTRIBUTE_STRING).string(4, value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) {
    return attr.varint(20, ATTRIBUTE_INTS).packedVarints(8, value);
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    value.forEach((s) => attr.string(9, s));
    return attr.varint(20, ATTRIBUTE_STRINGS);
  }
  throw new Error(`unsupported attribute value for ${name}`);
}

function node(opType, inputs, outputs, attributes = {}) {
  const message = new Message();
  inputs.forEach((name) => message.string(1, name));
  outputs.forEach((name) => message.string(2, name));
  message.string(3, `${opType}_${outputs[0]}`).string(4, opType);
  for (const [name, value] of Object.entries(attributes)) message.message(5, attribute(name, value));
  return message;
}

/**
 * The ONNX model bytes for `module` (an RNN, LSTM or GRU of ours, bias or not, one or two
 * directions, any number of layers; no projections, sequence-first input).
 */
function buildRecurrentModel(module, { sequenceLens = false } = {}) {
  const op = opOf(module);
  const { hiddenSize, numLayers, bias } = module;
  const directions = module.bidirectional ? 2 : 1;
  // Copies: handing out the live tensors (namedParameters) would turn off the module's
  // packed-weight cache, and the bench would time another path than users get.
  const params = new Map(Object.entries(module.stateDict()));
  const nodes = [];
  const initializers = [];

  let layerInput = 'input';
  for (let layer = 0; layer < numLayers; layer++) {
    const perDirection = (prefix) => Array.from({ length: directions }, (_, d) =>
      params.get(`${prefix}_l${layer}${d === 1 ? '_reverse' : ''}`));
    const stack = (tensors) => {
      const out = new Float32Array(tensors.reduce((n, t) => n + t.data.length, 0));
      let offset = 0;
      for (const t of tensors) {
        out.set(reorderGates(t.data, hiddenSize, op.onnxFromTorchBlock), offset);
        offset += t.data.length;
      }
      return out;
    };
    const weightIh = perDirection('weight_ih');
    const gateRows = op.gates * hiddenSize;
    const layerInputSize = weightIh[0].shape[1];
    initializers.push(floatInitializer(`W_l${layer}`, [directions, gateRows, layerInputSize], stack(weightIh)));
    initializers.push(floatInitializer(`R_l${layer}`, [directions, gateRows, hiddenSize], stack(perDirection('weight_hh'))));
    let biasName = '';
    if (bias) {
      // ONNX B is [Wb | Rb] per direction.
      const biasIh = perDirection('bias_ih');
      const biasHh = perDirection('bias_hh');
      const perDir = [];
      for (let d = 0; d < directions; d++) perDir.push(biasIh[d], biasHh[d]);
      biasName = `B_l${layer}`;
      initializers.push(floatInitializer(biasName, [directions, 2 * gateRows], stack(perDir)));
    }

    const inputs = [layerInput, `W_l${layer}`, `R_l${layer}`, biasName];
    if (sequenceLens) inputs.push('sequence_lens');
    while (inputs[inputs.length - 1] === '') inputs.pop();
    const attributes = {
      hidden_size: hiddenSize,
      direction: directions === 2 ? 'bidirectional' : 'forward',
    };
    if (op.opType === 'GRU') attributes.linear_before_reset = 1; // torch's n = tanh(W_in x + b_in + r*(W_hn h + b_hn))
    if (op.activation) attributes.activations = Array(directions).fill(op.activation);
    const y = `Y_l${layer}`;
    nodes.push(node(op.opType, inputs, [y], attributes));

    // [seq, D, batch, hidden] -> [seq, batch, D*hidden]
    const layerOutput = layer === numLayers - 1 ? 'output' : `X_l${layer + 1}`;
    if (directions === 1) {
      nodes.push(node('Squeeze', [y, 'axis_directions'], [layerOutput]));
    } else {
      nodes.push(node('Transpose', [y], [`${y}_sequence_batch_direction`], { perm: [0, 2, 1, 3] }));
      nodes.push(node('Reshape', [`${y}_sequence_batch_direction`, 'shape_merge_directions'], [layerOutput]));
    }
    layerInput = layerOutput;
  }
  if (directions === 1) initializers.push(int64Initializer('axis_directions', [1]));
  else initializers.push(int64Initializer('shape_merge_directions', [0, 0, -1]));

  const graph = new Message();
  nodes.forEach((n) => graph.message(1, n));
  graph.string(2, `${module.mode.toLowerCase()}_${numLayers}x${hiddenSize}`);
  initializers.forEach((t) => graph.message(5, t));
  graph.message(11, valueInfo('input', ONNX_FLOAT, ['seq', 'batch', module.inputSize]));
  if (sequenceLens) graph.message(11, valueInfo('sequence_lens', ONNX_INT32, ['batch']));
  graph.message(12, valueInfo('output', ONNX_FLOAT, ['seq', 'batch', directions * hiddenSize]));

  return new Message()
    .varint(1, 8) // ir_version
    .string(2, 'rnn-blas bench')
    .message(7, graph)
    .message(8, new Message().string(1, '').varint(2, 14)) // opset_import: ai.onnx 14
    .finish();
}

module.exports = { buildRecurrentModel, reorderGates };
