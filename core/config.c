/* config.c: defaults, JSON parsing and validation of the configuration. */
#include "core/config.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "core/sha256.h"

/* Benchmarks of KPIS.md. mrr_growth_mom_pct's "steady growth" is our own
 * reading: good from 1 % a month, needs improvement when it shrinks. */
static const struct config_band default_bands[] = {
    {"system_pulse", NAN, 0, NAN, NAN, 1}, /* 0 green, 1 amber, 2 red */
    {"uptime_pct", 99.5, NAN, NAN, 99, NAN},
    {"error_rate_pct", NAN, NAN, 1, NAN, 3},
    {"avg_response_s", NAN, NAN, 2, NAN, 5},
    {"partner_growth_mom_pct", 10, NAN, NAN, 5, NAN},
    {"partner_churn_mom_pct", NAN, NAN, 5, NAN, 10},
    {"active_partner_ratio_pct", 60, NAN, NAN, 40, NAN},
    {"consumption_ratio_pct", 60, 80, NAN, 50, 95},
    {"avg_generations_per_event", 100, NAN, NAN, 50, NAN},
    {"revenue_growth_mom_pct", 15, NAN, NAN, 5, NAN},
    {"mrr_growth_mom_pct", 1, NAN, NAN, 0, NAN},
    {"b2c_activation_pct", 30, NAN, NAN, 15, NAN},
};

/* Numeric parameters with their allowed range. */
struct param_default {
    const char *section, *rule, *key;
    double value, min, max;
};

static const struct param_default default_params[] = {
    {"alerts", "error_rate_spike", "rate_pct", 5, 0, 100},
    {"alerts", "error_rate_spike", "min_requests", 20, 1, 1e9},
    {"alerts", "error_rate_spike", "bucket_minutes", 5, 1, 1440},
    {"alerts", "api_outage", "consecutive_checks", 2, 1, 1e6},
    {"alerts", "partner_low_credit", "remaining_pct", 10, 0, 100},
    {"alerts", "partner_application", "max_age_minutes", 60, 0, 1e7},
    {"alerts", "high_value_transaction", "amount_usd", 500, 0, 1e12},
    {"alerts", "failed_login_burst", "count", 5, 1, 1e9},
    {"alerts", "failed_login_burst", "window_minutes", 15, 1, 1e6},
    {"alerts", "bulk_deletion_or_export", "count", 100, 1, 1e9},
    {"alerts", "bulk_deletion_or_export", "window_minutes", 60, 1, 1e6},
    {"alerts", "unauthorized_api", "count", 10, 1, 1e9},
    {"alerts", "unauthorized_api", "window_minutes", 60, 1, 1e6},
    {"alerts", "perk_low_supply", "remaining_pct", 10, 0, 100},
    {"alerts", "perk_selling_out", "days", 14, 0, 1e6},
    {"alerts", "perk_selling_out", "claims_window_days", 7, 1, 366},
    {"alerts", "rsnc_balance_low", "days", 14, 0, 1e6},
    {"alerts", "rsnc_balance_low", "distribution_window_days", 30, 1, 366},
    {"insights", "consumption", "training_issue_below_pct", 50, 0, 100},
    {"insights", "consumption", "upsell_above_pct", 90, 0, 100},
    {"insights", "style_quality", "min_generations", 50, 1, 1e12},
    {"insights", "style_quality", "rate_multiple", 2, 1, 1e6},
    {"insights", "loyalty", "efficiency_below_pct", 20, 0, 100},
    {"insights", "system_pulse", "slow_response_s", 5, 0, 3600},
    {"seasonality", "indices", "peak_index", 1.10, 1, 100},
    {"seasonality", "indices", "low_index", 0.90, 0, 1},
};

static const long long default_tiers[] = {0, 1, 50, 200};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

