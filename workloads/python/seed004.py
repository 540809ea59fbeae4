"""seed004.py futures|pool|chunked: seed 004, a naive factorisation of every
number in a range, mapped one item at a time on a ProcessPoolExecutor (a
Future per item), on multiprocessing.Pool.map (batched), or on
ProcessPoolExecutor.map with a chunksize, each with SCALPROF_WORKERS
processes.

The range is 100 .. 100 + 15,000 (the seed's is 100 .. 1,000,000) times
SCALPROF_SCALE."""
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from common import checksum, scaled, usage, workers


def hard_work(n):
    """Naive factorisation (the seed's, after Eli Bendersky's article)."""
    factors = []
    p = 2
    while n > 1:
        while n % p == 0:
            factors.append(p)
            n //= p
        p += 1
        if p * p > n:
            if n > 1:
                factors.append(n)
            break
    return len(factors)


def main():
    how = usage(__doc__, ("futures", "pool", "chunked"))
    items = range(100, 100 + scaled(15000))
    n = workers()
    if how == "pool":
        with multiprocessing.Pool(processes=n) as pool:
            result = pool.map(hard_work, items)
    else:
        chunk = max(1, len(items) // (4 * n)) if how == "chunked" else 1
        with ProcessPoolExecutor(max_workers=n) as pool:
            result = list(pool.map(hard_work, items, chunksize=chunk))
    checksum(sum(result))


if __name__ == "__main__":
    main()
