"""ONNX Runtime peer for bench/encoder: all-MiniLM-L6-v2 in float32 and dynamically quantised int8.

What it does, in order:

1. Builds an ONNX graph (opset 17) of the whole sentence encoder straight from
   models/minilm/model.safetensors with `onnx.helper` and NumPy only (no torch, transformers or
   optimum): embeddings (word + position + token type 0) and LayerNormalization, 6 BERT layers
   (MatMul/Add projections, Reshape/Transpose into 12 heads, Softmax attention with an additive
   padding mask, erf GELU), then mean pooling over non-padding tokens and L2 normalisation.
   Inputs `input_ids` and `attention_mask` (int64 [batch, seq]); output `sentence_embedding`
   (float32 [batch, 384]). Saved as .build/onnx-peer/minilm-fp32.onnx (rebuilt on every run,
   so it always matches the weights file).
2. Checks it against the NumPy reference (scripts/encoder/numpy_minilm.py, float32) on the
   encoder reference sentences (scripts/encoder/corpus.py: short, long, truncated, odd Unicode),
   run as one padded batch: every cosine must be >= 0.9999, else exit status 2.
3. Quantises it with `onnxruntime.quantization.quantize_dynamic`: the weights of every MatMul
   with a constant weight (the 36 linear layers) to QInt8, per channel when that works, per
   tensor otherwise; activations are quantised to uint8 at run time by ORT. Embedding tables,
   LayerNorm and attention stay float32. Saved as .build/onnx-peer/minilm-int8.onnx; its cosine
   to the reference is reported (no threshold: the loss of int8 is what is being measured).
4. Benchmarks both models with onnxruntime.InferenceSession (CPUExecutionProvider,
   ORT_ENABLE_ALL, inter_op_num_threads 1, intra_op_num_threads 1 then 2) on the in-scope
   CLINC150 utterances (train, val and test) that tokenise to exactly 16 tokens ([CLS] and
   [SEP] included): 719 sentences, cycled to --count (default 1,000; bench/encoder/run passes
   2,000, the list its own `supportbot embed` runs use, and checks the SHA-256): throughput in
   unpadded batches of 64 (median of --repeats passes), and single-sentence latency (p50/p99
   over 300 calls, cycling through the sentences). Token ids are prepared beforehand; the
   timings cover session.run only, not tokenisation.
5. Prints one JSON object with every figure to stdout; progress goes to stderr.

Run it through the wrapper, which installs the pinned onnx/onnxruntime into .build-py/venv:

    bench/encoder/onnx-peer [--repeats 3] [--count 1000] [--latency 300]

or directly: .build-py/venv/bin/python bench/encoder/onnx_peer.py --help
"""

import argparse
import ctypes
import json
import logging
import os
import platform
import sys
import time

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts", "encoder"))


def amx_tile_permission():
    """Whether this process may use AMX tiles (Linux ARCH_GET_XCOMP_PERM, XTILEDATA = bit 18).

    The kernel grants it only on request, and MLAS (ORT's CPU kernels) requests it when it loads
    on a CPU with AMX-INT8 and installs its AMX int8 GEMM, so the bit being set after importing
    onnxruntime (and not before) is the only outside sign of that choice. None if unknown.
    """
    if platform.system() != "Linux" or platform.machine() != "x86_64":
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        value = ctypes.c_uint64(0)
        if libc.syscall(158, 0x1022, ctypes.byref(value)) != 0:  # SYS_arch_prctl
            return None
        return bool(value.value >> 18 & 1)
    except OSError:
        return None


# Sampled before onnxruntime is imported, so a change afterwards is ORT's doing.
AMX_PERMISSION_BEFORE_ORT = amx_tile_permission()

import corpus  # noqa: E402  (scripts/encoder: reference sentences)
from numpy_minilm import NumpyMiniLM  # noqa: E402  (weights, tokenizer, reference forward pass)

import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402
from onnxruntime.capi import _pybind_state as ort_capi  # noqa: E402  (build info)

