#!/usr/bin/env bash
# Issue 15, a node killed with SIGKILL: two `supportbot serve` processes share one throwaway
# PostgreSQL cluster; a customer chats on node 1, node 1 is killed with SIGKILL, and the
# customer reconnects to node 2, resumes the same conversation with its full history (every
# acknowledged message) and is answered there. Prints the failover time (SIGKILL until the
# first answer from node 2). Needs the debug build (`swift build`) and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "FAIL: $*" >&2; exit 1; }

bin="$(swift build --show-bin-path)/supportbot"
[[ -x "$bin" ]] || fail "build first: swift build --product supportbot"
work="$(mktemp -d "${TMPDIR:-/tmp}/supportbot-failover.XXXXXX")"
chmod 755 "$work"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    scripts/postgres-cluster stop "$work/cluster" || true
    rm -rf "$work"
}
trap cleanup EXIT

url="$(scripts/postgres-cluster start "$work/cluster")"
token="$("$bin" token create alice --database "$url" --log-level error 2>/dev/null)"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

started=""
start_node() { # NAME PORT; sets $started to the pid (not in a subshell, so cleanup sees every pid)
    "$bin" serve --state "$work/$1" --database "$url" --listen "127.0.0.1:$2" --no-encoder --no-fine-tune \
        --log-level warning >"$work/$1.log" 2>&1 &
    started=$!
    disown "$started" # its SIGKILL is the point of the test, not news for the terminal
    pids+=("$started")
}
wait_for_port() { # PORT LOG
    for _ in $(seq 1 600); do
        if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    cat "$2" >&2
    fail "no node listening on port $1"
}

port1="$(free_port)"
start_node node1 "$port1"
node1="$started"
wait_for_port "$port1" "$work/node1.log"
# The second node serves the same certificate and model (as a deployment ships them to every node).
mkdir -p "$work/node2"
cp -r "$work/node1/tls" "$work/node2/tls"
cp "$work/node1/model.sbm" "$work/node2/model.sbm"
port2="$(free_port)"
start_node node2 "$port2"
wait_for_port "$port2" "$work/node2.log"

python3 - "$port1" "$port2" "$token" "$node1" "$work/node1/tls/ca.pem" <<'PY'
import json, os, signal, socket, ssl, sys, time

port1, port2, token, node1, ca = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
context = ssl.create_default_context(cafile=ca)

def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)

class Line:
    def __init__(self, port):
        raw = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.sock = context.wrap_socket(raw, server_hostname="localhost")
        self.buffer = b""
    def request(self, obj):
        self.sock.sendall(json.dumps(obj).encode() + b"\n")
        while True:
            while b"\n" not in self.buffer:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("closed")
                self.buffer += chunk
            line, self.buffer = self.buffer.split(b"\n", 1)
            answer = json.loads(line)
            if answer.get("type") != "delta":
                return answer

customer = Line(port1)
if customer.request({"type": "hello", "token": token}).get("type") != "welcome":
    fail("hello refused on node 1")
acknowledged = []
conversation = None
for text in ["where is my order?", "how do I return a tent?", "thanks"]:
    reply = customer.request({"type": "message", "text": text})
    if reply.get("type") != "reply":
        fail("node 1 did not answer: %s" % reply)
    conversation = reply["conversation"]
    acknowledged.append(reply["message"])

killed = time.monotonic()
os.kill(node1, signal.SIGKILL)
answered = None
while time.monotonic() - killed < 30:
    try:
        other = Line(port2)
        if other.request({"type": "hello", "token": token}).get("type") != "welcome":
            fail("hello refused on node 2")
        started = other.request({"type": "start", "conversation": conversation})
        if not started.get("resumed"):
            fail("node 2 did not resume the conversation: %s" % started)
        reply = other.request({"type": "message", "text": "are you still there?"})
        if reply.get("type") == "reply" and reply.get("conversation") == conversation:
            answered = time.monotonic()
            break
    except (OSError, ConnectionError):
        time.sleep(0.05)
if answered is None:
    fail("node 2 never answered the customer")
history = other.request({"type": "history", "conversation": conversation})
ids = [m["id"] for m in history.get("messages", [])]
missing = [m for m in acknowledged if m not in ids]
if missing:
    fail("acknowledged replies missing after failover: %s" % missing)
if len(ids) != 8:
    fail("expected 8 messages in the resumed conversation, found %d" % len(ids))
print("ok: node 1 killed; node 2 resumed the conversation with all %d messages and answered after %.3f s"
      % (len(ids) - 2, answered - killed))
print("failover_seconds=%.3f" % (answered - killed))
PY
