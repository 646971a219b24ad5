"""An independent NumPy implementation of all-MiniLM-L6-v2 (BERT encoder + mean pooling + L2).

Written straight from the BERT definition, deliberately plain: padded batches with an additive
attention mask, erf GELU from SciPy, LayerNorm with eps 1e-12. It shares nothing with the Swift
encoder except the weights file; token ids come from the Hugging Face `tokenizers` package.
"""

import json
import os

import numpy as np
from safetensors.numpy import load_file
from scipy.special import erf
from tokenizers import Tokenizer


class NumpyMiniLM:
    def __init__(self, model_dir, dtype=np.float64, max_tokens=256):
        with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
            self.config = json.load(f)
        raw = load_file(os.path.join(model_dir, "model.safetensors"))
        self.w = {k: v.astype(dtype) for k, v in raw.items() if v.dtype != np.int64}
        self.dtype = dtype
        self.heads = self.config["num_attention_heads"]
        self.layers = self.config["num_hidden_layers"]
        self.eps = self.config["layer_norm_eps"]
        self.tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def layer_norm(self, x, prefix):
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[prefix + ".weight"] + self.w[prefix + ".bias"]

    def linear(self, x, prefix):
        return x @ self.w[prefix + ".weight"].T + self.w[prefix + ".bias"]

    def forward(self, ids, mask):
        batch, length = ids.shape
        x = (self.w["embeddings.word_embeddings.weight"][ids]
             + self.w["embeddings.position_embeddings.weight"][np.arange(length)][None, :, :]
             + self.w["embeddings.token_type_embeddings.weight"][0][None, None, :])
        x = self.layer_norm(x, "embeddings.LayerNorm")
        hidden = x.shape[-1]
        head_dim = hidden // self.heads
        # Padding keys get a large negative score, so they receive zero attention weight.
        additive = ((1.0 - mask) * -1e9).astype(self.dtype)[:, None, None, :]
        for i in range(self.layers):
            p = f"encoder.layer.{i}"

            def split(t):
                return t.reshape(batch, length, self.heads, head_dim).transpose(0, 2, 1, 3)

            q = split(self.linear(x, p + ".attention.self.query"))
            k = split(self.linear(x, p + ".attention.self.key"))
            v = split(self.linear(x, p + ".attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head_dim) + additive
            scores = scores - scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs = probs / probs.sum(axis=-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            attention = self.linear(context, p + ".attention.output.dense")
            x = self.layer_norm(x + attention, p + ".attention.output.LayerNorm")
            inner = self.linear(x, p + ".intermediate.dense")
            inner = 0.5 * inner * (1.0 + erf(inner / np.sqrt(2.0)))
            out = self.linear(inner, p + ".output.dense")
            x = self.layer_norm(x + out, p + ".output.LayerNorm")
        return x

    def embed(self, texts):
        if not texts:
            return np.zeros((0, self.config["hidden_size"]), dtype=self.dtype)
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=self.dtype)
        x = self.forward(ids, mask)
        pooled = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
