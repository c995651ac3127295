/* strbuf.h: a growable NUL-terminated byte buffer. */
#ifndef ALMANAC_CORE_STRBUF_H
#define ALMANAC_CORE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
};

#define STRBUF_INIT {0, 0, 0}

/* Append functions return 0, or -1 when memory runs out (buffer unchanged). */
int strbuf_append(struct strbuf *sb, const char *data, size_t len);
int strbuf_puts(struct strbuf *sb, const char *s);
int strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_reset(struct strbuf *sb);
/* Frees the storage; the struct may be reused after. */
void strbuf_free(struct strbuf *sb);
/* Returns the contents ("" when empty); valid until the next append. */
const char *strbuf_str(const struct strbuf *sb);

#endif
