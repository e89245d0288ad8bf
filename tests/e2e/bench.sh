#!/bin/bash
# tests/e2e/bench.sh - a VM's network boot through the plugins against the
# same VM booted by a hand-written static setup, same run.
#
#   alpxe    kea-dhcp4 + libdhcp_alpxe.so, in.tftpd + alpxe-remap's rules,
#            nginx + ngx_http_alpxe_module (tests/e2e/lib.sh, demo.conf)
#   static   kea-dhcp4 with client classes (iPXE -> a static script URL and
#            option 175.176; PXE by option 93 -> its loader), in.tftpd on a
#            plain root with the same loaders, nginx serving the script that
#            `alpxe render` prints for the VM as a static file
# Everything else (network, NFS, radvd, the test system) is shared.  Each
# round boots the VM once per setup, in alternating order; the time is from
# QEMU's start to the init's "done" line on the serial console, polled every
# 50 ms (and, less noisy because the identical OS boot is left out, to the
# millisecond nginx logs having served the initrd: every network-boot
# stage).  TCG on a
# shared machine varies by seconds between boots: medians of ROUNDS.
#
# Goal: alpxe / static <= 1.05 (medians, to the marker) for each firmware.
# Environment: ROUNDS (5), FIRMWARE ("bios uefi").

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-5}
FIRMWARE=${FIRMWARE:-bios uefi}

missing=$(e2e_missing)
if [ -n "$missing" ]; then
    echo "missing:"
    echo "$missing" | sed 's/^/  /'
    exit 1
fi

t_tmpdir >/dev/null
chmod 755 "$T_TMP"
trap 'e2e_stop; t_cleanup' EXIT
trap 'exit 130' INT TERM HUP

e2e_setup "$T_TMP/run" || exit 1
R=$E2E_RUN
e2e_start || exit 1
# the plugins' Kea, tftpd and nginx are swapped per boot; the rest stays
e2e_daemon_stop kea
e2e_daemon_stop tftpd
e2e_daemon_stop nginx

# use SETUP: run that setup's Kea, tftpd and nginx
use() {
    local arg=
    [ "$1" = static ] && arg=static
    e2e_daemon_stop kea
    e2e_daemon_stop tftpd
    e2e_daemon_stop nginx
    e2e_kea_start $arg && e2e_tftpd_start $arg && e2e_nginx_start $arg
}

# boot SETUP FIRMWARE MAC: BOOT_T = seconds from QEMU's start to "done"
boot() {
    local setup=$1 fw=$2 mac=$3
    use "$setup" || { echo "  $setup: daemons did not start"; return 1; }
    rm -f "$R"/nfs/*/alpxe-e2e.txt
    e2e_vm_start bench "$fw" "$mac"
    if ! E2E_GAP=60 E2E_POLL=0.05 e2e_watch bench 240 kernel 'done'; then
        echo "  $setup $fw: the boot broke:" >&2
        e2e_report bench | sed 's/^/    /' >&2
        e2e_vm_stop bench
        return 1
    fi
    BOOT_T=${E2E_SEEN_AT[bench:done]}
    # nginx logged when it finished sending the initrd: to the millisecond
    BOOT_K=$(e2e_since bench nginx/access.log | awk -v s="${E2E_VM_START[bench]}" \
        '$4 ~ /\/boot\// && $4 !~ /modloop/ && $6 == 200 { t = $1 } END { printf "%.2f", t - s }')
    cp "$R/vm-bench/console.log" "$T_TMP/console.$setup.$fw.$BOOT_T"
    # the Kea that answered must be the one meant (no hook in the anchor)
    if [ "$setup" = static ] && grep -q ALPXE_ "$R/kea/kea.log"; then
        echo "  static setup answered through the hook?" >&2
        return 1
    fi
    e2e_vm_stop bench
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

fail=0
for fw in $FIRMWARE; do
    case $fw in
    bios) host=pc1 chain="DHCP (iPXE ROM) -> HTTP script -> kernel" ;;
    uefi) host=pc2 chain="DHCP (EDK2 PXE) -> TFTP snponly.efi -> DHCP (iPXE) -> HTTP script -> kernel" ;;
    *) echo "unknown firmware $fw"; exit 1 ;;
    esac
    mac=$(e2e_conf_get "$E2E_CONF" "host $host" mac)
    "$E2E_ALPXE" -c "$E2E_CONF" render "$mac" >"$R/www/static/boot.ipxe"
    chmod 644 "$R/www/static/boot.ipxe"
    echo "== $fw: $host $mac, $chain, $ROUNDS rounds"
    : >"$T_TMP/alpxe.$fw"
    : >"$T_TMP/static.$fw"
    : >"$T_TMP/alpxe-k.$fw"
    : >"$T_TMP/static-k.$fw"
    for ((r = 1; r <= ROUNDS; r++)); do
        order="alpxe static"
        [ $((r % 2)) = 0 ] && order="static alpxe"
        line="  round $r:"
        for setup in $order; do
            boot "$setup" "$fw" "$mac" || { fail=1; continue 2; }
            echo "$BOOT_T" >>"$T_TMP/$setup.$fw"
            echo "$BOOT_K" >>"$T_TMP/$setup-k.$fw"
            line="$line $setup ${BOOT_T}s (initrd ${BOOT_K}s)"
        done
        echo "$line"
    done
    a=$(median <"$T_TMP/alpxe.$fw")
    s=$(median <"$T_TMP/static.$fw")
    if [ -z "$a" ] || [ -z "$s" ]; then
        echo "  no result"
        fail=1
        continue
    fi
    ak=$(median <"$T_TMP/alpxe-k.$fw")
    sk=$(median <"$T_TMP/static-k.$fw")
    ratio=$(awk -v a="$a" -v s="$s" 'BEGIN { printf "%.3f", a / s }')
    printf '  %-40s %6.2f s   (runs: %s)\n' "to the marker, through the plugins" "$a" "$(tr '\n' ' ' <"$T_TMP/alpxe.$fw")"
    printf '  %-40s %6.2f s   (runs: %s)\n' "to the marker, static setup" "$s" "$(tr '\n' ' ' <"$T_TMP/static.$fw")"
    printf '  %-40s %6.2f s / %.2f s = %.3f\n' "to the initrd served, plugins / static" "$ak" "$sk" \
        "$(awk -v a="$ak" -v s="$sk" 'BEGIN { print a / s }')"
    printf '  %-40s %6s     (goal <= 1.05)\n' "alpxe / static, to the marker" "$ratio"
    if awk -v r="$ratio" 'BEGIN { exit !(r <= 1.05) }'; then
        echo "  goal met"
    else
        echo "  GOAL NOT MET"
    fi
done
exit $fail
