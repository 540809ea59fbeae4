/* log.c: messages to stderr, prefixed with the program name, lower case,
 * what failed first. The engine never calls these with an error it also
 * returns: one message per failure, printed by whoever decides what to do. */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static const char *log_prog = "scalprof";
static enum log_level log_max = LOG_LVL_INFO;

void log_init(const char *progname, enum log_level level)
{
	log_prog = progname;
	log_max = level;
}

static void log_v(enum log_level lvl, const char *tag, const char *fmt, va_list ap)
{
	if (lvl > log_max)
		return;
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