OPSET = 17  # LayerNormalization is a standard op from opset 17
PARITY_MIN_COSINE = 0.9999
SEQ_TOKENS = 16
BATCH = 64
SPLITS = ("train", "val", "test")  # in-scope utterances only


def log(message):
    print(f"onnx-peer: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# 1. The ONNX graph
# --------------------------------------------------------------------------------------------

class GraphBuilder:
    """Collects nodes and initializers; each method adds one op and returns its output name."""

    def __init__(self):
        self.nodes = []
        self.initializers = []
        self.count = 0

    def name(self, hint):
        self.count += 1
        return f"{hint}_{self.count}"

    def const(self, name, array):
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def op(self, op_type, inputs, hint=None, **attrs):
        out = self.name(hint or op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out + "_node", **attrs))
        return out

    def linear(self, x, w, prefix):
        """x @ W^T + b, with W stored transposed ([in, out]) so it is a plain MatMul weight."""
        weight = self.const(prefix + ".weight_t", w[prefix + ".weight"].T.astype(np.float32))
        bias = self.const(prefix + ".bias", w[prefix + ".bias"].astype(np.float32))
        return self.op("Add", [self.op("MatMul", [x, weight]), bias], hint=prefix)

    def layer_norm(self, x, w, prefix, eps):
        scale = self.const(prefix + ".weight", w[prefix + ".weight"].astype(np.float32))
        bias = self.const(prefix + ".bias", w[prefix + ".bias"].astype(np.float32))
        return self.op("LayerNormalization", [x, scale, bias], hint=prefix, axis=-1, epsilon=eps)


