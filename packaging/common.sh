# Shared steps of build-linux.sh and build-macos.sh (sourced, not run).
# Windows has the same steps in build-windows.ps1.
#
# Inputs (environment, all optional):
#   TASKDECK_SKIP_MAVEN=1   reuse app/target as it is (no ./mvnw run)
#   TASKDECK_MVN_ARGS       extra arguments for ./mvnw (e.g. -o for offline)
#   TASKDECK_PKG_OUT        output directory (default packaging/target)
#   TASKDECK_LOCALES        locales kept in the runtime (default below)

PKG_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$PKG_DIR/.." && pwd)"
OUT_DIR="${TASKDECK_PKG_OUT:-$PKG_DIR/target}"
APP_TARGET="$REPO_DIR/app/target"
APP_NAME="Taskdeck"
MAIN_CLASS="io.taskdeck.app.Main"
LOCALES="${TASKDECK_LOCALES:-en,de,fr,es,it,pt,nl,sv,pl,ja,zh,ko}"

td_log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
td_die() { printf 'packaging: %s\n' "$*" >&2; exit 1; }

# shellcheck source=../scripts/jdk.sh
. "$REPO_DIR/scripts/jdk.sh" || exit 1

for tool in jlink jpackage jdeps; do
  [ -x "$JAVA_HOME/bin/$tool" ] || td_die "$JAVA_HOME has no bin/$tool; packaging needs a full JDK 21+"
done

JDK_MAJOR="$(taskdeck_java_major "$JAVA_HOME")"

# The project version, as jpackage wants it: numbers only (0.1.0-SNAPSHOT -> 0.1.0).
td_version() {
  local v
  v="$(sed -n '/<parent>/,/<\/parent>/d; s:.*<version>\([^<]*\)</version>.*:\1:p' "$REPO_DIR/pom.xml" | head -1)"
  [ -n "$v" ] || td_die "could not read <version> from pom.xml"
  v="${v%%-*}"
  printf '%s' "$v"
}
APP_VERSION="$(td_version)"

# Builds the console (app and the modules it depends on) without tests.
td_build_maven() {
  if [ "${TASKDECK_SKIP_MAVEN:-0}" = 1 ]; then
    td_log "maven: skipped (TASKDECK_SKIP_MAVEN=1), using $APP_TARGET"
  else
    td_log "maven: building the console (JDK: $JAVA_HOME)"
    (cd "$REPO_DIR" && ./mvnw -B -q -DskipTests ${TASKDECK_MVN_ARGS:-} install -pl app -am) \
      || td_die "maven build failed"
  fi
  [ -f "$APP_TARGET/taskdeck-app.jar" ] || td_die "$APP_TARGET/taskdeck-app.jar is missing"
  ls "$APP_TARGET"/lib/javafx-graphics-*-*.jar >/dev/null 2>&1 \
    || td_die "no platform JavaFX jars (javafx-graphics-<version>-<os>.jar) in $APP_TARGET/lib"
}

# The platform JavaFX jars (with an OS classifier) are modular jars that jlink takes.
td_javafx_jars() { ls "$APP_TARGET"/lib/javafx-*-*.jar; }

# The module list from jlink-modules.txt, comma-separated.
td_modules() {
  sed 's/#.*//' "$PKG_DIR/jlink-modules.txt" | tr -s ' \t' '\n' | sed '/^$/d' | paste -sd, -
}

# $1 = input dir: the console jar and its libraries, without JavaFX (which is in the runtime).
td_stage_input() {
  local input="$1"
  rm -rf "$input"; mkdir -p "$input"
  cp "$APP_TARGET/taskdeck-app.jar" "$input/"
  find "$APP_TARGET/lib" -maxdepth 1 -name '*.jar' ! -name 'javafx-*' -exec cp {} "$input/" \;
}

