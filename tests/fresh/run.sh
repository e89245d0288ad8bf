#!/bin/bash
# tests/fresh/run.sh - `make test-fresh`: a newcomer's first commands on a
# pristine Debian 12, exactly as the README gives them.
#
#   1. a pristine Debian 12 root (tests/fresh/root.sh: debootstrap's
#      default variant from this machine's mirror, cached as a tarball);
#   2. what this machine adds to any new install of its own: its apt
#      sources and settings (to reach the mirror), resolv.conf, and a
#      policy-rc.d so that the services the packages bring (nginx on port
#      80, tftpd-hpa on 69) are not started on this machine's network;
#   3. a bare clone of this checkout's HEAD at /srv/alpxe.git, which the
#      README's placeholder $ALPXE_GIT names;
#   4. in root's 0700 home, the README's newcomer block
#      (tests/fresh/readme-commands.sh) line by line in one login shell,
#      each echoed before it runs: the apt line, git clone, make test,
#      make demo;
#   5. a user without sudo: make deps and make demo say what to do.
#
# All of it runs in mount and pid namespaces of their own
# (tests/fresh/enter.sh): nothing stays mounted and no process is left,
# whatever happens; the root is deleted at the end (FRESH_KEEP=1 keeps
# it).  Prints TAP lines and ends with "fresh: N passed, N failed".
# Needs root.  FRESH_CACHE, FRESH_REBUILD: see tests/fresh/root.sh.

set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -ne 0 ]; then
    echo "test-fresh: needs root (it mounts, chroots and makes namespaces): run it as root" >&2
    exit 1
fi
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"

fresh=$T_BUILD/fresh
root=$fresh/root
started=$SECONDS
enter_pid=

# Processes: only enter.sh's, by pid; its namespaces take the rest along.
# Mounts: enter.sh's live and die in its mount namespace; a root that
# still shows one here is never deleted.
cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    if [ -n "$enter_pid" ]; then
        t_stop "$enter_pid"
        wait "$enter_pid" 2>/dev/null
    fi
    if grep -qF " $root/" /proc/self/mountinfo 2>/dev/null; then
        echo "test-fresh: something is still mounted under $root: left as it is" >&2
    elif [ -z "${FRESH_KEEP:-}" ]; then
        rm -rf "$root"
    else
        echo "kept: $root"
    fi
    t_cleanup
    exit "$rc"
}
trap cleanup EXIT
trap 'echo; echo "test-fresh: interrupted"; exit 130' INT TERM HUP

# in_root COMMAND...: run COMMAND in the root, in the background (so that
# the traps above can stop it by pid), and wait for it.
in_root() {
    local rc=0
    FRESH_ARCHIVES=${FRESH_CACHE:-/var/cache/alpxe}/archives \
        "$here/enter.sh" "$root" "$@" &
    enter_pid=$!
    wait "$enter_pid" || rc=$?
    enter_pid=
    return "$rc"
}

phase() {
    printf '\n== %s  (%d s so far)\n' "$1" $((SECONDS - started))
}

# ------------------------------------------------------------ the root

commit=$(git -C "$T_ROOT" rev-parse --short HEAD 2>/dev/null) || {
    echo "test-fresh: $T_ROOT is not a git checkout: the newcomer clones it" >&2
    exit 1
}
commands=$("$here/readme-commands.sh" "$T_ROOT/README.md") || {
    echo "test-fresh: README.md has no <!-- test-fresh --> block" >&2
    exit 1
}

phase "a pristine Debian 12 root in $root"
if grep -qF " $root/" /proc/self/mountinfo; then
    echo "test-fresh: $root has mounts (another test-fresh running?)" >&2
    exit 1
fi
rm -rf "$root"
mkdir -p "$fresh"
"$here/root.sh" "$root" || exit 1

echo "what this machine adds to it (as to any install of its own):"
"$here/root.sh" --sources | awk '{ print "deb", $1, $2, $3 }' >"$root/etc/apt/sources.list"
sed 's|^|  /etc/apt/sources.list: |' "$root/etc/apt/sources.list"
# how this machine reaches its mirror: a proxy, or a snapshot whose
# Release files are past their Valid-Until
apt-config dump | grep -E '^Acquire::((https?::Proxy)|Check-Valid-Until|Check-Date) ' \
    >"$root/etc/apt/apt.conf.d/00machine" || rm -f "$root/etc/apt/apt.conf.d/00machine"
[ -f "$root/etc/apt/apt.conf.d/00machine" ] &&
    sed 's|^|  /etc/apt/apt.conf.d/00machine: |' "$root/etc/apt/apt.conf.d/00machine"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
echo "  /etc/resolv.conf: this machine's"
printf '#!/bin/sh\n# test-fresh: no service starts on the machine this root shares its network with\nexit 101\n' \
    >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
