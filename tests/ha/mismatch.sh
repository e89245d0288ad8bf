#!/bin/bash
# tests/ha/mismatch.sh - the two servers of a pair serve different files.
#
# Each server of a Kea HA pair reads its own copy of alpxe.conf; give one
# of them another version and a machine's boot depends on which server
# answers it.  The hot-standby pair of tests/ha/hot-standby.sh, whose
# alpxe.conf lists both kea-ctrl-agents as [reload] kea_peer, with the
# hooks checking every 4 s ("ha-check"):
#   - the standby reloads a changed copy: both hooks log ALPXE_HA_DIFFERS
#     (the standby when it asks, the primary when it is told);
#   - alpxe status warns, exits 1, with kea_peer and (the partner found
#     through the hook's HA configuration) without it;
#   - alpxe reload reaches both peers, and fails while the copies differ;
#   - the same file on both and alpxe reload: ALPXE_HA_SAME, status ok;
#   - a partner restarted without alpxe's hook: ALPXE_HA_NO_ALPXE.

. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/kea/kea-lib.sh"
. "$T_ROOT/tests/ha/ha-lib.sh"

missing=$(ha_missing)
if [ -n "$missing" ]; then
    t_skip "two peers with different alpxe.conf" "missing: $(echo $missing)"
    t_done
    exit
fi

HA_CHECK=4
HTTP=http://10.0.0.28/pxe
CONF=$T_TMP/alpxe.conf
ha_urls
{
    "$T_ROOT/tests/bench/gen-config" 20 "$HTTP"
    printf '\n[reload]\nkea_peer = %s\nkea_peer = %s\n' "${HA_URL[s1]}" "${HA_URL[s2]}"
    printf 'kea_socket = %s/none.sock\nnginx_pid = %s/none.pid\ntftpd_pid = %s/none.pid\n' \
        "$T_TMP" "$T_TMP" "$T_TMP"
    printf 'remap = %s/tftpd.remap\nnginx_last_good = %s/none.conf\n' "$T_TMP" "$T_TMP"
} >"$CONF"
out=$("$ALPXE" -c "$CONF" check 2>&1)
t_match "alpxe check takes two kea_peer lines" ': ok:' "$out"

ha_pair hot-standby
if ha_start s1 && ha_start s2 && ha_wait s1 hot-standby 30 && ha_wait s2 hot-standby 10; then
    t_ok "a hot-standby pair, the same alpxe.conf on both"
else
    t_fail "a hot-standby pair, the same alpxe.conf on both" "s1: $(ha_state s1), s2: $(ha_state s2)"
    t_done
    exit
fi
ha_wait_partner s1 same 15 && ha_wait_partner s2 same 5
t_eq "both hooks: the partner serves the same file" "same same" \
    "$(ha_partner_state s1) $(ha_partner_state s2)"
log_has s1 "ha-check is taken from the hook's parameters" "ALPXE_HA_PARTNERS .* every 4 s"

# status S1-FILE [ARGS]: alpxe status as the administrator of server1.
status() {
    local conf=$1 rc=0
    shift
    out=$("$ALPXE" -c "$conf" status "$@" 2>&1) || rc=$?
    status_rc=$rc
}
status "$T_TMP/s1/alpxe.conf"
t_eq "alpxe status: exit 0 while the peers agree" 0 "$status_rc"
t_match "alpxe status: one line per peer, each serving the file" \
    "kea server1 +serves the file as it is .*HA server1 \\(hot-standby\\).*kea server2 +serves the file as it is .*HA server2" \
    "$(echo $out)"
t_nomatch "alpxe status: no warning" "WARNING" "$out"

# --------------------------------------- the standby gets another file

sed -i '/^\[host h3\]/a loader_bios = ipxe.kpxe' "$T_TMP/s2/alpxe.conf"
IPXE=(-V PXEClient:Arch:00000:UNDI:002001 -a 0 -p 1,3,66,67)
t_eq "(the hazard: the two files answer h3's PXE ROM differently)" \
    "undionly.kpxe ipxe.kpxe" \
    "$(field file "$(decide "$T_TMP/s1/alpxe.conf" -m 02:00:00:00:00:03 "${IPXE[@]}")") $(field file "$(decide "$T_TMP/s2/alpxe.conf" -m 02:00:00:00:00:03 "${IPXE[@]}")")"
t_match "the standby reloads its changed copy" '"result": 0' "$(ctrl s2 alpxe-reload)"
if ha_wait_partner s2 differs 15 && ha_wait_partner s1 differs 5; then
    t_ok "both hooks: the partner serves ANOTHER file"
else
    t_fail "both hooks: the partner serves ANOTHER file" "$(ha_status s1)" "$(ha_status s2)"
fi
sha1=$(sha256sum <"$T_TMP/s1/alpxe.conf" | cut -c1-12)
sha2=$(sha256sum <"$T_TMP/s2/alpxe.conf" | cut -c1-12)
log_has s2 "standby: ALPXE_HA_DIFFERS (WARN) with both checksums" \
    "WARN +\\[kea-dhcp4.alpxe/.*ALPXE_HA_DIFFERS HA partner server1 \\(${HA_URL[s1]}\\) serves ANOTHER alpxe.conf \\(sha256 $sha1\\) than this server \\(sha256 $sha2\\)"
log_has s1 "primary: ALPXE_HA_DIFFERS too (told by the standby's question)" \
    "WARN +\\[kea-dhcp4.alpxe/.*ALPXE_HA_DIFFERS HA partner server2 .*\\(sha256 $sha2\\) than this server \\(sha256 $sha1\\)"
