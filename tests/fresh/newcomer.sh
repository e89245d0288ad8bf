# shellcheck shell=bash
# tests/fresh/newcomer.sh - what the newcomer types, as test-fresh replays
# it in the pristine root: run by a login shell (bash --login FILE) in
# root's home, it reads the README's lines from /srv/alpxe-fresh/commands
# and runs them in order in this one shell (so that `cd` carries over),
# each echoed after a prompt before it runs.  Stops at the first failure.
# Each line's exit status and seconds go to /srv/alpxe-fresh/results.

cd ~ || exit 1
while IFS= read -r line <&3; do
    printf '\n[pristine Debian 12] root@fresh:%s# %s\n' "${PWD/#"$HOME"/\~}" "$line"
    t=$SECONDS
    eval "$line" </dev/null
    rc=$?
    echo "$rc $((SECONDS - t))" >>/srv/alpxe-fresh/results
    printf '[pristine Debian 12] (exit %d after %d s)\n' "$rc" $((SECONDS - t))
    [ "$rc" -eq 0 ] || exit "$rc"
done 3</srv/alpxe-fresh/commands
