#!/bin/bash
# tests/kea/kea-agent.sh - `alpxe status` and `alpxe reload` reaching
# kea-dhcp4 through a real kea-ctrl-agent (kea_peer = http://...), the way
# they reach each Kea of an HA pair, and every way that can go wrong.
#
#   - basic authentication: user:password@ in the URL is sent, and the
#     password is never printed (shown as ***); without one, or with
#     another, the HTTP 401 is explained;
#   - the agent up and kea-dhcp4 behind it down reads "not running", as a
#     control socket nothing listens on, not "does not know alpxe-status";
#   - nothing on the port: not running; https:// to a plain-HTTP agent and
#     to an agent whose certificate is not trusted: an error naming the
#     URL, in the time asked.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kea-lib.sh"

KEA_CA=${KEA_CA:-$(command -v kea-ctrl-agent || echo /usr/sbin/kea-ctrl-agent)}
ALPXE=$T_BUILD/alpxe
if [ ! -x "$KEA_CA" ]; then
    t_skip "kea-ctrl-agent" "missing: $KEA_CA (package kea-ctrl-agent)"
    t_done
    exit
fi

t_tmpdir >/dev/null
CONF=$T_TMP/alpxe.conf
PASSWORD=s3cret-$$
PORT=$(t_port tcp)
URL=http://127.0.0.1:$PORT/
AUTH_URL=http://admin:$PASSWORD@127.0.0.1:$PORT/
SHOWN="http://admin:\\*\\*\\*@127.0.0.1:$PORT/"

cat >"$CONF" <<EOF
[server]
address = 10.0.0.28
http    = http://10.0.0.28/pxe

[profile lts]
kernel = boot/vmlinuz-lts
initrd = boot/initramfs-lts

[host pc1]
mac     = 52:54:00:12:34:56
profile = lts

[reload]
kea_peer  = $AUTH_URL
nginx_pid = $T_TMP/none.pid
tftpd_pid = $T_TMP/none.pid
remap     = $T_TMP/tftpd.remap
nginx_last_good = $T_TMP/none.conf
EOF

# agent_start [TLS-JSON-MEMBERS]: kea-ctrl-agent on PORT, in front of the
# hook instance's control socket, with basic authentication.
agent_start() {
    cat >"$T_TMP/ca.json" <<EOF
{ "Control-agent": {
  "http-host": "127.0.0.1", "http-port": $PORT, ${1:-}
  "authentication": { "type": "basic", "realm": "kea",
      "clients": [ { "user": "admin", "password": "$PASSWORD" } ] },
  "control-sockets": { "dhcp4": { "socket-type": "unix",
      "socket-name": "$T_TMP/hook/kea.sock" } },
  "loggers": [ { "name": "kea-ctrl-agent", "severity": "WARN",
      "output_options": [ { "output": "$T_TMP/ca.log" } ] } ]
} }
EOF
    KEA_PIDFILE_DIR=$T_TMP KEA_LOCKFILE_DIR=$T_TMP KEA_LOGGER_DESTINATION=$T_TMP/ca-early.log \
        "$KEA_CA" -c "$T_TMP/ca.json" >"$T_TMP/ca.out" 2>&1 &
    CA_PID=$!
    t_track "$CA_PID"
    t_wait_for 10 sh -c "ss -H -ltn 'sport = :$PORT' | grep -q ."
}

# status [CONF]: alpxe status's output in $out, its exit status in $rc.
status() {
    rc=0
    out=$("$ALPXE" -c "${1:-$CONF}" status 2>&1) || rc=$?
}

# with_peer URL: the configuration with that kea_peer instead.
with_peer() {
    sed "s|^kea_peer .*|kea_peer  = $1|" "$CONF" >"$T_TMP/peer.conf"
    echo "$T_TMP/peer.conf"
}

kea_conf hook "{ \"config\": \"$CONF\" }"
if ! kea_start hook; then
    t_fail "kea-dhcp4 with the hook starts" "$(kea_log hook | tail -20)"
    t_done
    exit
fi
if agent_start; then
    t_ok "kea-ctrl-agent with basic authentication starts"
else
    t_fail "kea-ctrl-agent with basic authentication starts" "$(cat "$T_TMP/ca.out" "$T_TMP/ca-early.log" 2>/dev/null)"
    t_done
    exit
