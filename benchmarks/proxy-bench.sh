#!/usr/bin/env bash
# proxy-bench.sh — pgbench on loopback, directly, through PgBouncer (session mode) and through the Gatehouse
# wire proxy, interleaved and repeated in one run; prints TPS, latency and proxy CPU per transaction as
# ratios. Stands on its own: it starts a private PostgreSQL 15 and PgBouncer (Debian packages), builds
# Gatehouse and starts `bin/gatehouse serve` with its proxy, and stops everything it started on exit.
#
# Usage (as root; PostgreSQL and PgBouncer run as an unprivileged user it creates):
#   benchmarks/proxy-bench.sh            # full run: matrix, tpcb-like, pinned, cpu (about 15 minutes)
#   T=5 REPS=1 CLIENTS="8" benchmarks/proxy-bench.sh   # quick look
#   COMPARE=/tmp/old-checkout benchmarks/proxy-bench.sh # before/after: another checkout's serve, same run
#   COMPARE_POLICY=benchmarks/rows-policy-bench.yaml PARTS="counted tpcb cpu" MODES="simple extended" \
#     CLIENTS=8 T=6 benchmarks/proxy-bench.sh        # the row guard (max_rows) on every write against none
# Environment:
#   PARTS ("matrix tpcb pinned cpu"): which measurements, in order; e.g. PARTS=pinned for the latency alone;
#     "counted" (with a second Gatehouse) shows which writes each Gatehouse target counts: writes of 10 and 11
#     rows through psql, and the proxy's SAVEPOINTs per pgbench transaction in the server's statement log;
#     "autocommit": tpcb-like's statements without its BEGIN/END (each write a transaction of its own, so a
#     counted write gets the proxy's own BEGIN ... COMMIT instead of a savepoint), like tpcb at 8 clients
#   T (8 s per run) REPS (2) CLIENTS ("1 8 32") MODES ("simple extended prepared") SCALE (10)
#   POLICY (examples/policy.yaml): the policy `bin/gatehouse serve` decides every statement by; Gatehouse
#     runs exactly as users run it (serve with a proxy: section, approvals store in $BASE).
#   GATEHOUSE_JAVA_OPTS: extra JVM options for serve (e.g. a JFR recording)
#   COMPARE (none): a second Gatehouse in the same run, interleaved like the others (target "other"):
#     "virtual" = this build with proxy.threads: virtual; a directory = that checkout's bin/gatehouse serve
#     (built here with its own wrapper), e.g. `git archive <commit> | tar -x -C /tmp/old` for before/after.
#   COMPARE_POLICY (none): the policy "other" runs under (default: POLICY); alone, it makes "other" this build
#     under that policy, e.g. benchmarks/rows-policy-bench.yaml: every write of pgbench's tables counted.
#   Every pgbench run records the CPU per transaction of its pooler/proxy process and of PostgreSQL (backends
#     and its own processes), and pgbench's failed transactions; after every run that writes the script checks
#     that the balances add up (sum of abalance = tbalance = bbalance = pgbench_history.delta) and that the run
#     added one history row per transaction pgbench counted, which hold only if every write ran once (a
#     mismatch goes into the run's note).
#   BASE (/tmp/gatehouse-proxy-bench) RUN_AS (gatehousebench) PGPORT (25532) BNCPORT (26532) GHPORT (27532)
#   GHAPIPORT (27533, serve's approvals API and page); all below the ephemeral port range, so that
#     connections of other jobs on the machine cannot take them
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGBIN=/usr/lib/postgresql/15/bin
RUN_AS=${RUN_AS:-gatehousebench}
BASE=${BASE:-/tmp/gatehouse-proxy-bench}
PGPORT=${PGPORT:-25532}; BNCPORT=${BNCPORT:-26532}; GHPORT=${GHPORT:-27532}; GHAPIPORT=${GHAPIPORT:-27533}
POLICY=$(readlink -f "${POLICY:-$ROOT/examples/policy.yaml}") # serve reads it relative to its config in $BASE
T=${T:-8}; REPS=${REPS:-2}; CLIENTS=${CLIENTS:-"1 8 32"}; MODES=${MODES:-"simple extended prepared"}
SCALE=${SCALE:-10}
PARTS=${PARTS:-"matrix tpcb pinned cpu"}
. "$ROOT/bin/lib/jdk.sh"
gatehouse_find_jdk
COMPARE=${COMPARE:-}
COMPARE_POLICY=${COMPARE_POLICY:+$(readlink -f "$COMPARE_POLICY")}
OTHER_POLICY=${COMPARE_POLICY:-$POLICY}
TARGETS="direct pgbouncer gatehouse"; [ -n "$COMPARE$COMPARE_POLICY" ] && TARGETS="$TARGETS other"
RESULTS="$BASE/results.csv"
CHECKS="$BASE/checks.txt"
PROXY_PID=""; OTHER_PID=""; OTHER_TOKEN=""

