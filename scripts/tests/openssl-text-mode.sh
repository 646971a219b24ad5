#!/usr/bin/env bash
# Starts the real `supportbot serve` on an ephemeral port with the sample content, then:
#  1. chats in text mode through a real `openssl s_client` process, verifying the dev certificate;
#  2. checks that a plaintext client is not served;
#  3. sends SIGTERM and checks a clean exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${SUPPORTBOT_BIN:-$ROOT/.build/debug/supportbot}"
[[ -x "$BIN" ]] || { echo "missing $BIN: build first (swift build)"; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/supportbot-script.XXXXXX")"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$BIN" serve --intents "$ROOT/intents" --faqs "$ROOT/faqs" --state "$WORK/state" \
    --encoder "$ROOT/models/minilm" --listen "127.0.0.1:$PORT" --log-level warning 2>"$WORK/server.log" &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

fail() { echo "FAIL: $*"; echo "--- server log"; cat "$WORK/server.log"; exit 1; }

for _ in $(seq 1 600); do
    grep -q "listening on" "$WORK/server.log" 2>/dev/null && break
    kill -0 "$PID" 2>/dev/null || fail "the server exited during start-up"
    sleep 0.5
done
grep -q "listening on" "$WORK/server.log" || fail "the server did not start within 300 s"
grep -q "SHA-256 fingerprint" "$WORK/server.log" || fail "no certificate fingerprint printed"

# 1. Text mode through openssl, verifying the server certificate against the dev CA.
{ printf 'hi there\n'; sleep 1; printf 'how long does standard shipping take?\n'; sleep 1; printf '/quit\n'; } \
    | timeout 30 openssl s_client -quiet -connect "127.0.0.1:$PORT" -CAfile "$WORK/state/tls/ca.pem" \
        -verify_return_error -verify_hostname localhost >"$WORK/out.txt" 2>"$WORK/openssl.err" \
    || fail "openssl s_client failed: $(cat "$WORK/openssl.err")"
grep -q '^\[1\] .*(.*)$' "$WORK/out.txt" || fail "no '[1] title (file)' source line in: $(cat "$WORK/out.txt")"
grep -q '^Goodbye\.$' "$WORK/out.txt" || fail "no Goodbye after /quit in: $(cat "$WORK/out.txt")"
[[ "$(grep -c '^$' "$WORK/out.txt")" -ge 3 ]] || fail "answers are not each ended by an empty line"
echo "ok: text mode via openssl s_client ($(wc -l <"$WORK/out.txt") lines)"

# 2. Plaintext gets no service: nothing but TLS bytes (or nothing) comes back.
REPLY="$(printf 'hi\n{"type":"ping"}\n' | timeout 5 python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(sys.stdin.buffer.read())
s.settimeout(3)
data = b""
try:
    while True:
        chunk = s.recv(4096)
        if not chunk: break
        data += chunk
except Exception:
    pass
sys.stdout.write(data.decode("latin-1").replace("\0", ""))
' "$PORT" || true)"
if grep -q -e pong -e Ridgeline <<<"$REPLY"; then fail "a plaintext client was served"; fi
echo "ok: plaintext client not served"

# 3. SIGTERM: graceful stop with status 0.
kill -TERM "$PID"
STATUS=0
wait "$PID" || STATUS=$?
[[ "$STATUS" -eq 0 ]] || fail "serve exited with status $STATUS after SIGTERM"
echo "ok: graceful shutdown on SIGTERM"
