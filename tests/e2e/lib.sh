# tests/e2e/lib.sh - a private boot network, its daemons and real VMs.
#
# Sourced by tests/e2e/demo.sh (make demo), run.sh (the e2e tests) and
# bench.sh, after tests/lib.sh.  Everything lives in one run directory
# ($E2E_RUN) and one network namespace ($E2E_NS) made for the run:
#
#   namespace alpxe-e2e-<pid>
#     br0  10.213.0.1/24   every server: kea-dhcp4 (raw socket) with
#                          libdhcp_alpxe.so, in.tftpd with alpxe-remap's
#                          rules, nginx with ngx_http_alpxe_module,
#                          nfs-ganesha (NFSv4), radvd (iPXE's IPv6 wait)
#     vb0-vb1              a veth pair, so br0 has carrier without a VM
#     tap-<vm>             one tap per VM, QEMU's -netdev tap
#
# Every configuration is generated from one alpxe.conf (tests/e2e/demo.conf
# by default).  Daemons run with private pid, log and state paths and are
# stopped by pid; the namespace is deleted on exit, Ctrl-C included.
# Nothing is sent to any address outside the namespace.

E2E_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_ROOT=$(cd "$E2E_HERE/../.." && pwd)
E2E_BUILD=${T_BUILD:-$E2E_ROOT/build}

