#!/bin/bash
# tests/e2e/run.sh - real VMs network-boot through all three plugins.
#
# One private boot network (tests/e2e/lib.sh) generated from
# tests/e2e/demo.conf plus two profiles for the reload case; QEMU (TCG)
# machines boot the embedded test system (tests/e2e/testsys.sh) and each
# case follows the boot stage by stage in the daemons' logs and the VM's
# serial console.  A case that breaks says which stage did not happen and
# shows the log that should have shown it.
#
#   bios        SeaBIOS + QEMU's iPXE ROM (e1000): DHCP -> HTTP script ->
#               kernel; cmdline, modloop, apkovl ({MAC}), NFS file checked
#   bios-tftp   the ROM's iPXE chains undionly.kpxe over TFTP (what a plain
#               PXE ROM does with its DHCP answer), then DHCP -> HTTP
#   uefi-pxe    OVMF, EDK2's own PXE (virtio-net, no ROM): DHCP arch 7 ->
#               TFTP snponly.efi -> iPXE -> HTTP; a static ip=
#   uefi-http   OVMF's UEFI HTTP boot: DHCP arch 16 -> HTTP snponly.efi
#   unknown     a MAC in no [host] section, unknown = default
#   local       boot = local: iPXE exits, the VM boots its disk
#   reload      alpxe.conf changed and reloaded between two boots of one VM
#   twonic      a VM with two NICs boots from the second: BOOTIF= makes the
#               init (Alpine's NIC choice) bring up that one, not the first
#               with link; its profile has metadata = yes: the init fetches
#               the NoCloud documents as tiny-cloud does, takes the host
#               name from them and writes to the NFS directory user-data
#               names
#   menu        boot = menu: the console picks the menu's second item, the
#               VM boots that profile (and its documents, under the choice)
#   classic     the classic embedded loader's two lines typed at iPXE's
#               prompt: dhcp net0 && chain http://${net0/next-server}/pxe/
#               gpxe-script, with no MAC: the VM still boots its own profile
#   broken      boots broken on purpose, each diagnosed by `alpxe log` at the
#               stage that broke: no loader in the TFTP root, a loader for
#               another architecture, no nginx for the script, no kernel
#
# After every boot, `alpxe log` must find each stage it went through in the
# daemons' own logs; `alpxe watch` follows one boot live; `alpxe status
# --html` writes the page of them all.
#
# Needs root (network namespace, taps).  Bounded: each stage must show up
# within E2E_GAP seconds of the previous one.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

missing=$(e2e_missing)
if [ -n "$missing" ]; then
    t_skip "e2e boots" "missing: $(echo "$missing" | tr '\n' ';' | sed 's/;$//')"
    t_done
    exit
fi

t_tmpdir >/dev/null
chmod 755 "$T_TMP"              # nginx's workers read the VMs' files
trap 'e2e_stop; t_cleanup' EXIT
trap 'exit 130' INT TERM HUP

HTTP=http://10.213.0.1/pxe
PC1=52:54:00:e2:e0:01           # [host pc1], DHCP
PC2=52:54:00:e2:e0:02           # [host pc2], static ip=
DESK=52:54:00:e2:e0:03          # [host desk], boot = local
AGAIN=52:54:00:e2:e0:04         # [host again], profile one, then two
UNKNOWN=52:54:00:e2:e0:99       # in no [host] section

cat "$E2E_HERE/demo.conf" - >"$T_TMP/e2e.conf.in" <<'EOF'

; --- the e2e tests' own: one VM booted twice, its profile changed between
[profile one]
kernel  = boot/vmlinuz
initrd  = boot/initramfs.gz
modloop = boot/modloop
apkovl  = http://10.213.0.1/ovl/{MAC}.apkovl.tar.gz
args    = console=ttyS0,115200 modules=loop,squashfs alpxe_profile=one alpxe_after=reboot
append  = alpxe_ctl=http://10.213.0.1/ctl/${mac_dash}
append  = alpxe_nfs=10.213.0.1:/export/${hostname}

[profile two]
kernel  = boot/vmlinuz
initrd  = boot/initramfs.gz
modloop = boot/modloop
apkovl  = http://10.213.0.1/ovl/{MAC}.apkovl.tar.gz
args    = console=ttyS0,115200 modules=loop,squashfs alpxe_profile=two
append  = alpxe_nfs=10.213.0.1:/export/${hostname}

[host again]
mac     = 52:54:00:e2:e0:04
profile = one
nfs     = nfs://10.213.0.1/export/${hostname}?version=4

