"""common.py: what every seed program shares: the worker count scalprof
gives a team (SCALPROF_WORKERS), the campaign's scale (SCALPROF_SCALE), and
printing a checksum so that the work cannot be skipped."""
import os
import sys


def workers():
    """The team's size: SCALPROF_WORKERS, or 1 when run by hand."""
    return max(1, int(os.environ.get("SCALPROF_WORKERS", "1")))


def scaled(n, minimum=1):
    """n multiplied by SCALPROF_SCALE (default 1), never below minimum."""
    text = os.environ.get("SCALPROF_SCALE", "") or "1"
    try:
        scale = float(text)
    except ValueError:
        scale = 0
    if not 0 < scale <= 1000:
        sys.stderr.write("SCALPROF_SCALE: expected a number above 0 and at most 1000, got %r\n" % text)
        sys.exit(2)
    return max(minimum, int(n * scale))


def usage(doc, choices):
    """Exits with status 2 and the program's usage unless argv[1] is a choice."""
    if len(sys.argv) < 2 or sys.argv[1] not in choices:
        sys.stderr.write(doc.strip() + "\n")
        sys.exit(2)
    return sys.argv[1]


def checksum(value):
    print("checksum=%d" % value)
