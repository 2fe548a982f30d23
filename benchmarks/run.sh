#!/usr/bin/env bash
# jnet against its peers, same run, pinned (targets and peers: README.md here).
#
# Build once first (this script builds nothing):
#   mvn -B -q package -DskipTests -pl benchmarks -am
# Then:
#   benchmarks/run.sh socket|client|idle|reference|http|rpc|cores|all   # all: about 11 minutes; http about 3
#   QUICK=1 benchmarks/run.sh socket                  # about 1 minute
# Knobs: IMPLS="jnet bare-nio ..." TRANSPORTS="tcp ipc" PLACEMENTS="split same" JAVA=/path/to/java
#
# Every server runs on CPU 1 (split) or CPU 0 (same); the load generator always on CPU 0. The script
# kills only the processes it started (by their pid). Results: a TSV (impl side transport workload
# metric value pinning) in benchmarks/target/results/, then a table with jnet's ratio to each peer.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SUITE=${1:-socket}
JAVA=${JAVA:-java}
CP="$HERE/target/classes:$HERE/target/lib/*"
[ -d "$HERE/target/classes/io/jnet/bench" ] || { echo "build first: mvn -B -q package -DskipTests -pl benchmarks -am" >&2; exit 2; }
JNET_OLD=${JNET_OLD:-/tmp/jnet-old}
OLD_CP="$JNET_OLD/benchmarks/target/classes:$JNET_OLD/benchmarks/target/lib/*"
RESULTS="$HERE/target/results"
mkdir -p "$RESULTS"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
TSV=${TSV:-$RESULTS/$STAMP.tsv}
LOGS="$RESULTS/$STAMP-logs"
mkdir -p "$LOGS"
TMP=$(mktemp -d)
JOPTS=(-Xms512m -Xmx512m -XX:MaxDirectMemorySize=2g -XX:+UseParallelGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dbench.maxSeconds=900)

if [ "${QUICK:-0}" = 1 ]; then
  IMPLS=${IMPLS:-"jnet bare-nio bare-junix jdk-blocking netty-nio netty-epoll node"}
  PLACEMENTS=${PLACEMENTS:-"split"}
  WORKLOADS=${WORKLOADS:-"pingpong,stream,fanin100,fanin1000,churn"}
  SIZES=(-Dseconds=2 -Dpp.warmup=10000 -Dpp.count=20000 -Dstream.bytes=$((512 << 20)) -Dchurn.max=10000)
  NODE_SIZES=(SECONDS_LIMIT=2 PP_WARMUP=10000 PP_COUNT=20000 STREAM_BYTES=$((512 << 20)))
else
  IMPLS=${IMPLS:-"jnet bare-nio bare-junix jdk-blocking netty-nio netty-epoll node"}
  PLACEMENTS=${PLACEMENTS:-"split same"}
  WORKLOADS=${WORKLOADS:-"pingpong,stream,fanin100,fanin1000,fanin5000,churn"}
  SIZES=(-Dseconds=4 -Dpp.warmup=20000 -Dpp.count=100000 -Dstream.bytes=$((1 << 30)) -Dchurn.max=20000)
  NODE_SIZES=(SECONDS_LIMIT=4 PP_WARMUP=20000 PP_COUNT=100000 STREAM_BYTES=$((1 << 30)))
fi
TRANSPORTS=${TRANSPORTS:-"tcp"}
if [ "${QUICK:-0}" = 1 ]; then RPC_SIZES=(-Dwarmup=2 -Dseconds=1); else RPC_SIZES=(-Dwarmup=6 -Dseconds=4); fi

