"""Deterministic test strings for the tokenizer and encoder references.

Three groups:
  clinc      real customer-support utterances from CLINC150 (read in place)
  generated  synthetic strings that stress the BERT normaliser and pre-tokeniser: punctuation,
             accents, emoji, CJK, very long words, URLs, control and odd whitespace, numbers,
             special-token look-alikes, texts longer than the 256-token limit
  sweep      every code point of planes 0-2 and 14 (no surrogates), each wrapped as "a<c>b",
             so every character class decision (control, whitespace, punctuation, CJK, accent,
             lower-casing) is compared against the Hugging Face tokenizer
"""

import json
import os
import random

CLINC_PATH = os.environ.get("CLINC150_DATA", "/work/shared/datasets/clinc150/data_full.json")


def clinc_utterances(path=CLINC_PATH):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    texts = [t for t, _ in data["test"][::3]]
    texts += [t for t, _ in data["oos_test"][::5]]
    texts += [t for t, _ in data["train"][::40]]
    return texts


def clinc_test_batch(count=1000, path=CLINC_PATH):
    """The benchmark batch: the first `count` in-scope test utterances, in file order."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return [t for t, _ in data["test"][:count]]


WORDS = [
    "refund", "order", "café", "naïve", "Ångström", "Straße", "résumé", "jalapeño", "Zürich",
    "façade", "coöperate", "Øresund", "Łódź", "İstanbul", "ΑΘΗΝΑ", "Ελληνικά", "русский",
    "Ünïcödé", "ﬁnance", "ＦＵＬＬＷＩＤＴＨ", "account", "password", "transfer", "balance",
    "hello", "world", "can't", "won't", "it's", "O'Brien", "e-mail", "co-operate", "3rd",
    "東京", "中文字符", "日本語のテキスト", "カタカナ", "한국어", "ภาษาไทย", "العربية", "עברית",
    "हिन्दी", "tiếng Việt", "Ǆemal", "ǅ", "ß", "ẞ", "ǈ", "ΣΊΣΥΦΟΣ", "ĲSSEL", "Ⅻ", "①②",
    "x²", "½", "µs", "°C", "€100", "£5", "¥300", "₹20", "$19.99", "©2024", "™", "§4",
]

EMOJI = [
    "😀", "🥰", "👍🏽", "👨‍👩‍👧‍👦", "🇫🇷", "❤️", "🤖", "🧑‍💻", "☕", "✈️", "🫠", "🪐", "🏳️‍🌈",
    "⭐", "🔥", "💳", "📦", "#️⃣", "🦄", "🥲",
]

PUNCT = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + [
    "…", "—", "–", "‘", "’", "“", "”", "«", "»", "¿", "¡", "·", "•", "、", "。", "「", "」",
    "【", "】", "〜", "‰", "′", "″", "§", "¶", "†", "‡", "※", "‽", "⁂", "﹏", "＂", "！", "？",
]

ODD_SPACE = [
    "\t", "\n", "\r", "\r\n", "\u000b", "\u000c", "\u0085", "\u00a0", "\u1680", "\u2000",
    "\u2003", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000",
]

CONTROL = [
    "\u0000", "\u0001", "\u0007", "\u001b", "\u001f", "\u007f", "\u0080", "\u009f", "\u00ad",
    "\u200b", "\u200c", "\u200d", "\u200e", "\u2060", "\ufeff", "\ufffd", "\ue000", "\U000f0000",
    "\u0301", "\u0308", "\u20dd",
]

SPECIAL = ["[CLS]", "[SEP]", "[UNK]", "[PAD]", "[MASK]", "[cls]", "[Mask]", "[CLS", "SEP]"]

URLS = [
    "https://example.com/orders/12345?ref=email&utm_source=news#top",
    "http://support.example.co.uk/path/to/page.html",
    "www.exämple.de/über-uns",
    "ftp://files.example.org/pub/file_v2.tar.gz",
    "mailto:help@example.com",
    "user.name+tag@sub.example-mail.com",
    "https://例え.jp/パス?q=検索",
    "C:\\Users\\admin\\Documents\\report (final).docx",
    "/var/log/syslog.1",
]


def numbers(rng):
    choices = [
        lambda: str(rng.randint(0, 10**rng.randint(1, 12))),
        lambda: f"{rng.uniform(-1e6, 1e6):,.2f}",
        lambda: f"{rng.random():.8e}",
        lambda: f"+1 ({rng.randint(200, 999)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
        lambda: f"{rng.randint(1, 31)}/{rng.randint(1, 12)}/{rng.randint(1990, 2030)}",
        lambda: f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
        lambda: f"{rng.randint(1, 99)}%",
        lambda: f"#{rng.randint(1, 99999)}",
        lambda: "١٢٣٤٥",
        lambda: "४२",
    ]
    return rng.choice(choices)()


def long_word(rng):
    alphabet = "abcdefghijklmnopqrstuvwxyzéüß"
    n = rng.choice([99, 100, 101, 120, 250])
    return "".join(rng.choice(alphabet) for _ in range(n))


def generated(count, seed=20240505):
    rng = random.Random(seed)
    pieces = [
        lambda: rng.choice(WORDS),
        lambda: rng.choice(WORDS).upper(),
        lambda: rng.choice(EMOJI),
        lambda: rng.choice(PUNCT),
        lambda: rng.choice(PUNCT) + rng.choice(WORDS) + rng.choice(PUNCT),
        lambda: rng.choice(ODD_SPACE),
        lambda: rng.choice(WORDS) + rng.choice(CONTROL) + rng.choice(WORDS),
        lambda: rng.choice(CONTROL),
        lambda: rng.choice(SPECIAL),
        lambda: rng.choice(WORDS) + rng.choice(SPECIAL) + rng.choice(WORDS),
        lambda: rng.choice(URLS),
        lambda: numbers(rng),
        lambda: rng.choice(WORDS) + rng.choice(EMOJI) + rng.choice(WORDS),
        lambda: "".join(rng.choice("中国人民银行账户密码转账") for _ in range(rng.randint(1, 8))),
    ]
    out = []
    for i in range(count):
        kind = i % 10
        if kind == 7:
            out.append(long_word(rng) + " " + rng.choice(WORDS))
        elif kind == 8 and i % 50 == 8:
            # Longer than the 256-token limit, so truncation is compared too.
            out.append(" ".join(rng.choice(WORDS + PUNCT + EMOJI) for _ in range(rng.randint(200, 400))))
        elif kind == 9 and i % 30 == 9:
            out.append("".join(rng.choice(ODD_SPACE + CONTROL) for _ in range(rng.randint(0, 5))))
        else:
            n = rng.randint(1, 14)
            parts = [rng.choice(pieces)() for _ in range(n)]
            seps = [rng.choice([" ", " ", " ", "", "  ", rng.choice(ODD_SPACE)]) for _ in range(n)]
            out.append("".join(p + s for p, s in zip(parts, seps)))
    out += ["", " ", "a", "A", "[CLS]", "[UNK]", "##ing", "un##able", "x" * 100, "x" * 101]
    # Very long inputs, tens of thousands of scalars, so the tokenizer's chunked early exit is
    # compared too: long words (few tokens per scalar), and one long text with no space at all.
    out += [" ".join(long_word(rng) for _ in range(300)) for _ in range(3)]
    out += [" ".join(rng.choice(WORDS + EMOJI) + rng.choice(CONTROL + ODD_SPACE) for _ in range(3000))]
    out += ["a,é" * 10000]
    return out


def sweep():
    ranges = [(0x0000, 0x30000), (0xE0000, 0xE0200)]
    chars = []
    for lo, hi in ranges:
        for cp in range(lo, hi):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            chars.append(chr(cp))
    per = 32
    return [" ".join("a" + c + "b" for c in chars[i:i + per]) for i in range(0, len(chars), per)]


# Sentences for the embedding reference: short and long, plain and odd.
def embedding_sentences():
    fixed = [
        "The weather is lovely today.",
        "It's so sunny outside!",
        "He drove to the stadium.",
        "How do I reset my password?",
        "I want a refund for order #12345.",
        "Ünïcödé façade café — naïve résumé.",
        "東京で一番おいしいラーメンはどこですか？",
        "hello 😀 world 🇫🇷",
        "",
        "a",
        "[CLS] what is my balance [SEP]",
        "https://example.com/orders/12345?ref=email",
    ]
    clinc = clinc_utterances()[::37][:40]
    rng = random.Random(7)
    longer = [
        " ".join(rng.choice(WORDS) for _ in range(n)) for n in (30, 80, 160, 300)
    ]
    return fixed + clinc + longer