as() { runuser -u "$RUN_AS" -- "$@"; }
conn() { case $1 in
  direct)    echo "-h 127.0.0.1 -p $PGPORT bench" ;;
  pgbouncer) echo "-h 127.0.0.1 -p $BNCPORT bench" ;;
  gatehouse) echo "-h 127.0.0.1 -p $GHPORT bench" ;;
  other)     echo "-h 127.0.0.1 -p $((GHPORT + 10)) bench" ;;
esac; }
val() { sed -n "$1" <<<"$2"; }

cleanup() {
  [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null && wait "$PROXY_PID" 2>/dev/null || true
  [ -n "$OTHER_PID" ] && kill "$OTHER_PID" 2>/dev/null && wait "$OTHER_PID" 2>/dev/null || true
  [ -f "$BASE/pgbouncer.pid" ] && kill "$(cat "$BASE/pgbouncer.pid")" 2>/dev/null || true
  [ -f "$BASE/data/postmaster.pid" ] && as "$PGBIN/pg_ctl" -D "$BASE/data" -m fast -w stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

setup_postgres() {
  command -v pgbouncer >/dev/null || { apt-get update -qq; apt-get install -y -qq pgbouncer >/dev/null; }
  id -u "$RUN_AS" >/dev/null 2>&1 || useradd -m "$RUN_AS"
  mkdir -p "$BASE"; chown "$RUN_AS" "$BASE"
  if [ ! -f "$BASE/data/PG_VERSION" ]; then
    as "$PGBIN/initdb" -D "$BASE/data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
    cat >> "$BASE/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$BASE'
max_connections = 200
shared_buffers = 256MB
CONF
  fi
  as "$PGBIN/pg_ctl" -D "$BASE/data" -l "$BASE/pg.log" -o "-p $PGPORT" -w start >/dev/null
  if ! as "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -Atc "select 1 from pg_database where datname='bench'" postgres | grep -q 1; then
    as "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres bench
    as "$PGBIN/pgbench" -i -s "$SCALE" -q -h 127.0.0.1 -p "$PGPORT" -U postgres bench >/dev/null 2>&1
  fi
}

setup_pgbouncer() {
  cat > "$BASE/pgbouncer.ini" <<CONF
[databases]
bench = host=127.0.0.1 port=$PGPORT dbname=bench pool_mode=session
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BNCPORT
unix_socket_dir = $BASE
auth_type = trust
auth_file = $BASE/userlist.txt
pool_mode = session
default_pool_size = 40
max_client_conn = 200
server_reset_query = DISCARD ALL
logfile = $BASE/pgbouncer.log
pidfile = $BASE/pgbouncer.pid
CONF
  echo '"postgres" ""' > "$BASE/userlist.txt"
  chown "$RUN_AS" "$BASE/pgbouncer.ini" "$BASE/userlist.txt"
  as pgbouncer -d "$BASE/pgbouncer.ini"; sleep 1
}

serve1() { # name proxy-port api-port threads root policy: one bin/gatehouse serve with its wire proxy; echoes its pid
  cat > "$BASE/$1.yaml" <<CONF
version: 1
listen: 127.0.0.1:$3
policy: $6
store: { url: "jdbc:h2:file:$BASE/$1-store" }
proxy:
  listen: 127.0.0.1:$2
  upstream: 127.0.0.1:$PGPORT
  threads: $4
  limits: { max_connections: 200 }
CONF
  # The live catalog, read as the cluster's one user (a checkout from before it had one reads none).
  [ -f "$5/cli/src/main/java/dev/gatehouse/cli/approvals/CatalogSettings.java" ] \
    && printf '  catalog: { user: postgres }\n' >> "$BASE/$1.yaml"
  GATEHOUSE_JAVA_OPTS="-XX:+UseParallelGC -Xmx512m ${GATEHOUSE_JAVA_OPTS:-}" \
      "$5/bin/gatehouse" serve --config "$BASE/$1.yaml" > "$BASE/$1.log" 2>&1 &
  echo $!
}

await_serve() { # name
  for _ in $(seq 1 150); do
    grep -q "PostgreSQL proxy on" "$BASE/$1.log" 2>/dev/null && return 0; sleep 0.2
  done
  echo "gatehouse serve did not start:"; cat "$BASE/$1.log"; exit 1
}

start_proxy() { # bin/gatehouse serve with its wire proxy and a realistic policy, as users run it
  (cd "$ROOT" && ./mvnw -q -B -o -pl cli -am package -DskipTests >/dev/null)
  rm -f "$BASE"/gatehouse-store.* "$BASE"/other-store.* # requests of earlier runs would be found again
  PROXY_PID=$(serve1 gatehouse "$GHPORT" "$GHAPIPORT" platform "$ROOT" "$POLICY")
  await_serve gatehouse
  local root=$ROOT threads=platform
  case "$COMPARE" in
    "") [ -z "$COMPARE_POLICY" ] && return 0 ;;
    virtual) threads=virtual ;;
    *) root=$COMPARE; (cd "$COMPARE" && ./mvnw -q -B -o -pl cli -am package -DskipTests >/dev/null) ;;
  esac
  # An admin token on other's store, issued before serve opens it, lets "counted" count its requests.
  OTHER_TOKEN=$("$root/bin/gatehouse" approver token bench-counter --admin --replace \
      --store "jdbc:h2:file:$BASE/other-store" 2>/dev/null | awk 'NF == 1 && length($1) >= 20 {print $1}' | tail -n 1) || true
  OTHER_PID=$(serve1 other "$((GHPORT + 10))" "$((GHAPIPORT + 10))" "$threads" "$root" "$OTHER_POLICY")
  await_serve other
}

