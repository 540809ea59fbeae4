/* requests.h: what scalprofd does for each request of its protocol
 * (proto.h): submit, list, status, watch and cancel. A submission is
 * loaded and checked as the client would (same loader, same messages) and
 * bounded by max_runs before it is queued, and a user but root has at most
 * clients.queued_per_user campaigns queued or running; a cancel is allowed
 * to its submitter and root only. */
#ifndef SCALPROF_REQUESTS_H
#define SCALPROF_REQUESTS_H

#include "service/conn.h"
#include "service/daemon.h"
#include "service/proto.h"

/* Answers req from c: the reply (or error) is queued on c, which is marked
 * closing unless it now watches a campaign; the caller flushes c. Logs
 * submissions and cancels. */
void requests_handle(struct daemon *d, struct conn *c, const struct request *req);

#endif
