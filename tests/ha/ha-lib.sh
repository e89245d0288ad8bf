# tests/ha/ha-lib.sh - a Kea high-availability pair on loopback, with alpxe.
#
# Sourced by the tests/ha suites after tests/lib.sh and tests/kea/kea-lib.sh.
# Two kea-dhcp4 instances, s1 and s2, each with Kea's libdhcp_lease_cmds.so
# and libdhcp_ha.so and alpxe's hook, as an administrator would set them
# up: each has its own copy of alpxe.conf ($T_TMP/sN/alpxe.conf) and its
# own kea-ctrl-agent (caN), whose URL is the peer's URL in HA's
# configuration.  Multi-threaded pairs use HA's dedicated listener inside
# kea-dhcp4 instead of the agents.  Everything is on 127.0.0.1 with random
# ports; processes are stopped by pid (tests/lib.sh).

HA_HOOKS_DIR=${HA_HOOKS_DIR:-/usr/lib/x86_64-linux-gnu/kea/hooks}
KEA_CA=${KEA_CA:-$(command -v kea-ctrl-agent || echo /usr/sbin/kea-ctrl-agent)}
ALPXE=$T_BUILD/alpxe
declare -A HA_URL CA_PID

# ha_missing: what this machine lacks for an HA pair, one per line.
ha_missing() {
    local f
    for f in "$HA_HOOKS_DIR/libdhcp_ha.so" "$HA_HOOKS_DIR/libdhcp_lease_cmds.so"; do
        [ -f "$f" ] || echo "$f (kea-common)"
    done
    [ -x "$KEA_CA" ] || echo "kea-ctrl-agent (make deps)"
    for f in "$HOOK" "$CLIENT" "$CTRL" "$ALPXE" "$T_BUILD/tests/dhcp-pair"; do
        [ -x "$f" ] || [ -f "$f" ] || echo "$f (make all test-programs)"
    done
}

# HA_SUBNET: the "subnet4" (and classes) of both servers; default
# kea-lib.sh's KEA_SUBNET (151 addresses).

# ha_pair MODE [mt]: configuration for s1 (primary) and s2 (standby in
# hot-standby, secondary in load-balancing), both serving their own copy
# of $CONF.  Timers are short, so that a failover takes seconds:
# heartbeat every second, the partner down after 2 s without an answer.
ha_pair() {
    local mode=$1 mt=${2:-} role2=standby i
    [ "$mode" = load-balancing ] && role2=secondary
    ha_urls
    for i in 1 2; do
        mkdir -p "$T_TMP/s$i"
        cp "$CONF" "$T_TMP/s$i/alpxe.conf"
    done
    for i in 1 2; do
        ha_kea_conf "s$i" "server$i" "$mode" "$role2" "$mt"
        [ -n "$mt" ] || ha_ca_conf "s$i"
    done
}

# ha_urls: choose the peers' URLs (ports), once; a suite may call it
# before ha_pair to write them into $CONF.
ha_urls() {
    local i
    for i in 1 2; do
        [ -n "${HA_URL[s$i]:-}" ] || HA_URL[s$i]=http://127.0.0.1:$(t_port tcp)/
    done
}

# ha_kea_conf NAME THIS-SERVER MODE ROLE2 [mt]
# HA_NO_ALPXE=1: without alpxe's hook (a partner someone forgot).
# HA_TLS: JSON members for the relationship (TLS: trust-anchor, cert-file,
# key-file), each followed by a comma.
ha_kea_conf() {
    local name=$1 this=$2 mode=$3 role2=$4 mt=${5:-} d=$T_TMP/$1 mtjson='' hamt=''
    local alpxe=", { \"library\": \"$HOOK\", \"parameters\": { \"config\": \"$d/alpxe.conf\",
        \"last-good\": \"$d/last-good\", \"ha-check\": ${HA_CHECK:-60} } }"
    [ -n "${HA_NO_ALPXE:-}" ] && alpxe=
    if [ -n "$mt" ]; then
        mtjson='"multi-threading": { "enable-multi-threading": true,
            "thread-pool-size": 2, "packet-queue-size": 16 },'
        hamt=', "multi-threading": { "enable-multi-threading": true,
            "http-dedicated-listener": true, "http-listener-threads": 2,
            "http-client-threads": 2 }'
    fi
    cat >"$d/kea.json" <<EOF
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "lo" ], "dhcp-socket-type": "udp" },
  "control-socket": { "socket-type": "unix", "socket-name": "$d/kea.sock" },
  "lease-database": { "type": "memfile", "persist": true,
                      "name": "$d/leases.csv", "lfc-interval": 0 },
  "valid-lifetime": 3600,
  $mtjson
  "hooks-libraries": [
    { "library": "$HA_HOOKS_DIR/libdhcp_lease_cmds.so" },
    { "library": "$HA_HOOKS_DIR/libdhcp_ha.so", "parameters": {
        "high-availability": [ {
          "this-server-name": "$this",
          "mode": "$mode",
          "heartbeat-delay": 1000, "max-response-delay": 2000,
          "max-ack-delay": 1000, "max-unacked-clients": 0,
          ${HA_TLS:-}
          "peers": [
            { "name": "server1", "url": "${HA_URL[s1]}", "role": "primary" },
            { "name": "server2", "url": "${HA_URL[s2]}", "role": "$role2" } ]
          $hamt
        } ] } }
    $alpxe
  ],
  ${HA_SUBNET:-$KEA_SUBNET},
  "loggers": [
    { "name": "kea-dhcp4", "severity": "INFO",
      "output_options": [ { "output": "$d/kea.log", "flush": true } ] },
    { "name": "kea-dhcp4.alpxe", "severity": "DEBUG", "debuglevel": 40,
      "output_options": [ { "output": "$d/kea.log", "flush": true } ] } ]
} }
EOF
}

