# tests/kea/kea-lib.sh - run private kea-dhcp4 instances and ask them.
#
# Sourced by the kea-*.sh suites after tests/lib.sh.  Each instance NAME
# lives in $T_TMP/NAME/ (kea.json, kea.log, leases, control socket, pid and
# lock files) and listens on 127.0.0.1 on a random port; the test client
# sends as the relay 127.0.0.2 and gets the answer on a second random port
# (kea-dhcp4 -P).  Instances are stopped by pid when the suite exits.

KEA_DHCP4=${KEA_DHCP4:-$(command -v kea-dhcp4 || echo /usr/sbin/kea-dhcp4)}
HOOK=$T_BUILD/libdhcp_alpxe.so
CLIENT=$T_BUILD/tests/dhcp-client
DECIDE=$T_BUILD/tests/dhcp-decide
CTRL=$T_BUILD/tests/kea-ctrl

declare -A KEA_PORT KEA_RPORT KEA_PID

# The subnet every instance serves, with Kea's own boot settings at three
# levels (subnet, client class, reservation) for the hook to override:
#   subnet:       next-server 10.0.0.99, boot-file-name kea-default.bin,
#                 options 66 kea-tftp / 67 kea-opt67.bin (sent on request),
#                 60 "PXEClient" always sent (as old PXE guides configure
#                 it; alpxe removes it from the answers it makes)
#   class "arch": clients sending option 93 get 10.0.0.98 / class.bin
#   reservations: 52:54:00:aa:bb:01 -> 10.0.0.50 (no boot settings),
#                 52:54:00:00:00:05 -> 10.0.0.51, 10.0.0.97 / resv.bin
KEA_SUBNET='
  "client-classes": [ { "name": "arch", "test": "option[93].exists",
      "next-server": "10.0.0.98", "boot-file-name": "class.bin" } ],
  "subnet4": [ {
    "id": 1, "subnet": "10.0.0.0/24",
    "pools": [ { "pool": "10.0.0.100-10.0.0.250" } ],
    "relay": { "ip-addresses": [ "127.0.0.2" ] },
    "next-server": "10.0.0.99", "boot-file-name": "kea-default.bin",
    "option-data": [ { "name": "tftp-server-name", "data": "kea-tftp" },
                     { "name": "boot-file-name", "data": "kea-opt67.bin" },
                     { "name": "vendor-class-identifier", "data": "PXEClient",
                       "always-send": true } ],
    "reservations": [
      { "hw-address": "52:54:00:aa:bb:01", "ip-address": "10.0.0.50" },
      { "hw-address": "52:54:00:00:00:05", "ip-address": "10.0.0.51",
        "next-server": "10.0.0.97", "boot-file-name": "resv.bin" } ]
  } ]'

# kea_conf NAME HOOK-PARAMS|none [EXTRA-JSON-MEMBERS]
#   HOOK-PARAMS: the "parameters" object of the alpxe hook, e.g.
#   '{"config": "/path/alpxe.conf"}', or none for Kea without the hook.
#   Unless it names one, the instance keeps its last good copy of
#   alpxe.conf in NAME/last-good, never in the system's /var/lib/kea.
kea_conf() {
    local name=$1 params=$2 extra=${3:-} d=$T_TMP/$1 hooks=''
    mkdir -p "$d"
    case $params in
        none|*'"last-good"'*) ;;
        *) params="{ \"last-good\": \"$d/last-good\", ${params#*\{}" ;;
    esac
    if [ "$params" != none ]; then
        hooks="\"hooks-libraries\": [ { \"library\": \"$HOOK\",
            \"parameters\": $params } ],"
    fi
    cat >"$d/kea.json" <<EOF
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "lo" ], "dhcp-socket-type": "udp" },
  "control-socket": { "socket-type": "unix", "socket-name": "$d/kea.sock" },
  "lease-database": { "type": "memfile", "persist": true,
                      "name": "$d/leases.csv", "lfc-interval": 0 },
  "valid-lifetime": 3600,
  $hooks
  $extra
  $KEA_SUBNET,
  "loggers": [ { "name": "kea-dhcp4",
      "output_options": [ { "output": "$d/kea.log" } ],
      "severity": "DEBUG", "debuglevel": 40 } ]
} }
EOF
}

# kea_start NAME: start the instance configured by kea_conf; returns 0
# once it serves, 1 if it exited (its exit status is then in KEA_RC).
# KEA_AS=(setpriv ...): the command that runs it as another user.
kea_start() {
    local name=$1 d=$T_TMP/$1 i
    KEA_PORT[$name]=$(t_port udp)
    KEA_RPORT[$name]=$(t_port udp)
    while [ "${KEA_RPORT[$name]}" = "${KEA_PORT[$name]}" ]; do
        KEA_RPORT[$name]=$(t_port udp)
    done
    : >"$d/kea.log"
    rm -f "$d/leases.csv"
    # Messages before the "loggers" section is applied go to early.log.
    KEA_PIDFILE_DIR=$d KEA_LOCKFILE_DIR=$d KEA_LOGGER_DESTINATION=$d/early.log \
        env $(t_daemon_env) ${KEA_AS[@]+"${KEA_AS[@]}"} "$KEA_DHCP4" \
        -c "$d/kea.json" -p "${KEA_PORT[$name]}" \
        -P "${KEA_RPORT[$name]}" >"$d/kea.out" 2>&1 &
    KEA_PID[$name]=$!
    t_track "${KEA_PID[$name]}"
    for i in $(seq 100); do
        if grep -q DHCP4_STARTED "$d/kea.log" 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "${KEA_PID[$name]}" 2>/dev/null; then
            wait "${KEA_PID[$name]}"
            KEA_RC=$?
            return 1
        fi
        sleep 0.1
    done
    KEA_RC=timeout
    return 1
}

