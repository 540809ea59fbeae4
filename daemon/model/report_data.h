/* report_data.h: what the report and the timeline show, as plain data:
 * the store reads it (store/reports.h), analysis/report.c formats it as
 * text, CSV or JSON. */
#ifndef SCALPROF_REPORT_DATA_H
#define SCALPROF_REPORT_DATA_H

#include <stddef.h>
#include <stdint.h>

/* The campaign's row; NULL where the column is NULL. */
struct report_head {
	char *name, *status, *started_at, *finished_at, *error;
	char *hostname, *cpu_model, *hypervisor; /* the machine it ran on */
	int cores;                               /* physical; 0 when unknown */
	double scale;                            /* the campaign's scale; NAN when unknown */
};

/* One counted event: a column of the table. */
struct report_event {
	char *name;
	int counted;   /* some value was counted somewhere */
	char *reason;  /* first reason it was not, if never counted */
};

/* One (workload, N) of the table; NAN where there is no figure. */
struct report_row {
	char *workload, *mode;
	int n, runs, not_ok;
	double wall, speedup, efficiency;
	double *ev;             /* per-worker median per event column */
	double gbps, ceiling;   /* median bandwidth and its fraction of the ceiling */
	char *bw_source;        /* NULL when none */
	double slowdown[3];     /* median beside the bandwidth, cache, cpu co-runner */
	double cache_load;      /* workers x working set / usable LLC */
};

/* A distinct bandwidth source with the reason it gave. */
struct report_note {
	char *source, *reason;
};

struct report_table {
	struct report_event *events;
	size_t nevents;
	struct report_row *rows;  /* each with nevents event medians */
	size_t nrows;
	struct report_note *notes;
	size_t nnotes;
};

/* One run of `report --runs`; pointers valid only during the callback
 * that is given it. NAN and NULL where there is nothing. */
struct report_run {
	int64_t id;
	const char *workload, *corunner, *status; /* corunner "-" when none */
	int n, repetition;
	double wall_s, gbps, ceiling, slowdown;
	const char *bw_source;
	double rate_alone, rate_beside;
	const char *rate_unit;
};

/* One timeline sample; event valid only during the callback. */
struct report_sample {
	int64_t t_ns;                     /* since the barrier */
	int slot;                         /* 0: system-wide */
	const char *event;
	int64_t delta, enabled_delta, running_delta;
};

/* The machine's measured bandwidth ceiling at n workers. */
struct report_ceiling {
	int n;
	double gbps; /* NAN when not measured */
};

/* Free what each owns and zero it; accept a zeroed struct. */
void report_head_clear(struct report_head *h);
void report_table_clear(struct report_table *t);

#endif
