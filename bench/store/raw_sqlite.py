#!/usr/bin/env python3
"""Raw-SQLite peer for bench-store: the same inserts (and an export) with Python's sqlite3.

Usage:
  raw_sqlite.py DB single PAIRS             one transaction per user+bot pair, 1 writer
  raw_sqlite.py DB batched PAIRS BATCH [time-ordered]
                                            BATCH pairs per transaction, 1 writer; message ids
                                            random, or 48-bit ms timestamp + 80 random bits
  raw_sqlite.py DB export OUT               every message as a JSON Lines file

DB must already carry SupportBot's schema (bench-store creates it). Same PRAGMAs as the
store: WAL, synchronous = FULL, wal_autocheckpoint = 10000, foreign keys on.
Prints one number: pairs/s or seconds.
"""
import json
import os
import sqlite3
import sys
import time

# Keep in step with bench/store/Sources/BenchData.swift.
USER_TEXT = "Hi, where is my order #100234? It was due yesterday and the tracking page shows nothing."
BOT_TEXT = ("Orders usually ship within 2 business days. You can follow yours from the link in the "
            "confirmation e-mail; if it has not moved in 48 hours, reply here and an agent will check.")
SOURCES = ('[{"id":"shipping-times","title":"How long does shipping take?","file":"faqs/shipping.md",'
           '"score":0.8125},{"id":"tracking","title":"Tracking your parcel","file":"faqs/shipping.md","score":0.6}]')
CONVERSATIONS = 64
# The store's default StoreConfiguration.walAutocheckpointPages.
WAL_AUTOCHECKPOINT = 10000


def connect(path):
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("PRAGMA busy_timeout = 10000")
    con.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT}")
    return con


def make_conversations(con):
    now = int(time.time() * 1000)
    con.execute("INSERT INTO clients (name, role, created_at) VALUES ('peer', 'customer', ?)", (now,))
    client = con.execute("SELECT id FROM clients WHERE name = 'peer'").fetchone()[0]
    ids = [os.urandom(16).hex() for _ in range(CONVERSATIONS)]
    con.execute("BEGIN")
    for cid in ids:
        con.execute("INSERT INTO conversations (id, client_id, status, created_at, updated_at) "
                    "VALUES (?, ?, 'open', ?, ?)", (cid, client, now, now))
    con.execute("COMMIT")
    return ids


def random_id(now):
    return os.urandom(16).hex()


def time_ordered_id(now):
    return "%012x" % (now & 0xFFFFFFFFFFFF) + os.urandom(10).hex()


def insert_pair(con, conversation, make_id=random_id):
    now = int(time.time() * 1000)
    last = con.execute(
        "SELECT (SELECT coalesce(max(seq), 0) FROM messages WHERE conversation_id = ?1) "
        "FROM conversations WHERE id = ?1", (conversation,)).fetchone()[0]
    insert = ("INSERT INTO messages (id, conversation_id, seq, role, text, intent, confidence, route, "
              "sources, latency_us, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    con.execute(insert, (make_id(now), conversation, last + 1, "user", USER_TEXT,
                         None, None, None, None, None, now))
    con.execute(insert, (make_id(now), conversation, last + 2, "bot", BOT_TEXT,
                         "order_status", 0.93, "faq", SOURCES, 1500, now))
    con.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation))


def write(path, pairs, batch, make_id=random_id):
    con = connect(path)
    conversations = make_conversations(con)
    start = time.perf_counter()
    done = 0
    while done < pairs:
        con.execute("BEGIN IMMEDIATE")
        for _ in range(min(batch, pairs - done)):
            insert_pair(con, conversations[done % len(conversations)], make_id)
            done += 1
        con.execute("COMMIT")
    elapsed = time.perf_counter() - start
    print(f"{pairs / elapsed:.1f}")


def rfc3339(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".%03dZ" % (ms % 1000)


def export(path, out):
    con = connect(path)
    start = time.perf_counter()
    rows = con.execute(
        "SELECT m.id, m.conversation_id, m.seq, m.role, m.text, m.intent, m.confidence, m.route, "
        "m.sources, m.created_at FROM conversations c JOIN messages m ON m.conversation_id = c.id "
        "ORDER BY c.created_at, c.id, m.seq")
    with open(out, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps({
                "id": row[0], "conversation": row[1], "seq": row[2], "role": row[3], "text": row[4],
                "intent": row[5], "confidence": row[6], "route": row[7],
                "sources": json.loads(row[8]) if row[8] else [], "created_at": rfc3339(row[9]),
            }, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{time.perf_counter() - start:.3f}")


def main():
    path, mode = sys.argv[1], sys.argv[2]
    if mode == "single":
        write(path, int(sys.argv[3]), 1)
    elif mode == "batched":
        time_ordered = len(sys.argv) > 5 and sys.argv[5] == "time-ordered"
        write(path, int(sys.argv[3]), int(sys.argv[4]), time_ordered_id if time_ordered else random_id)
    elif mode == "export":
        export(path, sys.argv[3])
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
