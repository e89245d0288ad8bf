#!/bin/bash
# tests/cli/bootlog.sh - `alpxe log`, the hosts of `alpxe status`, and
# `alpxe watch`, on logs written here in each server's own formats:
#
#   Kea         its file pattern (and the journal's, through a stand-in
#               journalctl that records how it was run)
#   in.tftpd    busybox syslogd's and rsyslog's (RFC 3339) lines, -v and -vv
#   nginx       Debian's `combined` format, and $msec with alpxe's variables
#
# One boot per case, each a stage further or broken at another stage; every
# case checks the stages found (in order) and where and why it stopped.
# The real daemons' logs are read by tests/e2e (the boots of real VMs).
. "$(dirname "$0")/../lib.sh"

alpxe=$T_BUILD/alpxe
tmp=$(t_tmpdir)
export TZ=UTC
mkdir -p "$tmp/logs" "$tmp/bin"

run() {
    out=$("$@" 2>"$tmp/err")
    rc=$?
    err=$(cat "$tmp/err")
}

# The fleet: [log] names the files written below.
cat >"$tmp/alpxe.conf" <<EOF
[server]
address = 10.0.0.1
http    = http://10.0.0.1/pxe
unknown = ignore

[loader]
bios  = undionly.kpxe
efi64 = snponly.efi

[tftp]
root = /srv/tftp

[log]
kea   = $tmp/logs/kea.log
tftpd = $tmp/logs/syslog
nginx = $tmp/logs/access.log

[profile lts]
kernel  = boot/vmlinuz-lts
initrd  = boot/initramfs-lts
modloop = boot/modloop-lts
apkovl  = http://10.0.0.1/ovl/{MAC}.apkovl.tar.gz
repo    = http://10.0.0.1/alpine/v3.20/main
args    = modules=loop,squashfs console=ttyS0

[profile bare]
kernel  = boot/vmlinuz-lts
initrd  = boot/initramfs-lts

[host pc1]
mac     = 52:54:00:00:00:01
profile = lts
[host pc2]
mac     = 52:54:00:00:00:02
profile = lts
ip      = 10.0.0.52::10.0.0.1:255.255.255.0:pc2:eth0:none
[host pc3]
mac     = 52:54:00:00:00:03
profile = lts
[host pc4]
mac     = 52:54:00:00:00:04
profile = lts
[host pc5]
mac     = 52:54:00:00:00:05
profile = lts
[host pc6]
mac     = 52:54:00:00:00:06
profile = lts
[host desk]
mac     = 52:54:00:00:00:07
profile = lts
boot    = local
[host never]
mac     = 52:54:00:00:00:08
mac     = 52:54:00:00:00:18
profile = lts
[host bare]
mac     = 52:54:00:00:00:09
profile = bare
[host shelf]
mac     = 52:54:00:00:00:0a
profile = lts
boot    = off
[host kiosk]
mac     = 52:54:00:00:00:0b
profile = lts
boot    = menu
EOF

# ------------------------------------------------------------- writers

K=$tmp/logs/kea.log S=$tmp/logs/syslog A=$tmp/logs/access.log
: >"$K"; : >"$S"; : >"$A"
day=2026-11-20

