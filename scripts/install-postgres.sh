#!/usr/bin/env bash
# Installs the PostgreSQL server binaries (initdb, pg_ctl, postgres) that Palisade's embedded
# default and its tests need. Idempotent: does nothing when they are already there.
set -euo pipefail

have_server_binaries() {
  local dir
  for dir in "${PG_BIN_DIR:-}" "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ] && return 0
  done
  return 1
}

if have_server_binaries; then
  exit 0
fi

echo "PostgreSQL server binaries not found; installing them with apt-get" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "run as root or install sudo" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# postgresql-common would create and start a system-wide cluster; Palisade runs its own.
$sudo mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.d/palisade.conf >/dev/null
$sudo apt-get install -y -q --no-install-recommends postgresql
have_server_binaries || { echo "PostgreSQL installed but initdb/pg_ctl/postgres still not found" >&2; exit 1; }
