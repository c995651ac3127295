/* pdftext.c: UTF-8, a TrueType cmap reader, number formatting, wrapping
 * and nice ticks. */
#include "reports/pdftext.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void glyph_set(struct pdftext_glyphs *g, unsigned cp)
{
    if (cp < 65536)
        g->bits[cp >> 3] |= (unsigned char)(1u << (cp & 7));
}

/* Format 4: segments of code points with a delta or an index into the
 * glyph array; a glyph id of 0 is .notdef, i.e. no glyph. */
static int cmap_format4(struct pdftext_glyphs *g, const unsigned char *t, size_t avail)
{
    if (avail < 14)
        return -1;
    size_t len = be16(t + 2);
    if (len > avail)
        len = avail;
    unsigned segs = be16(t + 6) / 2;
    if (14 + (size_t)segs * 8 + 2 > len)
        return -1;
    const unsigned char *ends = t + 14, *starts = ends + segs * 2 + 2;
    const unsigned char *deltas = starts + segs * 2, *ranges = deltas + segs * 2;
    for (unsigned s = 0; s < segs; s++) {
        unsigned start = be16(starts + s * 2), end = be16(ends + s * 2);
        unsigned delta = be16(deltas + s * 2), ro = be16(ranges + s * 2);
        for (unsigned c = start; c <= end && c < 0xFFFF; c++) {
            unsigned gid;
            if (ro == 0)
                gid = (c + delta) & 0xFFFF;
            else {
                size_t at = (size_t)(ranges + s * 2 - t) + ro + 2 * (size_t)(c - start);
                if (at + 2 > len)
                    continue;
                gid = be16(t + at);
                if (gid)
                    gid = (gid + delta) & 0xFFFF;
            }
            if (gid)
                glyph_set(g, c);
        }
    }
    return 0;
}

/* Format 12: groups of consecutive code points; only the BMP matters. */
static int cmap_format12(struct pdftext_glyphs *g, const unsigned char *t, size_t avail)
{
    if (avail < 16)
        return -1;
    uint32_t n = be32(t + 12);
    if (16 + (size_t)n * 12 > avail)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        const unsigned char *grp = t + 16 + (size_t)i * 12;
        uint32_t start = be32(grp), end = be32(grp + 4), gid = be32(grp + 8);
        for (uint32_t c = start; c <= end && c < 65536; c++)
            if (gid + (c - start))
                glyph_set(g, c);
    }
    return 0;
}

static int parse_cmap(struct pdftext_glyphs *g, const unsigned char *f, size_t size)
{
    if (size < 12)
        return -1;
    unsigned ntables = be16(f + 4);
    if (12 + (size_t)ntables * 16 > size)
        return -1;
    for (unsigned i = 0; i < ntables; i++) {
        const unsigned char *rec = f + 12 + i * 16;
        if (memcmp(rec, "cmap", 4))
            continue;
        uint32_t off = be32(rec + 8), len = be32(rec + 12);
        if (off > size || len > size - off || len < 4)
            return -1;
        const unsigned char *cm = f + off;
        unsigned nsub = be16(cm + 2);
        if (4 + (size_t)nsub * 8 > len)
            return -1;
        /* Prefer the full-repertoire subtable (3,10) or (0,4), then the BMP
         * one (3,1) or (0,3): the same choice libharu makes for (3,1). */
        long best = -1;
        int rank = 0;
        for (unsigned k = 0; k < nsub; k++) {
            const unsigned char *s = cm + 4 + k * 8;
            unsigned pid = be16(s), eid = be16(s + 2);
            int r = (pid == 3 && eid == 10) || (pid == 0 && eid == 4) ? 2
                    : (pid == 3 && eid == 1) || (pid == 0 && eid <= 3) ? 1
                                                                     : 0;
            if (r > rank) {
                rank = r;
                best = (long)be32(s + 4);
            }
        }
        if (best < 0 || (uint32_t)best + 4 > len)
            return -1;
        const unsigned char *t = cm + best;
        size_t avail = len - (size_t)best;
        unsigned format = be16(t);
        if (format == 4)
            return cmap_format4(g, t, avail);
        if (format == 12)
            return cmap_format12(g, t, avail);
        return -1;
    }
    return -1;
}

