#!/bin/bash
# tests/fuzz/run.sh - run each libFuzzer target for FUZZ_SECONDS (default
# 10) under ASan+UBSan, starting from the seed corpus in git.  New inputs
# go to a scratch directory; crashes fail the case and are kept in
# build/tests/fuzz-artifacts/ for a regression test.
. "$(dirname "$0")/../lib.sh"

seconds=${FUZZ_SECONDS:-10}
tmp=$(t_tmpdir)
artifacts=$T_BUILD/tests/fuzz-artifacts
mkdir -p "$artifacts"

for target in config mac dhcp; do
    bin=$T_BUILD/tests/fuzz_$target
    mkdir -p "$tmp/$target"
    if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
           -dict="$T_ROOT/tests/fuzz/$target.dict" \
           -artifact_prefix="$artifacts/$target-" \
           "$tmp/$target" "$T_ROOT/tests/fuzz/corpus/$target" \
           >"$tmp/$target.log" 2>&1; then
        execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' \
                "$tmp/$target.log" | grep -Eo '[0-9]+$')
        [ -z "$execs" ] && execs=$(grep -Eo 'Done [0-9]+ runs' "$tmp/$target.log" | grep -Eo '[0-9]+')
        t_ok "fuzz_$target: ${seconds}s, ${execs:-?} executions, no findings"
    else
        t_fail "fuzz_$target: finding (artifacts in $artifacts)" \
            "$(grep -E 'ERROR|SUMMARY|Test unit written' "$tmp/$target.log" | head -5)"
    fi
done

t_done