void config_defaults(struct almanac_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    snprintf(cfg->time_zone, sizeof(cfg->time_zone), "UTC");
    snprintf(cfg->locale, sizeof(cfg->locale), "en");
    snprintf(cfg->currency, sizeof(cfg->currency), "USD");
    snprintf(cfg->output_dir, sizeof(cfg->output_dir), "almanac-output");
    snprintf(cfg->paper, sizeof(cfg->paper), "a4");
    snprintf(cfg->font, sizeof(cfg->font), "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    for (int i = 0; i < COUNT(default_bands); i++)
        cfg->bands[i] = default_bands[i];
    cfg->nbands = COUNT(default_bands);
    for (int i = 0; i < COUNT(default_params); i++) {
        struct config_param *p = &cfg->params[i];
        snprintf(p->section, sizeof(p->section), "%s", default_params[i].section);
        snprintf(p->rule, sizeof(p->rule), "%s", default_params[i].rule);
        snprintf(p->key, sizeof(p->key), "%s", default_params[i].key);
        p->value = default_params[i].value;
    }
    cfg->nparams = COUNT(default_params);
    for (int i = 0; i < COUNT(default_tiers); i++)
        cfg->tiers[i] = default_tiers[i];
    cfg->ntiers = COUNT(default_tiers);
}

static int bad_key(struct almanac_error *err, const struct almanac_config *cfg, const char *key,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int bad_key(struct almanac_error *err, const struct almanac_config *cfg, const char *key,
                   const char *fmt, ...)
{
    char what[ALMANAC_ERROR_MSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    return error_set(err, ALMANAC_EX_CONFIG, "%s: %s: %s", cfg->path, key, what);
}

static int get_string(json_t *v, const char *key, char *out, size_t size,
                      const struct almanac_config *cfg, struct almanac_error *err)
{
    if (!json_is_string(v))
        return bad_key(err, cfg, key, "expected a string, got %s",
                       json_is_null(v) ? "null" : json_is_number(v) ? "a number" : "another type");
    const char *s = json_string_value(v);
    if (strlen(s) >= size)
        return bad_key(err, cfg, key, "too long (%s)", "the limit is a few hundred characters");
    snprintf(out, size, "%s", s);
    return 0;
}

static int get_number(json_t *v, const char *key, double *out, const struct almanac_config *cfg,
                      struct almanac_error *err)
{
    if (!json_is_number(v))
        return bad_key(err, cfg, key, "expected a number, got %s",
                       json_is_string(v) ? "a string" : json_is_null(v) ? "null" : "another type");
    *out = json_number_value(v);
    if (!isfinite(*out))
        return bad_key(err, cfg, key, "%s", "not a finite number");
    return 0;
}

static int check_time_zone(const char *tz, const struct almanac_config *cfg, struct almanac_error *err)
{
    /* The server checks the zone against its tz database when the KPIs run;
     * here only the shape, so that a typo fails before any connection. */
    if (!*tz)
        return bad_key(err, cfg, "time_zone", "%s", "empty");
    for (const char *p = tz; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p))
            return bad_key(err, cfg, "time_zone", "'%s' is not an IANA time zone name", tz);
    return 0;
}

static int parse_band(json_t *v, const char *code, const struct almanac_config *cfg,
                      struct config_band *band, struct almanac_error *err)
{
    char path[128];
    snprintf(path, sizeof(path), "benchmarks.%s", code);
    if (!json_is_object(v))
        return bad_key(err, cfg, path, "%s",
                       "expected an object such as {\"good_min\": 99.5, \"bad_below\": 99}");
    struct config_band b = {.good_min = NAN, .good_max = NAN, .good_below = NAN,
                            .bad_below = NAN, .bad_above = NAN};
    snprintf(b.code, sizeof(b.code), "%s", code);
    const char *key;
    json_t *x;
    json_object_foreach(v, key, x) {
        double *slot = !strcmp(key, "good_min")     ? &b.good_min
                       : !strcmp(key, "good_max")   ? &b.good_max
                       : !strcmp(key, "good_below") ? &b.good_below
                       : !strcmp(key, "bad_below")  ? &b.bad_below
                       : !strcmp(key, "bad_above")  ? &b.bad_above
                                                    : NULL;
        char kpath[192];
        snprintf(kpath, sizeof(kpath), "%s.%s", path, key);
        if (!slot)
            return bad_key(err, cfg, kpath, "%s",
                           "unknown key (known: good_min, good_max, good_below, bad_below, bad_above)");
        if (get_number(x, kpath, slot, cfg, err))
            return -1;
    }
    if (isnan(b.good_min) && isnan(b.good_max) && isnan(b.good_below))
        return bad_key(err, cfg, path, "%s", "needs at least one of good_min, good_max, good_below");
    if (!isnan(b.good_min) && !isnan(b.good_max) && b.good_min > b.good_max)
        return bad_key(err, cfg, path, "%s", "good_min is above good_max");
    if (!isnan(b.good_min) && !isnan(b.bad_below) && b.bad_below > b.good_min)
        return bad_key(err, cfg, path, "%s", "bad_below is above good_min: a value could be both");
    double top = !isnan(b.good_max) ? b.good_max : b.good_below;
    if (!isnan(top) && !isnan(b.bad_above) && b.bad_above < top)
        return bad_key(err, cfg, path, "%s", "bad_above is below the good range: a value could be both");
    *band = b;
    return 0;
}

static int parse_benchmarks(json_t *v, struct almanac_config *cfg, struct almanac_error *err)
{
    if (!json_is_object(v))
        return bad_key(err, cfg, "benchmarks", "%s", "expected an object keyed by metric code");
    const char *code;
    json_t *x;
    json_object_foreach(v, code, x) {
        int i = 0;
        while (i < cfg->nbands && strcmp(cfg->bands[i].code, code))
            i++;
        if (i == cfg->nbands) {
            char path[128];
            snprintf(path, sizeof(path), "benchmarks.%s", code);
            return bad_key(err, cfg, path, "%s",
                           "no such benchmark (see docs/configuration.md for the metric codes that have one)");
        }
        if (json_is_null(x)) { /* null switches a benchmark off */
            cfg->bands[i].good_min = cfg->bands[i].good_max = cfg->bands[i].good_below = NAN;
            cfg->bands[i].bad_below = cfg->bands[i].bad_above = NAN;
            continue;
        }
        if (parse_band(x, code, cfg, &cfg->bands[i], err))
            return -1;
    }
    return 0;
}

static struct config_param *find_param(struct almanac_config *cfg, const char *section,
                                       const char *rule, const char *key)
{
    for (int i = 0; i < cfg->nparams; i++) {
        struct config_param *p = &cfg->params[i];
        if (!strcmp(p->section, section) && !strcmp(p->rule, rule) && (!key || !strcmp(p->key, key)))
            return p;
    }
    return NULL;
}

static int parse_params(json_t *v, const char *section, struct almanac_config *cfg,
                        struct almanac_error *err)
{
    if (!json_is_object(v))
        return bad_key(err, cfg, section, "%s", "expected an object keyed by rule");
    const char *rule;
    json_t *r;
    json_object_foreach(v, rule, r) {
        char rpath[128];
        snprintf(rpath, sizeof(rpath), "%s.%s", section, rule);
        if (!find_param(cfg, section, rule, NULL))
            return bad_key(err, cfg, rpath, "%s", "unknown rule (see docs/configuration.md)");
        if (!json_is_object(r))
            return bad_key(err, cfg, rpath, "%s", "expected an object of thresholds");
        const char *key;
        json_t *x;
        json_object_foreach(r, key, x) {
            char kpath[192];
            snprintf(kpath, sizeof(kpath), "%s.%s", rpath, key);
            struct config_param *p = find_param(cfg, section, rule, key);
            if (!p)
                return bad_key(err, cfg, kpath, "%s", "unknown key (see docs/configuration.md)");
            double value;
            if (get_number(x, kpath, &value, cfg, err))
                return -1;
            const struct param_default *d = NULL;
            for (int i = 0; i < COUNT(default_params); i++)
                if (!strcmp(default_params[i].section, section) && !strcmp(default_params[i].rule, rule) &&
                    !strcmp(default_params[i].key, key))
                    d = &default_params[i];
            if (d && (value < d->min || value > d->max)) {
                char range[96];
                snprintf(range, sizeof(range), "%g is out of range (allowed %g to %g)", value, d->min, d->max);
                return bad_key(err, cfg, kpath, "%s", range);
            }
            p->value = value;
        }
    }
    double peak = config_param_get(cfg, "seasonality", "indices", "peak_index");
    double low = config_param_get(cfg, "seasonality", "indices", "low_index");
    if (low >= peak)
        return bad_key(err, cfg, "seasonality.indices", "%s", "low_index must be below peak_index");
    return 0;
}

static int parse_tiers(json_t *v, struct almanac_config *cfg, struct almanac_error *err)
{
    if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > CONFIG_MAX_TIERS)
        return bad_key(err, cfg, "spending_tiers", "%s",
                       "expected an array of 1 to 8 increasing lower bounds in credits, starting at 0");
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
        char path[64];
        snprintf(path, sizeof(path), "spending_tiers[%zu]", i);
        if (!json_is_integer(x) || json_integer_value(x) < 0)
            return bad_key(err, cfg, path, "%s", "expected a whole number of credits, 0 or more");
        long long t = json_integer_value(x);
        if (i == 0 && t != 0)
            return bad_key(err, cfg, path, "%s", "the first tier must start at 0");
        if (i > 0 && t <= cfg->tiers[i - 1])
            return bad_key(err, cfg, path, "%s", "tiers must increase");
        cfg->tiers[i] = t;
    }
    cfg->ntiers = (int)json_array_size(v);
    return 0;
}

