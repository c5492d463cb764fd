#!/usr/bin/env bash
# Installs the Debian packages parts of `make test` need, when it can (root
# with apt-get); otherwise lists the missing ones and how to get them. It
# never fails: each part that lacks its package skips, saying which.
#   qemu-user        arm64 (NEON) tests under qemu      make test-arm64
#   libopenblas-dev  the OpenBLAS cross-check           make test-openblas
#   python3-numpy    numpy reads zofo's .npz weights    nn tests
#   python3-torch    README's PyTorch snippet, the race script's names
#   slurm-wlm munge  the one-node cluster               make test-slurm
set -u
packages=(qemu-user libopenblas-dev python3-numpy python3-torch slurm-wlm munge)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null && exit 0
	echo "apt-get could not install ${missing[*]}; the parts that need them skip" >&2
	exit 0
fi
echo "missing: ${missing[*]}; the parts that need them skip (as root: apt-get install ${missing[*]})" >&2
