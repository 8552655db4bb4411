# Sourced by bin/gatehouse, bin/run-tests and .ci/run: finds a JDK 21+ and exports JAVA_HOME.
# Order: $GATEHOUSE_JAVA_HOME, $JAVA_HOME, java on PATH, then JDKs installed under /usr/lib/jvm,
# /usr/local and ~/.sdkman (newest first). Prints a clear message and returns 1 when none is found.

gatehouse_java_major() { # JAVA_HOME -> major version on stdout
  local rel="$1/release" v
  if [ -f "$rel" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$rel")
  elif [ -x "$1/bin/java" ]; then
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)
  fi
  v=${v#1.}
  printf '%s\n' "${v%%[.+-]*}"
}

gatehouse_find_jdk() {
  local c major candidates=()
  [ -n "${GATEHOUSE_JAVA_HOME:-}" ] && candidates+=("$GATEHOUSE_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in $(ls -d /usr/lib/jvm/* /usr/local/*jdk* "$HOME"/.sdkman/candidates/java/* 2>/dev/null | sort -rV); do
    candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/javac" ] || continue
    major=$(gatehouse_java_major "$c")
    case "$major" in ''|*[!0-9]*) continue ;; esac
    if [ "$major" -ge 21 ]; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  echo "gatehouse: needs a JDK 21 or newer and found none (looked at GATEHOUSE_JAVA_HOME, JAVA_HOME, PATH, /usr/lib/jvm)." >&2
  echo "gatehouse: install one (Debian: apt-get install openjdk-21-jdk-headless) or set GATEHOUSE_JAVA_HOME." >&2
  return 1
}
