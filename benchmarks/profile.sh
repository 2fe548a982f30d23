#!/usr/bin/env bash
# Profiles jnet's echo server under one workload with JFR (1 ms sampling) and prints where the loop
# thread's time and allocation go. Build first: mvn -B -q package -DskipTests -pl benchmarks -am
#   benchmarks/profile.sh stream|pingpong|churn|fanin1000 [seconds]
# Server on CPU 1, load generator on CPU 0; kills only the server it started.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
W=${1:?workload}
SECS=${2:-6}
CP="$HERE/target/classes:$HERE/target/lib/*"
OUT="$HERE/target/profile"
mkdir -p "$OUT"
JAVA_HOME_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
# The JDK's 'profile' settings with Java and native method sampling every 1 ms.
python3 - "$JAVA_HOME_DIR/lib/jfr/profile.jfc" "$OUT/fast.jfc" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
for ev in ("jdk.ExecutionSample", "jdk.NativeMethodSample"):
    s = re.sub(r'(<event name="%s">.*?<setting name="period"[^>]*>)[^<]*(</setting>)' % re.escape(ev),
               r"\g<1>1 ms\g<2>", s, flags=re.S)
open(sys.argv[2], "w").write(s)
PY
taskset -c 1 java -Xms512m -Xmx512m -XX:+UseParallelGC \
  -XX:StartFlightRecording=filename="$OUT/jnet-$W.jfr",settings="$OUT/fast.jfc",dumponexit=true \
  -cp "$CP" io.jnet.bench.server.JnetEcho tcp:127.0.0.1:0 >"$OUT/server-$W.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT
ADDR=""
for _ in $(seq 1 100); do
  ADDR=$(sed -n 's/^LISTENING //p' "$OUT/server-$W.log" | head -1)
  [ -n "$ADDR" ] && break
  sleep 0.1
done
[ -n "$ADDR" ] || { echo "server did not start; see $OUT/server-$W.log" >&2; exit 1; }
timeout 120 taskset -c 0 java -Dseconds="$SECS" -Dstream.bytes=$((4 << 30)) -Dpp.count=300000 -Dchurn.max=100000 \
  -cp "$CP" io.jnet.bench.load.LoadGen "$ADDR" "$W"
kill $PID; wait $PID 2>/dev/null
trap - EXIT
jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample,jdk.ObjectAllocationSample \
  --stack-depth 40 "$OUT/jnet-$W.jfr" >"$OUT/jnet-$W.json"
for kind in jdk.ExecutionSample jdk.NativeMethodSample jdk.ObjectAllocationSample; do
  echo "######## $kind"
  python3 "$HERE/jfr-top.py" "$OUT/jnet-$W.json" "$kind" 15
done
echo "######## allocated by the loop thread"
jfr print --events jdk.ThreadAllocationStatistics "$OUT/jnet-$W.jfr" | grep -A3 'jnet-tcp-0' | grep allocated | tail -1
echo "recording: $OUT/jnet-$W.jfr"
