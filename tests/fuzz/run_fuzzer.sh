#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time on a temporary copy of its committed corpus
# (new inputs never land in the repository). Fails on any crash, leak, UBSan report, timeout or
# out-of-memory; the reproducer is kept as ARTIFACT_DIR/<target>-crash-<sha1>.
#
#   run_fuzzer.sh BINARY CORPUS_DIR SECONDS ARTIFACT_DIR [DICT[:DICT...]] [libFuzzer flags...]
#
# libFuzzer takes one -dict, so several dictionaries are concatenated into the temporary dir.
set -euo pipefail
binary=$1 corpus=$2 seconds=$3 artifacts=$4 dicts=${5:-}
shift 4
[ $# -gt 0 ] && shift
name=$(basename "$binary")

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

work=$(mktemp -d "${TMPDIR:-/tmp}/${name}.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$artifacts"
if [ -d "$corpus" ]; then cp -r "$corpus/." "$work/corpus/"; fi

flags=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
       -artifact_prefix="$artifacts/$name-")
if [ -n "$dicts" ]; then
  IFS=: read -r -a dict_files <<< "$dicts"
  cat "${dict_files[@]}" > "$work/fuzz.dict"
  flags+=(-dict="$work/fuzz.dict")
fi
echo "run_fuzzer: $name for ${seconds}s, $(ls "$work/corpus" | wc -l) seed inputs"
rc=0
"$binary" "${flags[@]}" "$@" "$work/corpus" || rc=$?
if [ "$rc" -ne 0 ]; then
  echo "run_fuzzer: $name FAILED (exit $rc); reproducer(s):" $(ls "$artifacts" | grep "^$name-" || true) >&2
fi
exit "$rc"