; --- NoCloud metadata instead of an apkovl (tiny-cloud starts only
; without one); the NFS directory comes from user-data
[profile meta]
description = the test system, named by NoCloud metadata
kernel  = boot/vmlinuz
initrd  = boot/initramfs.gz
modloop = boot/modloop
metadata = yes
authorized_keys = @RUN@/keys.pub
user_data = @RUN@/user-data.yaml
args    = console=ttyS0,115200 alpxe_profile=meta

; two NICs: e0:05 is the first (on a network of its own), e0:06 boots
[host twonic]
mac     = 52:54:00:e2:e0:05
mac     = 52:54:00:e2:e0:06
profile = meta
nfs     = nfs://10.213.0.1/export/${hostname}?version=4

; the person at the console picks
[host pick]
mac     = 52:54:00:e2:e0:07
profile = testsys
boot    = menu
nfs     = nfs://10.213.0.1/export/${hostname}?version=4

; --- boots broken on purpose, each at one stage
[profile nokernel]
kernel  = boot/vmlinuz-missing
initrd  = boot/initramfs.gz
args    = console=ttyS0,115200

[host noloader]
mac          = 52:54:00:e2:e0:09
profile      = testsys
loader_efi64 = ipxe.efi             ; installed, then taken out of the root

[host wrongarch]
mac          = 52:54:00:e2:e0:0a
profile      = testsys
loader_efi64 = undionly.kpxe        ; a BIOS loader for a UEFI machine

[host noscript]
mac     = 52:54:00:e2:e0:0b
profile = testsys

[host nokernel]
mac     = 52:54:00:e2:e0:0c
profile = nokernel
EOF
# the menu offers testsys and meta; it waits long enough for the typing
sed -i -e '/^\[profile alpine\]/a menu    = no' \
    -e '/^default = testsys/a menu_timeout = 120' "$T_TMP/e2e.conf.in"
for p in one two; do
    sed -i "/^\[profile $p\]/a menu    = no" "$T_TMP/e2e.conf.in"
done

if ! e2e_setup "$T_TMP/run" "$T_TMP/e2e.conf.in" 2>"$T_TMP/setup.err"; then
    t_fail "the test system and the run directory are set up" "$(cat "$T_TMP/setup.err")"
    t_done
    exit
fi
R=$E2E_RUN
e2e_add_host_files "$(echo "$UNKNOWN" | tr : -)" "$UNKNOWN"
# the metadata profile's files (alpxe.conf names them)
KEY="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2eE2eE2eE2eE2eE2eE2eE2eE2eE2eE2eE2eE2eE2e e2e@alpxe"
printf '# the e2e admins\n%s\n' "$KEY" >"$R/keys.pub"
printf '#alpine-config\npackages:\n  - htop\nruncmd:\n  - echo alpxe-e2e\n' >"$R/user-data.yaml"
# an unknown MAC's directory: no [host] names it, so no provision either
mkdir -p "$R/nfs/$(echo "$UNKNOWN" | tr : -)"
out=$("$E2E_ALPXE" check -c "$E2E_CONF" 2>&1)
t_match "alpxe check accepts the e2e alpxe.conf" ': ok:' "$out"

if e2e_start 2>"$T_TMP/start.err"; then
    t_ok "boot network up: kea-dhcp4 + hook, in.tftpd + remap, nginx + module, ganesha, radvd"
else
    t_fail "boot network up: kea-dhcp4 + hook, in.tftpd + remap, nginx + module, ganesha, radvd" \
        "$(cat "$T_TMP/start.err")"
    t_done
    exit
fi

t_match "alpxe provision created the hosts' NFS directories over NFSv4" \
    "created pc1 .*created pc2 .*created again .*created twonic .*created pick " \
    "$(echo $(cat "$R/nfs.provision"))"
out=$(e2e_ns "$E2E_ALPXE" -c "$E2E_CONF" check --network 2>&1)
t_match "alpxe check --network finds every host's directory" "ok +pc1 .*ok +pc2 .*ok +again " \
    "$(echo $out)"

# ------------------------------------------------------------- helpers

STAGES_OS="linux init nic ip modloop apkovl nfs done"
STAGES_META="linux init nic ip modloop nocloud nfs done"

# case_on NAME: run this case (E2E_ONLY="bios reload" runs only those).
case_on() {
    [ -z "${E2E_ONLY:-}" ] || [[ " $E2E_ONLY " == *" $1 "* ]]
}

