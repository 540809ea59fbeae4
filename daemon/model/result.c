/* result.c: the names of a run's and a worker's outcome (see result.h), as
 * the store writes them and the programs print them. */
#include "base/util.h"
#include "model/result.h"

const char *worker_status_name(enum worker_status s)
{
	static const char *const n[] = { "ok", "exit_nonzero", "signaled", "exec_failed", "timeout", "killed" };

	return (unsigned)s < ARRAY_SIZE(n) ? n[s] : "killed";
}

const char *run_status_name(enum run_status s)
{
	static const char *const n[] = { "ok", "failed", "timeout", "interrupted" };

	return (unsigned)s < ARRAY_SIZE(n) ? n[s] : "failed";
}
