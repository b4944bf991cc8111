#!/usr/bin/env bash
# The test suite: builds everything and runs every test. Needs PostgreSQL on 127.0.0.1:5432 with role vitrina
# (started here through deploy/pg-up.sh as root or with passwordless sudo); VITRINA_TEST_PG overrides the connection string.
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${VITRINA_TEST_PG:-}" ]; then
  if [ "$(id -u)" = 0 ]; then
    pg=$(bash deploy/pg-up.sh)
  elif ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
    # Not root and nothing on the port: passwordless sudo will do; otherwise say so now, not in every test.
    pg=$(sudo -n bash deploy/pg-up.sh) || {
      echo "test.sh: no PostgreSQL on 127.0.0.1:5432, and sudo wants a password: run 'sudo bash deploy/pg-up.sh' once, then ./test.sh" >&2
      exit 2
    }
  fi
  [ -z "${pg:-}" ] || export VITRINA_TEST_PG="${pg%Database=*}Database=vitrina_test"
fi
exec dotnet test Cluster.sln -c Release "$@"
