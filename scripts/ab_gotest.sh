#!/bin/bash
# ab_gotest.sh OLD_REF OUT PKG BENCH [BENCHTIME]
#
# Runs the Go benchmarks BENCH of package PKG at commit OLD_REF against the
# working tree, side by side: the two test binaries alternate, one sample
# each per turn, COUNT turns (default 6), so host noise falls on both
# alike. The old binary is built with the working tree's test files of
# PKG (a benchmark added since OLD_REF runs on both). It writes OUT/old.txt,
# OUT/new.txt and OUT/benchstat.txt.
set -euo pipefail
usage="usage: ab_gotest.sh OLD_REF OUT PKG BENCH [BENCHTIME]"
old_ref=${1:?$usage}
out=${2:?$usage}
pkg=${3:?$usage}
bench=${4:?$usage}
benchtime=${5:-1x}
root=$(git rev-parse --show-toplevel)
tmp=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$tmp/old" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git -C "$root" worktree add --detach "$tmp/old" "$old_ref" >/dev/null
cp "$root/$pkg"/*_test.go "$tmp/old/$pkg/"
(cd "$tmp/old" && go test -c -o "$tmp/old.test" "./$pkg")
(cd "$root" && go test -c -o "$tmp/new.test" "./$pkg")
mkdir -p "$out"
: > "$out/old.txt"
: > "$out/new.txt"
for turn in $(seq "${COUNT:-6}"); do
	for v in old new; do # run in the package directory, as go test does
		(cd "$root/$pkg" && "$tmp/$v.test" -test.run '^$' -test.bench "$bench" -test.benchtime "$benchtime") >> "$out/$v.txt"
	done
done
(cd "$root" && go tool benchstat "$out/old.txt" "$out/new.txt") | tee "$out/benchstat.txt"
