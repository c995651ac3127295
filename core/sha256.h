/* sha256.h: SHA-256 (FIPS 180-4) of files, for run manifests. */
#ifndef ALMANAC_CORE_SHA256_H
#define ALMANAC_CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t used;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* Writes the digest as 64 lowercase hex digits and a NUL into hex. */
void sha256_final_hex(struct sha256 *s, char hex[65]);

/* Digest of a whole file; 0, or -1 with errno set. */
int sha256_file(const char *path, char hex[65], long long *bytes);

#endif