# boot NAME TIMEOUT STAGE...: one TAP line for the whole chain.
boot() {
    local name=$1 timeout=$2 label=$3
    shift 3
    if e2e_watch "$name" "$timeout" "$@"; then
        t_ok "$label: $(echo "$@" | sed 's/ / -> /g') ($(e2e_elapsed "${E2E_VM_START[$name]}")s)"
        return 0
    fi
    t_fail "$label: $(echo "$@" | sed 's/ / -> /g')" "$(e2e_report "$name")"
    return 1
}

# cmdline NAME: the VM's /proc/cmdline as its init printed it.
cmdline() {
    e2e_marker "$1" 'cmdline ' | sed 's/^cmdline //'
}

# script_args MAC: the kernel arguments of the script nginx serves MAC.
script_args() {
    e2e_script "$1" | sed -n 's/^kernel [^ ]* //p'
}

# check_os NAME MAC HOSTNAME LABEL: what the booted test system saw.
check_os() {
    local n=$1 mac=$2 host=$3 label=$4 want got ovl
    want=$(script_args "$mac")
    got=$(cmdline "$n")
    # iPXE under UEFI puts the image name first ("vmlinuz initrd=...")
    t_eq "$label: /proc/cmdline = the script's kernel arguments" "$want" "${got#vmlinuz }"
    t_eq "$label: modloop fetched, the bytes served" \
        "$(md5sum <"$R/www/boot/modloop" | cut -d' ' -f1)" \
        "$(e2e_marker "$n" 'modloop ' | sed -n 's/.* md5 //p')"
    ovl="http://10.213.0.1/ovl/$mac.apkovl.tar.gz"
    t_match "$label: apkovl fetched with {MAC} expanded" "^apkovl $ovl [0-9]+ bytes: .*etc/hostname" \
        "$(e2e_marker "$n" 'apkovl ')"
    t_match "$label: nginx served the apkovl to the VM" "\"GET /ovl/$mac.apkovl.tar.gz HTTP/1.1\" 200" \
        "$(e2e_since "$n" nginx/access.log)"
    t_match "$label: the hostname came from the apkovl" "^hostname $host\$" "$(e2e_marker "$n" 'hostname ')"
    got=$(cat "$R/nfs/$host/alpxe-e2e.txt" 2>&1)
    t_match "$label: the file the VM wrote over NFS is in the export" \
        "boot=[0-9]+.*hostname=$host.*mac=$mac" "$(echo $got)"
}

kea_file() {
    e2e_kea_answer "$1" "$2" | sed -n 's/.*, file //p'
}

# alpxe_log MAC [OPTIONS]: `alpxe log --json` on the daemons' own logs
# (the [log] section of the run's alpxe.conf names them).
alpxe_log() {
    "$E2E_ALPXE" -c "$E2E_CONF" log --json "$@" 2>&1
}

# log_stages JSON: the stages of the boot, in order, one line.
log_stages() {
    printf '%s\n' "$1" | sed -n 's/^          "stage": "\(.*\)",$/\1/p' | tr '\n' ' ' |
        sed 's/ $//'
}

# log_verdict JSON: "outcome stage" of the boot.
log_verdict() {
    printf '%s\n' "$1" | tr -d '\n' |
        sed 's/.*"outcome": "\([^"]*\)", *"stage": \("[^"]*"\|null\).*/\1 \2/' | tr -d '"'
}

# log_check LABEL MAC STAGES...: alpxe log finds exactly these stages of
# MAC's last boot, in this order, and that it booted.
log_check() {
    local label=$1 mac=$2 json
    shift 2
    json=$(alpxe_log "$mac")
    t_eq "$label: alpxe log shows every stage in the servers' logs, in order" \
        "$*" "$(log_stages "$json")"
    t_eq "$label: alpxe log says it booted" "booted" \
        "$(log_verdict "$json" | cut -d' ' -f1)"
}

# ------------------------------------------------ BIOS, straight to HTTP

if case_on bios; then
    e2e_vm_start bios bios "$PC1"
    if boot bios 120 "bios (SeaBIOS, iPXE ROM)" dhcp-ipxe script kernel $STAGES_OS poweroff; then
        t_eq "bios: Kea answered iPXE with the MAC's script URL" \
            "$HTTP/$PC1/gpxe-script" "$(kea_file bios ipxe)"
        t_match "bios: the hook saw arch bios, host pc1" "stage ipxe, arch bios \\(type 0\\), host pc1," \
            "$(e2e_since bios kea/kea.log | grep ALPXE_ANSWER)"
        t_match "bios: alpxe_profile=testsys and the appended alpxe_nfs= are on the command line" \
            "alpxe_profile=testsys .*alpxe_nfs=10.213.0.1:/export/pc1" "$(cmdline bios)"
        t_match "bios: address by DHCP" "^ip 10\\.213\\.0\\.[0-9]+/255\\.255\\.255\\.0 on eth0 by dhcp" \
            "$(e2e_marker bios 'ip ')"
        check_os bios "$PC1" pc1 bios
        log_check bios "$PC1" dhcp-ipxe script kernel initrd os-dhcp modloop apkovl
    fi
    e2e_vm_stop bios
