/* fuzz-proto.c: libFuzzer harness for scalprofd's request parser. Each input
 * is one request line as a client sends it, without its '\n'; what parses is
 * formatted back and must parse again to the same request. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "service/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the request as the client library writes it must read back the same */
static void round_trip(const struct request *req)
{
	struct request again;
	char *line = proto_format_request(req), *err = NULL;

	if (proto_parse_request(line, strlen(line), &again, &err) < 0)
		abort();
	if (again.op != req->op || again.id != req->id || again.scale != req->scale ||
	    !again.yaml != !req->yaml || (req->yaml && strcmp(again.yaml, req->yaml) != 0) ||
	    !again.path != !req->path || (req->path && strcmp(again.path, req->path) != 0))
		abort();
	request_clear(&again);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request req;
	char *line, *err = NULL;

	if (size > 64 << 20)
		return -1; /* above the largest max_request_bytes */
	/* an exact copy, unterminated: a read past len is reported */
	line = malloc(size ? size : 1);
	memcpy(line, data, size);
	if (proto_parse_request(line, size, &req, &err) == 0) {
		if (err)
			abort(); /* the contract: no message on success */
		round_trip(&req);
		request_clear(&req);
	} else if (!err) {
		abort(); /* the contract: a message with every error */
	}
	free(err);
	free(line);
	return 0;
}
