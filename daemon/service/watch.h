/* watch.h: clients following a campaign (the watch request): each gets the
 * executor's progress lines as they come and, at the campaign's end, an
 * "end" event with its status and result table, after which it is let go. */
#ifndef SCALPROF_WATCH_H
#define SCALPROF_WATCH_H

#include <stdint.h>

#include <json-c/json.h>

#include "service/daemon.h"

/* Sends line (one JSON line with its '\n'; not taken) to qid's watchers. */
void watch_event(struct daemon *d, int64_t qid, const char *line);

/* The end of campaign qid as an event, fresh: {"event": "end", "status",
 * "error", "table", "campaign_id", "campaign"}, with what the store has.
 * Logs a result table it could not write. */
json_object *watch_end_event(struct daemon *d, int64_t qid);

/* Sends qid's watchers its end event and lets them go. */
void watch_end(struct daemon *d, int64_t qid);

#endif
