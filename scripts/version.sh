#!/bin/sh
# version.sh: prints scalprof's version, set once here for both programs
# (the Makefile builds it into daemon/base/version.c). From a release tag
# vX.Y: "X.Y", or "X.Y-N-gHASH" N commits after it; in a checkout without
# tags: "0.1-gHASH"; "-dirty" when the work tree has changes; outside git
# (a tarball): the fallback "0.1".
fallback=0.1
cd "$(dirname "$0")/.." || { echo "$fallback"; exit 0; }
if v=$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null); then
	echo "${v#v}"
elif h=$(git describe --always --dirty 2>/dev/null); then
	echo "$fallback-g$h"
else
	echo "$fallback"
fi
