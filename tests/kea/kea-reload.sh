#!/bin/bash
# tests/kea/kea-reload.sh - loading, logging and live reload of the hook in
# a real kea-dhcp4, single- and multi-threaded.
#
#   - load(): the ALPXE_LOAD line; with "strict": true a missing or invalid
#     alpxe.conf, or a bad "config" parameter, stops Kea with an error
#     naming file and line; without it Kea starts and answers no network-
#     boot client (the faults suite covers the fallbacks);
#   - one ALPXE_ANSWER INFO line per answered packet, none for others;
#   - alpxe-reload: a good file is served at once, a broken or missing one
#     is refused (answer and log) and the previous configuration serves on;
#   - Kea's own libreload unloads and reloads the hook;
#   - multi-threaded Kea under load while alpxe.conf flips between two
#     versions: every answer is wholly one version or the other.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kea-lib.sh"

t_tmpdir >/dev/null
CONF=$T_TMP/alpxe.conf
KNOWN=52:54:00:12:34:56
NEW=52:54:00:12:34:57
PXE=(-V PXEClient:Arch:00007:UNDI:003000 -a 7)

# write_conf FILE ADDRESS BIOS-LOADER [EXTRA-LINES]: 1 host, 2 profiles.
write_conf() {
    cat >"$1" <<EOF
[server]
address = $2
http    = http://$2/pxe
unknown = default
default = lts

[loader]
bios  = $3
efi64 = snponly.efi

[profile lts]
kernel = boot/vmlinuz-lts
initrd = boot/initramfs-lts

[profile virt]
kernel = boot/vmlinuz-virt
initrd = boot/initramfs-virt

[host known]
mac     = $KNOWN
profile = lts
${4:-}
EOF
}

answers() {
    grep -c ALPXE_ANSWER "$T_TMP/$1/kea.log"
}

# --- the library exports the hook entry points and nothing else ----------
exports=$(nm -D --defined-only "$HOOK" | awk '{ print $3 }' | sort | tr '\n' ' ')
t_eq "exports only the hook entry points" \
    "dhcp4_srv_configured load multi_threading_compatible pkt4_send unload version " "$exports"

# --- load(): refusals with "strict": true ---------------------------------
# start_fails NAME TEST-NAME PARAMS LOG-REGEX
start_fails() {
    kea_conf "$1" "$3"
    if kea_start "$1"; then
        t_fail "$2: kea-dhcp4 refuses to start" "it started"
        kea_stop "$1"
        return
    fi
    t_ok "$2: kea-dhcp4 refuses to start (exit $KEA_RC)"
    log_has "$1" "$2: the log says why" "$4"
}

start_fails missing "strict, missing alpxe.conf" "{ \"config\": \"$T_TMP/nonexistent.conf\", \"strict\": true }" \
    "ALPXE_LOAD_FAILED cannot load $T_TMP/nonexistent.conf: .*nonexistent.conf.*(No such file|not found)"
printf '[server]\naddress = 10.0.0.28\nbogus = 1\n' >"$T_TMP/invalid.conf"
start_fails invalid "strict, invalid alpxe.conf" "{ \"config\": \"$T_TMP/invalid.conf\", \"strict\": true }" \
    "ALPXE_LOAD_FAILED cannot load $T_TMP/invalid.conf: $T_TMP/invalid.conf:3: .*bogus"
start_fails badparam 'strict, "config" not a string' '{ "config": 42, "strict": true }' \
    'ALPXE_LOAD_FAILED .*"config" must be a string'
start_fails emptyparam 'strict, "config" empty' '{ "config": "", "strict": true }' \
    'ALPXE_LOAD_FAILED cannot load the hook.s parameters in kea-dhcp4.conf: "config" is empty'
if [ ! -e /etc/alpxe/alpxe.conf ]; then
    start_fails noparam "strict, no config parameter: /etc/alpxe/alpxe.conf" '{ "strict": true }' \
        "ALPXE_LOAD_FAILED cannot load /etc/alpxe/alpxe.conf"
