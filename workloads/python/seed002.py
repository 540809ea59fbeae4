"""seed002.py TASK: one task of seed 002 ("independent tasks that do not
scale with the number of CPUs"), run once per process: scalprof starts N
copies on N cores, as the seed's ProcessPoolExecutor ran N tasks on N
workers.

  sleep    sleep(1)                                       scales
  sqrt     [sqrt(i) for i in range(1, 10800000)]          scales
  concat   t = t + [j] for j in range(28000)               the seed's puzzle
  copy     a = [i for i in range(10000000)]; a.copy()      scales worse
  slice    the same list; a[:]

Sizes take about a second each on a lab VM, times SCALPROF_SCALE; the
seed's own are 80,000 steps of concat and lists of 20,000,000."""
import time
from math import sqrt

from common import checksum, scaled, usage

TASKS = ("sleep", "sqrt", "concat", "copy", "slice")


def main():
    task = usage(__doc__, TASKS)
    if task == "sleep":
        seconds = 1.0 * scaled(1000) / 1000
        time.sleep(seconds)
        checksum(int(seconds * 1000))
    elif task == "sqrt":
        data = [sqrt(i) for i in range(1, scaled(10800000))]
        checksum(int(sum(data)))
    elif task == "concat":
        test = []
        for j in range(scaled(28000)):
            test = test + [j]
        checksum(sum(test))
    else:
        mylist = [i for i in range(scaled(10000000))]
        mylist2 = mylist.copy() if task == "copy" else mylist[:]
        checksum(len(mylist2) + mylist2[-1])


if __name__ == "__main__":
    main()
