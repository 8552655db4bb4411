#!/usr/bin/env bash
# Long coverage-guided fuzzing of every @FuzzTest target (sql-policy, enforcement, wire-proxy), one JVM per target, in turn.
# The build runs each target for a few seconds (the `fuzz` profile in those modules' poms); this is the long run.
#
#   benchmarks/fuzz.sh [seconds-per-target] [name-filter]     e.g. benchmarks/fuzz.sh 300, benchmarks/fuzz.sh 60 Startup
#
# Corpora grow in target/fuzz/corpus/<Class>/<method> (kept between runs) and start from the seeds in
# src/test/resources/<package>/<Class>Inputs/<method>; crashing inputs land in target/fuzz/crashes/; a
# summary line per target (executions, coverage, crashes) is printed at the end and kept in target/fuzz/summary.txt.
# A crash found here is fixed, then its input is copied into the <Class>Inputs/<method> folder, where every
# build runs it as a regression test.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bin/lib/jdk.sh"
gatehouse_find_jdk || exit 1
seconds=${1:-300}
filter=${2:-}
out="$root/target/fuzz"
mkdir -p "$out/corpus" "$out/crashes" "$out/logs"
cd "$root"

# module, class, method
targets=(
  "sql-policy dev.gatehouse.sql.lex.SqlTextFuzzTest lexSplitFingerprint"
  "sql-policy dev.gatehouse.gate.GateFuzzTest analyzeAndDecide"
  "sql-policy dev.gatehouse.policy.PolicyFileFuzzTest parse"
  "enforcement dev.gatehouse.enforce.session.SqlScanFuzzTest scan"
  "wire-proxy dev.gatehouse.proxy.protocol.FrontendFuzzTest frames"
  "wire-proxy dev.gatehouse.proxy.protocol.StartupFuzzTest startup"
  "wire-proxy dev.gatehouse.proxy.protocol.BackendFuzzTest bodies"
)

echo "fuzz: compiling and resolving test class paths (JAVA_HOME=$JAVA_HOME)"
./mvnw -B -ntp -q -pl sql-policy,enforcement,wire-proxy -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz.classpath

echo "# $(date -u +%FT%TZ) ${seconds}s per target, JAVA_HOME=$JAVA_HOME" >>"$out/summary.txt"
status=0
for t in "${targets[@]}"; do
  read -r module class method <<<"$t"
  name="${class##*.}.$method"
  if [ -n "$filter" ] && [[ "$name" != *"$filter"* ]]; then
    continue
  fi
  seeds="$root/$module/src/test/resources/$(dirname "${class//.//}")/${class##*.}Inputs/$method"
  corpus="$out/corpus/${class##*.}/$method"
  log="$out/logs/$name.log"
  mkdir -p "$corpus"
  echo "fuzz: $name for ${seconds}s (log $log)"
  rc=0
  (cd "$root/$module" && "$JAVA_HOME/bin/java" -XX:+EnableDynamicAgentLoading -XX:-DontCompileHugeMethods -Xmx1g \
      -cp "target/test-classes:target/classes:$(cat target/fuzz.classpath)" com.code_intelligence.jazzer.Jazzer \
      --target_class="$class" --target_method="$method" \
      -max_total_time="$seconds" -timeout=30 -print_final_stats=1 -artifact_prefix="$out/crashes/$name-" \
      "$corpus" "$seeds") >"$log" 2>&1 || rc=$?
  runs=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9a-zA-Z]+' "$log" | tail -1 || true)
  crashes=$(ls "$out/crashes" | grep -c "^$name-" || true)
  line="$name: ${runs:-no final stats} | ${cov:-no coverage line} | corpus $(ls "$corpus" | wc -l) files | exit $rc | crash files $crashes"
  echo "fuzz: $line"
  echo "$line" >>"$out/summary.txt"
  [ "$rc" -eq 0 ] || status=1
done
echo "fuzz: summary in $out/summary.txt"
exit $status
