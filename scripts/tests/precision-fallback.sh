#!/usr/bin/env bash
# Issue 18: the encoder's precision dispatch on a CPU without native bfloat16, forced by capping
# oneDNN's instruction set (DNNL_MAX_CPU_ISA=AVX2): `--precision auto` runs fp32 and says so,
# an explicit `--precision bf16` is refused with what to do, and both give the same vectors as
# an explicit fp32. Needs the debug build and the encoder weights.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "FAIL: $*" >&2; exit 1; }
bin="$(swift build --show-bin-path)/supportbot"
[[ -x "$bin" ]] || fail "build first: swift build --product supportbot"
[[ -f models/minilm/model.safetensors ]] || fail "no encoder weights: run scripts/fetch-encoder"
work="$(mktemp -d "${TMPDIR:-/tmp}/supportbot-precision.XXXXXX")"
trap 'rm -rf "$work"' EXIT
printf '%s\n' "where is my order?" "how do I return a tent?" >"$work/texts"

DNNL_MAX_CPU_ISA=AVX2 "$bin" embed --precision auto --log-level info <"$work/texts" >"$work/auto" 2>"$work/auto.log" \
    || { cat "$work/auto.log" >&2; fail "embed --precision auto failed with bfloat16 turned off"; }
grep -q "encoder.precision=fp32" "$work/auto.log" || { cat "$work/auto.log" >&2; fail "auto did not fall back to fp32"; }
grep -q "encoder.cpu_isa=avx2" "$work/auto.log" || fail "the log does not name the capped instruction set"

status=0
DNNL_MAX_CPU_ISA=AVX2 "$bin" embed --precision bf16 <"$work/texts" >/dev/null 2>"$work/bf16.log" || status=$?
[[ $status -ne 0 ]] || fail "--precision bf16 ran on a CPU without bfloat16"
grep -q "use --precision fp32 or auto" "$work/bf16.log" || { cat "$work/bf16.log" >&2; fail "the refusal does not say what to do"; }
if grep -q "fetch-encoder" "$work/bf16.log"; then fail "the refusal blames the weights: $(cat "$work/bf16.log")"; fi

"$bin" embed --precision fp32 --log-level error <"$work/texts" >"$work/fp32"
cmp -s "$work/auto" "$work/fp32" || fail "auto on a capped CPU differs from fp32"
echo "ok: without native bfloat16, auto runs fp32 (same vectors) and bf16 is refused with what to do"