E2E_KEA=${E2E_KEA:-$(command -v kea-dhcp4 || echo /usr/sbin/kea-dhcp4)}
E2E_NGINX=${E2E_NGINX:-/usr/sbin/nginx}
E2E_TFTPD=${E2E_TFTPD:-/usr/sbin/in.tftpd}
E2E_GANESHA=${E2E_GANESHA:-/usr/bin/ganesha.nfsd}
E2E_RADVD=${E2E_RADVD:-/usr/sbin/radvd}
E2E_QEMU=${E2E_QEMU:-/usr/bin/qemu-system-x86_64}
E2E_OVMF_CODE=${E2E_OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
E2E_OVMF_VARS=${E2E_OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
E2E_GANESHA_PLUGINS=${E2E_GANESHA_PLUGINS:-/usr/lib/x86_64-linux-gnu/ganesha}

E2E_HOOK=$E2E_BUILD/libdhcp_alpxe.so
E2E_MODULE=$E2E_BUILD/ngx_http_alpxe_module.so
E2E_REMAP=$E2E_BUILD/alpxe-remap
E2E_ALPXE=$E2E_BUILD/alpxe
E2E_KEA_CTRL=$E2E_BUILD/tests/kea-ctrl
E2E_TESTSYS=$E2E_BUILD/e2e/testsys

E2E_NS=
E2E_RUN=
E2E_CONF=
E2E_ADDR=
E2E_PREFIX=24
E2E_VERBOSE=${E2E_VERBOSE:-0}
E2E_VM_MEM=${E2E_VM_MEM:-256}
E2E_DAEMON_PIDS=()
declare -A E2E_VM_PID E2E_VM_START E2E_VM_MAC E2E_VM_TAP E2E_MARK
declare -A E2E_SEEN_AT E2E_SEEN_TEXT

# ---------------------------------------------------------------- time

# e2e_now: seconds since the epoch with milliseconds.
e2e_now() {
    local t=$EPOCHREALTIME
    printf '%s\n' "${t:0:${#t}-3}"
}

# e2e_elapsed START [DECIMALS]: seconds since START (e2e_now).
e2e_elapsed() {
    awk -v a="$1" -v b="$(e2e_now)" -v d="${2:-1}" 'BEGIN { printf "%.*f", d, b - a }'
}

# ------------------------------------------------------- alpxe.conf

# e2e_conf_get FILE SECTION KEY: the value ("" if absent), comments off.
# SECTION is e.g. "server" or "host pc1" (one space).
e2e_conf_get() {
    awk -v want="$2" -v key="$3" '
        { sub(/[;#].*/, ""); gsub(/^[ \t]+|[ \t]+$/, "") }
        /^\[/ { s = $0; gsub(/^\[[ \t]*|[ \t]*\]$/, "", s); gsub(/[ \t]+/, " ", s); next }
        s == want && index($0, "=") {
            k = substr($0, 1, index($0, "=") - 1); gsub(/[ \t]+$/, "", k)
            if (k == key) { v = substr($0, index($0, "=") + 1); gsub(/^[ \t]+/, "", v); print v; exit }
        }' "$1"
}

# e2e_conf_hosts FILE: the [host NAME] names.
e2e_conf_hosts() {
    sed -n 's/^[[:space:]]*\[[[:space:]]*host[[:space:]]\{1,\}\([^]]*[^][:space:]]\)[[:space:]]*\].*/\1/p' "$1"
}

# ------------------------------------------------------- prerequisites

# e2e_missing: what this machine lacks to run the e2e chain, one per line.
e2e_missing() {
    local f
    for f in "$E2E_HOOK" "$E2E_MODULE" "$E2E_REMAP" "$E2E_ALPXE"; do
        [ -f "$f" ] || echo "$f (run make)"
    done
    for f in "$E2E_KEA" "$E2E_NGINX" "$E2E_TFTPD" "$E2E_GANESHA" "$E2E_RADVD" \
        "$E2E_QEMU" /bin/busybox; do
        [ -x "$f" ] || echo "$f (make deps)"
    done
    for f in "$E2E_OVMF_CODE" "$E2E_OVMF_VARS" /usr/lib/ipxe/undionly.kpxe \
        /usr/lib/ipxe/snponly.efi "$E2E_GANESHA_PLUGINS/libfsalvfs.so"; do
        [ -f "$f" ] || echo "$f (make deps)"
    done
    command -v curl >/dev/null || echo "curl (make deps)"
    command -v cpio >/dev/null || echo "cpio (make deps)"
    [ "$(id -u)" -eq 0 ] || echo "root (network namespaces, taps, raw sockets)"
    [ -c /dev/net/tun ] || echo "/dev/net/tun"
}

# ---------------------------------------------------------- the run

# e2e_setup RUNDIR [ALPXE-CONF-TEMPLATE]: lay out the run directory,
# write its alpxe.conf (@RUN@ replaced) and the files the VMs fetch.
e2e_setup() {
    local tmpl=${2:-$E2E_HERE/demo.conf} h
    E2E_RUN=$1
    mkdir -p "$E2E_RUN"
    chmod 755 "$E2E_RUN"        # nginx workers and in.tftpd run unprivileged
    mkdir -p "$E2E_RUN"/{tftp,www/boot,www/ovl,www/ctl,www/alpine,www/static,nfs,kea,nginx/tmp,tftpd,ganesha/recovery,radvd}
    chmod 755 "$E2E_RUN"/{tftp,www,www/boot,www/ovl,www/ctl,www/alpine,www/static}
    E2E_CONF=$E2E_RUN/alpxe.conf
    sed "s|@RUN@|$E2E_RUN|g" "$tmpl" >"$E2E_CONF"
    E2E_ADDR=$(e2e_conf_get "$E2E_CONF" server address)
    [ -n "$E2E_ADDR" ] || { echo "e2e: no [server] address in $tmpl" >&2; return 1; }

    # The test system: kernel, initramfs, a modloop with known bytes.
    "$E2E_HERE/testsys.sh" "$E2E_TESTSYS" >&2 || return 1
    cp "$E2E_TESTSYS/vmlinuz" "$E2E_TESTSYS/initramfs.gz" "$E2E_RUN/www/boot/"
    head -c 65536 /dev/urandom >"$E2E_RUN/www/boot/modloop"
    chmod 644 "$E2E_RUN"/www/boot/*
    [ -n "${E2E_ALPINE:-}" ] && { e2e_alpine_files "$E2E_ALPINE" || return 1; }
    for h in $(e2e_conf_hosts "$E2E_CONF"); do
        e2e_add_host_files "$h" "$(e2e_conf_get "$E2E_CONF" "host $h" mac)"
    done
}

# e2e_alpine_files DIR: serve real Alpine netboot files instead of the
# test system: DIR (or DIR/boot) holds vmlinuz-FLAVOR, initramfs-FLAVOR and
# modloop-FLAVOR; every host and the default boot the [profile alpine],
# adjusted to FLAVOR.  A repository in DIR/apks (x86_64/APKINDEX.tar.gz)
# becomes the profile's repo, served at /alpine/.
e2e_alpine_files() {
    local dir=$1 k flavor f
    [ -d "$dir/boot" ] && [ -z "$(ls "$dir"/vmlinuz-* 2>/dev/null)" ] && dir=$dir/boot
    k=$(ls "$dir"/vmlinuz-* 2>/dev/null | head -1)
    [ -n "$k" ] || { echo "e2e: no vmlinuz-* in $1 (nor $1/boot)" >&2; return 1; }
    flavor=${k##*/vmlinuz-}
    for f in vmlinuz initramfs modloop; do
        [ -f "$dir/$f-$flavor" ] || { echo "e2e: $dir/$f-$flavor missing" >&2; return 1; }
        cp "$dir/$f-$flavor" "$E2E_RUN/www/boot/"
    done
    chmod 644 "$E2E_RUN"/www/boot/*
    sed -i -e "/^\[profile alpine\]/,/^\[/ s/-lts\b/-$flavor/" \
        -e 's/^\(profile *= *\)testsys/\1alpine/' \
        -e 's/^\(default *= *\)testsys/\1alpine/' "$E2E_CONF"
    if [ -f "$1/apks/x86_64/APKINDEX.tar.gz" ]; then
        rmdir "$E2E_RUN/www/alpine"
        ln -s "$(cd "$1/apks" && pwd)" "$E2E_RUN/www/alpine"
        sed -i '/^\[profile alpine\]/,/^\[/ s|^repo *=.*|repo    = http://'"$E2E_ADDR"'/alpine|' "$E2E_CONF"
    fi
    E2E_ALPINE_FLAVOR=$flavor
}

# e2e_add_host_files HOSTNAME MAC: the host's apkovl (etc/hostname and a
# marker).  Its NFS directory is created by `alpxe provision` once
# nfs-ganesha runs (e2e_start).
e2e_add_host_files() {
    local name=$1 mac=${2,,} d
    d=$(mktemp -d "$E2E_RUN/ovl.XXXXXX")
    mkdir -p "$d/etc"
    echo "$name" >"$d/etc/hostname"
    echo "apkovl of $name ($mac) from alpxe e2e" >"$d/etc/alpxe-e2e"
    if [ -n "${E2E_ALPINE:-}" ]; then
        # Real Alpine: report on the console and write to the NFS
        # directory once OpenRC runs local.d.
        mkdir -p "$d/etc/local.d" "$d/etc/runlevels/default" "$d/usr/local/bin"
        cp "$E2E_HERE/initramfs/alpine-local.start" "$d/etc/local.d/alpxe-e2e.start"
        chmod 755 "$d/etc/local.d/alpxe-e2e.start"
        # an apkovl replaces Alpine's default runlevels: the usual ones
        local lv svc
        for lv in sysinit:devfs sysinit:dmesg sysinit:mdev boot:hwclock \
            boot:modules boot:sysctl boot:hostname boot:bootmisc boot:syslog \
            shutdown:mount-ro shutdown:killprocs shutdown:savecache default:local; do
            svc=${lv#*:}
            mkdir -p "$d/etc/runlevels/${lv%%:*}"
            ln -s "/etc/init.d/$svc" "$d/etc/runlevels/${lv%%:*}/$svc"
        done
        cp "$E2E_TESTSYS/mount-nfs4" "$d/usr/local/bin/"
    fi
    (cd "$d" && tar -czf "$E2E_RUN/www/ovl/$mac.apkovl.tar.gz" --owner=0 --group=0 -- *)
    chmod 644 "$E2E_RUN/www/ovl/$mac.apkovl.tar.gz"
    rm -rf "$d"
}

# ---------------------------------------------------------- network

# e2e_ns COMMAND...: run in the namespace and wait.  A daemon is started
# as `ip netns exec "$E2E_NS" COMMAND &` instead: ip execs COMMAND, so $!
# is the daemon's own pid, the one to stop.
e2e_ns() {
    ip netns exec "$E2E_NS" "$@"
}

e2e_net_up() {
    E2E_NS=alpxe-e2e-$$
    ip netns add "$E2E_NS" || return 1
    ip -n "$E2E_NS" link set lo up &&
        ip -n "$E2E_NS" link add br0 type bridge &&
        ip -n "$E2E_NS" link set br0 type bridge forward_delay 0 stp_state 0 &&
        ip -n "$E2E_NS" link add vb0 type veth peer name vb1 &&
        ip -n "$E2E_NS" link set vb0 master br0 &&
        ip -n "$E2E_NS" addr add "$E2E_ADDR/$E2E_PREFIX" dev br0 &&
        ip -n "$E2E_NS" link set vb0 up &&
        ip -n "$E2E_NS" link set vb1 up &&
        ip -n "$E2E_NS" link set br0 up &&
        e2e_ns sysctl -qw net.ipv6.conf.all.forwarding=1 || return 1
    # br0 is usable once it has carrier (through the veth) and its address
    t_wait_for 5 e2e_ns sh -c 'ip -br link show br0 | grep -q "UP"'
}

e2e_net_down() {
    local pid
    [ -n "$E2E_NS" ] || return 0
    # Whatever still runs in the namespace was started by this run (a
    # daemon's helper, a VM whose start failed half-way): stop it by pid.
    for pid in $(ip netns pids "$E2E_NS" 2>/dev/null); do
        t_stop "$pid"
    done
    ip netns del "$E2E_NS" 2>/dev/null
    E2E_NS=
}

# ---------------------------------------------------------- daemons

e2e_track() {
    E2E_DAEMON_PIDS+=("$1")
}

e2e_untrack() {
    local i
    for i in "${!E2E_DAEMON_PIDS[@]}"; do
        [ "${E2E_DAEMON_PIDS[$i]}" = "$1" ] && unset "E2E_DAEMON_PIDS[$i]"
    done
    E2E_DAEMON_PIDS=("${E2E_DAEMON_PIDS[@]+"${E2E_DAEMON_PIDS[@]}"}")
}

# e2e_daemon_stop kea|nginx|tftpd|ganesha|radvd: stop one daemon by pid.
e2e_daemon_stop() {
    local d=$E2E_RUN/$1 pid f
    for f in "$d/pid" "$d/syslogd.pid"; do
        [ -s "$f" ] || continue
        pid=$(cat "$f")
        t_stop "$pid"
        wait "$pid" 2>/dev/null
        e2e_untrack "$pid"
        rm -f "$f"
    done
}

# e2e_kea_conf [static]: kea/kea.json, or with "static" kea/kea-static.json:
# no hook, the hand-written equivalent for the demo's network (client
# classes giving iPXE a static script URL and option 175.176, and PXE
# clients their loader by option 93) - the benchmark's anchor.
e2e_kea_conf() {
    local d=$E2E_RUN/kea net file=kea.json boot
    net=${E2E_ADDR%.*}
    boot='"hooks-libraries": [ { "library": "'$E2E_HOOK'",
                         "parameters": { "config": "'$E2E_CONF'",
                             "last-good": "'$E2E_RUN'/kea/last-good" } } ],'
    if [ "${1:-}" = static ]; then
        file=kea-static.json
        boot='"option-def": [
    { "name": "ipxe-encap-opts", "code": 175, "type": "empty", "encapsulate": "ipxe" },
    { "space": "ipxe", "name": "no-pxedhcp", "code": 176, "type": "uint8" } ],
  "client-classes": [
    { "name": "ipxe", "test": "option[77].hex == '"'iPXE'"'",
      "boot-file-name": "http://'$E2E_ADDR'/static/boot.ipxe",
      "option-data": [ { "name": "ipxe-encap-opts", "always-send": true },
                       { "space": "ipxe", "name": "no-pxedhcp", "data": "1" } ] },
    { "name": "pxe-efi64",
      "test": "not member('"'ipxe'"') and substring(option[60].hex,0,9) == '"'PXEClient'"' and option[93].hex == 0x0007",
      "next-server": "'$E2E_ADDR'", "boot-file-name": "snponly.efi" },
    { "name": "pxe-bios",
      "test": "not member('"'ipxe'"') and substring(option[60].hex,0,9) == '"'PXEClient'"' and option[93].hex == 0x0000",
      "next-server": "'$E2E_ADDR'", "boot-file-name": "undionly.kpxe" } ],'
    fi
    cat >"$d/$file" <<EOF
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "br0" ], "dhcp-socket-type": "raw" },
  "control-socket": { "socket-type": "unix", "socket-name": "$d/kea.sock" },
  "lease-database": { "type": "memfile", "persist": true,
                      "name": "$d/leases.csv", "lfc-interval": 0 },
  "valid-lifetime": 600,
  "match-client-id": false,
  $boot
  "subnet4": [ { "id": 1, "subnet": "$net.0/$E2E_PREFIX",
      "pools": [ { "pool": "$net.100 - $net.199" } ],
      "option-data": [ { "name": "routers", "data": "$E2E_ADDR" } ] } ],
  "loggers": [
    { "name": "kea-dhcp4", "severity": "INFO",
      "output_options": [ { "output": "$d/kea.log", "flush": true } ] },
    { "name": "kea-dhcp4.alpxe", "severity": "DEBUG", "debuglevel": 40,
      "output_options": [ { "output": "$d/kea.log", "flush": true } ] } ]
} }
EOF
}

# e2e_unconfined PROGRAM: the words to put before PROGRAM so that an
# AppArmor profile written for the distribution's service (kea-dhcp4's
# allows /etc/kea, /run/kea, /var/lib/kea only) does not confine this
# private instance, whose files are all in the run directory.
e2e_unconfined() {
    local name
    name=$(basename "$1")
    if grep -qs "^$name (enforce)" /sys/kernel/security/apparmor/profiles; then
        if command -v aa-exec >/dev/null; then
            echo "aa-exec -p unconfined --"
        else
            echo "e2e: AppArmor confines $name and aa-exec (package apparmor) is missing" >&2
        fi
    fi
}

# e2e_kea_start [static]
e2e_kea_start() {
    local d=$E2E_RUN/kea pid file=kea.json wrap
    [ "${1:-}" = static ] && file=kea-static.json
    [ -f "$d/$file" ] || e2e_kea_conf "${1:-}"
    : >"$d/kea.log"
    wrap=$(e2e_unconfined "$E2E_KEA")
    # shellcheck disable=SC2086
    ip netns exec "$E2E_NS" env KEA_PIDFILE_DIR="$d" KEA_LOCKFILE_DIR="$d" \
        KEA_LOGGER_DESTINATION="$d/early.log" \
        $wrap "$E2E_KEA" -c "$d/$file" >"$d/kea.out" 2>&1 &
    pid=$!
    e2e_track "$pid"
    echo "$pid" >"$d/pid"
    if ! t_wait_for 15 grep -q DHCP4_STARTED "$d/kea.log" || ! kill -0 "$pid" 2>/dev/null; then
        echo "kea-dhcp4 did not start:" >&2
        cat "$d/early.log" "$d/kea.out" 2>/dev/null | tail -5 >&2
        grep -E 'ERROR|FATAL' "$d/kea.log" | tail -5 >&2
        return 1
    fi
}

# e2e_tftpd_start [static]: with alpxe-remap's rules and loaders, or
# ("static") a plain root holding the same loader files.
# in.tftpd logs only to syslog.  It runs in a mount namespace of its own
# (ip netns exec makes one) where /dev is a private tmpfs whose /dev/log
# belongs to a busybox syslogd writing tftpd/tftpd.log.
e2e_tftpd_start() {
    local d=$E2E_RUN/tftpd pid out rules=()
    out=$("$E2E_REMAP" -c "$E2E_CONF" --install-loaders "$E2E_RUN/tftp" 2>&1) ||
        { echo "alpxe-remap --install-loaders failed: $out" >&2; return 1; }
    if [ "${1:-}" != static ]; then
        "$E2E_REMAP" -c "$E2E_CONF" -o "$d/tftpd.remap" 2>"$d/remap.err" ||
            { echo "alpxe-remap failed: $(cat "$d/remap.err")" >&2; return 1; }
        rules=(-m "$d/tftpd.remap")
    fi
    : >"$d/tftpd.log"
    # shellcheck disable=SC2016
    ip netns exec "$E2E_NS" sh -c '
        d=$1; shift
        mount -t tmpfs -o mode=755,size=64k e2e-dev /dev || exit 1
        mknod -m 666 /dev/null c 1 3
        mknod -m 666 /dev/zero c 1 5
        mknod -m 444 /dev/urandom c 1 9
        busybox syslogd -n -S -O "$d/tftpd.log" &
        echo $! >"$d/syslogd.pid"
        i=0
        while [ ! -S /dev/log ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        exec "$@"' e2e-tftpd "$d" \
        "$E2E_TFTPD" -L -v -v -u nobody -a "$E2E_ADDR:69" -s "$E2E_RUN/tftp" \
        "${rules[@]}" -P "$d/tftpd.pid" >"$d/tftpd.out" 2>&1 &
    pid=$!
    e2e_track "$pid"
    echo "$pid" >"$d/pid"
    t_wait_for 5 test -s "$d/syslogd.pid" && e2e_track "$(cat "$d/syslogd.pid")"
    if ! t_wait_for 10 e2e_ns sh -c "ss -H -lun 'sport = :69' | grep -q ." ||
        ! kill -0 "$pid" 2>/dev/null; then
        echo "in.tftpd did not start: $(cat "$d/tftpd.out" 2>/dev/null)" >&2
        return 1
    fi
}

# e2e_nginx_conf [static]: nginx/nginx.conf, or nginx/nginx-static.conf
# without the module: the static files, and /static/ for hand-written
# scripts (the benchmark's anchor).
e2e_nginx_conf() {
    local d=$E2E_RUN/nginx http path file=nginx.conf module alpxe loc
    http=$(e2e_conf_get "$E2E_CONF" server http)
    path=/${http#*://*/}            # http://10.213.0.1/pxe -> /pxe
    [ "$path" = "/$http" ] && path=/
    path=${path%/}
    module="load_module \"$E2E_MODULE\";"
    alpxe="alpxe_config \"$E2E_CONF\"; alpxe_last_good \"$E2E_RUN/nginx-last-good.conf\";"
    loc="location $path/        { alpxe; }"
    if [ "${1:-}" = static ]; then
        file=nginx-static.conf module='' alpxe=''
        loc="location /static/      { alias \"$E2E_RUN/www/static/\"; }"
    fi
    cat >"$d/$file" <<EOF
$module
$(t_nginx_user "$E2E_RUN/www")
daemon off;
worker_processes 1;
pid "$d/nginx.pid";
error_log "$d/error.log" info;

events {
    worker_connections 64;
}

http {
    log_format e2e '\$msec \$remote_addr "\$request" \$status \$body_bytes_sent '
                   'mac=\$alpxe_mac host=\$alpxe_host result=\$alpxe_result';
    access_log "$d/access.log" e2e;
$(t_nginx_temp_paths "$d")
    default_type application/octet-stream;
    sendfile on;

    $alpxe

    server {
        listen $E2E_ADDR:80;

        $loc
        location $path/boot/   { alias "$E2E_RUN/www/boot/"; }
        location $path/loader/ {
            alias "$E2E_RUN/tftp/";
            types { application/efi efi; }
        }
        location /ovl/         { alias "$E2E_RUN/www/ovl/"; autoindex on; }
        location /ctl/         { alias "$E2E_RUN/www/ctl/"; log_not_found off; }
        location /alpine/      { alias "$E2E_RUN/www/alpine/"; autoindex on; }
    }
}
EOF
}

# e2e_nginx_start [static]
e2e_nginx_start() {
    local d=$E2E_RUN/nginx pid file=nginx.conf
    [ "${1:-}" = static ] && file=nginx-static.conf
    [ -f "$d/$file" ] || e2e_nginx_conf "${1:-}"
    e2e_ns "$E2E_NGINX" -t -q -p "$d/" -c "$d/$file" 2>"$d/test.err" ||
        { echo "nginx -t: $(cat "$d/test.err")" >&2; return 1; }
    ip netns exec "$E2E_NS" "$E2E_NGINX" -p "$d/" -c "$d/$file" >"$d/nginx.out" 2>&1 &
    pid=$!
    e2e_track "$pid"
    echo "$pid" >"$d/pid"
    if ! t_wait_for 10 e2e_ns curl -sf -o /dev/null -I "http://$E2E_ADDR/ovl/" ||
        ! kill -0 "$pid" 2>/dev/null; then
        echo "nginx did not start: $(cat "$d/nginx.out" "$d/error.log" 2>/dev/null | tail -5)" >&2
        return 1
    fi
}

# nfs-ganesha, NFSv4 only (no rpcbind), exporting the run's nfs/ as
# /export: the hosts' directories are nfs/<hostname>.  /run is a private
# tmpfs in its mount namespace, so it registers with no rpcbind or D-Bus
# of the machine.
e2e_nfs_start() {
    local d=$E2E_RUN/ganesha pid
    cat >"$d/ganesha.conf" <<EOF
NFS_CORE_PARAM {
    Protocols = 4;
    NFS_Port = 2049;
    Bind_addr = $E2E_ADDR;
    Enable_NLM = false;
    Enable_RQUOTA = false;
    Plugins_Dir = "$E2E_GANESHA_PLUGINS";
}
NFSV4 {
    Graceless = true;
    Only_Numeric_Owners = true;
    RecoveryRoot = "$d/recovery";
}
NFS_KRB5 {
    Active_krb5 = false;
}
EXPORT {
    Export_Id = 1;
    Path = "$E2E_RUN/nfs";
    Pseudo = /export;
    Protocols = 4;
    Transports = TCP;
    Access_Type = RW;
    Squash = No_Root_Squash;
    SecType = sys;
    FSAL {
        Name = VFS;
    }
}
LOG {
    Default_Log_Level = EVENT;
}
EOF
    : >"$d/ganesha.log"
    # shellcheck disable=SC2016
    ip netns exec "$E2E_NS" sh -c 'mount -t tmpfs -o mode=755,size=1m e2e-run /run && exec "$@"' \
        e2e-ganesha "$E2E_GANESHA" -F -f "$d/ganesha.conf" -p "$d/ganesha.pid" \
        -L "$d/ganesha.log" >"$d/ganesha.out" 2>&1 &
    pid=$!
    e2e_track "$pid"
    echo "$pid" >"$d/pid"
    if ! t_wait_for 20 e2e_ns sh -c "ss -H -ltn 'sport = :2049' | grep -q ." ||
        ! kill -0 "$pid" 2>/dev/null; then
        echo "ganesha.nfsd did not start: $(tail -5 "$d/ganesha.log" "$d/ganesha.out" 2>/dev/null)" >&2
        return 1
    fi
}

# radvd: iPXE waits ~13 s for IPv6 router advertisements otherwise; a
# router lifetime of 0 and no prefix give it nothing to configure.
e2e_radvd_start() {
    local d=$E2E_RUN/radvd pid
    cat >"$d/radvd.conf" <<EOF
interface br0 {
    AdvSendAdvert on;
    AdvDefaultLifetime 0;
    MinRtrAdvInterval 3;
    MaxRtrAdvInterval 10;
};
EOF
    ip netns exec "$E2E_NS" "$E2E_RADVD" -n -C "$d/radvd.conf" -p "$d/radvd.pid" -m logfile \
        -l "$d/radvd.log" >"$d/radvd.out" 2>&1 &
    pid=$!
    e2e_track "$pid"
    echo "$pid" >"$d/pid"
    sleep 0.2
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "radvd did not start: $(cat "$d/radvd.out" "$d/radvd.log" 2>/dev/null | tail -3)" >&2
        return 1
    fi
}

# e2e_start: the network and every daemon; messages on stderr.
e2e_start() {
    e2e_net_up || { echo "cannot create the network namespace" >&2; return 1; }
    e2e_kea_start && e2e_tftpd_start && e2e_nginx_start && e2e_nfs_start &&
        e2e_radvd_start && e2e_provision
}

# e2e_provision: the hosts' NFS directories, created over NFS by
# `alpxe provision` as an administrator would (output in nfs.provision).
e2e_provision() {
    if ! e2e_ns "$E2E_ALPXE" -c "$E2E_CONF" provision >"$E2E_RUN/nfs.provision" 2>&1; then
        echo "alpxe provision failed: $(cat "$E2E_RUN/nfs.provision")" >&2
        return 1
    fi
}

# e2e_reload: after alpxe.conf changed, each plugin re-reads it the way an
# administrator would: Kea's alpxe-reload command, tftpd's rules and
# loaders regenerated and SIGHUP, nginx SIGHUP.
e2e_reload() {
    local out rc=0 d=$E2E_RUN
    if [ -x "$E2E_KEA_CTRL" ]; then
        out=$("$E2E_KEA_CTRL" "$d/kea/kea.sock" '{ "command": "alpxe-reload" }' 2>&1)
        case $out in
        *'"result": 0'*) ;;
        *) echo "kea alpxe-reload: $out" >&2; rc=1 ;;
        esac
    else
        kill -HUP "$(cat "$d/kea/pid")"
    fi
    out=$("$E2E_REMAP" -c "$E2E_CONF" --install-loaders "$d/tftp" 2>&1) ||
        { echo "alpxe-remap --install-loaders: $out" >&2; rc=1; }
    out=$("$E2E_REMAP" -c "$E2E_CONF" -o "$d/tftpd/tftpd.remap" \
        --reload "$d/tftpd/tftpd.pid" 2>&1) ||
        { echo "alpxe-remap --reload: $out" >&2; rc=1; }
    kill -HUP "$(cat "$d/nginx/pid")" || rc=1
    return $rc
}

# e2e_script MAC: the script nginx serves MAC now (from inside the
# namespace, as a VM would get it).
e2e_script() {
    e2e_ns curl -s --max-time 5 "$(e2e_conf_get "$E2E_CONF" server http)/$1/gpxe-script"
}

e2e_stop() {
    local name i pid
    for name in "${!E2E_VM_PID[@]}"; do
        e2e_vm_stop "$name"
    done
    for ((i = ${#E2E_DAEMON_PIDS[@]} - 1; i >= 0; i--)); do
        pid=${E2E_DAEMON_PIDS[$i]}
        t_stop "$pid"
        wait "$pid" 2>/dev/null
    done
    E2E_DAEMON_PIDS=()
    e2e_net_down
}

# ---------------------------------------------------------------- VMs

# e2e_vm_start NAME FIRMWARE MAC [QEMU-ARGS...]
#   FIRMWARE: bios       SeaBIOS, e1000 with QEMU's iPXE ROM (E2E_VM_NIC_OPTS
#                        is appended to its -device, e.g. ",addr=0x5")
#             bios-disk  the same, then a local disk whose boot sector
#                        prints ALPXE-LOCAL-DISK on the serial port
#             uefi       OVMF, virtio-net without ROM: EDK2's PXE (IPv4)
#             uefi-http  OVMF with PXE off: EDK2's HTTP boot (IPv4)
# The serial console goes to vm-NAME/console.log; vm-NAME/serial.in
# takes keystrokes.
e2e_vm_start() {
    local name=$1 fw=$2 mac=${3,,} d tap
    shift 3
    d=$E2E_RUN/vm-$name
    tap=tap-$name
    rm -rf "$d"
    mkdir -p "$d"
    mkfifo "$d/serial.in" "$d/serial.out"
    ip -n "$E2E_NS" tuntap add dev "$tap" mode tap 2>/dev/null
    ip -n "$E2E_NS" link set "$tap" master br0 &&
        ip -n "$E2E_NS" link set "$tap" up || return 1
    local args=(-name "$name" -nodefaults -no-user-config -display none
        -machine pc,accel=tcg -m "$E2E_VM_MEM" -smp 1
        -chardev "pipe,id=con0,path=$d/serial" -serial chardev:con0
        -netdev "tap,id=net0,ifname=$tap,script=no,downscript=no")
    case $fw in
    bios | bios-disk)
        # SeaBIOS's serial console (sercon): the option ROM's text, iPXE's
        # included, on COM1 too, and keystrokes from it
        printf '\xf8\x03' >"$d/sercon-port"
        args+=(-fw_cfg "name=etc/sercon-port,file=$d/sercon-port"
            -device "e1000,netdev=net0,mac=$mac,bootindex=1${E2E_VM_NIC_OPTS:-}")
        if [ "$fw" = bios-disk ]; then
            e2e_boot_sector >"$d/disk.img"
            args+=(-drive "file=$d/disk.img,format=raw,if=none,id=disk0"
                -device "ide-hd,drive=disk0,bootindex=2")
        fi
        ;;
    uefi | uefi-http)
        cp "$E2E_OVMF_VARS" "$d/OVMF_VARS.fd"
        args+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$E2E_OVMF_CODE"
            -drive "if=pflash,format=raw,unit=1,file=$d/OVMF_VARS.fd"
            -device "virtio-net-pci,netdev=net0,mac=$mac,romfile=,bootindex=1"
            -fw_cfg name=opt/org.tianocore/IPv6PXESupport,string=no)
        [ "$fw" = uefi-http ] &&
            args+=(-fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=no)
        ;;
    *) echo "e2e_vm_start: unknown firmware $fw" >&2; return 1 ;;
    esac
    args+=("$@")
    e2e_mark "$name"
    # appended, so that e2e_vm_next can empty it between two boots
    : >"$d/console.log"
    cat "$d/serial.out" >>"$d/console.log" &
    E2E_VM_CAT[$name]=$!
    E2E_VM_START[$name]=$(e2e_now)
    ip netns exec "$E2E_NS" "$E2E_QEMU" "${args[@]}" >"$d/qemu.out" 2>&1 &
    E2E_VM_PID[$name]=$!
    E2E_VM_MAC[$name]=$mac
    E2E_VM_TAP[$name]=$tap
    printf '%s\n' "${args[*]}" >"$d/qemu.cmdline"
}
declare -A E2E_VM_CAT

e2e_vm_alive() {
    kill -0 "${E2E_VM_PID[$1]}" 2>/dev/null
}

e2e_vm_stop() {
    local name=$1
    [ -n "${E2E_VM_PID[$name]:-}" ] || return 0
    t_stop "${E2E_VM_PID[$name]}"
    wait "${E2E_VM_PID[$name]}" 2>/dev/null
    [ -n "${E2E_VM_CAT[$name]:-}" ] && { t_stop "${E2E_VM_CAT[$name]}"; wait "${E2E_VM_CAT[$name]}" 2>/dev/null; }
    ip -n "$E2E_NS" link del "${E2E_VM_TAP[$name]}" 2>/dev/null
    unset "E2E_VM_PID[$name]" "E2E_VM_CAT[$name]"
}

# e2e_vm_next NAME: the VM is about to boot again (it waits, then
# reboots): keep its console so far as console.N.log, and look for the
# next boot's evidence only in what comes after.
e2e_vm_next() {
    local d=$E2E_RUN/vm-$1 i=1
    while [ -e "$d/console.$i.log" ]; do
        i=$((i + 1))
    done
    cp "$d/console.log" "$d/console.$i.log"
    : >"$d/console.log"
    e2e_mark "$1"
    E2E_VM_START[$1]=$(e2e_now)
}

# e2e_vm_wait_exit NAME SECONDS: wait for QEMU to exit (poweroff).
e2e_vm_wait_exit() {
    local deadline=$((SECONDS + $2))
    while e2e_vm_alive "$1"; do
        [ $SECONDS -ge $deadline ] && return 1
        sleep 0.1
    done
}

# e2e_vm_type NAME TEXT: keystrokes on the VM's serial console (TEXT as
# printf %b reads it), four at a time, each group once the previous one
# was echoed: the UART holds 16 bytes and SeaBIOS's serial console reads it
# only when the guest polls the keyboard, so a busy host loses keys typed
# faster.
e2e_vm_type() {
    local text i size chunk log=$E2E_RUN/vm-$1/console.log n
    text=$(printf '%b.' "$2")
    text=${text%.}
    for ((i = 0; i < ${#text}; i += 4)); do
        chunk=${text:i:4}
        size=$(stat -c %s "$log")
        printf '%s' "$chunk" >"$E2E_RUN/vm-$1/serial.in"
        for ((n = 0; n < 100; n++)); do
            [ "$(stat -c %s "$log")" -ge $((size + ${#chunk})) ] && break
            sleep 0.02
        done
    done
}

# A 512-byte boot sector that writes "ALPXE-LOCAL-DISK booted" to COM1
# (0x3f8) and halts: the "next boot device" of a boot = local host.
#   fa          cli                 fc        cld
#   31 c0       xor ax,ax           8e d8     mov ds,ax
#   be 17 7c    mov si,msg          ba f8 03  mov dx,0x3f8
# l: ac         lodsb               84 c0     test al,al
#   74 03       jz h                ee        out dx,al
#   eb f8       jmp l
# h: f4         hlt                 eb fd     jmp h
# msg (0x7c17): text, CR LF, NUL
e2e_boot_sector() {
    local code='\xfa\xfc\x31\xc0\x8e\xd8\xbe\x17\x7c\xba\xf8\x03\xac\x84\xc0\x74\x03\xee\xeb\xf8\xf4\xeb\xfd'
    local msg='ALPXE-LOCAL-DISK booted\r\n\0'
    {
        printf '%b' "$code$msg"
        head -c $((510 - 23 - 26)) /dev/zero
        printf '\x55\xaa'
        head -c $((1024 * 1024 - 512)) /dev/zero
    }
}

# ----------------------------------------------------- stages of a boot

# e2e_mark NAME: remember where each daemon log ends, so that a boot's
# evidence is looked for in what was logged after its VM started.
e2e_mark() {
    local f
    for f in kea/kea.log tftpd/tftpd.log nginx/access.log nginx/error.log; do
        E2E_MARK[$1:$f]=$(wc -l 2>/dev/null <"$E2E_RUN/$f" || echo 0)
    done
}

# e2e_since NAME LOG: the lines LOG got since NAME's VM started.
e2e_since() {
    tail -n +"$((${E2E_MARK[$1:$2]:-0} + 1))" "$E2E_RUN/$2" 2>/dev/null
}

# e2e_console NAME: the VM's serial output, escape sequences removed.
e2e_console() {
    sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[()][A-Z0-9]//g; s/\r//g' \
        "$E2E_RUN/vm-$1/console.log" 2>/dev/null
}

e2e_marker() {
    e2e_console "$1" | grep -a -m1 -E "^ALPXE-E2E \[ *[0-9.]+\] $2" | sed 's/^ALPXE-E2E \[ *[0-9.]*\] //'
}

# Every stage a boot can go through, in the order they happen.
E2E_STAGE_TITLE=(
    [0]=dhcp-pxe:"DHCP    PXE firmware answered"
    [1]=tftp:"TFTP    loader served"
    [2]=dhcp-http:"DHCP    UEFI HTTP boot answered"
    [3]=http-loader:"HTTP    loader served"
    [4]=dhcp-ipxe:"DHCP    iPXE answered"
    [5]=script:"HTTP    iPXE script served"
    [6]=kernel:"HTTP    kernel and initrd served"
    [7]=linux:"BOOT    Linux started"
    [8]=init:"BOOT    /init running"
    [9]=nic:"VM      network device"
    [10]=ip:"VM      address"
    [11]=modloop:"VM      modloop fetched"
    [12]=apkovl:"VM      apkovl fetched"
    [13]=nfs:"VM      NFS directory written"
    [14]=done:"VM      booted"
    [15]=local-disk:"BOOT    local disk booted"
    [16]=poweroff:"VM      powered off"
    [17]=alpine-init:"BOOT    Alpine's init running"
    [18]=alpine-apkovl:"VM      Alpine loaded the apkovl"
    [19]=nocloud:"VM      NoCloud metadata read"
)

e2e_stage_title() {
    local s
    for s in "${E2E_STAGE_TITLE[@]}"; do
        if [ "${s%%:*}" = "$1" ]; then
            echo "${s#*:}"
            return
        fi
    done
    echo "$1"
}

# e2e_kea_answer NAME STAGE: the hook's ALPXE_ANSWER for the VM's MAC at
# that stage (pxe, ipxe, httpboot), as "file X".
e2e_kea_answer() {
    e2e_since "$1" kea/kea.log | grep -a "ALPXE_ANSWER" |
        grep -a -i "mac ${E2E_VM_MAC[$1]}, stage $2," | tail -1 |
        sed -n 's/.*siaddr \([^,]*\), file \(.*\)$/next-server \1, file \2/p'
}

# e2e_http NAME REGEX: the last access-log line since the mark whose
# request matches REGEX (fields: msec addr "request" status bytes).
e2e_http() {
    e2e_since "$1" nginx/access.log | grep -a -E "\"GET $2 HTTP" | tail -1
}

# e2e_evidence NAME STAGE: print what shows the stage happened; 1 if not.
e2e_evidence() {
    local n=$1 mac=${E2E_VM_MAC[$1]} line='' t='' s='' k='' i=
    local macre=${mac//:/(:|-|%3[Aa])}
    case $2 in
    dhcp-pxe) t=$(e2e_kea_answer "$n" pxe) ;;
    dhcp-http) t=$(e2e_kea_answer "$n" httpboot) ;;
    dhcp-ipxe) t=$(e2e_kea_answer "$n" ipxe) ;;
    tftp)
        line=$(e2e_since "$n" tftpd/tftpd.log | grep -a -E 'RRQ from' | tail -1)
        [ -n "$line" ] && t=$(printf '%s' "$line" | sed -n 's/.*RRQ from \([^ ]*\) filename \([^ ]*\).*/\2 to \1/p')
        line=$(e2e_since "$n" tftpd/tftpd.log | grep -a -E 'remap|Remap' | tail -1)
        [ -n "$t" ] && [ -n "$line" ] && t="$t (${line##*: })"
        ;;
    http-loader)
        line=$(e2e_http "$n" '/[^ ]*/loader/[^ ]*')
        case $line in *'" 200 '*) t=$(printf '%s' "$line" | awk '{ print $4, "->", $6, $7, "bytes" }') ;; esac
        ;;
    script)
        line=$(e2e_http "$n" "/[^ ]*($macre)/gpxe-script")
        if [ -n "$line" ]; then
            s=$(printf '%s' "$line" | awk '{ print $6 }')
            t="$(printf '%s' "$line" | awk '{ print $4 }') -> $s"
            [ "$s" = 200 ] || { E2E_BAD="script: nginx answered $s"; t=; }
        fi
        ;;
    kernel)
        # two files under boot/ (kernel and initrd), the modloop aside
        k=$(e2e_since "$n" nginx/access.log | grep -a -E '"GET /[^ ]*/boot/' |
            grep -a -v modloop | awk '$6 == 200')
        i=$(printf '%s' "$k" | awk '{ print $4 }' | sort -u | grep -c .)
        if [ "$i" -ge 2 ]; then
            t=$(printf '%s\n' "$k" | awk '{ sub(/.*\//, "", $4); printf "%s%s (%d bytes)", sep, $4, $7; sep = ", " }')
        fi
        ;;
    linux)
        e2e_console "$n" | grep -a -q -E 'Linux version|Run /init as init' && t="kernel console output"
        ;;
    init) t=$(e2e_marker "$n" 'init ') ;;
    nic) t=$(e2e_marker "$n" 'nic ') ;;
    ip) t=$(e2e_marker "$n" 'ip ') ;;
    modloop) t=$(e2e_marker "$n" 'modloop ') ;;
    apkovl) t=$(e2e_marker "$n" 'apkovl ') ;;
    nfs) t=$(e2e_marker "$n" 'nfs ') ;;
    nocloud) t=$(e2e_marker "$n" 'nocloud hostname ') ;;
    done) t=$(e2e_marker "$n" 'done') ;;
    alpine-init)
        t=$(e2e_console "$n" | grep -a -m1 -o 'Alpine Init [^ ]*')
        ;;
    alpine-apkovl)
        t=$(e2e_console "$n" | grep -a -m1 -o 'Loading user settings from [^:]*: *[a-z]*')
        ;;
    local-disk)
        e2e_console "$n" | grep -a -q 'ALPXE-LOCAL-DISK booted' && t="the disk's boot sector ran"
        ;;
    poweroff) e2e_vm_alive "$n" || t="QEMU exited" ;;
    esac
    [ -n "${t:-}" ] || return 1
    printf '%s\n' "$t"
}

