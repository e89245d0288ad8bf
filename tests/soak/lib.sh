# tests/soak/lib.sh - RSS sampling and its verdict, for the soak suites
# (sourced after tests/lib.sh).
#
# The RSS (VmRSS of /proc/PID/status) is sampled every SOAK_SAMPLE seconds.
# The verdict compares the highest sample of the first window with the
# highest of the last: windows of a minute for runs of 5 minutes and more,
# of a fifth of the run below.  Under 200 s the first window is still the
# servers' warm-up (Kea's pools; nginx frees an old cycle 30 s after a
# reload), so the figures are printed and the check is skipped, not passed.

SOAK_SAMPLE=2

# soak_rss_sample PID DEADLINE FILE: "SECONDS-SINCE-START kB" lines until
# DEADLINE (a $SECONDS value) or until PID is gone.  Run it in background.
soak_rss_sample() {
    local pid=$1 deadline=$2 file=$3 start=$SECONDS rss
    while [ $SECONDS -lt "$deadline" ] && kill -0 "$pid" 2>/dev/null; do
        rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
        [ -n "$rss" ] && echo "$((SECONDS - start)) $rss" >>"$file"
        sleep "$SOAK_SAMPLE"
    done
}

# soak_rss_verdict NAME DURATION FILE: the TAP line; sets RSS_FIRST,
# RSS_LAST (kB), RSS_GROWTH (%, signed) and RSS_WINDOW (s).
soak_rss_verdict() {
    local name=$1 duration=$2 file=$3 last_t
    RSS_WINDOW=60
    [ "$duration" -lt 300 ] && RSS_WINDOW=$((duration / 5))
    [ "$RSS_WINDOW" -lt "$SOAK_SAMPLE" ] && RSS_WINDOW=$SOAK_SAMPLE
    last_t=$(tail -1 "$file" 2>/dev/null | cut -d' ' -f1)
    RSS_FIRST=$(awk -v w="$RSS_WINDOW" '$1 < w && $2 > m { m = $2 } END { print m + 0 }' "$file")
    RSS_LAST=$(awk -v w="$RSS_WINDOW" -v l="${last_t:-0}" \
        '$1 > l - w && $2 > m { m = $2 } END { print m + 0 }' "$file")
    RSS_GROWTH=$(awk -v a="$RSS_FIRST" -v b="$RSS_LAST" \
        'BEGIN { if (a > 0) printf "%+.1f", (b - a) * 100 / a; else print "?" }')
    name="$name RSS growth under 5% ($RSS_FIRST kB -> $RSS_LAST kB, $RSS_GROWTH%)"
    if [ "$duration" -lt 200 ]; then
        t_skip "$name" "a run under 200 s measures the warm-up"
    elif awk -v g="$RSS_GROWTH" 'BEGIN { exit !(g != "?" && g + 0 < 5) }'; then
        t_ok "$name"
    else
        t_fail "$name" "samples (s kB): $(tr '\n' ' ' <"$file")"
    fi
}
