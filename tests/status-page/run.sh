#!/bin/bash
# tests/status-page/run.sh - `alpxe status --html FILE` in a real browser.
#
# A fleet's logs are written here (one host booted, one whose loader
# in.tftpd refused, one never seen, and an unknown MAC declined); the page
# alpxe writes from them is opened in headless Chromium (Debian's package):
#   - it is self-contained: no script, no stylesheet or image from outside;
#   - the DOM Chromium renders lists the failing hosts first, each marked
#     failing, with its stages and the diagnosis;
#   - the screenshot shows the red of a failing badge, and the green of a
#     booted one; the page of a fleet that all booted has no red at all.
. "$(dirname "$0")/../lib.sh"

alpxe=$T_BUILD/alpxe
pngc=$T_BUILD/tests/png-colors
tmp=$(t_tmpdir)
export TZ=UTC
RED=c62828 GREEN=2e7d32

CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$CHROMIUM" ]; then
    t_skip "status page in Chromium" "chromium is not installed (make deps installs Debian's package)"
    t_done
    exit
fi

mkdir -p "$tmp/logs"
cat >"$tmp/alpxe.conf" <<EOF
[server]
address = 10.0.0.1
unknown = ignore

[log]
kea   = $tmp/logs/kea.log
tftpd = $tmp/logs/syslog
nginx = $tmp/logs/access.log

[profile lts]
kernel  = boot/vmlinuz-lts
initrd  = boot/initramfs-lts
apkovl  = http://10.0.0.1/ovl/{MAC}.apkovl.tar.gz

[host good1]
mac     = 52:54:00:00:00:01
profile = lts
[host broken3]
mac     = 52:54:00:00:00:03
profile = lts
[host quiet8]
mac     = 52:54:00:00:00:08
profile = lts
EOF

K=$tmp/logs/kea.log S=$tmp/logs/syslog A=$tmp/logs/access.log
answer() {  # TIME MAC STAGE FILE TID HOST
    printf '2026-11-20 %s INFO  [kea-dhcp4.alpxe/1.2] ALPXE_ANSWER [hwtype=1 %s], cid=[no info], tid=0x%s: mac %s, stage %s, arch bios (type 0), host %s, profile lts, siaddr 10.0.0.1, file %s\n' \
        "$1" "$2" "$5" "$2" "$3" "$6" "$4" >>"$K"
}
lease() {   # TIME MAC IP TID
    printf '2026-11-20 %s INFO  [kea-dhcp4.leases/1.2] DHCP4_LEASE_ALLOC [hwtype=1 %s], cid=[no info], tid=0x%s: lease %s has been allocated for 60 seconds\n' \
        "$1" "$2" "$4" "$3" >>"$K"
}
get() {     # TIME IP PATH STATUS
    printf '%s - - [20/Nov/2026:%s +0000] "GET %s HTTP/1.1" %s 100 "-" "iPXE"\n' "$2" "$1" "$3" "$4" >>"$A"
}
fleet_booted() {
    : >"$K"; : >"$S"; : >"$A"
    lease 10:00:00.100 52:54:00:00:00:01 10.0.0.101 a1
    answer 10:00:00.101 52:54:00:00:00:01 pxe undionly.kpxe a1 good1
    printf 'Nov 20 10:00:01 in.tftpd[9]: RRQ from 10.0.0.101 filename undionly.kpxe\n' >>"$S"
    lease 10:00:03.100 52:54:00:00:00:01 10.0.0.101 a2
    answer 10:00:03.101 52:54:00:00:00:01 ipxe http://10.0.0.1/pxe/52:54:00:00:00:01/gpxe-script a2 good1
    get 10:00:03 10.0.0.101 /pxe/52%3A54%3A00%3A00%3A00%3A01/gpxe-script 200
    get 10:00:04 10.0.0.101 /pxe/boot/vmlinuz-lts 200
    get 10:00:05 10.0.0.101 /pxe/boot/initramfs-lts 200
    get 10:00:15 10.0.0.101 /ovl/52:54:00:00:00:01.apkovl.tar.gz 200
}
fleet_booted
lease 10:02:00.100 52:54:00:00:00:03 10.0.0.103 b1
answer 10:02:00.101 52:54:00:00:00:03 pxe undionly.kpxe b1 broken3
printf '2026-11-20T10:02:04.1+00:00 srv in.tftpd[9]: RRQ from 10.0.0.103 filename undionly.kpxe\n' >>"$S"
printf '2026-11-20T10:02:04.2+00:00 srv in.tftpd[9]: sending NAK (1, File not found) to 10.0.0.103\n' >>"$S"
printf '2026-11-20 10:07:00.000 INFO  [kea-dhcp4.alpxe/1.2] ALPXE_DECLINED [hwtype=1 52:54:00:00:00:99], cid=[no info], tid=0x9: mac 52:54:00:00:00:99, stage pxe, arch bios (type 0), host unknown: not answered (unknown-mac): unknown MAC: unknown = ignore\n' >>"$K"
# a client's path with markup in it is text on the page, never markup
get 10:00:16 10.0.0.101 '/ovl/<script>alert(1)</script>' 404

