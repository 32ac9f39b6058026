# A throwaway PostgreSQL cluster for the database tests, sourced by .ci/run (or by hand:
# `. .ci/postgres.sh && start_postgres`). Debian's server, initdb into a temporary
# folder, listening on a free port of 127.0.0.1 only, run as the postgres user (the
# server refuses root). It exports CLAIMDESK_TEST_POSTGRES, the superuser's URL, for the
# tests, and stops the cluster and removes the folder when the shell exits.

start_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "start_postgres: no PostgreSQL server installed (apt-get install postgresql)" >&2
    return 1
  fi
  PG_DIR=$(mktemp -d -t claimdesk-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  chown postgres: "$PG_DIR"
  local port password
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  printf '%s\n' "$password" > "$PG_DIR/pwfile"
  chown postgres: "$PG_DIR/pwfile"
  chmod 600 "$PG_DIR/pwfile"
  runuser -u postgres -- "$bin/initdb" -D "$PG_DIR/data" -U postgres \
    --pwfile="$PG_DIR/pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1 || {
    cat "$PG_DIR/initdb.log" >&2
    return 1
  }
  rm -f "$PG_DIR/pwfile"
  # A self-signed certificate, so that sslmode=require can be tested.
  openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=claimdesk-test" -days 2 \
    -keyout "$PG_DIR/server.key" -out "$PG_DIR/server.crt" >/dev/null 2>&1 || {
    echo "start_postgres: openssl could not make a certificate" >&2
    return 1
  }
  chown postgres: "$PG_DIR/server.key" "$PG_DIR/server.crt"
  chmod 600 "$PG_DIR/server.key"
  PG_BIN=$bin
  runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c ssl=on -c ssl_cert_file=$PG_DIR/server.crt -c ssl_key_file=$PG_DIR/server.key" start >/dev/null || {
    cat "$PG_DIR/server.log" >&2
    return 1
  }
  trap stop_postgres EXIT
  export CLAIMDESK_TEST_POSTGRES="postgresql://postgres:$password@127.0.0.1:$port/postgres"
  echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1
  fi
  [ -n "${PG_DIR:-}" ] && rm -rf "$PG_DIR"
}
