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
# Environment:
#   PARTS ("matrix tpcb pinned cpu"): which measurements, in order; e.g. PARTS=pinned for the latency alone
#   T (8 s per run) REPS (2) CLIENTS ("1 8 32") MODES ("simple extended prepared") SCALE (10)
#   POLICY (examples/policy.yaml): the policy `bin/gatehouse serve` decides every statement by; Gatehouse
#     runs exactly as users run it (serve with a proxy: section, approvals store in $BASE).
#   GATEHOUSE_JAVA_OPTS: extra JVM options for serve (e.g. a JFR recording)
#   COMPARE (none): a second Gatehouse in the same run, interleaved like the others (target "other"):
#     "virtual" = this build with proxy.threads: virtual; a directory = that checkout's bin/gatehouse serve
#     (built here with its own wrapper), e.g. `git archive <commit> | tar -x -C /tmp/old` for before/after.
#   BASE (/tmp/gatehouse-proxy-bench) RUN_AS (gatehousebench) PGPORT (25532) BNCPORT (26532) GHPORT (27532)
#   GHAPIPORT (27533, serve's approvals API and page); all below the ephemeral port range, so that
#     connections of other jobs on the machine cannot take them
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGBIN=/usr/lib/postgresql/15/bin
RUN_AS=${RUN_AS:-gatehousebench}
BASE=${BASE:-/tmp/gatehouse-proxy-bench}
PGPORT=${PGPORT:-25532}; BNCPORT=${BNCPORT:-26532}; GHPORT=${GHPORT:-27532}; GHAPIPORT=${GHAPIPORT:-27533}
POLICY=${POLICY:-$ROOT/examples/policy.yaml}
T=${T:-8}; REPS=${REPS:-2}; CLIENTS=${CLIENTS:-"1 8 32"}; MODES=${MODES:-"simple extended prepared"}
SCALE=${SCALE:-10}
PARTS=${PARTS:-"matrix tpcb pinned cpu"}
. "$ROOT/bin/lib/jdk.sh"
gatehouse_find_jdk
COMPARE=${COMPARE:-}
TARGETS="direct pgbouncer gatehouse"; [ -n "$COMPARE" ] && TARGETS="$TARGETS other"
RESULTS="$BASE/results.csv"
PROXY_PID=""; VT_PID=""

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
  [ -n "$VT_PID" ] && kill "$VT_PID" 2>/dev/null && wait "$VT_PID" 2>/dev/null || true
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

serve1() { # name proxy-port api-port threads root: one bin/gatehouse serve with its wire proxy; echoes its pid
  cat > "$BASE/$1.yaml" <<CONF
version: 1
listen: 127.0.0.1:$3
policy: $POLICY
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
  PROXY_PID=$(serve1 gatehouse "$GHPORT" "$GHAPIPORT" platform "$ROOT")
  await_serve gatehouse
  case "$COMPARE" in
    "") ;;
    virtual) VT_PID=$(serve1 other "$((GHPORT + 10))" "$((GHAPIPORT + 10))" virtual "$ROOT"); await_serve other ;;
    *) (cd "$COMPARE" && ./mvnw -q -B -o -pl cli -am package -DskipTests >/dev/null)
       VT_PID=$(serve1 other "$((GHPORT + 10))" "$((GHAPIPORT + 10))" platform "$COMPARE"); await_serve other ;;
  esac
}

# one pgbench run -> CSV: kind,rep,clients,mode,target,tps,lat_avg_ms,note
run1() { # kind rep clients mode target [extra pgbench args...]
  local kind=$1 rep=$2 c=$3 m=$4 t=$5; shift 5
  local j=$(( c < 2 ? 1 : 2 )) out rc=0
  out=$(as "$PGBIN/pgbench" -n -M "$m" -c "$c" -j "$j" -T "$T" -U postgres "$@" $(conn "$t") 2>&1) || rc=$?
  local note=""; [ $rc -ne 0 ] && note="rc=$rc"
  echo "$kind,$rep,$c,$m,$t,$(val 's/^tps = \([0-9.]*\) (without.*/\1/p' "$out"),$(val 's/^latency average = \([0-9.]*\) ms/\1/p' "$out"),$note" | tee -a "$RESULTS"
}

warmup() { # the JIT compiles the proxy's hot path in every protocol mode before anything is measured
  for t in $TARGETS; do for m in $MODES; do
    as "$PGBIN/pgbench" -n -S -M "$m" -c 8 -j 2 -T 3 -U postgres $(conn "$t") >/dev/null 2>&1 || true
  done; done
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

pinned() { # one client, everything on CPU 0: the CPU path per query, no cross-CPU wake-ups
  local pids; pids="$(pgrep -u "$RUN_AS" -x postgres) $(cat "$BASE/pgbouncer.pid") $PROXY_PID $VT_PID"
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
    case $t in direct) continue ;; pgbouncer) pid=$(cat "$BASE/pgbouncer.pid") ;; gatehouse) pid=$PROXY_PID ;; other) pid=$VT_PID ;; esac
    c0=$(awk '{print $14+$15}' "/proc/$pid/stat")
    out=$(as "$PGBIN/pgbench" -n -S -M "$m" -c 8 -j 2 -T "$T" -U postgres $(conn "$t") 2>&1) || true
    c1=$(awk '{print $14+$15}' "/proc/$pid/stat")
    n=$(val 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out")
    echo "cpu,1,8,$m,$t,$(awk -v a="$c0" -v b="$c1" -v hz="$hz" -v n="$n" 'BEGIN{printf "%.1f", (b-a)/hz*1e6/n}'),," | tee -a "$RESULTS"
  done; done
}

report() { # means per cell, then ratios
  echo
  echo "== select-only (pgbench -S) and tpcb-like: mean TPS, latency; ratios of Gatehouse to PgBouncer and direct"
  awk -F, '$1=="select"||$1=="tpcb" {k=$1" "$3" "$4; tps[k","$5]+=$6; lat[k","$5]+=$7; n[k","$5]++; keys[k]=1}
    END {
      printf "%-8s %7s %-9s %10s %10s %10s %8s %8s %9s %8s %8s\n", "kind", "clients", "mode", "direct", "pgbouncer", "gatehouse", "gh/bnc", "gh/dir", "gh_lat_ms", "bnc_lat", "other/bnc"
      for (k in keys) {
        d=tps[k",direct"]/n[k",direct"]; b=tps[k",pgbouncer"]/n[k",pgbouncer"]; g=tps[k",gatehouse"]/n[k",gatehouse"]
        v=(n[k",other"]>0 ? tps[k",other"]/n[k",other"] : 0)
        split(k, f, " ")
        printf "%-8s %7s %-9s %10.0f %10.0f %10.0f %8.2f %8.2f %9.3f %8.3f %8.2f\n", f[1], f[2], f[3], d, b, g, (b>0?g/b:0), (d>0?g/d:0), lat[k",gatehouse"]/n[k",gatehouse"], lat[k",pgbouncer"]/n[k",pgbouncer"], (b>0?v/b:0)
      }
    }' "$RESULTS" | sort -k1,1 -k2,2n -k3,3
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
}

mkdir -p "$BASE"; : > "$RESULTS"
setup_postgres
setup_pgbouncer
start_proxy
echo "gatehouse serve, policy ${POLICY}  T=${T}s REPS=${REPS} CLIENTS='${CLIENTS}' MODES='${MODES}' scale=${SCALE} compare='${COMPARE}'"
echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
echo "kind,rep,clients,mode,target,tps,lat_avg_ms,note"
warmup
for part in $PARTS; do "$part"; done
report
echo
echo "load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