fi

# ----------------------------------------- BIOS, the TFTP stage as well

if case_on bios-tftp; then
    rm -f "$R/nfs/pc1/alpxe-e2e.txt"
    e2e_vm_start btftp bios "$PC1"
    if t_wait_for 60 grep -q 'Ctrl-B for the iPXE command line' "$R/vm-btftp/console.log"; then
        e2e_vm_type btftp '\x02'
        if t_wait_for 20 grep -q 'iPXE>' "$R/vm-btftp/console.log"; then
            loader=$(e2e_conf_get "$E2E_CONF" loader bios)
            e2e_vm_type btftp "dhcp && chain tftp://\${next-server}/$loader\\r"
            if boot btftp 150 "bios-tftp (iPXE ROM chains $loader)" tftp dhcp-ipxe script kernel linux init nfs done poweroff; then
                t_match "bios-tftp: in.tftpd served $loader to the VM" "^$loader to 10\\.213\\.0\\." \
                    "${E2E_SEEN_TEXT[btftp:tftp]}"
                t_match "bios-tftp: $loader ran (iPXE over the ROM's UNDI)" 'using undionly on' \
                    "$(e2e_console btftp)"
                t_match "bios-tftp: the NFS file was written again" "hostname=pc1" \
                    "$(cat "$R/nfs/pc1/alpxe-e2e.txt" 2>&1)"
                log_check bios-tftp "$PC1" dhcp-ipxe tftp script kernel initrd os-dhcp modloop apkovl
            fi
        else
            t_fail "bios-tftp: iPXE's shell" "no iPXE> prompt after Ctrl-B" "$(e2e_console btftp | tail -5)"
        fi
    else
        t_fail "bios-tftp: iPXE's Ctrl-B prompt on the serial console" "$(e2e_console btftp | tail -5)"
    fi
    e2e_vm_stop btftp
fi

# ------------------------------------------------------ UEFI, EDK2's PXE

if case_on uefi-pxe; then
    # alpxe watch follows this boot live
    "$E2E_ALPXE" -c "$E2E_CONF" watch --json "$PC2" >"$T_TMP/watch.out" 2>"$T_TMP/watch.err" &
    watch_pid=$!
    t_track "$watch_pid"
    sleep 1
    e2e_vm_start upxe uefi "$PC2"
    if boot upxe 180 "uefi-pxe (OVMF, EDK2 PXE)" dhcp-pxe tftp dhcp-ipxe script kernel $STAGES_OS poweroff; then
        t_eq "uefi-pxe: Kea gave EDK2 the efi64 loader" "snponly.efi" "$(kea_file upxe pxe)"
        t_match "uefi-pxe: the hook saw arch efi64 (type 7), host pc2" "stage pxe, arch efi64 \\(type 7\\), host pc2," \
            "$(e2e_since upxe kea/kea.log | grep ALPXE_ANSWER)"
        t_match "uefi-pxe: in.tftpd served snponly.efi" "^snponly.efi to " "${E2E_SEEN_TEXT[upxe:tftp]}"
        t_match "uefi-pxe: EDK2 downloaded the NBP" "NBP file downloaded successfully" "$(e2e_console upxe)"
        t_eq "uefi-pxe: Kea answered snponly.efi's iPXE with the script URL" \
            "$HTTP/$PC2/gpxe-script" "$(kea_file upxe ipxe)"
        t_match "uefi-pxe: the host's static ip= was applied" "^ip 10\\.213\\.0\\.52/255\\.255\\.255\\.0 on eth0 static" \
            "$(e2e_marker upxe 'ip ')"
        t_match "uefi-pxe: virtio-net under the Debian kernel" "driver virtio_net" "$(e2e_marker upxe 'nic ')"
        check_os upxe "$PC2" pc2 uefi-pxe
        log_check uefi-pxe "$PC2" dhcp-pxe tftp dhcp-ipxe script kernel initrd modloop apkovl
        t_wait_for 5 grep -q '"outcome":"booted"' "$T_TMP/watch.out"
        t_eq "uefi-pxe: alpxe watch printed each stage as it came" \
            "dhcp-pxe tftp dhcp-ipxe script kernel initrd modloop apkovl" \
            "$(grep '"new_boot"' "$T_TMP/watch.out" | sed -n 's/.*"stage":"\([a-z-]*\)".*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
        t_match "uefi-pxe: alpxe watch said it booted" '"mac":"52:54:00:e2:e0:02","outcome":"booted"' \
            "$(cat "$T_TMP/watch.out")"
    fi
    t_stop "$watch_pid"
    e2e_vm_stop upxe
