#!/usr/bin/env bash
# Builds the server distribution packaging/target/taskdeck-server-<version>.tar.gz:
#   taskdeck-server-<version>/
#     bin/taskdeck-server                 start script (finds Java 21+, TASKDECK_SERVER_JAVA_OPTS)
#     lib/taskdeck-server.jar             the server, one runnable jar
#     conf/server.json                    API keys and roles (sample: replace the secrets)
#     conf/server.env                     settings of the systemd unit
#     systemd/taskdeck-server.service     systemd unit
#     OPERATIONS.md                       ports, data directory, PostgreSQL, backups, upgrades
#
#   packaging/build-server-dist.sh        ./mvnw install of the server (no tests), then the tar.gz
# Environment: TASKDECK_SKIP_MAVEN=1 reuses server/target/taskdeck-server.jar as it is;
# TASKDECK_MVN_ARGS adds ./mvnw arguments; TASKDECK_PKG_OUT changes the output directory.
set -euo pipefail
PKG_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$PKG_DIR/.." && pwd)"
OUT_DIR="${TASKDECK_PKG_OUT:-$PKG_DIR/target}"
JAR="$REPO_DIR/server/target/taskdeck-server.jar"

VERSION="$(sed -n '/<parent>/,/<\/parent>/d; s:.*<version>\([^<]*\)</version>.*:\1:p' "$REPO_DIR/pom.xml" | head -1)"
VERSION="${VERSION%-SNAPSHOT}"
[ -n "$VERSION" ] || { echo "build-server-dist: could not read <version> from pom.xml" >&2; exit 1; }

if [ "${TASKDECK_SKIP_MAVEN:-0}" != 1 ]; then
  . "$REPO_DIR/scripts/jdk.sh"
  echo "== maven: building the server (JDK: $JAVA_HOME)" >&2
  (cd "$REPO_DIR" && ./mvnw -B -q -DskipTests ${TASKDECK_MVN_ARGS:-} install -pl server -am)
fi
[ -f "$JAR" ] || { echo "build-server-dist: $JAR is missing (build the server: ./mvnw -DskipTests install -pl server -am)" >&2; exit 1; }
unzip -p "$JAR" META-INF/MANIFEST.MF | grep -q '^Main-Class:' \
  || { echo "build-server-dist: $JAR is not a runnable jar (no Main-Class)" >&2; exit 1; }

NAME="taskdeck-server-$VERSION"
STAGE="$OUT_DIR/work/server-dist/$NAME"
rm -rf "$OUT_DIR/work/server-dist"; mkdir -p "$STAGE"/{bin,lib,conf,systemd}
install -m 0755 "$PKG_DIR/server/bin/taskdeck-server" "$STAGE/bin/"
install -m 0644 "$JAR" "$STAGE/lib/taskdeck-server.jar"
install -m 0644 "$PKG_DIR/server/conf/server.json" "$PKG_DIR/server/conf/server.env" "$STAGE/conf/"
install -m 0644 "$PKG_DIR/server/systemd/taskdeck-server.service" "$STAGE/systemd/"
install -m 0644 "$PKG_DIR/server/OPERATIONS.md" "$STAGE/"

TARBALL="$OUT_DIR/$NAME.tar.gz"
# Owner and order fixed, so the archive does not depend on who built it.
tar --owner=0 --group=0 --numeric-owner --sort=name -C "$(dirname "$STAGE")" -czf "$TARBALL" "$NAME"
echo "server distribution: $TARBALL ($(du -h "$TARBALL" | cut -f1))"
