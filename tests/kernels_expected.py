"""kernels_expected.py KERNEL ARGS...: the checksum scalprof-kernels must print
for KERNEL with these arguments, computed independently in Python from the
definition of each kernel's work (t0900 compares the two)."""
import math
import sys

M = (1 << 64) - 1


def value(v):
    units = {"K": 1024, "M": 1 << 20, "G": 1 << 30}
    return float(v[:-1]) * units[v[-1]] if v[-1] in units else float(v)


def args():
    return {k: value(v) for k, v in (a.split("=") for a in sys.argv[2:])}


def busy(a):
    x = 0
    for i in range(int(a["n"]), 0, -1):
        x = (x * 6364136223846793005 + i) & M
    return x


def sqrt_list(a):
    n, total = int(a["n"]), 0.0
    for _ in range(int(a["reps"])):
        for i in range(0, n, 4096):
            total += math.sqrt(i + 1)
        total += math.sqrt(n)
    return math.floor(total * 1000 + 0.5)


def list_sum(n, refcnt):
    s = 0
    for i in range(n):
        s = (s * 31 + i + refcnt) & M
    return s


def list_concat(a):
    return list_sum(int(a["n"]), 1)      # each object held by t only


def list_copy(a):
    return list_sum(int(a["n"]), 2)      # held by a and by its copy


list_slice = list_copy


def dict_insert(a):
    n = int(a["n"])
    return (sum((i * i) ^ i for i in range(n)) + n) & M


def pagefault(a):
    pages, s = int(a["size"]) // 4096, 0
    for r in range(int(a["rounds"])):
        s += sum((p + r) & 0xFF for p in range(pages))
    return s


def stream(a):
    n = int(a["size"]) // 8
    x, y, z = 1.0, 2.0, 0.0
    for _ in range(int(a["ntimes"])):
        z = x
        y = 3.0 * z
        z = x + y
        x = y + 3.0 * z
    total = 0.0
    for _ in range(0, n, 1024):
        total += x + y + z
    return math.floor(math.fmod(total, 1e15) + 0.5)


def chase(a):
    n, steps, seed = max(2, int(a["size"]) // 64), int(a["steps"]), 42
    perm = list(range(n))
    for i in range(n - 1, 0, -1):
        seed ^= (seed << 13) & M
        seed ^= seed >> 7
        seed ^= (seed << 17) & M
        j = seed % i
        perm[i], perm[j] = perm[j], perm[i]
    nxt = [0] * n
    for i in range(n):
        nxt[perm[i]] = perm[(i + 1) % n]
    p = 0
    for _ in range(steps):
        p = nxt[p]
    return p ^ steps


print("checksum=%016x" % globals()[sys.argv[1]](args()))
