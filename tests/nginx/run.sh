#!/bin/bash
# tests/nginx/run.sh - ngx_http_alpxe_module loaded into Debian's own nginx.
#
# Starts private nginx instances (own prefix, config, pid, logs, temp paths,
# a random loopback port), sends requests with curl and compares every
# script with what `alpxe render` prints for the same file and MAC.

. "$(dirname "$0")/../lib.sh"

NGINX=${NGINX:-/usr/sbin/nginx}
MODULE=$T_BUILD/ngx_http_alpxe_module.so
ALPXE=$T_BUILD/alpxe
EXAMPLE=$T_ROOT/tests/data/example.conf

t_tmpdir >/dev/null
tmp=$T_TMP
chmod 755 "$tmp"                # nginx workers run as nobody

NUC1=52:54:00:12:34:56          # [host nuc1] in example.conf
LOCAL=52:54:00:00:00:02         # boot = local (added below)
OFF=52:54:00:00:00:03           # boot = off (added below)
CAPS=52:54:00:ab:cd:ef          # hex letters (added below)
META=52:54:00:00:00:07          # metadata = yes (added below)
PICK=52:54:00:00:00:08          # boot = menu (added below)
UNKNOWN=52:54:00:99:99:99       # in no [host] section
UNKNOWN2=52:54:00:99:99:98

for f in "$NGINX" "$MODULE" "$ALPXE"; do
    if [ ! -x "$f" ] && [ ! -f "$f" ]; then
        t_fail "prerequisite $f" "missing: run make first"
        t_done
        exit
    fi
done
if ! command -v curl >/dev/null; then
    t_fail "prerequisite curl" "curl is not installed"
    t_done
    exit
fi

# ------------------------------------------------------------- helpers

# mk_alpxe FILE [UNKNOWN-POLICY]: example.conf plus a local and an off host;
# unknown MACs get profile "vars", rendered per MAC.
mk_alpxe() {
    sed -e "s/^unknown *=.*/unknown = ${2:-default}/" \
        -e "s/^default *=.*/default = vars/" "$EXAMPLE" >"$1.new"
    cat >>"$1.new" <<'EOF'

[profile vars]
kernel  = boot/vmlinuz-lts
initrd  = boot/initramfs-lts
args    = hostname=${hostname} mac=${mac}
EOF
    cat >>"$1.new" <<EOF

[host localboot]
mac     = $LOCAL
profile = lts
boot    = local

[host offhost]
mac     = $OFF
profile = lts
boot    = off

[host caps]
mac     = $CAPS
profile = lts

[profile meta]
description = with NoCloud metadata
kernel  = boot/vmlinuz-lts
initrd  = boot/initramfs-lts
metadata = yes
authorized_keys = $tmp/keys.pub
user_data = $tmp/user.yaml

[host metahost]
mac     = $META
profile = meta
ip      = 10.0.0.60::10.0.0.1:255.255.255.0::eth0:none:10.0.0.1
nfs     = nfs://10.0.0.28/homes/\${hostname}?version=4

[host picker]
mac     = $PICK
profile = lts
boot    = menu
EOF
    printf 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9ok admin@test\n' \
        >"$tmp/keys.pub"
    printf '#alpine-config\npackages:\n  - htop\n' >"$tmp/user.yaml"
    mv "$1.new" "$1"
}

# mk_nginx DIR PORT HTTP-DIRECTIVES...: a private nginx.conf in DIR; its
# last good copy of alpxe.conf in DIR/last-good.conf unless they name one.
mk_nginx() {
    local dir=$1 port=$2 keep
    shift 2
    keep="alpxe_last_good '$dir/last-good.conf';"
    case "$*" in *alpxe_last_good*) keep= ;; esac
    mkdir -p "$dir/tmp" "$dir/boot" "$dir/tftp"
    chmod 755 "$dir" "$dir/boot" "$dir/tftp"
    cat >"$dir/nginx.conf" <<EOF
load_module "$MODULE";
$(t_nginx_user "$dir")
daemon off;
worker_processes 1;
pid "$dir/nginx.pid";
error_log "$dir/error.log" info;

events {
    worker_connections 64;
}

http {
    log_format alpxe '\$remote_addr "\$request" \$status mac=\$alpxe_mac '
                     'host=\$alpxe_host profile=\$alpxe_profile result=\$alpxe_result';
    access_log $dir/access.log alpxe;
    map \$alpxe_result \$alpxe_boots { boot yes; default no; }
$(t_nginx_temp_paths "$dir")
    large_client_header_buffers 4 16k;

    $keep
    $*

    server {
        listen 127.0.0.1:$port;
        add_header X-Alpxe-Host \$alpxe_host always;
        add_header X-Alpxe-Boots \$alpxe_boots always;

        location /pxe/        { alpxe; }
        location /pxe/boot/   { alias "$dir/boot/"; }
        location /pxe/loader/ { alias "$dir/tftp/"; }
        location /noslash     { alpxe; }
        location ~ ^/re/      { alpxe; }
    }
}
EOF
}

