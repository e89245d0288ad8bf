#!/bin/bash
# tests/e2e/demo.sh - `make demo`: a VM network-boots from one alpxe.conf
# through the three plugins, and you watch it happen.
#
# Usage: tests/e2e/demo.sh [--uefi | --http | --rom] [--alpine DIR] [--keep]
#   (default)     BIOS: SeaBIOS + QEMU's iPXE NIC ROM, which is told to
#                 chain the BIOS loader over TFTP as a plain PXE ROM would
#   --rom         BIOS, the iPXE ROM's own DHCP straight to the HTTP stage
#   --uefi        UEFI: OVMF and EDK2's own PXE client (DHCP arch 7, TFTP
#                 snponly.efi, iPXE, HTTP)
#   --http        UEFI HTTP boot (DHCP arch 16, snponly.efi over HTTP)
#   --alpine DIR  boot real Alpine netboot files from DIR instead of the
#                 embedded test system
#   --keep        leave the run directory (configs, logs, console) behind
#
# Builds nothing but the test system (make demo builds the plugins first);
# creates a network namespace, starts the daemons, boots one VM, prints
# each stage as it happens, then what the machine saw, and removes it all,
# interrupted or not.  Needs root: re-runs itself with sudo otherwise.

set -u
here=$(cd "$(dirname "$0")" && pwd)
mode=pxe-chain alpine='' keep=''
while [ $# -gt 0 ]; do
    case $1 in
    --uefi) mode=uefi ;;
    --http) mode=uefi-http ;;
    --rom) mode=rom ;;
    --alpine) alpine=${2:?--alpine needs a directory}; shift ;;
    --keep) keep=1 ;;
    -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ "$(id -u)" -ne 0 ]; then
    "$here/../root-or-sudo" "make demo (network namespaces, taps, raw sockets)" >/dev/null ||
        exit 1
    echo "demo: network namespaces, taps and raw sockets need root: sudo $0 $*"
    exec sudo "$0" "$@"
fi
if [ -n "$alpine" ]; then
    alpine=$(cd "$alpine" 2>/dev/null && pwd) || { echo "demo: no directory $alpine" >&2; exit 2; }
fi

. "$here/../lib.sh"
. "$here/lib.sh"

run=
cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    if [ -n "$E2E_NS" ] || [ ${#E2E_DAEMON_PIDS[@]} -gt 0 ]; then
        printf '\ncleaning up: VM, daemons, namespace %s ... ' "${E2E_NS:-}"
        e2e_stop
        echo done
    fi
    if [ -n "$run" ]; then
        if [ -n "$keep" ]; then
            echo "kept: $run (configs, logs, the VM's console)"
        else
            rm -rf "$run"
        fi
    fi
    t_cleanup       # lib.sh's own trap, replaced above: its empty T_TMP
    exit $rc
}
trap cleanup EXIT
trap 'echo; echo "demo: interrupted"; exit 130' INT TERM HUP

missing=$(e2e_missing)
if [ -n "$missing" ]; then
    echo "demo: missing:"
    echo "$missing" | sed 's/^/  /'
    echo "(make demo installs the packages and builds the plugins first)"
    exit 1
fi

bold() {
    if [ -t 1 ]; then printf '\033[1m%s\033[0m\n' "$*"; else printf '%s\n' "$*"; fi
}

row() {
    printf '  %-10s %-36s %s\n' "$1" "$2" "$3"
}

# human BYTES
human() {
    awk -v b="$1" 'BEGIN {
        if (b >= 1048576) printf "%.1f MB", b / 1048576
        else if (b >= 1024) printf "%.1f kB", b / 1024
        else printf "%d B", b }'
}

case $mode in
pxe-chain | rom) host=pc1 fw=bios ;;
uefi) host=pc2 fw=uefi ;;
uefi-http) host=pc2 fw=uefi-http ;;
esac

bold "alpxe demo: a machine network-boots from one alpxe.conf through Kea, tftpd-hpa and nginx"
echo

# ------------------------------------------------------------ the setup

run=$(t_private_dir "$E2E_BUILD/e2e" demo)
[ -n "$alpine" ] && E2E_ALPINE=$alpine
# the test system (the first run downloads Debian's kernel package)
"$here/testsys.sh" "$E2E_TESTSYS" 2>&1 | sed 's/^/  /'
[ "${PIPESTATUS[0]}" = 0 ] || exit 1
if ! e2e_setup "$run/run" "$here/demo.conf" 2>"$run/setup.err"; then
    echo "demo: setting up failed:"
    cat "$run/setup.err"
    exit 1
fi
mac=$(e2e_conf_get "$E2E_CONF" "host $host" mac)
if [ -n "$alpine" ]; then
    row "boots" "Alpine from $alpine" "(flavor $E2E_ALPINE_FLAVOR)"
else
    row "boots" "the embedded test system" "(Debian kernel $(cat "$E2E_TESTSYS/kernel-release"), busybox /init)"
fi

if ! e2e_start 2>"$run/start.err"; then
    echo "demo: the boot network did not come up:"
    cat "$run/start.err"
    exit 1
