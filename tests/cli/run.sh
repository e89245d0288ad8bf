#!/bin/bash
# tests/cli/run.sh - the alpxe command on good and broken files: output,
# diagnostics and exit codes.
. "$(dirname "$0")/../lib.sh"

alpxe=$T_BUILD/alpxe
data=$T_ROOT/tests/data
tmp=$(t_tmpdir)

# run CMD...: sets $out, $err and $rc
run() {
    out=$("$@" 2>"$tmp/err")
    rc=$?
    err=$(cat "$tmp/err")
}

run "$alpxe" --version
t_eq "--version exits 0" 0 "$rc"
t_match "--version names alpxe and a version" '^alpxe [0-9]+\.[0-9]+\.[0-9]+$' "$out"

run "$alpxe" --help
t_eq "--help exits 0" 0 "$rc"
t_match "--help lists the commands" 'check.*' "$out"
t_match "--help lists explain" 'explain MAC \[--arch ARCH\]' "$out"

run "$alpxe"
t_eq "no command is a usage error (2)" 2 "$rc"
run "$alpxe" frobnicate
t_eq "unknown command is a usage error (2)" 2 "$rc"
t_match "unknown command is named" "unknown command 'frobnicate'" "$err"
run "$alpxe" --bogus check
t_eq "unknown option is a usage error (2)" 2 "$rc"
run "$alpxe" check extra
t_eq "check with arguments is a usage error (2)" 2 "$rc"

# -- check ------------------------------------------------------------------
mkdir -p "$tmp/tftp"
sed "s|^\[loader\]|[tftp]\nroot = $tmp/tftp\n\n[loader]|" "$data/example.conf" \
    >"$tmp/good.conf"
touch "$tmp/tftp/undionly.kpxe" "$tmp/tftp/snponly.efi" \
      "$tmp/tftp/snponly-arm64.efi"
run "$alpxe" check -c "$tmp/good.conf"
t_eq "check: the example is valid" 0 "$rc"
# the example, as Alpine boots it: two of its values are ignored
t_match "check: summary, with the load time" \
    "^$tmp/good\.conf: ok: 1 host, 1 profile, 2 warnings, loaded in [0-9]+\.[0-9] ms$" "$out"
t_match "check: ssh_key beside apkovl is ignored by Alpine, at its line" \
    "^$tmp/good.conf:20: warning: \[profile lts\]: ssh_key is ignored when apkovl is set: Alpine's initramfs adds sshd and the key only without an apkovl" "$err"
t_match "check: the hostname of ip= is ignored by Alpine, at its line" \
    "$tmp/good.conf:27: warning: \[host nuc1\]: ip: Alpine's initramfs ignores the hostname field of ip= \(\"nuc1\"" "$err"
t_eq "check: nothing else on stderr" 2 "$(printf '%s\n' "$err" | grep -c .)"

rm "$tmp/tftp/snponly.efi"
run "$alpxe" -c "$tmp/good.conf" check
t_eq "check: a missing loader is a warning, not a failure" 0 "$rc"
t_match "check: names the missing loader" \
    "warning: loader snponly.efi is missing from the TFTP root $tmp/tftp" "$err"
t_nomatch "check: present loaders are not reported" "undionly.kpxe is missing" "$err"
chmod 600 "$tmp/tftp/undionly.kpxe"
run "$alpxe" -c "$tmp/good.conf" check
t_match "check: a loader tftpd cannot serve is reported" \
    "warning: loader undionly.kpxe: in.tftpd will refuse it: $tmp/tftp/undionly.kpxe is not world-readable" "$err"
chmod 644 "$tmp/tftp/undionly.kpxe"

cat >"$tmp/broken.conf" <<'CONF'
[server]
address = 10.0.0.28
unknown = sometimes

[profile lts]
kernel = boot/vmlinuz-lts
initrd = boot/initramfs-lts
args   = quiet # debug

[host nuc1]
mac     = 52:54:00:12:34:5
profile = lts
[host nuc2]
mac     = 52:54:00:12:34:zz
profile = nope
CONF
run "$alpxe" check -c "$tmp/broken.conf"
t_eq "check: broken file exits 1" 1 "$rc"
t_match "check: bad value, with file and line" \
    "^$tmp/broken.conf:3: error: unknown: \"sometimes\" is none of default, ignore, exit" "$err"
