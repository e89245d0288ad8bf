#!/bin/bash
# tests/kea/kea-answers.sh - what the real kea-dhcp4 answers with the hook.
#
# Two instances with the same subnet: "hook" loads libdhcp_alpxe.so,
# "plain" does not.  Every case sends one query to both and checks:
#   - answered by alpxe: the reply carries exactly the core's decision
#     (dhcp-decide, fed the same packet) and what the test's alpxe.conf
#     says that stage and architecture get;
#   - not answered: the boot fields are what Kea without the hook sends.
# The unknown-MAC policies are switched with the alpxe-reload command.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kea-lib.sh"

t_tmpdir >/dev/null
CONF=$T_TMP/alpxe.conf
HTTP=http://10.0.0.28/pxe
KNOWN=52:54:00:12:34:56
LOCAL=52:54:00:00:00:02
OFF=52:54:00:00:00:03
RESV=52:54:00:00:00:05
UNKNOWN=52:54:00:99:99:99
PLAIN_MAC=52:54:00:aa:bb:01
PRL=1,3,66,67

# write_conf UNKNOWN-POLICY [HTTP [EFI64-LOADER]]
write_conf() {
    cat >"$CONF" <<EOF
[server]
address = 10.0.0.28
http    = ${2:-$HTTP}
unknown = $1
default = lts

[loader]
bios  = undionly.kpxe
efi32 = ipxe32.efi
efi64 = ${3:-snponly.efi}
arm32 = snponly-arm32.efi
arm64 = snponly-arm64.efi

[profile lts]
kernel  = boot/vmlinuz-lts
initrd  = boot/initramfs-lts
modloop = boot/modloop-lts
repo    = http://10.0.0.28/alpine/v3.20/main

[host known]
mac     = $KNOWN
profile = lts

[host local]
mac     = $LOCAL
profile = lts
boot    = local

[host off]
mac     = $OFF
profile = lts
boot    = off

[host resv]
mac     = $RESV
profile = lts
EOF
}

# The [loader] above, by option 93 type (RFC 4578; HTTP types 15-19).
loader_for() {
    case $1 in
    0) echo undionly.kpxe ;;
    6 | 15) echo ipxe32.efi ;;
    7 | 9 | 16) echo snponly.efi ;;
    10 | 18) echo snponly-arm32.efi ;;
    11 | 19) echo snponly-arm64.efi ;;
    esac
}

reload() {
    local out
    out=$(ctrl hook alpxe-reload)
    t_match "alpxe-reload: $1" '"result": 0' "$out"
}

pxe_vc() { printf 'PXEClient:Arch:%05d:UNDI:002001' "$1"; }

write_conf default
kea_conf hook "{ \"config\": \"$CONF\" }"
kea_conf plain none
kea_start hook || { t_fail "kea-dhcp4 with the hook starts" "$(kea_log hook)"; t_done; exit; }
kea_start plain || { t_fail "kea-dhcp4 without the hook starts" "$(kea_log plain)"; t_done; exit; }
t_ok "kea-dhcp4 with and without the hook start"

# --- every stage x architecture for a known host --------------------------
for t in 0 6 7 9 10 11; do
    check "pxe arch $t" "$PRL" -m $KNOWN -V "$(pxe_vc "$t")" -a "$t"
    t_eq "pxe arch $t: [loader] file from [server] address" \
        "10.0.0.28 $(loader_for "$t")" \
        "$(field siaddr "$REPLY") $(field file "$REPLY")"
done
check "pxe arch 2 (no loader slot)" "$PRL" -m $KNOWN -V "$(pxe_vc 2)" -a 2
t_eq "pxe arch 2: not answered" 0 "$(field answer "$WANT")"
check "pxe without option 93" "$PRL" -m $KNOWN -V PXEClient
t_eq "pxe without option 93: BIOS loader over the subnet's file" \
    "10.0.0.28 undionly.kpxe" "$(field siaddr "$REPLY") $(field file "$REPLY")"

