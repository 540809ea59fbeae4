/* campaign.h: an experiment campaign as read from YAML: what to run, on how
 * many workers, how often, and what to count. See scalprof.yaml(5).
 *
 * The model layer (daemon/model/: campaign, yamlloc, yamlerr, plan,
 * result, ceiling and the verdict's and report's data) holds plain data and
 * its parsing and validation: what a campaign asks for, what a run
 * produced, what a verdict found. It does no I/O beyond reading the
 * campaign text, and uses host/ (topology, event names) and base/ only.
 */
#ifndef SCALPROF_CAMPAIGN_H
#define SCALPROF_CAMPAIGN_H

#include <stddef.h>

#include "host/events.h"
#include "host/topology.h"
#include "model/variant.h"

enum wl_mode { MODE_COPIES, MODE_TEAM };

/* bandit: the most levels a list may give; true gives these (as a
 * fraction of the bandwidth co-runner's own full rate) */
#define CAMPAIGN_MAX_BANDIT_LEVELS 11
#define CAMPAIGN_DEFAULT_BANDIT_LEVELS { 0, 0.25, 0.5, 0.75, 1 }

struct workload {
	char *name;
	char **command;          /* argv, NULL-terminated; for a builtin:
				  * scalprof-kernels NAME ARGS... */
	size_t command_count;
	char *builtin;
	char **args;
	size_t args_count;
	char **env;              /* "KEY=VALUE" added to the environment */
	size_t env_count;
	char *cwd;               /* absolute: relative ones are resolved */
	enum wl_mode mode;
	int interference;        /* run again beside co-runners */
	double bandit[CAMPAIGN_MAX_BANDIT_LEVELS]; /* the graded bandit's levels, as listed */
	int nbandit;             /* 0: no bandit runs */
};

struct campaign {
	char *name;
	char *description;
	char *source;            /* the file it came from */
	char *yaml;              /* the text exactly as read */
	size_t yaml_len;
	int *workers;            /* worker counts in the order given */
	size_t nworkers;
	int repetitions;
	int warmup;              /* unstored runs before each workload and count's first */
	double timeout_s;
	double scale;            /* multiplies every workload's work */
	int interval_ms;         /* timeline tick; 0: totals only */
	int profile_hz;          /* call-stack samples per second; 0: no profile */
	int profile_offcpu;      /* with the profile: off-CPU stacks too */
	int bandwidth;           /* the memory-bandwidth probe (default on) */
	char **mc_read, **mc_write; /* memory_counters named by the user */
	size_t mc_read_count, mc_write_count;
	int oversubscribe;
	enum placement placement;
	struct event_spec *events; /* presets expanded, encoded */
	size_t nevents;
	struct workload *workloads;
	size_t nworkloads;
	struct variant *variants;  /* run beside the baseline, interleaved with it */
	size_t nvariants;
	int confirm;               /* after the runs, test each leading cause by intervention */
	char *kernels;           /* scalprof-kernels, when a builtin is used */
	char **cwds;             /* resolved cwd of each workload (or NULL) */
	void *raw;               /* libcyaml's allocation */
};

#define CAMPAIGN_DEFAULT_REPETITIONS 3
#define CAMPAIGN_DEFAULT_TIMEOUT_S 600.0
#define CAMPAIGN_MAX_WARMUP 100

/* The bounds of a campaign text, checked before it is loaded, for
 * `scalprof check` and `run` and for every submission to scalprofd, which
 * parses it in its one event loop. libyaml's cost grows with the square of
 * the nesting depth (a megabyte of "[[[[" kept scalprofd busy for over ten
 * minutes); libcyaml grows a list by one realloc per entry, which costs
 * the square of its length where realloc copies (under AddressSanitizer,
 * make fuzz: 16384 entries took over 10 s, 4096 about 1 s). Within these
 * bounds a campaign parses in milliseconds. A campaign nests 4 levels deep
 * (the top, workloads, a workload, its command) and holds tens to a few
 * hundred nodes, so these leave room; see scalprof.yaml(5), Limits. */
