/* fuzz-campaign.c: libFuzzer harness for the campaign loader. Each input is
 * a campaign's text, parsed by campaign_parse against a synthetic 2-core
 * machine (as t0200's) as if it were config/campaigns/fuzz.yaml, so the
 * seed campaigns' relative cwds resolve as they do there. Memory counters are looked up in the
 * intel-server sysfs fixture; builtins find /bin/true as scalprof-kernels.
 * Inputs of any size go in: campaign_parse itself refuses texts over
 * CAMPAIGN_MAX_BYTES, CAMPAIGN_MAX_DEPTH and CAMPAIGN_MAX_NODES.
 * Run from the repository root (make fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/campaign.h"
#include "host/topology.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct topology *topo;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setenv("SCALPROF_TOPOLOGY", "synthetic:pack:1 core:2 pu:1", 1);
	setenv("SCALPROF_SYSFS", "tests/fixtures/sysfs/intel-server", 1);
	setenv("SCALPROF_KERNELS", "/bin/true", 1);
	if (topology_new(&topo) < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact copy, unterminated: a read past len is reported */
	char *text;
	struct campaign *c = NULL;
	char *err = NULL;

	text = malloc(size ? size : 1);
	memcpy(text, data, size);
	if (campaign_parse("config/campaigns/fuzz.yaml", text, size, topo, &c, &err) == 0) {
		if (!c || err)
			abort(); /* the contract: *ret on success, no message */
		campaign_free(c);
	} else if (!err) {
		abort(); /* the contract: a message with every error */
	}
	free(err);
	free(text);
	return 0;
}
