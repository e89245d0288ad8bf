#!/bin/bash
# tests/ha/hot-standby.sh - alpxe on a Kea hot-standby pair, and its failover.
#
# Two kea-dhcp4 (libdhcp_lease_cmds.so + libdhcp_ha.so + alpxe) and their
# kea-ctrl-agents on loopback (tests/ha/ha-lib.sh), serving the same
# alpxe.conf.  While both run, the primary answers network-boot clients
# with the core's answers and the standby answers nothing; the hooks find
# each other serving the same file.  Then the primary is stopped: the
# standby goes to partner-down and gives the same clients byte-identical
# answers (the lease came over in HA's lease updates).  The primary comes
# back, the pair syncs and the primary answers again.

. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/kea/kea-lib.sh"
. "$T_ROOT/tests/ha/ha-lib.sh"

missing=$(ha_missing)
if [ -n "$missing" ]; then
    t_skip "Kea hot-standby pair" "missing: $(echo $missing)"
    t_done
    exit
fi

CONF=$T_TMP/alpxe.conf
"$T_ROOT/tests/bench/gen-config" 50 http://10.0.0.28/pxe >"$CONF"
PXE=(-V PXEClient:Arch:00000:UNDI:002001 -a 0 -p 1,3,66,67)
EFI=(-V PXEClient:Arch:00007:UNDI:003016 -a 7 -p 1,3,66,67)
IPXE=(-V PXEClient:Arch:00000:UNDI:002001 -a 0 -u iPXE -e -p 1,3,66,67)
MAC=02:00:00:00:00:07
HTTP_SCRIPT=http://10.0.0.28/pxe

ha_pair hot-standby
if ha_start s1 && ha_start s2; then
    t_ok "two kea-dhcp4 with lease_cmds, ha and alpxe, two kea-ctrl-agents"
else
    t_fail "two kea-dhcp4 with lease_cmds, ha and alpxe, two kea-ctrl-agents" \
        "$(kea_log s1 | grep -E 'ERROR|FATAL' | tail -5)" \
        "$(kea_log s2 | grep -E 'ERROR|FATAL' | tail -5)"
    t_done
    exit
fi
start=$SECONDS
if ha_wait s1 hot-standby 30 && ha_wait s2 hot-standby 10; then
    t_ok "the pair reaches hot-standby ($((SECONDS - start)) s)"
else
    t_fail "the pair reaches hot-standby" "s1: $(ha_state s1), s2: $(ha_state s2)"
    t_done
    exit
fi

# boot_fields_of NAME DECISION REPLY: siaddr and file of the core's
# decision against those of the reply.
same_boot() {
    t_eq "$1" "siaddr=$(field siaddr "$2") file=$(field file "$2")" \
        "siaddr=$(field siaddr "$3") file=$(field file "$3")"
}

# --------------------------------------------------- both servers up

for stage in PXE EFI IPXE; do
    declare -n opts=$stage
    want=$(decide "$CONF" -m "$MAC" "${opts[@]}")
    got=$(ask s1 -m "$MAC" "${opts[@]}" 2>&1)
    same_boot "primary answers ${stage,,} with the core's answer" "$want" "$got"
    rc=0
    ASK_TIMEOUT=1500 ask s2 -m "$MAC" "${opts[@]}" >/dev/null 2>&1 || rc=$?
    t_eq "the standby leaves ${stage,,} to the primary (no answer)" 3 "$rc"
done
log_has s1 "the primary's hook answered (ALPXE_ANSWER)" "ALPXE_ANSWER .*mac $MAC, stage ipxe"
log_lacks s2 "the standby's hook saw none of them (HA drops them first)" "ALPXE_ANSWER"

ack1=$(ask s1 -d -X -x 0x51e7 -m "$MAC" "${IPXE[@]}" 2>&1)
t_match "primary: DISCOVER/REQUEST, an ACK" '^02' "$ack1"
if t_wait_for 5 grep -qi "$MAC" "$T_TMP/s2/leases.csv"; then
    t_ok "the lease reached the standby (HA's lease4-update)"