def build_onnx(reference):
    """The encoder as an ONNX model, from the weights the NumPy reference loaded (float32)."""
    config = reference.config
    w = reference.w
    hidden = config["hidden_size"]
    heads = config["num_attention_heads"]
    head_dim = hidden // heads
    eps = float(config["layer_norm_eps"])
    g = GraphBuilder()

    # Shared constants.
    c_zero_1d = g.const("c_zero_1d", np.array([0], dtype=np.int64))
    c_seq_axis = g.const("c_seq_axis", np.array([1], dtype=np.int64))
    c_mask_axes = g.const("c_mask_axes", np.array([1, 2], dtype=np.int64))
    c_last_axis = g.const("c_last_axis", np.array([-1], dtype=np.int64))
    c_one = g.const("c_one_f32", np.array(1.0, dtype=np.float32))
    c_half = g.const("c_half_f32", np.array(0.5, dtype=np.float32))
    c_sqrt2 = g.const("c_sqrt2_f32", np.array(np.sqrt(2.0), dtype=np.float32))
    c_neg = g.const("c_mask_neg_f32", np.array(-1e9, dtype=np.float32))  # as numpy_minilm.py
    c_scale = g.const("c_sqrt_head_dim", np.array(np.sqrt(head_dim), dtype=np.float32))
    c_heads_shape = g.const("c_heads_shape", np.array([0, 0, heads, head_dim], dtype=np.int64))
    c_hidden_shape = g.const("c_hidden_shape", np.array([0, 0, hidden], dtype=np.int64))

    # Embeddings: word[ids] + position[0..seq) + token_type[0], then LayerNorm.
    word_table = g.const("embeddings.word_embeddings.weight",
                         w["embeddings.word_embeddings.weight"].astype(np.float32))
    pos_table = g.const("embeddings.position_embeddings.weight",
                        w["embeddings.position_embeddings.weight"].astype(np.float32))
    type_row = g.const("embeddings.token_type_embeddings.row0",
                       w["embeddings.token_type_embeddings.weight"][0].astype(np.float32))
    # Positions 0..seq-1 are the first seq rows of the table: Slice it. (Gather with
    # Range(0, seq, 1) is equivalent, but in this graph ORT 1.32's GatherToSliceFusion, an
    # ORT_ENABLE_EXTENDED rewrite, turns it into a Slice that fails at run time: "Starts must be
    # a 1-D array".)
    seq_len = g.op("Shape", ["input_ids"], hint="seq_len", start=1, end=2)  # [seq], 1-D
    pos_emb = g.op("Slice", [pos_table, c_zero_1d, seq_len, c_zero_1d], hint="pos_emb")
    x = g.op("Add", [g.op("Gather", [word_table, "input_ids"], hint="word_emb"), pos_emb])
    x = g.op("Add", [x, type_row], hint="embeddings")
    x = g.layer_norm(x, w, "embeddings.LayerNorm", eps)

    # Attention mask: 1 for tokens, 0 for padding -> additive (1 - mask) * -1e9, [batch,1,1,seq].
    mask_f = g.op("Cast", ["attention_mask"], hint="mask_f32", to=TensorProto.FLOAT)
    additive = g.op("Mul", [g.op("Sub", [c_one, mask_f]), c_neg], hint="mask_additive")
    additive = g.op("Unsqueeze", [additive, c_mask_axes], hint="mask_b11s")

    def split_heads(t, perm):
        return g.op("Transpose", [g.op("Reshape", [t, c_heads_shape])], perm=perm)

    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}"
        # Self-attention: q [b,h,s,d] @ k [b,h,d,s] / sqrt(d) + mask, softmax, @ v [b,h,s,d].
        q = split_heads(g.linear(x, w, p + ".attention.self.query"), [0, 2, 1, 3])
        k = split_heads(g.linear(x, w, p + ".attention.self.key"), [0, 2, 3, 1])
        v = split_heads(g.linear(x, w, p + ".attention.self.value"), [0, 2, 1, 3])
        scores = g.op("Div", [g.op("MatMul", [q, k]), c_scale])
        probs = g.op("Softmax", [g.op("Add", [scores, additive])], axis=-1)
        context = g.op("Transpose", [g.op("MatMul", [probs, v])], perm=[0, 2, 1, 3])
        context = g.op("Reshape", [context, c_hidden_shape], hint="context")
        attention = g.linear(context, w, p + ".attention.output.dense")
        x = g.layer_norm(g.op("Add", [x, attention]), w, p + ".attention.output.LayerNorm", eps)
        # Feed-forward with exact (erf) GELU: 0.5 * h * (1 + erf(h / sqrt(2))).
        h = g.linear(x, w, p + ".intermediate.dense")
        gelu = g.op("Mul", [g.op("Mul", [h, c_half]),
                            g.op("Add", [g.op("Erf", [g.op("Div", [h, c_sqrt2])]), c_one])],
                    hint="gelu")
        out = g.linear(gelu, w, p + ".output.dense")
        x = g.layer_norm(g.op("Add", [x, out]), w, p + ".output.LayerNorm", eps)

    # Mean pooling over non-padding tokens, then L2 normalisation.
    mask_3d = g.op("Unsqueeze", [mask_f, c_last_axis], hint="mask_bs1")
    summed = g.op("ReduceSum", [g.op("Mul", [x, mask_3d]), c_seq_axis], keepdims=0)
    counts = g.op("ReduceSum", [mask_3d, c_seq_axis], keepdims=0, hint="token_count")
    pooled = g.op("Div", [summed, counts], hint="pooled")
    norm = g.op("ReduceL2", [pooled], axes=[-1], keepdims=1, hint="norm")  # axes: attribute until opset 18
    g.nodes.append(helper.make_node("Div", [pooled, norm], ["sentence_embedding"], name="l2_normalise"))

    graph = helper.make_graph(
        g.nodes, "all-MiniLM-L6-v2",
        inputs=[helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
                helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"])],
        outputs=[helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT,
                                               ["batch", hidden])],
        initializer=g.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="SupportBot bench/encoder/onnx_peer.py")
    onnx.checker.check_model(model, full_check=True)
    return model


# --------------------------------------------------------------------------------------------
# Helpers: sessions, parity, CPU features
# --------------------------------------------------------------------------------------------

