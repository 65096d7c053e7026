#!/usr/bin/env bash
# Installs the built .deb, opens the installed console under Xvfb, takes a screenshot,
# then removes the package and checks that nothing is left behind (about 30 s).
# Needs root (dpkg -i), Xvfb, xwininfo and ImageMagick's import; the package depends on
# xdg-utils (apt-get install -y xdg-utils) for its menu entry.
#
#   sudo packaging/check-deb.sh [DEB] [SCREENSHOT]
#     DEB         default: the newest packaging/target/taskdeck_*.deb
#     SCREENSHOT  where to keep the screenshot (default: packaging/target/installed-deb.png)
#
# Refuses to run when a taskdeck package is already installed, so that it never removes
# one it did not install.
set -euo pipefail
PKG_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="${TASKDECK_PKG_OUT:-$PKG_DIR/target}"
DEB="${1:-$(ls -t "$OUT_DIR"/taskdeck_*.deb 2>/dev/null | head -1)}"
SHOT="${2:-$OUT_DIR/installed-deb.png}"
WINDOW_CLASS="io.taskdeck.app.TaskdeckApplication"

fail() { echo "check-deb: FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

[ -n "$DEB" ] && [ -f "$DEB" ] || fail "no .deb (run packaging/build-linux.sh first)"
[ "$(id -u)" = 0 ] || fail "installing a package needs root"
for tool in dpkg Xvfb xwininfo import; do command -v "$tool" >/dev/null || fail "$tool not found"; done
if dpkg-query -W -f='${Status}' taskdeck 2>/dev/null | grep -q '^install ok'; then
  fail "a taskdeck package is already installed; remove it first (dpkg -r taskdeck)"
fi

WORK="$(mktemp -d)"
XVFB_PID=""; APP_PID=""; INSTALLED=0
cleanup() {
  [ -n "$APP_PID" ] && kill -KILL "$APP_PID" 2>/dev/null || true
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
  [ "$INSTALLED" = 1 ] && dpkg -r taskdeck >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

before_apps="$(ls /usr/share/applications 2>/dev/null | sort)"
dpkg -i "$DEB" >"$WORK/dpkg-i.log" 2>&1 || { cat "$WORK/dpkg-i.log" >&2; fail "dpkg -i failed"; }
INSTALLED=1
ok "installed $(basename "$DEB") ($(dpkg-query -W -f='${Installed-Size}' taskdeck) KiB)"

LAUNCHER=/opt/taskdeck/bin/Taskdeck
[ -x "$LAUNCHER" ] || fail "no launcher at $LAUNCHER"
DESKTOP=/usr/share/applications/taskdeck-Taskdeck.desktop
[ -f "$DESKTOP" ] || fail "no desktop entry $DESKTOP"
grep -q "^Exec=$LAUNCHER" "$DESKTOP" || fail "the desktop entry does not start $LAUNCHER"
grep -q "^StartupWMClass=$WINDOW_CLASS$" "$DESKTOP" || fail "the desktop entry's StartupWMClass is not $WINDOW_CLASS"
icon="$(sed -n 's/^Icon=//p' "$DESKTOP")"
[ -f "$icon" ] || fail "the desktop entry's icon $icon does not exist"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$DESKTOP" || fail "desktop-file-validate"; fi
ok "desktop entry $DESKTOP: Exec, Icon ($icon), StartupWMClass"

# Start the installed launcher with a fresh home, as a new user's first start.
DISPLAY_NUM=$(( 90 + RANDOM % 100 ))
Xvfb ":$DISPLAY_NUM" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
for _ in $(seq 1 50); do xwininfo -display ":$DISPLAY_NUM" -root >/dev/null 2>&1 && break; sleep 0.1; done
mkdir -p "$WORK/home"
# The console keeps its files under user.home, which Java takes from the password
# database, not from $HOME; a copy of the launcher's config points it at the fresh home.
cp /opt/taskdeck/lib/app/Taskdeck.cfg "$WORK/Taskdeck.cfg.orig"
printf 'java-options=-Duser.home=%s\n' "$WORK/home" >> /opt/taskdeck/lib/app/Taskdeck.cfg
HOME="$WORK/home" DISPLAY=":$DISPLAY_NUM" "$LAUNCHER" >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 600); do
  xwininfo -display ":$DISPLAY_NUM" -root -tree 2>/dev/null | grep -q "(\"$WINDOW_CLASS\"" && break
  kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log" >&2; fail "the installed console exited before showing its window"; }
  sleep 0.1
done
xwininfo -display ":$DISPLAY_NUM" -root -tree | grep -q "(\"$WINDOW_CLASS\"" || fail "no console window after 60 s"
# The window maps before its first frame is drawn: wait until the screen is no longer one
# colour, then give the content a moment to settle.
mkdir -p "$(dirname "$SHOT")"
for _ in $(seq 1 120); do
  import -display ":$DISPLAY_NUM" -window root "$SHOT"
  [ "$(convert "$SHOT" -format %k info:)" -gt 16 ] && break
  sleep 0.5
done
[ "$(convert "$SHOT" -format %k info:)" -gt 16 ] || fail "the console's window stayed blank for 60 s"
sleep 3
import -display ":$DISPLAY_NUM" -window root "$SHOT"
ok "the installed launcher opened the console; screenshot: $SHOT"
kill -TERM "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""
cp "$WORK/Taskdeck.cfg.orig" /opt/taskdeck/lib/app/Taskdeck.cfg
[ -d "$WORK/home/.taskdeck" ] && ok "the console wrote its files to the fresh home: $(cd "$WORK/home/.taskdeck" && ls | tr '\n' ' ')"

dpkg -r taskdeck >"$WORK/dpkg-r.log" 2>&1 || { cat "$WORK/dpkg-r.log" >&2; fail "dpkg -r failed"; }
INSTALLED=0
[ ! -e /opt/taskdeck ] || fail "/opt/taskdeck is left after dpkg -r: $(find /opt/taskdeck | head -5)"
after_apps="$(ls /usr/share/applications 2>/dev/null | sort)"
[ "$before_apps" = "$after_apps" ] || fail "/usr/share/applications changed: $(diff <(echo "$before_apps") <(echo "$after_apps") || true)"
! dpkg-query -W taskdeck >/dev/null 2>&1 || dpkg-query -W -f='${Status}' taskdeck | grep -q 'not-installed\|deinstall' \
  || fail "the package is still registered"
ok "dpkg -r: nothing left in /opt/taskdeck or /usr/share/applications"
dpkg --purge taskdeck >/dev/null 2>&1 || true   # forget the removed package's record too
echo "check-deb: all checks passed"
