/* report_data.c: freeing the report's plain data (see report_data.h). */
#include <stdlib.h>
#include <string.h>

#include "model/report_data.h"

void report_head_clear(struct report_head *h)
{
	free(h->name);
	free(h->status);
	free(h->started_at);
	free(h->finished_at);
	free(h->error);
	free(h->hostname);
	free(h->cpu_model);
	free(h->hypervisor);
	memset(h, 0, sizeof(*h));
}

void report_table_clear(struct report_table *t)
{
	for (size_t i = 0; i < t->nrows; i++) {
		free(t->rows[i].workload);
		free(t->rows[i].mode);
		free(t->rows[i].ev);
		free(t->rows[i].bw_source);
	}
	free(t->rows);
	for (size_t e = 0; e < t->nevents; e++) {
		free(t->events[e].name);
		free(t->events[e].reason);
	}
	free(t->events);
	for (size_t i = 0; i < t->nnotes; i++) {
		free(t->notes[i].source);
		free(t->notes[i].reason);
	}
	free(t->notes);
	memset(t, 0, sizeof(*t));
}