# kea_answer HH:MM:SS.mmm MAC STAGE ARCH HOST PROFILE FILE TID [OPTION-TEXT]
kea_answer() {
    printf '%s %s INFO  [kea-dhcp4.alpxe/812.140] ALPXE_ANSWER [hwtype=1 %s], cid=[no info], tid=0x%s: mac %s, stage %s, arch %s, host %s, profile %s, %ssiaddr 10.0.0.1, file %s\n' \
        "$day" "$1" "$2" "$8" "$2" "$3" "$4" "$5" "$6" "${9:-}" "$7" >>"$K"
}
# kea_lease HH:MM:SS.mmm MAC IP TID
kea_lease() {
    printf '%s %s INFO  [kea-dhcp4.leases/812.140] DHCP4_LEASE_ALLOC [hwtype=1 %s], cid=[01:%s], tid=0x%s: lease %s has been allocated for 3600 seconds\n' \
        "$day" "$1" "$2" "$2" "$4" "$3" >>"$K"
}
# kea_declined HH:MM:SS.mmm MAC STAGE HOST WHY TEXT TID
kea_declined() {
    printf '%s %s INFO  [kea-dhcp4.alpxe/812.140] ALPXE_DECLINED [hwtype=1 %s], cid=[no info], tid=0x%s: mac %s, stage %s, arch bios (type 0), host %s: not answered (%s): %s\n' \
        "$day" "$1" "$2" "$7" "$2" "$3" "$4" "$5" "$6" >>"$K"
}
# pxe HH:MM:SS MAC IP HOST LOADER TID: a PXE ROM's DISCOVER/REQUEST
pxe() {
    kea_lease "$1.100" "$2" "$3" "$6"
    kea_answer "$1.101" "$2" pxe "$( [ "$5" = snponly.efi ] && echo 'efi64 (type 7)' || echo 'bios (type 0)')" \
        "$4" lts "$5" "$6"
}
# ipxe HH:MM:SS MAC IP HOST TID [PROFILE]
ipxe() {
    kea_lease "$1.200" "$2" "$3" "$5"
    kea_answer "$1.201" "$2" ipxe 'bios (type 0)' "$4" "${6:-lts}" \
        "http://10.0.0.1/pxe/$2/gpxe-script" "$5" 'option 175.176 = 1, '
}
# tftp_busybox HH:MM:SS IP FILE
tftp_busybox() {
    printf 'Nov 20 %s in.tftpd[900]: RRQ from %s filename %s\n' "$1" "$2" "$3" >>"$S"
}
# tftp_rsyslog HH:MM:SS IP FILE: Debian's rsyslog (RFC 3339), a
# dual-stack in.tftpd writing IPv4 as ::ffff:
tftp_rsyslog() {
    printf '%sT%s.512345+00:00 bootsrv in.tftpd[901]: RRQ from ::ffff:%s filename %s\n' \
        "$day" "$1" "$2" "$3" >>"$S"
}
tftp_nak() {
    printf '%sT%s.612345+00:00 bootsrv in.tftpd[901]: sending NAK (1, File not found) to ::ffff:%s\n' \
        "$day" "$1" "$2" >>"$S"
}
# get HH:MM:SS IP PATH STATUS BYTES: Debian's combined format
ngday=20/Nov/2026
get() {
    printf '%s - - [%s:%s +0000] "GET %s HTTP/1.1" %s %s "-" "iPXE/1.21.1"\n' \
        "$2" "$ngday" "$1" "$3" "$4" "$5" >>"$A"
}

# ---------------------------------------------------------------- boots

# pc1: BIOS, PXE ROM -> TFTP -> iPXE -> script -> kernel, initrd -> the
# booted system's DHCP, modloop, apkovl, repository; an admin's curl of
# its script from the server afterwards is not its boot.
pxe 10:00:00 52:54:00:00:00:01 10.0.0.101 pc1 undionly.kpxe 1a
tftp_busybox 10:00:01 10.0.0.101 undionly.kpxe
ipxe 10:00:03 52:54:00:00:00:01 10.0.0.101 pc1 1b
get 10:00:03 10.0.0.101 /pxe/52%3A54%3A00%3A00%3A00%3A01/gpxe-script 200 401
get 10:00:04 10.0.0.101 /pxe/boot/vmlinuz-lts 200 8247232
get 10:00:05 10.0.0.101 /pxe/boot/initramfs-lts 200 2731939
kea_lease 10:00:15.000 52:54:00:00:00:01 10.0.0.101 1c
get 10:00:16 10.0.0.101 /pxe/boot/modloop-lts 200 65536
get 10:00:16 10.0.0.101 /ovl/52:54:00:00:00:01.apkovl.tar.gz 200 218
get 10:00:18 10.0.0.101 /alpine/v3.20/main/x86_64/APKINDEX.tar.gz 200 1000
get 10:00:19 10.0.0.101 /alpine/v3.20/main/x86_64/busybox-1.36.apk 200 500000
get 10:00:30 10.0.0.1 /pxe/52:54:00:00:00:01/gpxe-script 200 401

# pc2: UEFI HTTP boot, a static address for the booted system
kea_lease 10:01:00.100 52:54:00:00:00:02 10.0.0.102 2a
kea_answer 10:01:00.101 52:54:00:00:00:02 httpboot 'efi64 (type 16)' pc2 lts \
    http://10.0.0.1/pxe/loader/snponly.efi 2a 'option 60 = HTTPClient, '
