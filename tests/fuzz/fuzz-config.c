/* fuzz-config.c: libFuzzer harness for scalprofd's configuration loader.
 * Each input is the text of a scalprofd.yaml, parsed by config_parse (what
 * config_load does once the file is read). Run from the repository root
 * (make fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "service/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	char *text, *err = NULL;

	if (size > 1 << 20)
		return -1; /* config_load refuses these before parsing */
	/* an exact copy, unterminated: a read past len is reported */
	text = malloc(size ? size : 1);
	memcpy(text, data, size);
	if (config_parse("fuzz.yaml", text, size, &c, &err) == 0) {
		if (err || !c.database || !c.socket || !c.group || !c.lock)
			abort(); /* the contract: every path filled, no message */
		config_clear(&c);
	} else if (!err) {
		abort(); /* the contract: a message with every error */
	}
	free(err);
	free(text);
	return 0;
}
