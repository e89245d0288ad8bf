#!/bin/bash
# tests/e2e/testsys.sh - build the small system the e2e VMs boot.
#
# Alpine's netboot files cannot be downloaded on the test machines, so the
# VMs boot Debian's own kernel and an initramfs made here:
#   - the kernel and its modules come from the package linux-image-amd64
#     depends on, fetched with `apt-get download` into build/e2e/cache/ once
#     and extracted, never installed;
#   - the initramfs holds busybox-static, tests/e2e/initramfs/init (which
#     does with alpxe's kernel arguments what Alpine's init does), a static
#     NFSv4 mount helper, and the NIC and NFS modules with their
#     dependencies, in load order.
#
# Usage: tests/e2e/testsys.sh [OUTDIR]     (default build/e2e/testsys)
# Writes OUTDIR/vmlinuz and OUTDIR/initramfs.gz; does nothing when they are
# newer than their inputs.  Prints nothing on success unless it built.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/build/e2e/testsys}
cache=$root/build/e2e/cache
src=$here/initramfs
CC=${CC:-cc}

# The modules the init loads, each followed by what it needs (found from
# the modules' own .modinfo, so only the roots are listed here).
ROOT_MODULES="e1000 virtio_pci virtio_net nfsv4 loop squashfs"

die() {
    echo "testsys: $*" >&2
    exit 1
}

# ------------------------------------------------------------ the kernel

kernel_deb() {
    local deb pkg
    deb=$(ls -t "$cache"/linux-image-*-amd64_*.deb 2>/dev/null | head -1)
    if [ -n "$deb" ]; then
        echo "$deb"
        return
    fi
    mkdir -p "$cache"
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -1)
    [ -n "$pkg" ] || die "apt-cache knows no linux-image-amd64 (apt-get update?)"
    echo "testsys: downloading $pkg (cached in $cache)" >&2
    # _apt cannot write into a root-owned build tree: download in a
    # directory it can write, then move the file into the cache.
    local tmp
    tmp=$(mktemp -d)
    chmod 777 "$tmp"
    (cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>"$tmp/err") ||
        { cat "$tmp/err" >&2; rm -rf "$tmp"; die "apt-get download $pkg failed"; }
    mv "$tmp"/linux-image-*.deb "$cache/"
    rm -rf "$tmp"
    ls -t "$cache"/linux-image-*-amd64_*.deb | head -1
}

# modinfo_depends KO: the module's depends= field, comma separated
modinfo_depends() {
    objcopy -O binary --only-section=.modinfo "$1" /dev/stdout 2>/dev/null |
        tr '\0' '\n' | sed -n 's/^depends=//p'
}

# ---------------------------------------------------------------- build

deb=$(kernel_deb)
inputs=("$deb" "$src/init" "$src/udhcpc.script" "$src/mount-nfs4.c" "$0" /bin/busybox)
[ -x "$out/mount-nfs4" ] || rm -f "$out/initramfs.gz"
if [ -s "$out/vmlinuz" ] && [ -s "$out/initramfs.gz" ]; then
    stale=
    for f in "${inputs[@]}"; do
        [ "$f" -nt "$out/initramfs.gz" ] && stale=1
    done
    [ -z "$stale" ] && exit 0
fi

command -v objcopy >/dev/null || die "objcopy missing (binutils)"
command -v cpio >/dev/null || die "cpio missing (make deps)"
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 ||
    die "/bin/busybox is not static (install busybox-static: make deps)"

echo "testsys: building $out from $(basename "$deb")"
work=$(mktemp -d "${TMPDIR:-/tmp}/alpxe-testsys.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/deb" "$work/rd"

dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/deb" ./boot ./lib/modules
kver=$(ls "$work/deb/lib/modules")
kdir=$work/deb/lib/modules/$kver

# Resolve the module dependencies, depth first, so that the list comes
# out in an order insmod can follow.
declare -A seen path
while IFS= read -r f; do
    m=$(basename "$f" .ko)
    path[$m]=$f
    path[${m//-/_}]=$f
done < <(find "$kdir" -name '*.ko')
order=()
visit() {
    local m=${1//-/_} d
    [ -n "${seen[$m]:-}" ] && return
    seen[$m]=1
    [ -n "${path[$m]:-}" ] || die "module $m not in $kver"
    for d in $(modinfo_depends "${path[$m]}" | tr ',' ' '); do
        visit "$d"
    done
    order+=("$m")
}
for m in $ROOT_MODULES; do
    visit "$m"
done

rd=$work/rd
mkdir -p "$rd"/{bin,dev,proc,sys,tmp,mnt,etc,lib/modules,sysroot}
cp /bin/busybox "$rd/bin/busybox"
install -m 755 "$src/init" "$rd/init"
install -m 755 "$src/udhcpc.script" "$rd/etc/udhcpc.script"
"$CC" -static -Os -s -Wall -Wextra -Werror -o "$rd/bin/mount-nfs4" "$src/mount-nfs4.c"
: >"$rd/lib/modules/order"
for m in "${order[@]}"; do
    cp "${path[$m]}" "$rd/lib/modules/$m.ko"
    echo "$m" >>"$rd/lib/modules/order"
done
echo "$kver" >"$rd/etc/kernel-release"

mkdir -p "$out"
(cd "$rd" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
    gzip -9 >"$out/initramfs.gz.tmp"
cp "$work/deb/boot/vmlinuz-$kver" "$out/vmlinuz.tmp"
cp "$rd/bin/mount-nfs4" "$out/mount-nfs4"
chmod 644 "$out/initramfs.gz.tmp" "$out/vmlinuz.tmp"
mv -f "$out/vmlinuz.tmp" "$out/vmlinuz"
mv -f "$out/initramfs.gz.tmp" "$out/initramfs.gz"
echo "$kver" >"$out/kernel-release"
echo "testsys: kernel $kver, modules: ${order[*]}"
