#!/usr/bin/env bash
# JMH, before and after in one run: the statement hot path (AnalysisBenchmark: cold reads; GateBenchmark: cached
# decisions) of this checkout against another one, e.g. the commit before a reader change. Both benchmark jars
# run the same benchmark source: this checkout's AnalysisBenchmark.java and GateBenchmark.java are copied into
# the other checkout (left there uncommitted), so only the code under test differs.
# The runs alternate between the jars in separate JVMs (before first in odd rounds, after first in even ones, so
# a drift in the machine's load hits both sides alike), pinned to one core, with the same JMH settings. Every
# figure is the median over a run's iterations; ratios are taken within a round (after/before, and each side
# against the jsqlparserOnly of its own JVM run), and the summary is the median over rounds. The CpuPerOp profiler
# adds CPU per op (JVM without JIT threads), which other work on a shared machine barely moves, and the JIT's CPU
# during measurement (should be ~0, or the warm-up was too short).
#
# Usage: benchmarks/reader-bench.sh BEFORE_CHECKOUT [rounds]
#   e.g. git worktree add /tmp/gatehouse-before 5173f85 && benchmarks/reader-bench.sh /tmp/gatehouse-before 3
#   rounds default 2: about 10 minutes, builds not counted.
# Env: GATEHOUSE_BENCH_CORE (0); WARMUPS (5) x WARM (2 s), ITER (5) x MEASURE (2 s) per benchmark;
#   BENCHES (AnalysisBenchmark|GateBenchmark): the JMH include pattern; BUILD (1; 0 runs the jars as built);
#   MAX_LOAD (1.5) LOAD_TRIES (10) LOAD_WAIT (60 s): before starting, wait while the 1-minute load average is
#   above MAX_LOAD, at most LOAD_TRIES times LOAD_WAIT, then run anyway (the load is printed with the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
AFTER=$(pwd)
BEFORE=$(cd "${1:?usage: benchmarks/reader-bench.sh BEFORE_CHECKOUT [rounds]}" && pwd)
ROUNDS=${2:-2}
CORE=${GATEHOUSE_BENCH_CORE:-0}
WARMUPS=${WARMUPS:-5}; WARM=${WARM:-2}; ITER=${ITER:-5}; MEASURE=${MEASURE:-2}
BENCHES=${BENCHES:-AnalysisBenchmark|GateBenchmark}
MAX_LOAD=${MAX_LOAD:-1.5}; LOAD_TRIES=${LOAD_TRIES:-10}; LOAD_WAIT=${LOAD_WAIT:-60}
. bin/lib/jdk.sh
gatehouse_find_jdk
SRC=benchmarks/src/main/java/dev/gatehouse/bench
[ -f "$BEFORE/$SRC/CpuPerOp.java" ] || { echo "reader-bench: $BEFORE has no $SRC/CpuPerOp.java (the CPU profiler)" >&2; exit 2; }
OUT=$(mktemp -d)

cp "$SRC/AnalysisBenchmark.java" "$SRC/GateBenchmark.java" "$BEFORE/$SRC/"
if [ "${BUILD:-1}" = 1 ]; then
  for tree in "$BEFORE" "$AFTER"; do
    echo "$(date -u +%T) building $tree" >&2
    (cd "$tree" && ./mvnw -q -B -o -pl benchmarks -am package -DskipTests)
  done
fi

load1() { cut -d' ' -f1 /proc/loadavg; }
for _ in $(seq 1 "$LOAD_TRIES"); do
  awk -v l="$(load1)" -v m="$MAX_LOAD" 'BEGIN { exit !(l > m) }' || break
  echo "$(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg) above $MAX_LOAD, waiting ${LOAD_WAIT}s" >&2
  sleep "$LOAD_WAIT"
done