SERVER_PID=""
LOADGEN_PID=""
LOADGEN_PIDS=()
cleanup() {
  local pid
  for pid in ${LOADGEN_PIDS[@]+"${LOADGEN_PIDS[@]}"} $LOADGEN_PID; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

server_cmd() { # impl
  case $1 in
    jnet)         echo "$JAVA ${JOPTS[*]} -cp $CP io.jnet.bench.server.JnetEcho" ;;
    jnet-borrowed) echo "$JAVA ${JOPTS[*]} -Djnet.read=borrowed -cp $CP io.jnet.bench.server.JnetEcho" ;;
    # jnet as built elsewhere (JNET_OLD: a built checkout, e.g. a worktree of a0235c4, the commit
    # before the socket-core rebuild): its own JnetEcho and jars; for before/after in the same run
    jnet-old)     echo "$JAVA ${JOPTS[*]} -cp $OLD_CP io.jnet.bench.server.JnetEcho" ;;
    jnet-old-borrowed) echo "$JAVA ${JOPTS[*]} -Djnet.read=borrowed -cp $OLD_CP io.jnet.bench.server.JnetEcho" ;;
    bare-nio)     echo "$JAVA ${JOPTS[*]} -cp $CP io.jnet.bench.server.BareNioEcho" ;;
    bare-junix)   echo "$JAVA ${JOPTS[*]} -Dbare.provider=junixsocket -cp $CP io.jnet.bench.server.BareNioEcho" ;;
    # diagnostic, not a peer: bare NIO plus a heap copy per read (what jnet's owned DATA chunk costs)
    bare-nio-heapcopy) echo "$JAVA ${JOPTS[*]} -Dbare.heapCopy=true -cp $CP io.jnet.bench.server.BareNioEcho" ;;
    jdk-blocking) echo "$JAVA ${JOPTS[*]} -cp $CP io.jnet.bench.server.BlockingEcho" ;;
    netty-nio)    echo "$JAVA ${JOPTS[*]} -cp $CP io.jnet.bench.server.NettyEcho nio" ;;
    netty-epoll)  echo "$JAVA ${JOPTS[*]} -cp $CP io.jnet.bench.server.NettyEcho epoll" ;;
    node)         echo "env BENCH_MAX_SECONDS=900 node $HERE/node/echo.js" ;;
    *) echo "unknown impl $1" >&2; return 1 ;;
  esac
}

# await_ready PID SECONDS CHECK...: runs CHECK every 0.1 s until it succeeds (0), PID exits or SECONDS pass (1)
await_ready() {
  local pid=$1 tries=$(( $2 * 10 )); shift 2
  for _ in $(seq 1 "$tries"); do
    "$@" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

listening_line() { SERVER_ADDR=$(sed -n 's/^LISTENING //p' "$1" | head -1); [ -n "$SERVER_ADDR" ]; }

# start_server IMPL TRANSPORT CPU LOG -> sets SERVER_PID, SERVER_ADDR
start_server() {
  local addr=tcp:127.0.0.1:0
  # A killed server leaves its socket file behind; the next placement's server binds the same path.
  [ "$2" = ipc ] && addr="unix:$TMP/$1.sock" && rm -f "$TMP/$1.sock"
  # TCP-only or IPC-only servers: skip quietly where they do not apply.
  if [ "$1" = bare-junix ] && [ "$2" != ipc ]; then return 1; fi
  if [ "$1" = netty-nio ] && [ "$2" = ipc ]; then return 1; fi
  local cmd; cmd=$(server_cmd "$1") || return 1
  # shellcheck disable=SC2086
  taskset -c "$3" $cmd "$addr" >"$4" 2>&1 &
  SERVER_PID=$!
  SERVER_ADDR=""
  await_ready "$SERVER_PID" 20 listening_line "$4" && return 0
  echo "server $1 did not start; see $4" >&2
  stop_server
  return 1
}

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}

# medians ROWS SIDE PINNING: rows "impl transport workload metric value", one per round -> TSV rows of the medians
medians() {
  python3 - "$@" <<'PY' | tee -a "$TSV"
import collections, statistics, sys
rows, side, pinning = sys.argv[1:4]
runs = collections.OrderedDict()
for line in open(rows):
    impl, transport, workload, metric, value = line.rstrip("\n").split("\t")
    runs.setdefault((impl, transport, workload, metric), []).append(float(value))
for (impl, transport, workload, metric), values in runs.items():
    print("%s\t%s\t%s\t%s\t%s\t%.1f\t%s" % (impl, side, transport, workload, metric, statistics.median(values),
                                            pinning.replace("N", str(len(values)))))
PY
}

