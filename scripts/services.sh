#!/usr/bin/env bash
# Makes sure the services the distributed tests use answer on loopback: PostgreSQL on
# 127.0.0.1:5432 (user postgres, no password) and Redis on 127.0.0.1:6379. Services that
# already answer are left alone; missing Debian packages are installed, stopped services
# started. The tests make their own database and Redis db per run and remove them.
set -euo pipefail

as_root() {
    if [ "$(id -u)" != 0 ]; then
        echo "services: please run as root, or start $1 yourself" >&2
        exit 1
    fi
}

install_missing() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    as_root "${missing[*]}"
    echo "services: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

wait_for() {  # wait_for NAME COMMAND...: up to 30 s
    local name=$1; shift
    for _ in $(seq 300); do
        "$@" >/dev/null 2>&1 && return
        sleep 0.1
    done
    echo "services: $name does not answer" >&2
    exit 1
}

redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }
postgres_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
postgres_trusts_loopback() {
    PGCONNECT_TIMEOUT=5 psql -w -X -q "postgresql://postgres@127.0.0.1:5432/postgres" -c 'select 1'
}

if ! command -v redis-cli >/dev/null || ! redis_up; then
    install_missing redis-server redis-tools
    if ! redis_up; then
        as_root redis
        service redis-server start >/dev/null 2>&1 ||
            redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no
        wait_for redis redis_up
    fi
fi

if ! command -v pg_isready >/dev/null || ! postgres_up; then
    install_missing postgresql postgresql-client
    if ! postgres_up; then
        as_root postgresql
        version=$(ls /usr/lib/postgresql | sort -n | tail -1)
        pg_lsclusters -h | grep -q . || pg_createcluster "$version" main >/dev/null
        read -r cluster_version cluster_name _ < <(pg_lsclusters -h | head -1)
        pg_ctlcluster "$cluster_version" "$cluster_name" start
        wait_for postgresql postgres_up
    fi
fi

if ! postgres_trusts_loopback >/dev/null 2>&1; then
    # A fresh Debian cluster asks for passwords over TCP: let the local user postgres in
    # from loopback only, as on the project's machines.
    as_root "postgresql with trust for postgres on 127.0.0.1"
    hba=$(su postgres -c "psql -XtAc 'SHOW hba_file'")
    sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
    su postgres -c "psql -XtAc 'SELECT pg_reload_conf()'" >/dev/null
    wait_for "postgresql (loopback login)" postgres_trusts_loopback
fi
