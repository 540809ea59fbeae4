#!/bin/bash
# t0950-install: `make install` with DESTDIR and PREFIX puts the program,
# scalprof-kernels, the man pages, the campaigns and the Python programs in
# place (campaigns still find their Python programs there), and
# `make uninstall` removes them all; scalprofd, its units, sysusers and
# tmpfiles entries and its default configuration (never overwritten, and
# kept by uninstall once edited).
. "$(dirname "$0")/lib/test-lib.sh"

D=$TMP/root
make -s -C "$SRC_DIR" install DESTDIR="$D" PREFIX=/opt/sp SANITIZE="${SANITIZE:-}" >make.out 2>&1
is "$?" 0 "make install succeeds"
for f in bin/scalprof sbin/scalprofd libexec/scalprof/scalprof-kernels share/man/man1/scalprof.1 \
	share/man/man5/scalprof.yaml.5 share/man/man7/scalprof-db.7 share/man/man7/scalprof-verdict.7 \
	share/man/man8/scalprofd.8 share/scalprof/config/campaigns/seed-002-lists.yaml \
	share/scalprof/workloads/python/seed002.py lib/systemd/system/scalprofd.service \
	lib/systemd/system/scalprofd.socket lib/sysusers.d/scalprof.conf lib/tmpfiles.d/scalprof.conf; do
	ok "[ -f '$D/opt/sp/$f' ]" "installed $f"
done
ok "[ -f '$D/etc/scalprof/scalprofd.yaml' ]" "installed the default configuration in /etc/scalprof"
like "$(grep ^ExecStart= "$D/opt/sp/lib/systemd/system/scalprofd.service")" \
	"^ExecStart=/opt/sp/sbin/scalprofd --config /etc/scalprof/scalprofd.yaml" "the unit runs the installed scalprofd"
echo "group: root # edited" >>"$D/etc/scalprof/scalprofd.yaml"
make -s -C "$SRC_DIR" install DESTDIR="$D" PREFIX=/opt/sp SANITIZE="${SANITIZE:-}" >make.out 2>&1
ok "grep -q edited '$D/etc/scalprof/scalprofd.yaml'" "a second install keeps the administrator's configuration"
ok "[ -x '$D/opt/sp/bin/scalprof' ] && [ -x '$D/opt/sp/libexec/scalprof/scalprof-kernels' ]" "programs are executable"
SCALPROF_KERNELS=$D/opt/sp/libexec/scalprof/scalprof-kernels \
	"$D/opt/sp/bin/scalprof" check "$D/opt/sp/share/scalprof/config/campaigns/seed-002-lists.yaml" >out 2>err
is "$?" 0 "an installed campaign validates against the installed programs"
"$D/opt/sp/bin/scalprof" check "$D/opt/sp/share/scalprof/config/campaigns/seed-002-lists.yaml" >out 2>err
is "$?" 0 "without SCALPROF_KERNELS it finds ../libexec/scalprof from its own directory"
make -s -C "$SRC_DIR" uninstall DESTDIR="$D" PREFIX=/opt/sp SANITIZE="${SANITIZE:-}" >make.out 2>&1
is "$?" 0 "make uninstall succeeds"
is "$(find "$D" -type f | grep -v /etc/scalprof/scalprofd.yaml | wc -l)" 0 \
	"and leaves no file behind but the edited configuration"
done_testing
