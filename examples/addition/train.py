#!/usr/bin/python3
"""Trains the "addition" demo: a character-level LSTM language model of sums.

A human reads a normal equation, 482+39=521, but the model writes the answer digits
REVERSED, least significant first: the line it learns and generates is

    482+39=125\n

(operands as usual, then the sum's digits reversed, then '\n'). Reversing the answer is a
known trick that makes addition much easier for an LSTM: each answer digit then depends
only on the digits already seen plus a carry it has just produced. In a trial here
(4000 steps, batch 64, loss on the answer only) the held-out exact match was 44 % with the
plain answer and 99.8 % with the reversed one. Demos show the equation the normal way by
reversing the generated digits back (display_answer).

Model:   embedding = nn.Embedding(13, 32); rnn = nn.LSTM(32, 128, num_layers=2,
         batch_first=True); head = nn.Linear(128, 13): next-character prediction.
Data:    generated here. Each operand gets 1, 2 or 3 digits with probabilities 0.1, 0.2,
         0.7, then a uniform value of that many digits (0..9, 10..99 or 100..999), written
         without leading zeros. About 10 % of all (a, b) pairs, chosen by a hash of the
         pair (held_out), never occur in training.
Loss:    cross-entropy on every character after the first one of the whole line
         (operands, '+', '=', the reversed answer and the final '\n'), so the model is a
         proper language model of the lines. Only the answer is predictable: the operand
         digits are random by construction, which keeps the whole-line loss above ~1.
Outputs: examples/addition/model/{weights.safetensors, config.json, reference.json}.

Run (Debian's python3-torch lives under /usr/bin/python3):

    /usr/bin/python3 examples/addition/train.py                                # full run
    /usr/bin/python3 examples/addition/train.py --steps 50 --out /tmp/addition  # smoke test
"""
import os

# PyTorch's own intra-op threads (OpenMP) and OpenBLAS's pthreads spin against each other
# on 2 cores (a training step was 3x slower); let torch own the 2 threads.
os.environ['OPENBLAS_NUM_THREADS'] = '1'

import argparse
import hashlib
import json
import math
import platform
import random
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- configuration
SEED = 1234
VOCAB = list('0123456789+=\n')        # index order; '\n' ends a line (no start token)
EMBEDDING_DIM = 32
HIDDEN_SIZE = 128
NUM_LAYERS = 2
MAX_OPERAND = 999
LINE_FORMAT = '{a}+{b}={reversed digits of a+b}\\n'   # decimal, no leading zeros
DISPLAY_FORMAT = '{a}+{b}={a+b}'
HELD_OUT_MODULUS = 10                # ~1/10 of the pairs are held out
STEPS = 9000
BATCH_SIZE = 64
LEARNING_RATE = 5e-3                 # Adam; linear warm-up, then cosine decay to 0
WARMUP_STEPS = 200
GRAD_CLIP = 1.0
LOG_EVERY = 500
THREADS = 2
MAX_DECODE_CHARS = 6                 # greedy decoding stops at '\n' or after this many chars

STOI = {c: i for i, c in enumerate(VOCAB)}
END = STOI['\n']
PAD = -100                           # ignore_index of the loss (targets only)


class AdditionLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(len(VOCAB), EMBEDDING_DIM)
        self.rnn = nn.LSTM(EMBEDDING_DIM, HIDDEN_SIZE, num_layers=NUM_LAYERS, batch_first=True)
        self.head = nn.Linear(HIDDEN_SIZE, len(VOCAB))
        with torch.no_grad():               # forget-gate bias 1 (gate order i, f, g, o)
            for layer in range(NUM_LAYERS):
                getattr(self.rnn, f'bias_ih_l{layer}')[HIDDEN_SIZE:2 * HIDDEN_SIZE].fill_(1.0)
                getattr(self.rnn, f'bias_hh_l{layer}')[HIDDEN_SIZE:2 * HIDDEN_SIZE].zero_()

    def forward(self, x, state=None):
        out, state = self.rnn(self.embedding(x), state)
        return self.head(out), state


# ---------------------------------------------------------------- data
def line(a, b):
    """The text the model learns: '482+39=125\\n' for 482 + 39 = 521 (answer reversed)."""
    return f'{a}+{b}={str(a + b)[::-1]}\n'