proxy_pid() { case $1 in pgbouncer) cat "$BASE/pgbouncer.pid" ;; gatehouse) echo "$PROXY_PID" ;; other) echo "$OTHER_PID" ;; esac; }
ticks() { if [ -n "$1" ]; then awk '{print $14+$15}' "/proc/$1/stat"; else echo 0; fi; } # user+system CPU
pg_ticks() { # PostgreSQL's CPU: its live processes, and the backends that ended (postmaster's reaped children)
  local pm; pm=$(head -n 1 "$BASE/data/postmaster.pid")
  { awk '{print $16+$17}' "/proc/$pm/stat"; for p in $(pgrep -u "$RUN_AS" -x postgres); do
      awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || true; done; } | awk '{s+=$1} END {print s}'
}
sql() { as "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -XAtq "$@" bench; }
balances() { # a|t|b|h: the sums of pgbench's balances and of its history's deltas
  sql -c "select (select sum(abalance) from pgbench_accounts), (select sum(tbalance) from pgbench_tellers),
    (select sum(bbalance) from pgbench_branches), (select coalesce(sum(delta), 0) from pgbench_history)"
}

# one pgbench run -> CSV: kind,rep,clients,mode,target,tps,lat_avg_ms,note,proxy_cpu_us,pg_cpu_us,failed
# (CPU per transaction of the target's pooler/proxy process and of PostgreSQL; failed: pgbench's failed transactions)
run1() { # kind rep clients mode target [extra pgbench args...]
  local kind=$1 rep=$2 c=$3 m=$4 t=$5; shift 5
  local j=$(( c < 2 ? 1 : 2 )) out rc=0 hz pid p0 p1 d0 d1 n
  hz=$(getconf CLK_TCK); pid=$(proxy_pid "$t")
  local writes=""; case $kind in tpcb|autocommit) writes=yes ;; esac
  local h0=0; [ -n "$writes" ] && h0=$(sql -c "select count(*) from pgbench_history")
  p0=$(ticks "$pid"); d0=$(pg_ticks)
  out=$(as "$PGBIN/pgbench" -n -M "$m" -c "$c" -j "$j" -T "$T" -U postgres "$@" $(conn "$t") 2>&1) || rc=$?
  sleep 0.2 # the backends of pgbench's connections end and are reaped
  p1=$(ticks "$pid"); d1=$(pg_ticks)
  n=$(val 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out")
  local note=""; [ $rc -ne 0 ] && note="rc=$rc"
  grep -q 'aborted' <<<"$out" && note="$note aborted:$(grep -c 'aborted' <<<"$out")"
  if [ -n "$writes" ]; then # every transaction's writes ran once: the sums agree, one history row per transaction
    local b h1; b=$(balances); h1=$(sql -c "select count(*) from pgbench_history")
    awk -F'|' '{exit !($1 == $2 && $2 == $3 && $3 == $4)}' <<<"$b" || note="$note unbalanced:$b"
    [ "$((h1 - h0))" = "${n:-0}" ] || note="$note history+$((h1 - h0))/processed:${n:-0}"
  fi
  [ $rc -ne 0 ] && printf '%s %s %s: %s\n' "$kind" "$m" "$t" "$(grep -m 3 -E 'error|ERROR|aborted' <<<"$out" | tr '\n' ' ')" >> "$CHECKS"
  echo "$kind,$rep,$c,$m,$t,$(val 's/^tps = \([0-9.]*\) (without.*/\1/p' "$out"),$(val 's/^latency average = \([0-9.]*\) ms/\1/p' "$out"),${note# },$(
    awk -v a="$p0" -v b="$p1" -v c="$d0" -v d="$d1" -v hz="$hz" -v n="${n:-0}" -v t="$t" 'BEGIN {
      if (n == 0) { printf ","; exit }
      if (t != "direct") printf "%.1f", (b-a)/hz*1e6/n; printf ",%.1f", (d-c)/hz*1e6/n }'),$(
    val 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$out")" | tee -a "$RESULTS"
}