int config_load(struct almanac_config *cfg, const char *path, struct almanac_error *err)
{
    snprintf(cfg->path, sizeof(cfg->path), "%s", path);
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        error_set(err, ALMANAC_EX_CONFIG, "cannot read configuration %s: %s", path, jerr.text);
        if (jerr.line > 0)
            error_detail(err, "at line %d, column %d", jerr.line, jerr.column);
        return -1;
    }
    int rc = 0;
    if (!json_is_object(root)) {
        rc = bad_key(err, cfg, "(top level)", "%s", "expected a JSON object");
        goto done;
    }
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        if (!strcmp(key, "time_zone"))
            rc = get_string(v, key, cfg->time_zone, sizeof(cfg->time_zone), cfg, err) ||
                 check_time_zone(cfg->time_zone, cfg, err);
        else if (!strcmp(key, "locale")) {
            rc = get_string(v, key, cfg->locale, sizeof(cfg->locale), cfg, err);
            if (!rc && strcmp(cfg->locale, "en") && strcmp(cfg->locale, "es"))
                rc = bad_key(err, cfg, key, "'%s' is not supported (en or es)", cfg->locale);
        } else if (!strcmp(key, "currency")) {
            rc = get_string(v, key, cfg->currency, sizeof(cfg->currency), cfg, err);
            if (!rc && (strlen(cfg->currency) != 3 || !isupper((unsigned char)cfg->currency[0])))
                rc = bad_key(err, cfg, key, "'%s' is not an ISO 4217 code such as USD", cfg->currency);
        } else if (!strcmp(key, "output_dir"))
            rc = get_string(v, key, cfg->output_dir, sizeof(cfg->output_dir), cfg, err);
        else if (!strcmp(key, "paper")) {
            rc = get_string(v, key, cfg->paper, sizeof(cfg->paper), cfg, err);
            if (!rc && strcmp(cfg->paper, "a4") && strcmp(cfg->paper, "letter"))
                rc = bad_key(err, cfg, key, "'%s' is not a4 or letter", cfg->paper);
        } else if (!strcmp(key, "font"))
            rc = get_string(v, key, cfg->font, sizeof(cfg->font), cfg, err);
        else if (!strcmp(key, "source"))
            rc = get_string(v, key, cfg->source, sizeof(cfg->source), cfg, err);
        else if (!strcmp(key, "warehouse"))
            rc = get_string(v, key, cfg->warehouse, sizeof(cfg->warehouse), cfg, err);
        else if (!strcmp(key, "benchmarks"))
            rc = parse_benchmarks(v, cfg, err);
        else if (!strcmp(key, "alerts") || !strcmp(key, "insights") || !strcmp(key, "seasonality"))
            rc = parse_params(v, key, cfg, err);
        else if (!strcmp(key, "spending_tiers"))
            rc = parse_tiers(v, cfg, err);
        else
            rc = bad_key(err, cfg, key, "%s",
                         "unknown key (known: time_zone, locale, currency, output_dir, paper, font, source, warehouse, "
                         "benchmarks, alerts, insights, seasonality, spending_tiers)");
        if (rc)
            break;
    }
