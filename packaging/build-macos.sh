#!/usr/bin/env bash
# Builds the macOS packages of the Taskdeck console (run on a Mac, Intel or Apple silicon;
# the runtime is for the machine's own architecture):
#   packaging/target/app-image/Taskdeck.app
#   packaging/target/Taskdeck-<version>.dmg
# Same steps as build-linux.sh: JDK >= 21 (scripts/jdk.sh), ./mvnw, jlink, jpackage.
# Needs Xcode command line tools (jpackage uses hdiutil and codesign).
# Signing: set TASKDECK_MAC_SIGN="Developer ID Application: ..." to sign with that identity.
# Not run in this repository's CI (there is no macOS runner); see packaging/README.md.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[ "$(uname -s)" = Darwin ] || td_die "build-macos.sh runs on macOS; on Linux use build-linux.sh"

td_build_maven
WORK="$OUT_DIR/work"; INPUT="$WORK/input"; RUNTIME="$WORK/runtime"; IMAGE_DIR="$OUT_DIR/app-image"
mkdir -p "$WORK"
td_stage_input "$INPUT"
td_jlink_runtime "$RUNTIME" lib

JAVA_OPT_ARGS=()
while IFS= read -r o; do JAVA_OPT_ARGS+=(--java-options "$o"); done < <(td_java_options)
SIGN_ARGS=()
[ -n "${TASKDECK_MAC_SIGN:-}" ] && SIGN_ARGS=(--mac-sign --mac-signing-key-user-name "$TASKDECK_MAC_SIGN")

td_log "jpackage: Taskdeck.app $APP_VERSION"
rm -rf "$IMAGE_DIR"
"$JAVA_HOME/bin/jpackage" @"$PKG_DIR/jpackage-common.args" @"$PKG_DIR/macos/jpackage-mac.args" \
  --type app-image --app-version "$APP_VERSION" \
  --input "$INPUT" --main-jar taskdeck-app.jar --main-class "$MAIN_CLASS" \
  --runtime-image "$RUNTIME" --icon "$REPO_DIR/icons/taskdeck.icns" \
  --resource-dir "$PKG_DIR/macos" "${JAVA_OPT_ARGS[@]}" ${SIGN_ARGS[@]+"${SIGN_ARGS[@]}"} \
  --dest "$IMAGE_DIR"

td_log "jpackage: .dmg"
"$JAVA_HOME/bin/jpackage" @"$PKG_DIR/jpackage-common.args" @"$PKG_DIR/macos/jpackage-mac.args" \
  --type dmg --app-version "$APP_VERSION" --app-image "$IMAGE_DIR/$APP_NAME.app" \
  --icon "$REPO_DIR/icons/taskdeck.icns" --resource-dir "$PKG_DIR/macos" \
  ${SIGN_ARGS[@]+"${SIGN_ARGS[@]}"} --dest "$OUT_DIR"
ls -1 "$OUT_DIR"/*.dmg
