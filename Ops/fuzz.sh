#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers that read untrusted bytes (libFuzzer + AddressSanitizer).
#
#   Ops/fuzz.sh TARGET [SECONDS [RUNS]]   TARGET: wire | journal | predict-input | xgboost | all
#
# With RUNS, it stops after that many inputs instead (the long runs of README: 10000000).
# FUZZ_OPTIMIZATION=-Onone builds faster and runs slower (CI's short runs).
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
    all) for each in wire journal predict-input xgboost; do bash "$0" "$each" "$seconds" $runs; done; exit 0 ;;
    wire) modules=(PropcastErrors PropcastDigest PropcastXGBoost PropcastModels PropcastTLS PropcastWire PropcastJournal)
          extra=(Sources/PropcastCoordinator/AnswerValidator.swift); logging=0 ;;
    journal) modules=(PropcastDigest PropcastXGBoost PropcastModels PropcastJournal); logging=1
             max_len=8192 ;;  # a dozen lines: the rules are per line and between neighbours
    predict-input) modules=(PropcastDigest PropcastXGBoost PropcastModels); logging=0 ;;
    xgboost) modules=(PropcastDigest PropcastXGBoost); logging=0 ;;
    *) echo "usage: Ops/fuzz.sh journal|predict-input|xgboost|all [SECONDS]" >&2; exit 2 ;;
esac
max_len="${max_len:-65536}"
extra=("${extra[@]:-}")
[ -z "${extra[0]}" ] && extra=()
work=".build-fuzz/$target"
rm -rf "$work/src"
mkdir -p "$work/src" "$work/corpus" "$work/crashes" "$work/seeds"
for module in "${modules[@]}"; do
    find Sources/"$module" -name '*.swift' | while IFS= read -r file; do
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
for file in "${extra[@]}"; do sed -E '/^import Propcast[A-Za-z]+$/d' "$file" > "$work/src/extra_$(basename "$file")"; done
if [ "$target" = wire ]; then
    # NIO, SwiftProtobuf and swift-log as the SwiftPM debug build made them (not instrumented:
    # they are not what is fuzzed): their modules, C module maps and object files.
    [ -d .build/debug/NIOEmbedded.build ] || swift build --build-tests >/dev/null
    link=(-I .build/debug/Modules)
    for map in .build/debug/*.build/module.modulemap .build/checkouts/*/Sources/*/include/module.modulemap; do
        link+=(-Xcc "-fmodule-map-file=$map")
    done
    for dependency in SwiftProtobuf NIOCore NIOPosix NIOEmbedded NIOExtras NIOConcurrencyHelpers _NIODataStructures \
        _NIOBase64 CNIOLinux CNIOPosix CNIOAtomics CNIODarwin CNIOWindows CNIOWASI CNIOOpenBSD CNIOFreeBSD \
        NIOHTTP1 CNIOLLHTTP ContainersPreview Atomics _AtomicsShims DequeModule InternalCollectionsUtilities Logging; do
        [ -d ".build/debug/$dependency.build" ] || continue
        while IFS= read -r object; do link+=("$object"); done < <(find ".build/debug/$dependency.build" -name '*.o')
    done
fi

# Seeds: what these parsers read in real use.
case "$target" in
    wire)
        # The golden vectors of Protocols/vectors: framed envelopes (length prefix included).
        for hex in Protocols/vectors/*.hex; do
            python3 -c "import sys; sys.stdout.buffer.write(bytes.fromhex(''.join(open(sys.argv[1]).read().split())))" "$hex" \
                > "$work/seeds/$(basename "$hex" .hex).frame"
        done ;;
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
swiftc -sanitize=fuzzer,address -parse-as-library -g "${FUZZ_OPTIMIZATION:--O}" -swift-version 6 -module-name "Fuzz" -package-name propcast \
    -I Sources/COpenSSL "${link[@]}" "$work"/src/*.swift -lcrypto -o "$work/fuzz" 2> "$work/build.log" \
    || { cat "$work/build.log" >&2; exit 2; }
grep -i "warning" "$work/build.log" | grep -v "Cannot export local symbol .__asan" >&2 || true

echo "fuzz.sh: running $target for ${runs:-${seconds}s} ${runs:+inputs} (corpus $work/corpus, crashes kept in $work/crashes/)" >&2
set +e
ASAN_OPTIONS=detect_leaks=0 FUZZ_MODELS=Ops/models "$work/fuzz" "$work/corpus" "$work/seeds" \
    "${limit[@]}" -artifact_prefix="$work/crashes/" -print_final_stats=1 -max_len="$max_len" \
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
