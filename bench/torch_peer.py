"""PyTorch peer of bench/run.js: times torch.nn's RNN/LSTM/GRU on the grid's shapes.

Reads a JSON job on stdin: {"threads": [1, 2], "budget": {...timing.js budget...},
"trials": [{name, mode, inputSize, hiddenSize, numLayers, bidirectional, steps, batch,
lengths?}]}; a trial with "lengths" is timed as a PackedSequence (packed once, outside the
timing, enforce_sorted=False, as bench/run.js does for ours). Writes one JSON object on
stdout: {"version": torch.__version__, "results": {"<threads>": {"<name>": {medianMs, bestMs, repeats}}}}.
Weights are torch's own random ones: only the shapes matter for timing.
"""
import json
import statistics
import sys
import time

import torch



def set_blas_threads(threads):
    """Debian's torch multiplies with OpenBLAS, whose own thread pool torch.set_num_threads
    does not bound: without this, "1 thread" ran its GEMMs on every core."""
    import ctypes
    for name in ("libopenblas.so.0", "libopenblasp-r0.so", "libblas.so.3"):
        try:
            ctypes.CDLL(name).openblas_set_num_threads(threads)
            return True
        except (OSError, AttributeError):
            continue
    return False

def create_module(trial):
    kwargs = dict(num_layers=trial["numLayers"], bidirectional=trial["bidirectional"])
    size = (trial["inputSize"], trial["hiddenSize"])
    mode = trial["mode"]
    if mode == "LSTM":
        return torch.nn.LSTM(*size, **kwargs)
    if mode == "GRU":
        return torch.nn.GRU(*size, **kwargs)
    if mode in ("RNN_TANH", "RNN_RELU"):
        return torch.nn.RNN(*size, nonlinearity=mode[4:].lower(), **kwargs)
    raise ValueError(f"unknown mode {mode}")


def time_calls(call, budget):
    """Same policy as bench/timing.js: warm-up, then repeats sized by the last warm-up call."""
    warmup_start = time.perf_counter()
    while True:
        start = time.perf_counter()
        call()
        last_ms = (time.perf_counter() - start) * 1000
        if (time.perf_counter() - warmup_start) * 1000 >= budget["warmupMs"]:
            break
    repeats = max(budget["minRepeats"], min(budget["maxRepeats"], int(budget["budgetMs"] // max(last_ms, 1e-3))))
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return {"medianMs": statistics.median(samples), "bestMs": min(samples), "repeats": repeats}


def main():
    job = json.load(sys.stdin)
    torch.manual_seed(0)
    prepared = []
    for trial in job["trials"]:
        module = create_module(trial).eval()
        inputs = torch.randn(trial["steps"], trial["batch"], trial["inputSize"])
        if trial.get("lengths"):
            inputs = torch.nn.utils.rnn.pack_padded_sequence(
                inputs, torch.tensor(trial["lengths"]), enforce_sorted=False)
        prepared.append((trial["name"], module, inputs))

    results = {}
    with torch.no_grad():
        for threads in job["threads"]:
            torch.set_num_threads(threads)
            set_blas_threads(threads)
            per_trial = results[str(threads)] = {}
            for name, module, inputs in prepared:
                per_trial[name] = time_calls(lambda: module(inputs), job["budget"])
    json.dump({"version": torch.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