t_match "check: iPXE comment character, with line" \
    "$tmp/broken.conf:8: error: args: '#' is not allowed in \"quiet # debug\"" "$err"
t_match "check: bad MAC, with line" \
    "$tmp/broken.conf:14: error: mac: \"52:54:00:12:34:zz\" is not a MAC address" "$err"
t_match "check: says the file is invalid" "$tmp/broken.conf: invalid" "$err"
t_eq "check: nothing on stdout when invalid" "" "$out"

run "$alpxe" check -c "$tmp/nonexistent.conf"
t_eq "check: missing file exits 1" 1 "$rc"
t_match "check: missing file is named with the reason" \
    "$tmp/nonexistent.conf: error: cannot read: No such file or directory" "$err"

printf '[server]\naddress = 10.0.0.28\n[profile p]\nkernel = k\ninitrd = i\nmodloop = m\nargs = quiet\napkovl = http://x/{MAC}.tgz\n' \
    >"$tmp/warn.conf"
run "$alpxe" check -c "$tmp/warn.conf"
t_eq "check: warnings alone exit 0" 0 "$rc"
t_match "check: an apkovl not ending in .gz, at its line" \
    "$tmp/warn.conf:8: warning: \[profile p\]: apkovl: .*\"Cipher tgz is not supported\"" "$err"
t_nomatch "check: modloop without modules=loop,squashfs is fine (mkinitfs loads both)" \
    "modules=loop" "$err"

# -- explain ----------------------------------------------------------------
ex=$data/example.conf
run "$alpxe" explain -c "$ex" 52:54:00:12:34:56
t_eq "explain: exits 0" 0 "$rc"
t_match "explain: names host, line and profile" \
    "host nuc1 \($ex:21\), profile lts, boot = netboot" "$out"
t_match "explain: PXE ROM gets next-server and the BIOS loader" \
    "answer: next-server 10.0.0.28, file undionly.kpxe$" "$out"
t_match "explain: TFTP serves the loader from the root" \
    "served from /srv/tftp/undionly.kpxe" "$out"
t_match "explain: iPXE gets its script URL and 175.176" \
    "file http://10.0.0.28/pxe/52:54:00:12:34:56/gpxe-script, option 175.176 no-pxedhcp = 1" "$out"
t_match "explain: shows the script's kernel line" \
    "kernel http://10.0.0.28/pxe/boot/vmlinuz-lts initrd=initramfs-lts ip=10.0.0.51::" "$out"
t_nomatch "explain: no colour when stdout is not a terminal" $'\033' "$out"

run "$alpxe" explain -c "$ex" 52-54-00-12-34-56 --arch efi64
t_match "explain --arch efi64: snponly.efi over TFTP" "file snponly.efi$" "$out"
t_match "explain --arch efi64: option 93 = 7" "option 93 = 7" "$out"
run "$alpxe" explain -c "$ex" 5254.0012.3456 --arch arm64
t_match "explain --arch arm64: the ARM loader" "file snponly-arm64.efi$" "$out"
run "$alpxe" explain -c "$ex" 525400123456 --arch http64
t_match "explain --arch http64: the loader URL and option 60" \
    "file http://10.0.0.28/pxe/loader/snponly.efi, option 60 HTTPClient" "$out"
t_nomatch "explain --arch http64: no TFTP stage" "over TFTP" "$out"
run "$alpxe" explain -c "$ex" 52:54:00:12:34:56 --arch efi32
t_eq "explain --arch efi32: exits 0" 0 "$rc"
t_match "explain --arch efi32: no loader, packet untouched" \
    "answer: none, .*\(no loader configured for this architecture\)" "$out"

run "$alpxe" explain -c "$ex" 52:54:00:aa:bb:cc
t_match "explain: unknown MAC says so" "unknown MAC: no \[host\] has it" "$out"
t_match "explain: unknown MAC gets the default profile" "200, profile script lts" "$out"
t_match "explain: unknown MAC's own script URL" \
    "file http://10.0.0.28/pxe/52:54:00:aa:bb:cc/gpxe-script" "$out"

run "$alpxe" explain -c "$ex" 52:54:00:12:34:56 --arch sparc
t_eq "explain: unknown arch is a usage error" 2 "$rc"
t_match "explain: lists the archs" "bios, efi32, efi64" "$err"
run "$alpxe" explain -c "$ex" 52:54:00:12:34
t_eq "explain: bad MAC is a usage error" 2 "$rc"
run "$alpxe" explain -c "$tmp/broken.conf" 52:54:00:12:34:56
t_eq "explain: broken config exits 1" 1 "$rc"