def prompt_of(a, b):
    return f'{a}+{b}='


def display_answer(generated):
    """Model output after '=' (reversed digits, maybe ending in '\\n') -> normal order."""
    return generated.rstrip('\n')[::-1]


def held_out(a, b):
    """A pair is held out iff the first 4 bytes of sha256("<seed>:<a>+<b>") (ASCII), read
    as a big-endian unsigned integer, are divisible by HELD_OUT_MODULUS."""
    digest = hashlib.sha256(f'{SEED}:{a}+{b}'.encode('ascii')).digest()
    return int.from_bytes(digest[:4], 'big') % HELD_OUT_MODULUS == 0


def held_out_mask():
    mask = np.zeros((MAX_OPERAND + 1, MAX_OPERAND + 1), dtype=bool)
    for a in range(MAX_OPERAND + 1):
        for b in range(MAX_OPERAND + 1):
            mask[a, b] = held_out(a, b)
    return mask


RANGES = [(0, 9), (10, 99), (100, 999)]
DIGIT_WEIGHTS = [0.1, 0.2, 0.7]      # operand digit-count probabilities (1, 2, 3 digits)


def sample_operand(rng):
    u = rng.random()
    d = 0 if u < DIGIT_WEIGHTS[0] else 1 if u < DIGIT_WEIGHTS[0] + DIGIT_WEIGHTS[1] else 2
    lo, hi = RANGES[d]
    return rng.randint(lo, hi)


def sample_pair(rng, mask, want_held_out):
    while True:
        a, b = sample_operand(rng), sample_operand(rng)
        if mask[a, b] == want_held_out:
            return a, b


CODES = np.full(256, -1, dtype=np.int64)
for _i, _c in enumerate(VOCAB):
    CODES[ord(_c)] = _i


def encode_batch(lines):
    """Inputs: every char but the last; targets: every char but the first (PAD beyond).
    Also returns the answer-only targets: PAD except the answer digits and the final '\n'."""
    width = max(len(s) for s in lines)
    raw = np.frombuffer(''.join(s.ljust(width, '\n') for s in lines).encode('ascii'), dtype=np.uint8)
    ids = torch.from_numpy(CODES[raw].reshape(len(lines), width))
    lengths = torch.tensor([len(s) for s in lines]).unsqueeze(1)
    equals = torch.tensor([s.index('=') for s in lines]).unsqueeze(1)
    pos = torch.arange(width - 1).unsqueeze(0)
    x = ids[:, :-1].contiguous()              # input padding ('\n') is never read
    y = ids[:, 1:].masked_fill(pos >= lengths - 1, PAD)
    ya = y.masked_fill(pos < equals, PAD)     # target at position index('=') is the first answer char
    return x, y, ya


# ---------------------------------------------------------------- evaluation
@torch.no_grad()
def exact_match(model, pairs, batch=4096):
    """Greedy exact-match accuracy, computed in one teacher-forced pass: greedy decoding
    reproduces the answer iff the argmax at every answer position (and at the final '\n')
    is the true character, given the true prefix."""
    correct = []
    for k in range(0, len(pairs), batch):
        lines = [line(a, b) for a, b in pairs[k:k + batch]]
        x, y, ya = encode_batch(lines)
        pred = model(x)[0].argmax(-1)
        ok = (pred == ya) | (ya == PAD)
        correct.append(ok.all(dim=1))
    return torch.cat(correct)


@torch.no_grad()
def greedy(model, prompt):
    x = torch.tensor([[STOI[c] for c in prompt]])
    logits, state = model(x)
    out = ''
    while len(out) < MAX_DECODE_CHARS:
        nxt = int(logits[0, -1].argmax())
        out += VOCAB[nxt]
        if nxt == END:
            break
        logits, state = model(torch.tensor([[nxt]]), state)
    return out


@torch.no_grad()
def line_nll(model64, s):
    """Mean NLL (float64) of predicting every char after the first, given its prefix."""
    ids = torch.tensor([[STOI[c] for c in s]])
    logits = model64(ids[:, :-1])[0][0]
    nll = F.cross_entropy(logits, ids[0, 1:], reduction='none')
    return float(nll.mean())


