#!/bin/bash
# tests/install/run.sh - alpxe as a Debian admin installs it.
#
#   1. `make install DESTDIR=...` lays out exactly Debian's paths, keeps an
#      existing alpxe.conf, honours PREFIX; the manual pages render and
#      alpxe.conf(5) names every key the core accepts.
#   2. The installed module loads into Debian's nginx through its
#      modules-available snippet (nginx -t); kea-dhcp4 -t accepts a
#      configuration naming the installed hook.
#   3. `alpxe reload` (the installed one) switches a private kea-dhcp4 with
#      the installed hook, in.tftpd with alpxe-remap's rules and nginx with
#      the installed module to a new alpxe.conf; refuses a broken file and
#      touches nothing; reports servers not running, refusing, or not what
#      their pid file says.
#   4. `make deb` (once per run: it is the slow part) builds lintian-clean
#      packages whose files are make install's; dpkg installs them into a
#      throwaway root (maintainer scripts run chrooted there, under a
#      static busybox) and a purge leaves that root as it was.
#
# Daemons are private (own configs, sockets, pid files, loopback ports)
# and stopped by pid.  Nothing here touches the machine's /etc or /run.

. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/kea/kea-lib.sh"

NGINX=${NGINX:-/usr/sbin/nginx}
TFTPD=${TFTPD:-/usr/sbin/in.tftpd}
IPXE=/usr/lib/ipxe
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)

for f in "$KEA_DHCP4" "$NGINX" "$TFTPD" /usr/bin/tftp /usr/bin/curl \
         /bin/busybox /usr/bin/dpkg-buildpackage /usr/bin/lintian \
         /usr/bin/man /usr/bin/lexgrog "$IPXE/undionly.kpxe" \
         "$IPXE/ipxe.pxe" "$CLIENT" "$T_BUILD/alpxe"; do
    if [ ! -x "$f" ] && [ ! -f "$f" ]; then
        t_fail "prerequisite $f" "missing: run make deps and make first"
        t_done
        exit
    fi
done

tmp=$T_TMP
chmod 755 "$tmp"                # nginx workers and in.tftpd run as nobody

# `env` arguments for a server loading our plugins (tests/lib.sh's
# t_daemon_env preloads ASan under SANITIZE=1, where it exists).
daemon_env() {
    if declare -F t_daemon_env >/dev/null; then
        t_daemon_env
    fi
}

# run CMD...: sets $out (stdout), $err (stderr) and $rc
run() {
    out=$("$@" 2>"$tmp/err")
    rc=$?
    err=$(cat "$tmp/err")
}

# files DIR: the files and links under DIR, relative, sorted
files() {
    (cd "$1" && find . \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort)
}

EXPECTED="etc/alpxe
etc/kea/alpxe/alpxe.conf
etc/nginx/modules-enabled/50-mod-http-alpxe.conf
usr/lib/nginx/modules/ngx_http_alpxe_module.so
usr/lib/$MA/kea/hooks/libdhcp_alpxe.so
usr/sbin/alpxe
usr/sbin/alpxe-remap
usr/share/man/man5/alpxe.conf.5
usr/share/man/man8/alpxe-remap.8
usr/share/man/man8/alpxe.8
usr/share/nginx/modules-available/mod-http-alpxe.conf"

# ================================================== 1. make install
D=$tmp/dest
# the build this suite runs against (make test SANITIZE=1: build-asan/)
# B relative to the tree when the build is inside it: make cannot have a
# space in a target's name, and the checkout's path may have one.
MAKE_VARS=(${T_SANITIZE:+SANITIZE=1} "B=${T_BUILD#"$T_ROOT"/}")
run make -s -C "$T_ROOT" "${MAKE_VARS[@]}" install DESTDIR="$D"
t_eq "make install DESTDIR succeeds" 0 "$rc"
t_eq "make install lays out exactly Debian's paths" "$EXPECTED" "$(files "$D")"
t_eq "/etc/alpxe is a link to /etc/kea/alpxe (Kea's AppArmor profile reads /etc/kea/**)" \
    kea/alpxe "$(readlink "$D/etc/alpxe")"
