#!/usr/bin/env bash
# Issue 17 (5): `supportbot check` runs a full integrity check on demand: ok (exit 0) on a sound
# store, a clear "damaged" with how to recover (exit 1) on one with a ruined page, the file left
# as it was. Needs the debug build.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "FAIL: $*" >&2; exit 1; }
bin="$(swift build --show-bin-path)/supportbot"
[[ -x "$bin" ]] || fail "build first: swift build --product supportbot"
work="$(mktemp -d "${TMPDIR:-/tmp}/supportbot-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$bin" token create shop --state "$work/state" --log-level error >/dev/null 2>&1
output="$("$bin" check --state "$work/state" --log-level error 2>&1)" || fail "check of a sound store failed: $output"
[[ "$output" == *"ok"* ]] || fail "check of a sound store said: $output"

# Ruin the third page (the file is made of 4096-byte pages; pages 1-2 hold the header and schema).
db="$work/state/supportbot.sqlite"
pages=$(( $(stat -c %s "$db") / 4096 ))
(( pages >= 4 )) || fail "the test store has only $pages pages"
dd if=/dev/urandom of="$db" bs=4096 seek=2 count=1 conv=notrunc status=none
before="$(sha256sum "$db")"
status=0
output="$("$bin" check --state "$work/state" --log-level error 2>&1)" || status=$?
[[ $status -eq 1 ]] || fail "check of a damaged store exited $status: $output"
[[ "$output" == *"damaged"* && "$output" == *".recover"* ]] || fail "check of a damaged store said: $output"
[[ "$(sha256sum "$db")" == "$before" ]] || fail "check changed the damaged file"
echo "ok: check passes a sound store and reports a damaged one with how to recover, leaving it as it was"