fi

# ------------------------------------------------ UEFI, EDK2's HTTP boot

if case_on uefi-http; then
    rm -f "$R/nfs/pc2/alpxe-e2e.txt"
    e2e_vm_start uhttp uefi-http "$PC2"
    if e2e_watch uhttp 180 dhcp-http http-loader dhcp-ipxe script kernel linux init nfs done poweroff; then
        t_ok "uefi-http (OVMF HTTP boot): dhcp-http -> http-loader -> dhcp-ipxe -> script -> kernel -> ... -> done ($(e2e_elapsed "${E2E_VM_START[uhttp]}")s)"
        t_eq "uefi-http: Kea gave the loader's URL" "$HTTP/loader/snponly.efi" "$(kea_file uhttp httpboot)"
        t_match "uefi-http: option 93 type 16 seen" "stage httpboot, arch efi64 \\(type 16\\)" \
            "$(e2e_since uhttp kea/kea.log | grep ALPXE_ANSWER)"
        t_match "uefi-http: nginx served the loader" "^/pxe/loader/snponly.efi -> 200 " \
            "${E2E_SEEN_TEXT[uhttp:http-loader]}"
        t_match "uefi-http: the NFS file was written" "hostname=pc2" "$(cat "$R/nfs/pc2/alpxe-e2e.txt" 2>&1)"
        log_check uefi-http "$PC2" dhcp-http http-loader dhcp-ipxe script kernel initrd modloop apkovl
    elif [ "$E2E_BROKE" = dhcp-http ] && ! e2e_console uhttp | grep -q 'HTTP'; then
        t_skip "uefi-http (OVMF HTTP boot)" "this OVMF offers no UEFI HTTP boot option ($E2E_OVMF_CODE)"
    else
        t_fail "uefi-http (OVMF HTTP boot)" "$(e2e_report uhttp)"
    fi
    e2e_vm_stop uhttp
fi

# ------------------------------------------- an unknown MAC, unknown = default

if case_on unknown; then
    e2e_vm_start unknown bios "$UNKNOWN"
    if boot unknown 120 "unknown MAC, unknown = default" dhcp-ipxe script kernel $STAGES_OS poweroff; then
        t_match "unknown: the hook found no host and answered anyway" "mac $UNKNOWN, stage ipxe, .*file $HTTP/$UNKNOWN/gpxe-script" \
            "$(e2e_since unknown kea/kea.log | grep ALPXE_ANSWER)"
        t_match "unknown: the default profile's arguments, \${hostname} = the dashed MAC" \
            "alpxe_profile=testsys .*alpxe_nfs=10.213.0.1:/export/52-54-00-e2-e0-99" "$(cmdline unknown)"
        check_os unknown "$UNKNOWN" 52-54-00-e2-e0-99 unknown
        log_check unknown "$UNKNOWN" dhcp-ipxe script kernel initrd os-dhcp modloop apkovl
    fi
    e2e_vm_stop unknown
fi

# ------------------------------------------------------- boot = local

if case_on local; then
    e2e_vm_start local bios-disk "$DESK"
    if boot local 90 "boot = local: iPXE exits, the VM boots its disk" dhcp-ipxe script local-disk; then
        t_eq "local: the script is exit" "$(printf '#!ipxe\nexit')" "$(e2e_script "$DESK")"
        t_nomatch "local: no kernel was fetched" '/boot/' "$(e2e_since local nginx/access.log)"
        t_nomatch "local: no Linux on the console" 'Linux version' "$(e2e_console local)"
        json=$(alpxe_log "$DESK")
        t_eq "local: alpxe log: iPXE's DHCP and its script, which was exit" \
            "dhcp-ipxe script exited script" "$(log_stages "$json") $(log_verdict "$json")"
    fi
    e2e_vm_stop local
fi

# ------------------------------ config change + reload between two boots