t_eq "/var/lib/alpxe is there for nginx's last good copy" yes \
    "$([ -d "$D/var/lib/alpxe" ] && echo yes || echo no)"
t_eq "programs 0755, everything else 0644" \
    "644 644 644 755 755 644 644 644 644" \
    "$(cd "$D" && stat -c %a etc/kea/alpxe/alpxe.conf usr/lib/$MA/kea/hooks/libdhcp_alpxe.so \
        usr/lib/nginx/modules/ngx_http_alpxe_module.so usr/sbin/alpxe usr/sbin/alpxe-remap \
        usr/share/man/man5/alpxe.conf.5 usr/share/man/man8/alpxe.8 \
        usr/share/man/man8/alpxe-remap.8 usr/share/nginx/modules-available/mod-http-alpxe.conf | tr '\n' ' ' | sed 's/ $//')"
t_eq "modules-available snippet loads the module as Debian's do" \
    "load_module modules/ngx_http_alpxe_module.so;" \
    "$(cat "$D/usr/share/nginx/modules-available/mod-http-alpxe.conf")"
t_eq "modules-enabled links the snippet (as dh_nginx's postinst does)" \
    /usr/share/nginx/modules-available/mod-http-alpxe.conf \
    "$(readlink "$D/etc/nginx/modules-enabled/50-mod-http-alpxe.conf")"
if cmp -s "$T_BUILD/alpxe" "$D/usr/sbin/alpxe" &&
   cmp -s "$T_BUILD/libdhcp_alpxe.so" "$D/usr/lib/$MA/kea/hooks/libdhcp_alpxe.so" &&
   cmp -s "$T_BUILD/ngx_http_alpxe_module.so" "$D/usr/lib/nginx/modules/ngx_http_alpxe_module.so"; then
    t_ok "the installed programs and plugins are the built ones"
else
    t_fail "the installed programs and plugins are the built ones"
fi
if cmp -s "$T_ROOT/common/alpxe.conf.example" "$D/etc/alpxe/alpxe.conf"; then
    t_ok "the example configuration is /etc/alpxe/alpxe.conf"
else
    t_fail "the example configuration is /etc/alpxe/alpxe.conf"
fi
run "$D/usr/sbin/alpxe" check -c "$D/etc/alpxe/alpxe.conf"
t_match "the installed example is valid" "alpxe.conf: ok: 1 host, 1 profile" "$out"

printf '; mine\n' >>"$D/etc/alpxe/alpxe.conf"
cp "$D/etc/alpxe/alpxe.conf" "$tmp/mine.conf"
run make -s -C "$T_ROOT" "${MAKE_VARS[@]}" install DESTDIR="$D"
if [ "$rc" = 0 ] && cmp -s "$tmp/mine.conf" "$D/etc/alpxe/alpxe.conf"; then
    t_ok "make install again keeps an existing alpxe.conf"
else
    t_fail "make install again keeps an existing alpxe.conf" "rc $rc" "$out" "$err"
fi
t_match "and says so" "kept $D/etc/kea/alpxe/alpxe.conf" "$out"

D2=$tmp/local
run make -s -C "$T_ROOT" "${MAKE_VARS[@]}" install DESTDIR="$D2" PREFIX=/usr/local
t_eq "PREFIX moves the programs and manuals, the plugins stay where Kea and nginx look" \
    "$(printf '%s\n' "$EXPECTED" | sed 's|^usr/sbin|usr/local/sbin|; s|^usr/share/man|usr/local/share/man|' | LC_ALL=C sort)" \
    "$(files "$D2")"

# --- manual pages
for page in usr/share/man/man8/alpxe.8 usr/share/man/man5/alpxe.conf.5 \
            usr/share/man/man8/alpxe-remap.8; do
    name=$(basename "$page")
    warn=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$D/$page" 2>&1)
    t_eq "$name: groff -ww has nothing to say" "" "$warn"
    run env MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$D/$page"
    if [ "$rc" = 0 ] && [ -z "$err" ] && printf '%s' "$out" | grep -q '^SEE ALSO'; then
        t_ok "$name: man -l renders it without warnings"
    else
        t_fail "$name: man -l renders it without warnings" "rc $rc" "$err"
    fi
    t_match "$name: lexgrog finds its NAME line (whatis, apropos)" \
        "^$D/$page: \"${name%.*} - " "$(lexgrog "$D/$page" 2>&1)"