get 10:01:01 10.0.0.102 /pxe/loader/snponly.efi 200 173792
ipxe 10:01:03 52:54:00:00:00:02 10.0.0.102 pc2 2b
get 10:01:03 10.0.0.102 /pxe/52%3A54%3A00%3A00%3A00%3A02/gpxe-script 200 420
get 10:01:04 10.0.0.102 /pxe/boot/vmlinuz-lts 200 8247232
get 10:01:05 10.0.0.102 /pxe/boot/initramfs-lts 200 2731939
get 10:01:15 10.0.0.52 /pxe/boot/modloop-lts 200 65536
get 10:01:15 10.0.0.52 /ovl/52:54:00:00:00:02.apkovl.tar.gz 200 218

# pc3: the loader is not in the TFTP root (in.tftpd -vv: NAK)
pxe 10:02:00 52:54:00:00:00:03 10.0.0.103 pc3 snponly.efi 3a
tftp_rsyslog 10:02:04 10.0.0.103 snponly.efi
tftp_nak 10:02:04 10.0.0.103

# pc4: the loader was served and never started
pxe 10:03:00 52:54:00:00:00:04 10.0.0.104 pc4 snponly.efi 4a
tftp_rsyslog 10:03:04 10.0.0.104 snponly.efi

# pc5: iPXE got the script URL and never fetched it (nginx down)
ipxe 10:04:00 52:54:00:00:00:05 10.0.0.105 pc5 5a

# pc6: the script, then the kernel is missing
ipxe 10:05:00 52:54:00:00:00:06 10.0.0.106 pc6 6a
get 10:05:00 10.0.0.106 /pxe/52%3A54%3A00%3A00%3A00%3A06/gpxe-script 200 401
get 10:05:01 10.0.0.106 /pxe/boot/vmlinuz-lts 404 153

# desk: boot = local, its script is exit (logged with alpxe's variables)
ipxe 10:06:00 52:54:00:00:00:07 10.0.0.107 desk 7a '(exit)'
printf '%s.%03d %s "GET %s HTTP/1.1" %s %s mac=%s result=%s\n' \
    "$(date -d "$day 10:06:00" +%s)" 500 10.0.0.107 \
    /pxe/52%3A54%3A00%3A00%3A00%3A07/gpxe-script 200 12 52:54:00:00:00:07 exit >>"$A"

# an unknown MAC under unknown = ignore; shelf has boot = off
kea_declined 10:07:00.000 52:54:00:00:00:99 pxe unknown unknown-mac \
    'unknown MAC: unknown = ignore' 9a
kea_declined 10:07:05.000 52:54:00:00:00:0a pxe shelf boot-off \
    'host: boot = off' 9b

# bare: a profile with nothing for the booted system to fetch
ipxe 10:08:00 52:54:00:00:00:09 10.0.0.109 bare 9c bare
get 10:08:00 10.0.0.109 /pxe/52%3A54%3A00%3A00%3A00%3A09/gpxe-script 200 300
get 10:08:01 10.0.0.109 /pxe/boot/vmlinuz-lts 200 8247232
get 10:08:02 10.0.0.109 /pxe/boot/initramfs-lts 200 2731939

# kiosk (boot = menu): the menu, then the script of the profile picked on
# its console (bare), that profile's kernel and initrd
ipxe 10:08:10 52:54:00:00:00:0b 10.0.0.111 kiosk 0b
get 10:08:10 10.0.0.111 /pxe/52:54:00:00:00:0b/gpxe-script 200 900
get 10:08:15 10.0.0.111 '/pxe/52:54:00:00:00:0b/gpxe-script?profile=bare' 200 300
get 10:08:16 10.0.0.111 /pxe/boot/vmlinuz-lts 200 8247232
get 10:08:17 10.0.0.111 /pxe/boot/initramfs-lts 200 2731939

# 10.0.0.104 (pc4's) goes to an ordinary client later: its requests are
# not pc4's
kea_lease 10:09:00.000 aa:bb:cc:dd:ee:ff 10.0.0.104 ff
get 10:09:01 10.0.0.104 /pxe/boot/vmlinuz-lts 200 8247232

