#!/usr/bin/env python3
"""Scores redactors on the labelled corpus (Tests/RedactionTests/Corpus) from their output alone.

One scorer for every system. A system's output is JSON Lines, one `{"id": ..., "redacted": ...}`
per corpus line, where `redacted` is the message (the corpus text with its `{{kind:value}}`
markup stripped) with some spans replaced by a mask: `[email]`, `[phone]`, `[card]`, `[iban]`,
`[national-id]` (`"redacted": null`: the system gave no output for that message).

Rules:
- The output is aligned with the message (`align`): every character is either copied or lies
  in a span that a mask replaced. This recovers the replaced spans, in code points (= Unicode
  scalars), and their mask kind.
- An item counts as found when every one of its code points lies inside replaced spans, of any
  kind (a masked item does not leak); "kind agreement" counts the found items whose overlapping
  spans all carry the item's own mask (corpus kind `ssn` = mask `national-id`).
- A replaced span that overlaps no labelled item is a false positive; precision = spans that
  overlap a labelled item / all spans.
- A negative line (no markup) is "changed" when the output differs from the message.
- A line without output (null) counts its items as missed and is reported on its own.

  score.py --self-test
  score.py --split NAME --corpus CORPUS.jsonl --system 'LABEL=OUTPUT.jsonl' [--system ...]
           [--phones-only LABEL] [--mbps 'LABEL=VALUE'] [--cpu-mbps 'LABEL=VALUE']
           [--targets LABEL] [--summary FILE]
           [--details DIR]
  score.py --targets-table --from 'SPLIT=SUMMARY.json' [--from ...] --targets LABEL

The split mode prints a Markdown section (tables) on stdout; --summary writes the figures as
JSON, which --targets-table reads to print the issue's targets for one system over all splits.
Python standard library only.
"""

import argparse
import json
import os
import sys

KINDS = ["card", "iban", "phone", "email", "national-id"]
KIND_TITLES = {"card": "card", "iban": "IBAN", "phone": "phone", "email": "e-mail", "national-id": "national id"}
MASKS = {"[" + kind + "]": kind for kind in KINDS}
CORPUS_KINDS = {"card": "card", "iban": "iban", "phone": "phone", "email": "email", "ssn": "national-id"}
# Issue 17's targets: recall per kind, and precision over every mask.
RECALL_TARGETS = [("card", 0.99), ("iban", 0.99), ("phone", 0.95), ("email", 0.95)]
PRECISION_TARGET = 0.95


class CorpusError(Exception):
    pass


def parse_marked(case_id, marked):
    """The message and its items [(kind, start, end)] (code point offsets) of a corpus `text`:
    `{{kind:value}}` becomes `value`; the kind runs to the first `:`, the value to the first `}}`.
    """
    text = []
    length = 0
    items = []
    rest = marked
    while True:
        open_at = rest.find("{{")
        if open_at < 0:
            break
        close_at = rest.find("}}", open_at + 2)
        colon = rest.find(":", open_at + 2, close_at if close_at >= 0 else len(rest))
        if close_at < 0 or colon < 0:
            raise CorpusError(f"corpus case {case_id}: unclosed or kind-less {{{{…}}}}")
        before = rest[:open_at]
        name = rest[open_at + 2 : colon]
        value = rest[colon + 1 : close_at]
        if name not in CORPUS_KINDS:
            raise CorpusError(f"corpus case {case_id}: unknown kind '{name}'")
        text.append(before)
        length += len(before)
        items.append((CORPUS_KINDS[name], length, length + len(value)))
        text.append(value)
        length += len(value)
        rest = rest[close_at + 2 :]
    text.append(rest)
    return "".join(text), items


def read_corpus(path):
    cases = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            stored = json.loads(line)
            text, items = parse_marked(stored["id"], stored["text"])
            cases.append({"id": stored["id"], "text": text, "items": items})
    return cases


def read_outputs(path):
    outputs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            if row["id"] in outputs:
                raise CorpusError(f"{path}: id {row['id']} appears twice")
            outputs[row["id"]] = row.get("redacted")
    return outputs


