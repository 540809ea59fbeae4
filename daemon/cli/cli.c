/* cli.c: the option parser and loaders every command shares (see cli.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "cli/cli.h"
#include "engine/ceiling.h"
#include "engine/lock.h"

int cli_parse_opts(int argc, char **argv, const char *usage, const char *shortopts,
		      const struct option *longopts, struct cli_opts *o, int *ret_exit)
{
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(usage, stdout);
			*ret_exit = 0;
			return -1;
		case 'd': o->db = optarg; break;
		case 'p': o->placement = optarg; break;
		case 'f': o->format = optarg; break;
		case 'c': o->campaign = optarg; break;
		case 'q': o->quiet = 1; break;
		case 's': o->scale = optarg; break;
		case 'n': o->no_probe = 1; break;
		case 'r': o->runs = 1; break;
		case 'e': o->event = optarg; break;
		case 'P': o->plot = optarg; break;
		case 'S': o->socket = optarg; break;
		case 'w': o->watch = 1; break;
		case 'v': o->verbose = 1; break;
		case 'm': o->max_mib = optarg; break;
		case 'o': o->output = optarg; break;
		case 'O': o->offcpu = 1; break;
		case 'F': o->folded = 1; break;
		case 'D': o->diff = 1; break;
		case '2': o->db2 = optarg; break;
		case 'a': o->all = 1; break;
		default:
			if (optopt)
				log_error("%s: option '-%c' %s", argv[0], optopt,
					  strchr(shortopts, optopt) ? "needs a value" : "is unknown");
			else
				log_error("%s: option '%s' is unknown or needs a value", argv[0], argv[optind - 1]);
			fputs(usage, stderr);
			*ret_exit = EXIT_BADINPUT;
			return -1;
		}
	}
	return optind;
}

const struct option cli_help_only[] = { { "help", no_argument, NULL, 'h' }, { 0 } };

int cli_load_topology(struct topology **ret)
{
	int r = topology_new(ret);

	if (r < 0)
		log_error("cannot read the machine's topology%s%s: %s",
			  getenv("SCALPROF_TOPOLOGY") ? " from SCALPROF_TOPOLOGY=" : "",
			  getenv("SCALPROF_TOPOLOGY") ? getenv("SCALPROF_TOPOLOGY") : "", strerror(-r));
	return r;
}

int cli_load_campaign(const char *path, const struct topology *topo, struct campaign **ret)
{
	char *err = NULL;
	int r = campaign_load(path, topo, ret, &err);

	if (r < 0) {
		log_error("%s", err);
		free(err);
	}
	return r;
}

int cli_parse_scale(const char *cmd, const char *text, double *ret)
{
	char *end;
	double v;

	*ret = 1;
	if (!text)
		return 0;
	v = strtod(text, &end);
	if (!*text || *end || !(v > 0) || v > CAMPAIGN_MAX_SCALE) {
		log_error("%s: --scale: expected a number above 0 and at most %g, got '%s'", cmd, CAMPAIGN_MAX_SCALE,
			  text);
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

int cli_parse_max_mib(const char *cmd, const char *text, uint64_t *ret)
{
	const char *what;

	if (ceiling_max_bytes(text, ret, &what) == 0)
		return 0;
	log_error("%s: %s: expected a whole number of MiB from 1 to %u, got '%s'", cmd, what, CEILING_MAX_MIB,
		  text ? text : getenv("SCALPROF_PROBE_MAX_MIB"));
	return -EINVAL;
}

int cli_parse_format(const char *cmd, const char *text, int allow_json, enum report_format *ret)
{
	*ret = REPORT_TEXT;
	if (!text || strcmp(text, "text") == 0)
		return 0;
	if (strcmp(text, "csv") == 0) {
		*ret = REPORT_CSV;
		return 0;
	}
	if (allow_json && strcmp(text, "json") == 0) {
		*ret = REPORT_JSON;
		return 0;
	}
	log_error("%s: --format: expected text%s csv%s, got '%s'", cmd, allow_json ? "," : " or",
		  allow_json ? " or json" : "", text);
	return -EINVAL;
}

int cli_campaign_operand(int argc, char **argv, int i, const char *usage, const char *scale,
			    struct topology **ret_topo, struct campaign **ret_c)
{
	if (argc - i != 1) {
		log_error("%s: expected one campaign file", argv[0]);
		fputs(usage, stderr);
		return EXIT_BADINPUT;
	}
	if (cli_load_topology(ret_topo) < 0)
		return EXIT_RUNTIME;
	if (cli_load_campaign(argv[i], *ret_topo, ret_c) < 0) {
		topology_free(*ret_topo);
		*ret_topo = NULL;
		return EXIT_BADINPUT;
	}
	if (scale) {
		double v;

		if (cli_parse_scale(argv[0], scale, &v) < 0) {
			campaign_free(*ret_c);
			topology_free(*ret_topo);
			*ret_c = NULL;
			*ret_topo = NULL;
			return EXIT_BADINPUT;
		}
		campaign_set_scale(*ret_c, v);
	}
	return 0;
}

int cli_take_experiment_lock(const char *what)
{
	char *user = user_name(getuid());
	char *who = xasprintf("scalprof (pid %d, user %s): %s", (int)getpid(), user, what);
	char *holder = NULL;
	int fd = lock_take(lock_default_path(), who, &holder);

	if (fd == -EBUSY)
		log_error("another experiment is running on this machine: %s. Measuring beside it would spoil both: "
			  "wait until it ends (scalprof list shows the daemon's queue)", holder);
	else if (fd < 0)
		log_warnx("%s: running without the experiment lock", holder);
	free(holder);
	free(who);
	free(user);
	return fd;
}

struct store *cli_open_readonly(const char *cmd, const char *path)
{
	struct store *st = NULL;
	char *err = NULL;
	int r = store_open_readonly(path, &st, &err);

	if (r == -ENOENT)
		log_error("%s: no database at '%s' (run a campaign first, or give --db)", cmd, path);
	else if (r == -EPROTO)
		log_error("%s: %s", cmd, err);
	else if (r < 0)
		log_error("%s", err);
	free(err);
	return r < 0 ? NULL : st;
}
