/* watch.c: clients following a campaign (see watch.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/report.h"
#include "base/log.h"
#include "base/util.h"
#include "service/conn.h"
#include "service/watch.h"
#include "store/queue.h"

/* When c, sent something now, is let go if nothing more comes. */
static int64_t idle_deadline(const struct daemon *d, int64_t now_ns)
{
	return now_ns + (int64_t)(d->cfg.clients.watch_idle_s * 1e9);
}

void watch_start(struct daemon *d, struct conn *c, int64_t qid)
{
	c->watch = qid;
	c->deadline_ns = idle_deadline(d, mono_ns());
}

void watch_tick(struct daemon *d, int64_t now_ns)
{
	struct conn *next;

	for (struct conn *c = d->conns; c; c = next) {
		json_object *o;
		char *msg;

		next = c->next; /* conn_flush may free c */
		if (!c->watch || c->closing || now_ns <= c->deadline_ns)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "event", json_object_new_string("idle"));
		msg = xasprintf("nothing to report for %g s (clients.watch_idle_s in %s): this watch ends here; "
				"watch the campaign again to go on following it",
				d->cfg.clients.watch_idle_s, d->config_path);
		json_object_object_add(o, "error", json_object_new_string(msg));
		free(msg);
		json_object_object_add(o, "idle_s", json_object_new_double(d->cfg.clients.watch_idle_s));
		conn_reply(c, proto_line(o));
		c->closing = 1;
		conn_flush(d, c);
	}
}

/* line to each of qid's watchers; last lets them go after it. */
static void to_watchers(struct daemon *d, int64_t qid, const char *line, int last)
{
	struct conn *next;
	int64_t deadline = idle_deadline(d, mono_ns());

	for (struct conn *c = d->conns; c; c = next) {
		next = c->next; /* conn_flush may free c */
		if (c->watch == qid) {
			c->deadline_ns = deadline;
			conn_reply(c, xstrdup(line));
			if (last)
				c->closing = 1;
			conn_flush(d, c);
		}
	}
}

void watch_event(struct daemon *d, int64_t qid, const char *line)
{
	to_watchers(d, qid, line, 0);
}

/* campaign_id's result table as text into o's "table". */
static void add_table(struct daemon *d, int64_t campaign_id, json_object *o)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int r;

	if (!f)
		return;
	r = report_campaign(d->st, campaign_id, REPORT_TEXT, 0, f);
	if (fclose(f) == 0 && r == 0)
		json_object_object_add(o, "table", json_object_new_string(text));
	else if (r < 0)
		log_error("campaign %lld: its table: %s", (long long)campaign_id,
			  r == -EIO ? store_errmsg(d->st) : strerror(-r));
	free(text);
}

json_object *watch_end_event(struct daemon *d, int64_t qid)
{
	json_object *o = json_object_new_object(), *item = NULL;
	struct queue_item it;

	json_object_object_add(o, "event", json_object_new_string("end"));
	if (queue_get(d->st, qid, &it) == 0) {
		json_object_object_add(o, "status", json_object_new_string(it.status));
		json_object_object_add(o, "error", proto_new_str(it.error));
		if (it.campaign_id) {
			add_table(d, it.campaign_id, o);
			json_object_object_add(o, "campaign_id", json_object_new_int64(it.campaign_id));
		}
		queue_item_clear(&it);
	}
	if (queue_get_json(d->st, qid, &item) == 0)
		json_object_object_add(o, "campaign", item);
	return o;
}

void watch_end(struct daemon *d, int64_t qid)
{
	char *line = proto_line(watch_end_event(d, qid));

	to_watchers(d, qid, line, 1);
	free(line);
}