# ngx_start DIR: run nginx in the background, wait for its port.
# Sets PID to the master's pid.
ngx_start() {
    local dir=$1 port
    port=$(sed -n 's/^ *listen 127.0.0.1:\([0-9]*\);/\1/p' "$dir/nginx.conf")
    env $(t_daemon_env) "$NGINX" -p "$dir/" -c "$dir/nginx.conf" 2>"$dir/stderr" &
    PID=$!
    t_track "$PID"
    t_wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$port/" &&
        kill -0 "$PID" 2>/dev/null
}

# req [CURL-ARGS...] URL: S = status, body in $tmp/body, headers in $tmp/hdr.
req() {
    : >"$tmp/body"
    : >"$tmp/hdr"
    S=$(curl -s -g --path-as-is --max-time 10 -o "$tmp/body" -D "$tmp/hdr" \
        -w '%{http_code}' "$@")
}

# header NAME: the value of a response header of the last req.
header() {
    tr -d '\r' <"$tmp/hdr" | sed -n "s/^$1: *//Ip" | head -1
}

# render FILE MAC OUT: the reference script.
render() {
    "$ALPXE" render -c "$1" "$2" >"$3"
}

# expect_script NAME REF URL [CURL-ARGS...]: 200 and the body equals REF.
expect_script() {
    local name=$1 ref=$2
    shift 2
    req "$@"
    if [ "$S" = 200 ] && cmp -s "$ref" "$tmp/body"; then
        t_ok "$name"
    else
        t_fail "$name" "status $S, body:" "$(head -c 600 "$tmp/body")" \
            "expected:" "$(cat "$ref")"
    fi
}

# expect_status NAME STATUS URL [CURL-ARGS...]
expect_status() {
    local name=$1 status=$2
    shift 2
    req "$@"
    t_eq "$name" "$status" "$S"
}

# serves DIR MAC REF: does the instance in DIR serve REF for MAC?
serves() {
    local port
    port=$(sed -n 's/^ *listen 127.0.0.1:\([0-9]*\);/\1/p' "$1/nginx.conf")
    curl -s --max-time 5 -o "$tmp/poll" "http://127.0.0.1:$port/pxe/$2/gpxe-script" &&
        cmp -s "$3" "$tmp/poll"
}

# workers PID: the master's children, sorted, one line (no procps needed)
workers() {
    tr ' ' '\n' <"/proc/$1/task/$1/children" | grep . | sort | tr '\n' ' '
}

one_worker() {
    [ "$(workers "$1" | wc -w)" -eq 1 ]
}

# ------------------------------------------------- the main instance

main=$tmp/main
mkdir -p "$main"
mk_alpxe "$main/alpxe.conf"
port=$(t_port)
port2=$(t_port)
# a second server: tiny-cloud's "//" with merge_slashes off
mk_nginx "$main" "$port" "alpxe_config '$main/alpxe.conf';
    server { listen 127.0.0.1:$port2; merge_slashes off; location /pxe/ { alpxe; } }"
U=http://127.0.0.1:$port

render "$main/alpxe.conf" "$NUC1" "$tmp/nuc1.ref"
render "$main/alpxe.conf" "$LOCAL" "$tmp/local.ref"
render "$main/alpxe.conf" "$CAPS" "$tmp/caps.ref"
render "$main/alpxe.conf" "$UNKNOWN" "$tmp/unknown.ref"
render "$main/alpxe.conf" "$UNKNOWN2" "$tmp/unknown2.ref"
if [ -s "$tmp/nuc1.ref" ] && grep -q '^#!ipxe' "$tmp/nuc1.ref"; then
    t_ok "alpxe render gives the reference script"
else
    t_fail "alpxe render gives the reference script" "$(cat "$tmp/nuc1.ref")"
fi

out=$(env $(t_daemon_env) "$NGINX" -t -p "$main/" -c "$main/nginx.conf" 2>&1)
t_eq "nginx -t accepts the module and alpxe.conf" 0 $?
t_nomatch "the module is binary compatible" "not binary compatible" "$out"
t_match "nginx -t: the load is told, with its time, hosts and checksum" \
    "\[notice\] .*alpxe: \"$main/alpxe\.conf\" loaded in [0-9]+\.[0-9] ms: [0-9]+ hosts, [0-9]+ profiles, [0-9]+ warnings, sha256 $(sha256sum <"$main/alpxe.conf" | cut -c1-64) in " "$out"

if ngx_start "$main"; then
    t_ok "nginx starts with the module"
else
    t_fail "nginx starts with the module" "$(cat "$main/stderr" "$main/error.log" 2>/dev/null)"
    t_done
    exit
fi

# --- the script, every spelling

expect_script "GET /pxe/<mac>/gpxe-script: body = alpxe render" \
    "$tmp/nuc1.ref" "$U/pxe/$NUC1/gpxe-script"
t_eq "Content-Type text/plain" "text/plain" "$(header Content-Type)"
t_eq "Cache-Control no-store" "no-store" "$(header Cache-Control)"
t_eq "Content-Length is the script's" "$(wc -c <"$tmp/nuc1.ref" | tr -d ' ')" \
    "$(header Content-Length)"

for mac in 52-54-00-12-34-56 5254.0012.3456 525400123456 52:54:0:12:34:56 \
        01-52-54-00-12-34-56; do
    expect_script "spelling $mac" "$tmp/nuc1.ref" "$U/pxe/$mac/gpxe-script"
