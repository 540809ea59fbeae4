-- schema.sql: every table and view of a scalprof database.
--
-- This file is embedded into the binaries and applied by PRAGMA user_version:
-- each section starting with a line "-- version: N" runs once, in order, in
-- its own transaction, on a database whose user_version is below N, and then
-- sets user_version to N. Never edit a released section: add a new one.
-- The tables and views below are the interface users query with sqlite3;
-- man/scalprof-db.7 documents every column.

-- version: 1
CREATE TABLE machines (
    id          INTEGER PRIMARY KEY,
    hostname    TEXT NOT NULL,
    machine_id  TEXT NOT NULL,          -- /etc/machine-id
    cpu_model   TEXT,
    sockets     INTEGER,
    cores       INTEGER,                -- physical cores
    threads     INTEGER,                -- hardware threads (PUs)
    l3_bytes    INTEGER,                -- one L3 domain's size
    kernel      TEXT,                   -- uname -r
    pmus        TEXT,                   -- PMUs libpfm4 found, comma separated
    first_seen  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    UNIQUE (machine_id, hostname)
);

CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY,
    machine_id  INTEGER NOT NULL REFERENCES machines(id),
    name        TEXT NOT NULL,
    description TEXT,
    source      TEXT,                   -- file the campaign was read from
    yaml        TEXT NOT NULL,          -- the campaign exactly as given
    sha256      TEXT NOT NULL,          -- of yaml
    status      TEXT NOT NULL CHECK (status IN
                  ('running', 'done', 'failed', 'interrupted')),
    started_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    finished_at TEXT,
    error       TEXT
);

-- What a campaign ran under: each of these changes the numbers.
CREATE TABLE conditions (
    campaign_id          INTEGER PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
    perf_event_paranoid  INTEGER,
    nmi_watchdog         INTEGER,       -- 1: one hardware counter is taken
    hypervisor           TEXT,          -- NULL on bare metal
    smt                  TEXT,          -- /sys/devices/system/cpu/smt/control
    governor             TEXT,          -- cpufreq governor of cpu0, NULL if none
    python3_version      TEXT,          -- when a workload runs python
    placement            TEXT NOT NULL,
    oversubscribe        INTEGER NOT NULL,
    timeout_s            REAL NOT NULL
);

CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,     -- 1.. in plan order
    workload      TEXT NOT NULL,
    mode          TEXT NOT NULL CHECK (mode IN ('copies', 'team')),
    n_workers     INTEGER NOT NULL,
    repetition    INTEGER NOT NULL,     -- 1..repetitions
    status        TEXT NOT NULL CHECK (status IN
                    ('ok', 'failed', 'timeout', 'interrupted')),
    wall_ns       INTEGER,              -- barrier release to last exit
    start_skew_ns INTEGER,              -- latest worker start minus earliest
    started_at    TEXT NOT NULL,
    error         TEXT,
    UNIQUE (campaign_id, seq)
);
CREATE INDEX runs_by_workload ON runs (campaign_id, workload, n_workers);

CREATE TABLE workers (
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    slot          INTEGER NOT NULL,     -- 1..n_workers (team mode: 1)
    cpu           INTEGER,              -- OS index of the CPU pinned to; team: first
    cpus          TEXT NOT NULL,        -- every CPU in its affinity, e.g. "0,2"
    core          INTEGER,              -- hwloc logical index of the core
    pid           INTEGER,
    status        TEXT NOT NULL CHECK (status IN
                    ('ok', 'exit_nonzero', 'signaled', 'exec_failed', 'timeout', 'killed')),
    exit_code     INTEGER,
    signal        INTEGER,
    exec_errno    INTEGER,
    error         TEXT,
    start_ns      INTEGER,              -- CLOCK_MONOTONIC, when it passed the barrier
    end_ns        INTEGER,              -- CLOCK_MONOTONIC, when it exited
    wall_ns       INTEGER,
    utime_ns      INTEGER,
    stime_ns      INTEGER,
    maxrss_kb     INTEGER,
    minflt        INTEGER,
    majflt        INTEGER,
    nvcsw         INTEGER,
    nivcsw        INTEGER,
    run_delay_ns  INTEGER,              -- /proc/PID/schedstat: waiting on a run queue
    stdout_bytes  INTEGER NOT NULL DEFAULT 0,   -- total written
    stderr_bytes  INTEGER NOT NULL DEFAULT 0,
    stdout_tail   BLOB,                 -- the last 64 KiB
    stderr_tail   BLOB
);
CREATE INDEX workers_by_run ON workers (run_id);

CREATE TABLE counters (
    id              INTEGER PRIMARY KEY,
    run_id          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    worker_id       INTEGER REFERENCES workers(id) ON DELETE CASCADE,
    event           TEXT NOT NULL,      -- as named in the campaign
    encoding        TEXT,               -- libpfm4's full name for it
    value           INTEGER,            -- raw count; NULL unless counted
    scaled_value    REAL,               -- value * enabled / running
    time_enabled_ns INTEGER,
    time_running_ns INTEGER,
    status          TEXT NOT NULL CHECK (status IN
                      ('ok', 'multiplexed', 'not_counted', 'unsupported', 'no_permission', 'error')),
    reason          TEXT                -- why, whenever status is not 'ok'
);
CREATE INDEX counters_by_run ON counters (run_id, event);

-- version: 2
-- Per workload and worker count: median wall time over the 'ok' runs, and
-- scaling against the same campaign's 1-worker median. copies mode does N
-- times the work with N workers: speedup = N * T1 / TN, efficiency = T1 / TN.
-- team mode shares one piece of work: speedup = T1 / TN, efficiency = speedup / N.
CREATE VIEW run_medians AS
WITH ranked AS (
    SELECT campaign_id, workload, mode, n_workers, wall_ns,
           row_number() OVER (PARTITION BY campaign_id, workload, n_workers
                              ORDER BY wall_ns) AS rn,
           count(*) OVER (PARTITION BY campaign_id, workload, n_workers) AS cnt
    FROM runs WHERE status = 'ok' AND wall_ns IS NOT NULL
)
SELECT campaign_id, workload, mode, n_workers, max(cnt) AS runs,
       avg(wall_ns) / 1e9 AS median_wall_s
FROM ranked
WHERE rn IN ((cnt + 1) / 2, (cnt + 2) / 2)
GROUP BY campaign_id, workload, n_workers;

CREATE VIEW scaling AS
SELECT m.campaign_id, m.workload, m.mode, m.n_workers, m.runs, m.median_wall_s,
       CASE WHEN m.mode = 'copies' THEN m.n_workers * b.median_wall_s / m.median_wall_s
            ELSE b.median_wall_s / m.median_wall_s END AS speedup,
       CASE WHEN m.mode = 'copies' THEN b.median_wall_s / m.median_wall_s
            ELSE b.median_wall_s / m.median_wall_s / m.n_workers END AS efficiency
FROM run_medians m
LEFT JOIN run_medians b
  ON b.campaign_id = m.campaign_id AND b.workload = m.workload AND b.n_workers = 1;

-- version: 3
-- (applied once, to a database whose PRAGMA user_version is below 3)
-- The campaign's scale factor multiplies every workload's work.
ALTER TABLE conditions ADD COLUMN scale REAL NOT NULL DEFAULT 1.0;

-- version: 4
-- (applied once, to a database whose PRAGMA user_version is below 4)
-- Memory-bandwidth evidence: per run and socket, from the memory
-- controller's own counters (source: the PMU family, e.g. 'uncore_imc',
-- 'amd_df', 'amd_umc', 'user'), or estimated from LLC misses x 64 B
-- ('llc_estimate'), or a row with status 'unsupported' saying why neither.
CREATE TABLE bandwidth (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    socket      INTEGER,                -- NULL for an estimate or no data
    source      TEXT NOT NULL,
    pmu         TEXT,                   -- the PMUs read, comma separated
    read_bytes  INTEGER,                -- NULL when not measured
    write_bytes INTEGER,                -- NULL when not measured separately
    seconds     REAL,                   -- how long the counters counted
    status      TEXT NOT NULL CHECK (status IN
                  ('ok', 'multiplexed', 'estimate', 'unsupported', 'no_permission', 'error')),
    reason      TEXT
);
CREATE INDEX bandwidth_by_run ON bandwidth (run_id);

