"""CLINC150 helpers for bench/clinc150/run: convert the data set to an intents folder, score
`supportbot classify` output, and train and measure the peers (fastText, scikit-learn TF-IDF +
logistic regression) on the same split.

The peers get the same out-of-scope treatment as SupportBot: `oos_train` is an extra class, and
a confidence threshold is calibrated on a 10 % held-out split of the training data with the same
rule (never reject more than 0.5 % of the held-out in-scope examples the model gets right; below
that cap, maximise in-scope accuracy + out-of-scope recall), then the model is retrained on all
of the training data.
"""

import json
import os
import random
import sys
import time

OOS = "out_of_scope"


def load(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    train = [(t, l) for t, l in data["train"]] + [(t, OOS) for t, _ in data["oos_train"]]
    test = [(t, l) for t, l in data["test"]] + [(t, OOS) for t, _ in data["oos_test"]]
    return train, test


def convert(data_path, out_dir):
    """intents/<intent>.yml per intent (JSON strings are valid YAML scalars), plus test.txt and
    test_labels.txt (one line each, same order)."""
    train, test = load(data_path)
    intents_dir = os.path.join(out_dir, "intents")
    os.makedirs(intents_dir, exist_ok=True)
    by_intent = {}
    for text, label in train:
        by_intent.setdefault(label, []).append(text)
    for label, texts in by_intent.items():
        lines = [f"- intent: {label}"]
        if label != OOS:
            lines.append(f"  answer: {json.dumps('This is the ' + label + ' answer.')}")
        lines.append("  examples:")
        lines += [f"    - {json.dumps(t)}" for t in texts]
        with open(os.path.join(intents_dir, label + ".yml"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    with open(os.path.join(out_dir, "test.txt"), "w", encoding="utf-8") as f:
        f.write("".join(t.replace("\n", " ") + "\n" for t, _ in test))
    with open(os.path.join(out_dir, "test_labels.txt"), "w", encoding="utf-8") as f:
        f.write("".join(l + "\n" for _, l in test))


def auroc(positives, negatives):
    """P(score of an in-scope example > score of an out-of-scope one), ties counting 1/2."""
    ranked = sorted([(s, 1) for s in positives] + [(s, 0) for s in negatives])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j + 1 < len(ranked) and ranked[j + 1][0] == ranked[i][0]:
            j += 1
        average = (i + j) / 2 + 1
        rank_sum += average * sum(flag for _, flag in ranked[i:j + 1])
        i = j + 1
    p, n = len(positives), len(negatives)
    return (rank_sum - p * (p + 1) / 2) / (p * n)


def metrics(labels, intents, confidences):
    in_scope = [(l, i) for l, i in zip(labels, intents) if l != OOS]
    oos = [i for l, i in zip(labels, intents) if l == OOS]
    return {
        "in_scope_accuracy": sum(l == i for l, i in in_scope) / len(in_scope),
        "oos_recall": sum(i == OOS for i in oos) / len(oos),
        "auroc": auroc([c for l, c in zip(labels, confidences) if l != OOS],
                       [c for l, c in zip(labels, confidences) if l == OOS]),
    }


def score(labels_path, predictions_path):
    with open(labels_path, encoding="utf-8") as f:
        labels = [line.rstrip("\n") for line in f]
    intents, confidences = [], []
    with open(predictions_path, encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            intents.append(p["intent"])
            confidences.append(p["confidence"])
    if len(intents) != len(labels):
        sys.exit(f"clinc.py: {len(intents)} predictions for {len(labels)} test lines")
    return metrics(labels, intents, confidences)


def calibrate(held_out, rejection=0.005):
    """held_out: (label, top in-scope intent, its probability, oos class wins). Same rule as
    ClassifierConfiguration.inScopeRejection / outOfScopeWeight = 1."""
    correct = sorted(c for l, top, c, won in held_out if l != OOS and top == l and not won)
    allowed = int(len(correct) * rejection)
    cap = correct[0] if allowed == 0 else (correct[allowed - 1] + correct[allowed]) / 2
    n_in = sum(l != OOS for l, *_ in held_out)
    n_oos = sum(l == OOS for l, *_ in held_out)
    if n_oos == 0:
        return cap
    best, best_t = -1.0, 0.0
    for t in sorted({0.0} | {c for *_, c, _ in held_out}):
        t2 = t + 1e-9
        acc = sum(l != OOS and top == l and not won and c >= t2 for l, top, c, won in held_out) / n_in
        rec = sum(l == OOS and (won or c < t2) for l, top, c, won in held_out) / n_oos
        if acc + rec > best + 1e-12:
            best, best_t = acc + rec, t2
    return min(cap, best_t)


class Peer:
    """Trains a model with calibration: fit on 90 %, calibrate on 10 %, refit on 100 %."""

    def __init__(self, name):
        self.name = name

    def run(self, train, test, seed=42):
        rng = random.Random(seed)
        by_label = {}
        for i, (_, l) in enumerate(train):
            by_label.setdefault(l, []).append(i)
        held = set()
        for members in by_label.values():
            rng.shuffle(members)
            held.update(members[:max(1, round(len(members) * 0.1))])
        part = [ex for i, ex in enumerate(train) if i not in held]
        held_out = [ex for i, ex in enumerate(train) if i in held]
        self.fit(part)
        threshold = calibrate([(l,) + self.decide(t) for t, l in held_out])
        started = time.perf_counter()
        self.fit(train)
        train_seconds = time.perf_counter() - started
        started = time.perf_counter()
        decisions = [self.decide(t) for t, _ in test]
        per_message = (time.perf_counter() - started) / len(test) * 1e6
        intents = [OOS if won or c < threshold else top for top, c, won in decisions]
        result = metrics([l for _, l in test], intents, [c for _, c, _ in decisions])
        result.update(train_seconds=train_seconds, us_per_message=per_message, threshold=threshold)
        return result


class FastTextPeer(Peer):
    def __init__(self, directory):
        super().__init__("fastText (supervised, word 1-2-grams + char 3-5-grams)")
        self.directory = directory

    def fit(self, examples):
        import fasttext
        path = os.path.join(self.directory, "fasttext_train.txt")
        with open(path, "w", encoding="utf-8") as f:
            for text, label in examples:
                f.write(f"__label__{label} {text.lower()}\n")
        # Settings chosen on CLINC150's validation split among four candidates (defaults with
        # word bigrams, + subword char n-grams, more epochs, dim 300): the best of them.
        self.model = fasttext.train_supervised(path, epoch=100, lr=0.5, wordNgrams=2, minn=3, maxn=5, dim=300,
                                               thread=1, seed=42, verbose=0)

    def decide(self, text):
        # The low-level predict: fasttext-wheel 0.9.2's wrapper breaks under NumPy 2 (copy=False).
        pairs = self.model.f.predict(text.lower().replace("\n", " ") + "\n", 2, 0.0, "strict")
        ranked = [(l[len("__label__"):], float(p)) for p, l in pairs]
        won = ranked[0][0] == OOS
        top = next(((l, p) for l, p in ranked if l != OOS), (ranked[0][0], 0.0))
        return top[0], top[1], won


class SklearnPeer(Peer):
    def __init__(self):
        super().__init__("scikit-learn TF-IDF (word 1-2 + char_wb 3-5) + logistic regression")

    def fit(self, examples):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union
        features = make_union(
            TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2)),
            TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(3, 5)))
        self.model = make_pipeline(features, LogisticRegression(C=10, max_iter=300))
        self.model.fit([t for t, _ in examples], [l for _, l in examples])
        self.classes = list(self.model.classes_)

    def decide(self, text):
        probabilities = self.model.predict_proba([text])[0]
        order = sorted(range(len(probabilities)), key=lambda k: -probabilities[k])
        won = self.classes[order[0]] == OOS
        best = next(k for k in order if self.classes[k] != OOS)
        return self.classes[best], float(probabilities[best]), won


def peers(data_path, work_dir):
    train, test = load(data_path)
    results = {}
    for peer in (FastTextPeer(work_dir), SklearnPeer()):
        print(f"bench/clinc150: training {peer.name}...", file=sys.stderr)
        results[peer.name] = peer.run(train, test)
    return results


def report(results_path):
    """Markdown table of every system in the results file, then ratios against the peers."""
    with open(results_path, encoding="utf-8") as f:
        results = json.load(f)
    rows = ["| system | in-scope accuracy | OOS recall | AUROC | train s | µs/message |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in results.items():
        rows.append(f"| {name} | {r['in_scope_accuracy'] * 100:.2f} % | {r['oos_recall'] * 100:.2f} % | "
                    f"{r['auroc']:.4f} | {r['train_seconds']:.1f} | {r['us_per_message']:.0f} |")
    ours = [n for n in results if n.startswith("SupportBot")]
    peers = [n for n in results if not n.startswith("SupportBot")]
    if ours and peers:
        rows += ["", "Ratios (SupportBot / peer): in-scope accuracy, OOS recall, train time, time per message", ""]
        for a in ours:
            for b in peers:
                x, y = results[a], results[b]
                rows.append(
                    f"- {a} vs {b}: accuracy ×{x['in_scope_accuracy'] / y['in_scope_accuracy']:.3f}, "
                    f"OOS recall ×{x['oos_recall'] / max(y['oos_recall'], 1e-9):.2f}, "
                    f"train time ×{x['train_seconds'] / y['train_seconds']:.2f}, "
                    f"time per message ×{x['us_per_message'] / y['us_per_message']:.2f}")
    print("\n".join(rows))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "convert":
        convert(sys.argv[2], sys.argv[3])
    elif command == "score":
        print(json.dumps(score(sys.argv[2], sys.argv[3])))
    elif command == "record":
        results_path, name, labels, predictions, train_s, all_s, one_s, lines = sys.argv[2:10]
        result = score(labels, predictions)
        result["train_seconds"] = float(train_s)
        result["us_per_message"] = max(float(all_s) - float(one_s), 0) / (int(lines) - 1) * 1e6
        with open(results_path, encoding="utf-8") as f:
            results = json.load(f)
        results[name] = result
        with open(results_path, "w", encoding="utf-8") as f:
            json.dump(results, f)
    elif command == "merge":
        with open(sys.argv[2], encoding="utf-8") as f:
            results = json.load(f)
        with open(sys.argv[3], encoding="utf-8") as f:
            results.update(json.load(f))
        with open(sys.argv[2], "w", encoding="utf-8") as f:
            json.dump(results, f)
    elif command == "tradeoff":
        # One line per bench-classifier JSON report: name=path arguments.
        print("| system | top-intent accuracy | in-scope accuracy at OOS recall ≥ 60 % (threshold) | "
              "predict p50 / p90 / p99 µs |")
        print("| --- | ---: | ---: | ---: |")
        for argument in sys.argv[2:]:
            name, path = argument.split("=", 1)
            with open(path, encoding="utf-8") as f:
                r = json.load(f)
            point, latency = r["at_target_recall"], r["latency_us"]
            print(f"| {name} | {r['top_intent_accuracy'] * 100:.2f} % | {point['in_scope_accuracy'] * 100:.2f} % "
                  f"at {point['oos_recall'] * 100:.1f} % ({point['threshold']:.3f}) | "
                  f"{latency['p50']:.0f} / {latency['p90']:.0f} / {latency['p99']:.0f} |")
    elif command == "report":
        report(sys.argv[2])
    elif command == "peers":
        print(json.dumps(peers(sys.argv[2], sys.argv[3])))
    else:
        sys.exit(f"clinc.py: unknown command {command}")
