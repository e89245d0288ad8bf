#!/bin/bash
# tests/faults/run.sh - alpxe never takes a server down.
#
# For each server that reads alpxe.conf - kea-dhcp4 with the hook, nginx
# with the module, in.tftpd with alpxe-remap's rules - and each thing that
# can happen to the file after a good version (a) was served:
#
#   broken at reload, deleted, unreadable, truncated mid-write, restart
#   with a broken file, broken while clients are booting under load,
#   (Kea and nginx) broken with no good version ever seen
#
# asserts that ordinary clients are answered 100% (DHCP leases for non-PXE
# clients; nginx's other locations; tftpd's other files), network-boot
# clients get the last good version's answers 100%, the server is alive,
# and its log names the file and line.  The servers run as nobody, so that
# "unreadable" is unreadable (root reads anything).  Prints a table of the
# figures at the end.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../kea/kea-lib.sh"

# Everything nobody must reach lives outside the checkout, which may sit
# under a 0700 home.
rmdir "$T_TMP" 2>/dev/null
T_TMP=$(mktemp -d /tmp/alpxe-faults.XXXXXX)
chmod 755 "$T_TMP"
AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
install -m 0644 "$HOOK" "$T_TMP/libdhcp_alpxe.so"
HOOK=$T_TMP/libdhcp_alpxe.so
NGINX=${NGINX:-/usr/sbin/nginx}
TFTPD=${TFTPD:-/usr/sbin/in.tftpd}
MODULE=$T_TMP/ngx_http_alpxe_module.so
install -m 0644 "$T_BUILD/ngx_http_alpxe_module.so" "$MODULE"
REMAP=$T_BUILD/alpxe-remap
SRC_LOADERS=/usr/lib/ipxe

N=20                    # clients of each kind per check
ROWS=()                 # the table

# ------------------------------------------------------------ the file

# alpxe.conf in version V (a or b): N known hosts, an unknown default.
# Version a answers PXE ROMs next-server 10.0.0.28 and loader a.kpxe.
write_conf() {
    local v=$1 out=$2 addr=10.0.0.28 i
    [ "$v" = b ] && addr=10.0.0.29
    {
        printf '[server]\naddress = %s\nhttp = http://%s/pxe\n' "$addr" "$addr"
        printf 'unknown = default\ndefault = lts\n'
        printf '[loader]\nbios = %s.kpxe\nefi64 = snponly.efi\n' "$v"
        printf '[tftp]\nroot = %s\nsource = %s\n' "$T_TMP/tftp" "$T_TMP/src"
        printf '[profile lts]\nkernel = boot/vmlinuz-%s\ninitrd = boot/initramfs-lts\n' "$v"
        for i in $(seq $N); do
            printf '[host h%s]\nmac = 52:54:00:00:10:%02x\nprofile = lts\n' "$i" "$i"
        done
    } >"$out.new"
    chmod 644 "$out.new"
    mv "$out.new" "$out"
}

# break_file FAULT FILE: do FAULT to FILE; sets BAD_LINE to the line the
# log must name (0: none, the reason is the file itself).
break_file() {
    local fault=$1 f=$2 n
    BAD_LINE=0
    case $fault in
        broken)
            n=$(wc -l <"$f")
            printf '[host x]\nmac = not-a-mac\n' >>"$f"
            BAD_LINE=$((n + 2)) ;;
        deleted)
            rm -f "$f" ;;
        unreadable)
            chmod 000 "$f" ;;
        truncated)
            # an editor's write cut in the middle of a line
            n=$(($(stat -c %s "$f") / 2))
            head -c "$n" "$f" >"$f.cut"
            printf '\n[profile y\n' >>"$f.cut"
            chmod 644 "$f.cut"
            mv "$f.cut" "$f"
            BAD_LINE=$(wc -l <"$f") ;;
    esac
}