# ha_ca_conf NAME: kea-ctrl-agent for the instance, on its HA URL's port.
# CA_TLS: JSON members for the agent (its TLS), each followed by a comma.
ha_ca_conf() {
    local d=$T_TMP/$1 port
    port=${HA_URL[$1]##*:}
    port=${port%/}
    cat >"$d/ca.json" <<EOF
{ "Control-agent": {
  "http-host": "127.0.0.1", "http-port": $port, ${CA_TLS:-}
  "control-sockets": { "dhcp4": { "socket-type": "unix", "socket-name": "$d/kea.sock" } },
  "loggers": [ { "name": "kea-ctrl-agent", "severity": "WARN",
      "output_options": [ { "output": "$d/ca.log" } ] } ]
} }
EOF
}

# ha_start NAME: kea-dhcp4 (kea_start) and, when configured, its agent.
ha_start() {
    local d=$T_TMP/$1
    kea_start "$1" || return 1
    if [ -f "$d/ca.json" ]; then
        KEA_PIDFILE_DIR=$d KEA_LOCKFILE_DIR=$d KEA_LOGGER_DESTINATION=$d/ca-early.log \
            "$KEA_CA" -c "$d/ca.json" >"$d/ca.out" 2>&1 &
        CA_PID[$1]=$!
        t_track "${CA_PID[$1]}"
        local port=${HA_URL[$1]##*:}
        t_wait_for 10 sh -c "ss -H -ltn 'sport = :${port%/}' | grep -q ." || return 1
    fi
}

# ha_stop NAME: kea-dhcp4 and its agent, as a machine going down.
ha_stop() {
    kea_stop "$1"
    [ -n "${CA_PID[$1]:-}" ] && t_stop "${CA_PID[$1]}"
    return 0
}

# ha_state NAME: this server's HA state (ha-heartbeat), e.g. hot-standby.
ha_state() {
    ctrl "$1" ha-heartbeat | sed -n 's/.*"state": "\([^"]*\)".*/\1/p'
}

# ha_wait NAME STATE SECONDS: until the server is in STATE.
ha_wait() {
    local deadline=$((SECONDS + $3))
    while [ "$(ha_state "$1")" != "$2" ]; do
        [ $SECONDS -ge $deadline ] && return 1
        sleep 0.2
    done
}

# ha_status NAME: alpxe-status over the control socket.
ha_status() {
    ctrl "$1" alpxe-status
}

# ha_partner_state NAME: the hook's last word on its partner (same,
# differs, unreachable, no-alpxe, unchecked).
ha_partner_state() {
    ha_status "$1" | tr -d '\n' | sed -n 's/.*"partners": \[ *{[^]]*"state": "\([^"]*\)".*/\1/p'
}

# ha_wait_partner NAME STATE SECONDS
ha_wait_partner() {
    local deadline=$((SECONDS + $3))
    while [ "$(ha_partner_state "$1")" != "$2" ]; do
        [ $SECONDS -ge $deadline ] && return 1
        sleep 0.2
    done
}

# lb_server MAC: the server libdhcp_ha.so's load balancing gives a client
# without a client identifier: RFC 3074's hash over the hardware address
# (Kea's query_filter.cc, loadBalanceHash), modulo the two servers; 1 is
# the primary.
LB_TABLE=(
    251 175 119 215 81 14 79 191 103 49 181 143 186 157 0 232
    31 32 55 60 152 58 17 237 174 70 160 144 220 90 57 223
    59 3 18 140 111 166 203 196 134 243 124 95 222 179 197 65
    180 48 36 15 107 46 233 130 165 30 123 161 209 23 97 16
    40 91 219 61 100 10 210 109 250 127 22 138 29 108 244 67
    207 9 178 204 74 98 126 249 167 116 34 77 193 200 121 5
    20 113 71 35 128 13 182 94 25 226 227 199 75 27 41 245
    230 224 43 225 177 26 155 150 212 142 218 115 241 73 88 105
    39 114 62 255 192 201 145 214 168 158 221 148 154 122 12 84
    82 163 44 139 228 236 205 242 217 11 187 146 159 64 86 239
    195 42 106 198 118 112 184 172 87 2 173 117 176 229 247 253
    137 185 99 164 102 147 45 66 231 52 141 211 194 206 246 238
    56 110 78 248 63 240 189 93 92 51 53 183 19 171 72 50
    33 104 101 69 8 252 83 120 76 135 85 54 202 125 188 213
    96 235 136 208 162 129 190 132 156 38 47 1 7 254 24 4
    216 131 89 21 28 133 37 153 149 80 170 68 6 169 234 151
)
lb_server() {
    local hex=${1//:/} n i h b
    n=$((${#hex} / 2))
    h=$n
    for ((i = n - 1; i >= 0; i--)); do
        b=$((16#${hex:2*i:2}))
        h=${LB_TABLE[$((h ^ b))]}
    done
    echo $((h % 2 + 1))
}