done
for mac in 52:54:00:ab:cd:ef 52:54:00:AB:CD:EF 52-54-00-Ab-cD-eF 525400ABCDEF \
        5254.00ab.cdef; do
    expect_script "spelling $mac" "$tmp/caps.ref" "$U/pxe/$mac/gpxe-script"
done
expect_script "iPXE's encoded colons %3A" "$tmp/nuc1.ref" \
    "$U/pxe/52%3A54%3A00%3A12%3A34%3A56/gpxe-script"
expect_script "encoded colons, lower-case %3a" "$tmp/nuc1.ref" \
    "$U/pxe/52%3a54%3a00%3a12%3a34%3a56/gpxe-script"
expect_script "?mac= on /pxe/gpxe-script" "$tmp/nuc1.ref" \
    "$U/pxe/gpxe-script?mac=$NUC1"
expect_script "?mac= with encoded colons" "$tmp/nuc1.ref" \
    "$U/pxe/gpxe-script?mac=52%3A54%3A00%3A12%3A34%3A56"
expect_script "?mac= among other arguments" "$tmp/nuc1.ref" \
    "$U/pxe/gpxe-script?arch=7&mac=5254.0012.3456&x=y"
expect_script "prefix location without trailing slash" "$tmp/nuc1.ref" \
    "$U/noslash/$NUC1/gpxe-script"
expect_status "... but not a longer name" 404 "$U/noslashx/$NUC1/gpxe-script"
expect_script "regex location: the last two segments" "$tmp/nuc1.ref" \
    "$U/re/any/where/$NUC1/gpxe-script"
expect_script "regex location with ?mac=" "$tmp/nuc1.ref" \
    "$U/re/x/gpxe-script?mac=$NUC1"

# HEAD: raw, to see that no body follows the header
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'HEAD /pxe/%s/gpxe-script HTTP/1.0\r\nHost: t\r\n\r\n' "$NUC1" >&3
head_resp=$(timeout 5 cat <&3 | tr -d '\r')
exec 3<&-
t_match "HEAD: 200" '^HTTP/1.1 200' "$head_resp"
t_match "HEAD: Content-Length of the script" \
    "Content-Length: $(wc -c <"$tmp/nuc1.ref" | tr -d ' ')" "$head_resp"
t_eq "HEAD: no body" "" "$(printf '%s\n' "$head_resp" | sed '1,/^$/d')"

# Conditional requests: a script is made per request, there is nothing to
# revalidate, so the answer is always the whole script.
expect_script "If-None-Match: * gets 200 and the script" "$tmp/nuc1.ref" \
    "$U/pxe/$NUC1/gpxe-script" -H 'If-None-Match: *'
expect_script "If-Match: \"x\" gets 200 and the script" "$tmp/nuc1.ref" \
    "$U/pxe/$NUC1/gpxe-script" -H 'If-Match: "x"'
expect_script "If-Modified-Since gets 200 and the script" "$tmp/nuc1.ref" \
    "$U/pxe/$NUC1/gpxe-script" -H 'If-Modified-Since: Thu, 01 Jan 2037 00:00:00 GMT'
expect_script "If-Unmodified-Since in the past gets 200" "$tmp/nuc1.ref" \
    "$U/pxe/$NUC1/gpxe-script" -H 'If-Unmodified-Since: Thu, 01 Jan 1970 00:00:01 GMT'

# --- policies, boot = local / off

expect_script "unknown MAC, unknown = default: the default profile" \
    "$tmp/unknown.ref" "$U/pxe/$UNKNOWN/gpxe-script"
t_match "... rendered for that MAC" "mac=$UNKNOWN( |$)" "$(cat "$tmp/body")"
expect_script "another unknown MAC gets its own script" "$tmp/unknown2.ref" \
    "$U/pxe/$UNKNOWN2/gpxe-script"
expect_script "boot = local: the exit script" "$tmp/local.ref" \
    "$U/pxe/$LOCAL/gpxe-script"
t_match "... which is 'exit'" "^exit$" "$(cat "$tmp/body")"
expect_status "boot = off: 404" 404 "$U/pxe/$OFF/gpxe-script"

# --- client errors

expect_status "malformed MAC: 400" 400 "$U/pxe/52:54:00:12:34/gpxe-script"
expect_status "not hex: 400" 400 "$U/pxe/zz:54:00:12:34:56/gpxe-script"
expect_status "?mac= malformed: 400" 400 "$U/pxe/gpxe-script?mac=nonsense"
expect_status "?mac= empty: 400" 400 "$U/pxe/gpxe-script?mac="
printf '#!ipxe\nchain http://10.0.0.28/pxe/${netX/mac:hexhyp}/gpxe-script\n' \
    >"$tmp/chain.ref"
expect_script "no MAC at all (the classic embedded loader): a script chaining to the NIC's own URL" \
    "$tmp/chain.ref" "$U/pxe/gpxe-script"
expect_status "a broken escape in ?mac=: 400" 400 \
    "$U/pxe/gpxe-script?mac=52%:54:00:12:34:56"
expect_status "an escape cut short in ?mac=: 400" 400 \
    "$U/pxe/gpxe-script?mac=52:54:00:12:34:5%"
expect_script "?MAC= (argument names in any case, as nginx's \$arg_)" \
    "$tmp/nuc1.ref" "$U/pxe/gpxe-script?MAC=$NUC1"
