#!/usr/bin/python3
"""PyTorch doing what `rnn-blas run` does, as a user would write it without a DataLoader:
read JSONL line by line, batch by a token budget with the lengths sorted inside a window,
embed, pack, LSTM, take torch.cat([h_n[-2], h_n[-1]], 1), write the rows in input order to
a .npy (streamed: the row count is patched into the header at the end).

    torch_pipeline.py MODEL.pt INPUT.jsonl OUTPUT.npy THREADS BATCH_TOKENS WINDOW_BATCHES
"""
import json
import sys

import numpy as np
import numpy.lib.format as npformat
import torch


def main():
    model_path, input_path, output_path = sys.argv[1:4]
    threads, batch_tokens, window_batches = (int(v) for v in sys.argv[4:7])
    torch.set_num_threads(threads)
    state = torch.load(model_path)
    weight = state['embedding.weight']
    embedding = torch.nn.Embedding(weight.shape[0], weight.shape[1])
    embedding.load_state_dict({'weight': weight})
    hidden = state['rnn.weight_hh_l0'].shape[1]
    lstm = torch.nn.LSTM(weight.shape[1], hidden, bidirectional=True)
    lstm.load_state_dict({k[len('rnn.'):]: v for k, v in state.items() if k.startswith('rnn.')})
    embedding.eval()
    lstm.eval()
    width = 2 * hidden

    out = open(output_path, 'wb')
    header = {'descr': '<f4', 'fortran_order': False, 'shape': (0, width)}
    npformat.write_array_header_1_0(out, header)
    rows = 0

    def run_window(window):
        lengths = [len(s) for s in window]
        order = sorted(range(len(window)), key=lambda i: -lengths[i])
        result = torch.empty(len(window), width)
        start = 0
        while start < len(order):
            tokens = 0
            end = start
            while end < len(order) and (end == start or tokens + lengths[order[end]] <= batch_tokens):
                tokens += lengths[order[end]]
                end += 1
            members = order[start:end]
            padded = torch.nn.utils.rnn.pad_sequence([torch.tensor(window[i]) for i in members], batch_first=True)
            packed = torch.nn.utils.rnn.pack_padded_sequence(embedding(padded), [lengths[i] for i in members], batch_first=True)
            _, (h_n, _) = lstm(packed)
            result[members] = torch.cat([h_n[-2], h_n[-1]], 1)
            start = end
        return result

    window, window_tokens = [], 0
    with torch.inference_mode(), open(input_path) as source:
        for line in source:
            if not line.strip():
                continue
            record = json.loads(line)
            tokens = record['tokens'] if isinstance(record, dict) else record
            window.append(tokens)
            window_tokens += len(tokens)
            if window_tokens >= batch_tokens * window_batches:
                out.write(run_window(window).numpy().tobytes())
                rows += len(window)
                window, window_tokens = [], 0
        if window:
            out.write(run_window(window).numpy().tobytes())
            rows += len(window)
    header['shape'] = (rows, width)
    out.seek(0)
    npformat.write_array_header_1_0(out, header)  # same length: the count fits the padding
    out.close()


if __name__ == '__main__':
    main()
