#!/usr/bin/env bash
# faults-repeat.sh — runs the fault tests (issue #6) ROUNDS times in a row and prints each round's figures
# (times to recover, SQLSTATEs seen, counts) and a pass/fail tally: a longer, repeated version of what CI runs
# once, to catch a fault test that passes only by luck of timing. Every round is a real run: private
# PostgreSQL clusters stopped and restarted, serve processes killed, failing web hook receivers.
#
# Usage:   benchmarks/faults-repeat.sh            # 5 rounds
#          ROUNDS=20 benchmarks/faults-repeat.sh
# Environment: ROUNDS (5), TESTS (the five fault test classes), OUT (/tmp/gatehouse-faults-repeat)
# Runs as root (PrivatePostgres runs initdb/postgres as the postgres user); needs the services the tests use
# (PostgreSQL on 127.0.0.1:5432); never stops the shared server. Builds with the Maven wrapper, never installs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-5}
TESTS=${TESTS:-StoreOutageTest,UpstreamRestartTest,InstanceKillTest,HookFaultTest,StoreOutageDriverTest}
OUT=${OUT:-/tmp/gatehouse-faults-repeat}
. "$ROOT/bin/lib/jdk.sh"
gatehouse_find_jdk
mkdir -p "$OUT"
cd "$ROOT"
passed=0
for round in $(seq 1 "$ROUNDS"); do
  log="$OUT/round-$round.log"
  start=$(date +%s)
  if ./mvnw -B -ntp -q -pl cli,jdbc-driver -am verify -Dtest="$TESTS" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    verdict=pass; passed=$((passed + 1))
  else
    verdict=FAIL
  fi
  echo "round $round: $verdict in $(( $(date +%s) - start )) s (log $log)"
  # The figures each fault test prints on success, one line per scenario.
  cat cli/target/surefire-reports/*-output.txt jdbc-driver/target/surefire-reports/*-output.txt 2>/dev/null \
    | grep -E '^(store outage|upstream (FAST|IMMEDIATE) restart|instance kill|hook faults|driver store outage):' | sed 's/^/  /' || true
  [ "$verdict" = pass ] || grep -E 'Tests run:.*FAIL|expected|ERROR\]   ' "$log" | head -5 | sed 's/^/  /' || true
done
echo "faults: $passed of $ROUNDS rounds passed"
[ "$passed" = "$ROUNDS" ]
