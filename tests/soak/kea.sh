#!/bin/bash
# tests/soak/kea.sh - kea-dhcp4 with the alpxe hook, multi-threaded, under
# the load generator (dhcp-client -B: DISCOVER/OFFER/REQUEST/ACK, PXE ROM
# and iPXE clients in turn) for SOAK_SECONDS (default 300), while
# alpxe.conf is reloaded every RELOAD_EVERY seconds (default 3),
# alternating a good file (two versions, a and b) and a broken one (three
# kinds).  Passes when:
#   - every answer is wholly version a or wholly version b;
#   - every good reload is taken, every broken one refused;
#   - Kea is alive at the end, logged no ALPXE_PACKET_ERROR, every load
#     round got leases;
#   - its RSS (VmRSS) grew less than 5% from the first minute of load to the
#     last (first and last fifth under 5 minutes; not judged under 200 s,
#     see lib.sh).
# The last line is the summary, with the figures.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../kea/kea-lib.sh"

DURATION=${SOAK_SECONDS:-300}
RELOAD_EVERY=${RELOAD_EVERY:-3}
ROUND=${ROUND:-10}              # seconds per load-generator run
HOSTS=${HOSTS:-2000}            # in alpxe.conf
CLIENTS=${CLIENTS:-150}         # MACs the generator uses (the pool has 151)

t_tmpdir >/dev/null
CONF=$T_TMP/alpxe.conf
GEN=$T_ROOT/tests/bench/gen-config

# version ADDRESS LOADER: gen-config's file with its own server and loader
version() {
    "$GEN" "$HOSTS" "http://$1/pxe" |
        sed -e "s/^address = .*/address = $1/" -e "s/^bios  = .*/bios  = $2/"
}
version 10.0.0.28 a.kpxe >"$T_TMP/a.conf"
version 10.0.0.29 b.kpxe >"$T_TMP/b.conf"
{ cat "$T_TMP/a.conf"; printf '\n[host bad]\nmac = not-a-mac\n'; } >"$T_TMP/bad-mac.conf"
{ cat "$T_TMP/b.conf"; printf '\n[profile x\nkernel = k\n'; } >"$T_TMP/bad-syntax.conf"
{ cat "$T_TMP/a.conf"; printf '\n[server]\nno_such_key = 1\n'; } >"$T_TMP/bad-key.conf"
cp "$T_TMP/a.conf" "$CONF"

# Production-like Kea: multi-threaded, leases in memory only, INFO logging
# (the debug log of every packet would be the soak's bottleneck).
kea_conf soak "{ \"config\": \"$CONF\" }" '"multi-threading": {
    "enable-multi-threading": true, "thread-pool-size": 4,
    "packet-queue-size": 256 },'
sed -i -e 's/"persist": true/"persist": false/' \
    -e 's/"severity": "DEBUG", "debuglevel": 40/"severity": "INFO"/' \
    "$T_TMP/soak/kea.json"
if ! kea_start soak; then
    t_fail "kea-dhcp4 with the hook starts" "$(kea_log soak | tail -20)"
    t_done
    exit
fi
pid=${KEA_PID[soak]}
start=$SECONDS
deadline=$((start + DURATION))

# --- reloads: good a, broken, good b, broken, ...
(
    i=0
    broken=(bad-mac bad-syntax bad-key missing)
    while [ $SECONDS -lt "$deadline" ]; do
        sleep "$RELOAD_EVERY"
        case $((i % 4)) in
        0) want=1 v=${broken[$(((i / 2) % 4))]} ;;
        1) want=0 v=b ;;
        2) want=1 v=${broken[$(((i / 2) % 4))]} ;;
        3) want=0 v=a ;;
        esac
        if [ "$v" = missing ]; then
            rm -f "$CONF"
        else
            cp "$T_TMP/$v.conf" "$CONF.new" && mv "$CONF.new" "$CONF"
        fi
        out=$(ctrl soak alpxe-reload | tr -d '\n')
        echo "$want $v $out" >>"$T_TMP/reloads"
        i=$((i + 1))
    done
) &
reloader=$!

# --- RSS, sampled
soak_rss_sample "$pid" "$deadline" "$T_TMP/rss" &
sampler=$!

