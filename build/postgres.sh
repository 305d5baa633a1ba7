# A throwaway PostgreSQL for the persistence tests, sourced by test.sh (and usable alone:
# `source build/postgres.sh && postgres_start && ...; postgres_stop`).
#
# postgres_start: unless PLANNER_TEST_POSTGRES is already set (a server of your own), installs Debian's postgresql
# when it is missing and apt-get is available, creates a cluster in a temp directory, starts it on 127.0.0.1 on a
# free port (as the postgres user when run as root: PostgreSQL refuses to run as root), waits for it with a bound,
# and exports PLANNER_TEST_POSTGRES. Returns non-zero, with the reason, when no server could be had; the PostgreSQL
# tests are then reported as skipped.
# postgres_stop: stops the cluster and removes its directory (a no-op when postgres_start did not start one).

postgres_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  dir=$(dirname "$(command -v initdb 2>/dev/null)" 2>/dev/null)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  return 1
}

postgres_install() {
  command -v apt-get >/dev/null 2>&1 || { echo "postgres.sh: PostgreSQL is not installed and apt-get is not available"; return 1; }
  local sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
  echo "postgres.sh: installing Debian's postgresql for the PostgreSQL persistence tests"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
}

# Runs a command as the cluster's owner: the postgres user when we are root, else ourselves.
postgres_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

postgres_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

postgres_start() {
  if [ -n "${PLANNER_TEST_POSTGRES:-}" ]; then
    echo "postgres.sh: using the server in PLANNER_TEST_POSTGRES"
    return 0
  fi
  local bin
  if ! bin=$(postgres_bindir); then
    postgres_install || { echo "postgres.sh: could not install postgresql"; return 1; }
    bin=$(postgres_bindir) || { echo "postgres.sh: postgresql installed but initdb was not found"; return 1; }
  fi
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "postgres.sh: running as root and there is no postgres user to own the cluster"; return 1
  fi

  PLANNER_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/planner-pg.XXXXXX")
  local password
  password=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" > "$PLANNER_PG_DIR/pwfile"
  [ "$(id -u)" -eq 0 ] && chown -R postgres: "$PLANNER_PG_DIR"
  if ! postgres_as_owner "$bin/initdb" -D "$PLANNER_PG_DIR/data" -U planner --pwfile="$PLANNER_PG_DIR/pwfile" \
      --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$PLANNER_PG_DIR/initdb.log" 2>&1; then
    echo "postgres.sh: initdb failed:"; cat "$PLANNER_PG_DIR/initdb.log"; postgres_stop; return 1
  fi
  rm -f "$PLANNER_PG_DIR/pwfile"

  local port started=""
  for _ in 1 2 3; do
    port=$(postgres_free_port) || break
    # -w: pg_ctl itself polls until the server accepts connections, for at most -t seconds.
    if postgres_as_owner "$bin/pg_ctl" -D "$PLANNER_PG_DIR/data" -l "$PLANNER_PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$PLANNER_PG_DIR' -c fsync=off" start >/dev/null; then
      started=1; break
    fi
  done
  if [ -z "$started" ]; then
    echo "postgres.sh: the server did not start:"; tail -n 20 "$PLANNER_PG_DIR/server.log" 2>/dev/null; postgres_stop; return 1
  fi
  PLANNER_PG_BIN=$bin
  # Bounded check that it answers on TCP, as the tests will reach it.
  local ready=""
  for _ in $(seq 1 50); do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1; then ready=1; break; fi
    sleep 0.1
  done
  if [ -z "$ready" ]; then echo "postgres.sh: the server does not answer on 127.0.0.1:$port"; postgres_stop; return 1; fi
  export PLANNER_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=planner;Password=$password;Database=postgres"
  echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

postgres_stop() {
  [ -n "${PLANNER_PG_DIR:-}" ] || return 0
  if [ -n "${PLANNER_PG_BIN:-}" ] && [ -f "$PLANNER_PG_DIR/data/postmaster.pid" ]; then
    postgres_as_owner "$PLANNER_PG_BIN/pg_ctl" -D "$PLANNER_PG_DIR/data" -m fast -w -t 60 stop >/dev/null || true
  fi
  rm -rf "$PLANNER_PG_DIR"
  unset PLANNER_PG_DIR PLANNER_PG_BIN PLANNER_TEST_POSTGRES
}
