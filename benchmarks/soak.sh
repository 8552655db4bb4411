#!/usr/bin/env bash
# soak.sh — mixed traffic through `bin/gatehouse serve`'s wire proxy for N minutes, sampled every interval:
# TPS and latency p50/p99 (pgbench's per-transaction log), the serve process's CPU per transaction, RSS, heap
# after GC (its GC log), thread and fd counts; prints the table and the growth of the last interval over the first.
# A control stream runs the same scripts directly against PostgreSQL at a low rate: its p99 per interval tells the
# machine's own hiccups (other processes, the disk) from the proxy's.
#
# Traffic, all through the proxy to a private PostgreSQL 15 cluster:
#   - pgbench (prepared protocol, fixed offered rate -R): 70% point reads, 30% tpcb-like writes the policy allows
#   - one psql session (simple protocol) sending a statement the policy denies, then an allowed read, ~10 per s
#   - a trickle of held statements (one INSERT into soak_held every HELD_EVERY s, each from its own psql in wait
#     mode), approved by an approver loop through the HTTP API (GET pending, POST approve) with a real token
# Checks at the end (exit 1 when one fails): no pgbench failures, the denied statement never ran, every held
# statement that was approved ran exactly once.
#
# Usage (as root; PostgreSQL runs as an unprivileged user it creates):
#   benchmarks/soak.sh [minutes]           # default 10
#   INTERVAL=10 benchmarks/soak.sh 1       # a short look
# Environment: INTERVAL (30 s) RATE (300 tx/s offered) CLIENTS (16) HELD_EVERY (15 s) SCALE (5)
#   THREADS (platform|virtual: proxy.threads of serve) GATEHOUSE_JAVA_OPTS (extra JVM options for serve)
#   BASE (/tmp/gatehouse-soak) RUN_AS (gatehousebench) PGPORT (55732) GHPORT (57732) GHAPIPORT (57733)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGBIN=/usr/lib/postgresql/15/bin
MINUTES=${1:-10}
INTERVAL=${INTERVAL:-30}; RATE=${RATE:-300}; CLIENTS=${CLIENTS:-16}; HELD_EVERY=${HELD_EVERY:-15}; SCALE=${SCALE:-5}
THREADS=${THREADS:-platform}
RUN_AS=${RUN_AS:-gatehousebench}
BASE=${BASE:-/tmp/gatehouse-soak}
PGPORT=${PGPORT:-55732}; GHPORT=${GHPORT:-57732}; GHAPIPORT=${GHAPIPORT:-57733}
. "$ROOT/bin/lib/jdk.sh"
gatehouse_find_jdk
SECONDS_TOTAL=$((MINUTES * 60))
SERVE_PID=""; DENY_PID=""; APPROVER_PID=""; PGB_PID=""; SAMPLER_PID=""; CTL_PID=""

