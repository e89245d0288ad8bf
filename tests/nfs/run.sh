#!/bin/bash
# tests/nfs/run.sh - `alpxe check --network` and `alpxe provision` against
# a real NFS server: nfs-ganesha (FSAL VFS, all in user space) serving
# NFSv3 (registered with its own rpcbind) and NFSv4, inside a network
# namespace this suite creates.  Its only non-loopback address is
# 192.0.2.1 (TEST-NET-1) on a veth pair that exists inside that namespace
# alone, and the namespace has no default route: nothing leaves the box.
. "$(dirname "$0")/../lib.sh"

alpxe=$T_BUILD/alpxe
data=$T_ROOT/tests/data
tmp=$(t_tmpdir)
ns=alpxe-nfs-$$
exp=$tmp/export

# run CMD...: sets $out, $err, $rc and $ms (wall time in milliseconds)
run() {
    local t0
    t0=$(date +%s%N)
    out=$("$@" 2>"$tmp/err")
    rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    err=$(cat "$tmp/err")
}

# inns CMD...: run inside the suite's network namespace
inns() {
    ip netns exec "$ns" "$@"
}

# show: the last command's output, as comments in the log
show() {
    printf '%s\n' "$out" | sed 's/^/# /'
}

isdir() {
    if [ -d "$1" ]; then echo yes; else echo no; fi
}

# t_le NAME MAX ACTUAL (integers)
t_le() {
    if [ "$3" -le "$2" ]; then
        t_ok "$1"
    else
        t_fail "$1" "expected at most $2, got $3"
    fi
}

# t_ge NAME MIN ACTUAL (integers)
t_ge() {
    if [ "$3" -ge "$2" ]; then
        t_ok "$1"
    else
        t_fail "$1" "expected at least $2, got $3"
    fi
}

# -- usage, and the default staying offline --------------------------------

run "$alpxe" --help
t_match "--help: check --network" 'check \[--network\]' "$out"
t_match "--help: provision" 'provision \[HOST\.\.\.\]' "$out"
run "$alpxe" render --network 52:54:00:12:34:56
t_eq "--network with another command is a usage error" 2 "$rc"
run "$alpxe" check --network extra
t_eq "check --network with an argument is a usage error" 2 "$rc"