n=$(kea_log s1 | grep -c ALPXE_HA_DIFFERS)
sleep 5
t_match "the warning repeats at every check while they differ" "^[0-9]+$" \
    "$(m=$(kea_log s1 | grep -c ALPXE_HA_DIFFERS); [ "$m" -gt "$n" ] && echo "$m")"

status "$T_TMP/s1/alpxe.conf"
t_eq "alpxe status: exit 1 when the peers differ" 1 "$status_rc"
t_match "alpxe status: a WARNING naming both versions" \
    "WARNING: the Kea HA peers serve DIFFERENT versions of alpxe.conf \\(server1 sha256 $sha1, server2 sha256 $sha2\\)" "$out"
status "$T_TMP/s1/alpxe.conf" --json
t_match "alpxe status --json: ha.same false" '"same": false' "$out"

# Without kea_peer, the partner is found through the hook's HA settings.
sed '/^kea_peer/d; s|^kea_socket = .*|kea_socket = '"$T_TMP/s1/kea.sock"'|' \
    "$T_TMP/s1/alpxe.conf" >"$T_TMP/alone.conf"
status "$T_TMP/alone.conf"
t_match "alpxe status without kea_peer: the partner found through HA, the WARNING" \
    "kea server2 .*not in \\[reload\\] kea_peer.*WARNING: the Kea HA peers serve DIFFERENT" "$(echo $out)"

rc=0
out=$("$ALPXE" -c "$T_TMP/s1/alpxe.conf" reload 2>&1) || rc=$?
t_match "alpxe reload reaches both peers" \
    "kea ${HA_URL[s1]}: reloaded: .*kea ${HA_URL[s2]}: reloaded: " "$(echo $out)"
t_match "alpxe reload: FAILED, the peers serve different versions" \
    "kea: FAILED: the HA peers serve DIFFERENT versions" "$out"
t_eq "alpxe reload: exit 1" 1 "$rc"

# ------------------------------------------------- the same file again

cp "$T_TMP/s1/alpxe.conf" "$T_TMP/s2/alpxe.conf"
rc=0
out=$("$ALPXE" -c "$T_TMP/s1/alpxe.conf" reload 2>&1) || rc=$?
t_eq "the same file on both, alpxe reload: exit 0" 0 "$rc"
t_nomatch "alpxe reload: no FAILED line" "FAILED" "$out"
if ha_wait_partner s1 same 15 && ha_wait_partner s2 same 5; then
    t_ok "both hooks: the partner serves the same file again"
else
    t_fail "both hooks: the partner serves the same file again" "$(ha_status s1)"
fi
log_has s1 "ALPXE_HA_SAME once they agree again" "ALPXE_HA_SAME HA partner server2 .*sha256 $sha1"
status "$T_TMP/s1/alpxe.conf"
t_eq "alpxe status: exit 0 again" 0 "$status_rc"

# ------------------------------------- a listed peer that cannot be asked

# server2 stopped: its kea_peer line cannot be asked, and server1's hook
# names it as its partner.  One row, as server1's hook last saw it.
ha_stop s2
status "$T_TMP/s1/alpxe.conf"
t_eq "alpxe status, server2 stopped: one row for it, not two" 1 \
    "$(printf '%s\n' "$out" | grep -c '^kea \(server2\|http.*'"${HA_URL[s2]##*:}"'\) ')"
# server1's hook forgets what server2 served at its next check (ha-check,
# 4 s here): until then the row shows what it last saw.  Its state after
# the status says which of the two the status could have seen.
if [ "$(ha_partner_state s1)" = same ]; then
    t_match "alpxe status, server2 stopped: its row as server1's hook saw it" \
        "kea server2 +serves the file as it is \\(sha256 .*as server1's hook saw it at .*not reachable from here" \
        "$out"
else
    t_match "alpxe status, server2 stopped: its row named, as last seen or not running" \
        "kea server2 +(serves the file as it is \\(sha256 .*as server1's hook saw it at|not running; ${HA_URL[s2]}: Connection refused)" \
        "$out"
fi

# ----------------------------------------- a partner without the hook

HA_NO_ALPXE=1 ha_kea_conf s2 server2 hot-standby standby
ha_start s2
ha_wait s2 hot-standby 30
if t_wait_for 20 sh -c "cat '$T_TMP/s1/kea.log' | grep -q ALPXE_HA_NO_ALPXE"; then
    t_ok "a partner restarted without alpxe's hook: ALPXE_HA_NO_ALPXE on the primary"
else
    t_fail "a partner restarted without alpxe's hook: ALPXE_HA_NO_ALPXE on the primary" "$(ha_status s1)"
fi
log_has s1 "the warning says what it means" \
    "WARN .*ALPXE_HA_NO_ALPXE HA partner server2 .* runs Kea without alpxe .*: network-boot clients it answers get no boot answer"
status "$T_TMP/s1/alpxe.conf"
t_match "alpxe status: server2 does not know alpxe-status" \
    "kea server1 +serves the file as it is.*kea server2 +serves no version of alpxe.conf.*does not know alpxe-status" \
    "$(echo $out)"
t_eq "alpxe status: exit 1" 1 "$status_rc"

for s in s1 s2; do
    kea_alive $s && t_ok "$s still running" || t_fail "$s still running"
done
log_lacks s1 "no ALPXE error" "ALPXE_(PACKET_ERROR|LOAD_FAILED|NO_CONFIG)"
t_done
