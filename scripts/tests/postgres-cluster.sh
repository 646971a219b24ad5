#!/usr/bin/env bash
# The throwaway PostgreSQL cluster the PostgreSQL store's tests will run against (issue 15):
# it starts on a free loopback port as a non-root user, takes a durable write, answers with
# synchronous_commit on, and `stop` leaves no server and no folder behind. Bad usage is refused
# with a message.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "FAIL: $*" >&2; exit 1; }

if scripts/postgres-cluster begin /tmp/x 2>/tmp/postgres-cluster-usage.$$; then fail "bad usage accepted"; fi
grep -q "usage: scripts/postgres-cluster start|stop DIR" /tmp/postgres-cluster-usage.$$ || fail "no usage message"
rm -f /tmp/postgres-cluster-usage.$$

work="$(mktemp -d "${TMPDIR:-/tmp}/supportbot-pg.XXXXXX")"
chmod 755 "$work"
trap 'scripts/postgres-cluster stop "$work/cluster" || true; rm -rf "$work"' EXIT
url="$(scripts/postgres-cluster start "$work/cluster")"
[[ "$url" =~ ^postgres://supportbot@127\.0\.0\.1:([0-9]+)/supportbot$ ]] || fail "unexpected URL $url"
port="${BASH_REMATCH[1]}"

psql="$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V -r | head -n 1)"
psql="${psql:-$(command -v psql)}"
"$psql" "$url" -v ON_ERROR_STOP=1 -q -c "create table t (id int primary key, text text not null)" \
    -c "insert into t values (1, 'hello')" || fail "cannot write"
[[ "$("$psql" "$url" -Atc "select text from t where id = 1")" == hello ]] || fail "cannot read back"
[[ "$("$psql" "$url" -Atc "show synchronous_commit")" == on ]] || fail "synchronous_commit is not on"
[[ "$("$psql" "$url" -Atc "select current_user")" == supportbot ]] || fail "wrong user"
owner="$(stat -c %U "$work/cluster/data")"
[[ "$owner" != root ]] || fail "the cluster runs as root"
echo "ok: throwaway cluster on port $port, owned by $owner"

scripts/postgres-cluster restart "$work/cluster" 1
[[ "$("$psql" "$url" -Atc "select text from t where id = 1")" == hello ]] || fail "the committed row did not survive a crash restart"
echo "ok: crashed and restarted on the same port with the committed row"

scripts/postgres-cluster stop "$work/cluster"
[[ ! -e "$work/cluster" ]] || fail "stop left the folder"
if "$psql" "$url" -Atc "select 1" >/dev/null 2>&1; then fail "the server still answers after stop"; fi
echo "ok: stopped and removed"