def make_session(path, threads, optimized_path=None):
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    if optimized_path:
        options.optimized_model_filepath = optimized_path  # to report which fusions ORT made
        options.log_severity_level = 3  # hides the "optimized model is hardware specific" warning
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def run(session, ids, mask):
    return session.run(["sentence_embedding"], {"input_ids": ids, "attention_mask": mask})[0]


def cosines(a, b):
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def op_histogram(path):
    counts = {}
    for node in onnx.load(path, load_external_data=False).graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def cpu_info():
    flags, model = set(), None
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("flags") and not flags:
                    flags = set(line.split(":", 1)[1].split())
                elif line.startswith("model name") and model is None:
                    model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return {
        "model": model,
        "avx512_vnni": "avx512_vnni" in flags,
        "avx_vnni": "avx_vnni" in flags,
        "amx_int8": "amx_int8" in flags,
        # ORT exposes no kernel-selection API; see amx_tile_permission() for the AMX evidence.
        "amx_tile_permission_before_importing_ort": AMX_PERMISSION_BEFORE_ORT,
        "amx_tile_permission_after_importing_ort": amx_tile_permission(),
        "ort_note": ("onnxruntime reports no CPU kernel choice; MLAS picks VNNI (AVX512-VNNI/"
                     "AVX-VNNI) or AMX int8 GEMM kernels from CPUID at load time"),
    }


def sixteen_token_sentences(data_path, model_dir):
    """The benchmark sentences: in-scope CLINC150 utterances of train, val and test (in that
    order, file order within each) that tokenise to exactly SEQ_TOKENS tokens, [CLS] and [SEP]
    included, with tokenizer.json's padding (to 128) turned off. bench/encoder/run selects its
    list by the same rule and checks the SHA-256 of the cycled list against this one's.
    Returns (utterances looked at, the selected sentences)."""
    from tokenizers import Tokenizer
    tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    with open(data_path, encoding="utf-8") as f:
        data = json.load(f)
    texts = [t for split in SPLITS for t, _ in data[split]]
    lengths = [len(e.ids) for e in tokenizer.encode_batch(texts)]
    return len(texts), [t for t, n in zip(texts, lengths) if n == SEQ_TOKENS]


def cycled(texts, count):
    """`count` texts: `texts` in order, starting over as often as needed."""
    return [texts[i % len(texts)] for i in range(count)]


def texts_sha256(texts):
    """SHA-256 of the texts as the file bench/encoder/run writes: one per line, each ending in a newline."""
    import hashlib
    return hashlib.sha256("".join(t + "\n" for t in texts).encode("utf-8")).hexdigest()