warmup() { # the JIT compiles the proxy's hot path in every protocol mode before anything is measured
  for t in $TARGETS; do for m in $MODES; do
    as "$PGBIN/pgbench" -n -S -M "$m" -c 8 -j 2 -T 3 -U postgres $(conn "$t") >/dev/null 2>&1 || true
    # and its write path (under a max_rows policy: the counted run) when writes are measured
    case " $PARTS " in *" tpcb "*|*" autocommit "*)
      as "$PGBIN/pgbench" -n -M "$m" -c 8 -j 2 -T 3 -U postgres $(conn "$t") >/dev/null 2>&1 || true ;;
    esac
    case " $PARTS " in *" autocommit "*)
      as "$PGBIN/pgbench" -n -M "$m" -c 8 -j 2 -T 3 -U postgres -f "$(autocommit_script)" $(conn "$t") >/dev/null 2>&1 || true ;;
    esac
  done; done
}

psql_via() { timeout 20 runuser -u "$RUN_AS" -- "$PGBIN/psql" -X -U postgres $(conn "$1") -c "$2" 2>&1 | tr '\n' ' ' | cut -c 1-160; }
requests() { # other's requests (all states), through its API with the token issued at its start
  [ -n "$OTHER_TOKEN" ] || { echo "?"; return; }
  curl -s -H "Authorization: Bearer $OTHER_TOKEN" "http://127.0.0.1:$((GHAPIPORT + 10))/api/requests?limit=500" \
    | jq '.requests | length' 2>/dev/null || echo "?"
}

