#!/bin/bash
# tests/kea/kea-stats.sh - alpxe's statistics in Kea's statistics manager,
# and its INFO lines, against a real kea-dhcp4.
#
#   - statistic-get-all lists every alpxe.* statistic from the start (0);
#   - answers are counted by stage (pxe, ipxe, http-boot) and by arch;
#     declines by reason (unknown-mac, boot-off, malformed, no-loader,
#     unsupported-arch); each count is exactly the packets sent;
#   - one ALPXE_ANSWER INFO line per answer (MAC, stage, arch, host,
#     profile, what was set) and one ALPXE_DECLINED per decline (reason);
#   - alpxe.config.loads / failures / fallbacks / generation follow
#     alpxe-reload (good, broken) and Kea's config-reload with a broken
#     file (the last good copy: a fallback), and survive the hook's reload;
#   - with the alpxe logger at WARN no line is written, and the counts go
#     on; multi-threaded Kea counts the same.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kea-lib.sh"

t_tmpdir >/dev/null
CONF=$T_TMP/alpxe.conf
KNOWN=52:54:00:12:34:56
OFF=52:54:00:00:00:03
UNKNOWN=52:54:00:99:99:99

cat >"$CONF" <<EOF
[server]
address = 10.0.0.28
http    = http://10.0.0.28/pxe
unknown = ignore

[loader]
bios  = undionly.kpxe
efi64 = snponly.efi

[profile lts]
kernel = boot/vmlinuz-lts
initrd = boot/initramfs-lts

[host known]
mac     = $KNOWN
profile = lts

[host off]
mac     = $OFF
profile = lts
boot    = off
EOF

pxe_vc() { printf 'PXEClient:Arch:%05d:UNDI:002001' "$1"; }

# stat NAME [INSTANCE]: the statistic's current value ("" if none).
stat() {
    "$CTRL" "$T_TMP/${2:-hook}/kea.sock" \
        "{ \"command\": \"statistic-get\", \"arguments\": { \"name\": \"$1\" } }" |
        tr -d '\n' | sed -n 's/.*"'"$1"'": *\[ *\[ *\([0-9-]*\),.*/\1/p'
}

# stats NAMES... : "name=value ..." for a comparison in one line.
stats() {
    local n out=
    for n in "$@"; do
        out="$out$n=$(stat "alpxe.$n" "${INST:-hook}") "
    done
    printf '%s\n' "$out"
}

lines() {
    grep -c -- "$2" "$T_TMP/$1/kea.log"
}

kea_conf hook "{ \"config\": \"$CONF\" }"
if ! kea_start hook; then
    t_fail "kea-dhcp4 with the hook starts" "$(kea_log hook | tail -20)"
    t_done
    exit
fi
t_ok "kea-dhcp4 with the hook starts"

# --- every statistic exists before the first packet -----------------------
all=$(ctrl hook statistic-get-all | tr -d '\n')
missing=
for n in answers.pxe answers.ipxe answers.http-boot answers.arch.bios \
    answers.arch.efi32 answers.arch.efi64 answers.arch.arm32 \
    answers.arch.arm64 answers.arch.unknown declined.unknown-mac \
    declined.boot-off declined.malformed declined.unsupported-arch \
    declined.no-loader declined.too-long config.loads config.fallbacks \
    config.failures config.generation; do
    case $all in *"\"alpxe.$n\": [ [ "*) ;; *) missing="$missing alpxe.$n" ;; esac
done
t_eq "statistic-get-all lists every alpxe statistic" "" "$missing"
t_eq "at start: one load, generation 1, no answer yet" \
    "config.loads=1 config.generation=1 config.failures=0 answers.pxe=0 " \
    "$(stats config.loads config.generation config.failures answers.pxe)"

# --- answers by stage and arch ---------------------------------------------
for i in 1 2 3; do ask hook -m $KNOWN -V "$(pxe_vc 0)" -a 0 >/dev/null; done
for i in 1 2; do ask hook -m $KNOWN -V "$(pxe_vc 7)" -a 7 >/dev/null; done
ask hook -m $KNOWN -u iPXE -e -V "$(pxe_vc 7)" -a 7 >/dev/null
ask hook -m $KNOWN -V "HTTPClient:Arch:00016:UNDI:003001" -a 16 >/dev/null
ask hook -m $KNOWN -p 1,3 >/dev/null        # not a network-boot client
t_eq "answers by stage: 5 PXE, 1 iPXE, 1 HTTP boot" \
    "answers.pxe=5 answers.ipxe=1 answers.http-boot=1 " \
    "$(stats answers.pxe answers.ipxe answers.http-boot)"