-- This machine's measured memory-bandwidth ceiling: STREAM copy and triad
-- on n_workers pinned physical cores, best of the repetitions, STREAM's
-- byte counting.
CREATE TABLE machine_bandwidth (
    machine_id  INTEGER NOT NULL REFERENCES machines(id) ON DELETE CASCADE,
    n_workers   INTEGER NOT NULL,
    kernel      TEXT NOT NULL CHECK (kernel IN ('copy', 'triad')),
    mb_per_s    REAL NOT NULL,           -- 10^6 bytes per second, all workers together
    array_bytes INTEGER NOT NULL,
    measured_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    PRIMARY KEY (machine_id, n_workers, kernel)
);

-- This machine's usable last-level cache, measured by a pointer-chase
-- latency sweep (one row per size), and the size where latency jumps.
CREATE TABLE machine_latency (
    machine_id  INTEGER NOT NULL REFERENCES machines(id) ON DELETE CASCADE,
    bytes       INTEGER NOT NULL,
    ns_per_access REAL NOT NULL,
    PRIMARY KEY (machine_id, bytes)
);
ALTER TABLE machines ADD COLUMN usable_llc_bytes INTEGER;

-- Interference: a run of a workload beside a co-runner on the physical
-- cores it leaves free. corunner is NULL for ordinary runs.
ALTER TABLE runs ADD COLUMN corunner TEXT CHECK (corunner IN ('bandwidth', 'cache', 'cpu'));
CREATE TABLE interference (
    run_id          INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    corunner        TEXT NOT NULL CHECK (corunner IN ('bandwidth', 'cache', 'cpu')),
    n_corunners     INTEGER NOT NULL,    -- co-runner processes, one per free core
    alone_wall_s    REAL,                -- median wall of the workload alone at this N
    slowdown        REAL,                -- this run's wall / alone_wall_s
    rate_alone      REAL,                -- the co-runner's own rate without the workload
    rate_beside     REAL,                -- and beside it
    rate_unit       TEXT,                -- MB/s, accesses/s or iterations/s
    cache_ns_alone  REAL,                -- cache hog: ns per access alone (did it stay in cache?)
    cache_ns_beside REAL,
    hog_bytes       INTEGER              -- working set of the co-runner
);

-- Ordinary runs only: co-runs are not part of scaling.
DROP VIEW scaling;
DROP VIEW run_medians;
CREATE VIEW run_medians AS
WITH ranked AS (
    SELECT campaign_id, workload, mode, n_workers, wall_ns,
           row_number() OVER (PARTITION BY campaign_id, workload, n_workers
                              ORDER BY wall_ns) AS rn,
           count(*) OVER (PARTITION BY campaign_id, workload, n_workers) AS cnt
    FROM runs WHERE status = 'ok' AND wall_ns IS NOT NULL AND corunner IS NULL
)
SELECT campaign_id, workload, mode, n_workers, max(cnt) AS runs,
       avg(wall_ns) / 1e9 AS median_wall_s
FROM ranked
WHERE rn IN ((cnt + 1) / 2, (cnt + 2) / 2)
GROUP BY campaign_id, workload, n_workers;

CREATE VIEW scaling AS
SELECT m.campaign_id, m.workload, m.mode, m.n_workers, m.runs, m.median_wall_s,
       CASE WHEN m.mode = 'copies' THEN m.n_workers * b.median_wall_s / m.median_wall_s
            ELSE b.median_wall_s / m.median_wall_s END AS speedup,
       CASE WHEN m.mode = 'copies' THEN b.median_wall_s / m.median_wall_s
            ELSE b.median_wall_s / m.median_wall_s / m.n_workers END AS efficiency
FROM run_medians m
LEFT JOIN run_medians b
  ON b.campaign_id = m.campaign_id AND b.workload = m.workload AND b.n_workers = 1;

-- Bandwidth per run (all sockets together), in GB/s, with the fraction of
-- this machine's ceiling at the run's worker count (the better of copy and
-- triad; NULL when the ceiling was not measured).
-- gb_per_s only when every socket's row has bytes: a partial sum would
-- understate the traffic.
CREATE VIEW run_bandwidth AS
SELECT run_id, campaign_id, workload, n_workers, corunner, source, status, read_bytes, write_bytes, seconds,
       CASE WHEN complete THEN (ifnull(read_bytes, 0) + ifnull(write_bytes, 0)) / seconds / 1e9 END AS gb_per_s,
       CASE WHEN complete THEN (ifnull(read_bytes, 0) + ifnull(write_bytes, 0)) / seconds / 1e6 /
         (SELECT max(mb.mb_per_s) FROM machine_bandwidth mb JOIN campaigns c ON c.machine_id = mb.machine_id
           WHERE c.id = x.campaign_id AND mb.n_workers = x.n_workers) END AS ceiling_fraction,
       reason
FROM (
    SELECT r.id AS run_id, r.campaign_id, r.workload, r.n_workers, r.corunner,
           group_concat(DISTINCT b.source) AS source,
           group_concat(DISTINCT b.status) AS status,
           sum(b.read_bytes) AS read_bytes, sum(b.write_bytes) AS write_bytes,
           max(b.seconds) AS seconds,
           count(*) = sum(b.read_bytes IS NOT NULL OR b.write_bytes IS NOT NULL) AND max(b.seconds) > 0 AS complete,
           group_concat(DISTINCT b.reason) AS reason
    FROM runs r JOIN bandwidth b ON b.run_id = r.id
    GROUP BY r.id
) x;

-- version: 5
-- (applied once, to a database whose PRAGMA user_version is below 5)
-- Timelines: every worker's counters (and system-wide probes, worker_id
-- NULL) read at each tick of interval_ms, as deltas since the previous
-- reading; the last sample of a worker is its final reading, so a worker's
-- deltas of an event sum to its counters row. Scale a delta as
-- delta * time_enabled_delta / time_running_delta when running < enabled.
CREATE TABLE samples (
    run_id             INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    worker_id          INTEGER REFERENCES workers(id) ON DELETE CASCADE,
    t_ns               INTEGER NOT NULL,   -- since the barrier released the workers
    event              TEXT NOT NULL,
    delta              INTEGER NOT NULL,
    time_enabled_delta INTEGER NOT NULL,
    time_running_delta INTEGER NOT NULL
);
CREATE INDEX samples_by_run ON samples (run_id, t_ns); -- rows arrive in this order: appends
ALTER TABLE conditions ADD COLUMN interval_ms INTEGER;
-- The working set of one worker of a builtin workload, from its arguments
-- (NULL for commands: unknown), to compare workers x working set with the
-- machine's usable last-level cache.
ALTER TABLE runs ADD COLUMN working_set_bytes INTEGER;

-- version: 6
-- (applied once, to a database whose PRAGMA user_version is below 6)
-- Derived metrics and the verdict. The views read counters by the names of
-- the 'sched' and 'cache' presets (task-clock, context-switches,
-- cpu-migrations, page-faults, cycles, instructions, LLC-loads,
-- LLC-load-misses); an event counted under another name is not in them.
-- A column is NULL when what it needs was not measured: no guessing.
CREATE INDEX counters_by_worker ON counters (worker_id, event);
CREATE INDEX interference_by_corunner ON interference (corunner);

