// An encoder as plain data (sizes and weights), so that a worker thread can build its own
// copy: modules hold native state and cannot cross threads themselves.
import { Embedding } from '../modules/embedding';
import { GRU } from '../modules/gru';
import { Linear } from '../modules/linear';
import { LSTM } from '../modules/lstm';
import { RNN } from '../modules/rnn';
import type { RecurrentModuleMode } from '../modules/recurrent-base';
import { Tensor } from '../tensor';
import { SequenceEncoder } from './encoder';
import { Pooling } from './pooling';

type Weights = Record<string, { data: Float32Array; shape: number[] }>;

export interface EncoderRecipe {
  embedding: { numEmbeddings: number; embeddingDim: number; paddingIdx: number | null; weights: Weights } | null;
  rnn: {
    mode: RecurrentModuleMode;
    inputSize: number;
    hiddenSize: number;
    options: Record<string, unknown>;
    weights: Weights;
  };
  linear: { inFeatures: number; outFeatures: number; bias: boolean; weights: Weights } | null;
  pool: Pooling;
}

function weightsOf(module: { stateDict(): Record<string, Tensor> }): Weights {
  const out: Weights = {};
  for (const [name, tensor] of Object.entries(module.stateDict())) out[name] = { data: tensor.data, shape: [...tensor.shape] };
  return out;
}

function tensorsOf(weights: Weights): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, { data, shape }] of Object.entries(weights)) out[name] = new Tensor(data, shape);
  return out;
}

function linearRecipe(linear: Linear): NonNullable<EncoderRecipe['linear']> {
  const weights = weightsOf(linear);
  return { inFeatures: linear.inFeatures, outFeatures: linear.outFeatures, bias: 'bias' in weights, weights };
}

export function recipeOf(encoder: SequenceEncoder): EncoderRecipe {
  const { embedding, rnn, linear } = encoder;
  const options: Record<string, unknown> = { numLayers: rnn.numLayers, bias: rnn.bias, bidirectional: rnn.bidirectional };
  if (rnn instanceof LSTM) options.projSize = rnn.projSize;
  if (rnn instanceof RNN) options.nonlinearity = rnn.nonlinearity;
  return {
    embedding: embedding && {
      numEmbeddings: embedding.numEmbeddings,
      embeddingDim: embedding.embeddingDim,
      paddingIdx: embedding.paddingIdx,
      weights: weightsOf(embedding),
    },
    rnn: { mode: rnn.mode, inputSize: rnn.inputSize, hiddenSize: rnn.hiddenSize, options, weights: weightsOf(rnn) },
    linear: linear && linearRecipe(linear),
    pool: encoder.pool,
  };
}

export function encoderFromRecipe(recipe: EncoderRecipe): SequenceEncoder {
  const { embedding, rnn, linear } = recipe;
  const Recurrent = rnn.mode === 'LSTM' ? LSTM : rnn.mode === 'GRU' ? GRU : RNN;
  const recurrent = new (Recurrent as typeof LSTM)(rnn.inputSize, rnn.hiddenSize, rnn.options as never).eval();
  recurrent.loadStateDict(tensorsOf(rnn.weights));
  let lookup: Embedding | null = null;
  if (embedding) {
    lookup = new Embedding(embedding.numEmbeddings, embedding.embeddingDim, { paddingIdx: embedding.paddingIdx }).eval();
    lookup.loadStateDict(tensorsOf(embedding.weights));
  }
  let head: Linear | null = null;
  if (linear) {
    head = new Linear(linear.inFeatures, linear.outFeatures, { bias: linear.bias }).eval();
    head.loadStateDict(tensorsOf(linear.weights));
  }
  return new SequenceEncoder({ embedding: lookup, rnn: recurrent, linear: head, pool: recipe.pool });
}