# emit IMPL SIDE TRANSPORT PINNING < rows(workload metric value)
emit() { while IFS=$'\t' read -r w m v; do printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$w" "$m" "$v" "$4" | tee -a "$TSV"; done; }

printf 'impl\tside\ttransport\tworkload\tmetric\tvalue\tpinning\n' >"$TSV"

run_socket() {
  for placement in $PLACEMENTS; do
    local scpu=1; [ "$placement" = same ] && scpu=0
    for transport in $TRANSPORTS; do
      for impl in $IMPLS; do
        log="$LOGS/$impl-$transport-$placement.log"
        start_server "$impl" "$transport" "$scpu" "$log" || continue
        echo "== server $impl $transport $placement at $SERVER_ADDR" >&2
        timeout 300 taskset -c 0 "$JAVA" "${JOPTS[@]}" "${SIZES[@]}" -cp "$CP" io.jnet.bench.load.LoadGen \
          "$SERVER_ADDR" "$WORKLOADS" 2>>"$log" | emit "$impl" server "$transport" "$placement"
        # The server's CPU time (user + system, JIT and start-up included) over every workload of the
        # round: what the software costs, which the machine's load moves far less than throughput.
        server_cpu_seconds "$SERVER_PID" | sed "s/^/${WORKLOADS//,/+}\t/" | emit "$impl" server "$transport" "$placement"
        stop_server
      done
    done
  done
}

# server_cpu_seconds PID -> "server_cpu_s<TAB>seconds" from /proc/PID/stat (utime + stime)
server_cpu_seconds() {
  [ -r "/proc/$1/stat" ] || return 0
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "server_cpu_s\t%.2f\n", ($12 + $13) / hz }' "/proc/$1/stat"
}

# jnet as the client against the fixed fast echo server (bare NIO); the peers against the same server
# in the same run: the JDK blocking load generator itself, Node's net (node/client.js) and Netty 4.1
# NIO and epoll (TCP).
run_client() {
  for placement in $PLACEMENTS; do
    local scpu=1; [ "$placement" = same ] && scpu=0
    for transport in $TRANSPORTS; do
      log="$LOGS/client-$transport-$placement.log"
      start_server bare-nio "$transport" "$scpu" "$log" || continue
      echo "== clients against bare-nio $transport $placement at $SERVER_ADDR" >&2
      timeout 300 taskset -c 0 "$JAVA" "${JOPTS[@]}" "${SIZES[@]}" -cp "$CP" io.jnet.bench.client.JnetClient \
        "$SERVER_ADDR" pingpong,stream 2>>"$log" | emit jnet client "$transport" "$placement"
      timeout 300 taskset -c 0 "$JAVA" "${JOPTS[@]}" "${SIZES[@]}" -cp "$CP" io.jnet.bench.load.LoadGen \
        "$SERVER_ADDR" pingpong,stream 2>>"$log" | emit jdk-blocking client "$transport" "$placement"
      timeout 300 taskset -c 0 env "${NODE_SIZES[@]}" node "$HERE/node/client.js" \
        "$SERVER_ADDR" pingpong,stream 2>>"$log" | emit node client "$transport" "$placement"
      if [ "$transport" = tcp ]; then
        for kind in nio epoll; do
          timeout 300 taskset -c 0 "$JAVA" "${JOPTS[@]}" "${SIZES[@]}" -cp "$CP" io.jnet.bench.client.NettyClient \
            "$kind" "$SERVER_ADDR" pingpong,stream 2>>"$log" | emit "netty-$kind" client "$transport" "$placement"
        done
      fi
      stop_server
    done
  done
}

# measure PID IMPL [NAME] -> "HEAP_BYTES RSS_BYTES" (live heap after a full GC, JVMs only; -1 otherwise);
# with NAME, the class histogram is kept as $LOGS/NAME.histo (diff two with histo-diff.py)
measure() {
  local heap=-1 rss
  if [ "$2" != node ]; then
    jcmd "$1" GC.run >/dev/null 2>&1
    # Memory malloc has freed but kept (the C2 compiler's arenas after a compilation burst) goes back
    # to the system before every measurement, so a slope does not depend on when glibc trimmed.
    jcmd "$1" System.trim_native_heap >/dev/null 2>&1
    # The live objects' total from the class histogram (its own full GC), not GC.heap_info's "used":
    # a thread that allocates anything after the GC takes a new TLAB, and eden's "used" then counts
    # the whole TLAB (2.6-2.9 MB at random on jnet's IPC server), which made IPC heap slopes differ
    # from run to run by hundreds of bytes per connection.
    local histo="$TMP/last.histo"
    jcmd "$1" GC.class_histogram >"$histo" 2>/dev/null
    heap=$(awk '$1 == "Total" { print $3 }' "$histo")
    [ -n "${3:-}" ] && cp "$histo" "$LOGS/$3.histo"
    [ -n "$heap" ] || heap=-1
  fi
  rss=$(awk '/^VmRSS/ { print $2 * 1024 }' "/proc/$1/status")
  echo "$heap $rss"
}

