#!/bin/bash
# tests/e2e/ha.sh - a VM boots through the standby of a Kea HA pair.
#
# The e2e boot network (tests/e2e/lib.sh) with DHCP served by a Kea
# hot-standby pair instead of one Kea: the primary kea-dhcp4 on
# 10.213.0.1 (br0's address, as in run.sh) and the standby on 10.213.0.2
# (a second address on br0), each with libdhcp_lease_cmds.so,
# libdhcp_ha.so and alpxe's hook reading its own copy of the same
# alpxe.conf, each with a kea-ctrl-agent for HA's traffic.  in.tftpd, nginx
# and nfs-ganesha stay on 10.213.0.1.  The primary is stopped; the standby
# goes to partner-down; a BIOS VM (QEMU's iPXE ROM) then boots through all
# three plugins with its DHCP answered by the standby's hook.
#
# Needs root (network namespace, taps), like run.sh.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

HA_HOOKS_DIR=${HA_HOOKS_DIR:-/usr/lib/x86_64-linux-gnu/kea/hooks}
KEA_CA=${KEA_CA:-$(command -v kea-ctrl-agent || echo /usr/sbin/kea-ctrl-agent)}

missing=$(e2e_missing)
for f in "$HA_HOOKS_DIR/libdhcp_ha.so" "$HA_HOOKS_DIR/libdhcp_lease_cmds.so" "$KEA_CA"; do
    [ -e "$f" ] || missing="$missing${missing:+$'\n'}$f (make deps)"
done
if [ -n "$missing" ]; then
    t_skip "e2e boot through a Kea HA standby" "missing: $(echo "$missing" | tr '\n' ';' | sed 's/;$//')"
    t_done
    exit
fi

t_tmpdir >/dev/null
chmod 755 "$T_TMP"
trap 'e2e_stop; t_cleanup' EXIT
trap 'exit 130' INT TERM HUP

PC1=52:54:00:e2:e0:01
HTTP=http://10.213.0.1/pxe
STANDBY=10.213.0.2

if ! e2e_setup "$T_TMP/run" 2>"$T_TMP/setup.err"; then
    t_fail "the test system and the run directory are set up" "$(cat "$T_TMP/setup.err")"
    t_done
    exit
fi
R=$E2E_RUN

# ha_kea_conf DIR ADDRESS THIS-SERVER ROLE: kea.json and ca.json of one peer.
ha_kea_conf() {
    local d=$1 addr=$2 this=$3 net=${E2E_ADDR%.*}
    mkdir -p "$d"
    cp "$E2E_CONF" "$d/alpxe.conf"
    cat >"$d/kea.json" <<EOF
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "br0/$addr" ], "dhcp-socket-type": "raw" },
  "control-socket": { "socket-type": "unix", "socket-name": "$d/kea.sock" },
  "lease-database": { "type": "memfile", "persist": true,
                      "name": "$d/leases.csv", "lfc-interval": 0 },
  "valid-lifetime": 600,
  "match-client-id": false,
  "hooks-libraries": [
    { "library": "$HA_HOOKS_DIR/libdhcp_lease_cmds.so" },
    { "library": "$HA_HOOKS_DIR/libdhcp_ha.so", "parameters": {
        "high-availability": [ {
          "this-server-name": "$this", "mode": "hot-standby",
          "heartbeat-delay": 1000, "max-response-delay": 2000,
          "max-ack-delay": 1000, "max-unacked-clients": 0,
          "peers": [
            { "name": "server1", "url": "http://$E2E_ADDR:8001/", "role": "primary" },
            { "name": "server2", "url": "http://$STANDBY:8002/", "role": "standby" } ]
        } ] } },
    { "library": "$E2E_HOOK", "parameters": { "config": "$d/alpxe.conf",
        "last-good": "$d/last-good" } } ],
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
    cat >"$d/ca.json" <<EOF
{ "Control-agent": { "http-host": "$addr", "http-port": $4,
  "control-sockets": { "dhcp4": { "socket-type": "unix", "socket-name": "$d/kea.sock" } },
  "loggers": [ { "name": "kea-ctrl-agent", "severity": "WARN",
      "output_options": [ { "output": "$d/ca.log" } ] } ] } }
EOF
}

# ca_start DIR: the peer's kea-ctrl-agent in the namespace.
ca_start() {
    local d=$1 pid
    ip netns exec "$E2E_NS" env KEA_PIDFILE_DIR="$d" KEA_LOCKFILE_DIR="$d" \
        KEA_LOGGER_DESTINATION="$d/ca-early.log" "$KEA_CA" -c "$d/ca.json" \
        >"$d/ca.out" 2>&1 &
    pid=$!
    e2e_track "$pid"
    echo "$pid" >"$d/ca.pid"
}