# pc1 boots a second time, through the iPXE ROM only
ipxe 10:10:00 52:54:00:00:00:01 10.0.0.101 pc1 1d
get 10:10:00 10.0.0.101 /pxe/52%3A54%3A00%3A00%3A00%3A01/gpxe-script 200 401
get 10:10:01 10.0.0.101 /pxe/boot/vmlinuz-lts 200 8247232
get 10:10:02 10.0.0.101 /pxe/boot/initramfs-lts 200 2731939
get 10:10:12 10.0.0.101 /ovl/52:54:00:00:00:01.apkovl.tar.gz 200 218
# noise that is no boot's: other programs, scanners, broken lines
printf 'Nov 20 10:10:13 cron[77]: RRQ from 10.0.0.101 filename x\n' >>"$S"
printf '10.0.0.101 - - [20/Nov/2026:10:10:14 +0000] "\\x16\\x03\\x01" 400 0 "-" "-"\n' >>"$A"
printf 'garbage\n\n%s\n' "$(head -c 300 /dev/zero | tr '\0' x)" | tee -a "$K" "$S" >>"$A"

# ------------------------------------------------------------ alpxe log

# stages MAC [OPTIONS]: the stage names of its last boot (of every boot
# with --all), in order: the "stage" of each entry of "stages"
stages() {
    "$alpxe" -c "$tmp/alpxe.conf" log "$@" --json 2>/dev/null |
        sed -n 's/^          "stage": "\(.*\)",$/\1/p' | tr '\n' ' '
}
# verdict MAC: "outcome stage"
verdict() {
    "$alpxe" -c "$tmp/alpxe.conf" log "$1" --json 2>/dev/null | tr -d '\n' |
        sed 's/.*"outcome": "\([^"]*\)", *"stage": \("[^"]*"\|null\).*/\1 \2/' | tr -d '"'
}

run "$alpxe" -c "$tmp/alpxe.conf" log 52:54:00:00:00:01
t_eq "log pc1: exit 0 (booted)" 0 "$rc"
t_match "log pc1: names the host and its line, the profile" \
    "^52:54:00:00:00:01: host pc1 \($tmp/alpxe.conf:$(grep -n '^\[host pc1\]' "$tmp/alpxe.conf" | cut -d: -f1)\), profile lts" "$out"
t_match "log pc1: the last of its 2 boots, from its address" \
    "boot 2 of 2, 2026-11-20 10:10:00, from 10.0.0.101" "$out"
run "$alpxe" -c "$tmp/alpxe.conf" log --all 52:54:00:00:00:01
t_match "log --all pc1: both boots" "boot 1 of 2, 2026-11-20 10:00:00.*boot 2 of 2" "$(echo $out)"
t_eq "log --all pc1: boot 1 every stage in order (PXE ROM), then boot 2 (iPXE ROM)" \
    "dhcp-pxe tftp dhcp-ipxe script kernel initrd os-dhcp modloop apkovl repo dhcp-ipxe script kernel initrd apkovl " \
    "$(stages --all 52:54:00:00:00:01)"
t_match "log pc1: each stage's time and detail (text)" \
    "10:00:00.101 DHCP PXE firmware next-server 10.0.0.1, file undionly.kpxe .*10:00:01 TFTP loader undionly.kpxe to 10.0.0.101 .*10:00:03.201 DHCP iPXE http://10.0.0.1/pxe/52:54:00:00:00:01/gpxe-script .*10:00:03 HTTP iPXE script /pxe/52:54:00:00:00:01/gpxe-script -> 200 .*10:00:04 HTTP kernel /pxe/boot/vmlinuz-lts -> 200, 7.9 MB .*HTTP repository .*\(2 times\)" \
    "$(echo $("$alpxe" -c "$tmp/alpxe.conf" log --all 52:54:00:00:00:01))"
t_eq "log pc1, boot 2: the iPXE ROM's boot" "dhcp-ipxe script kernel initrd apkovl " \
    "$(stages 52:54:00:00:00:01)"
t_nomatch "log pc1: the admin's curl of its script is not its boot" "10:00:30" \
    "$("$alpxe" -c "$tmp/alpxe.conf" log --all 52:54:00:00:00:01)"

t_eq "log pc2 (UEFI HTTP boot, static ip=): every stage" \
    "dhcp-http http-loader dhcp-ipxe script kernel initrd modloop apkovl " \
    "$(stages 52:54:00:00:00:02)"
t_match "log pc2: the booted system's requests from its static address" \
    "modloop fetched .*from 10.0.0.52|\"ip\": \"10.0.0.52\"" \
    "$("$alpxe" -c "$tmp/alpxe.conf" log --json 52:54:00:00:00:02)"