# LeakSanitizer cannot run under ptrace: without leak checks when traced
# (make test SANITIZE=1; the same commands run untraced elsewhere here).
nolsan=(env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0")

# The README example's NAS, 10.0.0.28, must never be a target: without
# --network nothing connects anywhere.
if command -v strace >/dev/null; then
    run "${nolsan[@]}" strace -f -qq -e trace=connect -o "$tmp/offline.trace" \
        "$alpxe" check -c "$data/example.conf"
    t_eq "check without --network: valid example" 0 "$rc"
    t_nomatch "check without --network: no NFS lines" '^(ok|FAIL|nfs:)' "$out"
    t_nomatch "check without --network: no connect() at all" 'AF_INET' \
        "$(cat "$tmp/offline.trace")"
else
    t_skip "check without --network makes no connection" "strace missing"
fi

grep -v '^nfs ' "$data/example.conf" >"$tmp/nonfs.conf"
run "$alpxe" check --network -c "$tmp/nonfs.conf"
t_eq "check --network, no host with nfs: exits 0" 0 "$rc"
t_match "check --network, no host with nfs: says so" \
    "^nfs: no host has an nfs directory\$" "$out"
run "$alpxe" provision -c "$tmp/nonfs.conf"
t_eq "provision, no host with nfs: exits 0" 0 "$rc"
t_match "provision, no host with nfs: says so" \
    "^provision: no host has an nfs directory\$" "$out"

# -- the server -------------------------------------------------------------

need=
for c in ganesha.nfsd rpcbind rpcinfo ip unshare; do
    command -v "$c" >/dev/null || need="$need $c"
done
[ "$(id -u)" -eq 0 ] || need="$need root (network namespaces)"
if [ -n "$need" ]; then
    t_skip "NFS server tests" "missing:$need (make deps; run as root)"
    t_done
    exit
fi

if ! ip netns add "$ns"; then
    t_fail "create network namespace $ns"
    t_done
    exit
fi
trap 't_cleanup; ip netns del "$ns" 2>/dev/null' EXIT
ip -n "$ns" link set lo up
ip -n "$ns" link add nfs0 type veth peer name nfs1
ip -n "$ns" addr add 192.0.2.1/24 dev nfs0
ip -n "$ns" link set nfs0 up
ip -n "$ns" link set nfs1 up
# 192.0.2.2 is a NAS that drops everything: its (static) MAC belongs to
# nobody, so our SYNs leave nfs0 and vanish at nfs1.
ip -n "$ns" neigh replace 192.0.2.2 lladdr 02:00:00:00:00:02 dev nfs0 \
    nud permanent

mkdir -p "$exp" "$tmp/private" "$tmp/squashed/locked" "$tmp/recovery"
# Under root squash we are nobody: locked/ cannot be searched, and the
# export's root cannot be written.
chmod 0700 "$tmp/squashed/locked"
chown 1234:1234 "$tmp/squashed/locked"
plugins=$(dirname "$(ls /usr/lib/*/ganesha/libfsalvfs.so | head -n1)")
cat >"$tmp/ganesha.conf" <<EOF
NFS_CORE_PARAM {
    Protocols = 3, 4;
    Plugins_Dir = "$plugins";
    Mount_Path_Pseudo = true;   # NFSv3 mounts /export too, like NFSv4
    Enable_NLM = false;
    Enable_RQUOTA = false;
}
NFSV4 {
    Graceless = true;
    Only_Numeric_Owners = true;
    RecoveryRoot = "$tmp/recovery";
}
EXPORT {
    Export_Id = 1;
    Path = "$exp";
    Pseudo = "/export";
    Access_Type = RW;
    Squash = No_Root_Squash;
    Protocols = 3, 4;
    FSAL { Name = VFS; }
}
EXPORT {
    Export_Id = 2;
    Path = "$tmp/private";
    Pseudo = "/private";
    Access_Type = None;         # listed, but only 192.0.2.99 may mount it
    Squash = No_Root_Squash;
    Protocols = 3, 4;
    FSAL { Name = VFS; }
    CLIENT { Clients = 192.0.2.99; Access_Type = RW; }
}
EXPORT {
    Export_Id = 3;
    Path = "$tmp/squashed";
    Pseudo = "/squashed";
    Access_Type = RW;
    Squash = Root_Squash;
    Protocols = 3, 4;
    FSAL { Name = VFS; }
}
EOF
# Runs in the namespace and in a private mount namespace whose /run is a
# fresh tmpfs: rpcbind's socket, lock and state, and ganesha's run files,
# never touch the machine's own /run.
cat >"$tmp/server.sh" <<EOF
mount -t tmpfs -o mode=0755 alpxe-nfs-run /run || exit 1
rpcbind -f -w &
echo \$! >"$tmp/rpcbind.pid"
i=0
while [ ! -S /run/rpcbind.sock ] && [ \$i -lt 100 ]; do
    sleep 0.05
    i=\$((i + 1))
done
exec ganesha.nfsd -F -f "$tmp/ganesha.conf" -p "$tmp/ganesha.pid" \
    -L "$tmp/ganesha.log"
EOF
ip netns exec "$ns" unshare -m --propagation private sh "$tmp/server.sh" \
    >"$tmp/server.out" 2>&1 </dev/null &
ganesha=$!              # ip, unshare and sh all exec: this is ganesha
t_track "$ganesha"
t_wait_for 5 test -s "$tmp/rpcbind.pid" && t_track "$(cat "$tmp/rpcbind.pid")"

server_ready() {
    inns rpcinfo -p 127.0.0.1 | grep -q mountd \
        && inns ss -Hltn 'sport = :2049' | grep -q LISTEN
}
if ! t_wait_for 30 server_ready; then
    t_fail "nfs-ganesha and rpcbind start in $ns" \
        "$(cat "$tmp/server.out" "$tmp/ganesha.log" 2>/dev/null | tail -20)"
    t_done
    exit
fi
t_ok "nfs-ganesha (NFSv3 + v4) and rpcbind run in $ns"
t_eq "the pid we stop is ganesha's" "$(cat "$tmp/ganesha.pid")" "$ganesha"
t_eq "the machine's /run has no rpcbind of ours" "" \
    "$(find /run -maxdepth 1 -newer "$tmp/ganesha.conf" -name 'rpcbind*')"

# -- configurations ---------------------------------------------------------

V3=nfs://192.0.2.1
V4=nfs://127.0.0.1
V4Q='?version=4&nfsport=2049'
V4RE='\?version=4&nfsport=2049'
mac_n=0

# conf FILE TIMEOUT: start a configuration
conf() {
    printf '[server]\naddress = 10.0.0.28\nnfs_timeout = %s\n\n' "$2" >"$1"
    printf '[profile lts]\nkernel = boot/vmlinuz-lts\ninitrd = boot/initramfs-lts\n' >>"$1"
}

# host FILE NAME KEY=VALUE...: append a [host] with a fresh MAC
host() {
    local f=$1 name=$2
    shift 2
    mac_n=$((mac_n + 1))
    printf '\n[host %s]\nmac = 52:54:00:00:%02x:%02x\nprofile = lts\n' \
        "$name" $((mac_n / 256)) $((mac_n % 256)) >>"$f"
    printf '%s\n' "$@" >>"$f"
}

mkdir -p "$exp/p3" "$exp/p4" "$exp/legacy"
echo data >"$exp/afile"

c=$tmp/check.conf
conf "$c" 2
host "$c" p3  'nfs = '"$V3"'/export/${hostname}'
host "$c" m3  'nfs = '"$V3"'/export/${hostname}'
host "$c" x3  'nfs = '"$V3"'/nope/${hostname}'
host "$c" d3  'nfs = '"$V3"'/private/${hostname}'
host "$c" f3  'nfs = '"$V3"'/export/afile'
host "$c" k3  'nfs = '"$V3"'/squashed/locked/${hostname}'
host "$c" w3  'nfs = '"$V3"'/squashed/${hostname}'
host "$c" p4  'nfs = '"$V4"'/export/${hostname}'"$V4Q"
host "$c" m4  'nfs = '"$V4"'/export/${hostname}'"$V4Q"
host "$c" x4  'nfs = '"$V4"'/nope/${hostname}?version=4'
host "$c" k4  'nfs = '"$V4"'/squashed/locked/${hostname}'"$V4Q"
host "$c" w4  'nfs = '"$V4"'/squashed/${hostname}'"$V4Q"
host "$c" lg  'args = quiet alpine_dev=nfs:192.0.2.1:/export/legacy'
host "$c" lgm 'args = alpine_dev=nfs:192.0.2.1:/export/${hostname}'
host "$c" none

# -- check --network --------------------------------------------------------

run inns "$alpxe" check --network -c "$c"
show
t_eq "check --network: a missing directory exits 1" 1 "$rc"
t_match "check --network: the config summary comes first" \
    "^$c: ok: 15 hosts" "$out"
t_match "v3: present" "ok +p3 +$V3/export/p3\$" "$out"
t_match "v3: path missing, provision named" \
    "FAIL m3 +$V3/export/m3: path missing \(alpxe provision creates it\)" "$out"
t_match "v3: export not found, with what the server offers" \
    "FAIL x3 +$V3/nope/x3: export not found \(the server offers this client /export, /squashed\)" "$out"
t_match "v3: an export this client may not mount is not offered" \
    "FAIL d3 +$V3/private/d3: export not found \(the server offers this client /export, /squashed\)" "$out"
t_match "v3: not a directory" "FAIL f3 +$V3/export/afile: not a directory" "$out"
t_match "v3: permission denied (root squash, a 0700 directory)" \
    "FAIL k3 +$V3/squashed/locked/k3: permission denied\$" "$out"
t_match "v3: missing and not creatable under root squash" \
    "FAIL w3 +$V3/squashed/w3: path missing, and /squashed is not writable for this client" "$out"
t_match "v4 (libnfs URL options): present" \
    "ok +p4 +$V4/export/p4\?version=4&nfsport=2049\$" "$out"
t_match "v4: path missing" \
    "FAIL m4 +$V4/export/m4\?version=4&nfsport=2049: path missing \(alpxe provision creates it\)" "$out"
t_match "v4: export not found" \
    "FAIL x4 +$V4/nope/x4\?version=4: export not found \(the server's NFSv4 tree has no /nope\)" "$out"
t_match "v4: permission denied" \
    "FAIL k4 +$V4/squashed/locked/k4$V4RE: permission denied\$" "$out"
t_match "v4: missing and not creatable under root squash" \
    "FAIL w4 +$V4/squashed/w4$V4RE: path missing, and /squashed is not writable" "$out"
t_match "legacy alpine_dev=nfs:SERVER:/PATH is checked too" \
    "ok +lg +alpine_dev=nfs:192.0.2.1:/export/legacy\$" "$out"
t_match "legacy alpine_dev: missing path" \
    "FAIL lgm +alpine_dev=nfs:192.0.2.1:/export/lgm: path missing" "$out"
t_match "legacy alpine_dev: still warned about" \
    "warning: .*alpine_dev= is ignored by Alpine" "$err"
t_nomatch "a host without nfs gets no line" " none " "$out"
t_match "check --network: the tally" "^nfs: 3 directories ok, 11 failed\$" "$out"
t_le "check --network: all of it in under 2 s" 2000 "$ms"

o=$tmp/ok.conf
conf "$o" 2
host "$o" p3 'nfs = '"$V3"'/export/${hostname}'
host "$o" p4 'nfs = '"$V4"'/export/${hostname}'"$V4Q"
host "$o" lg 'args = alpine_dev=nfs:192.0.2.1:/export/legacy'
run inns "$alpxe" -c "$o" check --network
t_eq "check --network: every directory there exits 0" 0 "$rc"
t_match "check --network: all ok" "^nfs: 3 directories ok, 0 failed\$" "$out"

# Hosts on one export share one mount: 3 NFSv3 hosts and 2 NFSv4 hosts of
# the same server connect to its NFS port twice, once per version.
s=$tmp/shared.conf
conf "$s" 2
for h in s1 s2 s3; do
    mkdir -p "$exp/$h"
    host "$s" "$h" 'nfs = '"$V3"'/export/${hostname}'
done
for h in s4 s5; do
    mkdir -p "$exp/$h"
    host "$s" "$h" 'nfs = '"$V4"'/export/${hostname}'"$V4Q"
done
if command -v strace >/dev/null; then
    run inns "${nolsan[@]}" strace -f -qq -e trace=connect -o "$tmp/shared.trace" \
        "$alpxe" check --network -c "$s"
    t_eq "shared export: 5 hosts ok" "nfs: 5 directories ok, 0 failed" \
        "$(printf '%s\n' "$out" | tail -n1)"
    t_eq "shared export: one NFS connection per server and version" 2 \
        "$(grep -c 'htons(2049)' "$tmp/shared.trace")"
else
    t_skip "hosts on one export share one mount" "strace missing"
fi

# ✓/✗ on a UTF-8 terminal, words everywhere else.
if command -v script >/dev/null; then
    tty_out=$(LC_ALL=C.UTF-8 script -qec \
        "$(printf '%q ' ip netns exec "$ns" "$alpxe" check --network -c "$c")" /dev/null 2>&1)
    t_match "UTF-8 terminal: ✓ for a present directory" "✓.* p3 " "$tty_out"
    t_match "UTF-8 terminal: ✗ for a missing one" "✗.* m3 " "$tty_out"
    tty_out=$(LC_ALL=C NO_COLOR=1 script -qec \
        "$(printf '%q ' ip netns exec "$ns" "$alpxe" check --network -c "$c")" /dev/null 2>&1)
    t_match "non-UTF-8 terminal: plain words" "ok +p3 " "$tty_out"
else
    t_skip "✓/✗ on a terminal" "script(1) missing"
fi

# -- provision --------------------------------------------------------------

mkdir -p "$exp/keep"
echo precious >"$exp/keep/data"
chmod 0700 "$exp/keep"
chown 1234:1234 "$exp/keep"
touch -d '2020-01-01 00:00' "$exp/keep"
keep_before=$(stat -c '%a %u:%g %Y' "$exp/keep")

p=$tmp/prov.conf
conf "$p" 2
host "$p" a    'nfs = '"$V3"'/export/prov/${hostname}' 'nfs_mode = 0750' \
               'nfs_uid = 1000' 'nfs_gid = 100'
host "$p" b    'nfs = '"$V3"'/export/prov/${hostname}' 'nfs_mode = 0777'
host "$p" c    'nfs = '"$V4"'/export/prov4/${hostname}'"$V4Q" \
               'nfs_mode = 0770' 'nfs_uid = 1001' 'nfs_gid = 1002'
host "$p" keep 'nfs = '"$V3"'/export/keep' 'nfs_mode = 0755'

run inns "$alpxe" provision -c "$p"
show
t_eq "provision: exits 0" 0 "$rc"
t_match "provision: v3 directory created, with its mode and owner" \
    "^created a +$V3/export/prov/a \(mode 0750, owner 1000:100\)\$" "$out"
t_match "provision: mode 0777 is not cut by a umask" \
    "^created b +$V3/export/prov/b \(mode 0777, owner 0:0\)\$" "$out"
t_match "provision: v4 directory created, with its mode and owner" \
    "^created c +$V4/export/prov4/c\?version=4&nfsport=2049 \(mode 0770, owner 1001:1002\)\$" "$out"
t_match "provision: an existing directory is left alone" \
    "^exists +keep +$V3/export/keep \(left as it is\)\$" "$out"
t_match "provision: the tally" \
    "^provision: 3 created, 1 already there, 0 failed\$" "$out"
t_eq "on the server: a" "750 1000:100" "$(stat -c '%a %u:%g' "$exp/prov/a")"
t_eq "on the server: b" "777 0:0" "$(stat -c '%a %u:%g' "$exp/prov/b")"
t_eq "on the server: c (NFSv4 SETATTR)" "770 1001:1002" \
    "$(stat -c '%a %u:%g' "$exp/prov4/c")"
t_eq "on the server: a missing parent gets 0755" "755 0:0" \
    "$(stat -c '%a %u:%g' "$exp/prov")"
t_eq "on the server: keep's mode, owner and mtime untouched" "$keep_before" \
    "$(stat -c '%a %u:%g %Y' "$exp/keep")"
t_eq "on the server: keep's contents untouched" "precious" \
    "$(cat "$exp/keep/data")"

run inns "$alpxe" provision -c "$p"
t_eq "provision again: exits 0" 0 "$rc"
t_match "provision again: creates nothing" \
    "^provision: 0 created, 4 already there, 0 failed\$" "$out"
t_nomatch "provision again: no 'created' line" "^created" "$out"
t_eq "provision again: a unchanged" "750 1000:100" \
    "$(stat -c '%a %u:%g' "$exp/prov/a")"

run inns "$alpxe" check --network -c "$p"
t_eq "check --network after provision: exits 0" 0 "$rc"

# (New names: ganesha caches directories, so removing one behind its back
# would not be seen at once.)
p2=$tmp/prov2.conf
conf "$p2" 2
host "$p2" n1 'nfs = '"$V3"'/export/${hostname}'
host "$p2" n2 'nfs = '"$V3"'/export/${hostname}'
run inns "$alpxe" provision -c "$p2" n2
t_match "provision HOST: that host only" \
    "^created n2 .*"$'\n'"provision: 1 created, 0 already there, 0 failed\$" "$out"
t_eq "provision HOST: the others are not created" "no" "$(isdir "$exp/n1")"

run inns "$alpxe" provision -c "$c" x3 w3 k4 m3 m4
t_eq "provision: a failure exits 1" 1 "$rc"
t_match "provision: export not found" "^FAIL +x3 .*export not found" "$out"
t_match "provision: not creatable under root squash" \
    "^FAIL +w3 .*/squashed is not writable" "$out"
t_match "provision: permission denied" "^FAIL +k4 .*permission denied" "$out"
t_match "provision: the others still done" \
    "^provision: 2 created, 0 already there, 3 failed\$" "$out"
t_eq "on the server: m3 and m4 made, w3 not" "yes yes no" \
    "$(isdir "$exp/m3") $(isdir "$exp/m4") $(isdir "$tmp/squashed/w3")"
run inns "$alpxe" provision -c "$c" nosuch
t_eq "provision: unknown host exits 1" 1 "$rc"
t_match "provision: names the unknown host" "no \[host nosuch\]" "$err"
t_eq "provision: unknown host, nothing done" "" "$out"
run inns "$alpxe" provision -c "$c" none
t_eq "provision: a host without nfs exits 1" 1 "$rc"
t_match "provision: says it has none" "\[host none\] has no nfs directory" "$err"

# -- dead servers: each costs one timeout, at most --------------------------

port=$(inns bash -c 'for p in $(seq 40000 40100); do
    ss -Hltn "sport = :$p" | grep -q . || { echo $p; exit; }; done')
r=$tmp/refused.conf
conf "$r" 5
host "$r" r1 'nfs = '"$V4"'/export/r1?version=4&nfsport='"$port"
run inns "$alpxe" check --network -c "$r"
t_eq "refused port: exits 1" 1 "$rc"
t_match "refused port: server unreachable, with the reason" \
    "FAIL r1 .*: server unreachable \(127.0.0.1: Connection refused\)" "$out"
t_le "refused port: answered at once (ms)" 1000 "$ms"

d=$tmp/drop.conf
conf "$d" 2
host "$d" dr1 'nfs = nfs://192.0.2.2/export/${hostname}?version=4'
host "$d" dr2 'nfs = nfs://192.0.2.2/export/${hostname}?version=4'
run inns "$alpxe" check --network -c "$d"
show
t_match "dropping NAS (v4): no answer within the timeout" \
    "FAIL dr1 .*: server unreachable \(192.0.2.2: no answer within 2 s\)" "$out"
t_match "dropping NAS (v4): its second host fails the same way" \
    "FAIL dr2 .*: server unreachable \(192.0.2.2: no answer within 2 s\)" "$out"
t_ge "dropping NAS (v4): waited the timeout (ms)" 1900 "$ms"
t_le "dropping NAS (v4): two hosts cost one timeout (ms)" 3000 "$ms"
echo "# dropping NAS, 2 hosts, nfs_timeout = 2: ${ms} ms"

d3=$tmp/drop3.conf
conf "$d3" 2
host "$d3" dr3 'nfs = nfs://192.0.2.2/export/${hostname}'
run inns "$alpxe" provision -c "$d3"
t_match "dropping NAS (v3, provision): no answer within the timeout" \
    "FAIL +dr3 .*: server unreachable \(192.0.2.2: no answer within 2 s\)" "$out"
t_le "dropping NAS (v3): one timeout (ms)" 3000 "$ms"

# A hung server: the kernel still accepts connections, ganesha never
# answers (SIGSTOP).  rpcbind, a separate process, keeps answering.
h=$tmp/hung.conf
conf "$h" 2
host "$h" h4a 'nfs = '"$V4"'/export/p4'"$V4Q"
host "$h" h4b 'nfs = '"$V4"'/export/m4'"$V4Q"
host "$h" h3  'nfs = '"$V3"'/export/p3'
kill -STOP "$ganesha"
# kill returns before every thread has stopped; on a loaded machine a
# thread could still answer the first call.
all_stopped() {
    ! grep -qv '^T$' < <(for f in /proc/"$ganesha"/task/*/stat; do
        sed 's/.*) \(.\).*/\1/' "$f"; done)
}
t_wait_for 5 all_stopped || t_fail "ganesha's threads all stopped"
run inns "$alpxe" check --network -c "$h"
kill -CONT "$ganesha"
show
t_match "hung server (v4): no answer within the timeout" \
    "FAIL h4a .*: server unreachable \(127.0.0.1: no answer within 2 s\)" "$out"
t_match "hung server (v4): its second host fails the same way" \
    "FAIL h4b .*: server unreachable \(127.0.0.1: no answer" "$out"
t_match "hung server (v3): mountd's silence is bounded too" \
    "FAIL h3 .*: server unreachable \(192.0.2.1: no answer within 2 s\)" "$out"
t_le "hung server: two servers, two timeouts (ms)" 5500 "$ms"
echo "# hung server, 3 hosts on 2 (server, version) pairs: ${ms} ms"

t_wait_for 10 inns "$alpxe" check --network -c "$o" \
    && t_ok "the server recovers after SIGCONT" \
    || t_fail "the server recovers after SIGCONT"

# Without rpcbind NFSv4 still works (libnfs goes straight to the NFS
# port), NFSv3 cannot even ask for the exports.
t_stop "$(cat "$tmp/rpcbind.pid")"
run inns "$alpxe" check --network -c "$o"
show
t_match "rpcbind gone: NFSv4 still ok" "^ok +p4 " "$out"
t_match "rpcbind gone: NFSv3 unreachable, with a hint" \
    "FAIL p3 .*: server unreachable \(192.0.2.1: Connection refused; NFSv4 only\? add \?version=4 to the URL\)" "$out"

# The server down for good.
t_stop "$ganesha"
run inns "$alpxe" check --network -c "$o"
t_eq "server down: exits 1" 1 "$rc"
show
t_match "server down (v3): unreachable" "FAIL p3 .*: server unreachable" "$out"
t_match "server down (v4): unreachable" "FAIL p4 .*: server unreachable" "$out"
t_match "server down (v3): no mountd, so maybe NFSv4 only: says how" \
    "FAIL p3 .*; NFSv4 only\? add \?version=4 to the URL\)" "$out"
t_le "server down: bounded by the timeout (ms)" 5000 "$ms"

# The README example, checked where it cannot reach anything: this
# namespace has no route to 10.0.0.28.
run inns "$alpxe" check --network -c "$data/example.conf"
show
t_eq "example, offline: exits 1" 1 "$rc"
t_match "example, offline: nuc1's directory unreachable" \
    "FAIL nuc1 +nfs://10.0.0.28/homes/nuc1: server unreachable \(10.0.0.28: " "$out"
t_le "example, offline: at once (ms)" 1000 "$ms"

t_done
