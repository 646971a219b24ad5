"""Writes the reference files the Swift encoder tests compare against.

  models/reference/tokenizer.jsonl   {"group", "text", "ids"} per line; ids from the Hugging Face
                                     `tokenizers` package loading models/minilm/tokenizer.json,
                                     truncation at 256 tokens, no padding
  models/reference/embeddings.jsonl  {"text", "embedding"} per line from numpy_minilm.py (float64)

Usage: python make_reference.py <model_dir> <out_dir>
"""

import json
import os
import sys

from tokenizers import Tokenizer

import corpus
from numpy_minilm import NumpyMiniLM

MAX_TOKENS = 256


def write_jsonl(path, rows):
    tmp = path + ".partial"
    with open(tmp, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=True) + "\n")
    os.replace(tmp, path)


def tokenizer_reference(model_dir, out_dir):
    tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    groups = [("clinc", corpus.clinc_utterances()), ("generated", corpus.generated(1500)),
              ("sweep", corpus.sweep())]
    rows = []
    for name, texts in groups:
        encodings = tokenizer.encode_batch(texts)
        rows += [{"group": name, "text": t, "ids": e.ids} for t, e in zip(texts, encodings)]
        print(f"encoder-reference: tokenizer group {name}: {len(texts)} strings", file=sys.stderr)
    write_jsonl(os.path.join(out_dir, "tokenizer.jsonl"), rows)
    return len(rows)


def embedding_reference(model_dir, out_dir):
    model = NumpyMiniLM(model_dir, max_tokens=MAX_TOKENS)
    texts = corpus.embedding_sentences()
    rows = []
    for i in range(0, len(texts), 16):
        chunk = texts[i:i + 16]
        vectors = model.embed(chunk)
        rows += [{"text": t, "embedding": [float(x) for x in v]} for t, v in zip(chunk, vectors)]
    write_jsonl(os.path.join(out_dir, "embeddings.jsonl"), rows)
    return len(rows)


def main():
    model_dir, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    n = tokenizer_reference(model_dir, out_dir)
    print(f"encoder-reference: wrote {n} tokenizer references", file=sys.stderr)
    n = embedding_reference(model_dir, out_dir)
    print(f"encoder-reference: wrote {n} embedding references", file=sys.stderr)


if __name__ == "__main__":
    main()