expect_status "%00 in ?mac=: 400" 400 \
    "$U/pxe/gpxe-script?mac=52%3A54%3A00%3A12%3A34%3A56%00"
expect_status "%00 in the path: 400" 400 \
    "$U/pxe/52%3A54%3A00%3A12%3A34%3A56%00/gpxe-script"
expect_status "%00 inside the MAC: 400" 400 \
    "$U/pxe/52%3A54%00%3A00%3A12%3A34%3A56/gpxe-script"
long=$(head -c 8000 /dev/zero | tr '\0' a)
expect_status "8 KB URI: 400" 400 "$U/pxe/$long/gpxe-script"
expect_status "8 KB ?mac=: 400" 400 "$U/pxe/gpxe-script?mac=$long"
expect_script "... and the server still answers" "$tmp/nuc1.ref" \
    "$U/pxe/$NUC1/gpxe-script"

expect_status "/pxe/: 404" 404 "$U/pxe/"
expect_status "/pxe/<mac>: 404" 404 "$U/pxe/$NUC1"
expect_status "/pxe/<mac>/: 404" 404 "$U/pxe/$NUC1/"
expect_status "/pxe/<mac>/other: 404" 404 "$U/pxe/$NUC1/other"
expect_status "/pxe/<mac>/gpxe-script/x: 404" 404 "$U/pxe/$NUC1/gpxe-script/x"
expect_status "/pxe/a/<mac>/gpxe-script: 404" 404 "$U/pxe/a/$NUC1/gpxe-script"
expect_status "/pxe/<mac>/GPXE-SCRIPT: 404" 404 "$U/pxe/$NUC1/GPXE-SCRIPT"
expect_script "/pxe//gpxe-script (slashes merged, no MAC): the chain script" \
    "$tmp/chain.ref" "$U/pxe//gpxe-script"
expect_script "'..' out of the MAC: /pxe/<mac>/../gpxe-script is the MAC-less URL" \
    "$tmp/chain.ref" "$U/pxe/$NUC1/../gpxe-script"
expect_status "'..' above the root: 400" 400 "$U/pxe/../../etc/passwd"
expect_status "encoded '..': 400" 400 \
    "$U/pxe/..%2F..%2F..%2Fetc%2Fpasswd/gpxe-script"
expect_status "'..' resolved before the module: 404" 404 \
    "$U/pxe/boot/../gpxe-script/x"

for m in POST PUT DELETE OPTIONS; do
    expect_status "$m: 405" 405 -X "$m" "$U/pxe/$NUC1/gpxe-script"
done
t_eq "405 says Allow: GET, HEAD" "GET, HEAD" "$(header Allow)"
expect_status "POST with a body: 405" 405 -d 'x=1' "$U/pxe/gpxe-script?mac=$NUC1"

# --- NoCloud metadata (metadata = yes): tiny-cloud's four documents

for doc in meta-data user-data vendor-data network-config; do
    "$ALPXE" render -c "$main/alpxe.conf" "$META" "$doc" >"$tmp/$doc.ref" 2>/dev/null
    expect_script "metadata: GET /pxe/<mac>/$doc = alpxe render MAC $doc" \
        "$tmp/$doc.ref" "$U/pxe/$META/$doc"
done
t_match "metadata: meta-data names the host as tiny-cloud reads it (hostname)" \
    '^hostname: "metahost"$' "$(cat "$tmp/meta-data.ref")"
t_match "metadata: user-data is #alpine-config with the host's key" \
    '^#alpine-config.*- "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9ok admin@test"' \
    "$(tr '\n' ' ' <"$tmp/user-data.ref")"
t_match "metadata: user-data mounts the host's NFS directory" \
    '10\.0\.0\.28:/homes/metahost /media/alpxe nfs rw,_netdev,vers=4 0 0' "$(cat "$tmp/user-data.ref")"
t_eq "metadata: vendor-data is empty" 0 "$(wc -c <"$tmp/vendor-data.ref")"
t_match "metadata: network-config has the static address" '"10\.0\.0\.60/24"' \
    "$(cat "$tmp/network-config.ref")"
expect_script "metadata: tiny-cloud's double slash (seed \"<mac>/\" + \"/meta-data\")" \
    "$tmp/meta-data.ref" "$U/pxe/$META//meta-data"
expect_script "metadata: with merge_slashes off too" \
    "$tmp/meta-data.ref" "http://127.0.0.1:$port2/pxe/$META//meta-data"
expect_script "metadata: any MAC spelling" "$tmp/user-data.ref" \
    "$U/pxe/52-54-00-00-00-07/user-data"
t_match "metadata: the kernel line carries tiny-cloud's seed, last" \
    " ds=nocloud;s=http://10\.0\.0\.28/pxe/$META/\$" \
    "$(curl -s "$U/pxe/$META/gpxe-script" | sed -n 's/^kernel //p')"
expect_status "metadata: a host without metadata = yes: 404" 404 "$U/pxe/$NUC1/meta-data"
expect_status "metadata: an unknown MAC whose profile has none: 404" 404 \
    "$U/pxe/$UNKNOWN/user-data"
