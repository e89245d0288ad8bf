#!/bin/bash
# tests/ha/tls.sh - the hooks of a Kea HA pair whose HA traffic is TLS.
#
# libdhcp_ha.so turns TLS on with trust-anchor, cert-file and key-file
# (here at the relationship's level) and keeps http:// in the peers'
# URLs; the kea-ctrl-agents serve TLS and require a client certificate.
# The hooks must ask their partner the way HA does (https, this server's
# certificate, the peer's chain checked against the trust anchor):
#   - the pair reaches hot-standby (Kea's own HA over TLS);
#   - ALPXE_HA_PARTNERS says each partner is asked over TLS;
#   - both hooks find their partner serving the same file, with no
#     ALPXE_HA_UNCHECKED on the way;
#   - alpxe status listing the standby at https:// shows it once;
#   - one server reloads a changed copy: both hooks see it differ.

. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/kea/kea-lib.sh"
. "$T_ROOT/tests/ha/ha-lib.sh"

missing=$(ha_missing)
command -v openssl >/dev/null || missing="$missing openssl"
if [ -n "$missing" ]; then
    t_skip "a Kea HA pair over TLS" "missing: $(echo $missing)"
    t_done
    exit
fi

# A private CA, and one certificate for 127.0.0.1 that both servers show,
# as server (their agents) and as client (HA's and the hooks' requests).
pki=$T_TMP/pki
mkdir -p "$pki"
if ! {
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=alpxe-test-ca \
        -keyout "$pki/ca.key" -out "$pki/ca.crt" &&
    openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 \
        -keyout "$pki/kea.key" -out "$pki/kea.csr" &&
    printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' \
        >"$pki/ext" &&
    openssl x509 -req -in "$pki/kea.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
        -CAcreateserial -days 2 -extfile "$pki/ext" -out "$pki/kea.crt"
} >"$pki/openssl.out" 2>&1; then
    t_fail "openssl makes a CA and a certificate" "$(cat "$pki/openssl.out")"
    t_done
    exit
fi
tls="\"trust-anchor\": \"$pki/ca.crt\", \"cert-file\": \"$pki/kea.crt\",
    \"key-file\": \"$pki/kea.key\","
HA_TLS=$tls
CA_TLS="$tls \"cert-required\": true,"
HA_CHECK=4

CONF=$T_TMP/alpxe.conf
"$T_ROOT/tests/bench/gen-config" 20 http://10.0.0.28/pxe >"$CONF"
ha_pair hot-standby
if ha_start s1 && ha_start s2 && ha_wait s1 hot-standby 30 && ha_wait s2 hot-standby 10; then
    t_ok "a hot-standby pair whose HA traffic is TLS"
else
    t_fail "a hot-standby pair whose HA traffic is TLS" "s1: $(ha_state s1), s2: $(ha_state s2)" \
        "$(cat "$T_TMP/s1/ca.log" "$T_TMP/s2/ca.log" 2>/dev/null | tail -5)"
    t_done
    exit
fi

if ha_wait_partner s1 same 15 && ha_wait_partner s2 same 5; then
    t_ok "both hooks reach their partner over TLS: the same file"
else
    t_fail "both hooks reach their partner over TLS: the same file" \
        "$(ha_status s1)" "$(ha_status s2)"
fi
log_has s1 "ALPXE_HA_PARTNERS says the partner is asked over TLS" \
    "ALPXE_HA_PARTNERS .*server2 \\(${HA_URL[s2]}, TLS\\)"
log_lacks s1 "server1's hook: no ALPXE_HA_UNCHECKED" "ALPXE_HA_UNCHECKED"
log_lacks s2 "server2's hook: no ALPXE_HA_UNCHECKED" "ALPXE_HA_UNCHECKED"

# alpxe status with server2 listed at https:// (HA's URL says http://):
# still one row for it.  Its agent's CA is not the system's, so the
# command cannot ask it itself.
{
    cat "$CONF"
    printf '\n[reload]\nkea_peer = %s\nkea_peer = https://%s\n' \
        "$T_TMP/s1/kea.sock" "${HA_URL[s2]#http://}"
    printf 'nginx_pid = %s/none.pid\ntftpd_pid = %s/none.pid\n' "$T_TMP" "$T_TMP"
} >"$T_TMP/status.conf"
out=$("$ALPXE" -c "$T_TMP/status.conf" status 2>&1)
t_eq "alpxe status, server2 at https://: two Kea rows, not three" 2 \
    "$(printf '%s\n' "$out" | grep -c '^kea ')"
t_match "... server2's named, and why it cannot be asked from here" \
    "^kea server2 .*cannot be asked: https://127.0.0.1:.*certificate" "$out"

echo "# changed" >>"$T_TMP/s2/alpxe.conf"
t_match "the standby reloads a changed copy" '"result": 0' "$(ctrl s2 alpxe-reload)"
if ha_wait_partner s2 differs 15 && ha_wait_partner s1 differs 5; then
    t_ok "both hooks: the partner serves ANOTHER file (asked over TLS)"
else
    t_fail "both hooks: the partner serves ANOTHER file (asked over TLS)" \
        "$(ha_status s1)" "$(ha_status s2)"
fi

for s in s1 s2; do
    kea_alive "$s" && t_ok "$s still running" || t_fail "$s still running"
done
t_done
