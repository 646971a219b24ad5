#!/usr/bin/env python3
"""bm25s (PyPI) on the same FAQ entries and queries as `bench-retrieval eval`: one document per
entry (question, alternates and answer joined), the library's English stopwords and the
PyStemmer English (Snowball) stemmer, method "lucene" with k1 = 1.2, b = 0.75. Prints the same
metrics (MRR@10, P@1, Recall@5) on the same tuning / held-out split, as a Markdown table row.

    bm25s_eval.py ENTRIES.jsonl QUERIES.jsonl
"""
import json
import sys

import bm25s
import Stemmer


def held_out(text: str) -> bool:
    # Same split as Statistics.isHeldOut in bench-retrieval: FNV-1a 64 of the UTF-8 bytes, odd = held out.
    h = 0xCBF29CE484222325
    for byte in text.encode():
        h ^= byte
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h % 2 == 1


def quality(rankings, relevant):
    mrr = p1 = r5 = 0.0
    for ranking, wanted in zip(rankings, relevant):
        for rank, doc in enumerate(ranking[:10]):
            if doc in wanted:
                mrr += 1 / (rank + 1)
                break
        p1 += 1 if ranking and ranking[0] in wanted else 0
        r5 += len([d for d in ranking[:5] if d in wanted]) / len(wanted)
    n = max(len(rankings), 1)
    return f"{mrr / n:.3f} | {p1 / n:.3f} | {r5 / n:.3f}"


def main():
    entries = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    cases = [json.loads(line) for line in open(sys.argv[2]) if line.strip()]
    ids = [e["id"] for e in entries]
    texts = [" ".join([e["question"], *e.get("alternates", []), e["answer"]]) for e in entries]
    stemmer = Stemmer.Stemmer("english")
    retriever = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
    retriever.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False)
    queries = [c["query"] for c in cases]
    tokens = bm25s.tokenize(queries, stopwords="en", stemmer=stemmer, show_progress=False)
    results, _ = retriever.retrieve(tokens, k=min(10, len(ids)), show_progress=False)
    rankings = [[ids[i] for i in row] for row in results]
    relevant = [set(c["relevant"]) for c in cases]
    dev = [i for i, c in enumerate(cases) if not held_out(c["query"])]
    test = [i for i, c in enumerate(cases) if held_out(c["query"])]
    pick = lambda idx: ([rankings[i] for i in idx], [relevant[i] for i in idx])
    print(f"| bm25s {bm25s.__version__} (lucene, one field, PyStemmer) | {quality(*pick(dev))} | {quality(*pick(test))} |")


if __name__ == "__main__":
    main()
