/* client.c: the scalprof commands that talk to scalprofd: submit, list,
 * status, watch and cancel (see commands.h). Each sends one request and
 * prints the reply for people; the exit status says how it went. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/campaign.h"
#include "service/client.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "base/log.h"
#include "host/topology.h"
#include "base/util.h"

const char usage_submit[] =
	"usage: scalprof submit FILE.yaml [--scale F] [--watch] [--socket PATH]\n"
	"\n"
	"Checks the campaign here, then queues it on scalprofd; its workers will run\n"
	"as you. Prints the campaign's queue id.\n"
	"  -s, --scale F      multiply every workload's work by F\n"
	"  -w, --watch        then follow it as scalprof watch does\n"
	"  -S, --socket PATH  scalprofd's socket (default $SCALPROF_SOCKET, else\n"
	"                     " CLIENT_DEFAULT_SOCKET ")\n"
	"exit status: 0 queued, 1 scalprofd unreachable, 2 bad usage or invalid campaign\n";
const char usage_list[] =
	"usage: scalprof list [--socket PATH]\n"
	"\n"
	"Every campaign in scalprofd's queue, oldest first.\n"
	"exit status: 0, 1 scalprofd unreachable, 2 bad usage\n";
const char usage_status[] =
	"usage: scalprof status [ID] [--socket PATH]\n"
	"\n"
	"One queued campaign's state, or, without ID, scalprofd's.\n"
	"exit status: 0, 1 scalprofd unreachable, 2 bad usage or no such campaign\n";
const char usage_watch[] =
	"usage: scalprof watch ID [--socket PATH]\n"
	"\n"
	"Follows a queued campaign run by run until it ends, then prints its result\n"
	"table and verdicts.\n"
	"exit status: 0 it completed with every run ok, 1 some run failed, or it\n"
	"failed, was cancelled or interrupted (or scalprofd is unreachable), 2 bad\n"
	"usage or no such campaign\n";
const char usage_cancel[] =
	"usage: scalprof cancel ID [--socket PATH]\n"
	"\n"
	"Cancels a queued or running campaign: yours, or anyone's as root.\n"
	"exit status: 0, 1 scalprofd unreachable, 2 bad usage, no such campaign or not\n"
	"yours\n";

/* the options of a command that only names scalprofd's socket, and of
 * submit */
static const struct option socket_opts[] = {
	{ "socket", required_argument, NULL, 'S' }, { "help", no_argument, NULL, 'h' }, { 0 },
};
static const struct option submit_opts[] = {
	{ "socket", required_argument, NULL, 'S' }, { "scale", required_argument, NULL, 's' },
	{ "watch", no_argument, NULL, 'w' },         { "help", no_argument, NULL, 'h' },
	{ 0 },
};

/* Options and operands of a client command; as cli_parse_opts. */
static int parse(int argc, char **argv, const char *usage, int submit, struct cli_opts *o, int *ex)
{
	return cli_parse_opts(argc, argv, usage, submit ? "S:s:wh" : "S:h", submit ? submit_opts : socket_opts, o,
			      ex);
}