#define CAMPAIGN_MAX_BYTES (1 << 20) /* the text, at most */
#define CAMPAIGN_MAX_DEPTH 64        /* mappings and sequences inside one another */
#define CAMPAIGN_MAX_NODES 4096      /* keys, values, mappings and sequences */
#define CAMPAIGN_MAX_SCALE 1000.0
#define CAMPAIGN_DEFAULT_INTERVAL_MS 100
/* profile: true samples at 499 Hz, a prime, so that the samples do not
 * fall into step with a workload's own periodic work (perf's habit too) */
#define CAMPAIGN_DEFAULT_PROFILE_HZ 499
#define CAMPAIGN_MAX_PROFILE_HZ 10000

/* Reads and validates the campaign in path against topo (worker counts are
 * checked against its physical cores). Relative cwd paths are taken from
 * the directory of path. A builtin needs the scalprof-kernels program:
 * SCALPROF_KERNELS, else beside this executable, else in the libexec
 * directory it was built for. Returns 0 and *ret (campaign_free
 * it); -EINVAL for bad input with *ret_error set to one message of the form
 * "FILE:LINE:COL: FIELD.PATH: what is wrong"; another -errno when the file
 * cannot be read, with *ret_error saying so. Does not log. */
int campaign_load(const char *path, const struct topology *topo, struct campaign **ret, char **ret_error);
/* The same for text already in memory; name is used in messages. A text
 * larger than CAMPAIGN_MAX_BYTES, nested deeper than CAMPAIGN_MAX_DEPTH or
 * with more than CAMPAIGN_MAX_NODES nodes is refused (-EINVAL) before it is
 * loaded, with the position of the first node over the limit. */
int campaign_parse(const char *name, const char *text, size_t len, const struct topology *topo,
		   struct campaign **ret, char **ret_error);
/* What a campaign that does not say gets instead of the built-in
 * defaults (scalprofd's configuration); 0 fields keep the built-in ones. */
struct campaign_defaults {
	int repetitions;
	double timeout_s;
};
/* A campaign submitted to the daemon, name being the path its client
 * sent (used for messages and as the directory its paths are relative
 * to): as campaign_parse, with d's defaults (NULL: none), except that no
 * path is looked up on the daemon's filesystem: each workload's cwd (the
 * campaign file's directory when it has none) is joined, not resolved,
 * for its worker to enter with the submitter's rights. */
int campaign_parse_submitted(const char *name, const char *text, size_t len, const struct topology *topo,
			     const struct campaign_defaults *d, struct campaign **ret, char **ret_error);
void campaign_free(struct campaign *c);

/* What `scalprof run [options] -- COMMAND` asks for. Every value is text as
 * the user typed it; NULL takes the default. */
struct campaign_command {
	char *const *argv;        /* the command, NULL-terminated, argv[0] given */
	const char *name;         /* campaign and workload; NULL: argv[0]'s basename */
	const char *workers;      /* as workers: "1,2,4", "1..4", "all"; NULL: 1..all */
	const char *repetitions;  /* NULL: 3 */
	const char *warmup;       /* NULL: 0 */
	const char *scale;        /* NULL: none written (1) */
	const char *cwd;          /* absolute: the directory the command runs in */
	int team, interference, profile;
};
/* The campaign text for cc, to be read by campaign_parse like any other,
 * so that one parser validates every value (a bad one is reported at its
 * line in this text, with its field path). Values are written so that none
 * can add keys: plain words as they are, anything else double-quoted.
 * Returns the text (free it); does not fail except by aborting on
 * out-of-memory. */
char *campaign_command_yaml(const struct campaign_command *cc);

/* Replaces the campaign's scale (e.g. from --scale). Returns 0, or -EINVAL
 * when it is not in (0, CAMPAIGN_MAX_SCALE]. */
int campaign_set_scale(struct campaign *c, double scale);

/* The first workload that runs a python interpreter (conditions record
 * that interpreter's version), or NULL. */
const struct workload *campaign_python(const struct campaign *c);

const char *wl_mode_name(enum wl_mode m);
const char *placement_name(enum placement p);

#endif
