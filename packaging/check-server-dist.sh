#!/usr/bin/env bash
# Checks the server distribution end to end (about 30 s after the build):
#   1. builds it (build-server-dist.sh; TASKDECK_SKIP_MAVEN=1 to reuse server/target),
#   2. unpacks the tar.gz into a temporary directory and checks its layout,
#   3. refuses to start with the sample config whose secrets were not replaced,
#   4. starts bin/taskdeck-server on a fresh data directory and a free port,
#   5. /healthz answers 200; the API answers 401 without a key and 200 with one,
#   6. SIGTERM stops it within the grace period, with exit status 143, and frees the port.
#
#   packaging/check-server-dist.sh [--no-build] [--store KIND]
#     --no-build    use the tar.gz already in packaging/target
#     --store KIND  store for step 4 (default: the server's default for --data, sqlite)
# Not part of ./taskdeck test: it needs a built server jar.
set -euo pipefail
PKG_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="${TASKDECK_PKG_OUT:-$PKG_DIR/target}"
BUILD=1
STORE_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --store) STORE_ARGS=(--store "$2"); shift ;;
    *) echo "check-server-dist: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done

fail() { echo "check-server-dist: FAIL: $*" >&2; [ -f "${LOG:-}" ] && { echo "--- server log:" >&2; tail -30 "$LOG" >&2; }; exit 1; }
ok() { echo "ok: $*"; }

[ "$BUILD" = 1 ] && "$PKG_DIR/build-server-dist.sh"
TARBALL="$(ls -t "$OUT_DIR"/taskdeck-server-*.tar.gz 2>/dev/null | head -1)"
[ -n "$TARBALL" ] || fail "no taskdeck-server-*.tar.gz in $OUT_DIR"

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

tar -xzf "$TARBALL" -C "$WORK"
DIST="$(find "$WORK" -mindepth 1 -maxdepth 1 -type d -name 'taskdeck-server-*')"
[ -n "$DIST" ] || fail "the tar.gz has no taskdeck-server-<version>/ directory"
for f in bin/taskdeck-server lib/taskdeck-server.jar conf/server.json conf/server.env \
         systemd/taskdeck-server.service OPERATIONS.md; do
  [ -f "$DIST/$f" ] || fail "$f is missing from the distribution"
done
[ -x "$DIST/bin/taskdeck-server" ] || fail "bin/taskdeck-server is not executable"
python3 -m json.tool "$DIST/conf/server.json" >/dev/null || fail "conf/server.json is not valid JSON"
if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze verify "$DIST/systemd/taskdeck-server.service" 2>&1 | grep -v 'not found\|Unknown user\|Unknown group\|/opt/taskdeck-server' >&2 || true
fi
ok "layout of $(basename "$TARBALL")"

# From a directory elsewhere, as a service manager would run it.
cd "$WORK"
LOG="$WORK/sample.log"
if env -u TASKDECK_API_KEY "$DIST/bin/taskdeck-server" --port 0 --store memory --config "$DIST/conf/server.json" >"$LOG" 2>&1; then
  fail "the server started with the sample config's placeholder secrets"
fi
grep -q 'at least 16 characters' "$LOG" || fail "refusing the sample config did not say why"
ok "refuses the sample config until its secrets are replaced: $(grep -m1 -o 'API key [a-z-]*: the secret must.*' "$LOG" || true)"

KEY="check-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
DATA="$WORK/data"
LOG="$WORK/server.log"
TASKDECK_API_KEY="$KEY" TASKDECK_SERVER_JAVA_OPTS="-Xmx256m -XX:+ExitOnOutOfMemoryError" \
  "$DIST/bin/taskdeck-server" --port 0 --host 127.0.0.1 --data "$DATA" "${STORE_ARGS[@]}" --grace 5 >"$LOG" 2>&1 &
SERVER_PID=$!

PORT=""
for _ in $(seq 1 300); do
  kill -0 "$SERVER_PID" 2>/dev/null || fail "the server exited while starting"
  PORT="$(sed -n 's/.*Taskdeck server on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$LOG" | head -1)"
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || fail "the server did not say where it listens within 30 s"
[ -d "$DATA" ] || fail "the data directory $DATA was not created"
ok "started with bin/taskdeck-server on port $PORT, data directory created"

# The java process replaced the script: SIGTERM to this pid reaches the server itself.
[ "$(basename "$(readlink -f "/proc/$SERVER_PID/exe")")" = java ] \
  && grep -q 'taskdeck-server.jar' "/proc/$SERVER_PID/cmdline" || fail "bin/taskdeck-server did not exec java"

code="$(curl -s -o "$WORK/healthz" -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")"
[ "$code" = 200 ] || fail "/healthz answered $code"
ok "/healthz: 200 $(head -c 200 "$WORK/healthz")"
code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/runs")"
[ "$code" = 401 ] || fail "/api/v1/runs without a key answered $code, expected 401"
code="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/api/v1/runs")"
[ "$code" = 200 ] || fail "/api/v1/runs with the TASKDECK_API_KEY key answered $code, expected 200"
ok "/api/v1/runs: 401 without a key, 200 with TASKDECK_API_KEY"

kill -TERM "$SERVER_PID"
status=""
for _ in $(seq 1 150); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    wait "$SERVER_PID" && status=0 || status=$?
    break
  fi
  sleep 0.1
done
[ -n "$status" ] || fail "still running 15 s after SIGTERM"
SERVER_PID=""
[ "$status" = 143 ] || [ "$status" = 0 ] || fail "exit status $status after SIGTERM, expected 143"
! grep -E -q 'Exception|ERROR' "$LOG" || fail "errors in the log after SIGTERM"
curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/healthz" && fail "port $PORT still answers after the server stopped"
ok "SIGTERM: stopped with status $status, no errors logged, port $PORT closed"
echo "check-server-dist: all checks passed"