# ---------------------------------------------------------------- safetensors
def encode_safetensors(state_dict, metadata):
    """All F32: tensors in sorted-name (UTF-8 byte) order, contiguous offsets from 0,
    compact JSON header ("__metadata__" first) padded with spaces to a multiple of 8."""
    assert sys.byteorder == 'little'
    names = sorted(state_dict, key=lambda n: n.encode('utf-8'))
    header = {'__metadata__': metadata}
    chunks, offset = [], 0
    for name in names:
        t = state_dict[name].detach().contiguous()
        assert t.dtype == torch.float32
        raw = t.numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
        offset += len(raw)
        chunks.append(raw)
    text = json.dumps(header, separators=(',', ':'), ensure_ascii=False).encode('utf-8')
    text += b' ' * ((8 - len(text) % 8) % 8)
    return struct.pack('<Q', len(text)) + text + b''.join(chunks)


def decode_safetensors(data):
    n = struct.unpack('<Q', data[:8])[0]
    header = json.loads(data[8:8 + n].decode('utf-8'))
    header.pop('__metadata__', None)
    body = data[8 + n:]
    return {name: torch.from_numpy(np.frombuffer(body[e['data_offsets'][0]:e['data_offsets'][1]], dtype='<f4')
                                   .reshape(e['shape']).copy()) for name, e in header.items()}


