#!/usr/bin/env bash
# CI: install PostgreSQL from Debian, start it, and give the current user a superuser role,
# so that the store tests can reach postgresql:///postgres over the unix socket.
# Run as root. Idempotent: a second run only checks that everything is up.
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y postgresql
fi

# The newest installed major version (15 on Debian 12, 17 on Debian 13, ...).
version="$(ls /usr/lib/postgresql | sort -n | tail -n 1)"
if [ -z "$version" ]; then
    echo "postgres.sh: no PostgreSQL under /usr/lib/postgresql after install" >&2
    exit 1
fi

if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
    pg_createcluster "$version" main
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
    pg_ctlcluster "$version" main start
fi

# Wait for the server to accept connections (a fresh start takes a moment).
for _ in $(seq 1 30); do
    if su postgres -c "pg_isready -q"; then
        break
    fi
    sleep 1
done
su postgres -c "pg_isready"

role="$(id -un)"
exists="$(su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname = '$role'\"")"
if [ "$exists" != "1" ]; then
    su postgres -c "createuser -s '$role'"
fi
echo "postgres.sh: PostgreSQL $version is up; role $role is a superuser (postgresql:///postgres)"