def align(original, redacted):
    """The spans of `original` that masks replaced to give `redacted`, as [(start, end, kind)]
    in code points, or None when `redacted` is not `original` with spans replaced by masks.

    Text between masks must be copied exactly. At each mask in the output the alignment first
    tries to read it as literal text of the message (should the message contain `[phone]`
    itself), then as a replacement of the shortest span that lets the rest align (backtracking
    over longer spans). Ambiguity only arises between adjacent masks or masks separated by text
    that also occurs inside a replaced span; then the earlier span is the shortest one.
    """
    starts = []
    for position in range(len(redacted)):
        if redacted[position] == "[":
            for mask, kind in MASKS.items():
                if redacted.startswith(mask, position):
                    starts.append((position, mask, kind))
    failed = set()

    def from_state(i, j, s):
        # Aligns original[i:] with redacted[j:]; starts[s] is the first mask at or after j.
        if (i, j) in failed:
            return None
        p = starts[s][0] if s < len(starts) else len(redacted)
        at = i + (p - j)  # where the mask's span would start, after copying redacted[j:p]
        result = None
        if original[i:at] == redacted[j:p]:
            if s == len(starts):
                result = [] if at == len(original) else None
            else:
                _, mask, kind = starts[s]
                after = p + len(mask)
                if original.startswith(mask, at):
                    result = from_state(at + len(mask), after, s + 1)
                end = at + 1
                while result is None and end <= len(original):
                    rest = from_state(end, after, s + 1)
                    if rest is not None:
                        result = [(at, end, kind)] + rest
                    end += 1
        if result is None:
            failed.add((i, j))
        return result

    return from_state(0, 0, 0)


def new_summary(label, phones_only):
    return {
        "label": label,
        "phones_only": phones_only,
        "lines": 0,
        "negatives": 0,
        "negatives_changed": 0,
        "no_output": 0,
        "unaligned": 0,
        "kinds": {kind: {"items": 0, "found": 0, "found_as_kind": 0} for kind in KINDS},
        "spans": 0,
        "false_positives": 0,
        "phone_masks": {"total": 0, "on_phone": 0, "on_other_kind": 0, "on_nothing": 0},
        "mbps": None,
        "cpu_mbps": None,
    }


def score_case(summary, case, redacted, mistakes):
    """Adds one line's outcome to `summary` and its mistakes to `mistakes` (for a phones-only
    system, misses of phones only)."""
    text, items = case["text"], case["items"]
    summary["lines"] += 1
    if not items:
        summary["negatives"] += 1
    if redacted is None:
        summary["no_output"] += 1
        for kind, start, end in items:
            summary["kinds"][kind]["items"] += 1
        mistakes.append(f"{case['id']}: no output ({len(items)} item(s) counted as missed) for: {text}")
        return
    spans = align(text, redacted)
    if spans is None:
        summary["unaligned"] += 1
        for kind, start, end in items:
            summary["kinds"][kind]["items"] += 1
        mistakes.append(f"{case['id']}: output does not align with the message: {redacted}")
        return
    if not items and redacted != text:
        summary["negatives_changed"] += 1
    covered = set()
    for start, end, _ in spans:
        covered.update(range(start, end))
    for kind, start, end in items:
        tally = summary["kinds"][kind]
        tally["items"] += 1
        if all(offset in covered for offset in range(start, end)):
            tally["found"] += 1
            overlapping = [span for span in spans if span[0] < end and start < span[1]]
            if all(span[2] == kind for span in overlapping):
                tally["found_as_kind"] += 1
            elif not summary["phones_only"]:
                masks = ", ".join(sorted({span[2] for span in overlapping}))
                mistakes.append(f"{case['id']}: {kind} '{text[start:end]}' masked as {masks} in: {text}")
        elif kind == "phone" or not summary["phones_only"]:
            mistakes.append(f"{case['id']}: missed {kind} '{text[start:end]}' in: {text}  →  {redacted}")
    for start, end, kind in spans:
        summary["spans"] += 1
        on = {item[0] for item in items if item[1] < end and start < item[2]}
        if not on:
            summary["false_positives"] += 1
            mistakes.append(f"{case['id']}: [{kind}] over '{text[start:end]}' is no labelled item in: {text}")
        if kind == "phone":
            phones = summary["phone_masks"]
            phones["total"] += 1
            if "phone" in on:
                phones["on_phone"] += 1
            elif on:
                phones["on_other_kind"] += 1
            else:
                phones["on_nothing"] += 1


def score_system(label, cases, outputs, phones_only=False):
    summary = new_summary(label, phones_only)
    mistakes = []
    ids = {case["id"] for case in cases}
    extra = sorted(set(outputs) - ids)
    missing = [case["id"] for case in cases if case["id"] not in outputs]
    if extra or missing:
        raise CorpusError(f"{label}: output ids differ from the corpus (missing {missing[:3]}, extra {extra[:3]})")
    for case in cases:
        score_case(summary, case, outputs[case["id"]], mistakes)
    return summary, mistakes