done:
    json_decref(root);
    return rc ? -1 : 0;
}

const struct config_band *config_band_find(const struct almanac_config *cfg, const char *code)
{
    for (int i = 0; i < cfg->nbands; i++) {
        const struct config_band *b = &cfg->bands[i];
        if (!strcmp(b->code, code))
            return isnan(b->good_min) && isnan(b->good_max) && isnan(b->good_below) ? NULL : b;
    }
    return NULL;
}

double config_param_get(const struct almanac_config *cfg, const char *section, const char *rule,
                        const char *key)
{
    for (int i = 0; i < cfg->nparams; i++) {
        const struct config_param *p = &cfg->params[i];
        if (!strcmp(p->section, section) && !strcmp(p->rule, rule) && !strcmp(p->key, key))
            return p->value;
    }
    return NAN;
}

const char *config_tier_label(const struct almanac_config *cfg, int i, char *buf, int size)
{
    if (i + 1 >= cfg->ntiers)
        snprintf(buf, (size_t)size, "%lld+", cfg->tiers[i]);
    else if (cfg->tiers[i + 1] - 1 == cfg->tiers[i])
        snprintf(buf, (size_t)size, "%lld", cfg->tiers[i]);
    else
        snprintf(buf, (size_t)size, "%lld-%lld", cfg->tiers[i], cfg->tiers[i + 1] - 1);
    return buf;
}

void config_digest(const struct almanac_config *cfg, char hex[65])
{
    struct sha256 s;
    sha256_init(&s);
    char line[256];
    int n = snprintf(line, sizeof(line), "tz=%s\n", cfg->time_zone);
    sha256_update(&s, line, (size_t)n);
    for (int i = 0; i < cfg->nbands; i++) {
        const struct config_band *b = &cfg->bands[i];
        n = snprintf(line, sizeof(line), "band %s %.17g %.17g %.17g %.17g %.17g\n", b->code, b->good_min,
                     b->good_max, b->good_below, b->bad_below, b->bad_above);
        sha256_update(&s, line, (size_t)n);
    }
    for (int i = 0; i < cfg->nparams; i++) {
        const struct config_param *p = &cfg->params[i];
        n = snprintf(line, sizeof(line), "param %s.%s.%s %.17g\n", p->section, p->rule, p->key, p->value);
        sha256_update(&s, line, (size_t)n);
    }
    for (int i = 0; i < cfg->ntiers; i++) {
        n = snprintf(line, sizeof(line), "tier %lld\n", cfg->tiers[i]);
        sha256_update(&s, line, (size_t)n);
    }
    sha256_final_hex(&s, hex);
}
