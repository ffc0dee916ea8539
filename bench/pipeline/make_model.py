#!/usr/bin/python3
"""The benchmark's encoder: Embedding(5000, 64) -> bidirectional LSTM(64, 128), seeded, as
torch.save writes its state dict (embedding.*, rnn.*).  make_model.py OUTPUT.pt"""
import sys

import torch

torch.manual_seed(0)
embedding = torch.nn.Embedding(5000, 64)
lstm = torch.nn.LSTM(64, 128, bidirectional=True)
state = {'embedding.' + k: v for k, v in embedding.state_dict().items()}
state.update({'rnn.' + k: v for k, v in lstm.state_dict().items()})
torch.save(state, sys.argv[1])
