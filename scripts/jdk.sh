# Sourced by ./taskdeck and .ci/run: finds a JDK >= 21 and exports JAVA_HOME.
# Order: JAVA_HOME if it is one, then the newest JDK in the platform's usual places,
# then the `java` on PATH. Fails with a message saying what to install.

taskdeck_java_major() {
  # Prints the feature version of the JDK at $1 (e.g. 25), or nothing.
  local release="$1/release" v
  if [ -r "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  elif [ -x "$1/bin/java" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
  fi
  [ "$v" = "1" ] && v=8
  printf '%s' "$v"
}

taskdeck_is_jdk() {
  # A JDK (not a JRE): javac is there, and the version is at least 21.
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local v; v=$(taskdeck_java_major "$1")
  [ -n "$v" ] && [ "$v" -ge 21 ]
}

taskdeck_find_jdk() {
  if taskdeck_is_jdk "${JAVA_HOME:-}"; then printf '%s' "$JAVA_HOME"; return 0; fi
  local best="" best_v=0 dir v
  for dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
             /Library/Java/JavaVirtualMachines/*/Contents/Home \
             "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$dir" ] || continue
    taskdeck_is_jdk "$dir" || continue
    v=$(taskdeck_java_major "$dir")
    if [ "$v" -gt "$best_v" ]; then best="$dir"; best_v="$v"; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    dir=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    taskdeck_is_jdk "$dir" && best="$dir"
  fi
  [ -n "$best" ] || return 1
  printf '%s' "$best"
}

if TASKDECK_JDK=$(taskdeck_find_jdk); then
  export JAVA_HOME="$TASKDECK_JDK"
  export PATH="$JAVA_HOME/bin:$PATH"
else
  echo "taskdeck: no JDK 21 or newer found." >&2
  echo "  Looked at JAVA_HOME (${JAVA_HOME:-unset}), /usr/lib/jvm, /usr/java, /opt, ~/.sdkman and the java on PATH." >&2
  echo "  Install one, for example 'apt-get install openjdk-21-jdk' or Temurin 21+ from adoptium.net," >&2
  echo "  or set JAVA_HOME to a JDK 21+." >&2
  return 1 2>/dev/null || exit 1
fi