expect_status "metadata: boot = local: 404" 404 "$U/pxe/$LOCAL/meta-data"
expect_status "metadata: a document name in another case: 404" 404 "$U/pxe/$META/META-DATA"
expect_status "metadata: HEAD of user-data: 200" 200 -I "$U/pxe/$META/user-data"

# --- the menu (boot = menu): the profiles, and only those as choices

render "$main/alpxe.conf" "$PICK" "$tmp/menu.ref"
expect_script "boot = menu: the menu = alpxe render" "$tmp/menu.ref" "$U/pxe/$PICK/gpxe-script"
t_match "... an iPXE menu of the profiles, the host's profile the default" \
    " item --key 3 -- meta 3\. meta: with NoCloud metadata .*choose --default lts --timeout 10000 " \
    "$(tr '\n' ' ' <"$tmp/menu.ref")"
"$ALPXE" render -c "$main/alpxe.conf" "$PICK" --profile meta >"$tmp/choice.ref" 2>/dev/null
expect_script "boot = menu: ?profile=meta is the chosen profile's script" "$tmp/choice.ref" \
    "$U/pxe/$PICK/gpxe-script?profile=meta"
t_match "... its seed names the choice" " ds=nocloud;s=http://10\.0\.0\.28/pxe/$PICK/meta/\$" \
    "$(sed -n 's/^kernel //p' "$tmp/choice.ref")"
"$ALPXE" render -c "$main/alpxe.conf" "$PICK" meta-data --profile meta >"$tmp/choice-meta.ref" 2>/dev/null
expect_script "boot = menu: the choice's meta-data at <mac>/<profile>//meta-data" \
    "$tmp/choice-meta.ref" "$U/pxe/$PICK/meta//meta-data"
t_match "... naming the host" '^hostname: "picker"$' "$(cat "$tmp/choice-meta.ref")"
expect_status "boot = menu: a choice the file does not have: 404" 404 \
    "$U/pxe/$PICK/gpxe-script?profile=nope"
expect_status "boot = menu: a choice's documents when it has no metadata: 404" 404 \
    "$U/pxe/$PICK/lts/meta-data"
expect_status "boot = menu: no documents before a choice: 404" 404 "$U/pxe/$PICK/meta-data"
expect_status "a choice for a host with no menu: 404" 404 "$U/pxe/$NUC1/gpxe-script?profile=meta"
expect_status "a choice's broken escape: 400" 400 "$U/pxe/$PICK/gpxe-script?profile=a%2"

# --- the static neighbours of the snippet

printf 'kernel bytes\n' >"$main/boot/vmlinuz-lts"
printf 'loader bytes\n' >"$main/tftp/snponly.efi"
expect_script "/pxe/boot/ stays with nginx's static files" \
    "$main/boot/vmlinuz-lts" "$U/pxe/boot/vmlinuz-lts"
expect_script "/pxe/loader/<file> maps to the TFTP root (UEFI HTTP boot)" \
    "$main/tftp/snponly.efi" "$U/pxe/loader/snponly.efi"

# --- $alpxe_mac, $alpxe_host, $alpxe_profile, $alpxe_result

# access NAME REQUEST-REGEX EXPECTED: the access-log line of the last
# request matching REQUEST-REGEX ends with EXPECTED (status and variables).
access() {
    local line
    line=$(grep -a -E "\"GET $2 HTTP/1.1\"" "$main/access.log" | tail -1)
    t_eq "$1" "$3" "${line#*HTTP/1.1\" }"
}

req "$U/pxe/$NUC1/gpxe-script"
t_eq "add_header \$alpxe_host: the host's name" nuc1 "$(header X-Alpxe-Host)"
t_eq "map \$alpxe_result: boot" yes "$(header X-Alpxe-Boots)"
access "access log: a known host's script" "/pxe/$NUC1/gpxe-script" \
    "200 mac=$NUC1 host=nuc1 profile=lts result=boot"
req "$U/pxe/52%3A54%3A00%3A12%3A34%3A56/gpxe-script"
access "access log: iPXE's encoded colons, the MAC as alpxe writes it" \
    "/pxe/52%3A54%3A00%3A12%3A34%3A56/gpxe-script" \
    "200 mac=$NUC1 host=nuc1 profile=lts result=boot"
req "$U/pxe/gpxe-script?mac=5254.0012.3456"
access "access log: ?mac= in another spelling" "/pxe/gpxe-script\\?mac=5254.0012.3456" \
    "200 mac=$NUC1 host=nuc1 profile=lts result=boot"
req "$U/pxe/$UNKNOWN/gpxe-script"
t_eq "add_header: an unknown MAC has no host (empty)" "" "$(header X-Alpxe-Host)"
access "access log: an unknown MAC, the default profile" "/pxe/$UNKNOWN/gpxe-script" \
    "200 mac=$UNKNOWN host=- profile=vars result=boot"
req "$U/pxe/$LOCAL/gpxe-script"
t_eq "map \$alpxe_result: exit is not boot" no "$(header X-Alpxe-Boots)"
access "access log: boot = local" "/pxe/$LOCAL/gpxe-script" \
    "200 mac=$LOCAL host=localboot profile=- result=exit"
