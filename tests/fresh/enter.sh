#!/bin/bash
# tests/fresh/enter.sh ROOT COMMAND... - run COMMAND chrooted in ROOT as a
# booted machine would have it: its own /proc, /sys, /run and a /dev of
# its own (null, zero, full, random, urandom, tty, ptmx and pts, shm, and
# net/tun for QEMU's taps; no kvm: QEMU uses TCG anyway).  The network is
# the machine's (apt reaches the mirror); the test suites make their own
# network namespaces inside, which need only /run/netns and /sys.
#
# Everything happens in new mount and pid namespaces: every mount is gone
# when COMMAND's namespace ends, and so is every process it left behind
# (the kernel kills them with the namespace's first process), whatever
# way it ends: exit, failure, Ctrl-C, or SIGTERM to this script's pid.
# With FRESH_ARCHIVES=DIR, DIR is the root's /var/cache/apt/archives:
# .debs fetched once are kept between runs (apt still installs each one).
# Exits with COMMAND's status.

set -eu
root=$(cd "${1:?usage: enter.sh ROOT COMMAND...}" && pwd)
shift

# The first process of the pid namespace (pid 1 there) runs this: it
# mounts, then runs COMMAND as its child and waits, reaping the orphans
# that pid 1 inherits.
# shellcheck disable=SC2016
exec unshare --mount --pid --kill-child --propagation private bash -c '
set -eu
root=$1 archives=$2
shift 2
mount --bind "$root" "$root"
mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
mount -t sysfs -o nosuid,nodev,noexec sysfs "$root/sys"
mount -t tmpfs -o mode=755,size=1m,nosuid dev "$root/dev"
while read -r name mode major minor; do
    mknod -m "$mode" "$root/dev/$name" c "$major" "$minor"
done <<EOF
null 666 1 3
zero 666 1 5
full 666 1 7
random 666 1 8
urandom 666 1 9
tty 666 5 0
EOF
mkdir -m 755 "$root/dev/net" "$root/dev/pts"
mkdir -m 1777 "$root/dev/shm"
mknod -m 666 "$root/dev/net/tun" c 10 200
mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"
ln -s /proc/self/fd "$root/dev/fd"
for i in 0:stdin 1:stdout 2:stderr; do
    ln -s "/proc/self/fd/${i%%:*}" "$root/dev/${i#*:}"
done
mount -t tmpfs -o mode=755,nosuid,nodev run "$root/run"
if [ -n "$archives" ]; then
    mkdir -p "$archives" "$root/var/cache/apt/archives"
    mount --bind "$archives" "$root/var/cache/apt/archives"
fi
rc=0
chroot "$root" "$@" &
wait $! || rc=$?
exit $rc
' enter "$root" "${FRESH_ARCHIVES:-}" "$@"