# $1 = runtime dir, $2 = where JavaFX looks for its native libraries in a runtime image
# (lib on Linux and macOS, bin on Windows).
# jlink leaves the natives inside the module image, from where JavaFX would unpack them
# into ~/.openjfx/cache on every first start; put them where it looks first instead.
td_jlink_runtime() {
  local runtime="$1" native_dir="$2" mp
  rm -rf "$runtime"
  mp="$(td_javafx_jars | paste -sd: -)"
  td_log "jlink: runtime of $(td_modules | tr ',' '\n' | wc -l) modules from JDK $JDK_MAJOR"
  "$JAVA_HOME/bin/jlink" \
    --module-path "$mp" \
    --add-modules "$(td_modules)" \
    --include-locales "$LOCALES" \
    --exclude-resources 'glob:/javafx.graphics/*.so,glob:/javafx.graphics/*.dylib,glob:/javafx.graphics/*.dll,glob:/javafx.graphics/javafx-swt.jar' \
    --strip-debug --no-header-files --no-man-pages \
    --compress zip-6 \
    --output "$runtime" >/dev/null || td_die "jlink failed"
  local jar so
  for jar in $(td_javafx_jars); do
    for so in $(unzip -Z1 "$jar" | grep -E '\.(so|dylib|dll)$' || true); do
      unzip -o -q -j -d "$runtime/$native_dir" "$jar" "$so"
    done
  done
  # The runtime's CDS archive of JDK and JavaFX classes, dumped with the launcher's module
  # options (jlink --generate-cds-archive would dump without them, and the JVM would then
  # ignore the archived module graph). Only the compressed-oops variant: a desktop app
  # never runs with a heap over 32 GB.
  # shellcheck disable=SC2046
  "$runtime/bin/java" $(td_module_options) -Xshare:dump >/dev/null || td_die "CDS dump of the runtime failed"
}

# JVM options that change how modules are resolved. They go both into the launcher and
# into the dump of the runtime's CDS archive: the archived module graph is used only
# when they match.
# Prints one option per line (bash 3 on macOS has no namerefs to return arrays).
td_module_options() {
  # JavaFX and sqlite-jdbc load natives with System.load: allow it, so JDK 22+ does not warn.
  [ "$JDK_MAJOR" -ge 22 ] && echo "--enable-native-access=javafx.graphics,ALL-UNNAMED"
  # JDK 24+ warns when a library (okio, Kotlin, JavaFX) uses sun.misc.Unsafe memory access.
  [ "$JDK_MAJOR" -ge 24 ] && echo "--sun-misc-unsafe-memory-access=allow"
  return 0
}

# Options of the java launcher that jpackage writes into the app's .cfg file.
# Class-data sharing: the JDK part comes from the runtime's CDS archive (dumped by
# td_jlink_runtime); the application part is a dynamic archive that the JVM writes at
# the first exit and maps at every later start (-XX:+AutoCreateSharedArchive, JDK 19+;
# it is rewritten by itself when the app or the runtime changes). It must live where the
# user can write and in a directory that exists by then: ~/.taskdeck, which the console
# creates at start. jpackage launchers of JDK 24+ expand $HOME in java-options; older
# ones do not (probed), and then only the JDK part is shared.
# Prints one option per line.
td_java_options() {
  td_module_options
  if [ "$(td_launcher_expands_home)" = yes ]; then
    echo "-XX:+AutoCreateSharedArchive"
    echo "-XX:SharedArchiveFile=\$HOME/.taskdeck/cds-$APP_VERSION-jdk$JDK_MAJOR.jsa"
  else
    td_log "jpackage of JDK $JDK_MAJOR does not expand \$HOME in java-options: no per-user CDS archive (JDK classes still come from the runtime's archive)"
  fi
  return 0
}

# Whether this JDK's jpackage launcher expands $HOME in java-options: builds a tiny app
# image and runs it (about a second). Prints yes or no.
td_launcher_expands_home() {
  local probe; probe="$(mktemp -d)"
  mkdir -p "$probe/src" "$probe/in" "$probe/classes"
  printf 'public class Probe { public static void main(String[] a) { System.out.print(System.getProperty("probe.home")); } }\n' > "$probe/src/Probe.java"
  "$JAVA_HOME/bin/javac" -d "$probe/classes" "$probe/src/Probe.java" \
    && "$JAVA_HOME/bin/jar" cfe "$probe/in/probe.jar" Probe -C "$probe/classes" . \
    && "$JAVA_HOME/bin/jpackage" --type app-image --input "$probe/in" --main-jar probe.jar \
         --name probe --dest "$probe/out" --runtime-image "$JAVA_HOME" \
         --java-options '-Dprobe.home=$HOME' >/dev/null 2>&1
  local launcher got
  launcher="$(find "$probe/out" -path '*/bin/probe' -o -path '*/MacOS/probe' -o -name probe.exe | head -1)"
  got="$([ -n "$launcher" ] && HOME=/probe-home "$launcher" 2>/dev/null || true)"
  rm -rf "$probe"
  if [ "$got" = /probe-home ]; then printf yes; else printf no; fi
}