int pdftext_glyphs_load(struct pdftext_glyphs *g, const char *path, struct almanac_error *err)
{
    memset(g, 0, sizeof *g);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        error_set(err, ALMANAC_EX_CONFIG, "cannot read the font %s: %s", path, strerror(errno));
        error_hint(err, "install fonts-dejavu-core, or name a TrueType font with --font");
        return -1;
    }
    unsigned char *buf = NULL;
    size_t size = 0, cap = 0;
    for (;;) {
        if (size == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            unsigned char *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(fp);
                return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory reading %s", path);
            }
            buf = p;
        }
        size_t n = fread(buf + size, 1, cap - size, fp);
        size += n;
        if (n == 0)
            break;
    }
    fclose(fp);
    int rc = parse_cmap(g, buf, size);
    free(buf);
    if (rc)
        return error_set(err, ALMANAC_EX_CONFIG, "%s is not a TrueType font with a Unicode cmap", path);
    return 0;
}

bool pdftext_glyphs_has(const struct pdftext_glyphs *g, unsigned cp)
{
    return cp < 65536 && (g->bits[cp >> 3] >> (cp & 7) & 1);
}

size_t pdftext_utf8_next(const char *str, unsigned *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        min = 0x80;
        c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        min = 0x800;
        c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        min = 0x10000;
        c &= 0x07;
    } else {
        *cp = PDFTEXT_REPLACEMENT;
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = PDFTEXT_REPLACEMENT;
            return 1;
        }
        c = c << 6 | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = PDFTEXT_REPLACEMENT;
        return 1;
    }
    *cp = c;
    return n;
}

