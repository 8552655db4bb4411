#!/usr/bin/env bash
# JMH: allowed statements through jdbc:gatehouse:postgresql: vs raw pgjdbc on loopback PostgreSQL.
# The JVM and the benchmark's PostgreSQL backends (application_name gh-bench) are pinned to one core, so the
# figures compare CPU spent per execute. (a) single thread, average time: added µs per execute;
# (b) 8 threads, throughput: ratio to raw; (c) CheckpointBenchmark: the checkpoint's CPU per allowed statement
# without a database, to separate Gatehouse's own cost from network and server noise.
# Raw and Gatehouse run in separate JVMs, interleaved (raw first in odd rounds, Gatehouse first in even ones),
# so a change in the machine's load hits both; ratios and differences are taken within a round, then the
# median over rounds is reported. Every run also reports CPU per op (benchmarks' CpuPerOp profiler: JVM
# without JIT threads, PostgreSQL backends), which a shared machine's load barely moves, and the JIT's CPU
# during measurement (should be ~0: if not, the warm-up was too short).
# Usage: benchmarks/driver-bench.sh [warmup-seconds] [measure-seconds] [iterations] [rounds]
#   defaults 2 2 4 2: about 6 minutes. Env: GATEHOUSE_BENCH_CORE (0), GATEHOUSE_BENCH_WARMUPS (5 iterations),
#   GATEHOUSE_BENCH_EIGHT_PINNED (1; 0 runs the 8-thread throughput unpinned).
set -euo pipefail
cd "$(dirname "$0")/.."
WARM=${1:-2}; MEASURE=${2:-2}; ITER=${3:-4}; ROUNDS=${4:-2}
WARMUPS=${GATEHOUSE_BENCH_WARMUPS:-5}
CORE=${GATEHOUSE_BENCH_CORE:-0}
EIGHT_PINNED=${GATEHOUSE_BENCH_EIGHT_PINNED:-1}
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

run() { # name, pinned (1/0), benchmark, extra JMH args...
  local name=$1 pinned=$2 bench=$3; shift 3
  local pin=()
  [ "$pinned" = 1 ] && pin=(taskset -c "$CORE")
  echo "$(date -u +%T) $name (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  "${pin[@]}" "$JAVA_HOME/bin/java" -jar "$JAR" "$bench" -f 1 -wi "$WARMUPS" -w "${WARM}s" \
      -i "$ITER" -r "${MEASURE}s" -prof dev.gatehouse.bench.CpuPerOp -rf json -rff "$OUT/$name.json" "$@" \
      > "$OUT/$name.log" 2>&1 &
  local jmh=$!
  local pinner=
  if [ "$pinned" = 1 ]; then pin_backends "$jmh" & pinner=$!; fi
  if ! wait "$jmh"; then
    cat "$OUT/$name.log"; [ -n "$pinner" ] && kill "$pinner" 2>/dev/null; exit 1
  fi
  [ -n "$pinner" ] && wait "$pinner" || true
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then order="raw gatehouse"; else order="gatehouse raw"; fi
  for d in $order; do run "single-$round-$d" 1 DriverBenchmark -p driver="$d" -bm avgt -tu us -t 1; done
  for d in $order; do run "eight-$round-$d" "$EIGHT_PINNED" DriverBenchmark -p driver="$d" -bm thrpt -tu s -t 8; done
done
run alone 1 CheckpointBenchmark -bm avgt -tu us -t 1
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$OUT" "$ROUNDS" "$LOAD_START" "$LOAD_END" "$EIGHT_PINNED" <<'PY'
import json, statistics, sys
out, rounds, load_start, load_end, eight_pinned = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
def load(name):
    res = {}
    for r in json.load(open(f"{out}/{name}.json")):
        b = r["benchmark"].rsplit(".", 1)[1]
        sec = {k: float(v["score"]) for k, v in r.get("secondaryMetrics", {}).items()}
        res[b] = (float(r["primaryMetric"]["score"]), float(r["primaryMetric"]["scoreError"]), sec)
    return res
med = statistics.median
benches = ("prepared", "plainChangingLiteral")
single = {(i, d): load(f"single-{i}-{d}") for i in range(1, rounds + 1) for d in ("raw", "gatehouse")}
eight = {(i, d): load(f"eight-{i}-{d}") for i in range(1, rounds + 1) for d in ("raw", "gatehouse")}
alone = load("alone")
print(f"\nload average (1/5/15 min) at start: {load_start}; at end: {load_end}; {rounds} interleaved rounds; "
      f"8 threads {'pinned' if eight_pinned == '1' else 'unpinned'}")
print("\nPer round (µs: single thread, pinned; cpu: JVM without JIT + PostgreSQL backends, per execute):")
print("| round | statement | raw µs | gatehouse µs | added µs | raw cpu µs | gatehouse cpu µs | added cpu µs | JIT µs/op raw/gh | raw ops/s 8t | gatehouse ops/s 8t | ratio |")
print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
rows = {b: [] for b in benches}
for i in range(1, rounds + 1):
    for b in benches:
        r, g = single[(i, "raw")][b], single[(i, "gatehouse")][b]
        tr, tg = eight[(i, "raw")][b][0], eight[(i, "gatehouse")][b][0]
        rc, gc = r[2].get("cpu.total", float("nan")), g[2].get("cpu.total", float("nan"))
        row = dict(raw=r[0], gh=g[0], added=g[0] - r[0], rc=rc, gc=gc, addedc=gc - rc, tr=tr, tg=tg, ratio=tg / tr)
        rows[b].append(row)
        print(f"| {i} | {b} | {r[0]:.2f} ± {r[1]:.2f} | {g[0]:.2f} ± {g[1]:.2f} | {g[0]-r[0]:.2f} | {rc:.2f} | {gc:.2f} | "
              f"{gc-rc:.2f} | {r[2].get('cpu.jit', 0):.2f}/{g[2].get('cpu.jit', 0):.2f} | {tr:,.0f} | {tg:,.0f} | {tg/tr:.3f} |")
print("\nSummary (median over rounds; added and ratio are taken within each round):")
print("| statement | raw µs/execute | gatehouse µs/execute | added µs | added CPU µs | checkpoint alone µs | raw ops/s (8 threads) | gatehouse ops/s (8 threads) | ratio (min–max) |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for b in benches:
    rs = rows[b]
    ratios = [x["ratio"] for x in rs]
    print(f"| {b} | {med(x['raw'] for x in rs):.2f} | {med(x['gh'] for x in rs):.2f} | {med(x['added'] for x in rs):.2f} | "
          f"{med(x['addedc'] for x in rs):.2f} | {alone[b][0]:.2f} | {med(x['tr'] for x in rs):,.0f} | "
          f"{med(x['tg'] for x in rs):,.0f} | {med(ratios):.3f} ({min(ratios):.3f}–{max(ratios):.3f}) |")
print("\nTargets: added ≤ 3 µs per execute (pinned), ratio ≥ 0.95 with 8 threads.")
PY
echo "(raw JMH output: $OUT)" >&2