# e2e_stage_logs NAME STAGE: what to show when STAGE did not happen.
e2e_stage_logs() {
    local n=$1
    case $2 in
    dhcp-*)
        echo "kea (ALPXE lines since the VM started):"
        e2e_since "$n" kea/kea.log | grep -a -E 'ALPXE|ERROR|WARN' | tail -8
        ;;
    tftp)
        echo "in.tftpd log:"
        e2e_since "$n" tftpd/tftpd.log | tail -8
        ;;
    http-loader | script | kernel)
        echo "nginx access log:"
        e2e_since "$n" nginx/access.log | tail -8
        echo "nginx error log:"
        e2e_since "$n" nginx/error.log | grep -a -v '\[info\].*client.*closed' | tail -5
        ;;
    esac
    echo "console (last lines):"
    e2e_console "$n" | grep -a -v '^[[:space:]]*$' | tail -15
}

# e2e_watch NAME TIMEOUT STAGE...: follow a boot until every STAGE is
# seen.  With E2E_VERBOSE=1 each stage is printed as it happens.
# Returns 0, or 1 with E2E_BROKE (the first stage not seen) and
# E2E_WHY set.  The init's FAIL lines, an early QEMU exit and a wrong
# HTTP status end the wait at once; so does E2E_GAP seconds (default 45)
# without a new stage, so that a broken stage fails fast.
e2e_watch() {
    local n=$1 timeout=$2 deadline gap_end s t fail panic last='' all_seen
    local gap=${E2E_GAP:-45}
    shift 2
    deadline=$((SECONDS + timeout))
    gap_end=$((SECONDS + gap))
    E2E_BROKE= E2E_WHY= E2E_BAD=
    for s in "$@"; do
        unset "E2E_SEEN_AT[$n:$s]" "E2E_SEEN_TEXT[$n:$s]"
    done
    while :; do
        all_seen=1
        for s in "$@"; do
            [ -n "${E2E_SEEN_AT[$n:$s]:-}" ] && continue
            if t=$(e2e_evidence "$n" "$s"); then
                E2E_SEEN_AT[$n:$s]=$(e2e_elapsed "${E2E_VM_START[$n]}" 2)
                E2E_SEEN_TEXT[$n:$s]=$t
                gap_end=$((SECONDS + gap))
                if [ "$E2E_VERBOSE" -ge 1 ]; then
                    printf '  [%5.1fs] %-32s %s\n' "${E2E_SEEN_AT[$n:$s]}" \
                        "$(e2e_stage_title "$s")" "$t"
                fi
            else
                all_seen=
            fi
        done
        [ -n "$all_seen" ] && return 0
        fail=$(e2e_console "$n" | grep -a -m1 -E '^ALPXE-E2E \[ *[0-9.]+\] FAIL ')
        panic=$(e2e_console "$n" | grep -a -m1 -o -E 'Kernel panic - .*|initramfs emergency recovery shell launched|No bootable device|No bootable option or device was found')
        if [ -n "$fail" ]; then
            E2E_WHY="the VM's init: ${fail#*FAIL }"
        elif [ -n "$panic" ]; then
            E2E_WHY="the VM: $panic"
        elif [ -n "$E2E_BAD" ]; then
            E2E_WHY=$E2E_BAD
        elif ! e2e_vm_alive "$n" && [ "$last" = dead ]; then
            E2E_WHY="QEMU exited (the VM powered off, or QEMU failed)"
            t=$(grep -v 'externally provided fw_cfg item names' "$E2E_RUN/vm-$n/qemu.out" 2>/dev/null | tail -3)
            [ -n "$t" ] && E2E_WHY="$E2E_WHY: $t"
        elif [ $SECONDS -ge $deadline ]; then
            E2E_WHY="not seen within ${timeout}s of the VM's start"
        elif [ $SECONDS -ge $gap_end ]; then
            E2E_WHY="nothing new for ${gap}s"
        else
            e2e_vm_alive "$n" || last=dead   # one more look at the logs
            sleep "${E2E_POLL:-0.2}"
            continue
        fi
        for s in "$@"; do
            if [ -z "${E2E_SEEN_AT[$n:$s]:-}" ]; then
                E2E_BROKE=$s
                break
            fi
        done
        return 1
    done
}

# e2e_report NAME: the failure of the last e2e_watch, for a test log.
e2e_report() {
    echo "stage that broke: $E2E_BROKE ($(e2e_stage_title "$E2E_BROKE")): $E2E_WHY"
    e2e_stage_logs "$1" "$E2E_BROKE"
}