kea_stop() {
    t_stop "${KEA_PID[$1]}"
}

kea_alive() {
    kill -0 "${KEA_PID[$1]}" 2>/dev/null
}

# kea_log NAME: everything the instance logged (early.log, then kea.log).
kea_log() {
    cat "$T_TMP/$1/early.log" "$T_TMP/$1/kea.log" 2>/dev/null
}

# log_has NAME TEST-NAME REGEX: the instance logged a line matching REGEX
# (on failure the last ALPXE lines are shown, not the whole debug log).
log_has() {
    if kea_log "$1" | grep -Eq -- "$3"; then
        t_ok "$2"
    else
        t_fail "$2" "no log line matches /$3/; last ALPXE lines:" \
            "$(kea_log "$1" | grep -E 'ALPXE|ERROR' | tail -5)"
    fi
}

# log_lacks NAME TEST-NAME REGEX
log_lacks() {
    local hits
    hits=$(kea_log "$1" | grep -E -- "$3" | head -5)
    if [ -z "$hits" ]; then
        t_ok "$2"
    else
        t_fail "$2" "unexpected log lines:" "$hits"
    fi
}

# ask NAME [dhcp-client options]: the reply, one field per line.
ask() {
    local name=$1
    shift
    "$CLIENT" -w "${ASK_TIMEOUT:-3000}" "$@" "${KEA_PORT[$name]}" \
        "${KEA_RPORT[$name]}"
}

# decide ALPXE-CONF [dhcp-client options]: the core's answer to that query.
decide() {
    local conf=$1
    shift
    "$CLIENT" -n "$@" | "$DECIDE" "$conf"
}

# ctrl NAME COMMAND: the JSON answer of a control-channel command.
ctrl() {
    "$CTRL" "$T_TMP/$1/kea.sock" "{ \"command\": \"$2\" }"
}

# field KEY TEXT: the value of KEY=... in a reply or a decision.
field() {
    printf '%s\n' "$2" | sed -n "s/^$1=//p"
}

# hex STRING: what dhcp-client prints for an option carrying STRING.
hex() {
    printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n'
}

# expected_fields DECISION PLAIN-REPLY REQUESTED-PRL: the boot fields of a
# reply carrying the core's decision.  What the decision leaves alone
# (siaddr when not set, and option 66 with it) is what Kea alone sends.  A
# file over 127 bytes leaves the BOOTP field empty and always travels in
# option 67.
expected_fields() {
    local d=$1 plain=$2 prl=$3 siaddr file opt66 opt67=
    siaddr=$(field siaddr "$d")
    opt66=$(field opt66 "$plain")
    if [ -z "$siaddr" ]; then
        siaddr=$(field siaddr "$plain")
    else
        case ",$prl," in *,66,*) opt66=$(hex "$siaddr") ;; esac
    fi
    file=$(field file "$d")
    case ",$prl," in *,67,*) opt67=$(hex "$file") ;; esac
    if [ ${#file} -gt 127 ]; then
        opt67=$(hex "$file")
        file=
    fi
    printf 'siaddr=%s file=%s opt60=%s opt66=%s opt67=%s opt175=%s ' \
        "$siaddr" "$file" "$(field opt60 "$d")" "$opt66" "$opt67" \
        "$(field opt175 "$d")"
}

# check NAME PRL [client options]: one query to the instances "hook" and
# "plain" (same Kea configuration, without the hook); the reply against the
# core's decision for $CONF (answered) or against Kea without the hook (not
# answered).  A query Kea drops must be dropped by both.  Leaves the reply
# in REPLY and the decision in WANT.
check() {
    local name=$1 prl=$2 plain prc=0 hrc=0
    shift 2
    [ -n "$prl" ] && set -- "$@" -p "$prl"
    WANT=$(decide "$CONF" "$@")
    plain=$(ask plain "$@" 2>/dev/null) || prc=$?
    REPLY=$(ask hook "$@" 2>/dev/null) || hrc=$?
    if [ $hrc -ne 0 ] || [ $prc -ne 0 ]; then
        # 3 is dhcp-client's "no answer"; anything else is a broken test.
        if [ $hrc -eq 3 ] && [ $prc -eq 3 ]; then
            t_ok "$name: dropped by Kea, with the hook as without"
        else
            t_fail "$name: the hook changes whether Kea answers" \
                "exit with the hook $hrc, without $prc"
        fi
        return
    fi
    if [ "$(field answer "$WANT")" = 1 ]; then
        t_eq "$name: the core's answer" \
            "$(expected_fields "$WANT" "$plain" "$prl")" \
            "$(boot_fields "$REPLY")"
    else
        t_eq "$name: untouched (= Kea without the hook)" \
            "$(boot_fields "$plain")" "$(boot_fields "$REPLY")"
    fi
}

# The fields the hook may change, as one line, for comparisons.
boot_fields() {
    local k
    for k in siaddr file opt60 opt66 opt67 opt175; do
        printf '%s=%s ' "$k" "$(field "$k" "$1")"
    done
}