# MARK: Markdown


def percent(numerator, denominator):
    if denominator == 0:
        return "—"
    return f"{100 * numerator / denominator:.1f} %"


def fraction_cell(numerator, denominator):
    return f"{percent(numerator, denominator)} ({numerator}/{denominator})"


def precision_counts(summary):
    return summary["spans"] - summary["false_positives"], summary["spans"]


def split_markdown(split, cases, summaries):
    negatives = sum(1 for case in cases if not case["items"])
    item_counts = {kind: sum(1 for case in cases for item in case["items"] if item[0] == kind) for kind in KINDS}
    out = []
    counts = ", ".join(f"{item_counts[kind]} {KIND_TITLES[kind]}" for kind in KINDS)
    out.append(f"### Split: {split} ({len(cases)} lines, {negatives} negative; items: {counts})")
    out.append("")
    header = ["system"] + [f"{KIND_TITLES[kind]} recall" for kind in KINDS]
    header += ["precision", "negatives changed", "lines without output", "MB/s wall / CPU"]
    out.append("| " + " | ".join(header) + " |")
    out.append("| --- | " + " | ".join(["---:"] * (len(header) - 1)) + " |")
    for summary in summaries:
        row = [summary["label"]]
        for kind in KINDS:
            tally = summary["kinds"][kind]
            if summary["phones_only"] and kind != "phone":
                row.append("—")
            else:
                row.append(fraction_cell(tally["found"], tally["items"]))
        precision = fraction_cell(*precision_counts(summary))
        row.append(precision + (" ¹" if summary["phones_only"] else ""))
        row.append(f"{summary['negatives_changed']}/{summary['negatives']}")
        row.append(str(summary["no_output"]))
        speeds = [summary["mbps"], summary["cpu_mbps"]]
        row.append("—" if speeds == [None, None] else " / ".join("—" if v is None else f"{v:.2f}" for v in speeds))
        out.append("| " + " | ".join(row) + " |")
    if any(summary["phones_only"] for summary in summaries):
        out.append("")
        out.append("¹ A phones-only system: its masks are all `[phone]`, so this is the precision of its phone masks.")
    if any(summary["unaligned"] for summary in summaries):
        out.append("")
        for summary in summaries:
            if summary["unaligned"]:
                out.append(f"**{summary['label']}: {summary['unaligned']} output line(s) do not align with the "
                           "message** (items counted as missed).")

    out.append("")
    out.append(f"Kind agreement on {split}: found items whose masks are all of the item's own kind / found items.")
    out.append("")
    full = [summary for summary in summaries if not summary["phones_only"]]
    out.append("| system | " + " | ".join(KIND_TITLES[kind] for kind in KINDS) + " |")
    out.append("| --- | " + " | ".join(["---:"] * len(KINDS)) + " |")
    for summary in full:
        cells = [f"{summary['kinds'][k]['found_as_kind']}/{summary['kinds'][k]['found']}" for k in KINDS]
        out.append(f"| {summary['label']} | " + " | ".join(cells) + " |")

    out.append("")
    out.append(f"Phones on {split}, every system's `[phone]` masks alike:")
    out.append("")
    out.append("| system | phone recall | `[phone]` masks | on a phone item | on another labelled item | on no item | "
               "`[phone]` precision |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for summary in summaries:
        tally = summary["kinds"]["phone"]
        phones = summary["phone_masks"]
        out.append(f"| {summary['label']} | {fraction_cell(tally['found'], tally['items'])} | {phones['total']} | "
                   f"{phones['on_phone']} | {phones['on_other_kind']} | {phones['on_nothing']} | "
                   f"{percent(phones['total'] - phones['on_nothing'], phones['total'])} |")
    return out


def target_rows(summary):
    """[(target, value, met)] of issue 17's targets for one system's summary."""
    rows = []
    for kind, goal in RECALL_TARGETS:
        tally = summary["kinds"][kind]
        value = tally["found"] / tally["items"] if tally["items"] else 1.0
        name = f"{KIND_TITLES[kind]} recall ≥ {goal * 100:.0f} %"
        rows.append((name, fraction_cell(tally["found"], tally["items"]), value >= goal))
    found, spans = precision_counts(summary)
    value = found / spans if spans else 1.0
    name = f"precision ≥ {PRECISION_TARGET * 100:.0f} %"
    rows.append((name, fraction_cell(found, spans), value >= PRECISION_TARGET))
    return rows


def targets_markdown(title, by_split):
    splits = list(by_split)
    out = [title, ""]
    out.append("| target | " + " | ".join(splits) + " |")
    out.append("| --- | " + " | ".join(["---"] * len(splits)) + " |")
    rows = {split: target_rows(summary) for split, summary in by_split.items()}
    for index, (name, _, _) in enumerate(rows[splits[0]]):
        cells = []
        for split in splits:
            _, value, met = rows[split][index]
            cells.append(f"{value}: {'met' if met else '**missed**'}")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return out


# MARK: Self-test


def self_test():
    failures = []

    def check(name, got, expected):
        if got != expected:
            failures.append(f"{name}: got {got!r}, expected {expected!r}")

    # Markup.
    check("parse", parse_marked("t", "Call {{phone:+44 20 7946 0958}}."),
          ("Call +44 20 7946 0958.", [("phone", 5, 21)]))
    check("parse ssn and two items", parse_marked("t", "{{ssn:123-45-6789}} {{email:a@b.co}}"),
          ("123-45-6789 a@b.co", [("national-id", 0, 11), ("email", 12, 18)]))
    text, items = parse_marked("t", "写信给{{email:张伟@公司.中国}}。")
    check("parse non-ASCII, code points", (text, items), ("写信给张伟@公司.中国。", [("email", 3, 11)]))
    try:
        parse_marked("t", "{{phone 123}}")
        failures.append("parse: a kind-less item was accepted")
    except CorpusError:
        pass

    # Alignment.
    check("align one", align("Call +44 20 7946 0958.", "Call [phone]."), [(5, 21, "phone")])
    check("align non-ASCII", align("写信给张伟@公司.中国。", "写信给[email]。"), [(3, 11, "email")])
    check("align bracket before mask", align("[+1 212 555 0100]", "[[phone]]"), [(1, 16, "phone")])
    check("align mask at both ends", align("4111111111111111 or a@b.co", "[card] or [email]"),
          [(0, 16, "card"), (20, 26, "email")])
    check("align adjacent masks, shortest first", align("ab", "[card][iban]"), [(0, 1, "card"), (1, 2, "iban")])
    check("align literal mask in the message", align("see [phone] or 555-0100", "see [phone] or [phone]"),
          [(15, 23, "phone")])
    check("align unchanged", align("nothing here", "nothing here"), [])
    check("align national-id", align("SSN 123-45-6789", "SSN [national-id]"), [(4, 15, "national-id")])
    check("align rejects changed text", align("Call 555-0100 now", "call [phone] now"), None)
    check("align rejects an unknown mask", align("Call 555-0100", "Call [number]"), None)
    check("align rejects an empty replacement", align("Call", "Call[phone]"), None)

    # Scoring.
    cases = [
        {"id": "a", "text": "Card 4111 1111 1111 1111 exp 12/29", "items": [("card", 5, 24)]},
        {"id": "b", "text": "Order 12345678 shipped", "items": []},
        {"id": "c", "text": "IBAN DE89370400440532013000 or +44 20 7946 0958",
         "items": [("iban", 5, 27), ("phone", 31, 47)]},
        {"id": "d", "text": "ring 020 7946 0958", "items": [("phone", 5, 18)]},
        {"id": "e", "text": "no output here 9-5", "items": [("phone", 15, 18)]},
    ]
    outputs = {
        "a": "Card [card] exp [phone]",  # found; the expiry is a false positive
        "b": "Order [phone] shipped",  # negative changed, false positive
        "c": "IBAN [phone]70400440532013000 or [phone]",  # IBAN partly covered: missed; phone found
        "d": "ring [card][phone]",  # two spans cover the phone: found, kind disagrees
        "e": None,  # no output: missed
    }
    summary, mistakes = score_system("test", cases, outputs)
    kinds = summary["kinds"]
    check("card", kinds["card"], {"items": 1, "found": 1, "found_as_kind": 1})
    check("iban", kinds["iban"], {"items": 1, "found": 0, "found_as_kind": 0})
    check("phone", kinds["phone"], {"items": 3, "found": 2, "found_as_kind": 1})
    check("spans", (summary["spans"], summary["false_positives"]), (7, 2))
    check("negatives", (summary["negatives"], summary["negatives_changed"]), (1, 1))
    check("no output", summary["no_output"], 1)
    check("phone masks", summary["phone_masks"], {"total": 5, "on_phone": 2, "on_other_kind": 1, "on_nothing": 2})
    check("mistakes", len(mistakes), 5)
    rows = target_rows(summary)
    check("targets", [met for _, _, met in rows], [True, False, False, True, False])

    if failures:
        for failure in failures:
            print("FAIL " + failure, file=sys.stderr)
        return 1
    print("score.py self-test: all checks passed", file=sys.stderr)
    return 0


# MARK: Command line


def labelled(value, option):
    label, separator, rest = value.partition("=")
    if not separator or not label or not rest:
        raise CorpusError(f"{option} expects LABEL=VALUE, got {value!r}")
    return label, rest


def main(argv):
    parser = argparse.ArgumentParser(
        description="Scores redactors' JSONL output on a labelled corpus split (see the module docstring).")
    parser.add_argument("--self-test", action="store_true", help="check the scorer on hand-made cases and exit")
    parser.add_argument("--split", help="split name for the headings (dev, test)")
    parser.add_argument("--corpus", help="the split's corpus file, JSON Lines with {{kind:value}} markup")
    parser.add_argument("--system", action="append", default=[], metavar="LABEL=OUTPUT.jsonl",
                        help="a system's output, in table order; repeat for each system")
    parser.add_argument("--phones-only", action="append", default=[], metavar="LABEL",
                        help="a system that only masks phones: its other kinds show as —")
    parser.add_argument("--mbps", action="append", default=[], metavar="LABEL=VALUE",
                        help="a system's MB/s per second of wall time")
    parser.add_argument("--cpu-mbps", action="append", default=[], metavar="LABEL=VALUE",
                        help="a system's MB/s per second of CPU time")
    parser.add_argument("--targets", metavar="LABEL", help="print issue 17's targets for this system")
    parser.add_argument("--summary", metavar="FILE", help="write the split's figures as JSON")
    parser.add_argument("--details", metavar="DIR",
                        help="write each system's misses and false positives to DIR/SPLIT-WORD.txt "
                             "(WORD: the label's first word)")
    parser.add_argument("--targets-table", action="store_true",
                        help="print the targets over splits from --from summaries and exit")
    parser.add_argument("--from", dest="sources", action="append", default=[], metavar="SPLIT=SUMMARY.json")
    args = parser.parse_args(argv)

    if args.self_test:
        return self_test()
    try:
        if args.targets_table:
            if not args.targets or not args.sources:
                parser.error("--targets-table needs --targets LABEL and --from SPLIT=SUMMARY.json")
            by_split = {}
            for source in args.sources:
                split, path = labelled(source, "--from")
                with open(path, encoding="utf-8") as f:
                    systems = {summary["label"]: summary for summary in json.load(f)["systems"]}
                if args.targets not in systems:
                    raise CorpusError(f"{path} has no system labelled {args.targets!r}")
                by_split[split] = systems[args.targets]
            title = f"### Issue 17's targets for {args.targets}"
            print("\n".join(targets_markdown(title, by_split)))
            return 0

        if not args.corpus or not args.system:
            parser.error("needs --corpus and at least one --system (or --self-test)")
        split = args.split or os.path.basename(args.corpus).removesuffix(".jsonl")
        cases = read_corpus(args.corpus)
        speeds = dict(labelled(value, "--mbps") for value in args.mbps)
        cpu_speeds = dict(labelled(value, "--cpu-mbps") for value in args.cpu_mbps)
        summaries = []
        for value in args.system:
            label, path = labelled(value, "--system")
            summary, mistakes = score_system(label, cases, read_outputs(path), label in args.phones_only)
            if label in speeds:
                summary["mbps"] = float(speeds[label])
            if label in cpu_speeds:
                summary["cpu_mbps"] = float(cpu_speeds[label])
            summaries.append(summary)
            if args.details:
                os.makedirs(args.details, exist_ok=True)
                name = "".join(c for c in label.split()[0] if c.isalnum()).lower() or "system"
                with open(os.path.join(args.details, f"{split}-{name}.txt"), "w", encoding="utf-8") as f:
                    f.write("".join(line + "\n" for line in mistakes))
        lines = split_markdown(split, cases, summaries)
        if args.targets:
            chosen = [summary for summary in summaries if summary["label"] == args.targets]
            if not chosen:
                raise CorpusError(f"no system labelled {args.targets!r}")
            lines += [""] + targets_markdown(f"Issue 17's targets for {args.targets} on {split}:", {split: chosen[0]})
        print("\n".join(lines))
        if args.summary:
            with open(args.summary, "w", encoding="utf-8") as f:
                json.dump({"split": split, "systems": summaries}, f, ensure_ascii=False, indent=1)
        return 0
    except (CorpusError, OSError, json.JSONDecodeError, KeyError) as error:
        print(f"score.py: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
