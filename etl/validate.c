#include "etl/validate.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

/* Earliest plausible business time: the platform did not exist before. */
#define EARLIEST "2000-01-01"

void validator_init(struct validator *v, const char *latest)
{
    memset(v, 0, sizeof *v);
    snprintf(v->latest, sizeof v->latest, "%s", latest);
}

void validator_free(struct validator *v)
{
    strbuf_free(&v->scratch);
}

static bool all_digits(const char *p, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

static bool is_zero(const struct field *f)
{
    for (size_t i = 0; i < f->len; i++)
        if (f->p[i] != '0' && f->p[i] != '.')
            return false;
    return true;
}

static const char *check_number(const struct col_spec *c, const struct field *f, char *why,
                                size_t size)
{
    bool neg = f->len > 0 && f->p[0] == '-';
    const char *digits = f->p + neg;
    size_t n = f->len - neg;
    bool ok;
    if (c->type == COL_MONEY) {
        const char *dot = memchr(digits, '.', n);
        size_t whole = dot ? (size_t)(dot - digits) : n;
        size_t frac = dot ? n - whole - 1 : 0;
        ok = all_digits(digits, whole) && whole <= 12 && frac <= 2 &&
             (!dot || all_digits(dot + 1, frac));
    } else {
        ok = all_digits(digits, n) && n <= (c->type == COL_INT ? 10u : 19u);
    }
    if (!ok) {
        snprintf(why, size, "%s \"%.*s\" is not a valid number", c->name, (int)f->len, f->p);
        return "bad_type";
    }
    if (neg && (c->flags & (COL_NONNEG | COL_POSITIVE))) {
        snprintf(why, size, "%s is negative (%.*s)", c->name, (int)f->len, f->p);
        return "negative_amount";
    }
    if ((c->flags & COL_POSITIVE) && is_zero(f)) {
        snprintf(why, size, "%s must be above zero", c->name);
        return (c->flags & COL_KEY) ? "bad_type" : "bad_amount";
    }
    return NULL;
}

static const char *check_time(const struct validator *v, const struct col_spec *c,
                              const struct field *f, char *why, size_t size)
{
    /* PostgreSQL prints ISO dates ("2026-10-31", "2026-10-31 23:30:00+00"
     * with the session in UTC): text order is time order for 4-digit years. */
    size_t n = c->type == COL_DATE ? 10 : 19;
    if (f->len < 10 || f->p[4] != '-' || !all_digits(f->p, 4)) {
        snprintf(why, size, "%s \"%.*s\" is not a finite date/time", c->name, (int)f->len, f->p);
        return "bad_timestamp";
    }
    if (memcmp(f->p, EARLIEST, 10) < 0) {
        snprintf(why, size, "%s %.*s is before %s", c->name, (int)f->len, f->p, EARLIEST);
        return "bad_timestamp";
    }
    size_t cmp = f->len < n ? f->len : n;
    if (memcmp(f->p, v->latest, cmp) > 0) {
        snprintf(why, size, "%s %.*s is in the future (after %s UTC)", c->name, (int)f->len, f->p,
                 v->latest);
        return "bad_timestamp";
    }
    return NULL;
}

static const char *check_enum(const struct col_spec *c, const struct field *f, char *why,
                              size_t size)
{
    for (const char *const *e = c->values; *e; e++)
        if (strlen(*e) == f->len && memcmp(*e, f->p, f->len) == 0)
            return NULL;
    char list[200] = "";
    size_t used = 0;
    for (const char *const *e = c->values; *e && used < sizeof list; e++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", *e);
    snprintf(why, size, "%s \"%.*s\" is not one of %s", c->name, (int)(f->len > 60 ? 60 : f->len),
             f->p, list);
    return "unknown_enum";
}

static const char *check_json(struct validator *v, const struct col_spec *c,
                              const struct field *f, char *why, size_t size)
{
    strbuf_reset(&v->scratch);
    if (copytext_unescape(f->p, f->len, &v->scratch) != 0) {
        snprintf(why, size, "%s: out of memory", c->name);
        return "bad_json";
    }
    json_error_t jerr;
    json_t *doc = json_loadb(strbuf_str(&v->scratch), v->scratch.len, JSON_DECODE_ANY, &jerr);
    if (!doc) {
        snprintf(why, size, "%s is not valid JSON: %s at character %d", c->name, jerr.text,
                 jerr.position);
        return "bad_json";
    }
    bool object = json_is_object(doc);
    json_decref(doc);
    if (!object) {
        snprintf(why, size, "%s is JSON but not an object", c->name);
        return "bad_json";
    }
    return NULL;
}

const char *validate_row(struct validator *v, const struct table_spec *t, const char *raw,
                         size_t len, struct row_fields *r, char *why, size_t size)
{
    if (!copytext_valid_utf8(raw, len)) {
        snprintf(why, size, "the row is not valid UTF-8");
        return "bad_utf8";
    }
    int n = copytext_split(raw, len, r);
    if (n < 0 || (size_t)n != t->ncols) {
        snprintf(why, size, "the row has %d fields, %zu expected", n, t->ncols);
        return "bad_type";
    }
    for (size_t i = 0; i < t->ncols; i++) {
        const struct col_spec *c = &t->cols[i];
        const struct field *f = &r->f[i];
        if (f->null || (f->len == 0 && (c->type == COL_TEXT || c->type == COL_ENUM))) {
            if (c->flags & COL_REQUIRED) {
                snprintf(why, size, "%s is required but %s", c->name, f->null ? "NULL" : "empty");
                return "missing_required";
            }
            continue;
        }
        const char *code = NULL;
        switch (c->type) {
        case COL_BIGINT:
        case COL_INT:
        case COL_MONEY:
            code = check_number(c, f, why, size);
            break;
        case COL_TS:
        case COL_DATE:
            code = check_time(v, c, f, why, size);
            break;
        case COL_ENUM:
            code = check_enum(c, f, why, size);
            break;
        case COL_JSON:
            code = check_json(v, c, f, why, size);
            break;
        case COL_BOOL:
            if (f->len != 1 || (f->p[0] != 't' && f->p[0] != 'f')) {
                snprintf(why, size, "%s is not a boolean", c->name);
                code = "bad_type";
            }
            break;
        case COL_TEXT:
            break;
        }
        if (code)
            return code;
    }
    return t->check_row ? t->check_row(t, r, why, size) : NULL;
}
