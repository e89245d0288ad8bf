#!/bin/bash
# tests/apparmor/run.sh - the Kea hook under Debian 12's AppArmor profile
# for kea-dhcp4, exactly as shipped.
#
# Debian enforces /etc/apparmor.d/usr.sbin.kea-dhcp4 by default; it lets
# Kea read /etc/kea/** and write only its lease file's siblings, logs, pid,
# lock and socket, and it has no local/ include to add to.  These machines'
# kernels cannot enforce AppArmor, so this suite proves the hook fits the
# profile another way:
#
#   1. the profile is the one the kea-dhcp4-server package ships, expanded
#      by apparmor_parser -p (its includes and abstractions inlined);
#   2. aa-allows, a checker of the profile's file rules, is itself checked
#      on paths the profile plainly allows and denies;
#   3. kea-dhcp4 runs, with and without the hook, under strace, in a
#      private mount namespace that lays out Debian's paths (alpxe.conf in
#      /etc/kea/alpxe, where /etc/alpxe links to; the hook in Kea's hooks
#      directory; the last good copy in /var/lib/kea): a load, a broken
#      alpxe.conf and config-reload (the copy is read), alpxe-reload and
#      alpxe-status.  Every file the hook's run opens, renames or removes
#      that the plain run does not is checked against the profile, with the
#      access it asked for.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../kea/kea-lib.sh"

PROFILE=/etc/apparmor.d/usr.sbin.kea-dhcp4
AA=$T_BUILD/tests/aa-allows
MA=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
HOOKS_DIR=/usr/lib/$MA/kea/hooks

if [ "$(dpkg -S "$PROFILE" 2>/dev/null | cut -d: -f1)" != kea-dhcp4-server ]; then
    t_fail "the profile is kea-dhcp4-server's" "$(dpkg -S "$PROFILE" 2>&1)"
    t_done
    exit
fi
t_ok "the profile is the one kea-dhcp4-server ships ($PROFILE)"
if ! apparmor_parser -p "$PROFILE" >"$T_TMP/profile" 2>"$T_TMP/parser.err"; then
    t_fail "apparmor_parser -p expands it" "$(cat "$T_TMP/parser.err")"
    t_done
    exit
fi
t_ok "apparmor_parser -p expands it ($(wc -l <"$T_TMP/profile") lines)"
t_nomatch "it has no local/ include to add rules to" "include.*local/" \
    "$(grep -v '^#' "$PROFILE")"

# --- the checker, on what the profile plainly says ---------------------
# allowed PERMS:PATH... / denied PERMS:PATH...
allowed() {
    local out
    out=$("$AA" "$T_TMP/profile" kea-dhcp4 "$@")
    t_eq "aa-allows: the profile allows $*" 0 $?
}
denied() {
    local p
    for p in "$@"; do
        if "$AA" "$T_TMP/profile" kea-dhcp4 "$p" >/dev/null; then
            t_fail "aa-allows: the profile denies $p"
        else
            t_ok "aa-allows: the profile denies $p"
        fi
    done
}
allowed r:/etc/kea/kea-dhcp4.conf r:/etc/kea/sub/dir/file rw:/var/lib/kea/kea-leases4.csv \
    rw:/var/lib/kea/kea-leases4.csv.2 w:/run/kea/kea4-ctrl-socket mr:/usr/lib/$MA/libc.so.6
denied w:/etc/kea/kea-dhcp4.conf r:/etc/alpxe/alpxe.conf w:/var/lib/kea/other.csv \
    w:/var/lib/alpxe/nginx-last-good.conf r:/root/secret w:/tmp/kea4-ctrl-socket.x

# --- the hook's own files, by strace ----------------------------------
if ! command -v strace >/dev/null || ! command -v unshare >/dev/null; then
    t_fail "strace and unshare are installed (make deps)"
    t_done
    exit
fi

# run_kea NAME WITH-HOOK: kea-dhcp4 in a private mount namespace with
# Debian's paths, under strace; the trace in $T_TMP/NAME.trace.
run_kea() {
    local name=$1 with=$2 d=$T_TMP/$1 port rport hooks=
    mkdir -p "$d/etc-kea/alpxe" "$d/var-lib-kea" "$d/hooks"
    cp "$T_ROOT/tests/data/example.conf" "$d/etc-kea/alpxe/alpxe.conf"
    install -m 0644 "$HOOK" "$d/hooks/libdhcp_alpxe.so"
    port=$(t_port udp)
    rport=$(t_port udp)
    [ "$with" = 1 ] && hooks='"hooks-libraries": [ { "library":
        "'"$HOOKS_DIR"'/libdhcp_alpxe.so",
        "parameters": { "config": "/etc/kea/alpxe/alpxe.conf" } } ],'
    cat >"$d/etc-kea/kea-dhcp4.conf" <<EOF
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "lo" ], "dhcp-socket-type": "udp" },
  "control-socket": { "socket-type": "unix", "socket-name": "$d/kea.sock" },
  "lease-database": { "type": "memfile", "persist": true,
                      "name": "$d/leases.csv", "lfc-interval": 0 },
  $hooks
  $KEA_SUBNET,
  "loggers": [ { "name": "kea-dhcp4",
      "output_options": [ { "output": "$d/kea.log" } ], "severity": "INFO" } ]
} }
EOF
    # The script the namespace runs: Debian's paths, Kea under strace, the
    # commands, a broken file and a reload, then Kea stopped by its pid.
    cat >"$d/inside.sh" <<EOF