t_eq "log pc3: failed at tftp" "failed tftp" "$(verdict 52:54:00:00:00:03)"
run "$alpxe" -c "$tmp/alpxe.conf" log 52:54:00:00:00:03
t_eq "log pc3: exit 1" 1 "$rc"
t_match "log pc3: in.tftpd's refusal and what to do" \
    "in.tftpd refused the loader: snponly.efi refused to 10.0.0.103: File not found \(TFTP error 1\)\. It is not in the TFTP root /srv/tftp .*alpxe-remap --install-loaders" \
    "$(echo $out)"

t_eq "log pc4: stopped at dhcp-ipxe (the loader never asked again)" "stopped dhcp-ipxe" \
    "$(verdict 52:54:00:00:00:04)"
run "$alpxe" -c "$tmp/alpxe.conf" log 52:54:00:00:00:04
t_match "log pc4: got the loader and never asked DHCP again: the loader did not start" \
    "got snponly.efi over TFTP at 10:03:04.512 and never asked DHCP again: the loader did not start\. Check the firmware's architecture \(Kea saw efi64 \(type 7\)\)" \
    "$(echo $out)"
t_match "log pc4: the stage that never came is shown" "FAIL +- +DHCP  iPXE +never came" "$out"
t_nomatch "log pc4: the next holder of its address is not pc4" "kernel served" "$out"

t_eq "log pc5: stopped at script" "stopped script" "$(verdict 52:54:00:00:00:05)"
t_match "log pc5: nginx logged no request for the script" \
    "iPXE got its script's URL at 10:04:00.201 \(http://10.0.0.1/pxe/52:54:00:00:00:05/gpxe-script\) and nginx logged no request for it" \
    "$("$alpxe" -c "$tmp/alpxe.conf" log 52:54:00:00:00:05)"

t_eq "log pc6: failed at kernel" "failed kernel" "$(verdict 52:54:00:00:00:06)"
t_match "log pc6: 404 for the kernel, where it comes from" \
    "nginx answered 404 for the kernel \(/pxe/boot/vmlinuz-lts -> 404, 153 B\).*kernel = and initrd = in alpxe.conf" \
    "$("$alpxe" -c "$tmp/alpxe.conf" log 52:54:00:00:00:06)"

t_eq "log desk: exited (its script is exit)" "exited script" "$(verdict 52:54:00:00:00:07)"
t_match "log desk: says why" "was .exit. \(host: boot = local\): the firmware went on to its next boot device" \
    "$("$alpxe" -c "$tmp/alpxe.conf" log 52:54:00:00:00:07)"

t_eq "log of an unknown MAC: declined" "declined declined" "$(verdict 52:54:00:00:00:99)"
t_match "log of an unknown MAC: how to make it boot" \
    "alpxe did not answer: unknown MAC: unknown = ignore \(unknown-mac\)\. Add a \[host\] with its mac, or set \[server\] unknown = default\." \
    "$("$alpxe" -c "$tmp/alpxe.conf" log 52:54:00:00:00:99)"
t_eq "log shelf (boot = off): off, not a failure" "off declined" "$(verdict 52:54:00:00:00:0a)"

t_eq "log bare: handed over (nothing for the booted system to fetch)" "handed-over initrd" \
    "$(verdict 52:54:00:00:00:09)"
t_eq "log kiosk (boot = menu): the picked profile's kernel and initrd, handed over" \
    "handed-over initrd" "$(verdict 52:54:00:00:00:0b)"
t_eq "log kiosk: its stages, the picked profile's" "dhcp-ipxe script kernel initrd " \
    "$(stages 52:54:00:00:00:0b)"

run "$alpxe" -c "$tmp/alpxe.conf" log 52:54:00:00:00:08
t_eq "log of a host never seen: exit 1" 1 "$rc"
t_match "log of a host never seen: what to check" \
    "never-seen.*no record of it in the logs: it has not asked this DHCP server to boot" "$(echo $out)"

run "$alpxe" -c "$tmp/alpxe.conf" log 52:54:00:00:00:04 --stall 100000000
t_match "log --stall: a recent last stage is a boot under way" "in-progress.*under way: its last stage, tftp" \
    "$(echo $out)"