done

# Every key the core accepts (its key tables and comparisons) is in
# alpxe.conf(5) as a bold term.
keys=$(grep -ho 'strcmp(key, "[a-z_0-9]*")\|\] *= "[a-z_0-9]*",' \
        "$T_ROOT"/common/config_keys.c | grep -o '"[a-z_0-9]*"' | tr -d '"' | sort -u)
keys="$keys bios efi32 efi64 arm32 arm64"
missing=
for k in $keys; do
    grep -Eq "(\\.B|\\.BR|\\.BI|\\.TP) *$k\b|\\\\fB$k\\\\f|^\\.B $k\$|^\\.BR [a-z_0-9, \"]*\b$k\b" \
        "$D/usr/share/man/man5/alpxe.conf.5" || missing="$missing $k"
done
t_eq "alpxe.conf(5) documents every key ($(echo $keys | wc -w) keys)" "" "$missing"
t_match "alpxe(8) documents reload and its [reload] keys" \
    "reload.*kea_socket|kea_socket.*reload" "$(MANWIDTH=2000 man -l "$D/usr/share/man/man8/alpxe.8" 2>/dev/null | tr '\n' ' ')"

# ====================================== 2. the installed plugins load
MODS=$D/usr/lib/nginx/modules
HOOK_INSTALLED=$D/usr/lib/$MA/kea/hooks/libdhcp_alpxe.so
SNIPPET=$D/usr/share/nginx/modules-available/mod-http-alpxe.conf

# ngx_prefix DIR MODULES-DIR: a private nginx prefix whose modules/ is the
# installed module directory, as /usr/share/nginx/modules is on Debian.
ngx_prefix() {
    mkdir -p "$1/tmp" "$1/logs"
    chmod 755 "$1"
    ln -sfn "$2" "$1/modules"
}

# ngx_conf DIR PORT PRELUDE ALPXE-CONF: nginx.conf serving the module
ngx_conf() {
    cat >"$1/nginx.conf" <<EOF
$3
daemon off;
worker_processes 1;
pid "$1/nginx.pid";
error_log "$1/logs/error.log" info;
events { worker_connections 64; }
http {
    access_log off;
$(t_nginx_temp_paths "$1")
    alpxe_config "$4";
    alpxe_last_good "$1/last-good.conf";
    server {
        listen 127.0.0.1:$2;
        location /pxe/ { alpxe; }
    }
}
EOF
}

P=$tmp/nginx
ngx_prefix "$P" "$MODS"
ngx_conf "$P" "$(t_port)" "include '$SNIPPET';" "$D/etc/alpxe/alpxe.conf"
run env $(daemon_env) "$NGINX" -t -p "$P/" -e "$P/logs/error.log" -c "$P/nginx.conf"
t_eq "nginx -t: the installed module loads through modules-available" 0 "$rc"
t_match "nginx -t: test is successful" "test is successful" "$err"
ngx_conf "$P" "$(t_port)" "" "$D/etc/alpxe/alpxe.conf"
run env $(daemon_env) "$NGINX" -t -p "$P/" -e "$P/logs/error.log" -c "$P/nginx.conf"
t_match "nginx -t without the snippet: alpxe_config is unknown (the snippet is what loads it)" \
    'unknown directive "alpxe_config"' "$err"

# kea_t NAME LIBRARY: kea-dhcp4 -t on a config naming that hook library.
# The ASan runtime only when there is a library to load: kea-dhcp4 with it
# preloaded hangs on its way out after a failed check.
kea_t() {
    local saved=$HOOK wrap=
    HOOK=$2
    kea_conf "$1" "{\"config\": \"$D/etc/alpxe/alpxe.conf\"}"
    HOOK=$saved
    [ -e "$2" ] && wrap=$(daemon_env)
    KEA_PIDFILE_DIR=$T_TMP/$1 KEA_LOCKFILE_DIR=$T_TMP/$1 \
        KEA_LOGGER_DESTINATION=$T_TMP/$1/early.log \
        timeout 60 env $wrap "$KEA_DHCP4" -t "$T_TMP/$1/kea.json" >"$T_TMP/$1/t.out" 2>&1
}
kea_t ktest "$HOOK_INSTALLED"
t_eq "kea-dhcp4 -t accepts a config naming the installed hook" 0 $?
kea_t kmissing "$(dirname "$HOOK_INSTALLED")/libdhcp_alpxe_missing.so"
t_eq "kea-dhcp4 -t refuses a hook path with nothing there (so the check is real)" 1 $?

