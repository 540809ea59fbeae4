/* ingest.c: how many timeline rows per second the store writes into
 * samples, the way a run does: one transaction, the cached statement. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* the store's own struct: the bench reads the database beside it */
#include "store/sql.h"
#include "store/store.h"
#include "base/util.h"

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "ingest.db";
	long rows = argc > 2 ? atol(argv[2]) : 1000000;
	struct store *st;
	char *err = NULL;
	int64_t t0, t1;
	sqlite3 *db;

	if (store_open(path, &st, &err) < 0) {
		fprintf(stderr, "ingest: %s\n", err);
		return 1;
	}
	db = st->db;
	/* a campaign and a run to hang the samples on */
	if (sqlite3_exec(db, "INSERT INTO machines (id, hostname, machine_id) VALUES (1, 'bench', 'bench');"
			     "INSERT INTO campaigns (id, machine_id, name, yaml, sha256, status) VALUES (1, 1, 'b', 'y', 's', 'done');"
			     "INSERT INTO runs (id, campaign_id, seq, workload, mode, n_workers, repetition, status, started_at)"
			     " VALUES (1, 1, 1, 'w', 'copies', 1, 1, 'ok', 'now');"
			     "INSERT INTO workers (id, run_id, slot, cpus, status) VALUES (1, 1, 1, '0', 'ok');",
			     NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "ingest: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	t0 = mono_ns();
	if (store_run_begin(st) < 0)
		return 1;
	for (long i = 0; i < rows; i++) {
		struct sample_row r = { .worker_id = 1, .t_ns = i * 1000000, .event = "task-clock", .delta = 999000 + i % 1000,
					.enabled_delta = 1000000, .running_delta = 1000000 };

		if (store_sample(st, 1, &r) < 0) {
			fprintf(stderr, "ingest: %s\n", store_errmsg(st));
			return 1;
		}
	}
	if (store_run_commit(st) < 0)
		return 1;
	t1 = mono_ns();
	printf("%ld rows in %.3f s: %.0f rows/s\n", rows, (double)(t1 - t0) / 1e9, (double)rows / ((double)(t1 - t0) / 1e9));
	store_close(st);
	return 0;
}
