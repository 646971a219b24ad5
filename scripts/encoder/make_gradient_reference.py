"""Writes the gradient reference the Swift fine-tuning test compares against.

  models/reference/gradients.json  the loss of a fixed fine-tuning batch and, for each weight
                                   tensor of MiniLM's top two layers (4 and 5), its gradient's L2
                                   norm and its values at 6 fixed flat indices (float64)

The gradients come from the HIPS `autograd` package (reverse mode over NumPy), through a BERT
forward pass written here from the BERT definition with `autograd.numpy`: embeddings, erf GELU,
LayerNorm with the eps of config.json, one sentence at a time (no padding, no mask). It shares
nothing with the Swift encoder except the weights file; token ids come from the Hugging Face
`tokenizers` package loading tokenizer.json.

The objective is the one EncoderFineTuner trains: layers 0–3 fixed, layers 4 and 5 the
variables; each sentence's embedding is the mean of its last hidden states (every token, [CLS]
and [SEP] included), L2-normalised; logits = W·e + b with the fixed head below; mean
cross-entropy over the sentences.

Usage: python make_gradient_reference.py <model_dir> <out_dir>
"""

import json
import math
import os
import sys

import autograd.numpy as anp
import numpy as np
from autograd import value_and_grad
from autograd.scipy.special import erf, logsumexp
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MAX_TOKENS = 256
SENTENCES = [
    "where is my order",
    "I forgot my password and cannot log in",
    "cancel my subscription please",
    "what time do you open on sunday",
]
LABELS = [0, 1, 2, 1]
CLASSES = 3
TUNED_LAYERS = [4, 5]
PROBES = 6

# The PyTorch names of one layer's tensors, in the order of the Swift LayerParameterLayout.
TENSORS = [
    "attention.self.query.weight", "attention.self.query.bias",
    "attention.self.key.weight", "attention.self.key.bias",
    "attention.self.value.weight", "attention.self.value.bias",
    "attention.output.dense.weight", "attention.output.dense.bias",
    "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
    "intermediate.dense.weight", "intermediate.dense.bias",
    "output.dense.weight", "output.dense.bias",
    "output.LayerNorm.weight", "output.LayerNorm.bias",
]


def head_weight(hidden):
    """W[c][j] = 0.5·sin(0.37·(c·hidden + j) + 0.1): fixed, varied, and the same in the Swift test."""
    flat = np.arange(CLASSES * hidden, dtype=np.float64)
    return (0.5 * np.sin(0.37 * flat + 0.1)).reshape(CLASSES, hidden)


def probe_indices(count):
    """6 flat indices spread over a tensor of `count` values, each offset within its sixth so
    they land on different rows and columns."""
    sixth = count // PROBES
    return [k * sixth + (k * 37) % sixth for k in range(PROBES)]


