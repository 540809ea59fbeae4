# members.sh: sourced after test-lib.sh and daemon.sh by the tests that
# attack scalprofd as its own users would (t1061-t1066). Creates, for this
# test file only, a group and three users, and removes them at exit:
#
#   $MG        the group allowed to submit (configure the daemon with it)
#   $ALICE     a member, with a home directory of mode 0700 ($ALICE_HOME)
#   $BOB       another member ($BOB_HOME, 0700)
#   $EVE       an outsider: not in $MG
#   as USER CMD...   runs CMD as USER with USER's own groups (setpriv)
#   $RUN       a directory for the daemon's socket that only root and $MG
#              reach (0750): daemon_config "$MG" "$RUN/sock"
#
# Names are short and carry the test's number (sp<NNNN>a, ...), so that two
# test files never share a user. Needs root, useradd and setpriv.
require root "to create users"
require cmd useradd "passwd"
require cmd setpriv "util-linux"

_mnum=$(basename "$0" .sh | sed 's/^t\([0-9]*\).*/\1/')
MG=sp${_mnum}g
ALICE=sp${_mnum}a
BOB=sp${_mnum}b
EVE=sp${_mnum}e
ALICE_HOME=$TMP/home/$ALICE
BOB_HOME=$TMP/home/$BOB

_members_clean() {
	local u
	for u in "$ALICE" "$BOB" "$EVE"; do
		pkill -KILL -u "$u" 2>/dev/null
		userdel "$u" 2>/dev/null
	done
	groupdel "$MG" 2>/dev/null
}
_members_clean # a previous run killed before its clean-up
at_exit _members_clean
mkdir -p "$TMP/home"
chmod 711 "$TMP" "$TMP/home"
groupadd "$MG" || { echo "Bail out! groupadd $MG failed"; exit 255; }
for _u in "$ALICE" "$BOB" "$EVE"; do
	if [ "$_u" = "$EVE" ]; then
		useradd -M -d / -s /bin/sh "$_u"
	else
		useradd -m -d "$TMP/home/$_u" -s /bin/sh -G "$MG" "$_u"
		chmod 700 "$TMP/home/$_u"
	fi || { echo "Bail out! useradd $_u failed"; exit 255; }
done

as() { # USER CMD...
	local u=$1
	shift
	setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups env HOME="$(getent passwd "$u" | cut -d: -f6)" \
		USER="$u" SCALPROF_SOCKET="$SOCK" "$@"
}

RUN=$TMP/run
mkdir -m 750 "$RUN"
chgrp "$MG" "$RUN"
