#!/usr/bin/env bash
# Issue 17 (9): command-line mistakes get a clear message and a failing exit status, never a raw
# platform error: --state naming a file (serve, export, token). Needs the debug build.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "FAIL: $*" >&2; exit 1; }
bin="$(swift build --show-bin-path)/supportbot"
[[ -x "$bin" ]] || fail "build first: swift build --product supportbot"
work="$(mktemp -d "${TMPDIR:-/tmp}/supportbot-cli.XXXXXX")"
trap 'rm -rf "$work"' EXIT
touch "$work/not-a-folder"

for command in "serve" "export" "token list"; do
    status=0
    # shellcheck disable=SC2086
    output="$("$bin" $command --state "$work/not-a-folder" 2>&1)" || status=$?
    [[ $status -ne 0 ]] || fail "'$command --state FILE' exited 0"
    [[ "$output" == *"is a file; give a folder"* ]] || fail "'$command --state FILE' said: $output"
done
[[ ! -s "$work/not-a-folder" ]] || fail "the file given as --state was written to"
echo "ok: --state naming a file is refused with what to do (serve, export, token list)"
