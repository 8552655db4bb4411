#!/usr/bin/env bash
# JMH: allowed statements through jdbc:gatehouse:postgresql: vs raw pgjdbc, same run, loopback PostgreSQL.
# The JVM and the benchmark's PostgreSQL backends (application_name gh-bench) are pinned to one core, so the
# figures compare CPU spent per execute. (a) single thread, average time: added µs per execute;
# (b) 8 threads, throughput: ratio to raw. (c) CheckpointBenchmark: the checkpoint's CPU per allowed
# statement without a database, to separate Gatehouse's own cost from network and server noise.
# Usage: benchmarks/driver-bench.sh [warmup-seconds] [measure-seconds] [iterations]
set -euo pipefail
cd "$(dirname "$0")/.."
WARM=${1:-3}; MEASURE=${2:-3}; ITER=${3:-5}
CORE=${GATEHOUSE_BENCH_CORE:-0}
. bin/lib/jdk.sh
gatehouse_find_jdk
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

run() { # name, benchmark, extra JMH args...
  local name=$1 bench=$2; shift 2
  taskset -c "$CORE" "$JAVA_HOME/bin/java" -jar "$JAR" "$bench" -f 1 -wi 3 -w "${WARM}s" \
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
run single DriverBenchmark -bm avgt -tu us -t 1
echo "running: 8 threads, throughput (pinned to core $CORE)" >&2
run eight DriverBenchmark -bm thrpt -tu s -t 8
echo "running: the checkpoint alone, no database (pinned to core $CORE)" >&2
run alone CheckpointBenchmark -bm avgt -tu us -t 1

python3 - "$OUT/single.json" "$OUT/eight.json" "$OUT/alone.json" <<'PY'
import json, sys
def load(path):
    out = {}
    for r in json.load(open(path)):
        name = r["benchmark"].rsplit(".", 1)[1]
        m = r["primaryMetric"]
        out[(name, r["params"]["driver"])] = (m["score"], m["scoreError"])
    return out
single, eight = load(sys.argv[1]), load(sys.argv[2])
alone = {r["benchmark"].rsplit(".", 1)[1]: (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"])
         for r in json.load(open(sys.argv[3]))}
print("| statement | raw µs/execute | gatehouse µs/execute | added µs | checkpoint alone µs | raw ops/s (8 threads) | gatehouse ops/s (8 threads) | ratio |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for b in ("prepared", "plainChangingLiteral"):
    r, g = single[(b, "raw")], single[(b, "gatehouse")]
    tr, tg = eight[(b, "raw")], eight[(b, "gatehouse")]
    a = alone[b]
    print(f"| {b} | {r[0]:.2f} ± {r[1]:.2f} | {g[0]:.2f} ± {g[1]:.2f} | {g[0]-r[0]:.2f} | {a[0]:.2f} ± {a[1]:.2f} | {tr[0]:,.0f} | {tg[0]:,.0f} | {tg[0]/tr[0]:.3f} |")
PY
echo "(raw JMH output: $OUT)" >&2
