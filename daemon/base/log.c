/* log.c: messages to stderr, prefixed with the program name, lower case,
 * what failed first. The engine never calls these with an error it also
 * returns: one message per failure, printed by whoever decides what to do. */
#include <stdarg.h>
#include <stdio.h>

#include "base/log.h"

static const char *log_prog = "scalprof";
static enum log_level log_max = LOG_LVL_INFO;
static int log_priority; /* sd-daemon(3) "<N>" prefixes for the journal */

void log_init(const char *progname, enum log_level level)
{
	log_prog = progname;
	log_max = level;
}

void log_use_priority_prefix(int on)
{
	log_priority = on;
}

static void log_v(enum log_level lvl, const char *tag, const char *fmt, va_list ap)
{
	/* syslog priorities: err, warning, info, debug */
	static const char *const prio[] = { "<3>", "<4>", "<6>", "<7>" };

	if (lvl > log_max)
		return;
	if (log_priority)
		fprintf(stderr, "%s%s", prio[lvl], tag);
	else
		fprintf(stderr, "%s: %s", log_prog, tag);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define LOG_FN(name, lvl, tag)                \
	void name(const char *fmt, ...)       \
	{                                     \
		va_list ap;                   \
		va_start(ap, fmt);            \
		log_v(lvl, tag, fmt, ap);     \
		va_end(ap);                   \
	}

LOG_FN(log_error, LOG_LVL_ERROR, "")
LOG_FN(log_warnx, LOG_LVL_WARN, "warning: ")
LOG_FN(log_info, LOG_LVL_INFO, "")
LOG_FN(log_debug, LOG_LVL_DEBUG, "debug: ")
