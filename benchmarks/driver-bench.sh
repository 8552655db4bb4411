#!/usr/bin/env bash
# JMH: allowed statements through jdbc:gatehouse:postgresql: vs raw pgjdbc, same run, loopback PostgreSQL.
# The JVM and the benchmark's PostgreSQL backends (application_name gh-bench) are pinned to one core, so the
# figures compare CPU spent per execute. (a) single thread, average time: added µs per execute;
# (b) 8 threads, throughput: ratio to raw.
# Usage: benchmarks/driver-bench.sh [warmup-seconds] [measure-seconds] [iterations]
set -euo pipefail
cd "$(dirname "$0")/.."
WARM=${1:-3}; MEASURE=${2:-3}; ITER=${3:-5}
CORE=${GATEHOUSE_BENCH_CORE:-0}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
PSQL=(psql -h 127.0.0.1 -U postgres -d test -Atq)
OUT=$(mktemp -d)

./mvnw -q -B -o -pl benchmarks -am package -DskipTests
JAR=benchmarks/target/benchmarks.jar

# Pins every backend of the benchmark to $CORE while JMH runs (connections open at each trial's setup).
pin_backends() {
  while kill -0 "$1" 2>/dev/null; do
    for pid in $("${PSQL[@]}" -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'gh-bench'" 2>/dev/null); do
      taskset -cp "$CORE" "$pid" >/dev/null 2>&1 || true
    done
    sleep 0.2
  done
}

run() { # name, extra JMH args...
  local name=$1; shift
  taskset -c "$CORE" "$JAVA_HOME/bin/java" -jar "$JAR" 'DriverBenchmark' -f 1 -wi "$ITER" -w "${WARM}s" \
      -i "$ITER" -r "${MEASURE}s" -rf json -rff "$OUT/$name.json" "$@" > "$OUT/$name.log" 2>&1 &
  local jmh=$!
  pin_backends "$jmh" &
  local pinner=$!
  if ! wait "$jmh"; then
    cat "$OUT/$name.log"; kill "$pinner" 2>/dev/null || true; exit 1
  fi
  wait "$pinner" || true
}

echo "running: single thread, average time (pinned to core $CORE)" >&2
run single -bm avgt -tu us -t 1
echo "running: 8 threads, throughput (pinned to core $CORE)" >&2
run eight -bm thrpt -tu s -t 8

python3 - "$OUT/single.json" "$OUT/eight.json" <<'PY'
import json, sys
def load(path):
    out = {}
    for r in json.load(open(path)):
        name = r["benchmark"].rsplit(".", 1)[1]
        m = r["primaryMetric"]
        out[(name, r["params"]["driver"])] = (m["score"], m["scoreError"])
    return out
single, eight = load(sys.argv[1]), load(sys.argv[2])
print("| statement | raw µs/execute | gatehouse µs/execute | added µs | raw ops/s (8 threads) | gatehouse ops/s (8 threads) | ratio |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for b in ("prepared", "plainChangingLiteral"):
    r, g = single[(b, "raw")], single[(b, "gatehouse")]
    tr, tg = eight[(b, "raw")], eight[(b, "gatehouse")]
    print(f"| {b} | {r[0]:.2f} ± {r[1]:.2f} | {g[0]:.2f} ± {g[1]:.2f} | {g[0]-r[0]:.2f} | {tr[0]:,.0f} | {tg[0]:,.0f} | {tg[0]/tr[0]:.3f} |")
PY
echo "(raw JMH output: $OUT)" >&2
