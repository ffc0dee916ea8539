// Each line under @ts-expect-error must fail to compile: tsc reports the directive as
// unused (and test/33 fails) if one of them type-checks.
import { Embedding, GRU, LSTM, Linear, Tensor, packSequence, zeros } from 'rnn-blas';

const lstm = new LSTM(4, 8);
// @ts-expect-error packed ids are not a recurrent module's input (float32 only)
lstm.forward(packSequence([zeros([2, 4], { dtype: 'int64' })]));
// @ts-expect-error a bare number is not a tensor
lstm.forward(5);
// @ts-expect-error nor a string
lstm.forward('x');
// @ts-expect-error an LSTM's state is a pair, not one tensor
lstm.forward(zeros([1, 1, 4]), zeros([1, 1, 8]));
// @ts-expect-error a GRU's state is one tensor, not an LSTM's pair
new GRU(4, 8).forward(zeros([1, 1, 4]), [zeros([1, 1, 8]), zeros([1, 1, 8])]);
// @ts-expect-error sizes that fix the weights are read-only
lstm.hiddenSize = 16;
// @ts-expect-error read-only too
new Linear(2, 3).inFeatures = 4;
// @ts-expect-error an unknown option
new LSTM(4, 8, { batch_first: true });
// @ts-expect-error dropout is a number
lstm.dropout = '0.5';
// @ts-expect-error Embedding takes ids, not an object
new Embedding(10, 2).forward({ ids: [1] });
// @ts-expect-error argmax gives int64 indices, not float32
const wrong: Tensor = zeros([2]).argmax();
export { wrong };
// @ts-expect-error a Linear's bias may be null (bias: false)
const biasShape = new Linear(2, 3).bias.shape;
export { biasShape };
