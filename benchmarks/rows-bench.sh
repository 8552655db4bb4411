#!/usr/bin/env bash
# JMH: what the row guard (max_rows) costs a bounded one-row UPDATE through the JDBC driver (median of sampled
# writes, µs), on loopback
# PostgreSQL and MariaDB, in auto-commit and inside the application's transaction (RowGuardBenchmark). The same
# write under a policy without max_rows (off) and with it (on) run in separate JVMs, interleaved (off first in odd
# rounds, on first in even ones); the ratio on/off is taken within a round, and the median over rounds printed.
# Usage: benchmarks/rows-bench.sh [warmup-seconds] [measure-seconds] [iterations] [rounds]   (defaults 2 2 4 3)
set -euo pipefail
cd "$(dirname "$0")/.."
WARM=${1:-2}; MEASURE=${2:-2}; ITER=${3:-4}; ROUNDS=${4:-3}
. bin/lib/jdk.sh
gatehouse_find_jdk
OUT=$(mktemp -d)
./mvnw -q -B -o -pl benchmarks -am package -DskipTests
JAR=benchmarks/target/benchmarks.jar

run() { # round, guard
  echo "$(date -u +%T) round $1 guard=$2 (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  "$JAVA_HOME/bin/java" -jar "$JAR" RowGuardBenchmark -f 1 -wi 3 -w "${WARM}s" -i "$ITER" -r "${MEASURE}s" \
      -p guard="$2" -rf json -rff "$OUT/r$1-$2.json" > "$OUT/r$1-$2.log" 2>&1 || { cat "$OUT/r$1-$2.log"; exit 1; }
}

for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then run "$round" off; run "$round" on; else run "$round" on; run "$round" off; fi
done

/usr/bin/python3 - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def load(r, g):
    res = {}
    for b in json.load(open(f"{out}/r{r}-{g}.json")):
        p = b["params"]
        res[(p["database"], p["mode"])] = b["primaryMetric"]["scorePercentiles"]["50.0"]
    return res
cases = sorted(load(1, "off"))
print(f"{'database':10} {'mode':12} {'off µs':>9} {'on µs':>9} {'added µs':>9} {'on/off':>7}  per round (median write)")
for c in cases:
    offs = [load(r, "off")[c] for r in range(1, rounds + 1)]
    ons = [load(r, "on")[c] for r in range(1, rounds + 1)]
    ratios = [on / off for on, off in zip(ons, offs)]
    adds = [on - off for on, off in zip(ons, offs)]
    print(f"{c[0]:10} {c[1]:12} {statistics.median(offs):9.1f} {statistics.median(ons):9.1f} "
          f"{statistics.median(adds):9.1f} {statistics.median(ratios):7.2f}  "
          + ", ".join(f"{x:.2f}" for x in ratios))
PY
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg); JMH output in $OUT" >&2