# hold_idle N LOG -> starts a load generator holding N idle connections to SERVER_ADDR; appends its pid
# to LOADGEN_PIDS and sets HELD (how many it holds, empty if it failed). Called twice, the second
# generator's connections come on top of the first's.
hold_idle() {
  local err="$TMP/idle-${#LOADGEN_PIDS[@]}.err"
  # Held long enough for both bursts and their measurements (each burst stops itself after 60 s);
  # release_idle ends them sooner.
  taskset -c 0 "$JAVA" "${JOPTS[@]}" -Didle.hold=180 -cp "$CP" io.jnet.bench.load.LoadGen "$SERVER_ADDR" "idle$1" \
    >/dev/null 2>"$err" &
  LOADGEN_PIDS+=($!)
  LOADGEN_PID=$!
  await_ready "$LOADGEN_PID" 75 grep -q '^HOLDING' "$err"
  HELD=$(sed -n 's/^HOLDING //p' "$err")
  if [ -z "$HELD" ] || [ "$HELD" -le 0 ]; then
    HELD=""
    echo "idle: load generator did not hold its connections; see $2" >&2
    cat "$err" >>"$2"
  fi
}

release_idle() {
  local pid
  for pid in "${LOADGEN_PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  LOADGEN_PIDS=()
  LOADGEN_PID=""
}

# per_conn HEAP0 RSS0 HEAP1 RSS1 N WORKLOAD: rows of bytes per connection between two measurements
per_conn() {
  if [ "$1" -ge 0 ]; then
    local heap_per=$(( ($3 - $1) / $5 )) native_per=$(( ($4 - $2) / $5 ))
    printf '%s\theap_bytes_per_conn\t%s\n' "$6" "$heap_per"
    printf '%s\toffheap_rss_bytes_per_conn\t%s\n' "$6" "$native_per"
    printf '%s\trss_bytes_per_conn\t%s\n' "$6" $(( heap_per + native_per ))
  else
    printf '%s\trss_bytes_per_conn\t%s\n' "$6" $(( ($4 - $2) / $5 ))
  fi
}

# idle: IDLE_N1 connections held open by one load generator, then IDLE_N2 - IDLE_N1 more by a second
# (5 000 and 10 000 by default). Rows per server: idleN1, from none to N1 (everything the first N1
# connections cost, one-time costs included: JIT-compiled code and the C2 compiler's malloc'd memory,
# malloc arenas, tables sized to the peak), and idleN1-N2, the slope (M2 - M1) / (N2 - N1) between the
# two counts in the same process, where those one-time costs cancel out: what one more idle connection
# holds. Split placement only; about 10-20 s per server.
run_idle() {
  local n1=${IDLE_N1:-5000} n2=${IDLE_N2:-10000}
  # Seconds between a burst and its measurement: HotSpot frees the compiler's pooled arena chunks
  # every 5 s, so both measurements come after the burst's compilations have given theirs back.
  local settle=${IDLE_SETTLE:-6}
  # The JVM servers' heaps are touched in full at start: otherwise RSS growth counts young-generation
  # pages dirtied by garbage while the connections were accepted, not memory the connections hold. A
  # JVM's RSS figure is then its live heap per connection (after a full GC) plus its RSS growth outside
  # the heap (descriptors, native and direct memory).
  local saved_jopts=("${JOPTS[@]}")
  JOPTS+=(-XX:+AlwaysPreTouch)
  for transport in $TRANSPORTS; do
    for impl in $IMPLS; do
      log="$LOGS/$impl-$transport-idle.log"
      start_server "$impl" "$transport" 1 "$log" || continue
      echo "== idle $n1 then $n2: server $impl $transport at $SERVER_ADDR" >&2
      sleep 1
      read -r heap0 rss0 <<<"$(measure "$SERVER_PID" "$impl" "$impl-$transport-0")"
      hold_idle "$n1" "$log"
      if [ -n "$HELD" ]; then
        local held1=$HELD
        sleep "$settle"
        read -r heap1 rss1 <<<"$(measure "$SERVER_PID" "$impl" "$impl-$transport-$held1")"
        per_conn "$heap0" "$rss0" "$heap1" "$rss1" "$held1" "idle$n1" | emit "$impl" server "$transport" split
        hold_idle $(( n2 - n1 )) "$log"
        # Under load a burst can stop short at its 60 s limit: the row names the count really held.
        [ -n "$HELD" ] && [ "$HELD" -lt $(( n2 - n1 )) ] && echo "idle: second burst held $HELD of $(( n2 - n1 ))" >&2
        if [ -n "$HELD" ]; then
          sleep "$settle"
          read -r heap2 rss2 <<<"$(measure "$SERVER_PID" "$impl" "$impl-$transport-$(( held1 + HELD ))")"
          per_conn "$heap1" "$rss1" "$heap2" "$rss2" "$HELD" "idle$n1-$(( held1 + HELD ))" \
            | emit "$impl" server "$transport" split
        fi
      fi
      release_idle
      stop_server
    done
  done
  JOPTS=("${saved_jopts[@]}")
}

