/* log.h: the one place messages reach the user. Only the programs' top
 * levels (and the daemon's loop) call these; the engine returns errors. */
#ifndef SCALPROF_LOG_H
#define SCALPROF_LOG_H

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/* Sets the program name printed before each message and the verbosity. */
void log_init(const char *progname, enum log_level level);
/* Prefix each line with its syslog priority, "<3>" and so on, as the
 * journal reads a service's stderr (sd-daemon(3)), instead of the name. */
void log_use_priority_prefix(int on);
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
