"""seed001.py threads|processes: seed 001, the same CPU-bound tasks on a
ThreadPoolExecutor ("every thread received 25% of CPU time") versus a
ProcessPoolExecutor, each with SCALPROF_WORKERS workers.

Work: 32 tasks, each summing the squares of 600,000 numbers, times
SCALPROF_SCALE."""
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from common import checksum, scaled, usage, workers


def task(k):
    return sum(i * i for i in range(k))


def main():
    how = usage(__doc__, ("threads", "processes"))
    pool = ThreadPoolExecutor if how == "threads" else ProcessPoolExecutor
    sizes = [scaled(600000)] * 32
    with pool(max_workers=workers()) as ex:
        checksum(sum(ex.map(task, sizes)) % 1000000007)


if __name__ == "__main__":
    main()