-- One row per worker. A team's one worker row covers all its threads and
-- children, so its cpu_utilisation is summed over them (2.0: two cores busy).
CREATE VIEW worker_metrics AS
SELECT x.*,
       cpu_s / wall_s AS cpu_utilisation,
       kernel_s / cpu_s AS kernel_share,
       instructions / cycles AS ipc,
       1000.0 * llc_misses / instructions AS llc_mpki,
       llc_misses / llc_loads AS llc_miss_ratio,
       context_switches / wall_s AS context_switches_per_s,
       cpu_migrations / wall_s AS migrations_per_s,
       page_faults / wall_s AS page_faults_per_s,
       run_delay_s / cpu_s AS run_delay_ratio
FROM (
    SELECT w.id AS worker_id, w.run_id, r.campaign_id, r.workload, r.mode, r.n_workers, r.repetition,
           r.corunner, r.status AS run_status, w.slot, w.status,
           w.wall_ns / 1e9 AS wall_s,
           (w.utime_ns + w.stime_ns) / 1e9 AS cpu_s,
           w.stime_ns / 1e9 AS kernel_s,
           w.run_delay_ns / 1e9 AS run_delay_s,
           (SELECT c.scaled_value FROM counters c WHERE c.worker_id = w.id AND c.event = 'cycles'
              AND c.status IN ('ok', 'multiplexed')) AS cycles,
           (SELECT c.scaled_value FROM counters c WHERE c.worker_id = w.id AND c.event = 'instructions'
              AND c.status IN ('ok', 'multiplexed')) AS instructions,
           (SELECT c.scaled_value FROM counters c WHERE c.worker_id = w.id AND c.event = 'LLC-loads'
              AND c.status IN ('ok', 'multiplexed')) AS llc_loads,
           (SELECT c.scaled_value FROM counters c WHERE c.worker_id = w.id AND c.event = 'LLC-load-misses'
              AND c.status IN ('ok', 'multiplexed')) AS llc_misses,
           coalesce((SELECT c.scaled_value FROM counters c WHERE c.worker_id = w.id AND c.event = 'context-switches'
              AND c.status IN ('ok', 'multiplexed')), w.nvcsw + w.nivcsw) AS context_switches,
           w.nivcsw AS involuntary_switches,
           (SELECT c.scaled_value FROM counters c WHERE c.worker_id = w.id AND c.event = 'cpu-migrations'
              AND c.status IN ('ok', 'multiplexed')) AS cpu_migrations,
           coalesce((SELECT c.scaled_value FROM counters c WHERE c.worker_id = w.id AND c.event = 'page-faults'
              AND c.status IN ('ok', 'multiplexed')), w.minflt + w.majflt) AS page_faults
    FROM workers w JOIN runs r ON r.id = w.run_id
) x;

-- One row per run: its workers together. work_units is what the run did:
-- N for copies (each copy does the work once), 1 for a team (one piece of
-- work shared). An event's total is NULL unless every worker has it.
CREATE VIEW run_metrics AS
SELECT x.*,
       cpu_s / wall_s AS cpu_utilisation,
       kernel_s / cpu_s AS kernel_share,
       instructions / cycles AS ipc,
       1000.0 * llc_misses / instructions AS llc_mpki,
       llc_misses / llc_loads AS llc_miss_ratio,
       context_switches / wall_s AS context_switches_per_s,
       1.0 * context_switches / work_units AS context_switches_per_unit,
       context_switches / (cpu_s * 1000) AS context_switches_per_cpu_ms,
       kernel_s / work_units AS kernel_s_per_unit,
       cpu_migrations / wall_s AS migrations_per_s,
       involuntary_switches / wall_s AS involuntary_switches_per_s,
       page_faults / wall_s AS page_faults_per_s,
       page_faults / cpu_s AS page_faults_per_cpu_s,
       run_delay_s / cpu_s AS run_delay_ratio,
       gb_per_s * 1000 / (SELECT max(mb.mb_per_s) FROM machine_bandwidth mb JOIN campaigns c
                          ON c.machine_id = mb.machine_id WHERE c.id = x.campaign_id
                          AND mb.n_workers = x.n_workers) AS ceiling_fraction,
       1.0 * working_set_bytes * work_units / (SELECT m.usable_llc_bytes FROM machines m JOIN campaigns c
                          ON c.machine_id = m.id WHERE c.id = x.campaign_id) AS working_set_per_llc