set -e
mount -t tmpfs none /etc/kea
cp -a "$d/etc-kea/." /etc/kea/
# the package makes /var/lib/kea at its first start; a tmpfs over
# /var/lib in here when it is not there yet
[ -d /var/lib/kea ] || { mount -t tmpfs none /var/lib; mkdir /var/lib/kea; }
mount -t tmpfs none /var/lib/kea
mount --bind "$d/hooks" "$HOOKS_DIR"
KEA_PIDFILE_DIR=$d KEA_LOCKFILE_DIR=$d KEA_LOGGER_DESTINATION=$d/early.log \
    strace -f -qq -o "$d/trace" -e trace=open,openat,creat,rename,renameat,renameat2,unlink,unlinkat,mkdir,mkdirat \
    "$KEA_DHCP4" -c /etc/kea/kea-dhcp4.conf -p $port -P $rport >"$d/kea.out" 2>&1 &
spid=\$!
for i in \$(seq 100); do grep -q DHCP4_STARTED "$d/kea.log" 2>/dev/null && break; sleep 0.1; done
"$CTRL" "$d/kea.sock" '{ "command": "alpxe-status" }' >"$d/status.out" || true
"$CTRL" "$d/kea.sock" '{ "command": "alpxe-reload" }' >"$d/reload.out" || true
printf '[server\n' >>/etc/kea/alpxe/alpxe.conf
"$CTRL" "$d/kea.sock" '{ "command": "config-reload" }' >"$d/config-reload.out" || true
"$CTRL" "$d/kea.sock" '{ "command": "alpxe-status" }' >"$d/status2.out" || true
sleep 0.3
kill -TERM \$(pgrep -P \$spid) 2>/dev/null || true
wait \$spid || true
EOF
    unshare -m --propagation private bash "$d/inside.sh" >"$d/inside.out" 2>&1
}

run_kea plain 0
run_kea hook 1
t_match "with the hook: the file loaded" '"source": "file"' "$(cat "$T_TMP/hook/status.out")"
t_match "with the hook: after breaking it, the last good copy serves" \
    '"source": "last-good"' "$(cat "$T_TMP/hook/status2.out")"

# accesses TRACE: "PERMS:PATH" for each file operation of the trace.
accesses() {
    sed -nE \
        -e 's/^[0-9]+ +(open|openat)\((AT_FDCWD, )?"([^"]+)", ([A-Z_|]+).*\) = [0-9]+$/\4 \3/p' \
        -e 's/^[0-9]+ +(rename|renameat2?)\((AT_FDCWD, )?"([^"]+)", (AT_FDCWD, )?"([^"]+)".*\) = 0$/RENAME \3\nRENAME \5/p' \
        -e 's/^[0-9]+ +(unlink|unlinkat)\((AT_FDCWD, )?"([^"]+)".*\) = 0$/UNLINK \3/p' \
        "$1" |
    while read -r flags path; do
        case $flags in
            RENAME|UNLINK) echo "w:$path" ;;
            *O_RDWR*) echo "rw:$path" ;;
            *O_WRONLY*|*O_CREAT*) echo "w:$path" ;;
            *) case $path in
                   *.so|*.so.*) echo "mr:$path" ;;
                   *) echo "r:$path" ;;
               esac ;;
        esac
    done | LC_ALL=C sort -u
}
accesses "$T_TMP/plain/trace" >"$T_TMP/plain.acc"
accesses "$T_TMP/hook/trace" >"$T_TMP/hook.acc"
# the hook's own: what the plain run never did, but the test's private
# files (the Kea instance's own log, socket, pid and lease paths)
LC_ALL=C comm -13 "$T_TMP/plain.acc" "$T_TMP/hook.acc" |
    grep -v ":$T_TMP/" >"$T_TMP/hook-only.acc"

for want in r:/etc/kea/alpxe/alpxe.conf mr:$HOOKS_DIR/libdhcp_alpxe.so \
        w:/var/lib/kea/kea-leases4.csv.alpxe-last-good.tmp \
        w:/var/lib/kea/kea-leases4.csv.alpxe-last-good \
        r:/var/lib/kea/kea-leases4.csv.alpxe-last-good; do
    if grep -qxF "$want" "$T_TMP/hook-only.acc"; then
        t_ok "strace sees the hook do $want"
    else
        t_fail "strace sees the hook do $want" "$(cat "$T_TMP/hook-only.acc")"
    fi
done

mapfile -t acc <"$T_TMP/hook-only.acc"
out=$("$AA" "$T_TMP/profile" kea-dhcp4 "${acc[@]}")
rc=$?
t_eq "every file the hook opens, renames or removes is allowed by the profile (${#acc[@]} accesses)" 0 "$rc"
printf '%s\n' "$out" | sed 's/^/# /'
t_nomatch "... none DENIED" "DENIED" "$out"
t_done
