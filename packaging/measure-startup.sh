#!/usr/bin/env bash
# Time from launch to the console's main window on screen, for a built app image.
#
#   packaging/measure-startup.sh [APP_IMAGE_DIR] [RUNS]
#       APP_IMAGE_DIR  default packaging/target/app-image/Taskdeck
#       RUNS           measured runs, default 5 (prints each and the median)
#
# Runs under its own Xvfb display (needs Xvfb and xwininfo: apt-get install -y xvfb
# x11-utils) with a fresh home directory, so the user's settings and CDS archive are
# neither used nor touched. One unmeasured run first lets the launcher write its CDS
# archive, as the first start after installing does. The clock starts just before the
# launcher is executed and stops when the main window (WM_CLASS of the JavaFX
# Application class, not GTK's 10x10 leader window) is mapped; it is polled every 10 ms.
set -euo pipefail
PKG_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IMAGE="${1:-$PKG_DIR/target/app-image/Taskdeck}"
RUNS="${2:-5}"
WINDOW_CLASS="io.taskdeck.app.TaskdeckApplication"

[ -x "$IMAGE/bin/Taskdeck" ] || { echo "measure-startup: no app image at $IMAGE (run packaging/build-linux.sh --image-only)" >&2; exit 1; }
for tool in Xvfb xwininfo; do
  command -v "$tool" >/dev/null || { echo "measure-startup: $tool not found (apt-get install -y xvfb x11-utils)" >&2; exit 1; }
done

WORK="$(mktemp -d)"
DISPLAY_NUM=$(( 90 + RANDOM % 100 ))
XVFB_PID=""
APP_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill -KILL "$APP_PID" 2>/dev/null || true
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

Xvfb ":$DISPLAY_NUM" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
for _ in $(seq 1 50); do xwininfo -display ":$DISPLAY_NUM" -root >/dev/null 2>&1 && break; sleep 0.1; done

# A copy of the image whose launcher sees the fresh home both as $HOME (where the CDS
# archive goes) and as user.home (where the console keeps its settings).
cp -a "$IMAGE" "$WORK/image"
HOME_DIR="$WORK/home"; mkdir -p "$HOME_DIR"
printf 'java-options=-Duser.home=%s\n' "$HOME_DIR" >> "$WORK/image/lib/app/Taskdeck.cfg"

now_ms() { date +%s%3N; }

# Starts the console, prints milliseconds until its main window is mapped, then stops it.
one_run() {
  local start end
  start=$(now_ms)
  HOME="$HOME_DIR" DISPLAY=":$DISPLAY_NUM" "$WORK/image/bin/Taskdeck" >>"$WORK/app.log" 2>&1 &
  APP_PID=$!
  while ! xwininfo -display ":$DISPLAY_NUM" -root -tree 2>/dev/null | grep -q "(\"$WINDOW_CLASS\""; do
    kill -0 "$APP_PID" 2>/dev/null || { echo "measure-startup: the console exited before showing its window; log:" >&2; tail -20 "$WORK/app.log" >&2; exit 1; }
    [ $(( $(now_ms) - start )) -lt 60000 ] || { echo "measure-startup: no window after 60 s" >&2; exit 1; }
    sleep 0.01
  done
  end=$(now_ms)
  # CPU time the console used until then (user + system, in clock ticks), which unlike
  # the wall time does not depend much on what else the machine is doing.
  local ticks
  ticks=$(awk '{print $14 + $15}' "/proc/$APP_PID/stat" 2>/dev/null || echo 0)
  CPU_MS=$(( ticks * 1000 / $(getconf CLK_TCK) ))
  # Let it finish starting before asking it to stop, as a user would.
  sleep 2
  kill -TERM "$APP_PID"
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
  echo "$(( end - start )) $CPU_MS"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
read -r first first_cpu <<<"$(one_run)"
echo "first start (no CDS archive of the app yet): ${first} ms (cpu ${first_cpu} ms)"
cds="$(find "$HOME_DIR" -name '*.jsa' 2>/dev/null | head -1)"
[ -n "$cds" ] && echo "CDS archive written: ${cds#"$HOME_DIR"/} ($(du -h "$cds" | cut -f1))" || echo "no CDS archive was written"

times=()
for i in $(seq 1 "$RUNS"); do
  read -r t cpu <<<"$(one_run)"
  echo "run $i: ${t} ms (cpu ${cpu} ms)"
  times+=("$t")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}')
echo "median of $RUNS: ${median} ms"
