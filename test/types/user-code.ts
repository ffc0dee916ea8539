// User code that must compile under --strict against the published types (test/33).
import {
  Embedding, GRU, LSTM, Linear, Module, ModuleList, PackedSequence, Sequential, Tensor, ReLU, cat, functional as F,
  packSequence, padSequence, randn, tensor, unpackSequence, zeros, ones, RNN, RNNCell, LSTMCell,
} from 'rnn-blas';
import type { AnyTensor, LSTMState } from 'rnn-blas';

// A union of accepted inputs resolves (TS2769 before).
declare const x: Tensor | PackedSequence;
const lstm = new LSTM(4, 8, { batchFirst: true });
const stacked = new LSTM(4, 8, 2, { batchFirst: true });
const [out, [hN, cN]] = lstm.forward(x);
const either: Tensor | PackedSequence = out;
const promised: Promise<[Tensor | PackedSequence, [Tensor, Tensor]]> = lstm.forwardAsync(x);
const gruOut: [Tensor | PackedSequence, Tensor] = new GRU(4, 8).forward(x);

// Readonly shapes are accepted wherever a shape is.
const h0 = zeros(hN.shape);
const c0 = zeros(cN.shape, { dtype: 'float32' });
const noise = randn(hN.shape);
const state: LSTMState = [h0, c0];
lstm.forward(randn([2, 3, 4]), state);
const readonlyRows: readonly (readonly number[])[] = [[1, 2, 3, 4]];
lstm.forward([readonlyRows]);

// A model as a Module subclass, with int64 ids.
class Classifier extends Module {
  embedding = new Embedding(100, 4, { paddingIdx: 0 });
  rnn = new LSTM(4, 8, { numLayers: 2, batchFirst: true, bidirectional: true });
  head = new Sequential(new Linear(16, 8), new ReLU(), new Linear(8, 3));
  forward(ids: Tensor<'int64'>): Tensor {
    const [, [h]] = this.rnn.forward(this.embedding.forward(ids));
    return this.head.forward(cat([h.select(0, -2), h.select(0, -1)], 1));
  }
}
const model = new Classifier().eval();
const logits: Tensor = model.forward(tensor([[1n, 2n, 0n]]));
const probabilities: Tensor = F.softmax(logits, -1);
const best: Tensor<'int64'> = logits.argmax(-1);
const top = logits.topk(2);
const topIndices: Tensor<'int64'> = top.indices;
const [values, indices] = logits.max(1);
const sum: Tensor = logits.sum(-1);
const anything: AnyTensor = logits.add(1);
const scaled: Tensor = F.mul(logits, 0.5);
const id: bigint = best.select(0, 0).item();
const text: string = String(model) + String(logits);
const list = new ModuleList([new Linear(2, 2)]);
const firstLayer = list.at(0);
const packed: PackedSequence = packSequence([randn([3, 4]), randn([2, 4])], { enforceSorted: false });
// Token ids pad and pack as int64, as torch's; lengths may be int64 too.
const idRows: Tensor<'int64'> = padSequence([zeros([3], { dtype: 'int64' }), zeros([1], { dtype: 'int64' })], { batchFirst: true });
const packedIds: PackedSequence<'int64'> = packSequence([zeros([2], { dtype: 'int64' })]);
const unpackedIds: Tensor<'int64'>[] = unpackSequence(packedIds);
model.embedding.forward([[1, 2], [3, 0]]);
model.embedding.forward(Int32Array.of(1, 2));
lstm.dropout = 0.5;
lstm.batchFirst = false;
model.training = true;

export { either, promised, gruOut, noise, probabilities, topIndices, values, indices, sum, anything, scaled, id, text, firstLayer, packed, idRows, unpackedIds, stacked };

// Parameters as properties, as in torch.
const firstWeight: Tensor = lstm.weight_ih_l0;
const reverseBias: Tensor = new GRU(4, 8, { bidirectional: true }).bias_hh_l0_reverse;
const linearBias: Tensor | null = new Linear(2, 3).bias;
const perLayer: Tensor[][] = stacked.allWeights;
export { firstWeight, reverseBias, linearBias, perLayer };

// torch's positional constructor order, as the README's table shows it.
const reluRnn = new RNN(10, 20, 2, 'relu');
const projected = new LSTM(5, 10, 1, true, true, 0, true, 3);
const plainGru = new GRU(10, 20, 2, true, true);
const reluCell = new RNNCell(5, 10, false, 'relu');
const noBiasCell = new LSTMCell(5, 10, false);

// A model's own state: buffers of any dtype, a parameter of its own, tied weights.
class Normalised extends Module {
  declare mean: Tensor;
  embedding = new Embedding(10, 4);
  head = new Linear(4, 10, { bias: false });
  constructor() {
    super();
    this.registerBuffer('mean', ones([4]));
    this.registerBuffer('count', zeros([], { dtype: 'int64' }), false);
    this.registerParameter('scale', tensor([0.5]));
    this.head.registerParameter('weight', this.embedding.weight);
  }
}
const normalised = new Normalised();
const bufferNames: string[] = normalised.namedBuffers().map(([name]) => name);
const count: AnyTensor | null = normalised.getBuffer('count');
export { reluRnn, projected, plainGru, reluCell, noBiasCell, bufferNames, count };
