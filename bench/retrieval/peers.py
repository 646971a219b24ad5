#!/usr/bin/env python3
"""The peers of `bench-retrieval latency/reload` on the same synthetic entries and queries:
bm25s (lucene method, one field, PyStemmer English, English stopwords) and tantivy (three text
fields with its `en_stem` tokenizer, in-memory index, one writer thread). Prints Markdown rows:

| entries | engine | build s | p50 ms | p99 ms | mean ms | incremental ms |

Single-query latency is measured one query at a time, end to end (tokenizing the query
included), like the Swift side. Incremental = replace the 100 entries of one file and make them
searchable (bm25s has no incremental update, so it re-indexes everything).

    peers.py SIZE ENTRIES.jsonl QUERIES.jsonl
"""
import importlib.metadata
import json
import statistics
import sys
import time

import bm25s
import Stemmer
import tantivy


def percentile(values, p):
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(-(-p / 100 * len(ordered) // 1)) - 1))
    return ordered[rank]


def measure(queries, body):
    for q in queries[:50]:
        body(q)
    times = []
    for q in queries:
        start = time.perf_counter()
        body(q)
        times.append((time.perf_counter() - start) * 1000)
    return times


def row(size, engine, build, times, incremental):
    return (f"| {size} | {engine} | {build:.2f} | {percentile(times, 50):.3f} | {percentile(times, 99):.3f} | "
            f"{statistics.mean(times):.3f} | {incremental:.1f} |")


def bm25s_rows(size, entries, queries):
    stemmer = Stemmer.Stemmer("english")
    texts = [" ".join([e["question"], *e.get("alternates", []), e["answer"]]) for e in entries]

    def build():
        retriever = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
        retriever.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False)
        return retriever

    start = time.perf_counter()
    retriever = build()
    build_seconds = time.perf_counter() - start

    def search(q):
        tokens = bm25s.tokenize([q], stopwords="en", stemmer=stemmer, show_progress=False)
        retriever.retrieve(tokens, k=5, show_progress=False)

    times = measure(queries, search)
    start = time.perf_counter()
    build()
    rebuild_ms = (time.perf_counter() - start) * 1000
    print(row(size, f"bm25s {importlib.metadata.version('bm25s')}", build_seconds, times, rebuild_ms))


def tantivy_rows(size, entries, queries):
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("file", stored=False, tokenizer_name="raw")
    for name in ("question", "alternates", "answer"):
        builder.add_text_field(name, stored=False, tokenizer_name="en_stem")
    schema = builder.build()
    index = tantivy.Index(schema)

    def document(e):
        return tantivy.Document(
            id=e["id"], file=e["file"], question=e["question"], alternates=" ".join(e.get("alternates", [])),
            answer=e["answer"])

    start = time.perf_counter()
    writer = index.writer(heap_size=200_000_000, num_threads=1)
    for e in entries:
        writer.add_document(document(e))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    build_seconds = time.perf_counter() - start
    searcher = index.searcher()
    fields = ["question", "alternates", "answer"]

    def search(q):
        query = index.parse_query(q.replace("?", " ").replace("'", " "), fields)
        searcher.search(query, 5)

    times = measure(queries, search)
    first_file = entries[0]["file"]
    changed = [dict(e) for e in entries if e["file"] == first_file]
    changed[0]["question"] = "Where is the incremental parcel?"
    start = time.perf_counter()
    writer = index.writer(heap_size=200_000_000, num_threads=1)
    writer.delete_documents_by_term("file", first_file)
    for e in changed:
        writer.add_document(document(e))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    incremental_ms = (time.perf_counter() - start) * 1000
    print(row(size, f"tantivy {importlib.metadata.version('tantivy')}", build_seconds, times, incremental_ms))


def main():
    size = int(sys.argv[1])
    entries = [json.loads(line) for line in open(sys.argv[2]) if line.strip()]
    queries = [json.loads(line)["query"] for line in open(sys.argv[3]) if line.strip()]
    bm25s_rows(size, entries, queries)
    tantivy_rows(size, entries, queries)


if __name__ == "__main__":
    main()