static int parse_id(const char *cmd, const char *text, int64_t *ret)
{
	char *end;
	long long v = strtoll(text, &end, 10);

	if (!*text || *end || v <= 0) {
		log_error("%s: expected a campaign id from scalprof list, got '%s'", cmd, text);
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

/* The one campaign id operand of watch and cancel. Returns 0 with *ret,
 * or the exit status after saying why. */
static int id_operand(int argc, char **argv, int i, const char *usage, int64_t *ret)
{
	if (argc - i != 1) {
		log_error("%s: expected one campaign id", argv[0]);
		fputs(usage, stderr);
		return EXIT_BADINPUT;
	}
	return parse_id(argv[0], argv[i], ret) < 0 ? EXIT_BADINPUT : 0;
}

/* Sends req and reads the first reply; 0 with *ret (ok true) and the open
 * *ret_fd, or the exit status after saying why. */
static int exchange(const char *cmd, const struct cli_opts *o, const struct request *req, int *ret_fd, char **buf,
		    size_t *len, json_object **ret)
{
	char *err = NULL;
	json_object *ok;
	int fd = client_request(client_socket_path(o->socket), req, &err), r;

	if (fd < 0) {
		log_error("%s: %s", cmd, err);
		free(err);
		return EXIT_RUNTIME;
	}
	r = client_next(fd, buf, len, ret, &err);
	if (r <= 0) {
		log_error("%s: %s", cmd, r == 0 ? "scalprofd closed the connection without answering" : err);
		free(err);
		close(fd);
		free(*buf);
		*buf = NULL;
		return EXIT_RUNTIME;
	}
	if (!json_object_object_get_ex(*ret, "ok", &ok) || !json_object_get_boolean(ok)) {
		log_error("%s: %s", cmd, proto_str(*ret, "error") ? proto_str(*ret, "error") : "refused");
		json_object_put(*ret);
		close(fd);
		free(*buf);
		*buf = NULL;
		return EXIT_BADINPUT;
	}
	*ret_fd = fd;
	return 0;
}

/* One request and its one reply, the connection closed: *ret (ok true) or
 * the exit status after saying why. */
static int ask(const char *cmd, const struct cli_opts *o, const struct request *req, json_object **ret)
{
	char *buf = NULL;
	size_t len = 0;
	int fd, ex = exchange(cmd, o, req, &fd, &buf, &len, ret);

	if (ex == 0)
		close(fd);
	free(buf);
	return ex;
}

static void print_event(json_object *e)
{
	const char *ev = proto_str(e, "event");

	if (!ev)
		return;
	if (strcmp(ev, "ceiling") == 0) {
		printf("measuring this machine's memory-bandwidth ceiling and usable cache (once per machine)\n");
	} else if (strcmp(ev, "waiting") == 0) {
		printf("waiting for the experiment lock, held by %s\n", proto_str(e, "holder") ? proto_str(e, "holder") : "?");
	} else if (strcmp(ev, "run") == 0) {
		json_object *w;

		printf("run %lld/%lld: %s, %lld worker%s%s%s, rep %lld: %s", (long long)proto_int(e, "index"),
		       (long long)proto_int(e, "total"), proto_str(e, "workload"), (long long)proto_int(e, "n_workers"),
		       proto_int(e, "n_workers") == 1 ? "" : "s", proto_str(e, "corunner") ? " beside " : "",
		       proto_str(e, "corunner") ? proto_str(e, "corunner") : "", (long long)proto_int(e, "repetition"),
		       proto_str(e, "status"));
		if (json_object_object_get_ex(e, "wall_s", &w) && w)
			printf(", %.3f s", json_object_get_double(w));
		if (proto_str(e, "error"))
			printf(" (%s)", proto_str(e, "error"));
		putchar('\n');
	}
	fflush(stdout);
}

/* follow's answer when scalprofd let an idle watcher go: watch again */
#define FOLLOW_AGAIN (-1)

/* Follows fd's events to the end; returns the exit status, or FOLLOW_AGAIN
 * when scalprofd ended the watch for having sent nothing for a while
 * (clients.watch_idle_s) before the campaign ended. */
static int follow(const char *cmd, int fd, char **buf, size_t *len)
{
	json_object *e;
	char *err = NULL;
	int r;

	while ((r = client_next(fd, buf, len, &e, &err)) > 0) {
		const char *ev = proto_str(e, "event");

		if (ev && strcmp(ev, "idle") == 0) {
			json_object_put(e);
			return FOLLOW_AGAIN;
		}
		if (ev && strcmp(ev, "end") == 0) {
			const char *st = proto_str(e, "status");
			/* done with failed runs is not a success either, as for run */
			int ex = st && strcmp(st, "done") == 0 && !proto_str(e, "error") ? 0 : EXIT_RUNTIME;

			if (proto_str(e, "table"))
				printf("\n%s", proto_str(e, "table"));
			printf("campaign %s%s%s\n", st ? st : "ended", proto_str(e, "error") ? ": " : "",
			       proto_str(e, "error") ? proto_str(e, "error") : "");
			json_object_put(e);
			return ex;
		}
		print_event(e);
		json_object_put(e);
	}
	log_error("%s: %s", cmd, r == 0 ? "scalprofd closed the connection before the campaign ended (stopped?)" : err);
	free(err);
	return EXIT_RUNTIME;
}

/* The campaign file at path, checked here first with the daemon's messages
 * (it checks again), into req. Returns 0, or the exit status after saying
 * why. */
static int load_submission(const char *path, const char *scale, char abs[PATH_MAX], struct topology **topo,
			   struct campaign **c, struct request *req)
{
	char *err = NULL;

	if (scale) {
		char *end;

		req->scale = strtod(scale, &end);
		if (!*scale || *end || !(req->scale > 0) || req->scale > CAMPAIGN_MAX_SCALE) {
			log_error("submit: --scale: expected a number above 0 and at most %g, got '%s'", CAMPAIGN_MAX_SCALE,
				  scale);
			return EXIT_BADINPUT;
		}
	}
	if (!realpath(path, abs)) {
		log_error("cannot read campaign '%s': %s", path, strerror(errno));
		return EXIT_BADINPUT;
	}
	if (topology_new(topo) < 0) {
		log_error("submit: cannot read the machine's topology");
		return EXIT_RUNTIME;
	}
	if (campaign_load(abs, *topo, c, &err) < 0) {
		log_error("%s", err);
		free(err);
		return EXIT_BADINPUT;
	}
	req->yaml = (*c)->yaml;
	req->path = abs;
	return 0;
}

/* Follows queued campaign id to its end (scalprof watch, and submit
 * --watch); with header, first a line saying where it stands. A watch
 * that scalprofd ends for being idle (a campaign waiting in the queue) is
 * taken up again, unseen. Returns the exit status. */
static int watch_campaign(const struct cli_opts *o, int64_t id, int header)
{
	struct request w = { .op = OP_WATCH, .id = id };
	json_object *reply, *c;
	int fd, ex;

	do {
		char *buf = NULL;
		size_t len = 0;

		ex = exchange("watch", o, &w, &fd, &buf, &len, &reply);
		if (ex)
			return ex;
		if (header && json_object_object_get_ex(reply, "campaign", &c)) {
			printf("campaign %lld '%s' of %s: %s, %lld/%lld runs\n", (long long)proto_int(c, "id"),
			       proto_str(c, "name"), proto_str(c, "user"), proto_str(c, "status"),
			       (long long)proto_int(c, "runs_done"), (long long)proto_int(c, "runs_total"));
			fflush(stdout);
		}
		header = 0;
		json_object_put(reply);
		ex = follow("watch", fd, &buf, &len);
		close(fd);
		free(buf);
	} while (ex == FOLLOW_AGAIN);
	return ex;
}

int cmd_submit(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct request req = { .op = OP_SUBMIT };
	struct topology *topo = NULL;
	struct campaign *c = NULL;
	char abs[PATH_MAX];
	json_object *reply;
	int ex, i = parse(argc, argv, usage_submit, 1, &o, &ex);

	if (i < 0)
		return ex;
	if (argc - i != 1) {
		log_error("submit: expected one campaign file");
		fputs(usage_submit, stderr);
		return EXIT_BADINPUT;
	}
	ex = load_submission(argv[i], o.scale, abs, &topo, &c, &req);
	if (ex == 0)
		ex = ask("submit", &o, &req, &reply);
	if (ex == 0) {
		int64_t id = proto_int(reply, "id");

		printf("queued campaign '%s' as %lld (%lld runs); follow it with: scalprof watch %lld\n",
		       proto_str(reply, "name"), (long long)id, (long long)proto_int(reply, "runs"), (long long)id);
		fflush(stdout);
		json_object_put(reply);
		if (o.watch)
			ex = watch_campaign(&o, id, 0);
	}
	campaign_free(c);
	topology_free(topo);
	return ex;
}

int cmd_list(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct request req = { .op = OP_LIST };
	json_object *reply, *a;
	int ex, i = parse(argc, argv, usage_list, 0, &o, &ex);

	if (i < 0)
		return ex;
	if (i != argc) {
		log_error("list: unexpected argument '%s'", argv[i]);
		return EXIT_BADINPUT;
	}
	ex = ask("list", &o, &req, &reply);
	if (ex)
		return ex;
	printf("%5s  %-24s  %-12s  %-11s  %9s  %s\n", "id", "name", "user", "status", "runs", "submitted");
	if (json_object_object_get_ex(reply, "campaigns", &a))
		for (size_t k = 0; k < json_object_array_length(a); k++) {
			json_object *it = json_object_array_get_idx(a, k);
			char runs[32];

			snprintf(runs, sizeof(runs), "%lld/%lld", (long long)proto_int(it, "runs_done"),
				 (long long)proto_int(it, "runs_total"));
			printf("%5lld  %-24s  %-12s  %-11s  %9s  %s\n", (long long)proto_int(it, "id"), proto_str(it, "name"),
			       proto_str(it, "user"), proto_str(it, "status"), runs, proto_str(it, "submitted_at"));
		}
	json_object_put(reply);
	return 0;
}

static void print_fields(json_object *o)
{
	json_object_object_foreach(o, key, val)
		printf("%-16s %s\n", key, val ? json_object_get_string(val) : "-");
}

int cmd_status(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct request req = { .op = OP_STATUS };
	json_object *reply, *v;
	int ex, i = parse(argc, argv, usage_status, 0, &o, &ex);

	if (i < 0)
		return ex;
	if (argc - i > 1) {
		log_error("status: expected at most one campaign id");
		fputs(usage_status, stderr);
		return EXIT_BADINPUT;
	}
	if (argc - i == 1 && parse_id("status", argv[i], &req.id) < 0)
		return EXIT_BADINPUT;
	ex = ask("status", &o, &req, &reply);
	if (ex)
		return ex;
	if (json_object_object_get_ex(reply, "daemon", &v) || json_object_object_get_ex(reply, "campaign", &v))
		print_fields(v);
	json_object_put(reply);
	return 0;
}

int cmd_watch(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	int64_t id;
	int ex, i = parse(argc, argv, usage_watch, 0, &o, &ex);

	if (i < 0)
		return ex;
	ex = id_operand(argc, argv, i, usage_watch, &id);
	return ex ? ex : watch_campaign(&o, id, 1);
}

int cmd_cancel(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct request req = { .op = OP_CANCEL };
	json_object *reply;
	int ex, i = parse(argc, argv, usage_cancel, 0, &o, &ex);

	if (i < 0)
		return ex;
	ex = id_operand(argc, argv, i, usage_cancel, &req.id);
	if (ex)
		return ex;
	ex = ask("cancel", &o, &req, &reply);
	if (ex)
		return ex;
	printf("campaign %lld cancelled\n", (long long)proto_int(reply, "id"));
	json_object_put(reply);
	return 0;
}