# explain: a machine with NoCloud metadata, and a menu
mkdir -p "$tmp/meta"
printf 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsab admin@cli\n' >"$tmp/meta/keys.pub"
cat >"$tmp/meta/alpxe.conf" <<'CONF'
[server]
address = 10.0.0.28
unknown = menu
default = lts
[profile lts]
description = Alpine lts
kernel = boot/vmlinuz-lts
initrd = boot/initramfs-lts
metadata = yes
authorized_keys = keys.pub
[profile virt]
kernel = boot/vmlinuz-virt
initrd = boot/initramfs-virt
[host nuc1]
mac = 52:54:00:12:34:56
profile = lts
nfs = nfs://10.0.0.28/homes/${hostname}
CONF
run "$alpxe" explain -c "$tmp/meta/alpxe.conf" 52:54:00:12:34:56
t_match "explain: the seed on the kernel line" \
    " ds=nocloud;s=http://10.0.0.28/pxe/52:54:00:12:34:56/$" "$out"
t_match "explain: the four documents tiny-cloud fetches" \
    "5\. tiny-cloud fetches http://10.0.0.28/pxe/52:54:00:12:34:56//meta-data.*8\. tiny-cloud fetches .*//network-config" \
    "$(echo $out)"
t_match "explain: meta-data's hostname" '^   hostname: "nuc1"$' "$out"
t_match "explain: user-data's key" '^     - "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsab admin@cli"$' "$out"
t_match "explain: user-data's NFS mount" "10.0.0.28:/homes/nuc1 /media/alpxe nfs rw,_netdev,vers=3,nolock 0 0" "$out"
run "$alpxe" explain -c "$tmp/meta/alpxe.conf" 52:54:00:99:99:99
t_match "explain: unknown = menu" "=> menu, default lts \(unknown MAC: unknown = menu\)" "$out"
t_match "explain: the menu" "answer: 200, a menu:" "$out"
t_match "explain: each choice and its script" \
    "the choice lts: iPXE fetches http://10.0.0.28/pxe/52:54:00:99:99:99/gpxe-script\?profile=lts.*the choice virt: " \
    "$(echo $out)"
t_match "explain: a choice with metadata names its documents' seed" \
    "with NoCloud documents at http://10.0.0.28/pxe/52:54:00:99:99:99/lts/" "$out"

# -- render -----------------------------------------------------------------
run "$alpxe" render -c "$tmp/meta/alpxe.conf" 52:54:00:12:34:56 meta-data
t_eq "render MAC meta-data" $'instance-id: "nuc1"\nlocal-hostname: "nuc1"\nhostname: "nuc1"' \
    "$(printf '%s\n' "$out" | head -3)"
run "$alpxe" render -c "$tmp/meta/alpxe.conf" 52:54:00:99:99:99 --profile virt
t_match "render --profile: the choice's script" "^kernel http://10.0.0.28/pxe/boot/vmlinuz-virt " "$out"
run "$alpxe" render -c "$tmp/meta/alpxe.conf" 52:54:00:99:99:99 --profile nope
t_eq "render --profile of a profile the menu lacks: exit 1" 1 "$rc"
t_match "render --profile of a profile the menu lacks: says why" "a choice the menu does not offer" "$err"
run "$alpxe" render -c "$tmp/meta/alpxe.conf" 52:54:00:12:34:56 user-data --profile lts
t_eq "render --profile for a host without a menu: exit 1" 1 "$rc"
run "$alpxe" render -c "$tmp/meta/alpxe.conf" 52:54:00:12:34:56 metadata
t_eq "render: an unknown document is a usage error" 2 "$rc"
t_match "render: lists the documents" "meta-data, user-data, vendor-data, network-config" "$err"
run "$alpxe" check -c "$tmp/meta/alpxe.conf" --profile lts
t_eq "--profile with check is a usage error" 2 "$rc"

run "$alpxe" render -c "$ex" 52:54:00:12:34:56
t_eq "render: exits 0" 0 "$rc"
t_eq "render: the example script, byte for byte" "$(cat "$data/example.ipxe")" "$out"
t_match "render: the kernel line names the NIC that asked (BOOTIF=)" \
    " BOOTIF=01-52-54-00-12-34-56 " "$out"