def percentile_ms(samples, q):
    return round(float(np.percentile(np.array(samples) * 1000.0, q)), 3)


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--model-dir", default=os.path.join(ROOT, "models", "minilm"))
    parser.add_argument("--data", default=corpus.CLINC_PATH, help="CLINC150 data_full.json")
    parser.add_argument("--out-dir", default=os.path.join(ROOT, ".build", "onnx-peer"))
    parser.add_argument("--count", type=int, default=1000,
                        help="16-token sentences to embed per pass (the 719 cycled)")
    parser.add_argument("--repeats", type=int, default=3, help="throughput passes (median)")
    parser.add_argument("--latency", type=int, default=300, help="single-sentence calls")
    parser.add_argument("--threads", default="1,2", help="intra-op thread counts")
    args = parser.parse_args()
    thread_counts = [int(t) for t in args.threads.split(",")]
    os.makedirs(args.out_dir, exist_ok=True)
    fp32_path = os.path.join(args.out_dir, "minilm-fp32.onnx")
    int8_path = os.path.join(args.out_dir, "minilm-int8.onnx")
    load_before = os.getloadavg()

    # 1. Build the float32 graph from the same weights the reference uses.
    log(f"loading weights and tokenizer from {args.model_dir}")
    reference = NumpyMiniLM(args.model_dir, dtype=np.float32)
    started = time.perf_counter()
    model = build_onnx(reference)
    onnx.save(model, fp32_path)
    log(f"built {fp32_path} ({len(model.graph.node)} nodes, "
        f"{os.path.getsize(fp32_path) / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
    del model

    # 2. Parity of the fp32 graph with the NumPy reference, as one padded batch.
    texts = corpus.embedding_sentences()
    encodings = reference.tokenizer.encode_batch(texts)
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    log(f"parity: {len(texts)} texts, padded to {ids.shape[1]} tokens; NumPy reference...")
    # The reference runs text by text (padding would only cost time: it is masked out).
    expected = np.concatenate([reference.embed([t]) for t in texts])
    fp32_check = make_session(fp32_path, threads=1)
    fp32_out = run(fp32_check, ids, mask)
    fp32_cos = cosines(fp32_out, expected)
    worst = int(np.argmin(fp32_cos))
    log(f"parity fp32: min cosine {fp32_cos.min():.9f} (text {worst}), mean {fp32_cos.mean():.9f}")
    if fp32_cos.min() < PARITY_MIN_COSINE:
        bad = [(i, float(c)) for i, c in enumerate(fp32_cos) if c < PARITY_MIN_COSINE]
        log(f"error: the fp32 ONNX model disagrees with scripts/encoder/numpy_minilm.py: "
            f"{len(bad)} of {len(texts)} texts have cosine < {PARITY_MIN_COSINE}, "
            f"worst {fp32_cos.min():.6f} on {texts[worst][:80]!r}; first few: {bad[:5]}")
        sys.exit(2)

    # 3. Dynamic int8 quantisation of the linear layers; per channel when ORT accepts it.
    from onnxruntime.quantization import QuantType, quantize_dynamic
    logging.getLogger().setLevel(logging.ERROR)  # hides the "consider pre-processing" warning
    per_channel = True
    per_channel_error = None
    int8_check = None
    for attempt in (True, False):
        try:
            quantize_dynamic(fp32_path, int8_path, weight_type=QuantType.QInt8,
                             per_channel=attempt, op_types_to_quantize=["MatMul"])
            int8_check = make_session(int8_path, threads=1)
            int8_out = run(int8_check, ids, mask)
            per_channel = attempt
            break
        except Exception as error:  # noqa: BLE001 - any failure means: fall back to per tensor
            if not attempt:
                raise
            per_channel_error = f"{type(error).__name__}: {error}"[:300]
            log(f"per-channel quantisation failed ({per_channel_error}); retrying per tensor")
    int8_cos = cosines(int8_out, expected)
    int8_vs_fp32 = cosines(int8_out, fp32_out)
    log(f"quantised {int8_path} ({'per channel' if per_channel else 'per tensor'}, "
        f"{os.path.getsize(int8_path) / 1e6:.1f} MB): cosine to reference min {int8_cos.min():.6f}, "
        f"mean {int8_cos.mean():.6f}")
    del fp32_check, int8_check

    # 4. Benchmark sentences: CLINC150 utterances of exactly 16 tokens, cycled to --count.
    utterances, sixteen = sixteen_token_sentences(args.data, args.model_dir)
    bench_texts = cycled(sixteen, args.count)
    bench_ids = np.array([reference.tokenizer.encode(t).ids for t in bench_texts], dtype=np.int64)
    bench_mask = np.ones_like(bench_ids)
    batches = [(bench_ids[i:i + BATCH], bench_mask[i:i + BATCH])
               for i in range(0, len(bench_ids), BATCH)]
    # Latency calls go through the sentences in order, starting over if there are fewer.
    latency_rows = [(bench_ids[i % len(bench_ids)][None, :], bench_mask[i % len(bench_ids)][None, :])
                    for i in range(args.latency)]
    log(f"benchmark: {len(bench_texts)} sentences, the {len(sixteen)} 16-token utterances of CLINC150 "
        f"{'+'.join(SPLITS)} (of {utterances}) cycled, batches of {BATCH}, {args.repeats} passes, "
        f"{len(latency_rows)} latency calls")

    results = {}
    histograms = {}
    for name, path in (("fp32", fp32_path), ("int8", int8_path)):
        for threads in thread_counts:
            optimized = os.path.join(args.out_dir, f"minilm-{name}.ort-optimized.onnx")
            session = make_session(path, threads, optimized if threads == thread_counts[0] else None)
            if threads == thread_counts[0]:
                histograms[name] = op_histogram(optimized)
            for batch_ids, batch_mask in batches[:2] + batches[-1:]:  # warm-up, both shapes
                run(session, batch_ids, batch_mask)
            rates = []
            for _ in range(args.repeats):
                started = time.perf_counter()
                for batch_ids, batch_mask in batches:
                    run(session, batch_ids, batch_mask)
                rates.append(len(bench_ids) / (time.perf_counter() - started))
            for row in latency_rows[:10]:  # warm-up for batch 1
                run(session, *row)
            samples = []
            for row in latency_rows:
                started = time.perf_counter()
                run(session, *row)
                samples.append(time.perf_counter() - started)
            entry = {
                "sentences_per_second": round(float(np.median(rates)), 1),
                "sentences_per_second_runs": [round(r, 1) for r in rates],
                "latency_p50_ms": percentile_ms(samples, 50),
                "latency_p99_ms": percentile_ms(samples, 99),
            }
            results[f"{name}_{threads}t"] = entry
            log(f"{name}, {threads} intra-op thread(s): {entry['sentences_per_second']} sentences/s, "
                f"latency p50 {entry['latency_p50_ms']} ms, p99 {entry['latency_p99_ms']} ms")
            del session

    # 5. One JSON object with everything.
    report = {
        "peer": "onnxruntime, all-MiniLM-L6-v2 built from models/minilm/model.safetensors",
        "versions": {
            "onnxruntime": ort.__version__,
            "onnx": onnx.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
            "ort_build": ort_capi.get_build_info(),
        },
        "cpu": cpu_info(),
        "models": {
            "fp32": {"path": os.path.relpath(fp32_path, ROOT), "bytes": os.path.getsize(fp32_path),
                     "opset": OPSET, "ops_after_ort_optimisation": histograms.get("fp32")},
            "int8": {"path": os.path.relpath(int8_path, ROOT), "bytes": os.path.getsize(int8_path),
                     "quantisation": "quantize_dynamic, MatMul weights QInt8, activations QUInt8",
                     "per_channel": per_channel, "per_channel_error": per_channel_error,
                     "ops_after_ort_optimisation": histograms.get("int8")},
        },
        "parity": {
            "texts": len(texts),
            "reference": "scripts/encoder/numpy_minilm.py, float32, text by text",
            "onnx_input": "one padded batch of all texts",
            "fp32_vs_reference_cosine_min": float(fp32_cos.min()),
            "fp32_vs_reference_cosine_mean": float(fp32_cos.mean()),
            "fp32_threshold": PARITY_MIN_COSINE,
            "int8_vs_reference_cosine_min": float(int8_cos.min()),
            "int8_vs_reference_cosine_mean": float(int8_cos.mean()),
            "int8_vs_fp32_onnx_cosine_min": float(int8_vs_fp32.min()),
        },
        "benchmark": {
            "data": args.data,
            "splits": list(SPLITS),
            "utterances": utterances,
            "utterances_with_16_tokens": len(sixteen),
            "sentences": len(bench_texts),
            "sentences_sha256": texts_sha256(bench_texts),
            "tokens_per_sentence": SEQ_TOKENS,
            "batch": BATCH,
            "repeats": args.repeats,
            "latency_samples": len(latency_rows),
            "latency_distinct_sentences": min(len(latency_rows), len(sixteen)),
            "timed": "session.run only (token ids prepared beforehand)",
            "session": "CPUExecutionProvider, ORT_ENABLE_ALL, inter_op_num_threads 1",
            "load_average_before": [round(v, 2) for v in load_before],
            "load_average_after": [round(v, 2) for v in os.getloadavg()],
        },
        "results": results,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
