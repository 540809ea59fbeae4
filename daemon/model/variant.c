/* variant.c: a campaign's variants: their YAML shape, their checks, and the
 * interventions confirm chooses from (see variant.h). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "model/variant.h"

static const cyaml_schema_value_t variant_string = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};
static const cyaml_strval_t thp_names[] = { { "inherit", VTHP_INHERIT }, { "never", VTHP_NEVER } };
static const cyaml_strval_t memory_names[] = {
	{ "inherit", VMEM_INHERIT }, { "local", VMEM_LOCAL }, { "interleave", VMEM_INTERLEAVE },
};
static const cyaml_strval_t vplacement_names[] = { { "compact", PLACE_COMPACT }, { "spread", PLACE_SPREAD } };

#define VOPT (CYAML_FLAG_OPTIONAL)
#define VOPT_PTR (CYAML_FLAG_OPTIONAL | CYAML_FLAG_POINTER)

static const cyaml_schema_field_t variant_fields[] = {
	CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, struct raw_variant, name, 0, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("env", VOPT_PTR, struct raw_variant, env, &variant_string, 0, CYAML_UNLIMITED),
	CYAML_FIELD_ENUM("thp", VOPT | CYAML_FLAG_STRICT, struct raw_variant, thp, thp_names,
			 CYAML_ARRAY_LEN(thp_names)),
	CYAML_FIELD_ENUM("memory", VOPT | CYAML_FLAG_STRICT, struct raw_variant, memory, memory_names,
			 CYAML_ARRAY_LEN(memory_names)),
	CYAML_FIELD_ENUM("placement", VOPT | CYAML_FLAG_STRICT, struct raw_variant, placement, vplacement_names,
			 CYAML_ARRAY_LEN(vplacement_names)),
	CYAML_FIELD_IGNORE("scale", VOPT), /* a strict decimal: read by campaign.c */
	CYAML_FIELD_SEQUENCE("workloads", VOPT_PTR, struct raw_variant, workloads, &variant_string, 0,
			     CYAML_UNLIMITED),
	CYAML_FIELD_END,
};

const cyaml_schema_value_t variant_entry_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_variant, variant_fields),
};

int variant_applies(const struct variant *v, const char *name)
{
	if (!v->workloads)
		return 1;
	for (size_t i = 0; i < v->nworkloads; i++)
		if (strcmp(v->workloads[i], name) == 0)
			return 1;
	return 0;
}

const char *variant_thp_name(enum variant_thp t)
{
	return t == VTHP_NEVER ? "never" : "inherit";
}

const char *variant_memory_name(enum variant_memory m)
{
	return m == VMEM_INTERLEAVE ? "interleave" : m == VMEM_LOCAL ? "local" : "inherit";
}

int variant_describe(const struct variant *v, char *buf, size_t len)
{
	size_t k = 0;

#define PUT(...) (k += (size_t)snprintf(buf + (k < len ? k : len), k < len ? len - k : 0, __VA_ARGS__))
	if (len)
		buf[0] = '\0';
	if (v->env_count) {
		PUT("env");
		for (size_t i = 0; i < v->env_count; i++)
			PUT(" %s", v->env[i]);
	}
	if (v->thp != VTHP_INHERIT)
		PUT("%sthp %s", k ? "; " : "", variant_thp_name(v->thp));
	if (v->memory != VMEM_INHERIT)
		PUT("%smemory %s", k ? "; " : "", variant_memory_name(v->memory));
	if (v->placement >= 0)
		PUT("%splacement %s", k ? "; " : "", v->placement == PLACE_SPREAD ? "spread" : "compact");
	if (v->scale != 1)
		PUT("%sscale x%g", k ? "; " : "", v->scale);
#undef PUT
	return (int)k;
}

/* The interventions, by the speedup-stack component they test (stack_comp_name).
 * The malloc thresholds are those that halved seed 002's concat task on
 * our guests: glibc then neither returns freed memory to the kernel nor
 * maps large blocks one by one, so the fresh arrays stop costing page
 * faults and zeroing (mallopt(3): M_MMAP_THRESHOLD, M_TRIM_THRESHOLD,
 * M_TOP_PAD). malloc-hugepages asks glibc (2.35 and later) to advise huge
 * pages for its heap (glibc.malloc.hugetlb=1), which takes effect where THP
 * is "madvise" as well as "always". */
static char *malloc_env[] = {
	"MALLOC_MMAP_THRESHOLD_=1073741824", "MALLOC_TRIM_THRESHOLD_=1073741824", "MALLOC_TOP_PAD_=268435456", NULL,
};
static char *hugepages_env[] = { "GLIBC_TUNABLES=glibc.malloc.hugetlb=1", NULL };

static const struct variant interventions[] = {
	{ .name = "malloc-pinned", .env = malloc_env, .env_count = 3, .placement = -1, .scale = 1,
	  .tests = "extra-kernel" },
	{ .name = "malloc-hugepages", .env = hugepages_env, .env_count = 1, .placement = -1, .scale = 1,
	  .tests = "extra-kernel" },
	{ .name = "no-thp", .thp = VTHP_NEVER, .placement = -1, .scale = 1, .tests = "extra-kernel" },
	{ .name = "spread", .placement = PLACE_SPREAD, .scale = 1, .tests = "extra-user" },
	{ .name = "interleave", .memory = VMEM_INTERLEAVE, .placement = -1, .scale = 1, .tests = "extra-user" },
	{ .name = "spread", .placement = PLACE_SPREAD, .scale = 1, .tests = "waiting" },
	{ .name = NULL },
};

const struct variant *variant_interventions(void)
{
	return interventions;
}