for t in 0 7 9 11; do
    check "ipxe arch $t (77 + 175)" "$PRL" -m $KNOWN -u iPXE -e \
        -V "$(pxe_vc "$t")" -a "$t"
    t_match "ipxe arch $t: the MAC's script URL under [server] http" \
        "^file=$HTTP/.*$KNOWN" "$(grep ^file= <<<"$REPLY")"
    t_eq "ipxe arch $t: 175.176 = 1, no option 60" "opt175=b00101 opt60=" \
        "opt175=$(field opt175 "$REPLY") opt60=$(field opt60 "$REPLY")"
done
check "ipxe by option 175 alone" "$PRL" -m $KNOWN -e -a 7
check "ipxe by RFC 3004 user class" "$PRL" -m $KNOWN -o 77:0469505845 -a 0
t_eq "ipxe forms get the same URL" "$(field file "$WANT")" \
    "$(field file "$(decide "$CONF" -m $KNOWN -u iPXE -a 0)")"

for t in 15 16 18 19; do
    check "httpboot arch $t" "$PRL" -m $KNOWN -V "$(printf 'HTTPClient:Arch:%05d:UNDI:003001' "$t")" -a "$t"
    t_eq "httpboot arch $t: loader URL and 60 HTTPClient" \
        "$HTTP/loader/$(loader_for "$t") $(hex HTTPClient)" \
        "$(field file "$REPLY") $(field opt60 "$REPLY")"
done

# --- DHCPREQUEST: the ACK carries the same answer as the OFFER -------------
check "pxe ACK" "$PRL" -d -m $KNOWN -V "$(pxe_vc 7)" -a 7
t_eq "pxe ACK is an ACK" 05 "$(field opt53 "$REPLY")"
check "ipxe ACK" "$PRL" -d -m $KNOWN -u iPXE -e -a 0
check "httpboot ACK" "$PRL" -d -m $KNOWN -V HTTPClient:Arch:00016 -a 16
t_eq "httpboot ACK is an ACK" 05 "$(field opt53 "$REPLY")"

# --- options 66/67 only when asked -----------------------------------------
check "pxe without a parameter request list" "" -m $KNOWN -V "$(pxe_vc 0)" -a 0
t_eq "no 66/67 unless requested" "opt66= opt67=" \
    "opt66=$(field opt66 "$REPLY") opt67=$(field opt67 "$REPLY")"
t_nomatch "no option 60 PXEClient in a PXE offer" '^opt60=' "$REPLY"

# --- Kea's own boot settings: subnet, class, reservation -------------------
r=$(ask hook -m $PLAIN_MAC -p $PRL)
t_eq "non-PXE client: the subnet's next-server and file" \
    "siaddr=10.0.0.99 file=kea-default.bin opt66=$(hex kea-tftp) opt67=$(hex kea-opt67.bin)" \
    "siaddr=$(field siaddr "$r") file=$(field file "$r") opt66=$(field opt66 "$r") opt67=$(field opt67 "$r")"
check "reserved host, PXE" "$PRL" -m $RESV -V "$(pxe_vc 0)" -a 0
t_eq "reservation's next-server/file overridden for PXE" \
    "10.0.0.28 undionly.kpxe" "$(field siaddr "$REPLY") $(field file "$REPLY")"
r=$(ask hook -m $RESV)
t_eq "reserved host, not PXE: the reservation's values" \
    "10.0.0.97 resv.bin" "$(field siaddr "$r") $(field file "$r")"
r=$(ask hook -m $KNOWN -a 0)
t_eq "option 93 without a PXE vendor class: the class's values" \
    "10.0.0.98 class.bin" "$(field siaddr "$r") $(field file "$r")"

# --- a plain client's answer is byte-identical to Kea without the hook -----
for args in "-p 1,3,6,15,66,67" "-V MSFT_5.0 -a 0 -p 1,3,66,67" "-d -p 1,3,66,67"; do
    # shellcheck disable=SC2086
    a=$(ask hook -X -x 0x1234 -m $PLAIN_MAC $args)
    # shellcheck disable=SC2086
    b=$(ask plain -X -x 0x1234 -m $PLAIN_MAC $args)
    if [ -n "$a" ] && [ "$a" = "$b" ]; then
        t_ok "non-PXE ($args): byte-identical to Kea without the hook"
    else
        t_fail "non-PXE ($args): byte-identical to Kea without the hook" \
            "hook:  $a" "plain: $b"
    fi