req "$U/pxe/$OFF/gpxe-script"
t_eq "add_header always: boot = off's 404 names the host" offhost "$(header X-Alpxe-Host)"
access "access log: boot = off" "/pxe/$OFF/gpxe-script" \
    "404 mac=$OFF host=offhost profile=- result=none"
req "$U/pxe/52:54:00:12:34/gpxe-script"
access "access log: a malformed MAC" "/pxe/52:54:00:12:34/gpxe-script" \
    "400 mac=- host=- profile=- result=bad-mac"
req "$U/pxe/$NUC1/other"
access "access log: not a script" "/pxe/$NUC1/other" \
    "404 mac=- host=- profile=- result=not-script"
req "$U/pxe/boot/vmlinuz-lts"
access "access log: a static location the module does not handle" \
    "/pxe/boot/vmlinuz-lts" "200 mac=- host=- profile=- result=-"
req -X POST "$U/pxe/$NUC1/gpxe-script"
t_match "access log: a POST" "\"POST /pxe/$NUC1/gpxe-script HTTP/1.1\" 405 mac=- host=- profile=- result=bad-method$" \
    "$(tail -1 "$main/access.log")"
req "$U/pxe/$META/user-data"
access "access log: a NoCloud document, its host and profile" "/pxe/$META/user-data" \
    "200 mac=$META host=metahost profile=meta result=boot"
req "$U/pxe/$NUC1/user-data"
access "access log: a document the machine does not get" "/pxe/$NUC1/user-data" \
    "404 mac=$NUC1 host=nuc1 profile=lts result=not-served"
req "$U/pxe/gpxe-script"
access "access log: no MAC, the chain script" "/pxe/gpxe-script" \
    "200 mac=- host=- profile=- result=chain"
req "$U/pxe/$PICK/gpxe-script"
access "access log: a menu, its default item as the profile" \
    "/pxe/$PICK/gpxe-script" "200 mac=$PICK host=picker profile=lts result=menu"

log=$(cat "$main/error.log")
t_nomatch "no per-request line in the error log (at info)" \
    "alpxe: .*($NUC1|$UNKNOWN|$LOCAL|$META|$PICK|malformed|chain)" "$log"
t_nomatch "no alerts, no crashes" "\[(alert|crit)\]|signal [0-9]+|core dumped" "$log"

# --- reload

cp "$tmp/nuc1.ref" "$tmp/old.ref"
sed 's/^\(args *=.*\) quiet/\1 quiet reloaded=1/' "$main/alpxe.conf" >"$tmp/changed.conf"
render "$tmp/changed.conf" "$NUC1" "$tmp/new.ref"
if cmp -s "$tmp/old.ref" "$tmp/new.ref"; then
    t_fail "the changed alpxe.conf renders differently" "$(cat "$tmp/new.ref")"
else
    t_ok "the changed alpxe.conf renders differently"
fi

cp "$tmp/changed.conf" "$main/alpxe.conf"
sleep 0.2
if serves "$main" "$NUC1" "$tmp/old.ref"; then
    t_ok "a changed file without reload: the loaded script is served"
else
    t_fail "a changed file without reload: the loaded script is served"
fi

env $(t_daemon_env) "$NGINX" -p "$main/" -c "$main/nginx.conf" -s reload 2>"$tmp/reload.err"
t_eq "nginx -s reload with a changed alpxe.conf: exit 0" 0 $?
if t_wait_for 10 serves "$main" "$NUC1" "$tmp/new.ref"; then
    t_ok "after reload the new script is served"
else
    t_fail "after reload the new script is served" "$(cat "$tmp/poll")"
fi
t_wait_for 10 one_worker "$PID"
old_workers=$(workers "$PID")
t_match "one worker serving before the broken reload" '^[0-9]+ $' "$old_workers"

# a broken alpxe.conf: the error at a known line
nlines=$(wc -l <"$tmp/changed.conf")
bad_line=$((nlines + 3))
{ cat "$tmp/changed.conf"; printf '\n[host bad]\nmac = not-a-mac\nprofile = lts\n'; } \
    >"$tmp/broken.conf"
cp "$tmp/broken.conf" "$main/alpxe.conf"

# A broken alpxe.conf never stops a reload (one may be made for another
# site): the new workers serve the last good version, the error log says
# what is wrong and what serves.
out=$(env $(t_daemon_env) "$NGINX" -p "$main/" -c "$main/nginx.conf" -s reload 2>&1)
rc=$?
t_eq "nginx -s reload with a broken alpxe.conf: taken" 0 "$rc"
t_match "... naming the file and line" "alpxe\.conf:$bad_line:" "$out"
t_match "... as an [error], not an [emerg]" "\[error\].*alpxe\.conf:$bad_line:" "$out"
t_nomatch "... no [emerg]" "\[emerg\]" "$out"

kill -HUP "$PID"
if t_wait_for 10 grep -q "does not load: serving its last good version" "$main/error.log"; then
    t_ok "HUP with a broken alpxe.conf: the error log says the last good version serves"
else
    t_fail "HUP with a broken alpxe.conf: the error log says the last good version serves" \
        "$(tail -5 "$main/error.log")"
fi
t_match "... with file:line" "\[error\].*alpxe\.conf:$bad_line:" "$(cat "$main/error.log")"
t_match "... and the checksum of what serves" \
    "sha256 $(sha256sum <"$tmp/changed.conf" | cut -c1-64)" "$(cat "$main/error.log")"