t_eq "answers by arch: 3 bios, 4 efi64 (PXE 7, iPXE 7, HTTP boot 16)" \
    "answers.arch.bios=3 answers.arch.efi64=4 answers.arch.arm64=0 " \
    "$(stats answers.arch.bios answers.arch.efi64 answers.arch.arm64)"
t_eq "one ALPXE_ANSWER INFO line per answer" 7 "$(lines hook 'INFO .*ALPXE_ANSWER')"
log_has hook "the PXE line: MAC, stage, arch, host, profile, siaddr, file" \
    "INFO .*ALPXE_ANSWER .*: mac $KNOWN, stage pxe, arch bios \(type 0\), host known, profile lts, siaddr 10.0.0.28, file undionly.kpxe$"
log_has hook "the iPXE line says option 175.176 was set" \
    "ALPXE_ANSWER .*stage ipxe, arch efi64 \(type 7\), host known, profile lts, option 175.176 = 1, siaddr 10.0.0.28, file http://10.0.0.28/pxe/$KNOWN/gpxe-script$"
log_has hook "the HTTP boot line says option 60 was set" \
    "ALPXE_ANSWER .*stage httpboot, arch efi64 \(type 16\), host known, profile lts, option 60 = HTTPClient, siaddr 10.0.0.28, file http://10.0.0.28/pxe/loader/snponly.efi$"

# --- declines by reason ----------------------------------------------------
ask hook -m $UNKNOWN -V "$(pxe_vc 0)" -a 0 >/dev/null
ask hook -m $UNKNOWN -u iPXE -e >/dev/null
ask hook -m $OFF -V "$(pxe_vc 0)" -a 0 >/dev/null
ask hook -m $KNOWN -V "$(pxe_vc 6)" -a 6 >/dev/null         # no efi32 loader
ask hook -m $KNOWN -V "$(pxe_vc 2)" -a 2 >/dev/null         # no such slot
ask hook -m $KNOWN -V PXEClient:Arch:0000x:UNDI:002001 >/dev/null  # unreadable arch
t_eq "declines by reason" \
    "declined.unknown-mac=2 declined.boot-off=1 declined.no-loader=1 declined.unsupported-arch=1 declined.malformed=1 " \
    "$(stats declined.unknown-mac declined.boot-off declined.no-loader declined.unsupported-arch declined.malformed)"
t_eq "declines are not answers" "answers.pxe=5 answers.ipxe=1 " "$(stats answers.pxe answers.ipxe)"
t_eq "one ALPXE_DECLINED INFO line per decline" 6 "$(lines hook 'INFO .*ALPXE_DECLINED')"
log_has hook "the decline line names the reason: unknown MAC" \
    "ALPXE_DECLINED .*: mac $UNKNOWN, stage pxe, arch bios \(type 0\), host unknown: not answered \(unknown-mac\): unknown MAC: unknown = ignore$"
log_has hook "the decline line names the reason: boot = off" \
    "ALPXE_DECLINED .*: mac $OFF, stage pxe, arch bios \(type 0\), host off: not answered \(boot-off\): host: boot = off$"
log_has hook "the decline line names the reason: malformed" \
    "ALPXE_DECLINED .*: mac $KNOWN, stage pxe, arch unknown \(malformed\), host known: not answered \(malformed\)"

# --- configuration loads ---------------------------------------------------
cp "$CONF" "$T_TMP/good.conf"
out=$(ctrl hook alpxe-reload)
t_match "alpxe-reload of a good file" '"result": 0' "$out"
printf '[server]\naddress = 10.0.0.30\nno_such_key = 1\n' >"$CONF"
out=$(ctrl hook alpxe-reload)
t_match "alpxe-reload of a broken file is refused" '"result": 1' "$out"
t_eq "loads 2, failures 1, generation 2 (the refused file was never served)" \
    "config.loads=2 config.failures=1 config.fallbacks=0 config.generation=2 " \
    "$(stats config.loads config.failures config.fallbacks config.generation)"