done

# --- boot = local / off ------------------------------------------------------
check "boot = local, pxe" "$PRL" -m $LOCAL -V "$(pxe_vc 0)" -a 0
t_eq "boot = local, pxe: the loader" "undionly.kpxe" "$(field file "$REPLY")"
check "boot = local, ipxe" "$PRL" -m $LOCAL -u iPXE -e -a 0
t_match "boot = local, ipxe: its script URL (iPXE exits)" \
    "^file=$HTTP/.*$LOCAL" "$(grep ^file= <<<"$REPLY")"
for s in "pxe:-V $(pxe_vc 0) -a 0" "ipxe:-u iPXE -e -a 0" \
    "httpboot:-V HTTPClient:Arch:00016 -a 16"; do
    # shellcheck disable=SC2086
    check "boot = off, ${s%%:*}" "$PRL" -m $OFF ${s#*:}
    t_eq "boot = off, ${s%%:*}: not answered" 0 "$(field answer "$WANT")"
done

# --- unknown MACs under each policy ----------------------------------------
for policy in default ignore exit; do
    write_conf $policy
    reload "unknown = $policy"
    check "unknown = $policy, pxe" "$PRL" -m $UNKNOWN -V "$(pxe_vc 7)" -a 7
    check "unknown = $policy, ipxe" "$PRL" -m $UNKNOWN -u iPXE -e -a 7
    check "unknown = $policy, httpboot" "$PRL" -m $UNKNOWN -V HTTPClient:Arch:00016 -a 16
    r=$(ask hook -m $UNKNOWN -V "$(pxe_vc 7)" -a 7)
    if [ $policy = ignore ]; then
        t_eq "unknown = ignore: Kea's class values" "10.0.0.98 class.bin" \
            "$(field siaddr "$r") $(field file "$r")"
    else
        t_eq "unknown = $policy: pxe gets the efi64 loader" \
            "10.0.0.28 snponly.efi" "$(field siaddr "$r") $(field file "$r")"
    fi
    check "unknown = $policy, known host still answered" "$PRL" -m $KNOWN -V "$(pxe_vc 0)" -a 0
    t_eq "unknown = $policy, known host: loader" "undionly.kpxe" "$(field file "$REPLY")"
done

# --- URLs too long for the BOOTP file field, or for any DHCP option -------
long=http://10.0.0.28/$(printf 'a%.0s' $(seq 120))
write_conf default "$long"
reload "a 137-byte [server] http"
check "ipxe, 160-byte URL" "" -m $KNOWN -u iPXE -e -a 0
t_eq "160-byte URL: empty file field, URL in option 67 unasked" \
    "file= opt67=$(hex "$(field file "$WANT")")" \
    "file=$(field file "$REPLY") opt67=$(field opt67 "$REPLY")"
check "pxe with the long http: file field as usual" "" -m $KNOWN -V "$(pxe_vc 0)" -a 0

# 177-byte http + 108-byte loader: an HTTP boot URL of 293 bytes, which no
# DHCP option can carry.  The core refuses such a file at load, so the
# reload is refused with the line, and the previous file keeps serving.
huge=http://10.0.0.28/$(printf 'a%.0s' $(seq 160))
write_conf default "$huge" "$(printf 'b%.0s' $(seq 104)).efi"
out=$(ctrl hook alpxe-reload)
t_match "URL over 255 bytes: alpxe-reload refused" '"result": 1' "$out"
t_match "URL over 255 bytes: the answer names file and line" \
    "alpxe.conf:[0-9]+: error: efi64: its UEFI HTTP boot URLs are 293 bytes; a DHCP option holds 255" "$out"
r=$(ask hook -m $KNOWN -u iPXE -e -a 0)
t_eq "URL over 255 bytes: the previous file still serves" \
    "$(hex "$long/$KNOWN/gpxe-script")" "$(field opt67 "$r")"

log_lacks hook "no ALPXE_PACKET_ERROR in the log" ALPXE_PACKET_ERROR
t_done