fi
check=$("$E2E_ALPXE" -c "$E2E_CONF" check 2>&1 | tail -1)
row config "tests/e2e/demo.conf" "(alpxe check: ${check#*: })"
row network "namespace $E2E_NS" "br0 $E2E_ADDR/$E2E_PREFIX, no route out"
row DHCP "kea-dhcp4 + libdhcp_alpxe.so" "pid $(cat "$E2E_RUN/kea/pid"), raw socket on br0"
row TFTP "in.tftpd + alpxe-remap's rules" "pid $(cat "$E2E_RUN/tftpd/pid"), loaders: $(ls "$E2E_RUN/tftp" | tr '\n' ' ')"
row HTTP "nginx + ngx_http_alpxe_module" "pid $(cat "$E2E_RUN/nginx/pid"), $(e2e_conf_get "$E2E_CONF" server http)/<mac>/gpxe-script"
row NFS "nfs-ganesha, NFSv4" "pid $(cat "$E2E_RUN/ganesha/pid"), per-host dirs made by alpxe provision"
row "IPv6 RA" "radvd" "pid $(cat "$E2E_RUN/radvd/pid") (spares iPXE a 13 s wait)"
echo

# ------------------------------------------------------------- the boot

case $mode in
pxe-chain) what="BIOS: SeaBIOS, e1000 with QEMU's iPXE ROM, then undionly.kpxe over TFTP" ;;
rom) what="BIOS: SeaBIOS, e1000 with QEMU's iPXE ROM" ;;
uefi) what="UEFI: OVMF, virtio-net, EDK2's own PXE client" ;;
uefi-http) what="UEFI: OVMF, virtio-net, EDK2's HTTP boot" ;;
esac
bold "booting $host ($mac), $what"
row "" "QEMU/TCG, console: $E2E_RUN/vm-$host/console.log" ""

os_stages="linux init nic ip modloop apkovl nfs done"
[ -n "$alpine" ] && os_stages="linux alpine-init alpine-apkovl init nfs done"
case $mode in
pxe-chain) stages="tftp dhcp-ipxe script kernel $os_stages" ;;
rom) stages="dhcp-ipxe script kernel $os_stages" ;;
uefi) stages="dhcp-pxe tftp dhcp-ipxe script kernel $os_stages" ;;
uefi-http) stages="dhcp-http http-loader dhcp-ipxe script kernel $os_stages" ;;
esac
[ -z "$alpine" ] && stages="$stages poweroff"
timeout=180
[ -n "$alpine" ] && timeout=600 && E2E_GAP=300

E2E_VERBOSE=1
e2e_vm_start "$host" "$fw" "$mac"
if [ "$mode" = pxe-chain ]; then
    # QEMU's BIOS NIC ROM is iPXE already, which DHCP sends straight to
    # the HTTP stage.  A plain PXE ROM gets a TFTP loader instead; show
    # that stage by making the ROM fetch the BIOS loader over TFTP.
    loader=$(e2e_conf_get "$E2E_CONF" loader bios)
    if t_wait_for 60 grep -q 'Ctrl-B for the iPXE command line' "$E2E_RUN/vm-$host/console.log"; then
        e2e_vm_type "$host" '\x02'
        t_wait_for 20 grep -q 'iPXE>' "$E2E_RUN/vm-$host/console.log"
        printf '  [%5ss] %-32s %s\n' "$(e2e_elapsed "${E2E_VM_START[$host]}")" \
            "typed at the ROM's iPXE prompt" "dhcp && chain tftp://\${next-server}/$loader"
        e2e_vm_type "$host" "dhcp && chain tftp://\${next-server}/$loader\\r"
    fi
fi
if e2e_watch "$host" "$timeout" $stages; then
    ok=1
else
    ok=
    echo
    bold "the boot broke"
    e2e_report "$host" | sed 's/^/  /'
fi
took=$(e2e_elapsed "${E2E_VM_START[$host]}")
[ -z "$alpine" ] && e2e_vm_wait_exit "$host" 10

# ------------------------------------------------ what the machine saw

echo
bold "what the booted machine saw"
cmd=$(e2e_marker "$host" 'cmdline ' | sed 's/^cmdline //')
row "cmdline" "${cmd:-(the VM did not say)}" ""
label=HTTP
while read -r path status bytes; do
    row "$label" "$path" "$status, $(human "$bytes")"
    label=
done < <(e2e_since "$host" nginx/access.log |
    awk -v me="$E2E_ADDR" '$2 != me { print $4, $6, $7 }')
e2e_since "$host" tftpd/tftpd.log | sed -n 's/.*RRQ from \([^ ]*\) filename \([^ ]*\).*/\2 \1/p' |
    sort | uniq -c | while read -r count f addr; do
        if [ "$count" -gt 1 ]; then
            row TFTP "$f" "to $addr ($count read requests)"
        else
            row TFTP "$f" "to $addr"
        fi
    done
nfsfile=$E2E_RUN/nfs/$host/alpxe-e2e.txt
if [ -s "$nfsfile" ]; then
    row NFS "wrote /export/$host/alpxe-e2e.txt" "(on this machine: $nfsfile)"
    sed 's/^/               | /' "$nfsfile"
else
    row NFS "nothing written to /export/$host" ""
fi
echo
bold "the same boot, as \`alpxe log $mac\` reads it from the servers' own logs"
"$E2E_ALPXE" -c "$E2E_CONF" log "$mac" --stall 5
echo
if [ -n "$ok" ]; then
    case $mode in
    uefi-http) through="Kea's hook and the nginx module (HTTP boot needs no TFTP)" ;;
    rom) through="Kea's hook and the nginx module (the iPXE ROM needs no TFTP)" ;;
    *) through="all three plugins: Kea's hook, alpxe-remap's TFTP rules, the nginx module" ;;
    esac
    bold "result: $host booted over the network in ${took}s through $through"
else
    bold "result: the boot broke at stage $E2E_BROKE ($E2E_WHY)"
    keep=1
fi
[ -n "$ok" ]