else
    t_skip "strict, no config parameter: /etc/alpxe/alpxe.conf" "the file exists here"
fi

# --- load() without "strict": Kea starts whatever alpxe.conf is -----------
# starts NAME TEST-NAME PARAMS LOG-REGEX
starts() {
    local r
    kea_conf "$1" "$3"
    if ! kea_start "$1"; then
        t_fail "$2: kea-dhcp4 starts" "exit $KEA_RC" "$(kea_log "$1" | tail -5)"
        return
    fi
    t_ok "$2: kea-dhcp4 starts"
    log_has "$1" "$2: the log says why" "$4"
    r=$(ask "$1" -m $KNOWN "${PXE[@]}")
    t_eq "$2: a PXE client gets Kea's own answer" "10.0.0.98 class.bin" \
        "$(field siaddr "$r") $(field file "$r")"
    kea_stop "$1"
}
starts missing2 "missing alpxe.conf" "{ \"config\": \"$T_TMP/nonexistent.conf\" }" \
    "ERROR .*ALPXE_NO_CONFIG $T_TMP/nonexistent.conf does not load \($T_TMP/nonexistent.conf: error: cannot read: No such file"
starts invalid2 "invalid alpxe.conf" "{ \"config\": \"$T_TMP/invalid.conf\" }" \
    "ERROR .*ALPXE_NO_CONFIG $T_TMP/invalid.conf does not load \($T_TMP/invalid.conf:3: error: unknown key 'bogus'"
starts emptyparam2 '"config" empty' '{ "config": "" }' \
    'ALPXE_LOAD_FAILED cannot load the hook.s parameters in kea-dhcp4.conf: "config" is empty'

# --- load(): success and per-packet logging -------------------------------
write_conf "$CONF" 10.0.0.28 undionly.kpxe
kea_conf hook "{ \"config\": \"$CONF\" }"
if ! kea_start hook; then
    t_fail "kea-dhcp4 with the hook starts" "$(kea_log hook | tail -20)"
    t_done
    exit
fi
log_has hook "ALPXE_LOAD names the file, its hosts, profiles, checksum and load time" \
    "INFO .*ALPXE_LOAD load: loaded $CONF: 1 hosts, 2 profiles, 0 warnings, sha256 $(sha256sum <"$CONF" | cut -c1-64), in [0-9]+\.[0-9] ms$"

n=$(answers hook)
r=$(ask hook -m $KNOWN "${PXE[@]}")
t_eq "PXE answer before any reload" "10.0.0.28 snponly.efi" \
    "$(field siaddr "$r") $(field file "$r")"
t_eq "one ALPXE_ANSWER line for the PXE packet" $((n + 1)) "$(answers hook)"
log_has hook "ALPXE_ANSWER (INFO) gives MAC, stage, arch, host, profile and what was set" \
    "INFO .*ALPXE_ANSWER \[hwtype=1 $KNOWN\].*tid=0x[0-9a-f]+: mac $KNOWN, stage pxe, arch efi64 \(type 7\), host known, profile lts, siaddr 10.0.0.28, file snponly.efi\$"
ask hook -m 52:54:00:aa:bb:01 -p 1,3 >/dev/null
t_eq "no ALPXE_ANSWER line for a non-PXE packet" $((n + 1)) "$(answers hook)"

# --- alpxe-reload ---------------------------------------------------------
write_conf "$CONF" 192.168.100.5 undionly.kpxe "$(printf '\n[host new]\nmac = %s\nprofile = virt\nboot = off' $NEW)"
out=$(ctrl hook alpxe-reload)
t_match "reload of a good file: result 0, counts" \
    '"result": 0, "text": "reloaded .*: 2 hosts, 2 profiles' "$out"
log_has hook "reload of a good file: ALPXE_LOAD logged" \
    "INFO .*ALPXE_LOAD reload: loaded $CONF: 2 hosts"