# Reference limits (Debian packages iperf3, sockperf; skipped when absent): what loopback itself gives,
# to show the load generator is not what limits the servers. sockperf reports half round trips;
# the rows here are full round trips (x2).
run_reference() {
  for placement in $PLACEMENTS; do
    local scpu=1; [ "$placement" = same ] && scpu=0
    local port=$((20000 + RANDOM % 20000)) s
    if command -v iperf3 >/dev/null; then
      echo "== iperf3 $placement" >&2
      for mode in oneway bidir; do
        local extra=""; [ $mode = bidir ] && extra=--bidir
        taskset -c "$scpu" timeout 30 iperf3 -s -1 -p "$port" >/dev/null 2>&1 & s=$!
        sleep 0.5
        # shellcheck disable=SC2086
        taskset -c 0 timeout 30 iperf3 -c 127.0.0.1 -p "$port" -t 3 $extra -J >"$TMP/iperf.json" 2>/dev/null
        wait "$s" 2>/dev/null
        python3 - "$TMP/iperf.json" "$mode" <<'PY' | emit iperf3 reference tcp "$placement"
import json, sys
e = json.load(open(sys.argv[1]))["end"]
if sys.argv[2] == "oneway":
    print("stream\tMB_per_s_oneway\t%.2f" % (e["sum_received"]["bits_per_second"] / 8e6))
else:
    print("stream\tMB_per_s_bidir_each\t%.2f" % (min(e["sum_received"]["bits_per_second"],
          e["sum_received_bidir_reverse"]["bits_per_second"]) / 8e6))
PY
      done
    fi
    if command -v sockperf >/dev/null; then
      echo "== sockperf $placement" >&2
      # Its own port: iperf3's may still be held in TIME_WAIT.
      taskset -c "$scpu" timeout 30 sockperf server -i 127.0.0.1 -p $((port + 1)) --tcp >/dev/null 2>&1 & s=$!
      sleep 1
      taskset -c 0 timeout 30 sockperf ping-pong -i 127.0.0.1 -p $((port + 1)) --tcp -m 64 -t 3 2>&1 \
        | awk '/percentile 50.000/ { printf "pingpong\tmedian_us\t%.2f\n", 2 * $NF } /percentile 99.000/ { printf "pingpong\tp99_us\t%.2f\n", 2 * $NF }' \
        | emit sockperf reference tcp "$placement"
      kill "$s" 2>/dev/null; wait "$s" 2>/dev/null
    fi
  done
}

