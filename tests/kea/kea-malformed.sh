#!/bin/bash
# tests/kea/kea-malformed.sh - hostile and broken queries against the hook.
#
# Each query goes to Kea with the hook and to the same Kea without it.
# Whatever Kea makes of the packet, the hook must not change whether it
# answers, must answer exactly as the core decides (or not touch the reply),
# and must neither crash Kea nor throw (ALPXE_PACKET_ERROR).  A well-formed
# PXE query after each one proves Kea is still answering.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kea-lib.sh"

t_tmpdir >/dev/null
CONF=$T_TMP/alpxe.conf
MAC=52:54:00:12:34:56
VC=PXEClient:Arch:00000:UNDI:002001
ASK_TIMEOUT=500             # for the queries Kea drops

cat >"$CONF" <<EOF
[server]
address = 10.0.0.28
http    = http://10.0.0.28/pxe
unknown = default
default = lts

[loader]
bios  = undionly.kpxe
efi64 = snponly.efi

[profile lts]
kernel = boot/vmlinuz-lts
initrd = boot/initramfs-lts

[host known]
mac     = $MAC
profile = lts
EOF

kea_conf hook "{ \"config\": \"$CONF\" }"
kea_conf plain none
kea_start hook || { t_fail "kea-dhcp4 with the hook starts" "$(kea_log hook | tail)"; t_done; exit; }
kea_start plain || { t_fail "kea-dhcp4 without the hook starts" "$(kea_log plain | tail)"; t_done; exit; }

healthy() {
    local r
    if ! kea_alive hook; then
        t_fail "after $1: kea-dhcp4 is still running"
        return
    fi
    r=$(ASK_TIMEOUT=3000 ask hook -m $MAC -V $VC -a 7)
    t_eq "after $1: Kea still answers PXE" "10.0.0.28 snponly.efi" \
        "$(field siaddr "$r") $(field file "$r")"
}

# malformed NAME [client options]
malformed() {
    local name=$1
    shift
    check "$name" "" "$@"
    healthy "$name"
}

pad() {     # pad STRING LENGTH: STRING followed by 'x' up to LENGTH bytes
    local s=$1
    while [ ${#s} -lt "$2" ]; do s="${s}x"; done
    printf '%s' "${s:0:$2}"
}
ff255=$(printf 'ff%.0s' $(seq 255))

# Options that end early or lie about their length.
malformed "options cut inside option 60" -m $MAC -V $VC -a 0 -T 10
malformed "option 60 longer than the packet" -m $MAC -a 0 -o 60/200:505845 -E
malformed "no end option" -m $MAC -V $VC -a 0 -E
malformed "no options at all" -m $MAC -t 0 -T 0
malformed "no message type (BOOTP)" -m $MAC -t 0 -V $VC -a 0
malformed "message type 99" -m $MAC -t 99 -V $VC -a 0

# chaddr and htype the core cannot read as an Ethernet MAC.
malformed "hlen 0 (client id only)" -m $MAC -l 0 -o 61:01525400123456 -V $VC -a 0
malformed "hlen 16" -m $MAC:00:00:00:00:00:00:00:00:00:00 -V $VC -a 0
malformed "hlen 20 (more than chaddr)" -m $MAC -l 20 -V $VC -a 0
malformed "hlen 255" -m $MAC -l 255 -V $VC -a 0
malformed "htype 6 (IEEE 802)" -m $MAC -H 6 -V $VC -a 0
malformed "htype 0" -m $MAC -H 0 -V $VC -a 0

# Option 93 of odd or short lengths.
malformed "option 93 of 3 bytes" -m $MAC -V $VC -o 93:000700
malformed "option 93 of 1 byte" -m $MAC -V $VC -o 93:07
malformed "option 93 empty" -m $MAC -V $VC -o 93:
malformed "option 93 with 127 types" -m $MAC -V $VC -o "93:$(printf '0007%.0s' $(seq 127))"

# Vendor and user classes at the limits.
malformed "255-byte PXEClient vendor class" -m $MAC -a 0 -V "$(pad $VC 255)"
malformed "255-byte HTTPClient vendor class" -m $MAC -a 16 -V "$(pad HTTPClient:Arch:00016 255)"
malformed "255 bytes of 0xff in option 60" -m $MAC -a 0 -o "60:$ff255"
malformed "option 60 empty" -m $MAC -a 0 -o 60:
malformed "option 60 with a NUL" -m $MAC -a 0 -o 60:505845436c69656e7400
malformed "vendor class Arch: not digits" -m $MAC -V PXEClient:Arch:0x7zz
malformed "255-byte user class starting iPXE" -m $MAC -a 0 -u "$(pad iPXE 255)"
malformed "RFC 3004 user class with a bad length" -m $MAC -a 0 -o 77:ff69505845
malformed "255 bytes of 0xff in option 77" -m $MAC -a 0 -o "77:$ff255"
malformed "option 175 empty" -m $MAC -a 0 -o 175:
malformed "255-byte option 175" -m $MAC -a 0 -o "175:$ff255"
malformed "DHCPINFORM from a PXE ROM" -m $MAC -t inform -V $VC -a 0

log_lacks hook "no ALPXE_PACKET_ERROR for any of them" ALPXE_PACKET_ERROR
t_done
