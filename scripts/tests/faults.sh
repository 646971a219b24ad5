#!/usr/bin/env bash
# Issue 17, the fault suite on a running server (`supportbot serve`, SQLite, real TLS), while four
# clients chat without pause:
#   1. the disk under the state folder fills up (a 48 MB tmpfs), then space is freed;
#   2. the state folder turns read-only (mode 0555, its files 0444) under a server without
#      root's rights, then writable again;
#   3. the wall clock jumps back an hour, then forward a day (libfaketime; the monotonic clock is
#      left alone, as an NTP step leaves it).
# Each ends in `unavailable` answers with the reason in the log and recovery without a restart,
# or in no visible effect; the server never exits; afterwards every acknowledged reply is in the
# store and `supportbot check` passes. Part 1 needs a private mount namespace (root, or
# unprivileged user namespaces); without one it says so and is skipped. Needs the debug build
# and libfaketime (scripts/install-deps).
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "FAIL: $*" >&2; for f in "${work:-/nonexistent}"/*.log; do [[ -f "$f" ]] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }; done; exit 1; }
bin="$(swift build --show-bin-path)/supportbot"
[[ -x "$bin" ]] || fail "build first: swift build --product supportbot"
faketime_lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
[[ -f "$faketime_lib" ]] || fail "libfaketime is missing: run scripts/install-deps"

# Re-run in a private mount namespace, so that the tmpfs disappears with the script.
if [[ -z "${SUPPORTBOT_FAULTS_NAMESPACE:-}" ]]; then
    if [[ "$(id -u)" == 0 ]] && unshare --mount --propagation private true 2>/dev/null; then
        exec unshare --mount --propagation private env SUPPORTBOT_FAULTS_NAMESPACE=1 bash "$0" "$@"
    fi
    echo "faults: no private mount namespace here (needs root); the disk-full part is skipped" >&2
    export SUPPORTBOT_FAULTS_NAMESPACE=none
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/supportbot-faults.XXXXXX")"
chmod 755 "$work"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill -9 "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    [[ -z "${driver_pid:-}" ]] || kill -9 "$driver_pid" 2>/dev/null || true
    chmod -R u+w "$work" 2>/dev/null || true
    if mountpoint -q "$work/disk" 2>/dev/null; then umount "$work/disk" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# A server without root's rights (so permissions bind it), as the operator would run it.
as_server=()
if [[ "$(id -u)" == 0 ]]; then as_server=(setpriv --reuid=nobody --regid=nogroup --clear-groups); fi
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

start_server() { # STATE PORT LOG [ENV...]; sets $server_pid
    local state="$1" port="$2" log="$3"
    shift 3
    # The model trained by the first server is reused (as a deployment ships it), to save time.
    if [[ -f "$work/model.sbm" && ! -f "$state/model.sbm" ]]; then
        mkdir -p "$state"
        cp "$work/model.sbm" "$state/model.sbm"
        [[ -z "${as_server[*]}" ]] || chown -R nobody:nogroup "$state"
    fi
    "${as_server[@]}" env "$@" "$bin" serve --state "$state" --listen "127.0.0.1:$port" --no-encoder --no-fine-tune \
        --rate 1000 --rate-burst 1000 --log-level warning >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 600); do
        if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then
            [[ -f "$work/model.sbm" ]] || cp "$state/model.sbm" "$work/model.sbm"
            return 0
        fi
        kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; fail "the server exited at start"; }
        sleep 0.1
    done
    cat "$log" >&2
    fail "no server listening on port $port"
}

stop_server() { # LOG: SIGTERM, then the exit status must be 0
    kill -TERM "$server_pid"
    local status=0
    wait "$server_pid" || status=$?
    server_pid=""
    [[ $status -eq 0 ]] || { tail -n 20 "$1" >&2; fail "the server exited with status $status after SIGTERM"; }
}

verify_store() { # STATE ACKED-FILE: every acknowledged reply stored, integrity ok
    "$bin" check --state "$1" --log-level error >/dev/null 2>&1 || fail "check failed on $1"
    "$bin" export --all --format jsonl --state "$1" --log-level error >"$work/export.jsonl" \
        || fail "export of $1 failed"
    python3 - "$work/export.jsonl" "$2" <<'PY'
import json, sys
stored = {json.loads(line)["id"] for line in open(sys.argv[1]) if line.strip()}
acked = [line.strip() for line in open(sys.argv[2]) if line.strip()]
missing = [m for m in acked if m not in stored]
if missing:
    sys.exit("FAIL: %d of %d acknowledged replies are not in the store, e.g. %s" % (len(missing), len(acked), missing[:3]))
print("   all %d acknowledged replies are stored" % len(acked))
PY
}

# The clients: four TLS connections in JSON mode, each sending the next message as soon as the
# last is answered. `phase NAME SECONDS` records what each answer was during the phase; the
# driver reads commands (one per line) from a FIFO and writes results to stdout.
driver="$work/driver.py"
cat >"$driver" <<'PY'
import json, socket, ssl, sys, threading, time

port, ca, acked_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
context = ssl.create_default_context(cafile=ca)
lock = threading.Lock()
counts = {}
phase = "warm-up"
stop = False
acked = open(acked_path, "a")
texts = ["where is my order?", "how do I return a tent?", "do you ship to Canada?", "thanks a lot"]

def record(kind):
    with lock:
        counts.setdefault(phase, {}).setdefault(kind, 0)
        counts[phase][kind] += 1

def client(number):
    buffer = b""
    sock = context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=30), server_hostname="localhost")
    def request(obj):
        nonlocal buffer
        sock.sendall(json.dumps(obj).encode() + b"\n")
        while True:
            while b"\n" not in buffer:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError("the server closed the connection")
                buffer += chunk
            line, buffer = buffer.split(b"\n", 1)
            answer = json.loads(line)
            if answer.get("type") != "delta":
                return answer
    if request({"type": "hello", "client": "faults-%d" % number}).get("type") != "welcome":
        record("hello refused")
        return
    sent = 0
    while not stop:
        answer = request({"type": "message", "text": texts[sent % len(texts)]})
        sent += 1
        if answer.get("type") == "reply":
            with lock:
                acked.write(answer["message"] + "\n")
                acked.flush()
            record("reply")
        elif answer.get("type") == "error":
            record(answer.get("code"))
            time.sleep(0.05)
        else:
            record("unexpected " + str(answer.get("type")))

threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(4)]
for thread in threads:
    thread.start()
for command in sys.stdin:
    words = command.split()
    if words[0] == "phase":
        with lock:
            phase = words[1]
        time.sleep(float(words[2]))
        with lock:
            result = dict(counts.get(words[1], {}))
        print(json.dumps({"phase": words[1], "counts": result}), flush=True)
    elif words[0] == "until":  # KIND NAME TIMEOUT: a new phase, until the first answer of that kind
        kind, name = words[1], words[2]
        with lock:
            phase = name
        started = time.monotonic()
        while time.monotonic() - started < float(words[3]):
            with lock:
                if counts.get(name, {}).get(kind):
                    break
            time.sleep(0.02)
        with lock:
            result = dict(counts.get(name, {}))
        print(json.dumps({"phase": name, "counts": result, "seconds": round(time.monotonic() - started, 3)}), flush=True)
    elif words[0] == "stop":
        stop = True
        for thread in threads:
            thread.join(timeout=30)
        alive = sum(thread.is_alive() for thread in threads)
        print(json.dumps({"stopped": True, "clients_stuck": alive}), flush=True)
        break
PY

# Talks to the driver: `ask COMMAND` prints its one-line JSON answer.
start_driver() { # PORT CA
    mkfifo "$work/to-driver" "$work/from-driver"
    python3 "$driver" "$1" "$2" "$work/acked" <"$work/to-driver" >"$work/from-driver" &
    driver_pid=$!
    exec 3>"$work/to-driver"
    exec 4<"$work/from-driver"
}
ask() { echo "$*" >&3; local line; read -r line <&4 || fail "the client driver stopped (see above)"; echo "$line"; }
field() { python3 -c "import json, sys; d = json.loads(sys.argv[1]); print(eval(sys.argv[2], {}, d))" "$1" "$2"; }
stop_driver() {
    local answer
    answer="$(ask stop)"
    exec 3>&- 4<&-
    wait "$driver_pid" || fail "the client driver failed"
    rm -f "$work/to-driver" "$work/from-driver"
    [[ "$(field "$answer" clients_stuck)" == 0 ]] || fail "clients stuck after stop: $answer"
}
expect_only_replies() { # ANSWER
    [[ "$(field "$1" "sorted(counts)")" == "['reply']" ]] || fail "expected only replies: $1"
}
expect_unavailable() { # ANSWER: unavailable answers, nothing but replies and unavailable
    [[ "$(field "$1" "counts.get('unavailable', 0) > 0")" == True ]] || fail "expected unavailable answers: $1"
    [[ "$(field "$1" "sorted(set(counts) - {'reply', 'unavailable'})")" == "[]" ]] || fail "unexpected answers: $1"
}

# 1. The disk fills up under load, then space is freed.
if [[ "$SUPPORTBOT_FAULTS_NAMESPACE" == 1 ]]; then
    echo "== disk full under load"
    mkdir -p "$work/disk"
    mount -t tmpfs -o size=48m,mode=0777 tmpfs "$work/disk"
    state="$work/disk/state"
    log="$work/disk-full.log"
    port="$(free_port)"
    start_server "$state" "$port" "$log"
    start_driver "$port" "$state/tls/ca.pem"
    expect_only_replies "$(ask phase warm-up 2)"
    # Fill what is left of the disk.
    python3 -c '
import errno, sys
with open(sys.argv[1], "wb") as filler:
    try:
        while True:
            filler.write(b"\0" * (1 << 20))
            filler.flush()
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
' "$work/disk/filler"
    answer="$(ask until unavailable disk-full 30)"
    echo "   disk full: $answer"
    expect_unavailable "$answer"
    kill -0 "$server_pid" || fail "the server exited when the disk filled"
    grep -q "disk_full\|disk is full\|diskFull" "$log" || { tail -n 20 "$log" >&2; fail "the log does not say the disk is full"; }
    rm -f "$work/disk/filler"
    answer="$(ask until reply space-freed 15)"
    echo "   space freed: $answer"
    [[ "$(field "$answer" "counts.get('reply', 0) > 0")" == True ]] || fail "no reply within 15 s of freeing space: $answer"
    expect_only_replies "$(ask phase after-space-freed 2)"
    stop_driver
    stop_server "$log"
    verify_store "$state" "$work/acked"
    umount "$work/disk"
    rm -f "$work/acked"
fi

# 2. The state folder turns read-only under load: the open database keeps taking writes (its
#    files are open), so nothing changes for the customers; a restart is then refused with a
#    clear message, and works again once the folder is writable.
echo "== state folder read-only under load"
state="$work/state"
mkdir -p "$state"
[[ -z "${as_server[*]}" ]] || chown nobody:nogroup "$state"
log="$work/read-only.log"
port="$(free_port)"
start_server "$state" "$port" "$log"
start_driver "$port" "$state/tls/ca.pem"
expect_only_replies "$(ask phase warm-up 1)"
find "$state" -type f -exec chmod a-w {} +
find "$state" -type d -exec chmod a-w {} +
answer="$(ask phase read-only 3)"
echo "   read-only: $answer"
expect_only_replies "$answer"
stop_driver
stop_server "$log"
status=0
output="$("${as_server[@]}" "$bin" serve --state "$state" --listen "127.0.0.1:$port" --no-encoder --no-fine-tune \
    --log-level warning 2>&1)" || status=$?
[[ $status -ne 0 && "$output" == *"not writable"* ]] || fail "a restart on the read-only folder said ($status): $output"
echo "   restart refused: $(grep -m1 "not writable" <<<"$output")"
find "$state" -exec chmod u+w {} +
verify_store "$state" "$work/acked"
rm -f "$work/acked"

# 3. The server runs out of file descriptors: connections beyond the limit fail at accept, the
#    server says what to do and keeps serving; once they close, new connections are served.
echo "== out of file descriptors"
log="$work/descriptors.log"
port="$(free_port)"
start_server "$state" "$port" "$log" prlimit --nofile=96 --
python3 - "$port" "$state/tls/ca.pem" <<'PY'
import json, socket, ssl, sys, time
port, ca = int(sys.argv[1]), sys.argv[2]
context = ssl.create_default_context(cafile=ca)
def chat():
    sock = context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10), server_hostname="localhost")
    sock.sendall(b'{"type":"hello"}\n{"type":"message","text":"where is my order?"}\n')
    data = b""
    while data.count(b"\n") < 2:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed after %r" % data)
        data += chunk
    replies = [json.loads(line) for line in data.split(b"\n") if line.strip()]
    sock.close()
    return [r.get("type") for r in replies if r.get("type") != "delta"][:2]
held = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(150)]
time.sleep(1.5)
for sock in held:
    sock.close()
for attempt in range(100):
    try:
        if chat() == ["welcome", "reply"]:
            print("   out of descriptors: served again %.1f s after the excess connections closed" % (attempt * 0.1))
            break
    except (OSError, ConnectionError):
        pass
    time.sleep(0.1)
else:
    sys.exit("FAIL: no connection served after running out of file descriptors")
PY
kill -0 "$server_pid" || fail "the server exited when it ran out of file descriptors"
grep -q "server.accept_failed" "$log" || fail "the log does not mention the failed accepts"
grep -q "ulimit -n" "$log" || fail "the log does not say what to do about file descriptors"
stop_server "$log"

# 4. The wall clock jumps back an hour, then forward a day, under load.
echo "== wall clock jumps under load"
clock="$work/faketime"
echo "+0" >"$clock"
chmod 644 "$clock"
state="$work/clock-state"
mkdir -p "$state"
[[ -z "${as_server[*]}" ]] || chown nobody:nogroup "$state"
log="$work/clock.log"
port="$(free_port)"
start_server "$state" "$port" "$log" LD_PRELOAD="$faketime_lib" FAKETIME_TIMESTAMP_FILE="$clock" \
    FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1
start_driver "$port" "$state/tls/ca.pem"
expect_only_replies "$(ask phase warm-up 2)"
echo "-1h" >"$clock"
answer="$(ask phase back-an-hour 3)"
echo "   back an hour: $answer"
expect_only_replies "$answer"
echo "+1d" >"$clock"
answer="$(ask phase forward-a-day 3)"
echo "   forward a day: $answer"
expect_only_replies "$answer"
stop_driver
stop_server "$log"
verify_store "$state" "$work/acked"
# The jumps really happened (message times an hour back and a day ahead), and order is by seq.
python3 - "$work/export.jsonl" <<'PY'
import json, sys, time
from datetime import datetime
messages = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
now = time.time()
stamps = [datetime.fromisoformat(m["created_at"].replace("Z", "+00:00")).timestamp() for m in messages]
if not any(s < now - 1800 for s in stamps) or not any(s > now + 20 * 3600 for s in stamps):
    sys.exit("FAIL: the stored times do not show both jumps; is libfaketime working?")
by_conversation = {}
for m in messages:
    by_conversation.setdefault(m["conversation"], []).append(m["seq"])
for conversation, seqs in by_conversation.items():
    if seqs != list(range(1, len(seqs) + 1)):
        sys.exit("FAIL: conversation %s has seq %s" % (conversation, seqs[:10]))
print("   %d messages in %d conversations, in order; times span %.1f hours" % (
    len(messages), len(by_conversation), (max(stamps) - min(stamps)) / 3600))
PY
echo "ok: disk full, a read-only state folder, running out of file descriptors and clock jumps under load end in clear errors and recovery; nothing acknowledged was lost"
