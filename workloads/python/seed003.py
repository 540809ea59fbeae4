"""seed003.py threads|processes: seed 003's busy_wait, the same total work
split over SCALPROF_WORKERS threads or processes (a team). With threads the
GIL lets one run at a time, so the work takes as long as on one core; with
processes it spreads over the cores.

Total work: 4 x 10,000,000 decrements (the seed's four loops), times
SCALPROF_SCALE."""
import multiprocessing
import threading

from common import checksum, scaled, usage, workers


def busy_wait(n):
    while n > 0:
        n -= 1


def main():
    how = usage(__doc__, ("threads", "processes"))
    total = scaled(4 * 10000000)
    n = workers()
    share = total // n
    kind = threading.Thread if how == "threads" else multiprocessing.Process
    runners = [kind(target=busy_wait, args=(share,)) for _ in range(n)]
    for r in runners:
        r.start()
    for r in runners:
        r.join()
    checksum(share * n)


if __name__ == "__main__":
    main()
