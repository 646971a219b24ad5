"""Peer for bench/encoder: the NumPy reference model (float32) on the benchmark batch.

Texts are sorted by token count and run in padded batches of 64, the way sentence-transformers
batches. Prints one JSON object: {"threads", "sentences", "seconds", "sentences_per_second"}.
Set OPENBLAS_NUM_THREADS before starting Python to choose NumPy's BLAS threads.

Usage: python bench_numpy.py <model_dir> [count] [repeats, default 2]
"""

import json
import os
import sys
import time

import numpy as np

import corpus
from numpy_minilm import NumpyMiniLM


def main():
    model_dir = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    texts = corpus.clinc_test_batch(count)
    model = NumpyMiniLM(model_dir, dtype=np.float32)
    lengths = [len(e.ids) for e in model.tokenizer.encode_batch(texts)]
    order = sorted(range(len(texts)), key=lambda i: lengths[i])

    def run():
        out = [None] * len(texts)
        for start in range(0, len(order), 64):
            chunk = order[start:start + 64]
            vectors = model.embed([texts[i] for i in chunk])
            for i, v in zip(chunk, vectors):
                out[i] = v
        return out

    model.embed(texts[:64])  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    seconds = sorted(times)[len(times) // 2]
    print(json.dumps({
        "threads": int(os.environ.get("OPENBLAS_NUM_THREADS", "0")),
        "sentences": len(texts),
        "seconds": seconds,
        "sentences_per_second": len(texts) / seconds,
    }))


if __name__ == "__main__":
    main()
