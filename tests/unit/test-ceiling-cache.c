/* test-ceiling-cache.c: the machine's ceiling kept between databases
 * (engine/ceiling.h): a round trip keeps every figure (INFINITY included),
 * and a file that is absent, older than 30 days, of another key, or
 * damaged is not used. The cache is a scratch directory named by
 * SCALPROF_CACHE_DIR; the key includes the core count of the topology and
 * the size limit. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "engine/ceiling.h"
#include "tap.h"

static struct ceiling *sample(void)
{
	struct ceiling *c = xcalloc(1, sizeof(*c));

	c->ncounts = 3;
	for (int n = 0; n < 3; n++) {
		c->copy_mbps[n] = 10000.5 * (n + 1);
		c->triad_mbps[n] = 9000.25 * (n + 1);
	}
	c->array_bytes = 8u << 20;
	c->nsizes = 3;
	c->bytes[0] = 1 << 20;
	c->ns[0] = 4.4;
	c->bytes[1] = 4 << 20;
	c->ns[1] = 12.125;
	c->bytes[2] = 8 << 20;
	c->ns[2] = INFINITY;
	c->threshold_ns = 34.3;
	c->usable_llc_bytes = 4 << 20;
	return c;
}

/* The single cache file in dir, fresh. */
static char *only_file(const char *dir)
{
	char cmd[600], line[600] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls %s/ceiling-* 2>/dev/null", dir);
	p = popen(cmd, "r");
	if (p && fgets(line, sizeof(line), p))
		line[strcspn(line, "\n")] = '\0';
	if (p)
		pclose(p);
	return xstrdup(line);
}

/* Replaces the line of file starting with prefix by repl. */
static void rewrite(const char *file, const char *prefix, const char *repl)
{
	char *text = NULL, *out, *save = NULL;
	size_t len;
	FILE *f;

	if (read_file_limited(file, 1 << 20, &text, &len) < 0)
		return;
	out = xcalloc(1, len + strlen(repl) + 2);
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		strcat(out, strncmp(l, prefix, strlen(prefix)) == 0 ? repl : l);
		strcat(out, "\n");
	}
	f = fopen(file, "w");
	if (f) {
		fputs(out, f);
		fclose(f);
	}
	free(out);
	free(text);
}

int main(void)
{
	char dir[] = "/tmp/test-ceiling-cache.XXXXXX", line[64], *key, *key2, *err = NULL, *file, *cmd;
	struct topology *topo = NULL, *topo4 = NULL;
	struct ceiling *c = sample(), *got = xcalloc(1, sizeof(*got));

	if (!mkdtemp(dir) || topology_new_synthetic("pack:1 core:2 pu:1", &topo) < 0 ||
	    topology_new_synthetic("pack:1 core:4 pu:1", &topo4) < 0) {
		printf("Bail out! no scratch directory or synthetic topology\n");
		return 1;
	}
	setenv("SCALPROF_CACHE_DIR", dir, 1);
	key = ceiling_cache_key(topo, 8u << 20);
	key2 = ceiling_cache_key(topo, 4u << 20);
	ok(strstr(key, "cores=2 ") && strstr(key, "max_bytes=8388608"), "the key names the cores and limit: %s", key);
	ok(strcmp(key, key2) != 0, "another size limit, another key");
	{
		char *k4 = ceiling_cache_key(topo4, 8u << 20);

		ok(strcmp(key, k4) != 0, "another core count, another key");
		free(k4);
	}

	is_int(ceiling_cache_load(key, got), -ENOENT, "nothing kept yet: -ENOENT");
	is_int(ceiling_cache_save(key, c, &err), 0, "saved");
	free(err);
	err = NULL;
	file = only_file(dir);
	ok(*file != '\0', "as one file: %s", file);
	is_int(ceiling_cache_load(key, got), 0, "loaded");
	ok(got->ncounts == 3 && got->copy_mbps[2] == c->copy_mbps[2] && got->triad_mbps[1] == c->triad_mbps[1],
	   "the bandwidths, exactly");
	ok(got->nsizes == 3 && got->bytes[1] == c->bytes[1] && got->ns[1] == c->ns[1] && isinf(got->ns[2]),
	   "the latency sweep, a size without a reading still INFINITY");
	ok(got->usable_llc_bytes == c->usable_llc_bytes && got->array_bytes == c->array_bytes &&
	   got->threshold_ns == c->threshold_ns, "the usable cache, the array size and the threshold");
	ok(llabs(got->measured_at - (long long)time(NULL)) < 60, "dated now (%lld)", (long long)got->measured_at);
	is_str(got->from, file, "and says which file it came from");
	is_int(ceiling_cache_load(key2, got), -ENOENT, "another key finds nothing");

	/* 31 days old: stale; 29: still good */
	snprintf(line, sizeof(line), "measured_at %lld", (long long)time(NULL) - 31 * 86400);
	rewrite(file, "measured_at ", line);
	is_int(ceiling_cache_load(key, got), -ESTALE, "older than 30 days: -ESTALE");
	snprintf(line, sizeof(line), "measured_at %lld", (long long)time(NULL) - 29 * 86400);
	rewrite(file, "measured_at ", line);
	is_int(ceiling_cache_load(key, got), 0, "29 days old: used");

	/* the file of this key's name, but another key inside */
	rewrite(file, "key ", "key machine-id=another cpu=x cores=2 memory=1 kernel=0 max_bytes=8388608");
	is_int(ceiling_cache_load(key, got), -ESTALE, "another key inside: -ESTALE");

	/* damaged */
	is_int(ceiling_cache_save(key, c, &err), 0, "saved again");
	free(err);
	err = NULL;
	rewrite(file, "bandwidth 2 ", "bandwidth 2 lots");
	is_int(ceiling_cache_load(key, got), -EINVAL, "a damaged line: -EINVAL");
	rewrite(file, "scalprof ceiling cache", "something else");
	is_int(ceiling_cache_load(key, got), -EINVAL, "not our file: -EINVAL");

	/* a directory that cannot be made: said, not hidden */
	setenv("SCALPROF_CACHE_DIR", "/proc/no-such/dir", 1);
	ok(ceiling_cache_save(key, c, &err) < 0 && err &&
		   strstr(err, "cannot create the cache directory '/proc/no-such/dir'"),
	   "an unusable directory: %s", err ? err : "(no message)");
	free(err);

	cmd = xasprintf("rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	free(cmd);
	free(file);
	free(key);
	free(key2);
	free(c);
	free(got);
	topology_free(topo);
	topology_free(topo4);
	return done_testing();
}