counted() { # which writes each Gatehouse target counts, and what pgbench's transactions send to the server
  [ -n "$OTHER_PID" ] || { echo "counted: needs a second Gatehouse (COMPARE_POLICY or COMPARE)"; return; }
  {
    echo "== counted: writes through each Gatehouse target (gatehouse: $(basename "$POLICY"); other: $(basename "$OTHER_POLICY"))"
    local r0 r1; r0=$(requests)
    for t in gatehouse other; do # values left as they were: 10 rows (the limit), 11 (one over), every teller
      echo "$t: UPDATE of 10 accounts -> $(psql_via "$t" "UPDATE pgbench_accounts SET abalance = abalance WHERE aid <= 10")"
      echo "$t: UPDATE of 11 accounts -> $(psql_via "$t" "UPDATE pgbench_accounts SET abalance = abalance WHERE aid <= 11")"
      echo "$t: UPDATE of every teller -> $(psql_via "$t" "UPDATE pgbench_tellers SET tbalance = tbalance WHERE tid = tid")"
    done
    # unbounded: bulk-writes holds it under either policy (and makes gatehouse's psql wait), so through other only
    echo "other: DELETE FROM pgbench_history -> $(psql_via other "DELETE FROM pgbench_history")"
    r1=$(requests)
    echo "other's requests: $r0 before, $r1 after the writes above (expected: 3 more)"
    # The server's statement log during a few pgbench transactions per target, mode and script (new sessions only).
    sql -c "ALTER ROLE postgres IN DATABASE bench SET log_statement = 'all'"
    local script; for script in tpcb-like autocommit; do for t in gatehouse other; do for m in $MODES; do
      local from args=""; from=$(( $(stat -c %s "$BASE/pg.log") + 1 ))
      [ "$script" = autocommit ] && args="-f $(autocommit_script)"
      local out; out=$(as "$PGBIN/pgbench" -n -M "$m" -c 1 -t 20 -U postgres $args $(conn "$t") 2>&1) || echo "$t $m: pgbench failed"
      sleep 0.5
      tail -c +"$from" "$BASE/pg.log" | awk -v t="$t" -v m="$m" -v sc="$script" -v cw="$(grep -c WARNING <<<"$out")" '
        /: SAVEPOINT gatehouse_/ {s++} /: RELEASE SAVEPOINT gatehouse_/ {r++} /: ROLLBACK TO SAVEPOINT gatehouse_/ {b++}
        /: UPDATE pgbench_/ {u++} /: INSERT INTO pgbench_history/ {i++} /: (BEGIN|begin)/ {bg++} /: (COMMIT|END|end)/ {c++}
        /: ROLLBACK;?$/ {rb++} / WARNING: / {w++}
        END {printf "%s %s %s, per pgbench transaction (20): %.1f UPDATE, %.1f INSERT, %.1f BEGIN, %.1f COMMIT/END, %.1f ROLLBACK, %.1f SAVEPOINT gatehouse_*, %.1f RELEASE, %.1f ROLLBACK TO; WARNINGs: %.1f in the server log, %d to pgbench\n", sc, t, m, u/20, i/20, bg/20, c/20, rb/20, s/20, r/20, b/20, w/20, cw}'
    done; done; done
    sql -c "ALTER ROLE postgres IN DATABASE bench RESET log_statement"
    echo "other's requests after those pgbench runs: $(requests) (expected: $r1)"
  } | tee -a "$CHECKS"
}

matrix() { # select-only, every cell with all targets back to back in shuffled order
  for rep in $(seq 1 "$REPS"); do for c in $CLIENTS; do for m in $MODES; do
    for t in $(printf '%s\n' $TARGETS | shuf); do run1 select "$rep" "$c" "$m" "$t" -S; done
  done; done; done
}

tpcb() { # tpcb-like read-write at 8 clients
  for rep in $(seq 1 "$REPS"); do for m in $MODES; do
    for t in $(printf '%s\n' $TARGETS | shuf); do run1 tpcb "$rep" 8 "$m" "$t"; done
  done; done
}

autocommit_script() { # pgbench's tpcb-like without BEGIN and END; echoes its path
  cat > "$BASE/autocommit.sql" <<SQL
\\set aid random(1, 100000 * $SCALE)
\\set bid random(1, 1 * $SCALE)
\\set tid random(1, 10 * $SCALE)
\\set delta random(-5000, 5000)
UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
UPDATE pgbench_tellers SET tbalance = tbalance + :delta WHERE tid = :tid;
UPDATE pgbench_branches SET bbalance = bbalance + :delta WHERE bid = :bid;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (:tid, :bid, :aid, :delta, CURRENT_TIMESTAMP);
SQL
  chmod a+r "$BASE/autocommit.sql"; echo "$BASE/autocommit.sql"
}

autocommit() { # the same writes, each in a transaction of its own, at 8 clients
  local f; f=$(autocommit_script)
  for rep in $(seq 1 "$REPS"); do for m in $MODES; do
    for t in $(printf '%s\n' $TARGETS | shuf); do run1 autocommit "$rep" 8 "$m" "$t" -f "$f"; done
  done; done
}

