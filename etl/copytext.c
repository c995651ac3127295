#include "etl/copytext.h"

#include <string.h>

int copytext_split(const char *row, size_t len, struct row_fields *out)
{
    size_t n = 0;
    const char *start = row;
    const char *end = row + len;
    for (;;) {
        const char *tab = memchr(start, '\t', (size_t)(end - start));
        const char *stop = tab ? tab : end;
        if (n == COPYTEXT_MAX_FIELDS)
            return -1;
        struct field *f = &out->f[n++];
        f->p = start;
        f->len = (size_t)(stop - start);
        f->null = f->len == 2 && start[0] == '\\' && start[1] == 'N';
        if (!tab)
            break;
        start = tab + 1;
    }
    out->n = n;
    return (int)n;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int copytext_unescape(const char *p, size_t len, struct strbuf *sb)
{
    size_t i = 0;
    while (i < len) {
        /* Copy the run up to the next backslash in one go. */
        const char *bs = memchr(p + i, '\\', len - i);
        size_t run = bs ? (size_t)(bs - (p + i)) : len - i;
        if (run && strbuf_append(sb, p + i, run))
            return -1;
        i += run;
        if (i >= len)
            break;
        i++; /* the backslash */
        if (i >= len)
            return strbuf_append(sb, "\\", 1);
        char c = p[i++];
        char out;
        switch (c) {
        case 'b': out = '\b'; break;
        case 'f': out = '\f'; break;
        case 'n': out = '\n'; break;
        case 'r': out = '\r'; break;
        case 't': out = '\t'; break;
        case 'v': out = '\v'; break;
        case 'x': {
            int v = 0, digits = 0, h;
            while (digits < 2 && i < len && (h = hexval(p[i])) >= 0) {
                v = v * 16 + h;
                i++;
                digits++;
            }
            if (!digits) {
                out = 'x';
                break;
            }
            out = (char)v;
            break;
        }
        default:
            if (c >= '0' && c <= '7') {
                int v = c - '0', digits = 1;
                while (digits < 3 && i < len && p[i] >= '0' && p[i] <= '7') {
                    v = v * 8 + (p[i++] - '0');
                    digits++;
                }
                out = (char)v;
            } else {
                out = c; /* \\ and any other escaped character */
            }
        }
        if (strbuf_append(sb, &out, 1))
            return -1;
    }
    return 0;
}

int copytext_escape(const char *s, size_t len, struct strbuf *sb)
{
    for (size_t i = 0; i < len; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '\\': rep = "\\\\"; break;
        case '\t': rep = "\\t"; break;
        case '\n': rep = "\\n"; break;
        case '\r': rep = "\\r"; break;
        default: break;
        }
        if (rep ? strbuf_append(sb, rep, 2) : strbuf_append(sb, s + i, 1))
            return -1;
    }
    return 0;
}

bool copytext_valid_utf8(const char *p, size_t len)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + need >= len)
            return false;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += need + 1;
    }
    return true;
}
