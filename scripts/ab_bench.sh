#!/bin/bash
# ab_bench.sh OLD_REF OUT [harness bench flags...]
#
# Times the harness at commit OLD_REF against the working tree, side by
# side in one run: the two binaries alternate, three epochs each per turn,
# for 2 turns per setting, so host noise falls on both alike. It writes
# OUT/old.txt, OUT/new.txt (harness bench format), OUT/benchstat.txt, and
# OUT/crosscore.txt (go test -bench CrossCore before and after: how costly
# moving data between the cores was during the run). The flags go to
# `harness bench` as given; THREADS (default "1 2") and DISTS (default
# "rademacher gaussian") are the settings to cross them with.
set -euo pipefail
old_ref=${1:?usage: ab_bench.sh OLD_REF OUT [harness bench flags...]}
out=${2:?usage: ab_bench.sh OLD_REF OUT [harness bench flags...]}
shift 2
root=$(git rev-parse --show-toplevel)
tmp=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$tmp/old" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git -C "$root" worktree add --detach "$tmp/old" "$old_ref" >/dev/null
(cd "$tmp/old" && go build -o "$tmp/harness-old" ./harness)
(cd "$root" && go build -o "$tmp/harness-new" ./harness)
mkdir -p "$out"
rm -f "$out/old.txt" "$out/new.txt"
crosscore() { (cd "$root" && go test -run '^$' -bench CrossCore -count 3 ./kernels | grep '^Benchmark') >> "$out/crosscore.txt"; }
: > "$out/crosscore.txt"
crosscore
for turn in 1 2; do
	for dist in ${DISTS:-rademacher gaussian}; do
		for threads in ${THREADS:-1 2}; do
			for v in old new; do
				"$tmp/harness-$v" bench --dist "$dist" --threads "$threads" --count 3 --out "$tmp/run" "$@" >/dev/null
				grep -v '^$' "$tmp/run/bench.txt" | sed "s|/impl=zofo|/dist=$dist/threads=$threads/impl=zofo|" >> "$out/$v.txt"
			done
		done
	done
done
crosscore
(cd "$root" && go tool benchstat -filter '.unit:sec/epoch' "$out/old.txt" "$out/new.txt") | tee "$out/benchstat.txt"