FROM (
    SELECT r.id AS run_id, r.campaign_id, r.workload, r.mode, r.n_workers, r.repetition, r.corunner, r.status,
           r.wall_ns / 1e9 AS wall_s,
           CASE r.mode WHEN 'copies' THEN r.n_workers ELSE 1 END AS work_units,
           r.working_set_bytes,
           (SELECT sum(w.utime_ns + w.stime_ns) / 1e9 FROM workers w WHERE w.run_id = r.id) AS cpu_s,
           (SELECT sum(w.stime_ns) / 1e9 FROM workers w WHERE w.run_id = r.id) AS kernel_s,
           (SELECT sum(w.run_delay_ns) / 1e9 FROM workers w WHERE w.run_id = r.id) AS run_delay_s,
           (SELECT sum(w.nivcsw) FROM workers w WHERE w.run_id = r.id) AS involuntary_switches,
           (SELECT CASE WHEN count(wm.cycles) = count(*) THEN sum(wm.cycles) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS cycles,
           (SELECT CASE WHEN count(wm.instructions) = count(*) THEN sum(wm.instructions) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS instructions,
           (SELECT CASE WHEN count(wm.llc_loads) = count(*) THEN sum(wm.llc_loads) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS llc_loads,
           (SELECT CASE WHEN count(wm.llc_misses) = count(*) THEN sum(wm.llc_misses) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS llc_misses,
           (SELECT CASE WHEN count(wm.context_switches) = count(*) THEN sum(wm.context_switches) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS context_switches,
           (SELECT CASE WHEN count(wm.cpu_migrations) = count(*) THEN sum(wm.cpu_migrations) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS cpu_migrations,
           (SELECT CASE WHEN count(wm.page_faults) = count(*) THEN sum(wm.page_faults) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS page_faults,
           (SELECT CASE WHEN count(*) = sum(b.read_bytes IS NOT NULL OR b.write_bytes IS NOT NULL)
                          AND max(b.seconds) > 0
                        THEN (ifnull(sum(b.read_bytes), 0) + ifnull(sum(b.write_bytes), 0)) / max(b.seconds) / 1e9 END
              FROM bandwidth b WHERE b.run_id = r.id) AS gb_per_s,
           (SELECT group_concat(DISTINCT b.source) FROM bandwidth b WHERE b.run_id = r.id) AS bandwidth_source,
           (SELECT i.slowdown FROM interference i WHERE i.run_id = r.id) AS slowdown
    FROM runs r
) x;

-- The verdict of each workload of a campaign, written when the campaign
-- ends (scalprof report judges afresh and prints the same). verdict is one
-- of scales, memory-bandwidth, shared-cache, kernel, serialized,
-- ipc-overhead, oversubscribed, inconclusive; man scalprof-verdict(7).
CREATE TABLE verdicts (
    id              INTEGER PRIMARY KEY,
    campaign_id     INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    workload        TEXT NOT NULL,
    mode            TEXT NOT NULL,
    verdict         TEXT NOT NULL CHECK (verdict IN ('scales', 'memory-bandwidth', 'shared-cache', 'kernel',
                      'serialized', 'ipc-overhead', 'oversubscribed', 'inconclusive')),
    confidence      TEXT NOT NULL CHECK (confidence IN ('high', 'medium', 'low')),
    n_workers       INTEGER,            -- the worker count judged against 1 worker
    efficiency      REAL,               -- at n_workers
    reason          TEXT NOT NULL,      -- one sentence: why this verdict
    bandwidth       TEXT NOT NULL CHECK (bandwidth IN ('supported', 'contradicted', 'mixed', 'unclear', 'untestable')),
    bandwidth_reason TEXT NOT NULL,     -- the report's memory-bandwidth line
    judged_by       TEXT NOT NULL,      -- scalprof version whose thresholds judged
    judged_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    UNIQUE (campaign_id, workload)
);

-- Every hypothesis weighed for a verdict, and its outcome.
CREATE TABLE hypotheses (
    verdict_id  INTEGER NOT NULL REFERENCES verdicts(id) ON DELETE CASCADE,
    hypothesis  TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('supported', 'contradicted', 'mixed', 'unclear', 'untestable')),
    reason      TEXT,                   -- untestable: what was missing; unclear: why
    PRIMARY KEY (verdict_id, hypothesis)
);

-- Every figure a verdict used: its value, where it came from, the threshold
-- it was compared with and which way it pointed.
CREATE TABLE verdict_evidence (
    verdict_id  INTEGER NOT NULL REFERENCES verdicts(id) ON DELETE CASCADE,
    hypothesis  TEXT NOT NULL,
    figure      TEXT NOT NULL,          -- e.g. 'cpu_utilisation'
    n_workers   INTEGER,
    value       REAL,
    threshold   TEXT,                   -- e.g. '<= 1.3 (serialized_max_cores)', NULL for context
    stance      TEXT NOT NULL CHECK (stance IN ('for', 'against', 'context')),
    source      TEXT NOT NULL,          -- view.column and how it was aggregated
    note        TEXT
);
CREATE INDEX verdict_evidence_by_verdict ON verdict_evidence (verdict_id);

-- version: 7
-- (applied once, to a database whose PRAGMA user_version is below 7)
-- Who ran what: a campaign's submitter, and the uid each worker ran as.
ALTER TABLE campaigns ADD COLUMN submitted_by TEXT;      -- user name
ALTER TABLE campaigns ADD COLUMN submitted_uid INTEGER;
ALTER TABLE workers ADD COLUMN uid INTEGER;               -- the worker's real uid
ALTER TABLE workers ADD COLUMN gid INTEGER;

-- scalprofd's queue: every campaign submitted to the daemon, in order.
-- campaign_id is set when it starts; current_seq and live_pgids say which
-- run was in progress and which process groups it had, so that a daemon
-- killed mid-run can, when it starts again, kill what is left, record that
-- run as interrupted and run it again.
CREATE TABLE queue (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER REFERENCES campaigns(id) ON DELETE SET NULL,
    name          TEXT NOT NULL,          -- the campaign's name
    source        TEXT NOT NULL,          -- the file as the submitter named it
    yaml          TEXT NOT NULL,
    scale         REAL,                   -- --scale given at submission; NULL: the campaign's own
    default_repetitions INTEGER,          -- scalprofd's defaults when it was submitted:
    default_timeout_s REAL,               -- a reload or a resume does not change its plan
    uid           INTEGER NOT NULL,       -- the submitter, from SO_PEERCRED
    gid           INTEGER NOT NULL,
    groups        TEXT NOT NULL,          -- supplementary groups, comma separated
    user          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN
                    ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
    runs_total    INTEGER NOT NULL,
    runs_done     INTEGER NOT NULL DEFAULT 0,
    current_seq   INTEGER,                -- the run in progress, if any, and what it is
    current_workload TEXT,
    current_mode  TEXT,
    current_n     INTEGER,
    current_rep   INTEGER,
    current_corunner TEXT,
    live_pgids    TEXT,                   -- its workers' process groups, comma separated
    submitted_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    started_at    TEXT,
    finished_at   TEXT,
    error         TEXT
);
CREATE INDEX queue_by_status ON queue (status, id);

-- version: 8
-- (applied once, to a database whose PRAGMA user_version is below 8)
-- The speedup stack (man scalprof-verdict(7)). Each run keeps, computed
-- once when it is stored, its workers' CPU time and run-queue wait summed,
-- and what else the host did meanwhile: /proc/stat and /proc/pressure read
-- just before the barrier and just after the last exit (NULL: unreadable,
-- or a run stored before version 8).
ALTER TABLE runs ADD COLUMN user_ns INTEGER;            -- user CPU of every worker, thread and child
ALTER TABLE runs ADD COLUMN kernel_ns INTEGER;          -- kernel CPU, likewise
ALTER TABLE runs ADD COLUMN run_delay_ns INTEGER;       -- run-queue wait of every thread and child seen
                                                        -- (polled each tick: one shorter than a tick is missed;
                                                        -- before version 8, the workers' main threads only)
ALTER TABLE runs ADD COLUMN reserved_busy_ns INTEGER;   -- every task's time on the run's CPUs, its own included
ALTER TABLE runs ADD COLUMN reserved_idle_ns INTEGER;   -- the run's CPUs idle (iowait included)
ALTER TABLE runs ADD COLUMN reserved_steal_ns INTEGER;  -- taken from the run's CPUs by the hypervisor
ALTER TABLE runs ADD COLUMN other_busy_ns INTEGER;      -- busy time of the CPUs the run did not reserve
ALTER TABLE runs ADD COLUMN other_total_ns INTEGER;     -- all time of those CPUs
ALTER TABLE runs ADD COLUMN psi_cpu_us INTEGER;         -- host-wide "some" pressure stall over the run
ALTER TABLE runs ADD COLUMN psi_mem_us INTEGER;
ALTER TABLE runs ADD COLUMN psi_io_us INTEGER;
UPDATE runs SET user_ns = (SELECT sum(w.utime_ns) FROM workers w WHERE w.run_id = runs.id),
                kernel_ns = (SELECT sum(w.stime_ns) FROM workers w WHERE w.run_id = runs.id),
                run_delay_ns = (SELECT sum(w.run_delay_ns) FROM workers w WHERE w.run_id = runs.id);

-- The report reads every counter value of a campaign's ok runs: from the
-- index alone, without visiting each row.
CREATE INDEX counters_values ON counters (run_id, event, status, scaled_value);

-- run_metrics again, read fast: what each run's figures need from its
-- workers, counters, bandwidth and interference rows is computed once,
-- when the run is stored, into run_figures (from the view run_figures_live,
-- which computes it from those rows); CPU time and run-queue wait come from
-- the run's own sums (every task's wait, not only the workers' main
-- threads). A run with no run_figures row (stored by another program, or
-- inserted by hand) is computed live, so the view shows every run either
-- way.
DROP VIEW run_metrics;
CREATE VIEW run_figures_live AS
    SELECT r.id AS run_id, r.campaign_id, r.workload, r.mode, r.n_workers, r.repetition, r.corunner, r.status,
           r.wall_ns / 1e9 AS wall_s,
           CASE r.mode WHEN 'copies' THEN r.n_workers ELSE 1 END AS work_units,
           r.working_set_bytes,
           coalesce((r.user_ns + r.kernel_ns) / 1e9,
                    (SELECT sum(w.utime_ns + w.stime_ns) / 1e9 FROM workers w WHERE w.run_id = r.id)) AS cpu_s,
           coalesce(r.kernel_ns / 1e9, (SELECT sum(w.stime_ns) / 1e9 FROM workers w WHERE w.run_id = r.id)) AS kernel_s,
           coalesce(r.run_delay_ns / 1e9,
                    (SELECT sum(w.run_delay_ns) / 1e9 FROM workers w WHERE w.run_id = r.id)) AS run_delay_s,
           (SELECT sum(w.nivcsw) FROM workers w WHERE w.run_id = r.id) AS involuntary_switches,
           (SELECT CASE WHEN count(wm.cycles) = count(*) THEN sum(wm.cycles) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS cycles,
           (SELECT CASE WHEN count(wm.instructions) = count(*) THEN sum(wm.instructions) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS instructions,
           (SELECT CASE WHEN count(wm.llc_loads) = count(*) THEN sum(wm.llc_loads) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS llc_loads,
           (SELECT CASE WHEN count(wm.llc_misses) = count(*) THEN sum(wm.llc_misses) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS llc_misses,
           (SELECT CASE WHEN count(wm.context_switches) = count(*) THEN sum(wm.context_switches) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS context_switches,
           (SELECT CASE WHEN count(wm.cpu_migrations) = count(*) THEN sum(wm.cpu_migrations) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS cpu_migrations,
           (SELECT CASE WHEN count(wm.page_faults) = count(*) THEN sum(wm.page_faults) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS page_faults,
           (SELECT CASE WHEN count(*) = sum(b.read_bytes IS NOT NULL OR b.write_bytes IS NOT NULL)
                          AND max(b.seconds) > 0
                        THEN (ifnull(sum(b.read_bytes), 0) + ifnull(sum(b.write_bytes), 0)) / max(b.seconds) / 1e9 END
              FROM bandwidth b WHERE b.run_id = r.id) AS gb_per_s,
           (SELECT group_concat(DISTINCT b.source) FROM bandwidth b WHERE b.run_id = r.id) AS bandwidth_source,
           (SELECT i.slowdown FROM interference i WHERE i.run_id = r.id) AS slowdown
    FROM runs r;

CREATE TABLE run_figures (
    run_id               INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    cpu_s                REAL,
    kernel_s             REAL,
    run_delay_s          REAL,
    involuntary_switches INTEGER,
    cycles               REAL,
    instructions         REAL,
    llc_loads            REAL,
    llc_misses           REAL,
    context_switches     REAL,
    cpu_migrations       REAL,
    page_faults          REAL,
    gb_per_s             REAL,
    bandwidth_source     TEXT,
    slowdown             REAL
);
INSERT INTO run_figures SELECT run_id, cpu_s, kernel_s, run_delay_s, involuntary_switches, cycles, instructions, llc_loads, llc_misses, context_switches, cpu_migrations, page_faults, gb_per_s, bandwidth_source, slowdown FROM run_figures_live;

CREATE VIEW run_metrics AS
SELECT x.*,
       cpu_s / wall_s AS cpu_utilisation,
       kernel_s / cpu_s AS kernel_share,
       instructions / cycles AS ipc,
       1000.0 * llc_misses / instructions AS llc_mpki,
       llc_misses / llc_loads AS llc_miss_ratio,
       context_switches / wall_s AS context_switches_per_s,
       1.0 * context_switches / work_units AS context_switches_per_unit,
       context_switches / (cpu_s * 1000) AS context_switches_per_cpu_ms,
       kernel_s / work_units AS kernel_s_per_unit,
       cpu_migrations / wall_s AS migrations_per_s,
       involuntary_switches / wall_s AS involuntary_switches_per_s,
       page_faults / wall_s AS page_faults_per_s,
       page_faults / cpu_s AS page_faults_per_cpu_s,
       run_delay_s / cpu_s AS run_delay_ratio,
       gb_per_s * 1000 / (SELECT max(mb.mb_per_s) FROM machine_bandwidth mb JOIN campaigns c
                          ON c.machine_id = mb.machine_id WHERE c.id = x.campaign_id
                          AND mb.n_workers = x.n_workers) AS ceiling_fraction,
       1.0 * working_set_bytes * work_units / (SELECT m.usable_llc_bytes FROM machines m JOIN campaigns c
                          ON c.machine_id = m.id WHERE c.id = x.campaign_id) AS working_set_per_llc
FROM (
    SELECT r.id AS run_id, r.campaign_id, r.workload, r.mode, r.n_workers, r.repetition, r.corunner, r.status,
           r.wall_ns / 1e9 AS wall_s,
           CASE r.mode WHEN 'copies' THEN r.n_workers ELSE 1 END AS work_units,
           r.working_set_bytes,
           f.cpu_s,
           f.kernel_s,
           f.run_delay_s,
           f.involuntary_switches,
           f.cycles,
           f.instructions,
           f.llc_loads,
           f.llc_misses,
           f.context_switches,
           f.cpu_migrations,
           f.page_faults,
           f.gb_per_s,
           f.bandwidth_source,
           f.slowdown
    FROM runs r JOIN run_figures f ON f.run_id = r.id
    UNION ALL
    SELECT * FROM run_figures_live l WHERE NOT EXISTS (SELECT 1 FROM run_figures f WHERE f.run_id = l.run_id)
) x;

-- One row per ordinary run (no co-runner): its reserved core time (n
-- workers x wall) per unit of work, split into user CPU, kernel CPU,
-- waiting for a core (the run-queue wait of every thread and child plus the
-- time stolen from the reserved CPUs, at most the unused time), idle (the rest of the unused
-- time) and a remainder (negative: CPU time beyond the reserved cores).
-- The five add up to cost_per_unit exactly; the speedup stack is their
-- change in mean from 1 worker to n.
CREATE VIEW run_stack AS
WITH b AS (
    SELECT r.id AS run_id, r.campaign_id, r.workload, r.mode, r.n_workers, r.repetition, r.status,
           CASE r.mode WHEN 'copies' THEN r.n_workers ELSE 1 END AS work_units,
           r.n_workers * r.wall_ns / 1e9 AS reserved_s,
           r.user_ns / 1e9 AS user_s, r.kernel_ns / 1e9 AS kernel_s,
           r.run_delay_ns / 1e9 AS run_delay_s,
           max(r.reserved_busy_ns - r.user_ns - r.kernel_ns, 0) / 1e9 + r.reserved_steal_ns / 1e9 AS others_s,
           r.reserved_steal_ns / 1e9 AS steal_s,
           r.psi_cpu_us / 1e6 / (r.wall_ns / 1e9) AS psi_cpu_share
    FROM runs r WHERE r.corunner IS NULL AND r.wall_ns > 0
), c AS (
    SELECT b.*, reserved_s - user_s - kernel_s AS unused_s,
           min(max(reserved_s - user_s - kernel_s, 0), ifnull(run_delay_s, 0) + ifnull(steal_s, 0)) AS waiting_s
    FROM b
)
SELECT run_id, campaign_id, workload, mode, n_workers, repetition, status, work_units,
       reserved_s / work_units AS cost_per_unit,
       user_s / work_units AS user_per_unit,
       kernel_s / work_units AS kernel_per_unit,
       waiting_s / work_units AS waiting_per_unit,
       (max(unused_s, 0) - waiting_s) / work_units AS idle_per_unit,
       min(unused_s, 0) / work_units AS remainder_per_unit,
       others_s / reserved_s AS host_busy_share,
       psi_cpu_share
FROM c;

-- Per verdict and worker count above 1: the figures with their spread.
CREATE TABLE verdict_points (
    verdict_id      INTEGER NOT NULL REFERENCES verdicts(id) ON DELETE CASCADE,
    n_workers       INTEGER NOT NULL,
    runs            INTEGER NOT NULL,   -- ok ordinary runs at n
    runs_1          INTEGER NOT NULL,   -- and at 1 worker
    cost_1          REAL,               -- mean core-seconds per unit of work at 1 worker
    cost            REAL,               -- and at n
    efficiency      REAL,               -- cost_1 / cost
    efficiency_lo   REAL,               -- its 95% interval (from the lost time's); NULL: too few runs
    efficiency_hi   REAL,
    wall_s          REAL,               -- median wall time at n
    wall_s_lo       REAL,               -- its order-statistic interval
    wall_s_hi       REAL,
    wall_s_level    REAL,               -- that interval's confidence (3 runs: 0.75)
    wall_s_min      REAL,
    wall_s_max      REAL,
    outliers        INTEGER,            -- runs at n left out of the means: cost beyond 3 scaled MADs
                                        -- and 5% of the median (man scalprof-verdict(7), STATISTICS)
    outliers_1      INTEGER,            -- and at 1 worker
    wait_ratio      REAL,               -- mean run-queue wait of every task per CPU-second at n
    serial_fraction REAL,               -- Karp-Flatt: (1/speedup - 1/n) / (1 - 1/n)
    host_busy_share REAL,               -- mean share of the reserved cores others took
    psi_cpu_share   REAL,               -- mean host CPU pressure over wall time, less the run's own wait
    PRIMARY KEY (verdict_id, n_workers)
);

-- Per verdict and worker count above 1: the lost core-seconds per unit of
-- work and its components; the components' values add up to 'lost'.
CREATE TABLE speedup_stack (
    verdict_id      INTEGER NOT NULL REFERENCES verdicts(id) ON DELETE CASCADE,
    n_workers       INTEGER NOT NULL,
    component       TEXT NOT NULL CHECK (component IN
                      ('lost', 'extra-user', 'extra-kernel', 'waiting', 'idle', 'remainder')),
    core_s_per_unit REAL,               -- mean at n minus mean at 1 (run_stack)
    lo              REAL,               -- Welch's 95% interval; NULL with fewer than 2 runs
    hi              REAL,
    share           REAL,               -- of the lost time; NULL when nothing was lost
    PRIMARY KEY (verdict_id, n_workers, component)
);
ALTER TABLE verdicts ADD COLUMN efficiency_lo REAL;    -- the interval of efficiency
ALTER TABLE verdicts ADD COLUMN efficiency_hi REAL;
ALTER TABLE verdicts ADD COLUMN decided INTEGER;       -- 1: it cleared scales_efficiency; 0: it straddled it
ALTER TABLE verdicts ADD COLUMN more_runs INTEGER;     -- straddling: runs per worker count likely to decide; -1: none
ALTER TABLE verdicts ADD COLUMN stack TEXT;            -- the largest components, in words

-- version: 9
-- (applied once, to a database whose PRAGMA user_version is below 9)
-- Serial phases from the timeline: for a team run at 2 or more workers
-- sampled with interval_ms > 0, the wall time of its ticks in which the
-- team kept fewer than 1.5 cores busy (task-clock delta over the tick's
-- length), and the CPU time spent in them. Computed when the run is stored;
-- NULL for copies, for runs at 1 worker, without a timeline, and for runs
-- stored before version 9.
ALTER TABLE runs ADD COLUMN serial_ns INTEGER;
ALTER TABLE runs ADD COLUMN serial_cpu_ns INTEGER;
-- The timeline's serial phase at n, and Amdahl's serial fraction from it.
ALTER TABLE verdict_points ADD COLUMN serial_phase_s REAL;  -- mean wall time in one-core stretches at n
ALTER TABLE verdict_points ADD COLUMN amdahl_fraction REAL; -- mean CPU in them over all CPU: Amdahl's f

-- version: 10
-- (applied once, to a database whose PRAGMA user_version is below 10)
-- Why a run's timeline stops before the run's end: NULL when it is whole
-- (or the run kept none). The samples scalprofd keeps of one run are
-- capped (max_samples_per_run in scalprofd.yaml); beyond the cap, or when
-- its samples could not be staged (a full disk), sampling stops for that
-- run and this says when and why. The run's counters keep their totals.
ALTER TABLE runs ADD COLUMN timeline_note TEXT;

-- version: 11
-- (applied once, to a database whose PRAGMA user_version is below 11)
-- Call-stack profiles (campaign key profile:, scalprof.yaml(5)): on-CPU
-- samples of cpu-clock and off-CPU time at every switch out, with user and
-- kernel call chains, symbolized after the run from its mmap records.
-- Frames and stacks are shared by every run of the database; a run keeps
-- one row per thread kind, command name, state and stack.
CREATE TABLE profile_frames (
    id      INTEGER PRIMARY KEY,
    module  TEXT NOT NULL,   -- the mapped file, [kernel.kallsyms], [jit] or [unknown]
    symbol  TEXT,            -- the function; NULL when unresolved
    offset  INTEGER,         -- unresolved: the address's offset in module; NULL when resolved
    kind    TEXT NOT NULL CHECK (kind IN ('user', 'kernel', 'jit'))
);
CREATE INDEX profile_frames_key ON profile_frames(module, symbol, offset);
CREATE TABLE profile_stacks (
    id      INTEGER PRIMARY KEY,
    frames  TEXT NOT NULL UNIQUE, -- frame ids root first, comma-separated
    depth   INTEGER NOT NULL,
    leaf    INTEGER NOT NULL REFERENCES profile_frames(id)
);
-- the same stacks one row per frame, for SQL: depth 0 is the root
CREATE TABLE profile_stack_frames (
    stack_id INTEGER NOT NULL REFERENCES profile_stacks(id),
    depth    INTEGER NOT NULL,
    frame_id INTEGER NOT NULL REFERENCES profile_frames(id),
    PRIMARY KEY (stack_id, depth)
) WITHOUT ROWID;
CREATE INDEX profile_stack_frames_frame ON profile_stack_frames(frame_id);
CREATE TABLE profiles (
    run_id       INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    event        TEXT NOT NULL,     -- what the on-CPU samples count: cpu-clock, or cycles where a PMU has it
    hz           INTEGER NOT NULL,  -- on-CPU sampling frequency asked for
    offcpu       INTEGER NOT NULL,  -- 1: off-CPU recorded
    samples      INTEGER NOT NULL,  -- on-CPU samples kept
    switches     INTEGER NOT NULL,  -- switches out recorded (off-CPU samples)
    lost         INTEGER NOT NULL,  -- records the kernel dropped (ring buffer full)
    kernel       INTEGER NOT NULL,  -- 1: kernel frames recorded; 0: user space only (see note)
    symbolize_ms REAL,              -- time taken to resolve the run's addresses
    note         TEXT               -- what is missing and why; NULL when whole
);
CREATE TABLE profile_samples (
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    thread   TEXT NOT NULL CHECK (thread IN ('main', 'thread', 'child')), -- the worker's first thread, its other threads, its children's
    comm     TEXT NOT NULL,     -- the thread's command name
    state    TEXT NOT NULL CHECK (state IN ('on', 'off', 'queued')), -- on-CPU; blocked or sleeping; preempted, waiting for a core
    stack_id INTEGER NOT NULL REFERENCES profile_stacks(id),
    samples  INTEGER NOT NULL,  -- on: cpu-clock samples; off, queued: switches out
    off_ns   INTEGER NOT NULL,  -- off, queued: time off the CPU until the switch back in; on: 0
    PRIMARY KEY (run_id, thread, comm, state, stack_id)
) WITHOUT ROWID;

-- version: 12
-- (applied once, to a database whose PRAGMA user_version is below 12)
-- Transparent huge pages: the mode the kernel showed when the campaign
-- began (always, madvise or never, from
-- /sys/kernel/mm/transparent_hugepage/enabled). Large arrays get huge pages
-- or not by it, which changes their page faults and TLB misses: scalprof
-- compare lists it among the facts that differ. NULL when unreadable, and
-- for campaigns stored before version 12.
ALTER TABLE conditions ADD COLUMN thp TEXT;

-- version: 13
-- (applied once, to a database whose PRAGMA user_version is below 13)
-- Variants (campaign key variants:, scalprof.yaml(5)): a run made under a
-- change from outside the program (environment, transparent huge pages,
-- placement, memory policy, scale) names it here; NULL is the baseline.
-- Variant runs are ordinary runs (corunner NULL) of their workload, made
-- beside the baseline's, and are never part of the baseline's scaling,
-- stack or verdict: run_medians and scaling hold the baseline only;
-- run_metrics and run_stack carry the column for queries of either.
ALTER TABLE runs ADD COLUMN variant TEXT;
CREATE INDEX runs_variant ON runs (campaign_id, variant) WHERE variant IS NOT NULL;
-- What each variant of a campaign changed: written with its first run.
CREATE TABLE variants (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    changes     TEXT NOT NULL,  -- in words: "env MALLOC_TOP_PAD_=268435456; thp never"
    env         TEXT,           -- NAME=VALUE entries, one per line
    thp         TEXT CHECK (thp IN ('inherit', 'never')),
    memory      TEXT CHECK (memory IN ('inherit', 'local', 'interleave')),
    placement   TEXT CHECK (placement IN ('compact', 'spread')),  -- NULL: the campaign's
    scale       REAL NOT NULL,  -- times the campaign's scale
    workloads   TEXT,           -- the workloads it applies to, comma-separated; NULL: every one
    chosen_by   TEXT CHECK (chosen_by IN ('campaign', 'confirm')),
    tests       TEXT,           -- chosen by confirm: the speedup-stack component it tests
    PRIMARY KEY (campaign_id, name)
);
-- Per baseline verdict, each variant against the baseline at each worker
-- count both ran: efficiency and every stack component, with intervals.
CREATE TABLE variant_effects (
    verdict_id   INTEGER NOT NULL REFERENCES verdicts(id) ON DELETE CASCADE,
    variant      TEXT NOT NULL,
    n_workers    INTEGER NOT NULL,
    component    TEXT NOT NULL CHECK (component IN
                   ('efficiency', 'lost', 'extra-user', 'extra-kernel', 'waiting', 'idle', 'remainder')),
    baseline     REAL,          -- core-s per unit of work (efficiency: a ratio)
    baseline_lo  REAL,
    baseline_hi  REAL,
    value        REAL,          -- the same under the variant
    value_lo     REAL,
    value_hi     REAL,
    runs         INTEGER,       -- the variant's ok runs at n
    PRIMARY KEY (verdict_id, variant, n_workers, component)
);
-- What the interventions concluded for the verdict's leading component.
ALTER TABLE verdicts ADD COLUMN intervention TEXT CHECK (intervention IN ('confirmed', 'not-confirmed', 'untested'));
ALTER TABLE verdicts ADD COLUMN intervention_text TEXT;  -- in words, with the figures

DROP VIEW scaling;
DROP VIEW run_medians;
CREATE VIEW run_medians AS
WITH ranked AS (
    SELECT campaign_id, workload, mode, n_workers, wall_ns,
           row_number() OVER (PARTITION BY campaign_id, workload, n_workers
                              ORDER BY wall_ns) AS rn,
           count(*) OVER (PARTITION BY campaign_id, workload, n_workers) AS cnt
    FROM runs WHERE status = 'ok' AND wall_ns IS NOT NULL AND corunner IS NULL AND variant IS NULL
)
SELECT campaign_id, workload, mode, n_workers, max(cnt) AS runs,
       avg(wall_ns) / 1e9 AS median_wall_s
FROM ranked
WHERE rn IN ((cnt + 1) / 2, (cnt + 2) / 2)
GROUP BY campaign_id, workload, n_workers;

CREATE VIEW scaling AS
SELECT m.campaign_id, m.workload, m.mode, m.n_workers, m.runs, m.median_wall_s,
       CASE WHEN m.mode = 'copies' THEN m.n_workers * b.median_wall_s / m.median_wall_s
            ELSE b.median_wall_s / m.median_wall_s END AS speedup,
       CASE WHEN m.mode = 'copies' THEN b.median_wall_s / m.median_wall_s
            ELSE b.median_wall_s / m.median_wall_s / m.n_workers END AS efficiency
FROM run_medians m
LEFT JOIN run_medians b
  ON b.campaign_id = m.campaign_id AND b.workload = m.workload AND b.n_workers = 1;

DROP VIEW run_metrics;
CREATE VIEW run_metrics AS
SELECT x.*,
       cpu_s / wall_s AS cpu_utilisation,
       kernel_s / cpu_s AS kernel_share,
       instructions / cycles AS ipc,
       1000.0 * llc_misses / instructions AS llc_mpki,
       llc_misses / llc_loads AS llc_miss_ratio,
       context_switches / wall_s AS context_switches_per_s,
       1.0 * context_switches / work_units AS context_switches_per_unit,
       context_switches / (cpu_s * 1000) AS context_switches_per_cpu_ms,
       kernel_s / work_units AS kernel_s_per_unit,
       cpu_migrations / wall_s AS migrations_per_s,
       involuntary_switches / wall_s AS involuntary_switches_per_s,
       page_faults / wall_s AS page_faults_per_s,
       page_faults / cpu_s AS page_faults_per_cpu_s,
       run_delay_s / cpu_s AS run_delay_ratio,
       gb_per_s * 1000 / (SELECT max(mb.mb_per_s) FROM machine_bandwidth mb JOIN campaigns c
                          ON c.machine_id = mb.machine_id WHERE c.id = x.campaign_id
                          AND mb.n_workers = x.n_workers) AS ceiling_fraction,
       1.0 * working_set_bytes * work_units / (SELECT m.usable_llc_bytes FROM machines m JOIN campaigns c
                          ON c.machine_id = m.id WHERE c.id = x.campaign_id) AS working_set_per_llc,
       (SELECT v.variant FROM runs v WHERE v.id = x.run_id) AS variant
FROM (
    SELECT r.id AS run_id, r.campaign_id, r.workload, r.mode, r.n_workers, r.repetition, r.corunner, r.status,
           r.wall_ns / 1e9 AS wall_s,
           CASE r.mode WHEN 'copies' THEN r.n_workers ELSE 1 END AS work_units,
           r.working_set_bytes,
           f.cpu_s,
           f.kernel_s,
           f.run_delay_s,
           f.involuntary_switches,
           f.cycles,
           f.instructions,
           f.llc_loads,
           f.llc_misses,
           f.context_switches,
           f.cpu_migrations,
           f.page_faults,
           f.gb_per_s,
           f.bandwidth_source,
           f.slowdown
    FROM runs r JOIN run_figures f ON f.run_id = r.id
    UNION ALL
    SELECT * FROM run_figures_live l WHERE NOT EXISTS (SELECT 1 FROM run_figures f WHERE f.run_id = l.run_id)
) x;

DROP VIEW run_stack;
CREATE VIEW run_stack AS
WITH b AS (
    SELECT r.id AS run_id, r.campaign_id, r.workload, r.variant, r.mode, r.n_workers, r.repetition, r.status,
           CASE r.mode WHEN 'copies' THEN r.n_workers ELSE 1 END AS work_units,
           r.n_workers * r.wall_ns / 1e9 AS reserved_s,
           r.user_ns / 1e9 AS user_s, r.kernel_ns / 1e9 AS kernel_s,
           r.run_delay_ns / 1e9 AS run_delay_s,
           max(r.reserved_busy_ns - r.user_ns - r.kernel_ns, 0) / 1e9 + r.reserved_steal_ns / 1e9 AS others_s,
           r.reserved_steal_ns / 1e9 AS steal_s,
           r.psi_cpu_us / 1e6 / (r.wall_ns / 1e9) AS psi_cpu_share
    FROM runs r WHERE r.corunner IS NULL AND r.wall_ns > 0
), c AS (
    SELECT b.*, reserved_s - user_s - kernel_s AS unused_s,
           min(max(reserved_s - user_s - kernel_s, 0), ifnull(run_delay_s, 0) + ifnull(steal_s, 0)) AS waiting_s
    FROM b
)
SELECT run_id, campaign_id, workload, variant, mode, n_workers, repetition, status, work_units,
       reserved_s / work_units AS cost_per_unit,
       user_s / work_units AS user_per_unit,
       kernel_s / work_units AS kernel_per_unit,
       waiting_s / work_units AS waiting_per_unit,
       (max(unused_s, 0) - waiting_s) / work_units AS idle_per_unit,
       min(unused_s, 0) / work_units AS remainder_per_unit,
       others_s / reserved_s AS host_busy_share,
       psi_cpu_share
FROM c;

-- version: 14
-- (applied once, to a database whose PRAGMA user_version is below 14)
-- The graded bandwidth bandit (campaign key bandit:, scalprof.yaml(5)):
-- runs beside the bandwidth co-runner paced to a fraction of its own full
-- rate. A bandit run has corunner 'bandwidth' and its level in
-- bandit_level; a classic bandwidth co-run (interference: true) has NULL
-- there, and every reading of co-run slowdowns by kind filters on it.
-- Ordinary runs (corunner NULL) are as before.
ALTER TABLE runs ADD COLUMN bandit_level REAL CHECK (bandit_level BETWEEN 0 AND 1);

-- One row per ok bandit run: the bandwidth its co-runners took beside it
-- (their achieved rate, GB/s) and alone just before, and its wall time.
CREATE VIEW bandit_points AS
SELECT r.id AS run_id, r.campaign_id, r.workload, r.n_workers, r.repetition, r.bandit_level AS level,
       i.rate_beside / 1e3 AS taken_gbps, i.rate_alone / 1e3 AS alone_gbps, r.wall_ns / 1e9 AS wall_s
FROM runs r JOIN interference i ON i.run_id = r.id
WHERE r.bandit_level IS NOT NULL AND r.status = 'ok' AND r.wall_ns > 0 AND i.rate_unit = 'MB/s';

-- Per verdict and worker count with bandit runs: the curve of slowdown
-- (wall over the median wall at the lowest level) against the bandwidth
-- taken (taken_gbps); see scalprof-verdict(7), THE GRADED BANDIT.
CREATE TABLE bandit_curves (
    verdict_id      INTEGER NOT NULL REFERENCES verdicts(id) ON DELETE CASCADE,
    n_workers       INTEGER NOT NULL,
    points          INTEGER NOT NULL,   -- ok bandit runs fitted
    levels          INTEGER NOT NULL,   -- distinct levels among them
    base_wall_s     REAL,               -- median wall at the lowest level: slowdown 1
    max_taken_gbps  REAL,               -- the most bandwidth a co-run took
    reach_gbps      REAL,               -- what the co-runners had to take to starve n streaming workers:
                                        -- the ceiling on all cores less the ceiling at n; NULL unknown
    slope           REAL,               -- least-squares slowdown per GB/s taken
    slope_lo        REAL,               -- its 95% t interval; NULL with fewer than 3 points
    slope_hi        REAL,
    intercept       REAL,               -- the fit's slowdown at 0 GB/s taken
    rise_lo         REAL,               -- slope_lo and slope_hi x max_taken_gbps: the rise across the curve
    rise_hi         REAL,
    step            REAL,               -- slowdown at the lowest nonzero level over the lowest level
    step_lo         REAL,               -- its Welch 95% interval; NULL when it cannot be had
    step_hi         REAL,
    shape           TEXT NOT NULL CHECK (shape IN ('rising', 'flat', 'step', 'unseparated')),
    note            TEXT NOT NULL,      -- the shape in words, with why
    PRIMARY KEY (verdict_id, n_workers)
);

-- run_metrics again, with bandit_level and variant beside corunner.
DROP VIEW run_metrics;
DROP VIEW run_figures_live;
CREATE VIEW run_figures_live AS
    SELECT r.id AS run_id, r.campaign_id, r.workload, r.mode, r.n_workers, r.repetition, r.corunner, r.bandit_level, r.variant, r.status,
           r.wall_ns / 1e9 AS wall_s,
           CASE r.mode WHEN 'copies' THEN r.n_workers ELSE 1 END AS work_units,
           r.working_set_bytes,
           coalesce((r.user_ns + r.kernel_ns) / 1e9,
                    (SELECT sum(w.utime_ns + w.stime_ns) / 1e9 FROM workers w WHERE w.run_id = r.id)) AS cpu_s,
           coalesce(r.kernel_ns / 1e9, (SELECT sum(w.stime_ns) / 1e9 FROM workers w WHERE w.run_id = r.id)) AS kernel_s,
           coalesce(r.run_delay_ns / 1e9,
                    (SELECT sum(w.run_delay_ns) / 1e9 FROM workers w WHERE w.run_id = r.id)) AS run_delay_s,
           (SELECT sum(w.nivcsw) FROM workers w WHERE w.run_id = r.id) AS involuntary_switches,
           (SELECT CASE WHEN count(wm.cycles) = count(*) THEN sum(wm.cycles) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS cycles,
           (SELECT CASE WHEN count(wm.instructions) = count(*) THEN sum(wm.instructions) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS instructions,
           (SELECT CASE WHEN count(wm.llc_loads) = count(*) THEN sum(wm.llc_loads) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS llc_loads,
           (SELECT CASE WHEN count(wm.llc_misses) = count(*) THEN sum(wm.llc_misses) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS llc_misses,
           (SELECT CASE WHEN count(wm.context_switches) = count(*) THEN sum(wm.context_switches) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS context_switches,
           (SELECT CASE WHEN count(wm.cpu_migrations) = count(*) THEN sum(wm.cpu_migrations) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS cpu_migrations,
           (SELECT CASE WHEN count(wm.page_faults) = count(*) THEN sum(wm.page_faults) END
              FROM worker_metrics wm WHERE wm.run_id = r.id) AS page_faults,
           (SELECT CASE WHEN count(*) = sum(b.read_bytes IS NOT NULL OR b.write_bytes IS NOT NULL)
                          AND max(b.seconds) > 0
                        THEN (ifnull(sum(b.read_bytes), 0) + ifnull(sum(b.write_bytes), 0)) / max(b.seconds) / 1e9 END
              FROM bandwidth b WHERE b.run_id = r.id) AS gb_per_s,
           (SELECT group_concat(DISTINCT b.source) FROM bandwidth b WHERE b.run_id = r.id) AS bandwidth_source,
           (SELECT i.slowdown FROM interference i WHERE i.run_id = r.id) AS slowdown
    FROM runs r;

CREATE VIEW run_metrics AS
SELECT x.*,
       cpu_s / wall_s AS cpu_utilisation,
       kernel_s / cpu_s AS kernel_share,
       instructions / cycles AS ipc,
       1000.0 * llc_misses / instructions AS llc_mpki,
       llc_misses / llc_loads AS llc_miss_ratio,
       context_switches / wall_s AS context_switches_per_s,
       1.0 * context_switches / work_units AS context_switches_per_unit,
       context_switches / (cpu_s * 1000) AS context_switches_per_cpu_ms,
       kernel_s / work_units AS kernel_s_per_unit,
       cpu_migrations / wall_s AS migrations_per_s,
       involuntary_switches / wall_s AS involuntary_switches_per_s,
       page_faults / wall_s AS page_faults_per_s,
       page_faults / cpu_s AS page_faults_per_cpu_s,
       run_delay_s / cpu_s AS run_delay_ratio,
       gb_per_s * 1000 / (SELECT max(mb.mb_per_s) FROM machine_bandwidth mb JOIN campaigns c
                          ON c.machine_id = mb.machine_id WHERE c.id = x.campaign_id
                          AND mb.n_workers = x.n_workers) AS ceiling_fraction,
       1.0 * working_set_bytes * work_units / (SELECT m.usable_llc_bytes FROM machines m JOIN campaigns c
                          ON c.machine_id = m.id WHERE c.id = x.campaign_id) AS working_set_per_llc
FROM (
    SELECT r.id AS run_id, r.campaign_id, r.workload, r.mode, r.n_workers, r.repetition, r.corunner, r.bandit_level, r.variant, r.status,
           r.wall_ns / 1e9 AS wall_s,
           CASE r.mode WHEN 'copies' THEN r.n_workers ELSE 1 END AS work_units,
           r.working_set_bytes,
           f.cpu_s,
           f.kernel_s,
           f.run_delay_s,
           f.involuntary_switches,
           f.cycles,
           f.instructions,
           f.llc_loads,
           f.llc_misses,
           f.context_switches,
           f.cpu_migrations,
           f.page_faults,
           f.gb_per_s,
           f.bandwidth_source,
           f.slowdown
    FROM runs r JOIN run_figures f ON f.run_id = r.id
    UNION ALL
    SELECT * FROM run_figures_live l WHERE NOT EXISTS (SELECT 1 FROM run_figures f WHERE f.run_id = l.run_id)
) x;