# ---------------------------------------------------------------- main
def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--steps', type=int, default=STEPS)
    parser.add_argument('--out', default=os.path.join(HERE, 'model'))
    args = parser.parse_args()
    steps = args.steps

    torch.set_num_threads(THREADS)
    torch.manual_seed(SEED)
    random.seed(SEED)
    torch.use_deterministic_algorithms(True)

    t0 = time.time()
    mask = held_out_mask()
    print(f'held-out pairs: {int(mask.sum())} of {mask.size} ({time.time() - t0:.1f}s)', flush=True)

    model = AdditionLM()
    n_params = sum(p.numel() for p in model.parameters())
    print(f'parameters: {n_params} ({n_params * 4 / 1e6:.3f} MB as float32)', flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)

    def lr_at(step):
        if step < WARMUP_STEPS:
            return LEARNING_RATE * (step + 1) / WARMUP_STEPS
        p = (step - WARMUP_STEPS) / max(1, steps - WARMUP_STEPS)
        return LEARNING_RATE * 0.5 * (1 + math.cos(math.pi * p))

    train_rng = random.Random(SEED)
    t_train = time.time()
    run_loss = run_ans = 0.0
    run_n = 0
    last_loss = last_answer_loss = float('nan')
    model.train()
    for step in range(steps):
        lines = [line(*sample_pair(train_rng, mask, False)) for _ in range(BATCH_SIZE)]
        x, y, ya = encode_batch(lines)
        logits = model(x)[0]
        loss = F.cross_entropy(logits.reshape(-1, len(VOCAB)), y.reshape(-1), ignore_index=PAD)
        for g in opt.param_groups:
            g['lr'] = lr_at(step)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP)
        opt.step()
        with torch.no_grad():
            ans = F.cross_entropy(logits.reshape(-1, len(VOCAB)), ya.reshape(-1), ignore_index=PAD)
        run_loss += float(loss)
        run_ans += float(ans)
        run_n += 1
        if (step + 1) % LOG_EVERY == 0 or step + 1 == steps:
            last_loss, last_answer_loss = run_loss / run_n, run_ans / run_n
            print(f'step {step + 1:5d}  loss {last_loss:.4f}  answer loss {last_answer_loss:.4f}  '
                  f'lr {lr_at(step):.2e}  {time.time() - t_train:6.1f}s', flush=True)
            run_loss = run_ans = 0.0
            run_n = 0
    train_seconds = time.time() - t_train
    model.eval()

    # Round-trip the weights through the file, so every number below comes from exactly
    # the float32 values the Node side will load.
    os.makedirs(args.out, exist_ok=True)
    state = {k: v.float() for k, v in model.state_dict().items()}
    blob = encode_safetensors(state, {'format': 'pt'})
    with open(os.path.join(args.out, 'weights.safetensors'), 'wb') as f:
        f.write(blob)
    loaded = decode_safetensors(blob)
    assert set(loaded) == set(state) and all(torch.equal(loaded[k], state[k]) for k in state)
    model = AdditionLM()
    model.load_state_dict(loaded)
    model.eval()
    model64 = AdditionLM()
    model64.load_state_dict(loaded)
    model64.double().eval()

    # Held-out accuracy over every held-out pair, and by operand digit counts.
    all_held = [(int(a), int(b)) for a, b in zip(*np.nonzero(mask))]
    ok = exact_match(model, all_held)
    accuracy = float(ok.float().mean())
    by_digits = {}
    for (a, b), good in zip(all_held, ok.tolist()):
        key = f'{len(str(a))}+{len(str(b))}'
        c = by_digits.setdefault(key, [0, 0])
        c[0] += good
        c[1] += 1
    by_digits = {k: {'correct': v[0], 'total': v[1], 'accuracy': v[0] / v[1]} for k, v in sorted(by_digits.items())}
    tr_rng = random.Random(SEED + 2)
    train_sample = [sample_pair(tr_rng, mask, False) for _ in range(10000)]
    train_accuracy = float(exact_match(model, train_sample).float().mean())
    print(f'held-out exact match (all held-out pairs, greedy): {int(ok.sum())}/{len(all_held)} = {accuracy:.5f}  '
          f'({time.time() - t0:.1f}s since start)', flush=True)
    print('  by operand digits: ' + ', '.join(f'{k} {v["accuracy"]:.4f}' for k, v in by_digits.items()))
    print(f'train-distribution exact match (10000 training pairs): {train_accuracy:.4f}', flush=True)

    # reference.json
    ref_rng = random.Random(SEED + 1)
    ppl_items = []
    for _ in range(64):
        a, b = sample_pair(ref_rng, mask, True)
        text = line(a, b)
        nll = line_nll(model64, text)
        ppl_items.append({'line': text, 'equation': f'{a}+{b}={a + b}', 'meanNll': nll,
                          'perplexity': math.exp(nll)})
    mean_ppl = math.exp(sum(it['meanNll'] for it in ppl_items) / len(ppl_items))

    greedy_items = []
    n_correct = 0
    for _ in range(200):
        a, b = sample_pair(ref_rng, mask, True)
        prompt = prompt_of(a, b)
        out = greedy(model, prompt)
        assert greedy(model64, prompt) == out, prompt
        expected = line(a, b)[len(prompt):]
        good = out == expected
        n_correct += good
        greedy_items.append({'prompt': prompt, 'output': out, 'expected': expected,
                             'answer': display_answer(out), 'expectedAnswer': str(a + b), 'correct': good})
    greedy_accuracy = n_correct / len(greedy_items)
    pairs = [tuple(int(v) for v in it['prompt'][:-1].split('+')) for it in greedy_items]
    assert exact_match(model, pairs).tolist() == [it['correct'] for it in greedy_items]
    print(f'reference: 64 held-out lines, exp(mean of meanNll) {mean_ppl:.4f}; '
          f'greedy {n_correct}/{len(greedy_items)} correct', flush=True)

    logit_items = []
    for a, b in [(482, 39), (7, 5), (999, 999)]:
        prompt = prompt_of(a, b)
        with torch.no_grad():
            logits = model64(torch.tensor([[STOI[c] for c in prompt]]))[0][0, -1]
        logit_items.append({'prompt': prompt, 'heldOut': bool(mask[a, b]),
                            'logits': [float(v) for v in logits],
                            'argmax': VOCAB[int(logits.argmax())],
                            'greedyOutput': greedy(model, prompt)})

    reference = {
        'description': 'PyTorch numbers for examples/addition/model/weights.safetensors '
                       '(lines hold the answer digits reversed, see config.json)',
        'torchVersion': torch.__version__,
        'vocab': VOCAB,
        'perplexity': {
            'dtype': 'float64',
            'definition': 'per line (including its final newline): meanNll = mean over every char after the '
                          'first of -log_softmax(logits)[char], given the true prefix and a zero initial state; '
                          'perplexity = exp(meanNll); model.double() loaded from the float32 weights',
            'lines': ppl_items,
        },
        'greedy': {
            'dtype': 'float32 (model.double() gives the same outputs)',
            'definition': 'feed the prompt from a zero state, then repeatedly append the argmax char; stop '
                          f"after '\\n' or {MAX_DECODE_CHARS} chars; output includes the final '\\n'; "
                          'answer = output without the newline, reversed; correct = (output == expected)',
            'maxChars': MAX_DECODE_CHARS,
            'items': greedy_items,
            'correct': n_correct,
            'accuracy': greedy_accuracy,
        },
        'firstStepLogits': {
            'dtype': 'float64',
            'definition': 'head output at the last prompt position (the logits of the first answer char, '
                          'i.e. the units digit), zero initial state, model.double()',
            'items': logit_items,
        },
    }
    with open(os.path.join(args.out, 'reference.json'), 'w') as f:
        json.dump(reference, f, indent=1)
        f.write('\n')

    config = {
        'task': 'addition',
        'vocab': VOCAB,
        'vocabSize': len(VOCAB),
        'embeddingDim': EMBEDDING_DIM,
        'hiddenSize': HIDDEN_SIZE,
        'numLayers': NUM_LAYERS,
        'batchFirst': True,
        'architecture': f'embedding = nn.Embedding({len(VOCAB)}, {EMBEDDING_DIM}); '
                        f'rnn = nn.LSTM({EMBEDDING_DIM}, {HIDDEN_SIZE}, num_layers={NUM_LAYERS}, batch_first=True); '
                        f'head = nn.Linear({HIDDEN_SIZE}, {len(VOCAB)}); logits = head(rnn(embedding(ids))[0])',
        'lineFormat': LINE_FORMAT,
        'displayFormat': DISPLAY_FORMAT,
        'answerReversed': True,
        'example': {'line': line(482, 39), 'display': '482+39=521'},
        'promptFormat': '{a}+{b}=',
        'maxDecodeChars': MAX_DECODE_CHARS,
        'maxOperand': MAX_OPERAND,
        'specialTokens': {'end': '\n', 'start': None},
        'operandSampling': 'each operand: 1, 2 or 3 digits with probabilities '
                           f'{DIGIT_WEIGHTS[0]}, {DIGIT_WEIGHTS[1]}, {DIGIT_WEIGHTS[2]}, then uniform in '
                           '0..9, 10..99 or 100..999; no leading zeros',
        'heldOut': {
            'rule': f'pair (a, b) is held out iff int.from_bytes(sha256(f"{SEED}:{{a}}+{{b}}".encode()).digest()[:4], '
                    f'"big") % {HELD_OUT_MODULUS} == 0; held-out pairs never occur in training',
            'pairs': len(all_held),
        },
        'training': {
            'seed': SEED,
            'steps': steps,
            'batchSize': BATCH_SIZE,
            'optimizer': 'Adam',
            'learningRate': LEARNING_RATE,
            'schedule': f'linear warm-up over {WARMUP_STEPS} steps, then cosine decay to 0',
            'gradClip': GRAD_CLIP,
            'init': 'PyTorch defaults, except LSTM forget-gate biases: bias_ih 1, bias_hh 0',
            'loss': "cross-entropy on every char after the first of the whole line "
                    "(operands, '+', '=', reversed answer, final newline)",
            'finalTrainLoss': last_loss,
            'finalTrainAnswerLoss': last_answer_loss,
            'finalLossWindowSteps': LOG_EVERY,
            'heldOutAccuracy': accuracy,
            'heldOutAccuracyDefinition': 'greedy exact match (answer and final newline) over every held-out pair',
            'heldOutAccuracyByDigits': by_digits,
            'trainDistributionAccuracy': train_accuracy,
            'referenceGreedyAccuracy': greedy_accuracy,
            'referenceMeanPerplexity': mean_ppl,
            'trainSeconds': round(train_seconds, 1),
            'threads': THREADS,
            'torchVersion': torch.__version__,
            'python': platform.python_version(),
        },
        'parameters': n_params,
        'weights': 'weights.safetensors',
    }
    with open(os.path.join(args.out, 'config.json'), 'w') as f:
        json.dump(config, f, indent=1)
        f.write('\n')
    print(f'wrote {args.out}: weights.safetensors ({len(blob)} bytes), config.json, reference.json; '
          f'total {time.time() - t0:.1f}s', flush=True)


if __name__ == '__main__':
    main()