if case_on reload; then
    e2e_vm_start again bios "$AGAIN"
    if boot again 120 "reload, boot 1 (profile one)" dhcp-ipxe script kernel linux init nfs done; then
        t_match "reload: boot 1 ran profile one" "alpxe_profile=one alpxe_after=reboot" "$(cmdline again)"
        sed -i '/^\[host again\]/,/^\[/ s/^profile *=.*/profile = two/' "$E2E_CONF"
        if out=$(e2e_reload 2>&1); then
            t_ok "reload: alpxe-reload (Kea), alpxe-remap --reload (tftpd), SIGHUP (nginx)"
        else
            t_fail "reload: alpxe-reload (Kea), alpxe-remap --reload (tftpd), SIGHUP (nginx)" "$out"
        fi
        if t_wait_for 10 sh -c "ip netns exec '$E2E_NS' curl -s '$HTTP/$AGAIN/gpxe-script' | grep -q alpxe_profile=two"; then
            t_ok "reload: nginx serves profile two"
        else
            t_fail "reload: nginx serves profile two" "$(e2e_script "$AGAIN")"
        fi
        e2e_vm_next again
        : >"$R/www/ctl/$(echo "$AGAIN" | tr : -)"       # the VM reboots now
        if boot again 120 "reload, boot 2 of the same VM" dhcp-ipxe script kernel linux init nfs done poweroff; then
            t_match "reload: boot 2 got profile two" "alpxe_profile=two" "$(cmdline again)"
            t_nomatch "reload: boot 2 is not told to reboot" "alpxe_after" "$(cmdline again)"
            t_match "reload: the NFS file persisted across the boots" "boot=2 .*profile=two" \
                "$(echo $(cat "$R/nfs/again/alpxe-e2e.txt" 2>&1))"
            t_match "reload: Kea logged the reload" "ALPXE_LOAD reload: " "$(cat "$R/kea/kea.log")"
        fi
    fi
    e2e_vm_stop again
fi

# ---------------------- two NICs, booting from the second; NoCloud metadata

TWO_DEAD=52:54:00:e2:e0:05      # twonic's first NIC: link, but no network
TWO_BOOT=52:54:00:e2:e0:06      # twonic's second NIC: the one that boots

# check_nocloud NAME MAC HOST SEED LABEL: what the test system read from
# the documents tiny-cloud fetches, and what nginx served it.
check_nocloud() {
    local n=$1 mac=$2 host=$3 seed=$4 label=$5 doc
    t_match "$label: the kernel line carries the seed" \
        " ds=nocloud;s=http://10\.213\.0\.1/pxe/$seed( |\$)" "$(cmdline "$n")"
    for doc in meta-data user-data vendor-data network-config; do
        t_match "$label: tiny-cloud's GET <seed>/$doc (double slash) served" \
            "\"GET /pxe/$seed/$doc HTTP/1.1\" 200 " "$(e2e_since "$n" nginx/access.log)"
    done
    t_match "$label: the host name the VM got from meta-data" \
        "^nocloud hostname $host key " "$(e2e_marker "$n" 'nocloud hostname ')"
    t_eq "$label: the SSH key the VM got from user-data" "$KEY" \
        "$(e2e_marker "$n" 'nocloud hostname ' | sed 's/^nocloud hostname [^ ]* key //')"
    t_eq "$label: user-data is what tiny-cloud parses (#alpine-config)" \
        "nocloud user-data header #alpine-config" "$(e2e_marker "$n" 'nocloud user-data ')"
    t_eq "$label: user-data mounts the host's NFS directory" \
        "nocloud fstab 10.213.0.1:/export/$host /media/alpxe nfs rw,_netdev,vers=4 0 0" \
        "$(e2e_marker "$n" 'nocloud fstab ')"
    t_match "$label: the hostname is the metadata's" "^hostname $host\$" "$(e2e_marker "$n" 'hostname ')"
    t_match "$label: the VM wrote to that directory" \
        "boot=[0-9]+.*hostname=$host.*mac=$mac" "$(echo $(cat "$R/nfs/$host/alpxe-e2e.txt" 2>&1))"
}