# row SERVER FAULT ORDINARY NETBOOT ALIVE LOGGED
row() {
    ROWS+=("$(printf '%-6s %-30s %-12s %-24s %-6s %s' "$1" "$2" "$3" "$4" \
        "$5" "${6//$T_TMP\//}")")
}

mkdir -p "$T_TMP/src" "$T_TMP/tftp"
for l in a.kpxe b.kpxe snponly.efi; do
    printf 'loader %s\n' "$l" >"$T_TMP/src/$l"
done
chmod -R a+rX "$T_TMP/src" "$T_TMP/tftp"

# ============================================================ Kea
#
# kea-dhcp4 as nobody on loopback; the hook's last good copy in its
# directory.  Kea's config-reload (keactrl reload, systemctl reload)
# unloads and reloads every hook: that is the reload that must survive.

KCONF=$T_TMP/kea-alpxe.conf
write_conf a "$KCONF"

kea_nobody() {
    local name=$1 d=$T_TMP/$1
    chown -R nobody:nogroup "$d"
    KEA_AS=("${AS_NOBODY[@]}") kea_start "$name"
}

# ordinary NAME: how many of N non-PXE clients get a lease (DORA).
ordinary() {
    local ok=0 i r
    for i in $(seq $N); do
        r=$(ASK_TIMEOUT=2000 ask "$1" -d -m "52:54:00:aa:00:$(printf %02x "$i")" 2>/dev/null) &&
            [ "$(field opt53 "$r")" = 05 ] && ok=$((ok + 1))
    done
    echo "$ok"
}

# netboot NAME SIADDR FILE: how many of N known PXE ROMs get SIADDR/FILE.
netboot() {
    local ok=0 i r
    for i in $(seq $N); do
        r=$(ask "$1" -m "52:54:00:00:10:$(printf %02x "$i")" \
            -V PXEClient:Arch:00000:UNDI:002001 -a 0 2>/dev/null) &&
            [ "$(field siaddr "$r") $(field file "$r")" = "$2 $3" ] && ok=$((ok + 1))
    done
    echo "$ok"
}

# kea_check NAME FAULT: the clients after FAULT, the last good version (a)
# answering the PXE ROMs, a row in the table.
kea_check() {
    local name=$1 fault=$2 o p logged=no alive=no
    o=$(ordinary "$name")
    p=$(netboot "$name" 10.0.0.28 a.kpxe)
    t_eq "kea, $fault: ordinary clients get leases" "$N" "$o"
    t_eq "kea, $fault: PXE ROMs get the last good version" "$N" "$p"
    kea_alive "$name" && alive=yes
    t_eq "kea, $fault: kea-dhcp4 is alive" yes "$alive"
    if [ "$BAD_LINE" != 0 ]; then
        kea_log "$name" | grep -q "ALPXE_CONFIG_ERROR $KCONF:$BAD_LINE: error" && logged="$KCONF:$BAD_LINE"
    else
        kea_log "$name" | grep -q "ALPXE_CONFIG_ERROR $KCONF: error: cannot read" && logged="$KCONF: cannot read"
    fi
    t_match "kea, $fault: the log names the file and the line" "$KCONF" "$logged"
    log_has "$name" "kea, $fault: the log says the last good version serves" \
        "ERROR .*ALPXE_FALLBACK $KCONF does not load .*last good version, loaded .*sha256 $A_SHA"
    row kea "$fault" "$o/$N" "$p/$N (last good)" "$alive" "$logged"
}

A_SHA=$(sha256sum <"$KCONF" | cut -c1-64)
kea_conf k "{ \"config\": \"$KCONF\" }"
if ! kea_nobody k; then
    t_fail "kea-dhcp4 with the hook starts as nobody" "$(kea_log k | tail -5)"
else
    t_eq "a good file: PXE ROMs get version a" "$N" "$(netboot k 10.0.0.28 a.kpxe)"
    t_eq "... its copy is kept, as the file was" "$A_SHA" \
        "$(sed 1d "$T_TMP/k/last-good" | sha256sum | cut -c1-64)"

    for fault in broken deleted unreadable truncated; do
        : >"$T_TMP/k/kea.log.mark"
        break_file "$fault" "$KCONF"
        out=$(ctrl k config-reload)
        t_match "kea, $fault, config-reload: Kea takes its configuration" \
            '"result": 0' "$out"
        kea_check k "$fault at config-reload"
        write_conf a "$KCONF"
        ctrl k config-reload >/dev/null
    done

    # The hook's own reload refuses the file and keeps what serves.
    break_file broken "$KCONF"
    out=$(ctrl k alpxe-reload)
    t_match "kea, alpxe-reload of a broken file: refused with file:line" \
        "\"result\": 1, .*$KCONF:$BAD_LINE: " "$out"
    t_eq "kea, ... version a still serves" "$N" "$(netboot k 10.0.0.28 a.kpxe)"
    row kea "broken at alpxe-reload" "$(ordinary k)/$N" \
        "$(netboot k 10.0.0.28 a.kpxe)/$N (last good)" yes "$KCONF:$BAD_LINE"

    # alpxe-status says what serves and why, in the hook's own words.
    out=$(ctrl k alpxe-status)
    t_match "kea, alpxe-status: the served version's checksum" \
        "\"sha256\": \"$A_SHA\"" "$out"
    t_match "kea, alpxe-status: the file's errors" "\"state\": \"invalid\"" "$out"

    # A restart (a reboot) with the broken file: the kept copy serves.
    kea_stop k
    if kea_nobody k; then
        t_ok "kea, restart with a broken file: kea-dhcp4 starts"
        kea_check k "restart with a broken file"
    else
        t_fail "kea, restart with a broken file: kea-dhcp4 starts" "$(kea_log k | tail -5)"
    fi

    # Broken while clients boot, under load: PXE ROMs, then ordinary
    # clients (one load generator at a time: they share the reply port),
    # sending again as real clients do; two config-reloads with the broken
    # file in the middle of each run.
    : >"$T_TMP/load-reloads.out"
    for kind in pxe plain; do
        write_conf a "$KCONF"
        ctrl k config-reload >/dev/null
        if [ "$kind" = pxe ]; then
            opts=(-N $N -P -V PXEClient:Arch:00000:UNDI:002001 -a 0)
        else
            opts=(-N 80)
        fi
        "$CLIENT" -B 5 -W 8 -R 4 "${opts[@]}" \
            "${KEA_PORT[k]}" "${KEA_RPORT[k]}" >"$T_TMP/load-$kind.out" &
        lp=$!
        sleep 1.5
        break_file broken "$KCONF"
        ctrl k config-reload >>"$T_TMP/load-reloads.out"
        sleep 1.5
        ctrl k config-reload >>"$T_TMP/load-reloads.out"
        wait $lp
    done
    write_conf a "$KCONF"
    total=$(grep -c '^answer ' "$T_TMP/load-pxe.out")
    good=$(grep -c '^answer siaddr=10.0.0.28 file=a.kpxe$' "$T_TMP/load-pxe.out")
    plain=$(tail -1 "$T_TMP/load-plain.out")
    pxe=$(tail -1 "$T_TMP/load-pxe.out")
    t_eq "kea, under load: every config-reload taken" 4 \
        "$(grep -c '"result": 0' "$T_TMP/load-reloads.out")"
    t_match "kea, under load: every ordinary exchange got its lease" \
        "^leases=[1-9][0-9]* .* timeouts=0 " "$plain"
    t_match "kea, under load: every PXE exchange got its answer" \
        "^leases=[1-9][0-9]* .* timeouts=0 " "$pxe"
    if [ "$total" -gt 0 ] && [ "$good" = "$total" ]; then
        t_ok "kea, under load: every PXE answer is version a ($good of $total)"
    else
        t_fail "kea, under load: every PXE answer is version a" "$good of $total"
    fi
    row kea "broken under load" "${plain%% *}, ${plain##* }" \
        "$good/$total answers a" "$(kea_alive k && echo yes || echo no)" \
        "$KCONF:$BAD_LINE"
    kea_stop k
fi

# No good version ever seen: nothing netboots, DHCP goes on.
printf '[server\n' >"$T_TMP/never.conf"
chmod 644 "$T_TMP/never.conf"
kea_conf never "{ \"config\": \"$T_TMP/never.conf\" }"
if kea_nobody never; then
    o=$(ordinary never)
    p=$(netboot never 10.0.0.98 class.bin)
    t_eq "kea, never a good version: ordinary clients get leases" "$N" "$o"
    t_eq "kea, never a good version: PXE ROMs get Kea's own answer" "$N" "$p"
    log_has never "kea, never a good version: the log says so" \
        "ERROR .*ALPXE_NO_CONFIG $T_TMP/never.conf does not load \\($T_TMP/never.conf:1: error"
    row kea "never a good version" "$o/$N" "$p/$N (Kea's own)" yes "never.conf:1"
    kea_stop never
else
    t_fail "kea, never a good version: kea-dhcp4 starts" "$(kea_log never | tail -5)"
fi

# ============================================================ nginx
#
# nginx as nobody (the master too: nothing here needs root), the module's
# last good copy in its prefix.

ND=$T_TMP/ngx
NCONF=$ND/alpxe.conf
mkdir -p "$ND/tmp" "$ND/static"
printf 'static file\n' >"$ND/static/index.txt"
write_conf a "$NCONF"
NPORT=$(t_port)
cat >"$ND/nginx.conf" <<EOF
load_module $MODULE;
daemon off;
worker_processes 1;
pid $ND/nginx.pid;
error_log $ND/error.log info;
events { worker_connections 256; }
http {
    access_log off;
$(t_nginx_temp_paths "$ND")
    alpxe_config $NCONF;
    alpxe_last_good $ND/last-good.conf;
    server {
        listen 127.0.0.1:$NPORT;
        location /pxe/ { alpxe; }
        location /static/ { root $ND; }
    }
}
EOF
chown -R nobody:nogroup "$ND"
"$T_BUILD/alpxe" render -c "$NCONF" 52:54:00:00:10:01 >"$T_TMP/a.ipxe"

ngx_up() {
    env $(t_daemon_env) "${AS_NOBODY[@]}" "$NGINX" -p "$ND/" -c "$ND/nginx.conf" \
        2>>"$ND/stderr" &
    NPID=$!
    t_track "$NPID"
    t_wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$NPORT/static/index.txt"
}

# ngx_counts: "ordinary netboot": 200s of N static requests, and of N
# script requests answered byte for byte with version a's script.
ngx_counts() {
    local o=0 p=0 i
    for i in $(seq $N); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
            "http://127.0.0.1:$NPORT/static/index.txt")" = 200 ] && o=$((o + 1))
        curl -s --max-time 5 -o "$T_TMP/got.ipxe" \
            "http://127.0.0.1:$NPORT/pxe/52:54:00:00:10:01/gpxe-script" &&
            cmp -s "$T_TMP/got.ipxe" "$T_TMP/a.ipxe" && p=$((p + 1))
    done
    echo "$o $p"
}

ngx_check() {
    local fault=$1 c o p logged=no alive=no
    c=$(ngx_counts)
    o=${c% *}
    p=${c#* }
    t_eq "nginx, $fault: other locations answered" "$N" "$o"
    t_eq "nginx, $fault: iPXE gets the last good script" "$N" "$p"
    kill -0 "$NPID" 2>/dev/null && alive=yes
    t_eq "nginx, $fault: the master is alive" yes "$alive"
    if [ "$BAD_LINE" != 0 ]; then
        grep -q "\[error\].*$NCONF:$BAD_LINE: error" "$ND/error.log" "$ND/stderr" && logged="$NCONF:$BAD_LINE"
    else
        grep -q "\[error\].*$NCONF: error: cannot read" "$ND/error.log" "$ND/stderr" && logged="$NCONF: cannot read"
    fi
    t_match "nginx, $fault: the log names the file and the line" "$NCONF" "$logged"
    row nginx "$fault" "$o/$N" "$p/$N (last good)" "$alive" "$logged"
}

# ngx_reload: HUP, then wait until the master runs new workers
ngx_reload() {
    local before
    before=$(cat "/proc/$NPID/task/$NPID/children" 2>/dev/null)
    kill -HUP "$NPID"
    t_wait_for 10 test "$(cat "/proc/$NPID/task/$NPID/children" 2>/dev/null)" != "$before"
    sleep 0.3
}

if ngx_up; then
    t_eq "nginx as nobody: version a served" "$N $N" "$(ngx_counts)"
    for fault in broken deleted unreadable truncated; do
        break_file "$fault" "$NCONF"
        ngx_reload
        ngx_check "$fault at reload (HUP)"
        write_conf a "$NCONF"
        chown nobody:nogroup "$NCONF"
        ngx_reload
    done

    t_stop "$NPID"
    break_file broken "$NCONF"
    if ngx_up; then
        t_ok "nginx, restart with a broken file: it starts"
        ngx_check "restart with a broken file"
    else
        t_fail "nginx, restart with a broken file: it starts" "$(tail -5 "$ND/stderr")"
    fi

    # under load: requests all through two reloads with the broken file
    write_conf a "$NCONF"
    ngx_reload
    # the reference first: the loop compares against it from its first
    # request on
    "$T_BUILD/alpxe" render -c "$NCONF" 52:54:00:00:10:02 >"$T_TMP/a2.ipxe"
    : >"$T_TMP/ngx-load.out"
    (
        end=$((SECONDS + 5))
        while [ $SECONDS -lt $end ]; do
            curl -s --max-time 5 -o "$T_TMP/l.ipxe" -w '%{http_code} ' \
                "http://127.0.0.1:$NPORT/pxe/52:54:00:00:10:02/gpxe-script"
            cmp -s "$T_TMP/l.ipxe" "$T_TMP/a2.ipxe" && echo same || echo differs
        done >>"$T_TMP/ngx-load.out"
    ) &
    lp=$!
    sleep 1
    break_file broken "$NCONF"
    ngx_reload
    ngx_reload
    wait $lp
    total=$(wc -l <"$T_TMP/ngx-load.out")
    same=$(grep -c '^200 same$' "$T_TMP/ngx-load.out")
    if [ "$total" -gt 10 ] && [ "$same" = "$total" ]; then
        t_ok "nginx, under load: every request got version a's script ($same of $total)"
    else
        t_fail "nginx, under load: every request got version a's script" \
            "$same of $total" "$(sort "$T_TMP/ngx-load.out" | uniq -c)"
    fi
    row nginx "broken under load" "-" "$same/$total (last good)" \
        "$(kill -0 "$NPID" 2>/dev/null && echo yes || echo no)" "$NCONF:$BAD_LINE"
    t_nomatch "nginx: no worker crashed" "exited on signal|\[alert\]|\[crit\]" "$(cat "$ND/error.log")"
    t_stop "$NPID"
else
    t_fail "nginx with the module starts as nobody" "$(tail -5 "$ND/stderr")"
fi

# ============================================================ tftpd
#
# in.tftpd reads its rules, not alpxe.conf: alpxe-remap writes them only
# from a file that loads, so a broken alpxe.conf leaves the rules, and
# every answer, as they were.

TD=$T_TMP/tftpd
TCONF=$TD/alpxe.conf
RULES=$TD/tftpd.remap
mkdir -p "$TD"
write_conf a "$TCONF"
printf 'other file\n' >"$T_TMP/tftp/other.txt"
chmod 644 "$T_TMP/tftp/other.txt"
"$REMAP" -c "$TCONF" --install-loaders "$T_TMP/tftp" >/dev/null
"$REMAP" -c "$TCONF" -o "$RULES"
chown -R nobody:nogroup "$TD"
TPORT=$(t_port udp)

tftpd_up() {
    "$TFTPD" -L -u nobody -a "127.0.0.1:$TPORT" -s "$T_TMP/tftp" -m "$RULES" \
        -P "$TD/tftpd.pid" &
    TPID=$!
    t_track "$TPID"
    t_wait_for 5 test -s "$TD/tftpd.pid"
    sleep 0.2
}

# tftp_counts: "ordinary netboot": other.txt, and gpxe.kpxe -> a.kpxe
tftp_counts() {
    local o=0 p=0 i
    for i in $(seq $N); do
        rm -f "$T_TMP/t.got"
        timeout 10 tftp -m binary 127.0.0.1 "$TPORT" -c get other.txt "$T_TMP/t.got" >/dev/null 2>&1
        cmp -s "$T_TMP/t.got" "$T_TMP/tftp/other.txt" && o=$((o + 1))
        rm -f "$T_TMP/t.got"
        timeout 10 tftp -m binary 127.0.0.1 "$TPORT" -c get /GPXE.KPXE "$T_TMP/t.got" >/dev/null 2>&1
        cmp -s "$T_TMP/t.got" "$T_TMP/src/a.kpxe" && p=$((p + 1))
    done
    echo "$o $p"
}

# remap_regen: what `alpxe reload` runs for tftpd, as nobody (so that an
# unreadable file is unreadable); its stderr in REMAP_ERR
remap_regen() {
    REMAP_ERR=$("${AS_NOBODY[@]}" "$REMAP" -c "$TCONF" -o "$RULES" --reload "$TD/tftpd.pid" 2>&1)
    REMAP_RC=$?
}

tftp_check() {
    local fault=$1 c o p alive=no logged=no
    c=$(tftp_counts)
    o=${c% *}
    p=${c#* }
    t_eq "tftpd, $fault: other files served" "$N" "$o"
    t_eq "tftpd, $fault: the loader is served by the last good rules" "$N" "$p"
    kill -0 "$TPID" 2>/dev/null && alive=yes
    t_eq "tftpd, $fault: in.tftpd is alive" yes "$alive"
    if [ "$BAD_LINE" != 0 ]; then
        printf '%s' "$REMAP_ERR" | grep -q "$TCONF:$BAD_LINE: error" && logged="$TCONF:$BAD_LINE"
    else
        printf '%s' "$REMAP_ERR" | grep -q "$TCONF: error: cannot read" && logged="$TCONF: cannot read"
    fi
    t_match "tftpd, $fault: alpxe-remap names the file and the line" "$TCONF" "$logged"
    row tftpd "$fault" "$o/$N" "$p/$N (last good)" "$alive" "$logged"
}

tftpd_up
t_eq "in.tftpd with the rules: version a served" "$N $N" "$(tftp_counts)"
for fault in broken deleted unreadable truncated; do
    rules_before=$(sha256sum <"$RULES")
    break_file "$fault" "$TCONF"
    remap_regen
    t_eq "tftpd, $fault: alpxe-remap refuses (exit 1)" 1 "$REMAP_RC"
    t_eq "tftpd, $fault: the rules are left as they were" "$rules_before" \
        "$(sha256sum <"$RULES")"
    tftp_check "$fault at reload"
    write_conf a "$TCONF"
done

t_stop "$TPID"
break_file broken "$TCONF"
remap_regen
tftpd_up
tftp_check "restart with a broken file"

# under load: downloads all through failed regenerations
: >"$T_TMP/tftp-load.out"
(
    end=$((SECONDS + 4))
    while [ $SECONDS -lt $end ]; do
        rm -f "$T_TMP/tl.got"
        timeout 10 tftp -m binary 127.0.0.1 "$TPORT" -c get gpxe.kpxe "$T_TMP/tl.got" >/dev/null 2>&1
        cmp -s "$T_TMP/tl.got" "$T_TMP/src/a.kpxe" && echo same || echo differs
    done >>"$T_TMP/tftp-load.out"
) &
lp=$!
for i in 1 2 3; do
    sleep 1
    remap_regen
done
wait $lp
total=$(wc -l <"$T_TMP/tftp-load.out")
same=$(grep -c '^same$' "$T_TMP/tftp-load.out")
if [ "$total" -gt 5 ] && [ "$same" = "$total" ]; then
    t_ok "tftpd, under load: every download is the loader ($same of $total)"
else
    t_fail "tftpd, under load: every download is the loader" "$same of $total"
fi
row tftpd "broken under load" "-" "$same/$total (last good)" \
    "$(kill -0 "$TPID" 2>/dev/null && echo yes || echo no)" "$TCONF:$BAD_LINE"
t_stop "$TPID"

# ------------------------------------------------------------ the table

echo "# alpxe.conf faults: what each server's clients got"
printf '# %-6s %-30s %-12s %-24s %-6s %s\n' server fault ordinary netboot alive "log names"
for r in "${ROWS[@]}"; do
    printf '# %s\n' "$r"
done
t_done