r=$(ask hook -m $KNOWN "${PXE[@]}" -p 1,3,66,67)
t_eq "the new [server] address is served at once, 66 with it" \
    "192.168.100.5 $(hex 192.168.100.5)" "$(field siaddr "$r") $(field opt66 "$r")"
r=$(ask hook -m $NEW "${PXE[@]}")
t_eq "the new host (boot = off) is not answered" "10.0.0.98 class.bin" \
    "$(field siaddr "$r") $(field file "$r")"

good=$(cat "$CONF")
printf '[server]\naddress = 10.0.0.30\nno_such_key = 1\n' >"$CONF"
out=$(ctrl hook alpxe-reload)
t_match "reload of a broken file: result 1 with file:line: problem" \
    "\"result\": 1, \"text\": \".*alpxe.conf:3: .*no_such_key" "$out"
log_has hook "reload of a broken file: ALPXE_RELOAD_FAILED with file:line" \
    "ERROR .*ALPXE_RELOAD_FAILED reload of $CONF refused.*alpxe.conf:3: .*no_such_key"
r=$(ask hook -m $KNOWN "${PXE[@]}")
t_eq "after a refused reload the previous configuration serves" 192.168.100.5 \
    "$(field siaddr "$r")"

rm -f "$CONF"
out=$(ctrl hook alpxe-reload)
t_match "reload of a missing file: result 1 naming it" \
    "\"result\": 1, \"text\": \".*alpxe.conf" "$out"
r=$(ask hook -m $KNOWN "${PXE[@]}")
t_eq "after a missing file the previous configuration serves" 192.168.100.5 \
    "$(field siaddr "$r")"

# A FIFO where alpxe.conf should be: refused at once (it would block the
# open() for ever), and DHCP goes on.
rm -f "$CONF"
mkfifo "$CONF"
out=$(timeout 10 "$CTRL" "$T_TMP/hook/kea.sock" '{ "command": "alpxe-reload" }')
t_match "a FIFO as alpxe.conf: alpxe-reload refuses it at once" \
    "\"result\": 1, .*$CONF: error: cannot read: not a regular file" "$out"
r=$(ask hook -m $KNOWN "${PXE[@]}")
t_eq "... and Kea answers as before" 192.168.100.5 "$(field siaddr "$r")"
rm -f "$CONF"

printf '%s\n' "$good" >"$CONF"
out=$(ctrl hook alpxe-reload)
t_match "reload after the file is fixed" '"result": 0' "$out"

# A huge file (100k profiles, each with its host) loads beside the running
# configuration: no DHCP query goes unanswered meanwhile.
{
    printf '%s\n' "$good"
    for i in $(seq 100000); do
        printf '[profile p%d]\nkernel = k\ninitrd = i\n' "$i"
    done
} >"$T_TMP/huge.conf"
t0=$(date +%s%N)
"$T_BUILD/alpxe" -c "$T_TMP/huge.conf" check >/dev/null 2>&1
t_eq "100k profiles: alpxe check accepts the file" 0 $?
check_ms=$((($(date +%s%N) - t0) / 1000000))
cp "$T_TMP/huge.conf" "$CONF"
"$CLIENT" -B 4 -N 100 -W 16 -P -V PXEClient:Arch:00000:UNDI:002001 -a 0 \
    "${KEA_PORT[hook]}" "${KEA_RPORT[hook]}" >"$T_TMP/huge-load.out" &
lp=$!
sleep 1
t0=$(date +%s%N)
out=$(ctrl hook alpxe-reload)
cmd_ms=$((($(date +%s%N) - t0) / 1000000))
wait $lp
t_match "100k profiles: alpxe-reload takes it" '"result": 0' "$out"
t_match "100k profiles: no DHCP query unanswered during the reload" \
    "^leases=[1-9][0-9]* .* timeouts=0 " "$(tail -1 "$T_TMP/huge-load.out")"
echo "# 100k profiles: alpxe check ${check_ms} ms; alpxe-reload answered in ${cmd_ms} ms; load during it: $(tail -1 "$T_TMP/huge-load.out")"
printf '%s\n' "$good" >"$CONF"
ctrl hook alpxe-reload >/dev/null

