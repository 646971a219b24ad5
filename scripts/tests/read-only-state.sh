#!/usr/bin/env bash
# Issue 17 (11): exports, `token list` and `report` work on a read-only copy of a state folder
# (opened read-only, nothing written, no -wal/-shm created), as a user without root's rights.
# Needs the debug build.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "FAIL: $*" >&2; exit 1; }
bin="$(swift build --show-bin-path)/supportbot"
[[ -x "$bin" ]] || fail "build first: swift build --product supportbot"
work="$(mktemp -d "${TMPDIR:-/tmp}/supportbot-ro.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
chmod 755 "$work"

# A state folder with two clients, closed cleanly, then made read-only.
"$bin" token create shop --state "$work/state" --log-level error >/dev/null
"$bin" token create sam --role agent --state "$work/state" --log-level error >/dev/null
[[ ! -e "$work/state/supportbot.sqlite-wal" ]] || fail "the store left a -wal file after a clean close"
chmod -R a-w,a+rX "$work/state"
before="$(cd "$work/state" && ls -la && sha256sum supportbot.sqlite)"

as_reader=()
if [[ "$(id -u)" == 0 ]]; then as_reader=(setpriv --reuid=nobody --regid=nogroup --clear-groups); fi
listing="$("${as_reader[@]}" "$bin" token list --state "$work/state" --log-level error)" || fail "token list failed: $listing"
[[ "$listing" == *shop* && "$listing" == *sam* ]] || fail "token list did not list both clients: $listing"
"${as_reader[@]}" "$bin" export --all --format jsonl --state "$work/state" --log-level error >/dev/null \
    || fail "export from the read-only copy failed"
"${as_reader[@]}" "$bin" report --state "$work/state" --log-level error >/dev/null || fail "report from the read-only copy failed"
# A command that writes is refused with a clear message, not a raw SQLite error.
status=0
output="$("${as_reader[@]}" "$bin" token create intruder --state "$work/state" 2>&1)" || status=$?
[[ $status -ne 0 ]] || fail "token create on a read-only folder exited 0"
[[ "$output" == *"not writable"* ]] || fail "token create on a read-only folder said: $output"
after="$(cd "$work/state" && ls -la && sha256sum supportbot.sqlite)"
[[ "$before" == "$after" ]] || fail "the read-only folder changed: $before / $after"
echo "ok: token list, export and report read a read-only state folder; writes are refused; nothing changed"
