#!/usr/bin/env bash
# A real Vitrina cluster on one box: PostgreSQL, the Orleans schema, and N silos as separate processes on loopback.
#
#   deploy/local/cluster.sh start [N]   start PostgreSQL and N silos (default 3); prints where each listens
#   deploy/local/cluster.sh status      which silos run, and the cluster's catalogue summary
#   deploy/local/cluster.sh stop        stop the silos (SIGTERM: each drains its batches and polls)
#
# Silo i listens on silo port 11110+i, gateway 30000+i, HTTP http://127.0.0.1:5080+i (dashboard on each).
# Logs and pids: var/local/. PostgreSQL via deploy/pg-up.sh (needs root to start it the first time).
# Environment: VITRINA_CLUSTER_CONNECTION overrides the PostgreSQL connection string; SILO_ROLES_<i> sets silo i's roles
# (e.g. SILO_ROLES_3=classify); VITRINA_LOCAL_SKIP_BUILD=1 uses the existing Release build.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
state="$root/var/local"
silo_dll="$root/silo/bin/Release/net10.0/linux-x64/vitrina-silo.dll"
mkdir -p "$state"

# The pid a silo-N.pid file names, if that process is still that silo: pid files survive reboots, and a reused pid
# must be neither skipped as "already running" nor sent signals.
silo_pid() {
  local file=$1 pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  [[ "$pid" =~ ^[0-9]+$ ]] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q "vitrina-silo.dll" || return 1
  echo "$pid"
}

# Whether silo i answers /readyz (bash's /dev/tcp: curl is not on a fresh machine).
ready() {
  local port=$((5080 + $1)) answer
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  answer=$(head -1 <&3 || true)
  exec 3<&-
  [[ "$answer" == *" 200 "* ]]
}

connection() {
  if [ -n "${VITRINA_CLUSTER_CONNECTION:-}" ]; then
    echo "$VITRINA_CLUSTER_CONNECTION"
  elif [ "$(id -u)" = 0 ]; then
    local pg
    pg=$(bash "$root/deploy/pg-up.sh")
    echo "${pg%Database=*}Database=vitrina"
  else
    echo "Host=127.0.0.1;Port=5432;Username=vitrina;Password=vitrina;Database=vitrina"
  fi
}

start() {
  local count=${1:-3}
  [[ "$count" =~ ^[1-9][0-9]?$ ]] || { echo "cluster.sh: N must be a number of silos between 1 and 99, not '$count'" >&2; exit 2; }
  local cs pid
  cs=$(connection)
  if [ "${VITRINA_LOCAL_SKIP_BUILD:-0}" != 1 ]; then
    echo "building the silo and the CLI (Release)..." >&2
    dotnet build "$root/silo" -c Release -v q -nologo >/dev/null
    dotnet build "$root/client" -c Release -v q -nologo >/dev/null
  fi
  echo "applying the cluster schema..." >&2
  VITRINA_CLUSTER_CONNECTION="$cs" "$root/vitrina" db migrate >&2
  for i in $(seq 1 "$count"); do
    if pid=$(silo_pid "$state/silo-$i.pid"); then
      echo "silo $i already running (pid $pid)" >&2
      continue
    fi
    local roles_var="SILO_ROLES_$i"
    # The connection string (a password in it) in the environment: a command line is readable by every local user.
    (cd "$root" && Vitrina__Cluster__ConnectionString="$cs" exec dotnet "$silo_dll" \
      --Vitrina:Cluster:Mode=postgres \
      --Vitrina:Cluster:SiloPort=$((11110 + i)) \
      --Vitrina:Cluster:GatewayPort=$((30000 + i)) \
      "--Vitrina:Silo:Roles=${!roles_var:-all}" \
      --urls=http://127.0.0.1:$((5080 + i)) \
      >"$state/silo-$i.log" 2>&1) &
    echo $! >"$state/silo-$i.pid"
  done
  for i in $(seq 1 "$count"); do
    local url="http://127.0.0.1:$((5080 + i))"
    for _ in $(seq 1 120); do
      ready "$i" && break
      kill -0 "$(cat "$state/silo-$i.pid")" 2>/dev/null || { echo "silo $i exited; see $state/silo-$i.log:" >&2; tail -5 "$state/silo-$i.log" >&2; exit 1; }
      sleep 1
    done
    ready "$i" || { echo "silo $i not ready after 120 s; see $state/silo-$i.log" >&2; exit 1; }
    echo "silo $i ready: pid $(cat "$state/silo-$i.pid"), gateway $((30000 + i)), dashboard $url/"
  done
  if [ -n "${VITRINA_CLUSTER_CONNECTION:-}" ]; then
    echo "use the cluster with the VITRINA_CLUSTER_CONNECTION set here: ./vitrina accounts add ..."
  else
    # The password stays off the terminal (and out of whatever records it): the line reads it from the state folder.
    (umask 077 && printf '%s\n' "$cs" >"$state/connection")
    echo "use the cluster: export VITRINA_CLUSTER_CONNECTION=\"\$(cat '$state/connection')\"; ./vitrina accounts add ..."
  fi
}

stop() {
  local pids=()
  for file in "$state"/silo-*.pid; do
    [ -e "$file" ] || continue
    local pid
    if pid=$(silo_pid "$file"); then
      kill -TERM "$pid"
      pids+=("$pid")
    fi
    rm -f "$file"
  done
  for pid in ${pids[@]+"${pids[@]}"}; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && { echo "silo pid $pid did not stop in 60 s; killing" >&2; kill -KILL "$pid"; }
  done
  echo "stopped ${#pids[@]} silo(s)"
}

status() {
  for file in "$state"/silo-*.pid; do
    [ -e "$file" ] || { echo "no silos started by this script"; return; }
    local i pid
    i=$(basename "$file" .pid); i=${i#silo-}
    if pid=$(silo_pid "$file"); then
      echo "silo $i: pid $pid, $(ready "$i" && echo ready || echo 'not ready')"
    else
      echo "silo $i: not running (see $state/silo-$i.log)"
    fi
  done
  VITRINA_CLUSTER_CONNECTION="$(connection)" "$root/vitrina" catalogue summary || true
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ] || exit 2 ;;
esac
