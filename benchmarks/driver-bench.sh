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
#   defaults 2 2 4 3: about 10 minutes on a quiet machine. Env: GATEHOUSE_BENCH_CORE (0), GATEHOUSE_BENCH_WARMUPS (6 iterations),
#   GATEHOUSE_BENCH_EIGHT_PINNED (1; 0 runs the 8-thread throughput unpinned), GATEHOUSE_BENCH_CONTROL (0; 1 adds
#   the rawBusy control to the 8-thread runs: raw pgjdbc plus about 0.5 µs of client CPU per execute, which shows
#   what a known client-side cost does to the ratio, and how much backend CPU it brings with it).
set -euo pipefail
cd "$(dirname "$0")/.."
WARM=${1:-2}; MEASURE=${2:-2}; ITER=${3:-4}; ROUNDS=${4:-3}
WARMUPS=${GATEHOUSE_BENCH_WARMUPS:-6}
CORE=${GATEHOUSE_BENCH_CORE:-0}
EIGHT_PINNED=${GATEHOUSE_BENCH_EIGHT_PINNED:-1}
CONTROL=${GATEHOUSE_BENCH_CONTROL:-0}
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
  eights=$order
  if [ "$CONTROL" = 1 ]; then
    if [ $((round % 2)) = 1 ]; then eights="$order rawBusy"; else eights="rawBusy $order"; fi
  fi
  for d in $eights; do run "eight-$round-$d" "$EIGHT_PINNED" DriverBenchmark -p driver="$d" -bm thrpt -tu s -t 8; done
done
run alone 1 CheckpointBenchmark -bm avgt -tu us -t 1
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$OUT" "$ROUNDS" "$LOAD_START" "$LOAD_END" "$EIGHT_PINNED" "$CONTROL" <<'PY'
import json, statistics, sys
out, rounds, load_start, load_end, eight_pinned = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
control = sys.argv[6] == "1"
med = statistics.median
nan = float("nan")
def load(name):
    """benchmark -> metric -> median over the measurement iterations (a stalled iteration does not swing it)."""
    res = {}
    for r in json.load(open(f"{out}/{name}.json")):
        b = r["benchmark"].rsplit(".", 1)[1]
        m = {"score": med(x for fork in r["primaryMetric"]["rawData"] for x in fork)}
        for k, v in r.get("secondaryMetrics", {}).items():
            m[k] = med(x for fork in v["rawData"] for x in fork)
        res[b] = m
    return res
benches = ("prepared", "plainChangingLiteral")
single = {(i, d): load(f"single-{i}-{d}") for i in range(1, rounds + 1) for d in ("raw", "gatehouse")}
eight = {(i, d): load(f"eight-{i}-{d}") for i in range(1, rounds + 1) for d in ("raw", "gatehouse")}
alone = load("alone")
print(f"\nload average (1/5/15 min) at start: {load_start}; at end: {load_end}; {rounds} interleaved rounds; "
      f"8 threads {'pinned' if eight_pinned == '1' else 'unpinned'}; every figure is the median over a run's iterations")
print("\nPer round. µs: one thread, pinned, wall-clock per execute. cpu: CPU per execute, JVM (JIT threads excluded) + "
      "PostgreSQL backends. jit: JIT CPU per execute during measurement (should be ~0).")
print("| round | statement | raw µs | gatehouse µs | added µs | raw cpu | gatehouse cpu | added cpu | jit raw/gh | "
      "raw ops/s 8t | gatehouse ops/s 8t | ratio | cpu ratio 8t | core share raw/gh 8t |")
print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
rows = {b: [] for b in benches}
for i in range(1, rounds + 1):
    for b in benches:
        r, g = single[(i, "raw")][b], single[(i, "gatehouse")][b]
        er, eg = eight[(i, "raw")][b], eight[(i, "gatehouse")][b]
        row = dict(raw=r["score"], gh=g["score"], added=g["score"] - r["score"],
                   rc=r.get("cpu.total", nan), gc=g.get("cpu.total", nan),
                   tr=er["score"], tg=eg["score"], ratio=eg["score"] / er["score"],
                   cratio=er.get("cpu.total", nan) / eg.get("cpu.total", nan),
                   # The share of the core the benchmark's JVM and backends got: ops/s x CPU µs per op.
                   shr=er["score"] * er.get("cpu.total", nan) / 1e6, shg=eg["score"] * eg.get("cpu.total", nan) / 1e6)
        row["addedc"] = row["gc"] - row["rc"]
        rows[b].append(row)
        print(f"| {i} | {b} | {row['raw']:.2f} | {row['gh']:.2f} | {row['added']:.2f} | {row['rc']:.2f} | {row['gc']:.2f} | "
              f"{row['addedc']:.2f} | {r.get('cpu.jit', nan):.2f}/{g.get('cpu.jit', nan):.2f} | {row['tr']:,.0f} | "
              f"{row['tg']:,.0f} | {row['ratio']:.3f} | {row['cratio']:.3f} | {row['shr']:.2f}/{row['shg']:.2f} |")
print("\nSummary: medians over rounds; added and ratios are taken within each round.")
print("| statement | raw µs/execute | gatehouse µs/execute | added µs | added CPU µs | checkpoint alone µs | "
      "raw ops/s (8 threads) | gatehouse ops/s (8 threads) | ratio (min–max) | CPU ratio (8 threads) |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for b in benches:
    rs = rows[b]
    ratios = [x["ratio"] for x in rs]
    print(f"| {b} | {med(x['raw'] for x in rs):.2f} | {med(x['gh'] for x in rs):.2f} | {med(x['added'] for x in rs):.2f} | "
          f"{med(x['addedc'] for x in rs):.2f} | {alone[b]['score']:.2f} | {med(x['tr'] for x in rs):,.0f} | "
          f"{med(x['tg'] for x in rs):,.0f} | {med(ratios):.3f} ({min(ratios):.3f}–{max(ratios):.3f}) | "
          f"{med(x['cratio'] for x in rs):.3f} |")
if control:
    busy = {i: load(f"eight-{i}-rawBusy") for i in range(1, rounds + 1)}
    print("\nControl, 8 threads: raw pgjdbc plus a fixed client CPU cost per execute (rawBusy), against raw and Gatehouse "
          "in the same round. CPU µs per execute, JVM / PostgreSQL backends.")
    print("| round | statement | raw ops/s | rawBusy ops/s | rawBusy ratio | gatehouse ratio | raw cpu jvm/db | "
          "rawBusy cpu jvm/db | gatehouse cpu jvm/db |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for i in range(1, rounds + 1):
        for b in benches:
            r, g, c = eight[(i, "raw")][b], eight[(i, "gatehouse")][b], busy[i][b]
            cpu = lambda m: f"{m.get('cpu.jvm', nan):.2f}/{m.get('cpu.db', nan):.2f}"
            print(f"| {i} | {b} | {r['score']:,.0f} | {c['score']:,.0f} | {c['score'] / r['score']:.3f} | "
                  f"{g['score'] / r['score']:.3f} | {cpu(r)} | {cpu(c)} | {cpu(g)} |")

print("\nTargets: added ≤ 3 µs per execute (pinned), ratio ≥ 0.95 with 8 threads. The CPU columns say what Gatehouse")
print("costs whatever else runs on the machine; the wall-clock columns are the targets' own terms (trust them on a quiet")
print("machine). ratio ≈ cpu ratio × (gatehouse core share / raw core share): a core share below 1 is time the core")
print("spent on other processes or idle; when it differs between raw and Gatehouse, the throughput ratio moves with it.")
PY
echo "(raw JMH output: $OUT)" >&2
