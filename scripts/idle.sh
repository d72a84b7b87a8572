#!/usr/bin/env bash
# Launch-to-green and idle cost of the real app, measured apart from the
# simulator: `auditlight simulate` runs as its own process, the app is
# configured against it (secret in a real gnome-keyring) and started hidden
# in the tray under Xvfb. After the 7-day backfill it is left alone for 60 s.
#
# The hello world alone varies by a point between runs (issue 12), so one
# pair proves nothing about a +0.2-point target:
#   REPEAT=N   N pairs (app + hello world, both started afresh on a fresh
#              profile), the start order alternating (odd pairs: hello world
#              first); after them, the mean and median of app - hello world.
#   BASE=BIN2  each pair also runs BIN2 (e.g. main's binary) beside its own
#              hello world, BIN and BIN2 alternating which goes first, so both
#              are read in the same minutes.
#   WINDOW=S   the idle window in seconds (default 60).
#   PERF=1     also `perf stat -e task-clock,context-switches` on both over
#              the window (printed after the pair's lines).
# Each line gives the CPU of both processes over the same window from
# /proc/PID/stat (utime+stime: their task-clock in seconds) and as a
# percentage. An app that does not exit within 10 s of SIGTERM gets SIGQUIT
# (its goroutine dump is saved and printed) and the run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/trayhost.sh # BIN, WATCHER (the tray host), the app's environment
# The baseline measured beside the app in the same run (issue 12): a Fyne
# hello world with a tray menu and a hidden window (benchmarks/helloworld).
HELLO=${HELLO:-build/helloworld}
[ -x "$HELLO" ] || go build -tags migrated_fynedo -o "$HELLO" ./benchmarks/helloworld
REPEAT=${REPEAT:-1} WINDOW=${WINDOW:-60} BASE=${BASE:-}
export BIN HELLO WATCHER BASE REPEAT WINDOW LANG=en_US.UTF-8
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export work HOME="$work/home"
mkdir -p -m 700 "$HOME/.cache" "$HOME/.local/share/keyrings"
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
  set -euo pipefail
  echo -n idle-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  : >"$work/watcher.log"
  "$WATCHER" >"$work/watcher.log" 2>&1 & watcher=$!
  until grep -q ready "$work/watcher.log"; do kill -0 $watcher || { cat "$work/watcher.log"; exit 1; }; sleep 0.05; done
  "$BIN" simulate --listen 127.0.0.1:0 --requests-per-minute 1000000 --json --ca-file "$work/ca.pem" >"$work/sim.json" 2>/dev/null & sim=$!
  for _ in $(seq 1 100); do [ -s "$work/sim.json" ] && break; sleep 0.05; done
  f() { python3 -c "import json; print(json.load(open(\"$work/sim.json\"))[\"$1\"])"; }
  hz=$(getconf CLK_TCK)
  cpu() { awk "{print \$14+\$15}" /proc/$1/stat; }
  rss() { awk "/VmRSS/ {print \$2/1024}" /proc/$1/status; }
  : >"$work/diffs"
  # one BIN N ORDER: one run of BIN beside a fresh hello world; ORDER is
  # "hello" (the hello world starts first) or "app". Appends "BIN points
  # seconds" to $work/diffs.
  one() {
    local bin=$1 n=$2 order=$3 p="$work/p$2-$(basename "$1")" hello pid start
    f clientSecret | "$bin" --profile "$p" configure --cloud custom --tenant "$(f tenantDomain)" --client-id "$(f clientId)" \
      --login-url "$(f loginUrl)" --api-url "$(f apiUrl)" --graph-url "$(f graphUrl)" --ca-file "$work/ca.pem" \
      --requests-per-minute 60000 --secret-stdin >/dev/null
    : >"$work/app.log"
    if [ "$order" = hello ]; then "$HELLO" >/dev/null 2>&1 & hello=$!; fi
    start=$(date +%s%N)
    "$bin" --profile "$p" ${MODE:---hidden} >"$work/app.log" 2>&1 & pid=$!
    if [ "$order" = app ]; then "$HELLO" >/dev/null 2>&1 & hello=$!; fi
    until grep -q "state=healthy" "$work/app.log"; do kill -0 $pid || { cat "$work/app.log"; exit 1; }; sleep 0.05; done
    echo "launch to green: $(( ($(date +%s%N) - start) / 1000000 )) ms"
    if grep -q "no system tray" "$work/app.log"; then echo "idle: the app found no tray host and showed its window"; exit 1; fi
    until "$bin" --profile "$p" status --json | grep -q "\"backfillPercent\": 100"; do sleep 1; done
    echo "7-day backfill complete after $(( ($(date +%s%N) - start) / 1000000 )) ms"
    sleep 5
    local t0 h0 t1 h1
    t0=$(cpu $pid); h0=$(cpu $hello)
    if [ -n "${PERF:-}" ]; then
      perf stat -e task-clock,context-switches -p $pid -o "$work/perf-app" -- sleep "$WINDOW" & ps=$!
      perf stat -e task-clock,context-switches -p $hello -o "$work/perf-hello" -- sleep "$WINDOW"
      wait $ps
    else
      sleep "$WINDOW"
    fi
    t1=$(cpu $pid); h1=$(cpu $hello)
    awk -v a=$t0 -v b=$t1 -v c=$h0 -v d=$h1 -v hz=$hz -v w=$WINDOW -v r=$(rss $pid) -v hr=$(rss $hello) -v mode="${MODE:---hidden}" \
      -v bin="$bin" -v n=$n -v order=$order -v out="$work/diffs" "BEGIN {
      app = (b-a)/hz/w*100; hw = (d-c)/hz/w*100
      printf \"idle over the same %d s: %s %.2f %% CPU, %.0f MB RSS | hello world with tray, window hidden: %.2f %% CPU, %.0f MB RSS\\n\", w, mode, app, r, hw, hr
      if (mode == \"collect\") printf \"  headless collect RSS %.0f MB (target <= 60 MB)\\n\", r
      else printf \"  app - hello world: %+.2f CPU points (target <= +0.2), %+.0f MB RSS (target <= +40 MB)\\n\", app-hw, r-hr
      printf \"  pair %d (%s first) %s: task-clock app %.2f s, hello %.2f s, app - hello %+.2f s over %d s\\n\", n, order, bin, (b-a)/hz, (d-c)/hz, (b-a-d+c)/hz, w
      printf \"%s %.4f %.4f\\n\", bin, app-hw, (b-a-d+c)/hz >> out
    }"
    echo "peak RSS: $(awk "/VmHWM/ {printf \"%.0f MB\", \$2/1024}" /proc/$pid/status)"
    if [ -n "${PERF:-}" ]; then
      for w in app hello; do echo "  perf stat $w: $(awk "/task-clock|context-switches/ {printf \"%s %s  \", \$1, \$2}" "$work/perf-$w")"; done
    fi
    # The hello world itself sometimes sits out SIGTERM with its window
    # hidden (the Fyne quit waits for an event that never comes); it is only
    # the baseline, so it gets SIGKILL after 10 s (said, not hidden).
    kill $hello 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 $hello 2>/dev/null || break; sleep 0.1; done
    if kill -0 $hello 2>/dev/null; then echo "  (the hello world ignored SIGTERM for 10 s: killed)"; kill -KILL $hello; fi
    kill -TERM $pid
    for _ in $(seq 1 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
    if kill -0 $pid 2>/dev/null; then
      echo "idle: the app ignored SIGTERM for 10 s; goroutine dump (SIGQUIT) in $work/app.log:"
      kill -QUIT $pid; sleep 2
      cp "$work/app.log" "/tmp/idle-sigterm-$(date +%s).log"; tail -c 20000 "$work/app.log"
      exit 1
    fi
    wait $pid || true
    wait $hello 2>/dev/null || true
  }
  for n in $(seq 1 "$REPEAT"); do
    order=app; [ $((n % 2)) = 1 ] && order=hello
    if [ -z "$BASE" ]; then one "$BIN" $n $order
    elif [ $((n % 2)) = 1 ]; then one "$BIN" $n $order; one "$BASE" $n $order
    else one "$BASE" $n $order; one "$BIN" $n $order
    fi
  done
  if [ "$REPEAT" -gt 1 ] || [ -n "$BASE" ]; then
    for b in "$BIN" $BASE; do
      awk -v b="$b" "\$1 == b {p[++n] = \$2; s[n] = \$3; sp += \$2; ss += \$3}
        function med(a, n,  i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
          return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }
        END { printf \"%s, %d pairs: app - hello world mean %+.2f / median %+.2f CPU points; task-clock mean %+.3f / median %+.3f s per %d s\\n\",
          b, n, sp/n, med(p, n), ss/n, med(s, n), $WINDOW }" "$work/diffs"
    done
  fi
  kill $sim; wait $sim 2>/dev/null || true
  kill $watcher; wait $watcher 2>/dev/null || true
' 2> >(grep -v "dbus-daemon" >&2)