sleep 0.5
if kill -0 "$PID" 2>/dev/null; then
    t_ok "... the master keeps running"
else
    t_fail "... the master keeps running"
fi
t_wait_for 10 one_worker "$PID"
if [ "$(workers "$PID")" != "$old_workers" ]; then
    t_ok "... new workers started (the reload was taken)"
else
    t_fail "... new workers started (the reload was taken)" "$(workers "$PID")"
fi
if serves "$main" "$NUC1" "$tmp/new.ref"; then
    t_ok "... and they serve the last good script"
else
    t_fail "... and they serve the last good script" "$(cat "$tmp/poll")"
fi

# fixed again: a later reload works
sed 's/reloaded=1/reloaded=2/' "$tmp/changed.conf" >"$tmp/fixed.conf"
render "$tmp/fixed.conf" "$NUC1" "$tmp/fixed.ref"
cp "$tmp/fixed.conf" "$main/alpxe.conf"
kill -HUP "$PID"
if t_wait_for 10 serves "$main" "$NUC1" "$tmp/fixed.ref"; then
    t_ok "a fixed alpxe.conf loads on the next reload"
else
    t_fail "a fixed alpxe.conf loads on the next reload" "$(cat "$tmp/poll")"
fi

# --- unknown = ignore / exit: instances of their own

for policy in ignore exit; do
    dir=$tmp/$policy
    mkdir -p "$dir"
    mk_alpxe "$dir/alpxe.conf" "$policy"
    mk_nginx "$dir" "$(t_port)" "alpxe_config '$dir/alpxe.conf';"
    if ! ngx_start "$dir"; then
        t_fail "nginx starts with unknown = $policy" "$(cat "$dir/stderr")"
        continue
    fi
    p=$(sed -n 's/^ *listen 127.0.0.1:\([0-9]*\);/\1/p' "$dir/nginx.conf")
    if [ "$policy" = ignore ]; then
        expect_status "unknown = ignore: 404 for an unknown MAC" 404 \
            "http://127.0.0.1:$p/pxe/$UNKNOWN/gpxe-script"
    else
        render "$dir/alpxe.conf" "$UNKNOWN" "$tmp/exit.ref"
        expect_script "unknown = exit: the exit script for an unknown MAC" \
            "$tmp/exit.ref" "http://127.0.0.1:$p/pxe/$UNKNOWN/gpxe-script"
        t_match "... which is 'exit'" "^exit$" "$(cat "$tmp/body")"
    fi
    expect_script "unknown = $policy: known hosts still boot" "$tmp/nuc1.ref" \
        "http://127.0.0.1:$p/pxe/$NUC1/gpxe-script"
    t_stop "$PID"
done

# --- nginx -t

tdir=$tmp/t
mkdir -p "$tdir"
cp "$tmp/broken.conf" "$tdir/broken.conf"
# systemd runs nginx -t before every start and reload: a broken alpxe.conf
# must not fail it, only say what is wrong.  alpxe_strict on: it fails.
mk_nginx "$tdir" "$(t_port)" "alpxe_config '$tdir/broken.conf';"
out=$(env $(t_daemon_env) "$NGINX" -t -p "$tdir/" -c "$tdir/nginx.conf" 2>&1)
t_eq "nginx -t with a broken alpxe.conf succeeds" 0 $?
t_match "... with file:line as [error]" "\[error\] [0-9#]+: $tdir/broken\.conf:$bad_line: " "$out"
t_match "... and says the alpxe locations answer 503" "answer 503 until it loads" "$out"
t_eq "... and writes no last good copy" no \
    "$([ -e "$tdir/last-good.conf" ] && echo yes || echo no)"

mk_nginx "$tdir" "$(t_port)" "alpxe_config '$tdir/broken.conf'; alpxe_strict on;"
out=$(env $(t_daemon_env) "$NGINX" -t -p "$tdir/" -c "$tdir/nginx.conf" 2>&1)
t_eq "alpxe_strict on: nginx -t with a broken alpxe.conf fails" 1 $?
t_match "... with file:line as [emerg]" "\[emerg\] [0-9#]+: $tdir/broken\.conf:$bad_line: " "$out"
t_match "... and the nginx.conf line of alpxe_config" "in $tdir/nginx\.conf:[0-9]+" "$out"

mk_nginx "$tdir" "$(t_port)" "alpxe_strict on; alpxe_config '$tdir/missing.conf';"
out=$(env $(t_daemon_env) "$NGINX" -t -p "$tdir/" -c "$tdir/nginx.conf" 2>&1)
t_eq "alpxe_strict on (before alpxe_config): a missing alpxe.conf fails nginx -t" 1 $?
t_match "... naming it" "missing\.conf.*No such file" "$out"

