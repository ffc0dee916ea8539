'use strict';
// Bad arguments throw at once, on the calling thread, with PyTorch 2.x's wording and the
// right class: TypeError for wrong types, RangeError for bad sizes and values, Error otherwise.
const assert = require('node:assert/strict');
const {
  RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell, Embedding, zeros, randn, tensor, Tensor, setNumThreads,
} = require('../lib');

function throwsExactly(fn, name, message) {
  assert.throws(fn, (error) => {
    assert.equal(error.constructor.name, name);
    assert.equal(error.message, message);
    return true;
  });
}

describe('errors use PyTorch wording', () => {
  describe('constructors', () => {
    it("torch's positional order, with options last: too many, or one given twice", () => {
      throwsExactly(() => new LSTM(10, 20, 2, true, false, 0, false, 5, 7), 'TypeError',
        'LSTM.__init__() takes at most 8 positional arguments (9 given)');
      throwsExactly(() => new LSTMCell(10, 20, false, 'relu'), 'TypeError',
        'LSTMCell.__init__() takes at most 3 positional arguments (4 given)');
      throwsExactly(() => new LSTM(10, 20, 2, { numLayers: 3 }), 'TypeError',
        "LSTM.__init__() got multiple values for argument 'num_layers' (JavaScript: numLayers)");
      throwsExactly(() => new GRU(10, 20, 'x'), 'TypeError',
        'num_layers should be of type int, got: str (JavaScript: numLayers, a string)');
    });
    it('cells check no size: weight_ih (gates * hidden_size, input_size) names its first negative dimension', () => {
      // torch 2.x: LSTMCell(3, -2), LSTMCell(-3, 2), GRUCell(3, -2), RNNCell(-1, -1).
      throwsExactly(() => new LSTMCell(3, -2), 'RangeError', 'Trying to create tensor with negative dimension -8: [-8, 3]');
      throwsExactly(() => new LSTMCell(-3, 2), 'RangeError', 'Trying to create tensor with negative dimension -3: [8, -3]');
      throwsExactly(() => new GRUCell(3, -2), 'RangeError', 'Trying to create tensor with negative dimension -6: [-6, 3]');
      throwsExactly(() => new RNNCell(-1, -1), 'RangeError', 'Trying to create tensor with negative dimension -1: [-1, -1]');
    });
    it('hidden_size must be greater than zero', () => {
      throwsExactly(() => new LSTM(5, 0), 'RangeError', 'hidden_size must be greater than zero');
    });
    it('input_size must be greater than zero (torch 2.x RNNBase, checked before hidden_size)', () => {
      throwsExactly(() => new RNN(0, 5), 'RangeError', 'input_size must be greater than zero');
      throwsExactly(() => new GRU(-1, 5), 'RangeError', 'input_size must be greater than zero');
      throwsExactly(() => new LSTM(0, 'x'), 'RangeError', 'input_size must be greater than zero');
    });
    it('num_layers must be greater than zero', () => {
      throwsExactly(() => new GRU(5, 4, 0), 'RangeError', 'num_layers must be greater than zero');
    });
    it('hidden_size must be an int', () => {
      throwsExactly(() => new RNN(5, 4.5), 'TypeError', 'hidden_size should be of type int, got: float (JavaScript: hiddenSize, the number 4.5)');
    });
    it('dropout outside [0, 1]', () => {
      throwsExactly(
        () => new LSTM(5, 4, { numLayers: 2, dropout: 1.5 }),
        'RangeError',
        'dropout should be a number in range [0, 1] representing the probability of an element being zeroed',
      );
    });
    it('dropout that is not a number', () => {
      throwsExactly(
        () => new GRU(5, 4, { numLayers: 2, dropout: '0.5' }),
        'RangeError',
        'dropout should be a number in range [0, 1] representing the probability of an element being zeroed',
      );
    });
    it('proj_size not smaller than hidden_size', () => {
      throwsExactly(() => new LSTM(5, 4, { projSize: 4 }), 'RangeError', 'proj_size has to be smaller than hidden_size');
    });
    it('negative proj_size', () => {
      throwsExactly(
        () => new LSTM(5, 4, { projSize: -1 }),
        'RangeError',
        'proj_size should be a positive integer or zero to disable projections',
      );
    });
    it('unknown nonlinearity', () => {
      throwsExactly(
        () => new RNN(5, 4, { nonlinearity: 'sigmoid' }),
        'RangeError',
        "Unknown nonlinearity 'sigmoid'. Select from 'tanh' or 'relu'.",
      );
    });
    it('proj_size on RNN or GRU: torch 2.x\'s message, whatever the value', () => {
      throwsExactly(
        () => new GRU(5, 4, { projSize: 2 }),
        'RangeError',
        "proj_size argument is only supported for LSTM, not RNN or GRU (option 'projSize')",
      );
      throwsExactly(
        () => new RNN(5, 4, { projSize: 0 }),
        'RangeError',
        "proj_size argument is only supported for LSTM, not RNN or GRU (option 'projSize')",
      );
    });
    it('a snake_case option gets the camelCase one as a hint', () => {
      throwsExactly(
        () => new LSTM(5, 4, { batch_first: true }),
        'TypeError',
        "LSTM.__init__() got an unexpected keyword argument 'batch_first' (did you mean 'batchFirst'?)",
      );
      throwsExactly(
        () => new GRU(5, 4, { numlayers: 2 }),
        'TypeError',
        "GRU.__init__() got an unexpected keyword argument 'numlayers' (did you mean 'numLayers'?)",
      );
      throwsExactly(
        () => new Embedding(5, 4, { padding_idx: 0 }),
        'TypeError',
        "Embedding.__init__() got an unexpected keyword argument 'padding_idx' (did you mean 'paddingIdx'?)",
      );
      throwsExactly(() => new LSTM(5, 4, { batchFirst: 'yes' }), 'TypeError',
        'batch_first should be of type bool, got: str (JavaScript: batchFirst, a string)');
    });
    it('a GRU given an LSTM-style [h0] or an Embedding given strings names the argument, not tensor()', () => {
      throwsExactly(() => new GRU(3, 4).forward(zeros([2, 1, 3]), [zeros([1, 1, 4])]), 'TypeError',
        'hx must be a Tensor or nested arrays of numbers, got an array holding a Tensor at [0] ' +
          '(pass the Tensor itself, or join them with stack() or cat())');
      throwsExactly(() => new Embedding(5, 2).forward(['a', 'b']), 'TypeError',
        'input: expected a number at depth 1, got string');
      throwsExactly(() => new GRU(3, 4).forward(zeros([2, 1, 3]), [zeros([1, 1, 4]), zeros([1, 1, 4])]), 'TypeError',
        "GRU: hx must be one Tensor, the hidden state h0; [h0, c0] is an LSTM's state");
    });
    it('cell with unknown nonlinearity: built, and refused at forward, as torch 2.x RNNCell does', () => {
      const cell = new RNNCell(5, 4, { nonlinearity: 'gelu' });
      assert.equal(String(cell), 'RNNCell(5, 4, nonlinearity=gelu)');
      throwsExactly(() => cell.forward(zeros([2, 5])), 'RangeError', 'Unknown nonlinearity: gelu');
      // torch checks the ranks first, then dispatches on the nonlinearity, then ATen checks sizes.
      throwsExactly(() => cell.forward(zeros([2, 1, 5])), 'RangeError', 'RNNCell: Expected input to be 1D or 2D, got 3D instead');
      throwsExactly(() => cell.forward(zeros([2, 7])), 'RangeError', 'Unknown nonlinearity: gelu');
    });
    it('cell bias is taken by its truth value, as torch\'s cells take it (common_modules: RNNCell(10, 20, \'relu\'))', () => {
      const cell = new RNNCell(10, 20, 'relu'); // bias='relu': truthy, so biases; nonlinearity tanh
      assert.deepEqual(cell.namedParameters().map(([name]) => name), ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh']);
      assert.equal(cell.nonlinearity, 'tanh');
      throwsExactly(() => cell.forward(zeros([3, 10]), zeros([3, 21])), 'RangeError',
        'hidden0 has inconsistent hidden_size: got 21, expected 20');
      assert.deepEqual(new GRUCell(2, 3, 0).namedParameters().map(([name]) => name), ['weight_ih', 'weight_hh']);
    });
  });

  describe('forward of RNN, LSTM and GRU', () => {
    it('input.size(-1) must equal input_size', () => {
      throwsExactly(
        () => new LSTM(5, 4).forward(zeros([2, 3, 3])),
        'RangeError',
        'input.size(-1) must be equal to input_size. Expected 5, got 3',
      );
    });
    it('RNN input of 4 dimensions', () => {
      throwsExactly(
        () => new RNN(5, 4).forward(zeros([2, 3, 4, 5])),
        'RangeError',
        'RNN: Expected input to be 2D or 3D, got 4D tensor instead',
      );
    });
    it('LSTM and GRU input of 4 or 1 dimensions', () => {
      throwsExactly(() => new LSTM(5, 4).forward(zeros([2, 3, 4, 5])), 'RangeError',
        'LSTM: Expected input to be 2D or 3D, got 4D instead');
      throwsExactly(() => new GRU(5, 4).forward(zeros([5])), 'RangeError',
        'GRU: Expected input to be 2D or 3D, got 1D instead');
    });
    it('hidden size mismatch', () => {
      throwsExactly(
        () => new GRU(5, 10, 2).forward(zeros([4, 2, 5]), zeros([2, 3, 10])),
        'RangeError',
        'Expected hidden size (2, 2, 10), got [2, 3, 10]',
      );
    });
    it('LSTM hidden[0] and hidden[1] mismatch', () => {
      const lstm = new LSTM(5, 10, { projSize: 3 });
      throwsExactly(() => lstm.forward(zeros([4, 2, 5]), [zeros([1, 2, 10]), zeros([1, 2, 10])]),
        'RangeError', 'Expected hidden[0] size (1, 2, 3), got [1, 2, 10]');
      throwsExactly(() => lstm.forward(zeros([4, 2, 5]), [zeros([1, 2, 3]), zeros([1, 2, 3])]),
        'RangeError', 'Expected hidden[1] size (1, 2, 10), got [1, 2, 3]');
    });
    it('unbatched input with a 3-D hx', () => {
      throwsExactly(
        () => new RNN(5, 4).forward(zeros([3, 5]), zeros([1, 1, 4])),
        'RangeError',
        'For unbatched 2-D input, hx should also be 2-D but got 3-D tensor',
      );
    });
    it('batched input with a 2-D hx', () => {
      throwsExactly(
        () => new GRU(5, 4).forward(zeros([3, 2, 5]), zeros([1, 4])),
        'RangeError',
        'For batched 3-D input, hx should also be 3-D but got 2-D tensor',
      );
    });
    it('LSTM batched input with 2-D states', () => {
      throwsExactly(
        () => new LSTM(5, 4).forward(zeros([3, 2, 5]), [zeros([1, 4]), zeros([1, 2, 4])]),
        'RangeError',
        'For batched 3-D input, hx and cx should also be 3-D but got (2-D, 3-D) tensors',
      );
    });
    it('a sequence of length 0', () => {
      throwsExactly(() => new LSTM(5, 4).forward(zeros([0, 2, 5])), 'RangeError',
        'Expected sequence length to be larger than 0 in RNN');
    });
    it('an input that is not a tensor', () => {
      throwsExactly(() => new LSTM(5, 4).forward('hello'), 'TypeError',
        'input must be a Tensor or nested arrays of numbers, got string');
      throwsExactly(() => new GRU(5, 4).forward(null), 'TypeError',
        'input must be a Tensor or nested arrays of numbers, got null');
    });
    it('a Tensor whose shape disagrees with its data', () => {
      throwsExactly(() => new Tensor(new Float32Array(5), [2, 3]), 'RangeError',
        "shape '[2, 3]' is invalid for input of size 5");
    });
    it('ragged nested arrays', () => {
      throwsExactly(() => tensor([[1, 2], [3]]), 'RangeError', 'expected sequence of length 2 at dim 1 (got 1)');
    });
    it('an LSTM state that is not a pair', () => {
      throwsExactly(() => new LSTM(5, 4).forward(zeros([3, 2, 5]), zeros([1, 2, 4])), 'TypeError',
        'LSTM: hx must be a tuple [h0, c0] of two tensors');
    });
  });

  describe('cells', () => {
    it('input has inconsistent input_size', () => {
      throwsExactly(() => new RNNCell(5, 10).forward(zeros([3, 4])), 'RangeError',
        'input has inconsistent input_size: got 4 expected 5');
    });
    it('batch size of input and hidden differ', () => {
      throwsExactly(() => new GRUCell(5, 10).forward(zeros([3, 5]), zeros([2, 10])), 'RangeError',
        "Input batch size 3 doesn't match hidden0 batch size 2");
    });
    it('hidden0 has inconsistent hidden_size', () => {
      throwsExactly(() => new RNNCell(5, 10).forward(zeros([3, 5]), zeros([3, 7])), 'RangeError',
        'hidden0 has inconsistent hidden_size: got 7, expected 10');
    });
    it('a state of the other rank: torch 2.x unsqueezes it with the input, then its size checks speak', () => {
      throwsExactly(() => new GRUCell(5, 10).forward(zeros([5]), zeros([2, 10])), 'RangeError',
        'hidden0 has inconsistent hidden_size: got 2, expected 10');
      throwsExactly(() => new RNNCell(5, 10).forward(zeros([3, 5]), zeros([10])), 'RangeError',
        "Input batch size 3 doesn't match hidden0 batch size 10");
      throwsExactly(() => new RNNCell(5, 10).forward(zeros([3, 5]), zeros([3])), 'RangeError',
        'Dimension out of range (expected to be in range of [-1, 0], but got 1)');
      throwsExactly(() => new LSTMCell(5, 10).forward(zeros([5]), [zeros([1, 10]), zeros([10])]), 'RangeError',
        'hidden0 has inconsistent hidden_size: got 1, expected 10');
      // Where torch would go on to broadcast a 3-D state, it is refused.
      throwsExactly(() => new RNNCell(5, 10).forward(zeros([5]), zeros([10, 10])), 'RangeError',
        'For unbatched 1-D input, hx should also be 1-D but got 2-D tensor');
    });
    it('LSTMCell cx with inconsistent hidden_size', () => {
      throwsExactly(() => new LSTMCell(5, 10).forward(zeros([3, 5]), [zeros([3, 10]), zeros([3, 7])]), 'RangeError',
        'hidden1 has inconsistent hidden_size: got 7, expected 10');
    });
    it('cell input of 3 dimensions', () => {
      throwsExactly(() => new LSTMCell(5, 10).forward(zeros([1, 3, 5])), 'RangeError',
        'LSTMCell: Expected input to be 1D or 2D, got 3D instead');
    });
  });

  describe('state dicts', () => {
    it('size mismatch', () => {
      const lstm = new LSTM(5, 10);
      const sd = lstm.stateDict();
      sd.weight_ih_l0 = randn([40, 3]);
      assert.throws(() => lstm.loadStateDict(sd), {
        name: 'Error',
        message:
          'Error(s) in loading state_dict for LSTM:\n\tsize mismatch for weight_ih_l0: copying a param with shape ' +
          '[40, 3] from checkpoint, the shape in current model is [40, 5].',
      });
    });
    it('missing and unexpected keys', () => {
      const gru = new GRU(5, 10);
      const sd = gru.stateDict();
      delete sd.bias_hh_l0;
      sd.foo = zeros([1]);
      assert.throws(() => gru.loadStateDict(sd), {
        name: 'Error',
        message:
          'Error(s) in loading state_dict for GRU:\n\tMissing key(s) in state_dict: "bias_hh_l0". \n\t' +
          'Unexpected key(s) in state_dict: "foo". ',
      });
    });
    it('a failed load changes nothing', () => {
      const rnn = new RNN(3, 4);
      const before = rnn.stateDict();
      const sd = rnn.stateDict();
      for (const t of Object.values(sd)) t.data.fill(7);
      sd.weight_hh_l0 = zeros([4, 5]);
      assert.throws(() => rnn.loadStateDict(sd));
      for (const [name, t] of rnn.namedParameters()) assert.deepEqual(t.data, before[name].data);
    });
  });

  it('setNumThreads needs a positive integer', () => {
    throwsExactly(() => setNumThreads(0), 'RangeError', 'Expected positive number of threads');
    throwsExactly(() => setNumThreads('2'), 'TypeError', "set_num_threads(): argument 'int' must be int, not str");
  });
});