if case_on twonic; then
    # the first NIC (lower PCI address: eth0) on a QEMU hub of its own
    E2E_VM_NIC_OPTS=,addr=0x5 e2e_vm_start twonic bios "$TWO_BOOT" \
        -netdev hubport,id=dead,hubid=7 -device "e1000,netdev=dead,mac=$TWO_DEAD,addr=0x4"
    if boot twonic 150 "twonic (booting from its second NIC)" dhcp-ipxe script kernel $STAGES_META poweroff; then
        t_match "twonic: the kernel line names the NIC that asked" \
            " BOOTIF=01-52-54-00-e2-e0-06 " "$(cmdline twonic)"
        t_match "twonic: both NICs had link (without BOOTIF Alpine takes eth0)" \
            "; all: eth0=$TWO_DEAD eth1=$TWO_BOOT\$" "$(e2e_marker twonic 'nic ')"
        t_match "twonic: BOOTIF chose eth1, the second NIC" \
            "^nic eth1 mac $TWO_BOOT driver e1000 chosen by BOOTIF 01-52-54-00-e2-e0-06;" \
            "$(e2e_marker twonic 'nic ')"
        t_match "twonic: eth1 got its address by DHCP" "^ip 10\.213\.0\.[0-9]+/255\.255\.255\.0 on eth1 by dhcp" \
            "$(e2e_marker twonic 'ip ')"
        check_nocloud twonic "$TWO_BOOT" twonic "$TWO_BOOT/" twonic
    fi
    e2e_vm_stop twonic
fi

# ------------------------------------------- boot = menu: the console picks

PICK=52:54:00:e2:e0:07

if case_on menu; then
    e2e_vm_start menu bios "$PICK"
    # the title first, the items a moment later: wait for the last one
    if t_wait_for 90 grep -q 'named by NoCloud metadata' "$R/vm-menu/console.log"; then
        t_ok "menu: iPXE shows the menu on the console"
        t_match "menu: it offers testsys, then meta, with the description" \
            "1\. testsys.*2\. meta: the test system, named by NoCloud metadata" \
            "$(e2e_console menu | tr '\n' ' ')"
        t_nomatch "menu: no profile with menu = no" "[0-9]\. (alpine|one|two)" "$(e2e_console menu)"
        e2e_vm_type menu '2'
        if boot menu 150 "menu (item 2 picked on the console)" script kernel $STAGES_META poweroff; then
            # iPXE before 2021 sends the colons as %3A
            t_match "menu: iPXE fetched the choice" \
                "\"GET /pxe/${PICK//:/(:|%3A)}/gpxe-script\?profile=meta HTTP/1.1\" 200 " \
                "$(e2e_since menu nginx/access.log)"
            t_match "menu: the VM booted the profile picked" "alpxe_profile=meta" "$(cmdline menu)"
            check_nocloud menu "$PICK" pick "$PICK/meta/" menu
        fi
    else
        t_fail "menu: iPXE shows the menu on the console" "$(e2e_console menu | tail -8)"
    fi
    e2e_vm_stop menu
fi

# ------------------------ the classic embedded loader: no MAC in its URL

if case_on classic; then
    rm -f "$R/nfs/pc1/alpxe-e2e.txt"
    e2e_vm_start classic bios "$PC1"
    if t_wait_for 60 grep -q 'Ctrl-B for the iPXE command line' "$R/vm-classic/console.log"; then
        e2e_vm_type classic '\x02'
        if t_wait_for 20 grep -q 'iPXE>' "$R/vm-classic/console.log"; then
            # what the widely copied embedded script does
            e2e_vm_type classic 'dhcp net0 && chain http://${net0/next-server}/pxe/gpxe-script\r'
            if boot classic 150 "classic (embedded loader's MAC-less URL)" script kernel $STAGES_OS poweroff; then
                t_match "classic: nginx answered the MAC-less URL" \
                    '"GET /pxe/gpxe-script HTTP/1.1" 200 ' "$(e2e_since classic nginx/access.log)"
                t_match "classic: ... and the chain to the NIC's own URL" \
                    '"GET /pxe/52-54-00-e2-e0-01/gpxe-script HTTP/1.1" 200 ' \
                    "$(e2e_since classic nginx/access.log)"
                check_os classic "$PC1" pc1 classic
            fi
        else
            t_fail "classic: iPXE's shell" "no iPXE> prompt after Ctrl-B" "$(e2e_console classic | tail -5)"
        fi
    else
        t_fail "classic: iPXE's Ctrl-B prompt on the serial console" "$(e2e_console classic | tail -5)"
    fi
    e2e_vm_stop classic
fi

# ------------------------------------------- boots broken on purpose

# broken NAME FIRMWARE MAC: boot, and wait (at most 150 s) until `alpxe
# log` says the boot failed or stopped (a boot silent for 12 s has); its
# verdict is left in VERDICT, the whole answer in JSON.
broken() {
    local i
    e2e_vm_start "$1" "$2" "$3"
    VERDICT= JSON=
    for i in $(seq 75); do
        sleep 2
        JSON=$(alpxe_log "$3" --stall 12)
        case $(log_verdict "$JSON") in
        failed* | stopped* | declined*) break ;;
        esac
    done
    VERDICT=$(log_verdict "$JSON")
    e2e_vm_stop "$1"
}

