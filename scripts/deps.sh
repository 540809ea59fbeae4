#!/bin/sh
# deps.sh: install the Debian packages scalprof needs to build, run and be
# tested, and only those that are missing. Run by `make deps` (and so by
# `make demo` and `make check`); needs root or sudo when something is missing.
set -eu

PKGS="build-essential pkg-config libpfm4-dev libcyaml-dev libyaml-dev
libsqlite3-dev sqlite3 libhwloc-dev hwloc libssl-dev linux-perf mandoc
perl python3 procps util-linux libjson-c-dev gnuplot-nox
libsystemd-dev systemd libdw-dev chromium"

# (chromium: the tests look at the plots in a real browser, headless)
# `deps.sh bench` adds what the benchmarks compare against
[ "${1:-}" = bench ] && PKGS="$PKGS likwid time"
# `deps.sh valgrind` adds what check-valgrind runs under
[ "${1:-}" = valgrind ] && PKGS="$PKGS valgrind"
# `deps.sh fuzz` adds libFuzzer and the sanitizers' runtime (make fuzz)
[ "${1:-}" = fuzz ] && PKGS="$PKGS clang libclang-rt-14-dev"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "deps: missing packages:$missing; run as root or install sudo" >&2
    exit 1
fi
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
