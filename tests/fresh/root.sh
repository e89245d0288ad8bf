#!/bin/bash
# tests/fresh/root.sh DIR - a pristine Debian 12 root in DIR (which must
# not exist): what debootstrap's default variant installs, from the mirror
# this machine's own apt sources name, and nothing else.
#
# debootstrap takes about a minute, so its result is kept as a tarball in
# FRESH_CACHE (default /var/cache/alpxe): outside the checkout, so that
# CI's fresh clone finds it too.  The tarball holds debootstrap's root
# minus the .debs it downloaded; remove it (or FRESH_REBUILD=1) to build
# it again.  The machine-specific glue (sources, proxy, resolv.conf) is
# not in it: tests/fresh/run.sh adds that to each run's copy.
#
# Also: tests/fresh/root.sh --sources prints the Debian 12 lines of this
# machine's apt sources ("URI SUITE COMPONENT"), the main archive first.

set -eu
SUITE=bookworm

# Debian 12's own suites (bookworm, -updates, -security) among the
# sources apt uses here, whatever their file format; others are left out.
# shellcheck disable=SC2016 # apt's $(FIELD)s, not the shell's
sources() {
    apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT) $(TARGET_OF)' \
        'Identifier: Packages' 2>/dev/null |
        awk -v s="$SUITE" '$4 == "deb" && ($2 == s || $2 == s "-updates" || $2 == s "-security") {
            print $1, $2, $3 }' |
        sort -u | sort -s -k2,2
}

if [ "${1:-}" = --sources ]; then
    sources
    exit
fi

dir=${1:?usage: root.sh DIR}
[ ! -e "$dir" ] || { echo "root.sh: $dir exists" >&2; exit 1; }
mirror=$(sources | awk -v s="$SUITE" '$2 == s { print $1; exit }')
if [ -z "$mirror" ]; then
    mirror=http://deb.debian.org/debian/
    echo "root.sh: no $SUITE source in this machine's apt sources, using $mirror"
fi
cache=${FRESH_CACHE:-/var/cache/alpxe}
# one tarball per mirror: a root from another mirror is another root
tarball=$cache/debian12-$(dpkg --print-architecture)-$(printf '%s' "$mirror" | cksum | cut -d' ' -f1).tar.gz

if [ ! -s "$tarball" ] || [ -n "${FRESH_REBUILD:-}" ]; then
    command -v debootstrap >/dev/null ||
        { echo "root.sh: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
    echo "pristine root: debootstrap $SUITE from $mirror (about a minute; cached as $tarball)"
    start=$SECONDS
    # in the cache's directory, whose path has no space (debootstrap fails
    # in one), and in a mount namespace of its own, so that the proc and
    # sys it mounts in the new root cannot outlive it, even if it fails
    mkdir -p "$cache"
    work=$(mktemp -d "$cache/debootstrap.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    if ! unshare --mount --propagation private \
        debootstrap "$SUITE" "$work/root" "$mirror" >"$work/log" 2>&1; then
        echo "root.sh: debootstrap failed:" >&2
        tail -20 "$work/log" "$work/root/debootstrap/debootstrap.log" >&2
        exit 1
    fi
    rm -f "$work"/root/var/cache/apt/archives/*.deb
    tar -czf "$work/root.tar.gz" -C "$work/root" --numeric-owner .
    mv -f "$work/root.tar.gz" "$tarball"
    echo "pristine root: made in $((SECONDS - start)) s"
fi
echo "pristine root: $tarball (debootstrap $SUITE from $mirror, $(date -r "$tarball" '+%F %R'))"
mkdir -p "$dir"
tar -xzf "$tarball" -C "$dir" --numeric-owner
