// @ts-check
'use strict';
// A character-level language model composed from rnn-blas modules, the same three layers
// as the PyTorch model that examples/addition/train.py trains:
//
//   Embedding(V, E) -> LSTM(E, H, numLayers, batchFirst) -> Linear(H, V)
//
// It is a Module subclass, as the PyTorch model is an nn.Module: its layers are its children,
// so the whole model loads from the safetensors file PyTorch's state_dict was written to
// (keys "embedding.*", "rnn.*", "head.*") in one strict loadStateDict, which refuses a
// missing or a stray key. Type-checked by `tsc -p examples`.
const fs = require('node:fs');
const path = require('node:path');
const { Embedding, LSTM, Linear, Module, PackedSequence, Tensor, packSequence, safetensors } = require('../../lib');

/**
 * @typedef {object} CharLSTMConfig
 * @property {string[]} vocab characters in index order
 * @property {number} embeddingDim E
 * @property {number} hiddenSize H
 * @property {number} numLayers
 */

/**
 * @typedef {object} LineScore
 * @property {string} line
 * @property {number} meanNll mean negative log-likelihood of every character after the first
 * @property {number} perplexity exp(meanNll)
 */

class CharLSTM extends Module {
  /** @param {CharLSTMConfig} config */
  constructor(config) {
    super();
    this.config = config;
    const vocabSize = config.vocab.length;
    this.embedding = new Embedding(vocabSize, config.embeddingDim);
    this.rnn = new LSTM(config.embeddingDim, config.hiddenSize, { numLayers: config.numLayers, batchFirst: true }).eval();
    this.head = new Linear(config.hiddenSize, vocabSize);
    /** @type {Map<string, number>} */
    this.index = new Map(config.vocab.map((char, i) => [char, i]));
  }

  /**
   * Reads `config.json` and `weights.safetensors` from a folder written by train.py.
   * @param {string} folder
   * @returns {CharLSTM}
   */
  static load(folder) {
    /** @type {CharLSTMConfig} */
    const config = JSON.parse(fs.readFileSync(path.join(folder, 'config.json'), 'utf8'));
    const model = new CharLSTM(config);
    model.loadStateDict(safetensors.loadFile(path.join(folder, 'weights.safetensors')));
    return model.eval();
  }

  /** @param {string} text @returns {number[]} */
  encode(text) {
    return [...text].map((char) => {
      const id = this.index.get(char);
      if (id === undefined) throw new RangeError(`character ${JSON.stringify(char)} is not in the vocabulary`);
      return id;
    });
  }

  /**
   * Per-line mean NLL and perplexity of each character given the true prefix, for lines of
   * any lengths: one packed pass through the three layers.
   * @param {string[]} lines
   * @returns {LineScore[]}
   */
  scoreLines(lines) {
    const ids = lines.map((line) => this.encode(line));
    const packedIds = packSequence(ids.map((seq) => new Tensor(Float32Array.from(seq), [seq.length])), { enforceSorted: false });
    const logits = this.packedLogits(packedIds);
    const vocab = this.config.vocab.length;
    const nll = new Float64Array(lines.length);
    // Packed row offset[t] + i is sorted sequence i at step t; it predicts character t+1.
    const order = /** @type {Int32Array} */ (packedIds.sortedIndices);
    let row = 0;
    packedIds.batchSizes.forEach((size, t) => {
      for (let i = 0; i < size; i++, row++) {
        const line = order[i];
        if (t + 1 < ids[line].length) nll[line] -= logSoftmaxAt(logits.data, row * vocab, vocab, ids[line][t + 1]);
      }
    });
    return lines.map((line, i) => {
      const meanNll = nll[i] / (ids[i].length - 1);
      return { line, meanNll, perplexity: Math.exp(meanNll) };
    });
  }

  /**
   * Logits (rows x V) for a packed batch of character ids.
   * @param {PackedSequence} ids
   * @returns {Tensor}
   */
  packedLogits(ids) {
    const embedded = this.embedding.forward(ids.data);
    const [output] = this.rnn.forward(new PackedSequence(embedded, ids.batchSizes, ids.sortedIndices, ids.unsortedIndices));
    return this.head.forward(output.data);
  }

  /**
   * Greedy completion of every prompt at once: the prompts run packed, then all of them
   * advance one character per step from their own LSTM state until '\n' or maxChars.
   * @param {string[]} prompts
   * @param {number} maxChars
   * @returns {string[]}
   */
  greedy(prompts, maxChars) {
    const end = this.config.vocab.indexOf('\n');
    const packed = packSequence(
      prompts.map((prompt) => new Tensor(Float32Array.from(this.encode(prompt)), [prompt.length])),
      { enforceSorted: false },
    );
    const embedded = this.embedding.forward(packed.data);
    let [, state] = this.rnn.forward(new PackedSequence(embedded, packed.batchSizes, packed.sortedIndices, packed.unsortedIndices));
    let next = this.topLayerLogits(state[0]).argmax(-1);
    const outputs = prompts.map(() => '');
    const done = prompts.map(() => false);
    for (let step = 0; step < maxChars && done.includes(false); step++) {
      next.data.forEach((id, i) => {
        if (done[i]) return;
        outputs[i] += this.config.vocab[Number(id)];
        if (Number(id) === end) done[i] = true;
      });
      const input = this.embedding.forward(next.unsqueeze(1)); // (N, 1) ids: one step
      [, state] = this.rnn.forward(input, state);
      next = this.topLayerLogits(state[0]).argmax(-1);
    }
    return outputs;
  }

  /**
   * Head output for the top layer's final h of each sequence (its last output).
   * @param {Tensor} hN (numLayers, N, H)
   * @returns {Tensor} (N, V)
   */
  topLayerLogits(hN) {
    return this.head.forward(hN.select(0, -1)); // torch: self.head(h_n[-1])
  }
}

/**
 * log softmax(row)[target] in float64, with the row's max subtracted for stability.
 * @param {Float32Array} values @param {number} offset @param {number} width @param {number} target
 */
function logSoftmaxAt(values, offset, width, target) {
  let max = -Infinity;
  for (let j = 0; j < width; j++) max = Math.max(max, values[offset + j]);
  let sum = 0;
  for (let j = 0; j < width; j++) sum += Math.exp(values[offset + j] - max);
  return values[offset + target] - max - Math.log(sum);
}

module.exports = { CharLSTM };
