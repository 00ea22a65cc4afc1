#!/usr/bin/env bash
# `./platform test`: unit and integration tests of every module, then (unless --fast) the e2e
# suites inside a network namespace with a Docker engine of their own, all removed afterwards.
# `--e2e` builds without running the unit tests and runs only the e2e suites.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FAST=0
E2E_ONLY=0
case "${1:-}" in
  --fast) FAST=1 ;;
  --e2e) E2E_ONLY=1 ;;
  "") ;;
  *) echo "usage: ./platform test [--fast | --e2e]" >&2; exit 2 ;;
esac
: "${JAVA_HOME:?run through ./platform test, which finds JDK 25}"
export JAVA_HOME

failed=0
declare -a summary=()

suite() {
  local name="$1"; shift
  local t0=$SECONDS
  echo "=== suite $name"
  if "$@"; then
    summary+=("$(printf '%-36s passed  %4ds' "$name" $((SECONDS - t0)))")
  else
    summary+=("$(printf '%-36s FAILED  %4ds' "$name" $((SECONDS - t0)))")
    failed=1
  fi
}

skip() { summary+=("$(printf '%-36s skipped: %s' "$1" "$2")"); }

finish() {
  echo
  echo "=== test summary"
  printf '  %s\n' "${summary[@]}"
  exit $failed
}

cd "$ROOT"
if [ $E2E_ONLY = 1 ]; then
  suite "build" mvn -B -ntp -q install -DskipTests -pl '!e2e'
else
  suite "unit+integration" mvn -B -ntp install -pl '!e2e'
fi

if [ $failed = 1 ]; then
  # the e2e suites run the jars this build installs: with it failed they would test stale ones or skip
  skip "e2e" "the build above failed"
  finish
fi
if [ $FAST = 1 ]; then
  skip "e2e" "--fast"
  finish
fi
# fabric8, client-java and client-node, the kubectl suite, the store tests (several API server
# processes on one etcd or PostgreSQL, kill -9 durability, a 3-member etcd) and the security tests
# (RBAC, tokens, OIDC providers, login) with real kubectl: loopback only, no root
suite "e2e: clients, kubectl, stores, security" mvn -B -ntp -pl e2e test -Dtest='io.platform.e2e.clients.**,io.platform.e2e.kubectl.**,io.platform.e2e.storage.**,io.platform.e2e.security.**'

if [ "$(id -u)" != 0 ]; then
  skip "e2e" "needs root to make a network namespace and run a Docker engine in it"
  finish
fi
if ! command -v dockerd >/dev/null; then
  skip "e2e" "no dockerd: install Debian's docker.io (.ci/run does)"
  finish
fi
if [ ! -x /bin/busybox ]; then
  skip "e2e" "no /bin/busybox to build the busybox:1.35 image: install Debian's busybox-static"
  finish
fi

NS="platform-e2e-$$"
WORK="$(mktemp -d /tmp/pe2e.XXXXXX)"
DOCKERD_PID=""
cleanup() {
  if [ -n "$DOCKERD_PID" ]; then
    kill "$DOCKERD_PID" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$DOCKERD_PID" 2>/dev/null
  fi
  ip netns del "$NS" 2>/dev/null
  # vfs layers can hold mounts; unmount before removing
  grep -o " $WORK[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

start_engine() {
  ip netns add "$NS" && ip netns exec "$NS" ip link set lo up || return 1
  nsenter --net="/var/run/netns/$NS" dockerd --host "unix://$WORK/docker.sock" \
    --data-root "$WORK/root" --exec-root "$WORK/exec" --pidfile "$WORK/docker.pid" \
    --storage-driver vfs >"$WORK/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  for _ in $(seq 1 60); do
    curl -sf --unix-socket "$WORK/docker.sock" http://docker/_ping >/dev/null 2>&1 && return 0
    kill -0 "$DOCKERD_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "dockerd did not start; its log:" >&2
  tail -20 "$WORK/dockerd.log" >&2
  return 1
}

in_namespace() {
  nsenter --net="/var/run/netns/$NS" env DOCKER_HOST="unix://$WORK/docker.sock" \
    PLATFORM_E2E=1 PLATFORM_ROOT="$ROOT" "$@"
}

walking_skeleton() {
  in_namespace env PLATFORM_E2E_STORE="$1" \
    mvn -B -ntp -pl e2e test -Dtest='!io.platform.e2e.clients.**,!io.platform.e2e.kubectl.**,!io.platform.e2e.storage.**,!io.platform.e2e.security.**'
}

if suite "e2e: docker engine" start_engine; then
  # the node agent's Docker tests skip without an engine in the first suite; here they run
  suite "node agent on docker" in_namespace mvn -B -ntp -pl node-agent test
  # the whole walking-skeleton scenario (restart of up and re-adoption, down included) once per store
  # backend; etcd and PostgreSQL are started by the test on the namespace's loopback
  suite "e2e: walking skeleton (sqlite)" walking_skeleton sqlite
  if [ -x /usr/bin/etcd ]; then
    suite "e2e: walking skeleton (etcd)" walking_skeleton etcd
  else
    skip "e2e: walking skeleton (etcd)" "no /usr/bin/etcd: install Debian's etcd-server (.ci/run does)"
  fi
  if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || [ -x /usr/local/bin/initdb ]; then
    suite "e2e: walking skeleton (postgres)" walking_skeleton postgres
  else
    skip "e2e: walking skeleton (postgres)" "no initdb: install Debian's postgresql (.ci/run does)"
  fi
fi
finish