fi
sha=$(sha256sum "$CONF" | cut -c1-12)

# --- through the agent, with its user and password -------------------------
status
t_match "status through the agent: kea serves the file" \
    "^kea $SHOWN +serves the file as it is \\(sha256 $sha" "$out"
t_nomatch "status: the password is never printed" "$PASSWORD" "$out"
echo "# changed" >>"$CONF"
sha=$(sha256sum "$CONF" | cut -c1-12)
out=$("$ALPXE" -c "$CONF" reload 2>&1)
t_match "reload through the agent: reloaded" "^kea $SHOWN: reloaded" "$out"
t_nomatch "reload: the password is never printed" "$PASSWORD" "$out"
log_has hook "the hook took alpxe-reload from the agent" "ALPXE_LOAD reload: loaded $CONF"
status
t_match "status through the agent: the changed file is served" \
    "^kea $SHOWN +serves the file as it is \\(sha256 $sha" "$out"

# --- no user, another user --------------------------------------------------
status "$(with_peer "$URL")"
t_match "no user and password: the 401 explained" \
    "cannot be asked: $URL: HTTP 401 \\(the agent wants a user and password: http://USER:PASSWORD@HOST:PORT/\\)" "$out"
status "$(with_peer "http://admin:wrong@127.0.0.1:$PORT/")"
t_match "another password: the 401 explained" \
    "HTTP 401 \\(the agent takes another user and password\\)" "$out"
t_nomatch "... and that password is not printed either" "wrong" "$out"

# --- https:// to a plain-HTTP agent -----------------------------------------
start=$SECONDS
status "$(with_peer "https://admin:$PASSWORD@127.0.0.1:$PORT/")"
t_match "https:// to a plain-HTTP agent: an error naming the URL" \
    "cannot be asked: https://admin:\\*\\*\\*@127.0.0.1:$PORT/: .*SSL" "$out"
t_eq "... in the time asked (5 s), not hanging" 1 "$((SECONDS - start <= 6))"

# --- kea-dhcp4 down behind the agent ---------------------------------------
kea_stop hook
status
t_match "kea-dhcp4 stopped behind the agent: not running, and why" \
    "^kea $SHOWN +not running; $SHOWN: the agent answers, kea-dhcp4 behind it does not: " "$out"
t_nomatch "... not taken for a Kea without the hook" "does not know alpxe-status" "$out"
out=$("$ALPXE" -c "$CONF" reload 2>&1)
t_match "reload with kea-dhcp4 stopped: not running" "^kea $SHOWN: not running" "$out"

# --- nothing on the port ----------------------------------------------------
t_stop "$CA_PID"
status
t_match "no agent on the port: not running, connection refused" \
    "^kea $SHOWN +not running; $SHOWN: Connection refused" "$out"

# --- https with a certificate nobody here trusts ---------------------------
if ! command -v openssl >/dev/null; then
    t_skip "https to an agent with an untrusted certificate" "missing: openssl"
elif ! openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 -keyout "$T_TMP/ca.key" \
        -out "$T_TMP/ca.crt" >"$T_TMP/openssl.out" 2>&1; then
    t_fail "openssl makes a self-signed certificate" "$(cat "$T_TMP/openssl.out")"
else
    kea_start hook
    if agent_start "\"trust-anchor\": \"$T_TMP/ca.crt\", \"cert-file\": \"$T_TMP/ca.crt\",
        \"key-file\": \"$T_TMP/ca.key\", \"cert-required\": false,"; then
        status "$(with_peer "https://admin:$PASSWORD@127.0.0.1:$PORT/")"
        t_match "https to an agent with an untrusted certificate: the certificate named" \
            "cannot be asked: https://admin:\\*\\*\\*@127.0.0.1:$PORT/: .*certificate" "$out"
        status
        t_match "http:// to that https agent: an error, not an answer" \
            "^kea $SHOWN +serves no version of alpxe.conf; cannot be asked: " "$out"
    else
        t_fail "kea-ctrl-agent with TLS starts" "$(cat "$T_TMP/ca.out" "$T_TMP/ca.log" 2>/dev/null)"
    fi
fi

t_done