static int put_utf8(struct strbuf *out, unsigned c)
{
    char b[4];
    size_t n;
    if (c < 0x80) {
        b[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        b[0] = (char)(0xC0 | c >> 6);
        b[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else {
        b[0] = (char)(0xE0 | c >> 12);
        b[1] = (char)(0x80 | (c >> 6 & 0x3F));
        b[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    }
    return strbuf_append(out, b, n);
}

int pdftext_clean(const struct pdftext_glyphs *g, const char *in, struct strbuf *out)
{
    int replaced = 0;
    unsigned repl = pdftext_glyphs_has(g, PDFTEXT_REPLACEMENT) ? PDFTEXT_REPLACEMENT : '?';
    if (strbuf_append(out, "", 0))
        return -1;
    while (*in) {
        unsigned c;
        size_t n = pdftext_utf8_next(in, &c);
        in += n;
        if (c < 0x20 || c == 0x7F)
            c = ' ';
        else if (c == PDFTEXT_REPLACEMENT || !pdftext_glyphs_has(g, c)) {
            c = repl;
            replaced++;
        }
        if (put_utf8(out, c))
            return -1;
    }
    return replaced;
}

/* Groups the digits of raw ("1234567.89", no sign) into out. */
static void group_raw(const char *raw, bool negative, char group, char decimal, char *out, size_t size)
{
    const char *dot = strchr(raw, '.');
    size_t intlen = dot ? (size_t)(dot - raw) : strlen(raw);
    char buf[128];
    size_t n = 0;
    /* A value that rounds to zero prints without a sign. */
    if (negative && strspn(raw, "0.") != strlen(raw))
        buf[n++] = '-';
    for (size_t i = 0; i < intlen && n + 2 < sizeof buf; i++) {
        if (group && i && (intlen - i) % 3 == 0)
            buf[n++] = group;
        buf[n++] = raw[i];
    }
    if (dot && n + strlen(dot) < sizeof buf) {
        buf[n++] = decimal;
        for (const char *d = dot + 1; *d; d++)
            buf[n++] = *d;
    }
    buf[n] = '\0';
    snprintf(out, size, "%s", buf);
}

void pdftext_number(double v, int decimals, char group, char decimal, char *out, size_t size)
{
    char raw[64];
    if (!isfinite(v)) {
        snprintf(out, size, "%s", isnan(v) ? "NaN" : v > 0 ? "inf" : "-inf");
        return;
    }
    snprintf(raw, sizeof raw, "%.*f", decimals < 0 ? 0 : decimals, fabs(v));
    group_raw(raw, v < 0, group, decimal, out, size);
}

void pdftext_decimal(const char *text, int decimals, char group, char decimal, char *out, size_t size)
{
    const char *p = text;
    bool negative = *p == '-';
    if (negative)
        p++;
    size_t intlen = strspn(p, "0123456789");
    const char *frac = p[intlen] == '.' ? p + intlen + 1 : p + intlen;
    size_t fraclen = strspn(frac, "0123456789");
    if (decimals < 0)
        decimals = 0;
    if (intlen == 0 || intlen > 40 || decimals > 20 || frac[fraclen] != '\0' ||
        (p[intlen] == '.' && fraclen == 0)) {
        pdftext_number(strtod(text, NULL), decimals, group, decimal, out, size);
        return;
    }
    /* digits = integer part and `decimals` fraction digits, one leading
     * zero for the carry; rounded half away from zero on the next digit,
     * as PostgreSQL's round(numeric) does. */
    char digits[64];
    size_t n = 0;
    digits[n++] = '0';
    memcpy(digits + n, p, intlen);
    n += intlen;
    for (int i = 0; i < decimals; i++)
        digits[n++] = (size_t)i < fraclen ? frac[i] : '0';
    if ((size_t)decimals < fraclen && frac[decimals] >= '5')
        for (size_t i = n; i-- > 0;) {
            if (digits[i] == '9')
                digits[i] = '0';
            else {
                digits[i]++;
                break;
            }
        }
    char raw[96];
    size_t ilen = n - (size_t)decimals, skip = digits[0] == '0' && ilen > 1 ? 1 : 0;
    while (skip + 1 < ilen && digits[skip] == '0')
        skip++;
    snprintf(raw, sizeof raw, "%.*s%s%.*s", (int)(ilen - skip), digits + skip, decimals ? "." : "", decimals,
             digits + ilen);
    group_raw(raw, negative, group, decimal, out, size);
}

int pdftext_wrap(const char *text, double max_width, pdftext_width_fn width, void *warg,
                 void (*emit)(const char *s, size_t len, void *arg), void *earg)
{
    int lines = 0;
    const char *p = text;
    while (*p) {
        /* One paragraph: up to an explicit newline. */
        const char *para_end = strchr(p, '\n');
        if (!para_end)
            para_end = p + strlen(p);
        const char *line = p;
        while (line < para_end) {
            while (line < para_end && *line == ' ')
                line++;
            if (line == para_end)
                break;
            const char *fit = NULL; /* end of the last word that fits */
            const char *q = line;
            while (q < para_end) {
                const char *word_end = q;
                while (word_end < para_end && *word_end != ' ')
                    word_end++;
                if (width(line, (size_t)(word_end - line), warg) <= max_width) {
                    fit = word_end;
                    q = word_end;
                    while (q < para_end && *q == ' ')
                        q++;
                } else
                    break;
            }
            if (!fit) {
                /* A word longer than the line: cut it between characters,
                 * keeping at least one. */
                unsigned cp;
                const char *cut = line + pdftext_utf8_next(line, &cp);
                while (cut < para_end && *cut != ' ') {
                    const char *next = cut + pdftext_utf8_next(cut, &cp);
                    if (width(line, (size_t)(next - line), warg) > max_width)
                        break;
                    cut = next;
                }
                fit = cut;
            }
            emit(line, (size_t)(fit - line), earg);
            lines++;
            line = fit;
        }
        p = *para_end ? para_end + 1 : para_end;
    }
    return lines;
}

int pdftext_nice_ticks(double lo, double hi, int target, double *first, double *last, double *step)
{
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0;
        hi = 1;
    }
    if (hi < lo) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (hi == lo) {
        double pad = lo == 0 ? 1 : fabs(lo) * 0.1;
        lo -= lo == 0 ? 0 : pad;
        hi += pad;
    }
    if (target < 2)
        target = 2;
    double raw = (hi - lo) / target;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double s = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    s *= mag;
    /* A few ulps of slack so that 3.0000000001 does not add a tick. */
    double a = floor(lo / s + 1e-9) * s, b = ceil(hi / s - 1e-9) * s;
    *first = a == 0 ? 0 : a;
    *last = b;
    *step = s;
    return (int)llround((b - a) / s) + 1;
}

int pdftext_step_decimals(double step)
{
    for (int d = 0; d < 10; d++) {
        double scaled = step * pow(10, d);
        if (fabs(scaled - round(scaled)) < 1e-6 * scaled)
            return d;
    }
    return 10;
}
