#!/usr/bin/env bash
# Runs each libFuzzer target for a set time: `fuzz/run.sh SECONDS TARGET...` (what `make fuzz`
# calls after building the targets with -sanitize=fuzzer,address into .build/fuzz).
#
# Each target starts from a copy of its seed corpus (fuzz/corpus/<target>) plus the inputs that
# once failed (fuzz/regressions/<target>) in .build/fuzz/corpus/<target>, which keeps growing
# from run to run; the seeds in the repository are never modified. A crashing input is saved as
# fuzz/crashes/<target>-crash-<sha1>: turn it into a regression (see FUZZING.md). Prints one
# summary line per target and exits non-zero if any target crashed.
set -uo pipefail

seconds=${1:?usage: fuzz/run.sh SECONDS TARGET...}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$root" && SELFMOA_FUZZ=1 swift build --scratch-path .build/fuzz --show-bin-path 2>/dev/null)
mkdir -p "$root/fuzz/crashes"
failed=0
summary=()
for target in "$@"; do
    work="$root/.build/fuzz/corpus/$target"
    mkdir -p "$work"
    for source in "$root/fuzz/corpus/$target" "$root/fuzz/regressions/$target"; do
        [ -d "$source" ] && cp -n "$source"/* "$work"/ 2>/dev/null
    done
    log="$root/.build/fuzz/$target.log"
    echo "== fuzz-$target for ${seconds}s (log: $log)"
    # Swift's runtime keeps caches for the life of the process; leak detection per input would
    # report them, so LeakSanitizer is off (the load tests watch memory instead). Nothing is
    # suppressed: every AddressSanitizer report stops the fuzzer.
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
        "$bin/fuzz-$target" -max_total_time="$seconds" -print_final_stats=1 -detect_leaks=0 \
        -rss_limit_mb=3072 -timeout=20 -max_len=65536 \
        -artifact_prefix="$root/fuzz/crashes/$target-" "$work" >"$log" 2>&1
    status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    crashes=$(ls "$root/fuzz/crashes/" 2>/dev/null | grep -c "^$target-" || true)
    corpus=$(ls "$work" | wc -l)
    line="fuzz-$target: ${runs:-0} executions in ${seconds}s, corpus $corpus inputs, exit $status, crash files $crashes"
    echo "$line"
    summary+=("$line")
    if [ "$status" -ne 0 ]; then
        failed=1
        grep -E 'VIOLATION|ERROR: AddressSanitizer|Fatal error|SUMMARY' "$log" | head -20
    fi
done
echo
printf '%s\n' "${summary[@]}"
exit $failed