t_match "alpxe-status gives the generation in service" '"generation": 2' \
    "$(ctrl hook alpxe-status)"
# Kea's own config-reload unloads and reloads the hook: the file is still
# broken, so the last good copy serves (a fallback), generation 3.
out=$(ctrl hook config-reload)
t_match "config-reload with a broken alpxe.conf: Kea reconfigures" '"result": 0' "$out"
t_eq "after config-reload: a fallback, generation 3, the counts kept" \
    "config.fallbacks=1 config.generation=3 answers.pxe=5 declined.unknown-mac=2 " \
    "$(stats config.fallbacks config.generation answers.pxe declined.unknown-mac)"
ask hook -m $KNOWN -V "$(pxe_vc 0)" -a 0 >/dev/null
t_eq "the hook reloaded by Kea counts on" "answers.pxe=6 " "$(stats answers.pxe)"
cp "$T_TMP/good.conf" "$CONF"
kea_stop hook

# --- the logger above INFO: no line, the counts go on ----------------------
kea_conf quiet "{ \"config\": \"$CONF\" }"
sed -i 's/"severity": "DEBUG", "debuglevel": 40/"severity": "INFO" }, { "name": "kea-dhcp4.alpxe", "output_options": [ { "output": "'"$(printf '%s' "$T_TMP/quiet/kea.log" | sed 's/[\/&]/\\&/g')"'" } ], "severity": "WARN"/' \
    "$T_TMP/quiet/kea.json"
if kea_start quiet; then
    for i in 1 2; do ask quiet -m $KNOWN -V "$(pxe_vc 0)" -a 0 >/dev/null; done
    ask quiet -m $UNKNOWN -V "$(pxe_vc 0)" -a 0 >/dev/null
    t_eq "logger at WARN: the answers are counted" "answers.pxe=2 declined.unknown-mac=1 " \
        "$(INST=quiet stats answers.pxe declined.unknown-mac)"
    t_eq "logger at WARN: no ALPXE_ANSWER or ALPXE_DECLINED line" 0 \
        "$(lines quiet 'ALPXE_ANSWER\|ALPXE_DECLINED')"
    t_match "logger at WARN: Kea's own lease lines still there (INFO)" "DHCP4_LEASE_ADVERT" \
        "$(cat "$T_TMP/quiet/kea.log")"
    kea_stop quiet
else
    t_fail "kea-dhcp4 with the alpxe logger at WARN starts" "$(kea_log quiet | tail -5)"
fi

# --- multi-threaded Kea ----------------------------------------------------
# the load generator's MACs are in no [host]: they boot the default
sed 's/^unknown = ignore/unknown = default\ndefault = lts/' "$CONF" >"$T_TMP/mt.conf"
kea_conf mt "{ \"config\": \"$T_TMP/mt.conf\" }" \
    '"multi-threading": { "enable-multi-threading": true, "thread-pool-size": 2, "packet-queue-size": 64 },'
# INFO, and no rotation: every line kept to be counted
sed -i -e 's/"severity": "DEBUG", "debuglevel": 40/"severity": "INFO"/' \
    -e 's|"output": "\([^"]*\)" }|"output": "\1", "maxsize": 1073741824 }|' \
    "$T_TMP/mt/kea.json"
if kea_start mt; then
    "$CLIENT" -B 2 -N 50 -W 8 -V "$(pxe_vc 7)" -a 7 \
        "${KEA_PORT[mt]}" "${KEA_RPORT[mt]}" >"$T_TMP/mt.out" 2>&1
    sent=$(grep -c ALPXE_ANSWER "$T_TMP/mt/kea.log")
    t_eq "multi-threaded: alpxe.answers.pxe = the ALPXE_ANSWER lines" "$sent" "$(INST=mt stats answers.pxe | sed 's/answers.pxe=//; s/ $//')"
    t_match "multi-threaded: some answers counted" '^[1-9]' "$sent"
    t_eq "multi-threaded: every one efi64" "answers.arch.efi64=$sent " "$(INST=mt stats answers.arch.efi64)"
    kea_stop mt
else
    t_fail "multi-threaded kea-dhcp4 with the hook starts" "$(kea_log mt | tail -5)"
fi

t_done