run() { # side (before/after), round
  local side=$1 tree
  [ "$side" = before ] && tree=$BEFORE || tree=$AFTER
  echo "$(date -u +%T) round $2 $side (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  # The profiler and the benchmarks come from the jar under test; only the time unit is forced, so that
  # GateBenchmark's ns and AnalysisBenchmark's µs land in one table.
  if ! taskset -c "$CORE" "$JAVA_HOME/bin/java" -jar "$tree/benchmarks/target/benchmarks.jar" "$BENCHES" \
      -f 1 -wi "$WARMUPS" -w "${WARM}s" -i "$ITER" -r "${MEASURE}s" -tu us \
      -prof dev.gatehouse.bench.CpuPerOp -rf json -rff "$OUT/$side-$2.json" > "$OUT/$side-$2.log" 2>&1; then
    cat "$OUT/$side-$2.log"; exit 1
  fi
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date -u +%T)
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then order="before after"; else order="after before"; fi
  for side in $order; do run "$side" "$round"; done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$OUT" "$ROUNDS" "$LOAD_START" "$LOAD_END" "$START" "$(git -C "$BEFORE" rev-parse --short HEAD)" \
    "$(git rev-parse --short HEAD)" "$("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)" <<'PY'
import json, statistics, sys
out, rounds, load_start, load_end, start, before_rev, after_rev, jdk = sys.argv[1:9]
rounds = int(rounds)
med = statistics.median
nan = float("nan")
def load(name):
    """benchmark -> metric -> median over the measurement iterations (a stalled iteration does not swing it)."""
    res = {}
    for r in json.load(open(f"{out}/{name}.json")):
        b = r["benchmark"].rsplit(".", 2)
        m = {"score": med(x for fork in r["primaryMetric"]["rawData"] for x in fork)}
        for k, v in r.get("secondaryMetrics", {}).items():
            m[k] = med(x for fork in v["rawData"] for x in fork)
        res[f"{b[1]}.{b[2]}"] = m
    return res
runs = {(s, i): load(f"{s}-{i}") for s in ("before", "after") for i in range(1, rounds + 1)}
BASE = "AnalysisBenchmark.jsqlparserOnly"
benches = [b for b in runs[("after", 1)] if b in runs[("before", 1)]]
def f(x):
    return f"{x:.3g}" if x < 1 else f"{x:.3f}" if x < 10 else f"{x:.1f}"
print(f"\nbefore {before_rev}, after {after_rev}; {jdk}; pinned to core; {rounds} rounds from {start} UTC; "
      f"load average (1/5/15 min) at start {load_start}, at end {load_end}")
print("µs: wall time per op; cpu: CPU µs per op of the benchmark JVM (JIT threads excluded); jit: JIT CPU µs per op "
      "during measurement; /jsql: the op against jsqlparserOnly of the same JVM run.")
print("\nPer round.")
print("| round | benchmark | before µs | after µs | after/before | before cpu | after cpu | jit b/a | "
      "before /jsql | after /jsql |")
print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
rows = {b: [] for b in benches}
for i in range(1, rounds + 1):
    for b in benches:
        x, y = runs[("before", i)][b], runs[("after", i)][b]
        bx, by = runs[("before", i)].get(BASE, {}), runs[("after", i)].get(BASE, {})
        row = dict(b=x["score"], a=y["score"], r=y["score"] / x["score"],
                   bc=x.get("cpu.jvm", nan), ac=y.get("cpu.jvm", nan),
                   cr=y.get("cpu.jvm", nan) / x.get("cpu.jvm", nan),
                   bj=x["score"] / bx.get("score", nan), aj=y["score"] / by.get("score", nan))
        rows[b].append(row)
        print(f"| {i} | {b} | {f(row['b'])} | {f(row['a'])} | {row['r']:.3f} | {f(row['bc'])} | {f(row['ac'])} | "
              f"{x.get('cpu.jit', nan):.2f}/{y.get('cpu.jit', nan):.2f} | {row['bj']:.3g} | {row['aj']:.3g} |")
print("\nSummary: medians over rounds; ratios taken within each round, their range in parentheses.")
print("| benchmark | before µs | after µs | after/before | CPU after/before | before /jsql | after /jsql |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for b in benches:
    rs = rows[b]
    r = [x["r"] for x in rs]
    print(f"| {b} | {f(med(x['b'] for x in rs))} | {f(med(x['a'] for x in rs))} | {med(r):.3f} "
          f"({min(r):.3f}–{max(r):.3f}) | {med(x['cr'] for x in rs):.3f} | {med(x['bj'] for x in rs):.3g} | "
          f"{med(x['aj'] for x in rs):.3g} |")
PY
echo "(raw JMH output: $OUT)" >&2
