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
    scale = float(os.environ.get("SCALPROF_SCALE", "1"))
    if not scale > 0:
        sys.exit("SCALPROF_SCALE: expected a positive number, got %r" % scale)
    return max(minimum, int(n * scale))


def usage(doc, choices):
    """Exits with status 2 and the program's usage unless argv[1] is a choice."""
    if len(sys.argv) < 2 or sys.argv[1] not in choices:
        sys.stderr.write(doc.strip() + "\n")
        sys.exit(2)
    return sys.argv[1]


def checksum(value):
    print("checksum=%d" % value)
