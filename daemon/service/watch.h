/* watch.h: clients following a campaign (the watch request): each gets the
 * executor's progress lines as they come and, at the campaign's end, an
 * "end" event with its status and result table, after which it is let go.
 * A watcher sent nothing for clients.watch_idle_s gets an "idle" event and
 * is let go too: a slot is not held for ever (the client watches again). */
#ifndef SCALPROF_WATCH_H
#define SCALPROF_WATCH_H

#include <stdint.h>

#include <json-c/json.h>

#include "service/daemon.h"

/* c follows qid from now on (its reply is sent: c is not closing). */
void watch_start(struct daemon *d, struct conn *c, int64_t qid);

/* Lets go, with {"event": "idle", "error": MESSAGE, "idle_s": S}, each
 * watcher sent nothing for clients.watch_idle_s by now_ns. Does not log. */
void watch_tick(struct daemon *d, int64_t now_ns);

/* Sends line (one JSON line with its '\n'; not taken) to qid's watchers. */
void watch_event(struct daemon *d, int64_t qid, const char *line);

/* The end of campaign qid as an event, fresh: {"event": "end", "status",
 * "error", "table", "campaign_id", "campaign"}, with what the store has.
 * Logs a result table it could not write. */
json_object *watch_end_event(struct daemon *d, int64_t qid);

/* Sends qid's watchers its end event and lets them go. */
void watch_end(struct daemon *d, int64_t qid);

#endif