if case_on broken; then
    # no loader: the host's loader is not in the TFTP root (in.tftpd -vv
    # sends a NAK, and logs it)
    rm -f "$R/tftp/ipxe.efi"
    broken noloader uefi 52:54:00:e2:e0:09
    t_eq "no loader: alpxe log says it failed at tftp" "failed tftp" "$VERDICT"
    t_match "no loader: in.tftpd's refusal, and the loaders' root" \
        "in.tftpd refused the loader: ipxe.efi refused to 10\.213\.0\.[0-9]+: File not found.*TFTP root $R/tftp .*alpxe-remap --install-loaders" \
        "$(printf '%s' "$JSON" | grep '"diagnosis"' | tail -1)"

    # a loader for another architecture: served, and never starts
    broken wrongarch uefi 52:54:00:e2:e0:0a
    t_eq "wrong loader: alpxe log says it stopped before iPXE's DHCP" "stopped dhcp-ipxe" "$VERDICT"
    t_match "wrong loader: got the loader and never asked DHCP again" \
        "got undionly.kpxe over (TFTP|HTTP) at [0-9:.]+ and never asked DHCP again: the loader did not start\. Check the firmware's architecture \(Kea saw efi64 \(type (7|16)\)\)" \
        "$(printf '%s' "$JSON" | grep '"diagnosis"' | tail -1)"

    # no kernel: the profile's kernel is not where its URL points (404)
    broken nokernel bios 52:54:00:e2:e0:0c
    t_eq "no kernel: alpxe log says it failed at the kernel" "failed kernel" "$VERDICT"
    t_match "no kernel: nginx's 404 for it" \
        "nginx answered 404 for the kernel \(/pxe/boot/vmlinuz-missing -> 404" \
        "$(printf '%s' "$JSON" | grep '"diagnosis"' | tail -1)"

    # no script: nginx is down when iPXE asks for it
    e2e_daemon_stop nginx
    broken noscript bios 52:54:00:e2:e0:0b
    t_eq "no script: alpxe log says it stopped at the script" "stopped script" "$VERDICT"
    t_match "no script: iPXE got the URL, nginx logged no request for it" \
        "iPXE got its script's URL at [0-9:.]+ \(http://10.213.0.1/pxe/52:54:00:e2:e0:0b/gpxe-script\) and nginx logged no request for it" \
        "$(printf '%s' "$JSON" | grep '"diagnosis"' | tail -1)"
    if e2e_nginx_start 2>"$T_TMP/nginx-again.err"; then
        t_ok "nginx started again"
    else
        t_fail "nginx started again" "$(cat "$T_TMP/nginx-again.err")"
    fi
fi

# ---------------------------------------------- alpxe status, its page

out=$("$E2E_ALPXE" -c "$E2E_CONF" status --stall 12 --html "$R/status.html" 2>&1)
t_match "alpxe status: one line per host after the servers" "hosts: [0-9]+, [0-9]+ failing" "$out"
if case_on bios; then
    t_match "alpxe status: pc1 booted" "pc1 +52:54:00:e2:e0:01 +booted .* reached apkovl" "$out"
fi
if case_on broken; then
    t_match "alpxe status: the broken boots, each at its stage" \
        "noloader .* failed .* at tftp .*wrongarch .* stopped .* at dhcp-ipxe .*noscript .* stopped .* at script .*nokernel .* failed .* at kernel" \
        "$(echo $out)"
    t_match "alpxe status --html: the broken hosts first, marked failing" \
        '<tr class="host bad" id="host-noloader" data-outcome="failed">' "$(cat "$R/status.html")"
    t_match "alpxe status --html: failures before the hosts that booted" \
        'id="host-nokernel".*id="host-pc1"' "$(tr -d '\n' <"$R/status.html")"
fi

# -------------------------------------------------------- the daemons

for d in kea nginx tftpd ganesha; do
    if kill -0 "$(cat "$R/$d/pid")" 2>/dev/null; then
        t_ok "$d still running after every boot"
    else
        t_fail "$d still running after every boot" "$(tail -5 "$R/$d"/*.log 2>/dev/null)"
    fi
done
t_nomatch "no error in Kea's log" ' (ERROR|FATAL) ' "$(cat "$R/kea/kea.log")"
t_nomatch "no error in nginx's log (but the missing kernel's, on purpose)" '\[(emerg|alert|crit|error)\]' \
    "$(grep -v 'vmlinuz-missing' "$R/nginx/error.log")"

t_done