run "$alpxe" -c "$tmp/alpxe.conf" log 5254.0000.0006
t_match "log: any MAC spelling" "^52:54:00:00:00:06: host pc6" "$out"
run "$alpxe" -c "$tmp/alpxe.conf" log nonsense
t_eq "log: a malformed MAC is a usage error" 2 "$rc"
run "$alpxe" -c "$tmp/alpxe.conf" log
t_eq "log: no MAC is a usage error" 2 "$rc"
run "$alpxe" -c "$tmp/alpxe.conf" check --all
t_eq "--all goes with log only" 2 "$rc"
run "$alpxe" -c "$tmp/alpxe.conf" log 52:54:00:00:00:01 --stall x
t_eq "--stall takes seconds" 2 "$rc"

# --- the options and [log]'s paths; an unreadable log is said
run "$alpxe" -c "$tmp/alpxe.conf" log 52:54:00:00:00:03 --tftpd-log "$tmp/none"
t_match "--tftpd-log: another file; one that cannot be read is named" \
    "tftpd log $tmp/none: No such file or directory" "$err"
t_match "... and the diagnosis says in.tftpd's log was not read" \
    "in.tftpd logged no request from it \(in.tftpd's log, $tmp/none, could not be read" "$(echo $out)"

# --- the journal: Kea's and in.tftpd's lines through journalctl
cat >"$tmp/bin/journalctl" <<EOF
#!/bin/sh
echo "\$*" >>"$tmp/journalctl.args"
case "\$*" in
*kea-dhcp4-server.service*)
    sed 's/^$day \([0-9:.]*\) \(INFO *\) \[[^]]*\] /${day}T\1000+00:00 bootsrv kea-dhcp4[812]: \2/' "$K" ;;
*in.tftpd*) grep in.tftpd "$S" | grep -v '^Nov' ;;
esac
EOF
chmod 755 "$tmp/bin/journalctl"
sed -e 's|^kea   = .*|kea   = journal|' -e 's|^tftpd = .*|tftpd = journal|' \
    "$tmp/alpxe.conf" >"$tmp/journal.conf"
out=$(PATH=$tmp/bin:$PATH "$alpxe" -c "$tmp/journal.conf" log 52:54:00:00:00:03 --json 2>&1)
t_match "journal: Kea's lines, read with Debian's pattern behind the journal's prefix" \
    '"outcome": "failed"' "$out"
t_match "journal: the failure is in.tftpd's, from its journal lines" '"stage": "tftp"' "$out"
t_match "journal: journalctl asked for kea-dhcp4-server.service" \
    "-q --no-pager -o short-iso-precise -u kea-dhcp4-server.service" "$(cat "$tmp/journalctl.args")"
t_match "journal: and for in.tftpd's syslog identifier" \
    "-o short-iso-precise -t in.tftpd" "$(cat "$tmp/journalctl.args")"
t_match "--json names the logs read" '"kea": \{ *"path": "journal", *"read": true' "$(echo $out)"
sed 's|^nginx = .*|nginx = journal|' "$tmp/journal.conf" >"$tmp/bad.conf"
run "$alpxe" -c "$tmp/bad.conf" check
t_match "[log] nginx = journal is refused" "nginx: \"journal\" is not an absolute path" "$err"

# ---------------------------------------------------------- alpxe status

run "$alpxe" -c "$tmp/alpxe.conf" status
t_match "status: the servers first, as before" "^kea +not running" "$(echo "$out" | sed -n 2p)"
t_match "status: hosts, with the failing count" "hosts: 12, 5 failing" "$out"
t_match "status: one line per host: outcome, when, from where, the stage" \
    "^ok +pc1 +52:54:00:00:00:01 +booted +2026-11-20 10:10:12 +from 10.0.0.101 +reached apkovl$" "$out"
t_match "status: a failing host, the stage, and how to see why" \
    "^FAIL pc3 +52:54:00:00:00:03 +failed +2026-11-20 10:02:04 +from 10.0.0.103 +at tftp \(alpxe log 52:54:00:00:00:03 says why\)$" "$out"
