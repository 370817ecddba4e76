#!/usr/bin/env bash
# Builds and runs the peer engines of shared/peers/ (plain C++ priority_queue, ns-3 if Debian's
# libns3-dev is installed) next to drlsim-bench, in one session, so ratios are comparable.
# usage: Benchmarks/run-peers.sh [PEERS_DIR]   (default ../shared/peers)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
peers=${1:-$here/../shared/peers}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$peers"/*.h "$peers"/*.cc "$work"/
command -v g++ >/dev/null || { echo "g++ is needed" >&2; exit 2; }
(cd "$here" && swift build -c release --product drlsim-bench >/dev/null)
bench="$here/.build/release/drlsim-bench"
g++ -O2 -march=native -o "$work/mm1_pq" "$work/mm1_pq.cc"
g++ -O2 -march=native -o "$work/hold_pq" "$work/hold_pq.cc"
have_ns3=0
hdr=$(ls /usr/include/ns3*/core-module.h /usr/include/ns3*/ns3/core-module.h 2>/dev/null | head -1 || true)
lib=$(ls /usr/lib/*/libns3*-core*.so /usr/lib/*/libns3-core.so 2>/dev/null | head -1 || true)
if [ -n "$hdr" ] && [ -n "$lib" ]; then
  inc=$(dirname "$(dirname "$hdr")")
  g++ -O2 -march=native -std=c++17 -I"$inc" -o "$work/mm1_ns3" "$work/mm1_ns3.cc" "$lib" && \
  g++ -O2 -march=native -std=c++17 -I"$inc" -o "$work/hold_ns3" "$work/hold_ns3.cc" "$lib" && have_ns3=1
fi
for rep in 1 2 3; do
  echo "# round $rep"
  "$bench" mm1 1000000
  "$work/mm1_pq" 1000000
  [ $have_ns3 = 1 ] && "$work/mm1_ns3" 1000000 ns3::PriorityQueueScheduler
  for k in 10 1000 100000; do
    "$bench" hold $k 2000000
    "$work/hold_pq" $k 2000000 plain
    [ $have_ns3 = 1 ] && "$work/hold_ns3" $k 2000000 ns3::PriorityQueueScheduler
  done
done
