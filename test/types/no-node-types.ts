// User code in a project without @types/node (test/33): the published declarations alone.
import { LSTM, Linear, tensor } from 'rnn-blas';

const lstm = new LSTM(2, 3);
const [output] = lstm.forward(tensor([[[1, 2]]]));
export const width: number = new Linear(3, 1).forward(output).shape[2];
