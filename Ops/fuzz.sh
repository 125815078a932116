#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers that read untrusted bytes (libFuzzer + AddressSanitizer).
#
#   Ops/fuzz.sh TARGET [SECONDS [RUNS]]   TARGET: journal | predict-input | xgboost | all
#
# With RUNS, it stops after that many inputs instead (the long runs of README: 10000000).
#
# Builds Tests/Fuzz/TARGET with `swiftc -sanitize=fuzzer,address` together with the sources of
# the library modules it exercises (one module, their `import Propcast…` lines dropped), seeds a
# corpus from the repository (Protocols/vectors, real journals, Ops/models, the parity inputs)
# and runs for SECONDS (default 60). A crash, a trap or a leak-free ASan report fails the run
# (exit 1) and its input is kept in .build-fuzz/TARGET/crashes/. Figures: libFuzzer's final stats.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
target="${1:-}"
seconds="${2:-60}"
runs="${3:-}"
limit=(-max_total_time="$seconds")
[ -n "$runs" ] && limit=(-runs="$runs")
case "$target" in
    all) for each in journal predict-input xgboost; do bash "$0" "$each" "$seconds" $runs; done; exit 0 ;;
    journal) modules=(PropcastDigest PropcastXGBoost PropcastModels PropcastJournal); logging=1 ;;
    predict-input) modules=(PropcastDigest PropcastXGBoost PropcastModels); logging=0 ;;
    xgboost) modules=(PropcastDigest PropcastXGBoost); logging=0 ;;
    *) echo "usage: Ops/fuzz.sh journal|predict-input|xgboost|all [SECONDS]" >&2; exit 2 ;;
esac
work=".build-fuzz/$target"
rm -rf "$work/src"
mkdir -p "$work/src" "$work/corpus" "$work/crashes" "$work/seeds"
for module in "${modules[@]}"; do
    for file in Sources/"$module"/*.swift; do
        sed -E '/^(@testable )?import Propcast[A-Za-z]+$/d' "$file" > "$work/src/${module}_$(basename "$file")"
    done
done
link=()
if [ "$logging" = 1 ]; then
    # swift-log as a module of its own (not instrumented: it is not what is fuzzed).
    [ -d .build/checkouts/swift-log ] || swift package resolve >/dev/null
    mkdir -p "$work/modules"
    swiftc -parse-as-library -O -swift-version 5 -module-name Logging -package-name swift_log -emit-module \
        -emit-module-path "$work/modules/Logging.swiftmodule" -emit-library -static -o "$work/modules/libLogging.a" \
        $(find .build/checkouts/swift-log/Sources/Logging -name '*.swift') 2> "$work/logging-build.log" \
        || { cat "$work/logging-build.log" >&2; exit 2; }
    link=(-I "$work/modules" -L "$work/modules" -lLogging)
fi
cp Tests/Fuzz/"$target"/*.swift "$work/src/"

# Seeds: what these parsers read in real use.
case "$target" in
    journal)
        bin=".build-fuzz/seed-journal"
        rm -rf "$bin"; mkdir -p "$bin"
        if [ -x .build/debug/propcast ]; then
            .build/debug/propcast journal stress-append --dir "$bin" --date 2024-11-05 --count 12 >/dev/null
            cp "$bin/2024-11-05.journal" "$work/seeds/stress.journal"
        fi
        cp Tests/Fuzz/journal/seeds/* "$work/seeds/" ;;
    predict-input)
        cp Tests/Fuzz/predict-input/seeds/*.json "$work/seeds/"  # three of ../shared/parity/cases.json
        printf '%s' '{"player_lookup":"a","game_date":"2025-01-15","game_id":"g","features":{"points_avg_last_5":20},"feature_quality_score":90,"data_source":"phase4","line_values":[20.5],"recent_games":[]}' \
            > "$work/seeds/minimal.json" ;;
    xgboost)
        # Small models: libFuzzer mutates within -max_len, and the committed model is 1.5 MB.
        cp Tests/Fuzz/xgboost/seeds/*.json "$work/seeds/" ;;
esac

echo "fuzz.sh: building $target ($(ls "$work/src" | wc -l) files)" >&2
swiftc -sanitize=fuzzer,address -parse-as-library -g -O -swift-version 6 -module-name "Fuzz" \
    -I Sources/COpenSSL "${link[@]}" "$work"/src/*.swift -lcrypto -o "$work/fuzz" 2> "$work/build.log" \
    || { cat "$work/build.log" >&2; exit 2; }
grep -i "warning" "$work/build.log" | grep -v "Cannot export local symbol .__asan" >&2 || true

echo "fuzz.sh: running $target for ${runs:-${seconds}s} ${runs:+inputs} (corpus $work/corpus, crashes kept in $work/crashes/)" >&2
set +e
ASAN_OPTIONS=detect_leaks=0 FUZZ_MODELS=Ops/models "$work/fuzz" "$work/corpus" "$work/seeds" \
    "${limit[@]}" -artifact_prefix="$work/crashes/" -print_final_stats=1 -max_len=65536 \
    -rss_limit_mb=4096 2> "$work/run.log"
status=$?
set -e
grep -E "^(stat::|#[0-9]+ +DONE|Done [0-9]+ runs)" "$work/run.log" >&2 || tail -5 "$work/run.log" >&2
if [ "$status" -ne 0 ]; then
    echo "fuzz.sh: $target FAILED (exit $status); input kept in $work/crashes/:" >&2
    ls -la "$work/crashes/" >&2
    grep -A 20 "ERROR\|Fatal error\|==ERROR" "$work/run.log" | head -40 >&2
    exit 1
fi
echo "fuzz.sh: $target passed" >&2
