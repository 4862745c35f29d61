# Starts a throwaway PostgreSQL server on 127.0.0.1 in a temporary data directory.
# Source it: it exports COULOIR_TEST_POSTGRES_URL and stops the server on exit.
# Needs Debian's postgresql package; runs the server as the postgres account.

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ]; then
  echo "postgres.sh: no PostgreSQL server found; install Debian's postgresql package" >&2
  return 1
fi
pg_dir=$(mktemp -d /tmp/couloir-pg.XXXXXX)
chown postgres "$pg_dir"
pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
runuser -u postgres -- "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U couloir --no-sync >/dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w start \
  -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pg_dir -c fsync=off" >/dev/null
export COULOIR_TEST_POSTGRES_URL="postgres://couloir@127.0.0.1:$pg_port/postgres?sslmode=disable"
stop_postgres() {
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_postgres EXIT
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
