#!/bin/sh
# Builds libgatehouse_pgquery.so (the JNI shim with libpg_query linked in statically) into the module's classes,
# so it ships inside the sql-policy jar and every jar that shades it. Run by Maven (exec-maven-plugin, pom.xml);
# bin/gatehouse runs `build.sh --check` before Maven to name what is missing.
#   build.sh --check
#   build.sh JAVA_HOME SOURCE_DIR CLASSES_DIR
# Linux x86_64 only: elsewhere Maven's profile does not run this, and the jar carries no library (Gatehouse then
# reads every PostgreSQL statement as UNKNOWN).
set -eu

PGQ_LIB=/usr/lib/x86_64-linux-gnu/libpg_query.a
PGQ_H=/usr/include/pg_query.h
PGQ_PB_H=/usr/include/pg_query/pg_query.pb-c.h
PBC_H=/usr/include/protobuf-c/protobuf-c.h
PGQ_COPYRIGHT=/usr/share/doc/libpg-query-dev/copyright

missing() { # prints what is missing, one line each, nothing when all is there
  [ -f "$PGQ_LIB" ] && [ -f "$PGQ_H" ] && [ -f "$PGQ_PB_H" ] || echo "libpg-query-dev ($PGQ_LIB, $PGQ_H, $PGQ_PB_H)"
  [ -f "$PBC_H" ] || echo "libprotobuf-c-dev ($PBC_H, included by pg_query.pb-c.h)"
  command -v gcc >/dev/null 2>&1 || echo "gcc"
  [ -f /usr/include/stdlib.h ] || echo "libc6-dev (/usr/include/stdlib.h)"
}

if [ "${1:-}" = "--check" ]; then
  m=$(missing)
  [ -z "$m" ] && exit 0
  echo "gatehouse: the native PostgreSQL parser (libpg_query) cannot be built; missing:" >&2
  printf '%s\n' "$m" | while IFS= read -r line; do printf '  - %s\n' "$line" >&2; done
  echo "gatehouse: install them with: apt-get install libpg-query-dev libprotobuf-c-dev gcc libc6-dev" >&2
  exit 1
fi

java_home=$1 src=$2 classes=$3
m=$(missing)
if [ -n "$m" ]; then
  sh "$0" --check || true
  exit 1
fi
out_dir="$classes/native/linux-x86_64"
out="$out_dir/libgatehouse_pgquery.so"
mkdir -p "$out_dir" "$classes/META-INF"
# libpg_query's licence travels with the binary it is linked into.
cp "$PGQ_COPYRIGHT" "$classes/META-INF/LICENSE.libpg_query.txt"
# Rebuild only when the shim, the library or this script changed.
if [ -f "$out" ] && [ -z "$(find "$src/gatehouse_pgquery.c" "$0" "$PGQ_LIB" -newer "$out" 2>/dev/null)" ]; then
  exit 0
fi
# --exclude-libs keeps libpg_query's (PostgreSQL's) symbols private: only the JNI entry points are exported.
# --wrap: libpg_query's stderr capture is routed to the shim's descriptor-free stand-ins (see gatehouse_pgquery.c).
# -z defs: an unresolved symbol fails the build here, not at load time.
gcc -shared -fPIC -O2 -Wall -Wextra -Werror \
  -I"$java_home/include" -I"$java_home/include/linux" \
  -o "$out.tmp" "$src/gatehouse_pgquery.c" "$PGQ_LIB" \
  -Wl,--wrap=pipe -Wl,--wrap=dup -Wl,--wrap=dup2 \
  -Wl,--exclude-libs,ALL -Wl,-z,defs -Wl,-z,noexecstack -Wl,-z,relro -Wl,-z,now -lpthread -lm
mv -f "$out.tmp" "$out"