# Not a regular file: refused at once, never waited on (a FIFO would hang
# nginx's master in open() for ever).
mkfifo "$tdir/fifo.conf"
mk_nginx "$tdir" "$(t_port)" "alpxe_config '$tdir/fifo.conf'; alpxe_strict on;"
out=$(timeout 10 env $(t_daemon_env) "$NGINX" -t -p "$tdir/" -c "$tdir/nginx.conf" 2>&1)
rc=$?
t_eq "a FIFO as alpxe.conf: nginx -t does not block, and fails strict" 1 "$rc"
t_match "... saying it is not a regular file" "fifo\.conf: error: cannot read: not a regular file" "$out"
mk_nginx "$tdir" "$(t_port)" "alpxe_config /dev/zero; alpxe_strict on;"
out=$(timeout 10 env $(t_daemon_env) "$NGINX" -t -p "$tdir/" -c "$tdir/nginx.conf" 2>&1)
t_match "/dev/zero as alpxe.conf: not a regular file" "/dev/zero: error: cannot read: not a regular file" "$out"

cp "$main/alpxe.conf" "$tdir/rel.conf"
mk_nginx "$tdir" "$(t_port)" "alpxe_config rel.conf;"
out=$(env $(t_daemon_env) "$NGINX" -t -p "$tdir/" -c "$tdir/nginx.conf" 2>&1)
t_eq "a relative alpxe_config is relative to nginx.conf's directory" 0 $?

# the example's ssh_key beside apkovl: Alpine ignores it
cp "$main/alpxe.conf" "$tdir/warn.conf"
warn_line=$(grep -n '^ssh_key' "$tdir/warn.conf" | head -1 | cut -d: -f1)
mk_nginx "$tdir" "$(t_port)" "alpxe_config '$tdir/warn.conf';"
out=$(env $(t_daemon_env) "$NGINX" -t -p "$tdir/" -c "$tdir/nginx.conf" 2>&1)
t_eq "a warning in alpxe.conf does not fail nginx -t" 0 $?
t_match "... it is shown as [warn] with file:line" \
    "\[warn\] [0-9#]+: $tdir/warn\.conf:$warn_line: " "$out"

# "alpxe" without "alpxe_config": the default path
mk_nginx "$tdir" "$(t_port)" ""
out=$(env $(t_daemon_env) "$NGINX" -t -p "$tdir/" -c "$tdir/nginx.conf" 2>&1)
if [ -e /etc/alpxe/alpxe.conf ]; then
    t_skip "without alpxe_config, /etc/alpxe/alpxe.conf is read" \
        "/etc/alpxe/alpxe.conf exists here"
else
    t_match "without alpxe_config, /etc/alpxe/alpxe.conf is read" \
        "\[error\].*/etc/alpxe/alpxe\.conf: error: cannot read" "$out"
fi

# --- starting with a broken alpxe.conf: nginx starts all the same

sdir=$tmp/start
mkdir -p "$sdir"
printf '[server\n' >"$sdir/alpxe.conf"
mk_nginx "$sdir" "$(t_port)" "alpxe_config '$sdir/alpxe.conf';"
if ngx_start "$sdir"; then
    t_ok "a broken alpxe.conf and no good version kept: nginx starts"
    sp=$(sed -n 's/^ *listen 127.0.0.1:\([0-9]*\);/\1/p' "$sdir/nginx.conf")
    expect_status "... the alpxe locations answer 503" 503 \
        "http://127.0.0.1:$sp/pxe/$NUC1/gpxe-script"
    t_match "... \$alpxe_result says no-config" \
        "\" 503 mac=$NUC1 host=- profile=- result=no-config\$" "$(tail -1 "$sdir/access.log")"
    expect_status "... its other locations serve as ever" 404 \
        "http://127.0.0.1:$sp/pxe/boot/none"
    # the file fixed, a reload serves it; broken again, a restart serves it
    cp "$main/alpxe.conf" "$sdir/alpxe.conf"
    render "$sdir/alpxe.conf" "$NUC1" "$tmp/start.ref"
    kill -HUP "$PID"
    if t_wait_for 10 serves "$sdir" "$NUC1" "$tmp/start.ref"; then
        t_ok "... fixed and reloaded: the script is served"
    else
        t_fail "... fixed and reloaded: the script is served" "$(cat "$tmp/poll")"
    fi
    t_stop "$PID"
    printf '[server\n' >"$sdir/alpxe.conf"
    if ngx_start "$sdir" && t_wait_for 10 serves "$sdir" "$NUC1" "$tmp/start.ref"; then
        t_ok "broken again, nginx restarted: the last good script is served"
    else
        t_fail "broken again, nginx restarted: the last good script is served" \
            "$(cat "$tmp/poll" "$sdir/stderr" 2>/dev/null | tail -5)"
    fi
    t_stop "$PID"
else
    t_fail "a broken alpxe.conf and no good version kept: nginx starts" \
        "$(cat "$sdir/stderr")"
fi
mk_nginx "$sdir" "$(t_port)" "alpxe_config '$sdir/alpxe.conf'; alpxe_strict on;"
if ngx_start "$sdir"; then
    t_fail "alpxe_strict on: nginx refuses to start with a broken alpxe.conf"
    t_stop "$PID"
else
    t_ok "alpxe_strict on: nginx refuses to start with a broken alpxe.conf"
fi

mk_nginx "$tdir" "$(t_port)" "alpxe_config rel.conf; alpxe_config rel.conf;"
out=$(env $(t_daemon_env) "$NGINX" -t -p "$tdir/" -c "$tdir/nginx.conf" 2>&1)
t_match "a second alpxe_config is refused" '"alpxe_config" directive is duplicate' "$out"

t_done