# HTTP clients against nginx (CPU 1, one process: master_process off, so the pid started here is the
# one serving) on 127.0.0.1 and on a Unix socket, keep-alive, access_log off, /hello (13 B) and /64k.
# Clients on CPU 0, one process per workload and client, interleaved so that each workload's clients
# run close together: jnet HttpClient, the JDK HttpClient (HTTP/1.1), Node http + keep-alive Agent,
# Node fetch, and wrk (C; the server's ceiling). UDS: jnet and Node http only (the JDK client, fetch
# and wrk cannot). HTTP_WORKLOADS / HTTP_UDS_WORKLOADS / HTTP_CLIENTS choose a subset; HTTP_ROUNDS=3
# repeats everything three times, interleaved, and records the median (a loaded machine).
HTTP_WORKLOADS=${HTTP_WORKLOADS-"seq1_hello conc64_hello seq1_64k conc64_64k"}
HTTP_UDS_WORKLOADS=${HTTP_UDS_WORKLOADS-"seq1_hello conc64_hello"}
HTTP_CLIENTS=${HTTP_CLIENTS:-"jnet jdk-httpclient node-http node-fetch wrk"}
# Warm-up: a JVM client pinned to one core shares it with its JIT compiler threads and needs 6-10 s
# to reach its steady rate here (the per-second warm-up rates are in its log); Node and wrk get 1 s.
if [ "${QUICK:-0}" = 1 ]; then HTTP_WARMUP=${HTTP_WARMUP:-0.5}; HTTP_JVM_WARMUP=${HTTP_JVM_WARMUP:-4}; HTTP_SECONDS=${HTTP_SECONDS:-1.5}
else HTTP_WARMUP=${HTTP_WARMUP:-1}; HTTP_JVM_WARMUP=${HTTP_JVM_WARMUP:-8}; HTTP_SECONDS=${HTTP_SECONDS:-3}; fi

start_nginx() { # DIR -> SERVER_PID, NGINX_PORT, NGINX_SOCK
  local d=$1
  mkdir -p "$d/www" "$d/logs"
  printf 'Hello, World!' >"$d/www/hello"                           # 13 bytes
  head -c 65536 /dev/zero | tr '\0' 'x' >"$d/www/64k"
  NGINX_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  NGINX_SOCK="$d/nginx.sock"
  cat >"$d/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $d/body;
    proxy_temp_path $d/proxy;
    fastcgi_temp_path $d/fastcgi;
    uwsgi_temp_path $d/uwsgi;
    scgi_temp_path $d/scgi;
    default_type application/octet-stream;
    sendfile on;
    keepalive_timeout 60s;
    keepalive_requests 10000000;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        listen unix:$NGINX_SOCK;
        root $d/www;
    }
}
CONF
  taskset -c 1 nginx -p "$d" -c "$d/nginx.conf" -e "$d/logs/error.log" >"$LOGS/nginx.log" 2>&1 &
  SERVER_PID=$!
  await_ready "$SERVER_PID" 10 nginx_ready && return 0
  echo "nginx did not start; see $LOGS/nginx.log and $d/logs/error.log" >&2
  stop_server
  return 1
}

nginx_ready() { [ -S "$NGINX_SOCK" ] && (exec 3<>"/dev/tcp/127.0.0.1/$NGINX_PORT") 2>/dev/null; }