out=$("$alpxe" -c "$tmp/alpxe.conf" status --html "$tmp/page.html" 2>&1)
t_match "status --html writes the page and says so" "page: $tmp/page.html \\(4 hosts, 2 failing\\)" "$out"
page=$(cat "$tmp/page.html" 2>/dev/null)
t_match "the page is HTML5 with its charset" '^<!DOCTYPE html>.*<meta charset="utf-8">' "$(echo $page)"
t_nomatch "self-contained: no script, no outside stylesheet, image or frame" \
    '<script|<link|<img|<iframe|src=|@import|url\(' "$page"
t_nomatch "a client's markup from the logs is escaped" '<script>alert' "$page"
t_match "... and shown as text" '&lt;script&gt;alert\(1\)&lt;/script&gt;' "$page"

# chromium ARGS...: headless, no network of its own, a fresh profile
chromium() {
    rm -rf "$tmp/profile"
    timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --disable-extensions --hide-scrollbars \
        --user-data-dir="$tmp/profile" "$@" 2>>"$tmp/chromium.err"
}

dom=$(chromium --dump-dom "file://$tmp/page.html")
t_match "Chromium renders the page" '<table id="hosts">' "$dom"
rows=$(printf '%s\n' "$dom" | grep -o '<tr class="host [a-z]*" id="host-[^"]*" data-outcome="[a-z-]*"' |
       sed 's/.*id="host-\([^"]*\)" data-outcome="\([a-z-]*\)"/\1=\2/' | tr '\n' ' ')
t_eq "the hosts, failures first: the refused loader, the declined MAC, then never seen, then booted" \
    "broken3=failed 52:54:00:00:00:99=declined quiet8=never-seen good1=booted " "$rows"
t_match "the failing host is marked failing (its row's class)" \
    '<tr class="host bad" id="host-broken3" data-outcome="failed"><td><span class="badge">failed</span>' "$dom"
t_match "its stages, the failing one marked" \
    '<li class="ok" data-stage="dhcp-pxe">10:02:00.101 DHCP  PXE firmware: .*<li class="fail" data-stage="tftp">' "$dom"
t_match "its diagnosis" 'in.tftpd refused the loader: undionly.kpxe refused to 10.0.0.103: File not found' "$dom"
t_match "the summary counts" '2 failing.*0 booting.*1 not seen.*1 booted' "$(echo $dom)"

chromium --screenshot="$tmp/shot.png" --window-size=1280,900 "file://$tmp/page.html" >/dev/null
if [ -s "$tmp/shot.png" ]; then
    t_ok "Chromium takes a screenshot of the page"
    red=$("$pngc" "$tmp/shot.png" "$RED")
    green=$("$pngc" "$tmp/shot.png" "$GREEN")
    t_match "the screenshot is the window's size" '^1280x900 ' "$red"
    # a badge is about 84 x 20 pixels: two of them (and the summary) red
    t_match "the screenshot shows failing hosts in red (pixels of #$RED)" ' ([2-9][0-9]{3}|[0-9]{5,})$' "$red"
    t_match "... and the booted one in green (pixels of #$GREEN)" ' ([1-9][0-9]{3}|[0-9]{5,})$' "$green"
    cp "$tmp/shot.png" "$T_BUILD/tests/status-page.png"
    echo "# screenshot kept: $T_BUILD/tests/status-page.png ($red red pixels)"
else
    t_fail "Chromium takes a screenshot of the page" "$(tail -5 "$tmp/chromium.err")"
fi

# a fleet where everything booted: no red anywhere
fleet_booted
sed -i '/^\[host broken3\]/,$d' "$tmp/alpxe.conf"
"$alpxe" -c "$tmp/alpxe.conf" status --html "$tmp/ok.html" >/dev/null 2>&1
chromium --screenshot="$tmp/ok.png" --window-size=1280,900 "file://$tmp/ok.html" >/dev/null
t_match "a fleet that booted: no red on the screen" '^1280x900 0$' \
    "$("$pngc" "$tmp/ok.png" "$RED" 2>&1)"

t_done