# standby_start: the standby's kea-dhcp4 (the primary is e2e_kea_start's).
standby_start() {
    local d=$R/kea2 pid
    : >"$d/kea.log"
    ip netns exec "$E2E_NS" env KEA_PIDFILE_DIR="$d" KEA_LOCKFILE_DIR="$d" \
        KEA_LOGGER_DESTINATION="$d/early.log" "$E2E_KEA" -c "$d/kea.json" \
        >"$d/kea.out" 2>&1 &
    pid=$!
    e2e_track "$pid"
    echo "$pid" >"$d/pid"
    t_wait_for 15 grep -q DHCP4_STARTED "$d/kea.log"
}

# ha_state DIR: the peer's HA state (ha-heartbeat on its control socket).
ha_state() {
    "$E2E_KEA_CTRL" "$1/kea.sock" '{ "command": "ha-heartbeat" }' 2>/dev/null |
        sed -n 's/.*"state": "\([^"]*\)".*/\1/p'
}

ha_wait() {
    local deadline=$((SECONDS + $3))
    while [ "$(ha_state "$1")" != "$2" ]; do
        [ $SECONDS -ge $deadline ] && return 1
        sleep 0.2
    done
}

ha_kea_conf "$R/kea" "$E2E_ADDR" server1 8001
ha_kea_conf "$R/kea2" "$STANDBY" server2 8002
up() {
    e2e_net_up && ip -n "$E2E_NS" addr add "$STANDBY/$E2E_PREFIX" dev br0 &&
        e2e_kea_start && ca_start "$R/kea" && standby_start && ca_start "$R/kea2" &&
        e2e_tftpd_start && e2e_nginx_start && e2e_nfs_start && e2e_radvd_start &&
        e2e_provision
}
if up 2>"$T_TMP/start.err"; then
    t_ok "boot network up with a Kea hot-standby pair (10.213.0.1 primary, .2 standby)"
else
    t_fail "boot network up with a Kea hot-standby pair" "$(cat "$T_TMP/start.err")" \
        "$(grep -hE 'ERROR|FATAL' "$R"/kea*/kea.log | tail -5)"
    t_done
    exit
fi
if ha_wait "$R/kea" hot-standby 30 && ha_wait "$R/kea2" hot-standby 10; then
    t_ok "the pair is in hot-standby"
else
    t_fail "the pair is in hot-standby" "primary: $(ha_state "$R/kea"), standby: $(ha_state "$R/kea2")"
fi

# The primary goes down; the standby takes over.
e2e_daemon_stop kea
t_stop "$(cat "$R/kea/ca.pid")"
start=$SECONDS
if ha_wait "$R/kea2" partner-down 20; then
    t_ok "primary stopped: the standby is in partner-down ($((SECONDS - start)) s)"
else
    t_fail "primary stopped: the standby is in partner-down" "standby: $(ha_state "$R/kea2")"
fi

# From here the standby's directory is the run's kea/, so that the boot's
# DHCP stage is looked for (e2e_evidence, e2e_report) in the standby's log.
mv "$R/kea" "$R/kea-primary"
ln -s kea2 "$R/kea"

e2e_vm_start standby bios "$PC1"
if e2e_watch standby 150 dhcp-ipxe script kernel linux init nic ip modloop apkovl nfs done poweroff; then
    t_ok "a BIOS VM boots through the standby: dhcp-ipxe -> script -> kernel -> ... -> done ($(e2e_elapsed "${E2E_VM_START[standby]}")s)"
    t_match "the standby's hook answered the VM's iPXE with its script URL" \
        "mac $PC1, stage ipxe, arch bios \\(type 0\\), host pc1, profile testsys, .*siaddr $E2E_ADDR, file $HTTP/$PC1/gpxe-script" \
        "$(e2e_since standby kea/kea.log | grep ALPXE_ANSWER)"
    t_match "the VM's lease is the standby's" "^10\\.213\\.0\\.[0-9]+,$PC1," \
        "$(grep -i "$PC1" "$R/kea2/leases.csv" | tail -1)"
    t_match "the VM booted the profile alpxe.conf gives pc1" "alpxe_profile=testsys .*alpxe_nfs=10.213.0.1:/export/pc1" \
        "$(e2e_marker standby 'cmdline ')"
    t_match "its NFS directory was written" "hostname=pc1" "$(cat "$R/nfs/pc1/alpxe-e2e.txt" 2>&1)"
else
    t_fail "a BIOS VM boots through the standby" "$(e2e_report standby)"
fi
e2e_vm_stop standby
t_nomatch "the stopped primary answered nothing" "$PC1" \
    "$(grep ALPXE_ANSWER "$R/kea-primary/kea.log")"
t_nomatch "no error in the standby's log" ' (ERROR|FATAL) .*ALPXE' "$(cat "$R/kea2/kea.log")"

t_done
