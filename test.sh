#!/usr/bin/env bash
# The test suite: builds everything and runs every test. Needs PostgreSQL on 127.0.0.1:5432 with role vitrina
# (start it with `sudo bash deploy/pg-up.sh`, or let .ci/run do it); VITRINA_TEST_PG overrides the connection string.
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${VITRINA_TEST_PG:-}" ] && [ "$(id -u)" = 0 ]; then
  pg=$(bash deploy/pg-up.sh)
  export VITRINA_TEST_PG="${pg%Database=*}Database=vitrina_test"
fi
exec dotnet test Cluster.sln -c Release "$@"