# http_client CLIENT TARGET WORKLOAD: prints workload<TAB>metric<TAB>value rows
http_client() {
  local jprops=(-Dwarmup="$HTTP_JVM_WARMUP" -Dseconds="$HTTP_SECONDS")
  case $1 in
    # JNET_HTTP_OPTS: extra JVM options for the jnet client only (a JFR recording: see README, "profiling the client")
    # shellcheck disable=SC2086
    jnet) timeout 60 taskset -c 0 "$JAVA" "${JOPTS[@]}" "${jprops[@]}" ${JNET_HTTP_OPTS:-} -cp "$CP" io.jnet.bench.http.JnetHttpLoad "$2" "$3" ;;
    # jnet as built at JNET_OLD (e.g. a detached worktree of main): before/after interleaved in one run
    # shellcheck disable=SC2086
    jnet-old) timeout 60 taskset -c 0 "$JAVA" "${JOPTS[@]}" "${jprops[@]}" ${JNET_HTTP_OPTS:-} -cp "$OLD_CP" io.jnet.bench.http.JnetHttpLoad "$2" "$3" ;;
    jdk-httpclient) [ "${2#unix:}" = "$2" ] || return 0
      timeout 60 taskset -c 0 "$JAVA" "${JOPTS[@]}" "${jprops[@]}" -cp "$CP" io.jnet.bench.http.JdkHttpLoad "$2" "$3" ;;
    node-http) timeout 60 taskset -c 0 env WARMUP_SECONDS="$HTTP_WARMUP" SECONDS_LIMIT="$HTTP_SECONDS" node "$HERE/node/http-load.js" http "$2" "$3" ;;
    node-fetch) [ "${2#unix:}" = "$2" ] || return 0
      timeout 60 taskset -c 0 env WARMUP_SECONDS="$HTTP_WARMUP" SECONDS_LIMIT="$HTTP_SECONDS" node "$HERE/node/http-load.js" fetch "$2" "$3" ;;
    wrk) [ "${2#unix:}" = "$2" ] || return 0
      local c=${3%%_*}; c=${c#seq}; c=${c#conc}
      local url="http://127.0.0.1:$NGINX_PORT/${3#*_}"
      # wrk has no warm-up of its own: a first short run is it. It takes whole seconds only.
      local wu ms; wu=$(awk -v s="$HTTP_WARMUP" 'BEGIN { print (s == int(s)) ? s : int(s) + 1 }')
      ms=$(awk -v s="$HTTP_SECONDS" 'BEGIN { print (s == int(s)) ? s : int(s) + 1 }')
      timeout 60 taskset -c 0 wrk -t1 -c"$c" -d"${wu}s" "$url" >/dev/null 2>&1
      timeout 60 taskset -c 0 wrk -t1 -c"$c" -d"${ms}s" "$url" 2>&1 | tee -a "$LOGS/wrk.log" \
        | awk -v w="$3" '/^Requests\/sec:/ { printf "%s\treq_per_s\t%.1f\n", w, $2; if (w ~ /64k$/) printf "%s\tMB_per_s\t%.1f\n", w, $2 * 65536 / 1e6 }' ;;
    *) echo "unknown HTTP client $1" >&2; return 1 ;;
  esac
}

run_http() {
  if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
    echo "http suite needs nginx and wrk: apt-get install -y nginx wrk (skipped)" >&2
    return 0
  fi
  start_nginx "$TMP/nginx" || return 1
  echo "== nginx $(nginx -v 2>&1 | sed 's/.*\///') on CPU 1 at 127.0.0.1:$NGINX_PORT and $NGINX_SOCK" >&2
  local w c round rows="$TMP/http.rows"
  : >"$rows"
  # HTTP_ROUNDS=N repeats every workload and client N times, interleaved; the TSV gets the median.
  # Only "workload<TAB>metric<TAB>value" lines are rows (JNET_HTTP_OPTS' JFR prints to stdout too).
  for round in $(seq 1 "${HTTP_ROUNDS:-1}"); do
    for w in $HTTP_WORKLOADS; do
      for c in $HTTP_CLIENTS; do
        echo "== http $c tcp $w (round $round)" >&2
        http_client "$c" "tcp:127.0.0.1:$NGINX_PORT" "$w" 2>>"$LOGS/http-$c.log" | awk -F'\t' 'NF == 3' | sed "s/^/$c\ttcp\t/" | tee -a "$rows" >&2
      done
    done
    for w in $HTTP_UDS_WORKLOADS; do
      for c in $HTTP_CLIENTS; do
        case $c in jnet|jnet-old|node-http) ;; *) continue ;; esac
        echo "== http $c uds $w (round $round)" >&2
        http_client "$c" "unix:$NGINX_SOCK" "$w" 2>>"$LOGS/http-$c.log" | awk -F'\t' 'NF == 3' | sed "s/^/$c\tipc\t/" | tee -a "$rows" >&2
      done
    done
  done
  stop_server
  medians "$rows" client split
  if grep -l -i -E 'exception|error|failed' "$LOGS"/http-*.log 2>/dev/null; then
    echo "some HTTP clients reported errors: see the logs above" >&2
  fi
}