pinned() { # one client, everything on CPU 0: the CPU path per query, no cross-CPU wake-ups
  local pids; pids="$(pgrep -u "$RUN_AS" -x postgres) $(cat "$BASE/pgbouncer.pid") $PROXY_PID $OTHER_PID"
  for p in $pids; do taskset -a -p -c 0 "$p" >/dev/null; done
  for rep in $(seq 1 "$REPS"); do for m in $MODES; do for t in $(printf '%s\n' $TARGETS | shuf); do
    local out; out=$(taskset -c 0 runuser -u "$RUN_AS" -- "$PGBIN/pgbench" -n -S -M "$m" -c 1 -T "$T" -U postgres $(conn "$t") 2>&1) || true
    echo "pinned,$rep,1,$m,$t,$(val 's/^tps = \([0-9.]*\) (without.*/\1/p' "$out"),$(val 's/^latency average = \([0-9.]*\) ms/\1/p' "$out")," | tee -a "$RESULTS"
  done; done; done
  for p in $pids; do taskset -a -p -c 0-$(( $(nproc) - 1 )) "$p" >/dev/null; done
}

cpu() { # CPU microseconds per transaction in the pooler / proxy process, 8 clients select-only
  local hz; hz=$(getconf CLK_TCK)
  for m in $MODES; do for t in $TARGETS; do
    local pid c0 c1 out n
    [ "$t" = direct ] && continue; pid=$(proxy_pid "$t")
    c0=$(awk '{print $14+$15}' "/proc/$pid/stat")
    out=$(as "$PGBIN/pgbench" -n -S -M "$m" -c 8 -j 2 -T "$T" -U postgres $(conn "$t") 2>&1) || true
    c1=$(awk '{print $14+$15}' "/proc/$pid/stat")
    n=$(val 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out")
    echo "cpu,1,8,$m,$t,$(awk -v a="$c0" -v b="$c1" -v hz="$hz" -v n="$n" 'BEGIN{printf "%.1f", (b-a)/hz*1e6/n}'),," | tee -a "$RESULTS"
  done; done
}

headed() { IFS= read -r h; printf '%s\n' "$h"; "$@"; } # the header line stays first; the command takes the rest

report() { # means per cell, then ratios
  echo
  echo "== select-only (pgbench -S) and tpcb-like: mean TPS, latency; ratios of Gatehouse to PgBouncer and direct"
  awk -F, '$1=="select"||$1=="tpcb"||$1=="autocommit" {k=$1" "$3" "$4; tps[k","$5]+=$6; lat[k","$5]+=$7; n[k","$5]++; keys[k]=1}
    END {
      printf "%-10s %7s %-9s %10s %10s %10s %8s %8s %9s %8s %8s\n", "kind", "clients", "mode", "direct", "pgbouncer", "gatehouse", "gh/bnc", "gh/dir", "gh_lat_ms", "bnc_lat", "other/bnc"
      for (k in keys) {
        d=tps[k",direct"]/n[k",direct"]; b=tps[k",pgbouncer"]/n[k",pgbouncer"]; g=tps[k",gatehouse"]/n[k",gatehouse"]
        v=(n[k",other"]>0 ? tps[k",other"]/n[k",other"] : 0)
        split(k, f, " ")
        printf "%-10s %7s %-9s %10.0f %10.0f %10.0f %8.2f %8.2f %9.3f %8.3f %8.2f\n", f[1], f[2], f[3], d, b, g, (b>0?g/b:0), (d>0?g/d:0), lat[k",gatehouse"]/n[k",gatehouse"], lat[k",pgbouncer"]/n[k",pgbouncer"], (b>0?v/b:0)
      }
    }' "$RESULTS" | headed sort -k1,1 -k2,2n -k3,3
  echo
  echo "== pinned to one core, 1 client: microseconds per query, and added over direct"
  awk -F, '$1=="pinned" {k=$4; tps[k","$5]+=$6; n[k","$5]++; keys[k]=1}
    END {
      printf "%-9s %9s %12s %12s %12s %12s %12s\n", "mode", "direct_us", "pgbouncer_us", "gatehouse_us", "bnc_added", "gh_added", "other_added"
      for (k in keys) {
        d=1e6/(tps[k",direct"]/n[k",direct"]); b=1e6/(tps[k",pgbouncer"]/n[k",pgbouncer"]); g=1e6/(tps[k",gatehouse"]/n[k",gatehouse"])
        v=(n[k",other"]>0 ? 1e6/(tps[k",other"]/n[k",other"]) - d : 0)
        printf "%-9s %9.1f %12.1f %12.1f %12.1f %12.1f %12.1f\n", k, d, b, g, b-d, g-d, v
      }
    }' "$RESULTS"
  echo
  echo "== CPU microseconds per transaction in the pooler/proxy process (8 clients, select-only)"
  awk -F, '$1=="cpu" {printf "%-9s %-10s %8s\n", $4, $5, $6}' "$RESULTS"
  echo
  echo "== CPU microseconds per transaction during the runs above: pooler/proxy process, PostgreSQL; failed transactions"
  awk -F, '($1=="select"||$1=="tpcb"||$1=="autocommit") && NF>=11 {k=$1" "$3" "$4" "$5; p[k]+=$9; d[k]+=$10; f[k]+=$11; n[k]++}
    END {
      printf "%-10s %7s %-9s %-10s %9s %9s %7s\n", "kind", "clients", "mode", "target", "proxy_us", "pg_us", "failed"
      for (k in n) { split(k, x, " "); printf "%-10s %7s %-9s %-10s %9.1f %9.1f %7d\n", x[1], x[2], x[3], x[4], p[k]/n[k], d[k]/n[k], f[k] }
    }' "$RESULTS" | headed sort -k1,1 -k2,2n -k3,3 -k4,4
  [ -n "$OTHER_PID" ] || return 0
  echo
  echo "== other ($(basename "$OTHER_POLICY")${COMPARE:+, $COMPARE}) against gatehouse ($(basename "$POLICY")), same run:"
  echo "   means over reps; ratios other/gatehouse; added = other - gatehouse; TPS ratio of each rep in brackets"
  awk -F, '($1=="select"||$1=="tpcb"||$1=="autocommit") && ($5=="gatehouse"||$5=="other") {
      k=$1" "$3" "$4; keys[k]=1; t=$5; tps[k,t]+=$6; lat[k,t]+=$7; pc[k,t]+=$9; dc[k,t]+=$10; n[k,t]++
      r[k,$2,t]=$6; reps[k]=(reps[k] ? reps[k] : 0); if ($2 > reps[k]) reps[k]=$2 }
    END {
      printf "%-10s %7s %-9s %8s %8s %6s %8s %8s %6s %8s %8s %8s %8s %8s  %s\n", "kind", "clients", "mode", "gh_tps",
        "oth_tps", "tps_r", "gh_lat", "oth_lat", "lat_r", "gh_px_us", "oth_px", "px_added", "gh_pg_us", "pg_added", "per-rep tps_r"
      for (k in keys) {
        g="gatehouse"; o="other"; if (!n[k,g] || !n[k,o]) continue
        gt=tps[k,g]/n[k,g]; ot=tps[k,o]/n[k,o]; gl=lat[k,g]/n[k,g]; ol=lat[k,o]/n[k,o]
        gp=pc[k,g]/n[k,g]; op=pc[k,o]/n[k,o]; gd=dc[k,g]/n[k,g]; od=dc[k,o]/n[k,o]
        per=""; for (i=1; i<=reps[k]; i++) if (r[k,i,g] > 0) per=per sprintf("%s%.2f", (per=="" ? "" : " "), r[k,i,o]/r[k,i,g])
        split(k, f, " ")
        printf "%-10s %7s %-9s %8.0f %8.0f %6.2f %8.3f %8.3f %6.2f %8.1f %8.1f %8.1f %8.1f %8.1f  [%s]\n", f[1], f[2], f[3],
          gt, ot, ot/gt, gl, ol, ol/gl, gp, op, op-gp, gd, od-gd, per
      }
    }' "$RESULTS" | headed sort -k1,1 -k2,2n -k3,3
}

mkdir -p "$BASE"; : > "$RESULTS"; : > "$CHECKS"
setup_postgres
setup_pgbouncer
start_proxy
echo "gatehouse serve, policy ${POLICY}  T=${T}s REPS=${REPS} CLIENTS='${CLIENTS}' MODES='${MODES}' scale=${SCALE} compare='${COMPARE}' compare_policy='${COMPARE_POLICY}'"
echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
echo "kind,rep,clients,mode,target,tps,lat_avg_ms,note,proxy_cpu_us,pg_cpu_us,failed"
warmup
for part in $PARTS; do "$part"; done
report
if [ -s "$CHECKS" ]; then echo; cat "$CHECKS"; fi
echo
echo "balances after the run (accounts|tellers|branches|history delta): $(balances)"
echo "load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