echo "  /usr/sbin/policy-rc.d: exit 101 (installed services are not started)"

git clone -q --bare --no-hardlinks "$T_ROOT" "$root/srv/alpxe.git" || exit 1
echo "  /srv/alpxe.git: a bare clone of $T_ROOT at $commit ($(git -C "$T_ROOT" log -1 --format=%s | cut -c1-60))"
if [ -n "$(git -C "$T_ROOT" status --porcelain --untracked-files=no)" ]; then
    echo "  (uncommitted changes in $T_ROOT are not part of it: commit them to test them)"
fi
mkdir -p "$root/srv/alpxe-fresh"
printf '%s\n' "$commands" >"$root/srv/alpxe-fresh/commands"
cp "$here/newcomer.sh" "$root/srv/alpxe-fresh/"

# ------------------------------------------------- the README, as root

phase "the README's commands, as root in /root (mode $(stat -c %a "$root/root"))"
printf '%s\n' "$commands" | sed 's/^/  /'
# env -i: a login shell of its own, as after `su -`; nothing of this
# machine's environment (make's variables, T_BUILD, ...) gets in
proxies=()
for v in http_proxy https_proxy no_proxy; do
    [ -n "${!v:-}" ] && proxies+=("$v=${!v}")
done
exec {log}> >(tee "$fresh/newcomer.log")
tee_pid=$!
in_root env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb \
    ALPXE_GIT=/srv/alpxe.git "${proxies[@]+"${proxies[@]}"}" \
    /bin/bash --login /srv/alpxe-fresh/newcomer.sh >&"$log" 2>&1
rc=$?
exec {log}>&-
wait "$tee_pid"         # the log, to its last line

phase "results"
i=0
while IFS= read -r line; do
    i=$((i + 1))
    res=$(sed -n "${i}p" "$root/srv/alpxe-fresh/results" 2>/dev/null)
    if [ -z "$res" ]; then
        t_fail "README: $line" "never ran: an earlier command failed"
    elif [ "${res%% *}" = 0 ]; then
        t_ok "README: $line  ($(echo "$res" | cut -d' ' -f2) s)"
    else
        t_fail "README: $line" "exit ${res%% *}; see $fresh/newcomer.log"
    fi
done <<<"$commands"
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$fresh/newcomer.log" | tail -1)
t_match "make test in the pristine root: all passed" '^[0-9]+ passed, 0 failed' "$summary"
t_nomatch "... none skipped (root, /dev/net/tun, every package there)" ' [1-9][0-9]* skipped' "$summary"
t_match "make demo in the pristine root: the VM booted" \
    '^result: pc1 booted over the network in [0-9.]+s through all three plugins' \
    "$(grep -a '^result: ' "$fresh/newcomer.log")"

# ------------------------------------------ a user without sudo

phase "a user without sudo (Debian installed with a root password)"
# root's clone for the user (git refuses a repository another user owns)
in_root /bin/bash -c '
    useradd -m -s /bin/bash newcomer &&
    git clone -q /srv/alpxe.git ~newcomer/alpxe && chown -R newcomer: ~newcomer/alpxe &&
    su - newcomer -c "cd alpxe &&
        { make demo; echo \"make demo: exit \$?\"; } &&
        { [ -e build ] && echo \"build/ exists\" || echo \"nothing built\"; } &&
        { make deps DEB_PACKAGES=sudo; echo \"make deps: exit \$?\"; }"' \
    >"$fresh/user.log" 2>&1
sed 's/^/  /' "$fresh/user.log"
user=$(cat "$fresh/user.log")
t_match "make demo: not root and no sudo: says how to become root" \
    'make demo .*needs root, and sudo is not installed.*su -.*apt-get install sudo' "$(tr '\n' ' ' <<<"$user")"
t_match "... and fails" "make demo: exit [1-9]" "$user"
t_match "... before building anything" "nothing built" "$user"
t_nomatch "... no 'sudo: not found'" 'sudo: (command )?not found' "$user"
t_match "make deps with a package missing: says the same" \
    'make deps\).*needs root, and sudo is not installed' "$(tr '\n' ' ' <<<"$user")"
t_match "... and fails" "make deps: exit [1-9]" "$user"

# --------------------------------------------------------- clean

phase "clean up"
t_eq "nothing of the root is mounted on this machine" "" \
    "$(grep -F " $root/" /proc/self/mountinfo)"
echo "took $((SECONDS - started)) s"
t_done
echo "fresh: $((T_N - T_FAILED)) passed, $T_FAILED failed, 0 skipped"
[ "$T_FAILED" -eq 0 ] && [ "$rc" -eq 0 ]
