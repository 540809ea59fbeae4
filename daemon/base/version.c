/* version.c: the version string (see version.h). Only this file is built
 * with -DSCALPROF_VERSION, so a new version recompiles one file. */
#include "base/version.h"

#ifndef SCALPROF_VERSION
#define SCALPROF_VERSION "unknown" /* built without the Makefile */
#endif

const char *scalprof_version(void)
{
	return SCALPROF_VERSION;
}