for spelling in 52-54-00-12-34-56 5254.0012.3456 525400123456 \
                52:54:00:12:34:56 01-52-54-00-12-34-56; do
    run "$alpxe" render -c "$ex" "$spelling"
    t_eq "render: $spelling is nuc1" "$(cat "$data/example.ipxe")" "$out"
done
"$alpxe" render -c "$ex" 52:54:00:12:34:56 >"$tmp/script"
t_eq "render: output ends with a newline" "boot" "$(tail -n1 "$tmp/script")"
t_eq "render: exact byte count" "$(wc -c <"$data/example.ipxe")" "$(wc -c <"$tmp/script")"

sed 's/^unknown = default.*/unknown = ignore/' "$ex" >"$tmp/ignore.conf"
run "$alpxe" render -c "$tmp/ignore.conf" 52:54:00:aa:bb:cc
t_eq "render: unknown MAC under ignore exits 1" 1 "$rc"
t_match "render: says why" "gets no script \(unknown MAC: unknown = ignore\)" "$err"
sed 's/^boot    = netboot.*/boot = local/' "$ex" >"$tmp/local.conf"
run "$alpxe" render -c "$tmp/local.conf" 52:54:00:12:34:56
t_eq "render: boot = local gets exit" $'#!ipxe\nexit' "$out"

# -- files that are not files: refused at once, never waited on -------------
mkfifo "$tmp/fifo.conf"
run timeout 10 "$alpxe" check -c "$tmp/fifo.conf"
t_eq "check of a FIFO: exits 1 at once (no writer waited for)" 1 "$rc"
t_match "... saying it is not a regular file" "fifo\.conf: error: cannot read: not a regular file" "$err"
run timeout 10 "$alpxe" check -c /dev/zero
t_match "check of /dev/zero: not a regular file" "/dev/zero: error: cannot read: not a regular file" "$err"
run timeout 10 "$alpxe" check -c "$tmp"
t_match "check of a directory: says so" "error: cannot read: is a directory" "$err"
# a FIFO where [reload] says nginx's pid file is
mkfifo "$tmp/nginx.pid"
{ cat "$tmp/good.conf"; printf '\n[reload]\nnginx_pid = %s\nkea_socket = %s\ntftpd_pid = %s\nremap = %s\n' \
    "$tmp/nginx.pid" "$tmp/none.sock" "$tmp/none.pid" "$tmp/none.remap"; } >"$tmp/fifo-pid.conf"
run timeout 20 "$alpxe" reload -c "$tmp/fifo-pid.conf"
t_eq "reload with a FIFO as nginx's pid file: exits 1, does not hang" 1 "$rc"
t_match "... nginx: FAILED, not a regular file" "nginx: FAILED: $tmp/nginx.pid: not a regular file" "$out"

# -- status -------------------------------------------------------------------
run "$alpxe" status -c "$tmp/fifo-pid.conf"
t_eq "status, no server running: exit 0" 0 "$rc"
t_match "status: the file and its checksum" \
    "^$tmp/fifo-pid.conf: ok, sha256 $(sha256sum <"$tmp/fifo-pid.conf" | cut -c1-12)" "$out"
t_match "status: kea not running, its socket named" "kea +not running; $tmp/none.sock: no such socket" "$out"
run "$alpxe" status --json -c "$tmp/fifo-pid.conf"
t_match "status --json: valid and ok" '"ok": true' "$out"
run "$alpxe" check --json -c "$tmp/fifo-pid.conf"
t_eq "--json goes with status only" 2 "$rc"

# -- colour only on a terminal ----------------------------------------------
if command -v script >/dev/null; then
    tty_out=$(script -qec "$(printf '%q ' "$alpxe" check -c "$tmp/broken.conf")" /dev/null 2>&1)
    t_match "colour on a terminal" $'\033\\[1;31merror:' "$tty_out"
    tty_out=$(NO_COLOR=1 script -qec "$(printf '%q ' "$alpxe" check -c "$tmp/broken.conf")" /dev/null 2>&1)
    t_nomatch "NO_COLOR turns colour off" $'\033\\[' "$tty_out"
else
    t_skip "colour on a terminal" "script(1) is not installed"
fi

t_done
