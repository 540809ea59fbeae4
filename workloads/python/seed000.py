"""seed000.py threadpool|loop: seed 000, squaring n numbers into a shared
dict, on a ThreadPoolExecutor of SCALPROF_WORKERS threads (the seed's
"well over 10 seconds") versus a plain loop (the seed's "about a second").

n is 100,000 times SCALPROF_SCALE (the seed's 1,000,000 takes minutes on
the thread pool)."""
from concurrent import futures

from common import checksum, scaled, usage, workers


def square(n):
    return n ** 2


def thread_worker(t):
    n, d = t
    if n not in d:
        d[n] = square(n)


def master(n, numthreads):
    d = {}
    with futures.ThreadPoolExecutor(max_workers=numthreads) as e:
        for _ in e.map(thread_worker, ((i, d) for i in range(n))):
            pass
    return d


def loop(n):
    d = {}
    for i in range(n):
        if i not in d:
            d[i] = i ** 2
    return d


def main():
    how = usage(__doc__, ("threadpool", "loop"))
    n = scaled(100000)
    d = master(n, workers()) if how == "threadpool" else loop(n)
    checksum(len(d) + sum(d.values()) % 1000000007)


if __name__ == "__main__":
    main()