else
    t_fail "the lease reached the standby (HA's lease4-update)" "$(cat "$T_TMP/s2/leases.csv")"
fi

# Each hook asked its partner which alpxe.conf it serves.
for s in s1 s2; do
    if ha_wait_partner $s same 15; then
        t_ok "$s's hook: its partner serves the same alpxe.conf"
    else
        t_fail "$s's hook: its partner serves the same alpxe.conf" "$(ha_status $s)"
    fi
done
log_has s1 "ALPXE_HA_PARTNERS names the partner and its URL" \
    "ALPXE_HA_PARTNERS HA: this server is server1 \\(hot-standby\\).*server2 \\(${HA_URL[s2]}\\)"
log_has s1 "ALPXE_HA_SAME on the primary" "ALPXE_HA_SAME HA partner server2 .* serves the same"
log_lacks s1 "no ALPXE_HA_DIFFERS" "ALPXE_HA_DIFFERS"
st=$(ha_status s2)
t_match "alpxe-status: this server, mode, partner" \
    '"ha": \{.*"mode": "hot-standby".*"name": "server1".*"role": "primary".*"state": "same".*"this-server": "server2"' \
    "$(echo $st)"

# ------------------------------------------- the primary goes down

ha_stop s1
start=$EPOCHREALTIME
if ha_wait s2 partner-down 20; then
    t_ok "the standby takes over: partner-down $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s after the primary stopped"
else
    t_fail "the standby takes over (partner-down)" "s2: $(ha_state s2)"
fi
for stage in PXE EFI IPXE; do
    declare -n opts=$stage
    want=$(decide "$CONF" -m "$MAC" "${opts[@]}")
    got=$(ask s2 -m "$MAC" "${opts[@]}" 2>&1)
    same_boot "the standby answers ${stage,,} with the core's answer" "$want" "$got"
done
ack2=$(ask s2 -d -X -x 0x51e7 -m "$MAC" "${IPXE[@]}" 2>&1)
t_eq "the standby's ACK is byte-identical to the primary's" "$ack1" "$ack2"
log_has s2 "the standby's hook answered (ALPXE_ANSWER)" "ALPXE_ANSWER .*mac $MAC, stage ipxe"
for i in 0 1 2 3 4 5 6 7 8 9; do
    m=02:00:00:00:00:2$i
    want=$(decide "$CONF" -m "$m" "${IPXE[@]}")
    got=$(ask s2 -m "$m" "${IPXE[@]}" 2>&1)
    [ "$(field file "$want")" = "$(field file "$got")" ] || break
done
t_eq "the standby answers 10 more hosts each with its own script URL" 9 "$i"
NEW=02:00:00:00:00:30
got=$(ask s2 -d -m "$NEW" "${IPXE[@]}" 2>&1)
t_eq "the standby leases an address to a new machine" "$HTTP_SCRIPT/$NEW/gpxe-script" \
    "$(field file "$got")"

# ------------------------------------------------- and comes back

ha_start s1
if ha_wait s1 hot-standby 30 && ha_wait s2 hot-standby 10; then
    t_ok "the primary comes back: both in hot-standby again"
else
    t_fail "the primary comes back: both in hot-standby again" "s1: $(ha_state s1), s2: $(ha_state s2)"
fi
want=$(decide "$CONF" -m "$MAC" "${IPXE[@]}")
got=$(ask s1 -m "$MAC" "${IPXE[@]}" 2>&1)
same_boot "the primary answers again" "$want" "$got"
if grep -qi "$NEW" "$T_TMP/s1/leases.csv"; then
    t_ok "the primary synced the lease the standby gave meanwhile"
else
    t_fail "the primary synced the lease the standby gave meanwhile" "$(tail -3 "$T_TMP/s1/leases.csv")"
fi

for s in s1 s2; do
    kea_alive $s && t_ok "$s still running" || t_fail "$s still running"
    log_lacks $s "$s: no ALPXE error" "ALPXE_(PACKET_ERROR|LOAD_FAILED|NO_CONFIG)"
done

t_done