def compact_json(value, depth=0):
    """JSON with one line per object that holds no list of objects: small and still readable."""
    def has_objects(v):
        return isinstance(v, list) and any(isinstance(x, dict) for x in v)

    pad = " " * (depth + 1)
    if has_objects(value):
        return "[\n" + ",\n".join(pad + compact_json(v, depth + 1) for v in value) + "\n" + " " * depth + "]"
    if isinstance(value, dict) and any(has_objects(v) for v in value.values()):
        items = [pad + json.dumps(k) + ": " + compact_json(v, depth + 1) for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * depth + "}"
    return json.dumps(value, ensure_ascii=True)


class Bert:
    def __init__(self, model_dir):
        with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
            config = json.load(f)
        raw = load_file(os.path.join(model_dir, "model.safetensors"))
        self.w = {k: v.astype(np.float64) for k, v in raw.items() if v.dtype != np.int64}
        self.hidden = config["hidden_size"]
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.eps = config["layer_norm_eps"]
        assert config["hidden_act"] == "gelu", config["hidden_act"]

    def layer_weights(self, index):
        return {name: self.w[f"encoder.layer.{index}.{name}"] for name in TENSORS}

    def layer_norm(self, x, scale, shift):
        mean = anp.mean(x, axis=-1, keepdims=True)
        var = anp.mean((x - mean) ** 2, axis=-1, keepdims=True)
        return (x - mean) / anp.sqrt(var + self.eps) * scale + shift

    def embed_tokens(self, ids):
        x = (self.w["embeddings.word_embeddings.weight"][ids]
             + self.w["embeddings.position_embeddings.weight"][: len(ids)]
             + self.w["embeddings.token_type_embeddings.weight"][0])
        return self.layer_norm(x, self.w["embeddings.LayerNorm.weight"], self.w["embeddings.LayerNorm.bias"])

    def layer(self, x, p):
        """One encoder layer over one sentence's hidden states x [length, hidden]; p maps the
        names of TENSORS to plain or autograd-traced arrays."""
        length = x.shape[0]
        head_dim = self.hidden // self.heads

        def linear(t, name):
            return anp.dot(t, p[name + ".weight"].T) + p[name + ".bias"]

        def split(t):  # [length, hidden] -> [heads, length, head_dim]
            return anp.transpose(anp.reshape(t, (length, self.heads, head_dim)), (1, 0, 2))

        q = split(linear(x, "attention.self.query"))
        k = split(linear(x, "attention.self.key"))
        v = split(linear(x, "attention.self.value"))
        scores = anp.matmul(q, anp.transpose(k, (0, 2, 1))) / math.sqrt(head_dim)
        scores = scores - anp.max(scores, axis=-1, keepdims=True)
        probs = anp.exp(scores)
        probs = probs / anp.sum(probs, axis=-1, keepdims=True)
        context = anp.reshape(anp.transpose(anp.matmul(probs, v), (1, 0, 2)), (length, self.hidden))
        x = self.layer_norm(x + linear(context, "attention.output.dense"),
                            p["attention.output.LayerNorm.weight"], p["attention.output.LayerNorm.bias"])
        inner = linear(x, "intermediate.dense")
        inner = 0.5 * inner * (1.0 + erf(inner / math.sqrt(2.0)))
        return self.layer_norm(x + linear(inner, "output.dense"),
                               p["output.LayerNorm.weight"], p["output.LayerNorm.bias"])


def main():
    model_dir, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    ids = [e.ids for e in tokenizer.encode_batch(SENTENCES)]

    bert = Bert(model_dir)
    first_tuned = TUNED_LAYERS[0]
    assert TUNED_LAYERS == list(range(first_tuned, bert.layers)), "the tuned layers must be the top ones"
    # The fixed lower layers, run once (plain NumPy arrays through the same code).
    lower = []
    for sentence in ids:
        x = bert.embed_tokens(np.array(sentence, dtype=np.int64))
        for index in range(first_tuned):
            x = bert.layer(x, bert.layer_weights(index))
        lower.append(x)

    w = head_weight(bert.hidden)
    b = np.zeros(CLASSES)

    def loss(params):
        total = 0.0
        for x, label in zip(lower, LABELS):
            for index in TUNED_LAYERS:
                x = bert.layer(x, params[str(index)])
            pooled = anp.mean(x, axis=0)
            e = pooled / anp.sqrt(anp.sum(pooled * pooled))
            logits = anp.dot(w, e) + b
            total = total + logsumexp(logits) - logits[label]
        return total / len(LABELS)

    params = {str(index): bert.layer_weights(index) for index in TUNED_LAYERS}
    value, gradient = value_and_grad(loss)(params)

    layers = []
    for index in TUNED_LAYERS:
        tensors = []
        for name in TENSORS:
            g = np.asarray(gradient[str(index)][name], dtype=np.float64)
            assert g.shape == params[str(index)][name].shape
            flat = g.reshape(-1)
            indices = probe_indices(flat.size)
            tensors.append({
                "name": name, "shape": list(g.shape), "norm": float(np.linalg.norm(flat)),
                "indices": indices, "values": [float(flat[i]) for i in indices],
            })
        layers.append({"layer": index, "tensors": tensors})

    reference = {
        "description": "gradient of the mean cross-entropy of a pooled softmax head with respect to the "
                       "weights of the top two layers, from autograd (scripts/encoder/make_gradient_reference.py)",
        "head": "W[c][j] = 0.5*sin(0.37*(c*hidden+j)+0.1), b = 0",
        "sentences": [{"text": t, "ids": i, "label": l} for t, i, l in zip(SENTENCES, ids, LABELS)],
        "classes": CLASSES,
        "loss": float(value),
        "layers": layers,
    }
    path = os.path.join(out_dir, "gradients.json")
    tmp = path + ".partial"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(compact_json(reference) + "\n")
    os.replace(tmp, path)
    print(f"encoder-reference: wrote gradients of layers {TUNED_LAYERS} (loss {float(value):.6f}) to {path}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