# Request/response round trips over a Unix socket in RequestChannel's wire format (net-api/MESSAGING.md):
# jnet's RequestChannel on both sides (one connection, N requests multiplexed on it) against the plain
# blocking loop on the JDK's Unix-domain SocketChannel (N client threads with a connection each, a
# server thread per connection). Server on CPU 1, client on CPU 0; a fresh server per measurement,
# the two implementations alternating so that they run close together in time.
run_rpc() {
  local n impl kind log sock
  for n in ${RPC_INFLIGHT:-1 64}; do
    for impl in jnet jdk-blocking; do
      kind=jnet; [ "$impl" = jdk-blocking ] && kind=jdk
      sock="$TMP/rpc-$kind.sock"; log="$LOGS/rpc-$impl-$n.log"
      taskset -c 1 "$JAVA" "${JOPTS[@]}" -cp "$CP" io.jnet.bench.rpc.RequestReply server "$kind" "$sock" >"$log" 2>&1 &
      SERVER_PID=$!
      if ! await_ready "$SERVER_PID" 20 listening_line "$log"; then
        echo "rpc server $impl did not start; see $log" >&2
        stop_server
        continue
      fi
      echo "== rpc $impl ipc inflight $n" >&2
      timeout 120 taskset -c 0 "$JAVA" "${JOPTS[@]}" "${RPC_SIZES[@]}" -cp "$CP" io.jnet.bench.rpc.RequestReply \
        client "$kind" "$sock" "$n" 2>>"$log" | emit "$impl" client ipc split
      stop_server
    done
  done
}

# More than one core (issue 17 item 4): jnet and Netty NIO with 1 and 2 event loops, server and load
# generator both on CPUs 0-1 (the load generator shares the cores: there are only two), fanin5000
# (round trips/s) and churn (connections/s). CORES_ROUNDS rounds (3), servers alternating within a
# round; the TSV gets each figure's median over the rounds, as impl "jnet-loops1" etc. With more than
# one loop, jnet also runs as "jnet-reuseportN": N servers on one port with reusePort (N accepting
# sockets, one per loop) instead of one server whose loop accepts for all.
run_cores() {
  local round t impl log rows="$TMP/cores.rows" opt name
  : >"$rows"
  for round in $(seq 1 "${CORES_ROUNDS:-3}"); do
    for t in ${CORES_THREADS:-1 2}; do
      for impl in jnet jnet-reuseport netty-nio; do
        case $impl in
          jnet) opt=-Djnet.eventLoopThreads=$t; name=jnet-loops$t ;;
          jnet-reuseport) [ "$t" -gt 1 ] || continue; opt="-Djnet.eventLoopThreads=$t -Djnet.servers=$t"; name=jnet-reuseport$t ;;
          *) opt=-Dnetty.threads=$t; name=netty-nio-loops$t ;;
        esac
        log="$LOGS/cores-$name-$round.log"
        local saved_jopts=("${JOPTS[@]}")
        # shellcheck disable=SC2206
        JOPTS+=($opt)
        start_server "${impl%-reuseport}" tcp 0,1 "$log" || { JOPTS=("${saved_jopts[@]}"); continue; }
        JOPTS=("${saved_jopts[@]}")
        echo "== cores: $name round $round at $SERVER_ADDR, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
        timeout 300 taskset -c 0,1 "$JAVA" "${JOPTS[@]}" "${SIZES[@]}" -cp "$CP" io.jnet.bench.load.LoadGen \
          "$SERVER_ADDR" "${CORES_WORKLOADS:-fanin5000,churn}" 2>>"$log" | awk -F'\t' 'NF == 3' | sed "s/^/$name\ttcp\t/" | tee -a "$rows" >&2
        stop_server
      done
    done
  done
  medians "$rows" server cores01-medianN
}

case $SUITE in
  cores)  run_cores ;;
  rpc)    run_rpc ;;
  socket) run_socket ;;
  reference) run_reference ;;
  idle)   run_idle ;;
  client) run_client ;;
  http)   run_http ;;
  all)    run_reference; run_socket; run_client; run_idle; run_http; run_rpc ;;
  *) echo "usage: run.sh socket|client|idle|reference|http|rpc|cores|all" >&2; exit 2 ;;
esac

echo
echo "results: $TSV   (server logs: $LOGS)"
"$JAVA" -cp "$CP" io.jnet.bench.Report "$TSV"
