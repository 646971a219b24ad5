#!/usr/bin/env bash
# The web channel in a real browser: starts `supportbot serve --web` on free loopback ports with
# a throwaway state folder, an agent token (maria) and an admin token (boss), then drives headless
# Chromium through Selenium (Tests/web/browser_test.py): the widget on the demo page answers a FAQ
# question with a source and takes feedback, a reload shows the same conversation, a handoff is
# picked up, answered and ended in the agent inbox (a second browser), the analytics page renders
# for the admin token and refuses the agent token, and the widget works from the keyboard. Any
# SEVERE browser console entry fails the test. Screenshots stay in .build/web-test-artifacts/.
# Needs the debug build (`swift build --product supportbot`), chromium and chromium-driver
# (Debian packages); installs selenium into .build-py/venv when it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "FAIL: $*" >&2; exit 1; }

bin="$(swift build --show-bin-path)/supportbot"
[[ -x "$bin" ]] || fail "build first: swift build --product supportbot"
serve_help="$("$bin" serve --help 2>/dev/null || true)"
[[ "$serve_help" == *"--web "* ]] || fail "$bin has no 'serve --web': build first (swift build --product supportbot)"
chromium="${CHROMIUM:-/usr/bin/chromium}"
chromedriver="${CHROMEDRIVER:-/usr/bin/chromedriver}"
[[ -x "$chromium" && -x "$chromedriver" ]] \
    || fail "needs $chromium and $chromedriver: apt-get install chromium chromium-driver"

venv=.build-py/venv
if ! "$venv/bin/python" -c 'import selenium' 2>/dev/null; then
    [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv" || fail "cannot create $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'selenium>=4' \
        || fail "cannot install selenium into $venv"
fi

artifacts="$PWD/.build/web-test-artifacts"
mkdir -p "$artifacts"
rm -f "$artifacts"/*.png "$artifacts"/*.html
work="$(mktemp -d "${TMPDIR:-/tmp}/supportbot-web.XXXXXX")"
pid=""
cleanup() {
    if [[ -n "$pid" ]]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

agent_token="$("$bin" token create maria --role agent --state "$work/state" --log-level error 2>/dev/null)" \
    || fail "cannot create the agent token"
admin_token="$("$bin" token create boss --role admin --state "$work/state" --log-level error 2>/dev/null)" \
    || fail "cannot create the admin token"
[[ "$agent_token" == sb_* && "$admin_token" == sb_* ]] || fail "token create printed no token"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
line_port="$(free_port)"
web_port="$(free_port)"
while [[ "$web_port" == "$line_port" ]]; do web_port="$(free_port)"; done

# Lexical features only (--no-encoder): starts in seconds, and the FAQ route still answers the
# scenario's question with its source. The pages are the copy built into the binary's resource
# bundle; SUPPORTBOT_WEB_ASSETS=Sources/WebChannel/Assets tests edited pages without a rebuild.
"$bin" serve --state "$work/state" --listen "127.0.0.1:$line_port" --web "127.0.0.1:$web_port" \
    ${SUPPORTBOT_WEB_ASSETS:+--web-assets "$SUPPORTBOT_WEB_ASSETS"} \
    --no-fine-tune --no-encoder --log-level warning >"$work/server.log" 2>&1 &
pid=$!

up=""
for _ in $(seq 1 1500); do # 5 minutes: a first start trains the classifier
    if python3 -c "import socket; socket.create_connection(('127.0.0.1', $web_port), 0.2)" 2>/dev/null; then
        up=yes
        break
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "the server exited during start-up"; }
    sleep 0.2
done
[[ -n "$up" ]] || { cat "$work/server.log" >&2; fail "nothing listening on 127.0.0.1:$web_port after 5 minutes"; }

status=0
SUPPORTBOT_AGENT_TOKEN="$agent_token" SUPPORTBOT_ADMIN_TOKEN="$admin_token" \
    "$venv/bin/python" Tests/web/browser_test.py --base-url "https://127.0.0.1:$web_port" \
    --artifacts "$artifacts" --chromium "$chromium" --chromedriver "$chromedriver" || status=$?
echo "screenshots: $artifacts"
if [[ $status -ne 0 ]]; then
    echo "--- server log" >&2
    cat "$work/server.log" >&2
    fail "browser scenarios failed"
fi
echo "ok: web channel in Chromium (widget, reload, handoff to the agent inbox, analytics, keyboard)"
