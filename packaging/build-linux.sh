#!/usr/bin/env bash
# Builds the Linux packages of the Taskdeck console:
#   packaging/target/app-image/Taskdeck/         self-contained app image (bin/Taskdeck)
#   packaging/target/taskdeck_<version>_<arch>.deb
# Steps: find a JDK >= 21 (scripts/jdk.sh), ./mvnw install of the console without tests,
# jlink a trimmed runtime (JDK + JavaFX modules, CDS archive), jpackage the app image,
# then jpackage the .deb from that image.
#
#   packaging/build-linux.sh               app image and .deb
#   packaging/build-linux.sh --image-only  app image only (no fakeroot/dpkg-deb needed)
#
# The .deb needs dpkg-deb and fakeroot: apt-get install -y fakeroot dpkg-dev
# Environment: see packaging/common.sh (TASKDECK_SKIP_MAVEN, TASKDECK_MVN_ARGS, TASKDECK_PKG_OUT).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

IMAGE_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --image-only) IMAGE_ONLY=1 ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) td_die "unknown argument '$arg' (try --help)" ;;
  esac
done

[ "$(uname -s)" = Linux ] || td_die "build-linux.sh builds Linux packages on Linux; see packaging/README.md for macOS and Windows"
if [ "$IMAGE_ONLY" = 0 ]; then
  for tool in dpkg-deb fakeroot; do
    command -v "$tool" >/dev/null \
      || td_die "$tool not found; the .deb needs it: apt-get install -y fakeroot dpkg-dev (or run with --image-only)"
  done
fi

td_build_maven

WORK="$OUT_DIR/work"
INPUT="$WORK/input"
RUNTIME="$WORK/runtime"
IMAGE_DIR="$OUT_DIR/app-image"
mkdir -p "$OUT_DIR" "$WORK"

td_log "staging the console's class path"
td_stage_input "$INPUT"
td_jlink_runtime "$RUNTIME" lib

JAVA_OPT_ARGS=()
while IFS= read -r o; do JAVA_OPT_ARGS+=(--java-options "$o"); done < <(td_java_options)

td_log "jpackage: app image $APP_NAME $APP_VERSION"
rm -rf "$IMAGE_DIR"
"$JAVA_HOME/bin/jpackage" @"$PKG_DIR/jpackage-common.args" \
  --type app-image \
  --app-version "$APP_VERSION" \
  --input "$INPUT" \
  --main-jar taskdeck-app.jar \
  --main-class "$MAIN_CLASS" \
  --runtime-image "$RUNTIME" \
  --icon "$REPO_DIR/icons/png/taskdeck-256.png" \
  --resource-dir "$PKG_DIR/linux" \
  "${JAVA_OPT_ARGS[@]}" \
  --dest "$IMAGE_DIR"
# The window icon at every size, for desktop environments that look next to the launcher.
mkdir -p "$IMAGE_DIR/$APP_NAME/lib/icons"
cp "$REPO_DIR"/icons/png/taskdeck-*.png "$REPO_DIR/icons/taskdeck.svg" "$IMAGE_DIR/$APP_NAME/lib/icons/"
echo "app image: $IMAGE_DIR/$APP_NAME ($(du -sh "$IMAGE_DIR/$APP_NAME" | cut -f1))"

if [ "$IMAGE_ONLY" = 1 ]; then exit 0; fi

td_log "jpackage: .deb"
rm -f "$OUT_DIR"/taskdeck_*.deb
"$JAVA_HOME/bin/jpackage" @"$PKG_DIR/jpackage-common.args" @"$PKG_DIR/linux/jpackage-deb.args" \
  --type deb \
  --app-version "$APP_VERSION" \
  --app-image "$IMAGE_DIR/$APP_NAME" \
  --icon "$REPO_DIR/icons/png/taskdeck-256.png" \
  --resource-dir "$PKG_DIR/linux" \
  --dest "$OUT_DIR"
DEB="$(ls "$OUT_DIR"/taskdeck_*.deb)"
echo "deb: $DEB ($(du -h "$DEB" | cut -f1))"