# --- load: rounds of the generator, PXE ROMs and iPXE in turn; every
# answer reduced to its shape (the MAC in a script URL becomes MAC)
pxe=(-V PXEClient:Arch:00000:UNDI:002001 -a 0)
ipxe=(-V PXEClient:Arch:00000:UNDI:002001 -a 0 -u iPXE -e)
round=0 empty=0
while [ $SECONDS -lt "$deadline" ]; do
    left=$((deadline - SECONDS))
    [ "$left" -gt "$ROUND" ] && left=$ROUND
    if [ $((round % 2)) -eq 0 ]; then q=("${pxe[@]}"); else q=("${ipxe[@]}"); fi
    "$CLIENT" -B "$left" -N "$CLIENTS" -W 16 -P "${q[@]}" \
        "${KEA_PORT[soak]}" "${KEA_RPORT[soak]}" >"$T_TMP/round.out"
    grep '^leases=' "$T_TMP/round.out" >>"$T_TMP/rounds"
    grep -q '^leases=[1-9]' "$T_TMP/round.out" || empty=$((empty + 1))
    grep '^answer ' "$T_TMP/round.out" |
        sed -E 's/[0-9a-f]{2}(:[0-9a-f]{2}){5}/MAC/' | sort | uniq -c \
        >>"$T_TMP/answers"
    round=$((round + 1))
done
wait "$reloader" "$sampler"
elapsed=$((SECONDS - start))

# --- figures
leases=$(awk -F'[ =]' '{ n += $2 } END { print n + 0 }' "$T_TMP/rounds")
timeouts=$(awk -F'[ =]' '{ n += $8 } END { print n + 0 }' "$T_TMP/rounds")
awk '{ c[$2 " " $3 " " $4] += $1 } END { for (k in c) print c[k], k }' \
    "$T_TMP/answers" >"$T_TMP/shapes"
good_re='^[0-9]+ answer siaddr=10\.0\.0\.28 file=(a\.kpxe|http://10\.0\.0\.28/pxe/MAC/gpxe-script)$|^[0-9]+ answer siaddr=10\.0\.0\.29 file=(b\.kpxe|http://10\.0\.0\.29/pxe/MAC/gpxe-script)$'
answers=$(awk '{ n += $1 } END { print n + 0 }' "$T_TMP/shapes")
wrong=$(grep -Ev "$good_re" "$T_TMP/shapes" | awk '{ n += $1 } END { print n + 0 }')
reloads=$(wc -l <"$T_TMP/reloads")
taken=$(grep -c '^0 .*"result": 0' "$T_TMP/reloads")
refused=$(grep -c '^1 .*"result": 1' "$T_TMP/reloads")


# --- verdicts
t_eq "every answer wholly a or b ($answers answers)" 0 "$wrong"
[ "$wrong" -ne 0 ] && grep -Ev "$good_re" "$T_TMP/shapes" | head -5 | sed 's/^/#   /'
shapes=$(grep -Ec "$good_re" "$T_TMP/shapes")
if [ "$shapes" -eq 4 ]; then
    t_ok "both versions served, to PXE ROMs and to iPXE"
else
    t_fail "both versions served, to PXE ROMs and to iPXE" "$(cat "$T_TMP/shapes")"
fi
t_eq "every good reload taken" \
    "$(grep -c '^0 ' "$T_TMP/reloads")" "$taken"
t_eq "every broken reload refused" "$(grep -c '^1 ' "$T_TMP/reloads")" "$refused"
t_eq "every load round got leases" 0 "$empty"
if kea_alive soak; then
    t_ok "kea-dhcp4 still running after ${elapsed}s"
else
    t_fail "kea-dhcp4 still running after ${elapsed}s" "$(kea_log soak | tail -5)"
fi
log_lacks soak "no ALPXE_PACKET_ERROR" ALPXE_PACKET_ERROR
soak_rss_verdict "kea-dhcp4" "$DURATION" "$T_TMP/rss"

status=ok
[ "$T_FAILED" -ne 0 ] && status=FAILED
rate=$(awk -v n="$leases" -v s="$elapsed" 'BEGIN { printf "%.0f", n / s }')
printf '# kea soak: %ss, %s leases (%s/s), %s answers, %s wrong, %s reloads (%s taken, %s broken refused), %s timeouts, RSS %s kB first %ss, %s kB last %ss (%s%%): %s\n' \
    "$elapsed" "$leases" "$rate" "$answers" "$wrong" "$reloads" "$taken" \
    "$refused" "$timeouts" "$RSS_FIRST" "$RSS_WINDOW" "$RSS_LAST" "$RSS_WINDOW" \
    "$RSS_GROWTH" "$status"
t_done