# --- Kea's libreload: unload() then load() --------------------------------
loads=$(grep -c 'ALPXE_LOAD load: loaded' "$T_TMP/hook/kea.log")
out=$(ctrl hook libreload)
t_match "Kea's libreload succeeds" '"result": 0' "$out"
log_has hook "libreload logs ALPXE_UNLOAD" "ALPXE_UNLOAD"
t_eq "one more ALPXE_LOAD load: line after libreload" $((loads + 1)) \
    "$(grep -c 'ALPXE_LOAD load: loaded' "$T_TMP/hook/kea.log")"
r=$(ask hook -m $KNOWN "${PXE[@]}")
t_eq "the reloaded library answers" "192.168.100.5 snponly.efi" \
    "$(field siaddr "$r") $(field file "$r")"
out=$(ctrl hook alpxe-reload)
t_match "alpxe-reload is registered again after libreload" '"result": 0' "$out"
kea_stop hook

# --- multi-threaded Kea, reloads under load -------------------------------
write_conf "$T_TMP/a.conf" 10.0.0.28 a.kpxe
write_conf "$T_TMP/b.conf" 10.0.0.29 b.kpxe
cp "$T_TMP/a.conf" "$CONF"
kea_conf mt "{ \"config\": \"$CONF\" }" '"multi-threading": { "enable-multi-threading": true,
    "thread-pool-size": 4, "packet-queue-size": 256 },'
if ! kea_start mt; then
    t_fail "multi-threaded kea-dhcp4 with the hook starts" "$(kea_log mt | tail -20)"
    t_done
    exit
fi
log_has mt "Kea runs multi-threaded" "DHCP4_MULTI_THREADING_INFO enabled: yes"

# Flip the file between a and b and reload, while 32 PXE clients at a time
# go through DISCOVER/REQUEST.  A torn answer would pair a's address with
# b's loader or the reverse.
(
    for i in $(seq 12); do
        for v in b a; do
            cp "$T_TMP/$v.conf" "$CONF.new" && mv "$CONF.new" "$CONF"
            ctrl mt alpxe-reload >>"$T_TMP/reloads.out"
            sleep 0.1
        done
    done
) &
reloader=$!
"$CLIENT" -B 3 -N 100 -W 32 -P -V PXEClient:Arch:00000:UNDI:002001 -a 0 \
    "${KEA_PORT[mt]}" "${KEA_RPORT[mt]}" >"$T_TMP/answers.out"
wait $reloader
t_eq "all 24 reloads under load succeed" 24 \
    "$(grep -c '"result": 0' "$T_TMP/reloads.out")"
total=$(grep -c '^answer ' "$T_TMP/answers.out")
a=$(grep -c '^answer siaddr=10.0.0.28 file=a.kpxe$' "$T_TMP/answers.out")
b=$(grep -c '^answer siaddr=10.0.0.29 file=b.kpxe$' "$T_TMP/answers.out")
t_match "answers under load" "^leases=[1-9]" "$(tail -1 "$T_TMP/answers.out")"
if [ "$total" -gt 100 ] && [ $((a + b)) -eq "$total" ]; then
    t_ok "every answer is wholly a or b ($a a, $b b of $total)"
else
    t_fail "every answer is wholly a or b" "a=$a b=$b total=$total" \
        "$(grep '^answer ' "$T_TMP/answers.out" | sort | uniq -c | head)"
fi
if [ "$a" -gt 0 ] && [ "$b" -gt 0 ]; then
    t_ok "both versions served during the run"
else
    t_fail "both versions served during the run" "a=$a b=$b"
fi
log_lacks mt "no ALPXE_PACKET_ERROR under load" ALPXE_PACKET_ERROR
kea_alive mt && t_ok "multi-threaded kea-dhcp4 still running" ||
    t_fail "multi-threaded kea-dhcp4 still running"
t_done
