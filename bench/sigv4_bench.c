/* SigV4 signing throughput: signs a typical SES request (GET of one identity) N times on
 * one thread and prints signatures per second and microseconds per signature.
 *
 *   bench/sigv4_bench [N] [fresh]
 *
 * N defaults to 200000. "fresh" wipes the per-thread signing-key cache before every
 * signature (as if each request had a new date/region/service: four more HMACs).
 * Built by bench/run.sh against build/libsesctl.a; not part of `make check`. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sesctl/aws/sigv4.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	int fresh = argc > 2 && !strcmp(argv[2], "fresh");
	time_t when = 1764000000; /* 2025-11-24T16:00:00Z */
	char amz_date[17];
	struct sigv4_header headers[3];
	struct sigv4_input in;
	struct sigv4_result res;
	unsigned sink = 0;
	double t0, c0, wall, cpu;

	sigv4_amz_date(when, amz_date);
	headers[0] = (struct sigv4_header){"host", "email.eu-west-1.amazonaws.com"};
	headers[1] = (struct sigv4_header){"x-amz-date", amz_date};
	headers[2] = (struct sigv4_header){"x-amz-content-sha256",
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"};
	memset(&in, 0, sizeof(in));
	in.method = "GET";
	in.path = "/v2/email/identities/user000123%40d000120.bulk.example";
	in.headers = headers;
	in.n_headers = 3;
	in.access_key = "AKIDEXAMPLE";
	in.secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	in.region = "eu-west-1";
	in.service = "ses";
	in.when = when;
	in.payload_hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

	t0 = now_s();
	c0 = cpu_s();
	for (long i = 0; i < n; i++) {
		if (fresh)
			sigv4_cache_wipe();
		if (sigv4_sign(&in, &res)) {
			fprintf(stderr, "sigv4_bench: sign failed\n");
			return 1;
		}
		sink += (unsigned char)res.signature[0];
		sigv4_result_free(&res);
	}
	wall = now_s() - t0;
	cpu = cpu_s() - c0;
	sigv4_cache_wipe();
	printf("{\"signatures\": %ld, \"fresh_key\": %s, \"wall_s\": %.6f, \"cpu_s\": %.6f, "
	       "\"per_second\": %.0f, \"us_per_signature\": %.3f, \"sink\": %u}\n",
	       n, fresh ? "true" : "false", wall, cpu, n / cpu, cpu * 1e6 / n, sink);
	return 0;
}
