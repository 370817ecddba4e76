#!/usr/bin/env bash
# The estate benchmark (issue 16 item 5): runs Scenarios/scale/estate.yaml (1000 VMs, a simulated
# day, wan.model: flow) with one worker and reports wall time, peak memory (max RSS from
# /usr/bin/time -v) and the events simulated. Goal: < 60 s and < 2 GB on the 2-core build machine.
# Not a timed test: run it by hand after a release build.
# usage: Benchmarks/estate.sh [SCENARIO] [extra drlsim run options...]
#        (default Scenarios/scale/estate.yaml; e.g. --set duration=6h for a quicker look)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
scenario=${1:-$here/Scenarios/scale/estate.yaml}
shift || true
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) is needed for the peak memory" >&2; exit 2; }
(cd "$here" && swift build -c release --product drlsim >/dev/null)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
/usr/bin/time -v "$here/.build/release/drlsim" run "$scenario" --jobs 1 --progress none --out "$out/estate" "$@" \
  2> "$out/time.txt"
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out/time.txt")
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/time.txt")
echo "scenario: $scenario"
echo "wall (h:mm:ss or m:ss): $wall"
echo "peak memory: $((rss / 1024)) MiB"
if [ -f "$out/estate/timing.csv" ]; then
  echo "timing.csv:"; cat "$out/estate/timing.csv"
fi
for t in rpo recovery writes replication traffic; do
  [ -f "$out/estate/$t.csv" ] && echo "$t.csv: $(($(wc -l < "$out/estate/$t.csv") - 1)) rows"
done