as() { runuser -u "$RUN_AS" -- "$@"; }
psql_direct() { as "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }
stop_pid() { [ -n "$1" ] && kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true; }

cleanup() {
  rm -f "$BASE/running"
  stop_pid "$SAMPLER_PID"; stop_pid "$APPROVER_PID"; stop_pid "$DENY_PID"; stop_pid "$PGB_PID"; stop_pid "$CTL_PID"
  for p in $(cat "$BASE/held.pids" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  stop_pid "$SERVE_PID"
  [ -f "$BASE/data/postmaster.pid" ] && as "$PGBIN/pg_ctl" -D "$BASE/data" -m fast -w stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

setup_postgres() {
  id -u "$RUN_AS" >/dev/null 2>&1 || useradd -m "$RUN_AS"
  rm -rf "$BASE"; mkdir -p "$BASE"; chown "$RUN_AS" "$BASE"
  as "$PGBIN/initdb" -D "$BASE/data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
  cat >> "$BASE/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$BASE'
max_connections = 100
shared_buffers = 128MB
fsync = off
CONF
  as "$PGBIN/pg_ctl" -D "$BASE/data" -l "$BASE/pg.log" -w start >/dev/null
  as "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres bench
  as "$PGBIN/pgbench" -i -s "$SCALE" -q -h 127.0.0.1 -p "$PGPORT" -U postgres bench >/dev/null 2>&1
  psql_direct bench -c "CREATE TABLE soak_ledger (id int PRIMARY KEY, amount int NOT NULL);
    INSERT INTO soak_ledger VALUES (1, 10);
    CREATE TABLE soak_held (seq bigserial PRIMARY KEY, note text NOT NULL UNIQUE, at timestamptz DEFAULT clock_timestamp());"
}

write_files() {
  cat > "$BASE/policy.yaml" <<'YAML'
version: 1
defaults: { unparsed: review, otherwise: allow }
approvers: { dba: [alice] }
rules:
  - id: ledger-append-only
    match: { kinds: [WRITE], tables: ["*.soak_ledger"] }
    action: deny
    reason: the ledger is written by the application only
  - id: privileges
    match: { kinds: [PRIVILEGE] }
    action: deny
  - id: held-writes
    match: { kinds: [WRITE], tables: ["*.soak_held"] }
    action: review
    approvers: [dba]
    on_hold: wait
    reason: the soak's trickle of held statements
YAML
  cat > "$BASE/serve.yaml" <<CONF
version: 1
listen: 127.0.0.1:$GHAPIPORT
policy: $BASE/policy.yaml
store: { url: "jdbc:h2:file:$BASE/store" }
proxy:
  listen: 127.0.0.1:$GHPORT
  upstream: 127.0.0.1:$PGPORT
  threads: $THREADS
  catalog: { user: postgres }
  limits: { max_connections: 200 }
CONF
  cat > "$BASE/read.sql" <<'SQL'
\set aid random(1, 100000 * :scale)
SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
SQL
  cat > "$BASE/write.sql" <<'SQL'
\set aid random(1, 100000 * :scale)
\set bid random(1, 1 * :scale)
\set tid random(1, 10 * :scale)
\set delta random(-5000, 5000)
BEGIN;
UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
UPDATE pgbench_tellers SET tbalance = tbalance + :delta WHERE tid = :tid;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (:tid, :bid, :aid, :delta, CURRENT_TIMESTAMP);
END;
SQL
  chown -R "$RUN_AS" "$BASE"
}

start_serve() {
  (cd "$ROOT" && ./mvnw -q -B -pl cli -am package -DskipTests >/dev/null)
  # before serve opens the store (an H2 file given by URL is not shared between processes)
  TOKEN=$("$ROOT/bin/gatehouse" approver token alice --store "jdbc:h2:file:$BASE/store" 2>/dev/null | tail -n1)
  GATEHOUSE_JAVA_OPTS="-Xlog:gc:file=$BASE/gc.log ${GATEHOUSE_JAVA_OPTS:-}" \
    "$ROOT/bin/gatehouse" serve --config "$BASE/serve.yaml" > "$BASE/serve.log" 2>&1 &
  SERVE_PID=$!
  for _ in $(seq 1 150); do grep -q "PostgreSQL proxy on" "$BASE/serve.log" 2>/dev/null && break; sleep 0.2; done
  grep -q "PostgreSQL proxy on" "$BASE/serve.log" || { echo "serve did not start:"; cat "$BASE/serve.log"; exit 1; }
  # bin/gatehouse execs java: $SERVE_PID is the JVM.
}

deny_stream() { # one session: a denied write, then an allowed read, ~10 per second, until the run ends
  while [ -f "$BASE/running" ]; do
    echo "UPDATE soak_ledger SET amount = 0 WHERE id = 1;"
    echo "SELECT amount FROM soak_ledger WHERE id = 1;"
    sleep 0.1
  done | as "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$GHPORT" -U postgres bench > "$BASE/deny.out" 2> "$BASE/deny.err"
}

approver() { # approves every pending request through the HTTP API, oldest first
  local api="http://127.0.0.1:$GHAPIPORT/api/requests"
  while [ -f "$BASE/running" ]; do
    curl -sf -H "Authorization: Bearer $TOKEN" "$api?state=pending&limit=100" \
      | python3 -c 'import json,sys; [print(x["id"]) for x in reversed(json.load(sys.stdin)["requests"])]' \
      | while read -r id; do
          if curl -sf -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
              -d '{"reason": "soak approver"}' "$api/$id/approve"; then
            echo "$(date +%s.%N) $id" >> "$BASE/approved.log"
          fi
        done || true
    sleep 2
  done
}

sample() { # tag [heap_mb]: one line of tag epoch rss_kb threads fds heap_mb cpu_ticks (serve's utime+stime)
  local heap=${2:-}
  [ -n "$heap" ] || heap=$(sed -n 's/.*->\([0-9]*\)M(.*/\1/p' "$BASE/gc.log" | tail -n1) # after the last GC
  echo "$1 $(date +%s) $(awk '/^VmRSS/ {print $2}' "/proc/$SERVE_PID/status")" \
    "$(awk '/^Threads/ {print $2}' "/proc/$SERVE_PID/status") $(ls "/proc/$SERVE_PID/fd" | wc -l) ${heap:-0}" \
    "$(awk '{print $14 + $15}' "/proc/$SERVE_PID/stat")" >> "$BASE/samples.txt"
}

sampler() { # one second before the end of each interval (counted from START) while the run lasts
  local k=1 wait
  while [ -f "$BASE/running" ]; do
    wait=$((START + k * INTERVAL - 1 - $(date +%s)))
    [ "$wait" -gt 0 ] && sleep "$wait"
    sample run
    k=$((k + 1))
  done
}

live_heap() { # name: a full GC through a class histogram (kept as $BASE/name.histo), then the heap it left (MB)
  "$JAVA_HOME/bin/jcmd" "$SERVE_PID" GC.class_histogram > "$BASE/$1.histo"
  grep 'Pause Full' "$BASE/gc.log" | tail -n1 | sed -n 's/.*->\([0-9]*\)M(.*/\1/p'
}

setup_postgres
write_files
start_serve
echo "soak: ${MINUTES} min, interval ${INTERVAL}s, pgbench ${CLIENTS} clients at ${RATE} tx/s offered (prepared),"
echo "      deny stream ~10/s, one held INSERT every ${HELD_EVERY}s approved over HTTP; proxy threads: ${THREADS}"
touch "$BASE/running"
: > "$BASE/approved.log"; : > "$BASE/held.pids"; : > "$BASE/samples.txt"
# warm-up: let the JIT and the pools settle before the first sample
as "$PGBIN/pgbench" -n -M prepared -c "$CLIENTS" -j 2 -T 10 -f "$BASE/read.sql@7" -f "$BASE/write.sql@3" \
  -h 127.0.0.1 -p "$GHPORT" -U postgres bench >/dev/null 2>&1
LIVE0=$(live_heap start)
START=$(date +%s)
sample start "$LIVE0"
deny_stream & DENY_PID=$!
approver & APPROVER_PID=$!
sampler & SAMPLER_PID=$!
(cd "$BASE" && as "$PGBIN/pgbench" -n -M prepared -c "$CLIENTS" -j 2 -T "$SECONDS_TOTAL" -R "$RATE" \
  -f read.sql@7 -f write.sql@3 -l --log-prefix=pgb -h 127.0.0.1 -p "$GHPORT" -U postgres bench > pgbench.out 2>&1) &
PGB_PID=$!
(cd "$BASE" && as "$PGBIN/pgbench" -n -M prepared -c 2 -j 1 -T "$SECONDS_TOTAL" -R 20 \
  -f read.sql@7 -f write.sql@3 -l --log-prefix=direct -h 127.0.0.1 -p "$PGPORT" -U postgres bench > control.out 2>&1) &
CTL_PID=$!
n=0
while kill -0 "$PGB_PID" 2>/dev/null; do
  sleep "$HELD_EVERY"
  kill -0 "$PGB_PID" 2>/dev/null || break
  n=$((n + 1))
  as "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$GHPORT" -U postgres bench \
    -c "INSERT INTO soak_held (note) VALUES ('soak-$n')" > "$BASE/held-$n.out" 2>&1 &
  echo $! >> "$BASE/held.pids"
done
PGB_RC=0; wait "$PGB_PID" || PGB_RC=$?; PGB_PID=""
wait "$CTL_PID" || true; CTL_PID=""
# the last held statements get their approval before the run ends
for _ in $(seq 1 20); do
  [ "$(psql_direct -At bench -c 'SELECT count(*) FROM soak_held')" -ge "$n" ] && break; sleep 1
done
END=$(date +%s)
LIVE1=$(live_heap end)
sample end "$LIVE1"
rm -f "$BASE/running"
stop_pid "$SAMPLER_PID"; SAMPLER_PID=""
stop_pid "$APPROVER_PID"; APPROVER_PID=""
wait "$DENY_PID" 2>/dev/null || true; DENY_PID=""

HELD_ROWS=$(psql_direct -At bench -c "SELECT count(*) FROM soak_held")
HELD_DUP=$(psql_direct -At bench -c "SELECT count(*) - count(DISTINCT note) FROM soak_held")
LEDGER=$(psql_direct -At bench -c "SELECT amount FROM soak_ledger WHERE id = 1")
DENIED=$(grep -c 'ledger-append-only' "$BASE/deny.err" || true)
DENY_READS=$(grep -cx ' *10' "$BASE/deny.out" || true)
APPROVED=$(wc -l < "$BASE/approved.log")

python3 - "$BASE" "$START" "$SECONDS_TOTAL" "$INTERVAL" "$LIVE0" "$LIVE1" "$(getconf CLK_TCK)" <<'PY'
import glob, os, sys
base, start, total, interval, live0, live1, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6], int(sys.argv[7])
def latencies(prefix):  # interval -> latencies (ms) of the transactions that ended in it
    bins = {}
    for f in glob.glob(os.path.join(base, prefix + ".*")):
        with open(f) as fh:
            for line in fh:
                p = line.split()
                if len(p) < 6 or not p[2].isdigit():
                    continue  # skipped or failed transactions carry no latency
                t = int(p[4]) + int(p[5]) / 1e6
                if t < start:
                    continue
                bins.setdefault(int((t - start) // interval), []).append(int(p[2]) / 1000.0)
    return bins
bins, direct = latencies("pgb"), latencies("direct")
samples, marks = [], {}
with open(os.path.join(base, "samples.txt")) as fh:
    for line in fh:
        p = line.split()
        s = (int(p[1]), int(p[2]), int(p[3]), int(p[4]), p[5], int(p[6]))
        if p[0] == "run" and s[0] < start + total:  # taken while pgbench ran
            samples.append(s)
        else:
            marks[p[0]] = s
def sample_for(k):  # the sampler's sample nearest the end of interval k (k = -1: the start)
    if k < 0:
        return marks.get("start")
    edge = start + (k + 1) * interval
    return min(samples, key=lambda s: abs(s[0] - edge)) if samples else None
def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]
rows = []
last = max(bins) if bins else -1
full = [k for k in range(last + 1) if k in bins and (k + 1) * interval <= total]
print()
print("%9s %7s %7s %8s %8s %9s %10s %7s %7s %5s %4s" % ("interval", "tps", "p50_ms", "p99_ms", "max_ms",
      "direct99", "cpu_us/tx", "rss_mb", "heap_mb", "thr", "fds"))
for k in full:
    lat = bins[k]
    s, s0 = sample_for(k), sample_for(k - 1)
    cpu = (s[5] - s0[5]) / hz * 1e6 / len(lat) if s and s0 and s[0] > s0[0] else 0
    d99 = pct(direct[k], 0.99) if k in direct else 0
    row = (k, len(lat) / interval, pct(lat, 0.5), pct(lat, 0.99), max(lat), d99, cpu,
           s[1] / 1024 if s else 0, s[4] if s else "-", s[2] if s else 0, s[3] if s else 0)
    rows.append(row)
    print("%4d-%-4d %7.1f %7.2f %8.2f %8.1f %9.2f %10.0f %7.1f %7s %5d %4d" % ((k * interval, (k + 1) * interval) + row[1:]))
if len(rows) >= 2:
    a, b = rows[0], rows[-1]
    print()
    print("growth last/first interval: tps x%.2f, p50 x%.2f, p99 x%.2f (direct p99 x%.2f), cpu/tx x%.2f, rss %+.1f MB, threads %+d, fds %+d"
          % (b[1] / a[1], b[2] / a[2], b[3] / a[3], b[5] / a[5] if a[5] else 0, b[6] / a[6] if a[6] else 0,
             b[7] - a[7], b[9] - a[9], b[10] - a[10]))
    quiet = sorted(rows, key=lambda r: r[5])[: max(1, len(rows) // 2)]  # the half with the calmest machine
    print("the calmer half of the intervals (lowest direct p99): proxy p99 %.2f-%.2f ms, direct p99 %.2f-%.2f ms"
          % (min(r[3] for r in quiet), max(r[3] for r in quiet), min(r[5] for r in quiet), max(r[5] for r in quiet)))
print("live heap after a full GC: %s MB after warm-up, %s MB at the end" % (live0, live1))
def histo(name):  # class -> bytes, from jcmd GC.class_histogram
    out = {}
    path = os.path.join(base, name + ".histo")
    if os.path.exists(path):
        for line in open(path):
            p = line.split()
            if len(p) >= 4 and p[0].endswith(":") and p[2].isdigit():
                out[p[3]] = int(p[2])
    return out
h0, h1 = histo("start"), histo("end")
grew = sorted(((h1.get(c, 0) - h0.get(c, 0), c) for c in set(h0) | set(h1)), reverse=True)[:6]
print("live heap growth by class: " + ", ".join("%s %+.2f MB" % (c, d / 1048576) for d, c in grew))
for name in ("start", "end"):
    if name in marks:
        m = marks[name]
        print("%-5s (no pgbench clients): rss %.1f MB, threads %d, fds %d" % (name, m[1] / 1024, m[2], m[3]))
PY
echo "pgbench: $(grep -E '^number of (transactions actually processed|failed transactions)' "$BASE/pgbench.out" | tr '\n' ' ')"
echo "denied: $DENIED denied statements answered (the ledger amount is still $LEDGER), $DENY_READS allowed reads in the same session"
echo "held: $n submitted, $APPROVED approved over HTTP, $HELD_ROWS ran ($HELD_DUP duplicates)"
ok=1
[ "$PGB_RC" -eq 0 ] || { echo "FAIL: pgbench exited $PGB_RC"; ok=0; }
grep -q 'number of failed transactions: 0' "$BASE/pgbench.out" || { echo "FAIL: pgbench had failed transactions"; ok=0; }
[ "$LEDGER" = 10 ] || { echo "FAIL: the denied UPDATE changed the ledger"; ok=0; }
[ "$DENIED" -gt 0 ] || { echo "FAIL: no denial seen"; ok=0; }
[ "$HELD_ROWS" -eq "$n" ] && [ "$HELD_DUP" -eq 0 ] || { echo "FAIL: held statements ran $HELD_ROWS times for $n submitted"; ok=0; }
[ "$ok" = 1 ] && echo "soak: OK" || exit 1
