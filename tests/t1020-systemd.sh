#!/bin/bash
# t1020-systemd: the units as `make install` writes them pass
# `systemd-analyze verify`, and `systemd-analyze security --offline=true`
# rates the service's exposure; the score is printed and must stay at or
# below 2.8 (its value before issue 17), so that a change that loosens the
# sandbox shows here.
. "$(dirname "$0")/lib/test-lib.sh"

require cmd systemd-analyze
SBIN=$(dirname "$SCALPROF")
sed "s|@SBINDIR@|$SBIN|g; s|@SYSCONFDIR@|/etc|g" "$SRC_DIR/config/systemd/scalprofd.service.in" >scalprofd.service
cp "$SRC_DIR/config/systemd/scalprofd.socket" .
systemd-analyze verify --man=no ./scalprofd.service ./scalprofd.socket >verify.out 2>&1
is "$?" 0 "systemd-analyze verify accepts scalprofd.service and scalprofd.socket"
[ -s verify.out ] && sed 's/^/# /' verify.out
systemd-analyze security --offline=true ./scalprofd.service >security.out 2>&1
score=$(sed -n 's/.*Overall exposure level for scalprofd.service: \([0-9.]*\).*/\1/p' security.out)
echo "# systemd-analyze security: $(grep 'Overall exposure' security.out)"
ok "[ -n '$score' ] && awk 'BEGIN { exit !($score <= 2.8) }'" "exposure score $score is at most 2.8 (issue 17: no higher than before its fixes)"
like "$(grep -c '^Type=notify' scalprofd.service)" 1 "the service is Type=notify"
like "$(cat scalprofd.service)" "ExecReload=/bin/kill -HUP \\\$MAINPID" "reload is SIGHUP"
for f in scalprof.sysusers scalprof.tmpfiles; do
	ok "[ -s '$SRC_DIR/config/systemd/$f' ]" "$f is there"
done
if have cmd systemd-sysusers; then
	systemd-sysusers --dry-run "$SRC_DIR/config/systemd/scalprof.sysusers" >sysusers.out 2>&1
	is "$?" 0 "systemd-sysusers reads the sysusers entry"
else
	skip "$why"
fi
if have cmd systemd-tmpfiles; then
	# an image root whose group database has the group sysusers would make
	mkdir -p root/etc
	printf 'root:x:0:\nscalprof:x:990:\n' >root/etc/group
	printf 'root:x:0:0:root:/root:/bin/sh\n' >root/etc/passwd
	systemd-tmpfiles --root="$TMP/root" --create "$SRC_DIR/config/systemd/scalprof.tmpfiles" >tmpfiles.out 2>&1
	ok "[ -d root/var/lib/scalprof ] && [ -d root/run/scalprof ]" "systemd-tmpfiles creates the directories"
	is "$(stat -c '%a %g' root/var/lib/scalprof)" "2750 990" "the database directory is the group's, set-group-ID"
	is "$(stat -c '%a %g' root/run/scalprof)" "750 990" "the socket's directory lets the group in"
	is "$(stat -c '%a %U' root/run/lock/scalprof.lock)" "644 root" "the experiment lock file is root's, not writable by others"
else
	skip "$why" 4
fi
done_testing