t_match "status: the loader that did not start" "^FAIL pc4 .* stopped .* at dhcp-ipxe" "$out"
t_match "status: the missing script" "^FAIL pc5 .* stopped .* at script" "$out"
t_match "status: the missing kernel" "^FAIL pc6 .* failed .* at kernel" "$out"
t_match "status: boot = local" "^ok +desk .* exited" "$out"
t_match "status: a host never seen (two MACs)" "^- +never +52:54:00:00:00:08 +never-seen" "$out"
t_match "status: boot = off" "^ok +shelf .* off .* not answered: host: boot = off \(boot-off\)$" "$out"
t_match "status: the MAC alpxe declined, in no [host]" \
    "^FAIL - +52:54:00:00:00:99 +declined .* not answered: unknown MAC: unknown = ignore \(unknown-mac\) \(alpxe log 52:54:00:00:00:99 says why\)$" "$out"
t_nomatch "status: an ordinary DHCP client is no host" "aa:bb:cc:dd:ee:ff" "$out"
run "$alpxe" -c "$tmp/alpxe.conf" status --json
t_match "status --json: the hosts, each with its last boot" \
    '"host": "pc3",.*"outcome": "failed",.*"stage": "tftp"' "$(echo $out)"
t_match "status --json: the failing count" '"hosts_failing": 5' "$out"
t_eq "status: the exit status still says what the servers serve" 0 "$rc"

# ----------------------------------------------------------- alpxe watch

W=$tmp/w
mkdir -p "$W"
sed -e "s|$tmp/logs/|$W/|" "$tmp/alpxe.conf" >"$W/alpxe.conf"
: >"$W/kea.log"; : >"$W/syslog"; : >"$W/access.log"
# what the logs hold already is history: leases, not printed
K=$W/kea.log S=$W/syslog A=$W/access.log
day=$(date +%Y-%m-%d)
now() { date +%H:%M:%S; }
kea_lease "$(now).000" 52:54:00:00:00:04 10.0.0.104 40
"$alpxe" -c "$W/alpxe.conf" watch --json --stall 2 >"$W/out" 2>"$W/err" &
wp=$!
t_track "$wp"
t_wait_for 5 grep -q . "$W/out" || sleep 1
t=$(now)
ngday=$(date +%d/%b/%Y)
kea_lease "$t.100" 52:54:00:00:00:01 10.0.0.101 e1
kea_answer "$t.101" 52:54:00:00:00:01 pxe 'bios (type 0)' pc1 lts undionly.kpxe e1
sleep 0.5
printf '%s in.tftpd[900]: RRQ from %s filename %s\n' "$(date '+%b %e %H:%M:%S')" \
    10.0.0.101 undionly.kpxe >>"$S"
sleep 1.1       # in.tftpd's line is to the second: iPXE asks in the next
ipxe "$(now)" 52:54:00:00:00:01 10.0.0.101 pc1 e2
sleep 0.3
get "$(now)" 10.0.0.101 /pxe/52:54:00:00:00:01/gpxe-script 200 401
get "$(now)" 10.0.0.101 /pxe/boot/vmlinuz-lts 404 153
if t_wait_for 10 grep -q '"outcome":"failed"' "$W/out"; then
    t_ok "watch: follows the logs and says when a boot failed"
else
    t_fail "watch: follows the logs and says when a boot failed" "$(cat "$W/out" "$W/err")"
fi
t_eq "watch --json: each stage as it came, one line each" \
    "dhcp-pxe tftp dhcp-ipxe script kernel " \
    "$(grep '"new_boot"' "$W/out" | sed -n 's/.*"mac":"52:54:00:00:00:01",.*"stage":"\([a-z-]*\)".*/\1/p' | tr '\n' ' ')"
t_match "watch --json: the failure, its stage" '"mac":"52:54:00:00:00:01","outcome":"failed","stage":"kernel"' \
    "$(cat "$W/out")"
t_nomatch "watch: the history before it started is not printed" '52:54:00:00:00:04' "$(cat "$W/out")"
# a boot that stalls: said once --stall seconds after its last stage
pxe "$(now)" 52:54:00:00:00:04 10.0.0.104 pc4 snponly.efi e4
if t_wait_for 10 grep -q '"mac":"52:54:00:00:00:04","outcome":"stopped","stage":"tftp"' "$W/out"; then
    t_ok "watch: a boot silent for --stall seconds has stopped, at the stage that never came"
else
    t_fail "watch: a boot silent for --stall seconds has stopped, at the stage that never came" "$(cat "$W/out")"
fi
kill -TERM "$wp"
t_wait_for 5 sh -c "! kill -0 $wp 2>/dev/null"
wait "$wp"
t_eq "watch: ends on SIGTERM, exit 0" 0 $?

t_done
