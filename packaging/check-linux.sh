#!/usr/bin/env bash
# Builds the Linux app image and checks it (about 2-3 minutes on 2 cores, most of it the
# Maven build and jlink; not part of ./taskdeck test):
#   - layout: launcher, jlinked runtime with the JavaFX modules and no JDK tools, JavaFX
#     natives next to libjvm, the runtime's CDS archive, the class path without JavaFX
#     jars, the launcher's CDS options, the icon;
#   - size under 150 MB;
#   - it starts: the console's main window appears under Xvfb (measure-startup.sh, one run).
#
#   packaging/check-linux.sh [--no-build] [--deb]
#     --no-build  check packaging/target/app-image as it is
#     --deb       also build the .deb and run check-deb.sh (installs it: needs root)
set -euo pipefail
PKG_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD=1; DEB=0
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    --deb) DEB=1 ;;
    *) echo "check-linux: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
if [ "$BUILD" = 1 ]; then
  if [ "$DEB" = 1 ]; then "$PKG_DIR/build-linux.sh"; else "$PKG_DIR/build-linux.sh" --image-only; fi
fi

IMAGE="${TASKDECK_PKG_OUT:-$PKG_DIR/target}/app-image/Taskdeck"
fail() { echo "check-linux: FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

[ -x "$IMAGE/bin/Taskdeck" ] || fail "no launcher $IMAGE/bin/Taskdeck"
RT="$IMAGE/lib/runtime"
[ -x "$RT/bin/java" ] || fail "no runtime in $RT"
modules="$("$RT/bin/java" --list-modules | sed 's/@.*//')"
for m in java.base java.sql java.net.http jdk.unsupported javafx.base javafx.graphics javafx.controls javafx.fxml; do
  grep -qx "$m" <<<"$modules" || fail "module $m is missing from the runtime"
done
for m in jdk.compiler jdk.jlink jdk.jshell javafx.web javafx.media; do
  ! grep -qx "$m" <<<"$modules" || fail "module $m should not be in the trimmed runtime"
done
ok "runtime: $(wc -l <<<"$modules") modules, JavaFX included, no compiler or jlink"
for so in libglass.so libglassgtk3.so libprism_es2.so libprism_sw.so libjavafx_font.so; do
  [ -f "$RT/lib/$so" ] || fail "JavaFX native $so is not in lib/runtime/lib"
done
[ -f "$RT/lib/server/classes.jsa" ] || fail "the runtime has no CDS archive (lib/server/classes.jsa)"
ok "JavaFX natives in lib/runtime/lib, CDS archive lib/server/classes.jsa ($(du -h "$RT/lib/server/classes.jsa" | cut -f1))"

CFG="$IMAGE/lib/app/Taskdeck.cfg"
grep -q '^app.mainclass=io.taskdeck.app.Main$' "$CFG" || fail "$CFG does not start io.taskdeck.app.Main"
grep -q '^app.classpath=\$APPDIR/taskdeck-app.jar$' "$CFG" || fail "taskdeck-app.jar is not on the class path"
! ls "$IMAGE"/lib/app/javafx-*.jar >/dev/null 2>&1 || fail "JavaFX jars in lib/app duplicate the runtime's modules"
if grep -q 'AutoCreateSharedArchive' "$CFG"; then
  grep -q '^java-options=-XX:SharedArchiveFile=\$HOME/.taskdeck/' "$CFG" || fail "the CDS archive is not under \$HOME/.taskdeck"
  ok "launcher: main class, class path, per-user CDS archive under \$HOME/.taskdeck"
else
  ok "launcher: main class, class path (no per-user CDS archive: this JDK's jpackage does not expand \$HOME)"
fi
[ -f "$IMAGE/lib/Taskdeck.png" ] || fail "no launcher icon lib/Taskdeck.png"
for n in 16 24 32 48 64 128 256 512 1024; do
  [ -f "$IMAGE/lib/icons/taskdeck-$n.png" ] || fail "icon size $n missing from lib/icons"
done
ok "icons: lib/Taskdeck.png and lib/icons/taskdeck-{16..1024}.png"

size_mb=$(du -sm "$IMAGE" | cut -f1)
[ "$size_mb" -lt 150 ] || fail "the app image takes $size_mb MB, the budget is 150 MB"
ok "size: $size_mb MB (runtime $(du -sm "$RT" | cut -f1) MB, class path $(du -sm "$IMAGE/lib/app" | cut -f1) MB)"

"$PKG_DIR/measure-startup.sh" "$IMAGE" 1 || fail "the app image did not open its window"
ok "the app image opens the console's window"

if [ "$DEB" = 1 ]; then "$PKG_DIR/check-deb.sh"; fi
echo "check-linux: all checks passed"
