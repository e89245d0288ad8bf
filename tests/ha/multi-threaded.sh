#!/bin/bash
# tests/ha/multi-threaded.sh - alpxe on a multi-threaded Kea hot-standby pair.
#
# Both kea-dhcp4 run with multi-threading (2 packet threads) and HA's own
# multi-threaded HTTP listener and client inside kea-dhcp4 (no
# kea-ctrl-agent: the peers' URLs are those listeners, which is where the
# hooks ask each other too).  The primary answers a load of PXE and iPXE
# exchanges from many hosts, every answer the host's own, while HA sends
# each lease to the standby; then the standby takes over under the same
# load.

. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/kea/kea-lib.sh"
. "$T_ROOT/tests/ha/ha-lib.sh"

missing=$(ha_missing)
if [ -n "$missing" ]; then
    t_skip "multi-threaded Kea hot-standby pair" "missing: $(echo $missing)"
    t_done
    exit
fi

HOSTS=500
HTTP=http://10.0.0.28/pxe
CONF=$T_TMP/alpxe.conf
"$T_ROOT/tests/bench/gen-config" "$HOSTS" "$HTTP" >"$CONF"
IPXE=(-V PXEClient:Arch:00000:UNDI:002001 -a 0 -u iPXE -e -p 1,3,66,67)
PXE=(-V PXEClient:Arch:00000:UNDI:002001 -a 0 -p 1,3,66,67)
# a pool for every lease of the load (HOSTS is below it)
HA_SUBNET='"subnet4": [ { "id": 1, "subnet": "10.0.0.0/16",
    "pools": [ { "pool": "10.0.1.0 - 10.0.200.255" } ],
    "relay": { "ip-addresses": [ "127.0.0.2" ] } } ]'

ha_pair hot-standby mt
if ha_start s1 && ha_start s2 && ha_wait s1 hot-standby 30 &&
    ha_wait s2 hot-standby 10; then
    t_ok "a multi-threaded hot-standby pair (HA's own listeners) with alpxe"
else
    t_fail "a multi-threaded hot-standby pair (HA's own listeners) with alpxe" \
        "s1: $(ha_state s1), s2: $(ha_state s2)" "$(kea_log s1 | grep -E 'ERROR|FATAL' | tail -3)"
    t_done
    exit
fi
log_has s1 "Kea runs multi-threaded" "DHCP4_MULTI_THREADING_INFO enabled: yes, number of threads: 2"

# load NAME STAGE-OPTS...: 3 s of DORAs from every host; checks every
# answer is a host's own.
load() {
    local name=$1 out leases bad
    shift
    out=$("$CLIENT" -B 3 -N "$HOSTS" -W 32 -R 3 -P "$@" "${KEA_PORT[$name]}" \
        "${KEA_RPORT[$name]}")
    leases=$(sed -n 's/.*leases=\([0-9]*\).*/\1/p' <<<"$out")
    bad=$(grep '^answer' <<<"$out" | grep -vcE "$LOAD_ANSWER")
    LOAD_LEASES=$leases LOAD_BAD=$bad
    LOAD_LINE=$(grep -v '^answer' <<<"$out")
}

LOAD_ANSWER="^answer siaddr=127\\.0\\.0\\.1 file=$HTTP/02:00:00:00:0[0-1]:[0-9a-f]{2}/gpxe-script\$"
load s1 "${IPXE[@]}"
if [ "${LOAD_LEASES:-0}" -gt 200 ] && [ "$LOAD_BAD" = 0 ]; then
    t_ok "primary under iPXE load: $LOAD_LEASES leases, every answer a host's own script ($LOAD_LINE)"
else
    t_fail "primary under iPXE load: every answer a host's own script" "$LOAD_LINE, $LOAD_BAD wrong answers"
fi
LOAD_ANSWER="^answer siaddr=127\\.0\\.0\\.1 file=undionly\\.kpxe\$"
load s1 "${PXE[@]}"
if [ "${LOAD_LEASES:-0}" -gt 200 ] && [ "$LOAD_BAD" = 0 ]; then
    t_ok "primary under PXE load: $LOAD_LEASES leases, every answer undionly.kpxe"
else
    t_fail "primary under PXE load: every answer undionly.kpxe" "$LOAD_LINE, $LOAD_BAD wrong answers"
fi
n1=$(grep -c '^[0-9]' "$T_TMP/s1/leases.csv")
if t_wait_for 10 sh -c "[ \$(grep -c '^[0-9]' '$T_TMP/s2/leases.csv') -ge $n1 ]"; then
    t_ok "the standby has every lease ($n1 lease records)"
else
    t_fail "the standby has every lease" "primary $n1, standby $(grep -c '^[0-9]' "$T_TMP/s2/leases.csv")"
fi
for s in s1 s2; do
    if ha_wait_partner $s same 15; then
        t_ok "$s's hook asked its partner through HA's listener: the same alpxe.conf"
    else
        t_fail "$s's hook asked its partner through HA's listener: the same alpxe.conf" "$(ha_status $s)"
    fi
done

ha_stop s1
if ha_wait s2 partner-down 20; then
    t_ok "the primary stops: the standby goes to partner-down"
else
    t_fail "the primary stops: the standby goes to partner-down" "s2: $(ha_state s2)"
fi
LOAD_ANSWER="^answer siaddr=127\\.0\\.0\\.1 file=$HTTP/02:00:00:00:0[0-1]:[0-9a-f]{2}/gpxe-script\$"
load s2 "${IPXE[@]}"
if [ "${LOAD_LEASES:-0}" -gt 200 ] && [ "$LOAD_BAD" = 0 ]; then
    t_ok "the standby under iPXE load: $LOAD_LEASES leases, every answer a host's own script"
else
    t_fail "the standby under iPXE load: every answer a host's own script" "$LOAD_LINE, $LOAD_BAD wrong answers"
fi

kea_alive s2 && t_ok "s2 still running" || t_fail "s2 still running"
for s in s1 s2; do
    log_lacks $s "$s: no ALPXE error" "ALPXE_(PACKET_ERROR|LOAD_FAILED|NO_CONFIG|HA_DIFFERS)"
done
t_done
