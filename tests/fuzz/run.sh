#!/bin/bash
# tests/fuzz/run.sh - run every libFuzzer target (tests/fuzz/fuzz_*.c) for
# FUZZ_SECONDS (default 10) under ASan+UBSan, starting from its seed
# corpus in git and its dictionary.  Targets run FUZZ_JOBS at a time
# (default: one per core).  New inputs go to a scratch directory; a crash,
# leak, timeout or out-of-memory fails the target's case and is kept in
# build/tests/fuzz-artifacts/ for a regression test (a unit-test row and a
# seed in tests/fuzz/corpus/TARGET/).  One line per target gives its
# executions and findings.
. "$(dirname "$0")/../lib.sh"

seconds=${FUZZ_SECONDS:-10}
jobs=${FUZZ_JOBS:-$(nproc)}
tmp=$(t_tmpdir)
artifacts=$T_BUILD/tests/fuzz-artifacts
mkdir -p "$artifacts"
touch "$tmp/stamp"

# FUZZ_ONLY="config dhcp": just those targets
targets=()
for src in "$T_ROOT"/tests/fuzz/fuzz_*.c; do
    t=$(basename "$src" .c)
    t=${t#fuzz_}
    case " ${FUZZ_ONLY:-$t} " in *" $t "*) targets+=("$t") ;; esac
done

# fuzz TARGET: one libFuzzer run; its output in $tmp/TARGET.log.
fuzz() {
    local target=$1
    mkdir -p "$tmp/$target"
    "$T_BUILD/tests/fuzz_$target" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 \
        -dict="$T_ROOT/tests/fuzz/$target.dict" \
        -artifact_prefix="$artifacts/$target-" \
        "$tmp/$target" "$T_ROOT/tests/fuzz/corpus/$target" \
        >"$tmp/$target.log" 2>&1
    echo $? >"$tmp/$target.rc"
}

running=0
for target in "${targets[@]}"; do
    if [ ! -x "$T_BUILD/tests/fuzz_$target" ]; then
        echo 127 >"$tmp/$target.rc"
        continue
    fi
    fuzz "$target" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

total=0 findings=0
for target in "${targets[@]}"; do
    rc=$(cat "$tmp/$target.rc")
    log=$tmp/$target.log
    execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" 2>/dev/null |
            grep -Eo '[0-9]+$')
    [ -z "$execs" ] && execs=$(grep -Eo 'Done [0-9]+ runs' "$log" 2>/dev/null |
                               grep -Eo '[0-9]+')
    found=$(find "$artifacts" -maxdepth 1 -newer "$tmp/stamp" \
                -name "$target-*" | wc -l)
    [ "$rc" -ne 0 ] && [ "$found" -eq 0 ] && found=1
    total=$((total + ${execs:-0}))
    findings=$((findings + found))
    if [ "$rc" -eq 0 ] && [ "$found" -eq 0 ]; then
        t_ok "fuzz_$target: ${seconds}s, ${execs:-?} executions, 0 findings"
    else
        t_fail "fuzz_$target: ${seconds}s, ${execs:-?} executions, $found finding(s) (exit $rc, artifacts in $artifacts)" \
            "$(grep -E 'ERROR|SUMMARY|Test unit written|No such file' "$log" | head -5)"
    fi
done
echo "# fuzz: ${#targets[@]} targets, ${seconds}s each, $total executions, $findings findings"

t_done
