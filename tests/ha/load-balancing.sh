#!/bin/bash
# tests/ha/load-balancing.sh - alpxe on a Kea load-balancing pair.
#
# 200 hosts, each asked as a PXE ROM and as iPXE, at both servers at once
# (tests/tools/dhcp-pair): exactly one server answers each client, the one
# libdhcp_ha.so's hash of its MAC picks (RFC 3074, as Kea's
# query_filter.cc), and its answer is the core's for that MAC.  Then the
# secondary stops and the primary, in partner-down, answers all 200.

. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/kea/kea-lib.sh"
. "$T_ROOT/tests/ha/ha-lib.sh"

missing=$(ha_missing)
if [ -n "$missing" ]; then
    t_skip "Kea load-balancing pair" "missing: $(echo $missing)"
    t_done
    exit
fi

HOSTS=200
HTTP=http://10.0.0.28/pxe
CONF=$T_TMP/alpxe.conf
"$T_ROOT/tests/bench/gen-config" "$HOSTS" "$HTTP" >"$CONF"
awk '$1 == "mac" { print $3 }' "$CONF" >"$T_TMP/macs"
PAIR=$T_BUILD/tests/dhcp-pair

ha_pair load-balancing
if ha_start s1 && ha_start s2 && ha_wait s1 load-balancing 30 &&
    ha_wait s2 load-balancing 10; then
    t_ok "a load-balancing pair with alpxe on both"
else
    t_fail "a load-balancing pair with alpxe on both" "s1: $(ha_state s1), s2: $(ha_state s2)" \
        "$(kea_log s1 | grep -E 'ERROR|FATAL' | tail -3)"
    t_done
    exit
fi

# pair STAGE: dhcp-pair's lines for every host
pair() {
    "$PAIR" -s "$1" -w 2000 "${KEA_PORT[s1]}" "${KEA_RPORT[s1]}" \
        "${KEA_PORT[s2]}" "${KEA_RPORT[s2]}" <"$T_TMP/macs"
}

# judge STAGE LINES [ONLY-SERVER]: for each client, who answered against
# the hash (or ONLY-SERVER), and the answer against the core's.
judge() {
    local stage=$1 lines=$2 only=${3:-} mac a1 a2 want got who exp
    local wrong_server=0 both=0 none=0 wrong_answer=0 n1=0 n2=0 first=
    while read -r mac a1 a2; do
        if [ "$a1" != - ] && [ "$a2" != - ]; then
            both=$((both + 1)); continue
        elif [ "$a1" = - ] && [ "$a2" = - ]; then
            none=$((none + 1)); continue
        fi
        who=1 got=$a1
        [ "$a1" = - ] && who=2 got=$a2
        exp=${only:-$(lb_server "$mac")}
        [ "$who" = "$exp" ] || wrong_server=$((wrong_server + 1))
        eval "n$who=\$((n$who + 1))"
        if [ "$stage" = ipxe ]; then
            want="127.0.0.1,$HTTP/$mac/gpxe-script"
        else
            want="127.0.0.1,undionly.kpxe"
        fi
        if [ "$got" != "$want" ]; then
            wrong_answer=$((wrong_answer + 1))
            [ -n "$first" ] || first="$mac: got $got, want $want"
        fi
    done <<<"$lines"
    t_eq "$stage: every client answered, by one server only" \
        "answered by both 0, by none 0" "answered by both $both, by none $none"
    if [ -n "$only" ]; then
        t_eq "$stage: all answered by server$only" "0" "$wrong_server"
    else
        t_eq "$stage: each by the server HA's hash of its MAC picks" 0 "$wrong_server"
        if [ "$n1" -gt 0 ] && [ "$n2" -gt 0 ]; then
            t_ok "$stage: both servers answer ($n1 / $n2)"
        else
            t_fail "$stage: both servers answer" "server1 $n1, server2 $n2"
        fi
    fi
    t_eq "$stage: each answer is the core's for that MAC" 0 "$wrong_answer"
    [ -z "$first" ] || echo "# first wrong: $first"
}

judge ipxe "$(pair ipxe)"
judge pxe "$(pair pxe)"
n=$(kea_log s1 | grep -c 'ALPXE_ANSWER') m=$(kea_log s2 | grep -c 'ALPXE_ANSWER')
t_eq "the hooks answered $((2 * HOSTS)) queries between them" $((2 * HOSTS)) $((n + m))

for s in s1 s2; do
    if ha_wait_partner $s same 15; then
        t_ok "$s's hook: its partner serves the same alpxe.conf"
    else
        t_fail "$s's hook: its partner serves the same alpxe.conf" "$(ha_status $s)"
    fi
done

ha_stop s2
if ha_wait s1 partner-down 20; then
    t_ok "the secondary stops: the primary goes to partner-down"
else
    t_fail "the secondary stops: the primary goes to partner-down" "s1: $(ha_state s1)"
fi
judge ipxe "$(pair ipxe)" 1

kea_alive s1 && t_ok "s1 still running" || t_fail "s1 still running"
log_lacks s1 "no ALPXE error" "ALPXE_(PACKET_ERROR|LOAD_FAILED|NO_CONFIG|HA_DIFFERS)"
t_done