# ==================================================== 3. alpxe reload
ALPXE=$D/usr/sbin/alpxe         # finds alpxe-remap beside it in $D
R=$tmp/reload
ROOT=$R/root
mkdir -p "$ROOT"
chmod 755 "$R" "$ROOT"
cp "$IPXE/undionly.kpxe" "$IPXE/ipxe.pxe" "$ROOT/"
chmod 644 "$ROOT"/*
CONF=$R/alpxe.conf
NUC=52:54:00:12:34:56
PXE=(-V PXEClient:Arch:00000:UNDI:002001 -a 0)

# the installed hook; its control socket is $T_TMP/k/kea.sock
HOOK=$HOOK_INSTALLED kea_conf k "{\"config\": \"$CONF\"}"
NP=$tmp/nginx-run
NPORT=$(t_port)
ngx_prefix "$NP" "$MODS"
ngx_conf "$NP" "$NPORT" "include '$SNIPPET';" "$CONF"

# write_conf VERSION [EXTRA-LINES]: the served alpxe.conf, replaced
# atomically.  Version 1 gives BIOS clients undionly.kpxe; version 2
# gives them ipxe.pxe and adds the alias v2only.kpxe.
write_conf() {
    local bios=undionly.kpxe alias=
    if [ "$1" = 2 ]; then
        bios=ipxe.pxe
        alias="alias = v2only.kpxe bios"
    fi
    cat >"$CONF.new" <<EOF
[server]
address = 127.0.0.1
http    = http://127.0.0.1:$NPORT/pxe
unknown = ignore

[loader]
bios = $bios

[tftp]
root = $ROOT
$alias

[reload]
kea_socket = ${RELOAD_KEA:-$T_TMP/k/kea.sock}
nginx_pid  = ${RELOAD_NGINX:-$NP/nginx.pid}
tftpd_pid  = $R/tftpd.pid
remap      = $R/tftpd.remap
nginx_last_good = $NP/last-good.conf

[profile lts]
kernel = boot/vmlinuz-lts
initrd = boot/initramfs-lts
args   = alpxe_version=$1

[host nuc1]
mac     = $NUC
profile = lts
${2:-}
EOF
    mv "$CONF.new" "$CONF"
}

port_bound() {
    ss -H -lun "sport = :$1" 2>/dev/null | grep -q .
}

# served_by_tftpd NAME FILE: in.tftpd serves FILE's bytes for NAME
served_by_tftpd() {
    rm -f "$R/got"
    timeout 10 tftp -m binary 127.0.0.1 "$TPORT" -c get "$1" "$R/got" >/dev/null 2>&1
    cmp -s "$2" "$R/got"
}

script_has() {
    curl -s --max-time 5 "http://127.0.0.1:$NPORT/pxe/$NUC/gpxe-script" | grep -q "$1"
}

dhcp_file() {
    field file "$(ask k -m $NUC "${PXE[@]}")"
}

write_conf 1
"$D/usr/sbin/alpxe-remap" -c "$CONF" -o "$R/tftpd.remap"
TPORT=$(t_port udp)
"$TFTPD" -L -u nobody -a "127.0.0.1:$TPORT" -s "$ROOT" -m "$R/tftpd.remap" -P "$R/tftpd.pid" &
t_track $!
env $(daemon_env) "$NGINX" -p "$NP/" -e "$NP/logs/error.log" -c "$NP/nginx.conf" \
    2>"$NP/stderr" &
NPID=$!
t_track $NPID
if kea_start k && t_wait_for 10 port_bound "$TPORT" && t_wait_for 5 test -s "$R/tftpd.pid" &&
   t_wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$NPORT/" && t_wait_for 5 test -s "$NP/nginx.pid"; then
    t_ok "private kea-dhcp4 (installed hook), in.tftpd and nginx (installed module) start"
else
    t_fail "private kea-dhcp4 (installed hook), in.tftpd and nginx (installed module) start" \
        "$(kea_log k | tail -5)" "$(cat "$NP/stderr" "$NP/logs/error.log" 2>/dev/null | tail -5)"
    t_done
    exit
fi

t_eq "version 1: Kea gives BIOS PXE clients undionly.kpxe" undionly.kpxe "$(dhcp_file)"
script_has alpxe_version=1 && t_ok "version 1: nginx serves its script" ||
    t_fail "version 1: nginx serves its script"
served_by_tftpd v2only.kpxe "$ROOT/ipxe.pxe" &&
    t_fail "version 1: in.tftpd has no v2only.kpxe alias" ||
    t_ok "version 1: in.tftpd has no v2only.kpxe alias"

# --- a good new file
write_conf 2
run "$ALPXE" reload -c "$CONF"
t_eq "reload of a good file exits 0" 0 "$rc"
t_match "reload: the file checked first" "^$CONF: ok: 1 host, 1 profile" "$out"
t_match "reload: kea reloaded, with Kea's own answer" \
    "kea: reloaded: Kea answered \"reloaded $CONF: 1 hosts, 1 profiles, 0 warnings\"" "$out"
t_match "reload: tftpd rules written and in.tftpd signalled" \
    "tftpd: sent: [0-9]+ rules written to $R/tftpd.remap, SIGHUP sent to in.tftpd $(cat "$R/tftpd.pid")" "$out"
t_match "reload: nginx reloaded, seen by its new workers" \
    "nginx: reloaded: master $NPID started new workers" "$out"
t_match "reload: nginx logged the SIGHUP from alpxe" \
    "signal 1 \(SIGHUP\) received" "$(cat "$NP/logs/error.log")"
t_eq "reload: one line for the file, one per server" 4 "$(printf '%s\n' "$out" | wc -l)"
t_eq "version 2: Kea serves it at once" ipxe.pxe "$(dhcp_file)"
t_wait_for 5 script_has alpxe_version=2 && t_ok "version 2: nginx serves it" ||
    t_fail "version 2: nginx serves it" "$(tail -3 "$NP/logs/error.log")"
t_wait_for 5 served_by_tftpd v2only.kpxe "$ROOT/ipxe.pxe" &&
    t_ok "version 2: in.tftpd serves the new alias" ||
    t_fail "version 2: in.tftpd serves the new alias"

# --- alpxe status: every server serves the file as it is
V2=$(sha256sum <"$CONF" | cut -c1-12)
run "$ALPXE" status -c "$CONF"
t_eq "status: all current, exit 0" 0 "$rc"
t_match "status: the file, its checksum" "^$CONF: ok, sha256 $V2, 1 host, 1 profile" "$out"
for s in kea tftpd nginx; do
    t_match "status: $s serves the file as it is" \
        "(^|$(printf '\n'))$s +serves the file as it is \(sha256 $V2" "$out"
done
run "$ALPXE" status -c "$CONF" --json
t_match "status --json: kea's verdict" \
    '"kea": \{[^}]*"sha256": "'"$V2" "$(printf '%s' "$out" | tr -d '\n')"

# --- a broken file: nothing is touched
cp "$R/tftpd.remap" "$R/remap.before"
hups_before=$(grep -c 'signal 1 (SIGHUP) received' "$NP/logs/error.log")
reloads_before=$(kea_log k | grep -c 'ALPXE_LOAD reload:\|ALPXE_RELOAD')
write_conf 1 "mac = 52:54:00:12:34:zz"
run "$ALPXE" reload -c "$CONF"
t_eq "reload of a broken file exits 1" 1 "$rc"
t_match "reload of a broken file: the error, with file and line" \
    "$CONF:[0-9]+: error: mac: \"52:54:00:12:34:zz\" is not a MAC address" "$err"
t_match "reload of a broken file: says nothing was reloaded" \
    "$CONF: invalid: no server was reloaded" "$err"
t_eq "reload of a broken file: no server line" "" "$out"
sleep 1
if cmp -s "$R/remap.before" "$R/tftpd.remap"; then
    t_ok "broken file: the rules file is untouched"
else
    t_fail "broken file: the rules file is untouched"
fi
# nginx would refuse the broken file too: its log tells whether it was asked
t_eq "broken file: nginx got no signal (no SIGHUP in its error_log)" \
    "$hups_before" "$(grep -c 'signal 1 (SIGHUP) received' "$NP/logs/error.log")"
t_eq "broken file: Kea was not asked" "$reloads_before" "$(kea_log k | grep -c 'ALPXE_LOAD reload:\|ALPXE_RELOAD')"
t_eq "broken file: Kea still serves version 2" ipxe.pxe "$(dhcp_file)"
script_has alpxe_version=2 && t_ok "broken file: nginx still serves version 2" ||
    t_fail "broken file: nginx still serves version 2"
run "$ALPXE" status -c "$CONF"
t_eq "status with a broken file: exit 1" 1 "$rc"
t_match "status with a broken file: the file is invalid" "$CONF: INVALID" "$out"
t_match "status with a broken file: Kea serves the last good version" \
    "kea +serves the LAST GOOD version: the file does not load \(sha256 $V2" "$out"
t_match "status with a broken file: nginx too" \
    "nginx +serves the LAST GOOD version: the file does not load \(sha256 $V2" "$out"

# --- a good file not reloaded yet: the servers serve another version
write_conf 2 "# a comment changes the checksum"
run "$ALPXE" status -c "$CONF"
t_match "status, file changed but not reloaded: Kea serves another version" \
    "kea +serves ANOTHER version than the file: alpxe reload takes the file up" "$out"

# --- nginx refusing its own configuration: reported, not "reloaded"
write_conf 2
cp "$NP/nginx.conf" "$NP/nginx.conf.good"
echo "no_such_directive;" >>"$NP/nginx.conf"
run "$ALPXE" reload -c "$CONF"
t_eq "nginx refusing the reload: exit 1" 1 "$rc"
t_match "nginx refusing the reload: FAILED, no new workers" \
    "nginx: FAILED: SIGHUP sent to master $NPID, but it started no new workers within 10 s" "$out"
t_match "nginx refusing the reload: the others still reloaded" "kea: reloaded: " "$out"
mv "$NP/nginx.conf.good" "$NP/nginx.conf"

# --- servers not running, and --strict
tpid=$(cat "$R/tftpd.pid")
t_stop "$tpid"
echo "$tpid" >"$R/tftpd.pid"    # in.tftpd removes it; a crash would not
run "$ALPXE" reload -c "$CONF"
t_eq "in.tftpd stopped: reload still exits 0" 0 "$rc"
t_match "in.tftpd stopped: not running, its stale pid file named" \
    "tftpd: not running \($R/tftpd.pid: stale, process $tpid is gone\); [0-9]+ rules written to $R/tftpd.remap" "$out"
run "$ALPXE" reload --strict -c "$CONF"
t_eq "--strict: a server not running is a failure" 1 "$rc"
rm -f "$R/tftpd.remap" "$R/tftpd.pid"
run "$ALPXE" reload -c "$CONF"
t_match "no pid file and no rules file: not running, and no rules file created" \
    "tftpd: not running \($R/tftpd.pid: no such file\)$" "$out"
test -e "$R/tftpd.remap" && t_fail "no rules file is created for a tftpd not running" ||
    t_ok "no rules file is created for a tftpd not running"

# --- servers that are not what [reload] says
HOOKLESS_SOCK=$T_TMP/plain/kea.sock
kea_conf plain none
sleep 300 &
SLEEP=$!
t_track $SLEEP
echo $SLEEP >"$R/sleep.pid"
if kea_start plain; then
    RELOAD_KEA=$HOOKLESS_SOCK RELOAD_NGINX=$R/sleep.pid write_conf 2
    run "$ALPXE" reload -c "$CONF"
    t_eq "a Kea without the hook, a pid that is no nginx: exit 1" 1 "$rc"
    t_match "Kea without the hook: its refusal, and the likely cause" \
        "kea: FAILED: Kea answered result 2, .*not supported.*is libdhcp_alpxe.so in its hooks-libraries" "$out"
    t_match "a pid file naming another program: refused by name" \
        "nginx: FAILED: $R/sleep.pid: process $SLEEP is sleep, not nginx; not signalled" "$out"
    kill -0 $SLEEP 2>/dev/null && t_ok "that process got no SIGHUP (it would have died)" ||
        t_fail "that process got no SIGHUP (it would have died)"
else
    t_fail "kea-dhcp4 without the hook starts" "$(kea_log plain | tail -5)"
fi
RELOAD_KEA=$tmp/no/such.sock write_conf 2
run "$ALPXE" reload -c "$CONF"
t_match "no Kea socket: not running" "kea: not running \($tmp/no/such.sock: no such socket\)" "$out"
run "$ALPXE" reload extra -c "$CONF"
t_eq "reload with an argument is a usage error" 2 "$rc"
run "$ALPXE" check --strict -c "$CONF"
t_eq "--strict goes with reload only" 2 "$rc"

# ======================================================== 4. make deb
DEBS=$T_BUILD/deb
run make -s -C "$T_ROOT" "B=${T_BUILD#"$T_ROOT"/}" deb
if [ "$rc" = 0 ]; then
    t_ok "make deb builds the packages and lintian passes them"
else
    t_fail "make deb builds the packages and lintian passes them" \
        "$(printf '%s\n' "$out" "$err" | tail -30)"
    t_done
    exit
fi
t_nomatch "lintian: no error or warning tag" "^[EW]: " "$(cat "$DEBS/lintian.log")"

# deb_files PKG: what the package installs, manuals unzipped, without the
# packaging's own files (copyright, changelog, lintian overrides)
deb_files() {
    dpkg-deb --fsys-tarfile "$DEBS/$1"_*_amd64.deb | tar -t |
        grep -v '/$' | sed 's|^\./||; s|\.gz$||' | grep -Ev "^usr/share/(doc|lintian)/" |
        LC_ALL=C sort
}
t_eq "alpxe: the programs, manuals and example configuration" \
    "$(printf '%s\n' "$EXPECTED" | grep -E '^(etc/alpxe|etc/kea|usr/sbin|usr/share/man)')" \
    "$(deb_files alpxe)"
t_eq "kea-hook-alpxe: the hook in Kea's hooks directory" \
    "usr/lib/$MA/kea/hooks/libdhcp_alpxe.so" "$(deb_files kea-hook-alpxe)"
t_eq "libnginx-mod-http-alpxe: the module and its modules-available snippet" \
    "$(printf '%s\n' "$EXPECTED" | grep -E '^usr/(lib|share)/nginx/')" \
    "$(deb_files libnginx-mod-http-alpxe)"
t_eq "the three packages hold make install's files (the modules-enabled link is the postinst's)" \
    "$(printf '%s\n' "$EXPECTED" | grep -v modules-enabled)" \
    "$(for p in alpxe kea-hook-alpxe libnginx-mod-http-alpxe; do deb_files $p; done | LC_ALL=C sort)"

abi=$(sed -n 's/^nginx:abi=//p' /usr/share/nginx/src/debian/libnginx-mod.abisubstvars)
kea=$(dpkg-query -W -f='${Version}' kea-dev | sed 's/-[^-]*$//')
t_match "libnginx-mod-http-alpxe depends on Debian's nginx ABI ($abi)" \
    "(^|, )$abi(,|$)" "$(dpkg-deb -f "$DEBS"/libnginx-mod-http-alpxe_*_amd64.deb Depends)"
t_match "kea-hook-alpxe depends on the Kea it was built for ($kea)" \
    "kea-dhcp4-server \(>= $kea\), kea-dhcp4-server \(<< $kea\.1~\)" \
    "$(dpkg-deb -f "$DEBS"/kea-hook-alpxe_*_amd64.deb Depends)"
t_match "alpxe depends on the libraries it links" "libinih1.*libnfs13" \
    "$(dpkg-deb -f "$DEBS"/alpxe_*_amd64.deb Depends)"
t_eq "alpxe.conf is a conffile (dpkg keeps the admin's edits)" "/etc/kea/alpxe/alpxe.conf" \
    "$(dpkg-deb --ctrl-tarfile "$DEBS"/alpxe_*_amd64.deb | tar -xO ./conffiles | awk '{print $1}')"

# --- into a throwaway root and out again
X=$tmp/root
mkdir -p "$X/var/lib/dpkg/info" "$X/var/lib/dpkg/updates" "$X/var/log" \
    "$X/bin" "$X/dev" "$X/tmp" "$X/etc/nginx/modules-enabled"
: >"$X/var/lib/dpkg/status"
: >"$X/var/lib/dpkg/available"
: >"$X/dev/null"                # a file is enough for the scripts' >/dev/null
cp /bin/busybox "$X/bin/"       # static: runs in the chroot with no libraries
for a in sh ln rm mv cut echo which rmdir mkdir cat test '['; do
    ln -s busybox "$X/bin/$a"
done
before=$(cd "$X" && find . -path ./var/lib/dpkg -prune -o -print | LC_ALL=C sort)

# --log: dpkg --root still logs to the machine's /var/log/dpkg.log
DPKG=(dpkg --root="$X" --log="$X/var/log/dpkg.log")
run "${DPKG[@]}" --force-depends -i "$DEBS"/alpxe_*_amd64.deb \
    "$DEBS"/kea-hook-alpxe_*_amd64.deb "$DEBS"/libnginx-mod-http-alpxe_*_amd64.deb
t_eq "dpkg -i of the three packages into a throwaway root" 0 "$rc"
t_eq "all three installed" "ii alpxe ii kea-hook-alpxe ii libnginx-mod-http-alpxe" \
    "$(dpkg-query --admindir="$X/var/lib/dpkg" -W -f='${db:Status-Abbrev} ${Package}\n' |
        awk '{printf "%s%s %s", sep, $1, $2; sep = " "}')"
t_eq "the package links /etc/alpxe to /etc/kea/alpxe" kea/alpxe "$(readlink "$X/etc/alpxe")"
t_eq "the package makes /var/lib/alpxe" yes \
    "$([ -d "$X/var/lib/alpxe" ] && echo yes || echo no)"
: >"$X/var/lib/alpxe/nginx-last-good.conf"    # as nginx would have written it
t_eq "the postinst enabled the module (modules-enabled link)" \
    /usr/share/nginx/modules-available/mod-http-alpxe.conf \
    "$(readlink "$X/etc/nginx/modules-enabled/50-mod-http-alpxe.conf")"
ngx_prefix "$tmp/nginx-deb" "$X/usr/lib/nginx/modules"
ngx_conf "$tmp/nginx-deb" "$(t_port)" \
    "include '$X/usr/share/nginx/modules-available/mod-http-alpxe.conf';" "$X/etc/alpxe/alpxe.conf"
run env $(daemon_env) "$NGINX" -t -p "$tmp/nginx-deb/" -e "$tmp/nginx-deb/logs/error.log" -c "$tmp/nginx-deb/nginx.conf"
t_eq "nginx -t: the packaged module loads through its snippet" 0 "$rc"
kea_t kdeb "$X/usr/lib/$MA/kea/hooks/libdhcp_alpxe.so"
t_eq "kea-dhcp4 -t accepts the packaged hook" 0 $?
run "$X/usr/sbin/alpxe" check -c "$X/etc/alpxe/alpxe.conf"
t_match "the packaged alpxe checks the packaged example" "ok: 1 host, 1 profile" "$out"

: >"$X/etc/alpxe/tftpd.remap"   # as alpxe reload would have written it
run "${DPKG[@]}" --purge alpxe kea-hook-alpxe libnginx-mod-http-alpxe
t_eq "dpkg --purge of the three packages" 0 "$rc"
after=$(cd "$X" && find . -path ./var/lib/dpkg -prune -o -print | grep -v '^\./var/log/dpkg\.log$' | LC_ALL=C sort)
t_eq "nothing left behind (files, links, /etc/alpxe, the rules file)" "$before" "$after"
t_eq "dpkg knows none of them any more" "" \
    "$(dpkg-query --admindir="$X/var/lib/dpkg" -W -f='${db:Status-Abbrev}${Package}\n' 2>/dev/null | grep '^ii')"

t_done
