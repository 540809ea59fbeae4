/* version.h: the version of scalprof and scalprofd, one string for both,
 * set by the Makefile from scripts/version.sh (git describe). */
#ifndef SCALPROF_BASE_VERSION_H
#define SCALPROF_BASE_VERSION_H

/* "0.1-g7d99b11", "0.2", ...: never NULL. */
const char *scalprof_version(void);

#endif
