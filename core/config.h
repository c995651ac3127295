/* config.h: the one JSON configuration file, parsed once into a read-only
 * struct.
 *
 * Every setting has a default (config_defaults), so no file is needed for
 * the demo. A file overrides what it names; a key the program does not know,
 * a value of the wrong type or out of range is an error (exit 78) that names
 * the key by its path ("alerts.error_rate_spike.rate_pct"). The documented
 * keys and defaults are in docs/configuration.md.
 */
#ifndef ALMANAC_CORE_CONFIG_H
#define ALMANAC_CORE_CONFIG_H

#include "core/error.h"

#define CONFIG_MAX_BANDS 24
#define CONFIG_MAX_PARAMS 48
#define CONFIG_MAX_TIERS 8

/* A benchmark's thresholds. A value is good when it satisfies every good_*
 * bound that is set, needs improvement when it breaks a bad_* bound, and is
 * "watch" otherwise. Unset bounds are NAN. */
struct config_band {
    char code[48];
    double good_min;   /* good when value >= good_min */
    double good_max;   /* good when value <= good_max */
    double good_below; /* good when value <  good_below */
    double bad_below;  /* needs improvement when value < bad_below */
    double bad_above;  /* needs improvement when value > bad_above */
};

/* A numeric threshold of an alert rule or of another section, e.g.
 * section "alerts", rule "error_rate_spike", key "rate_pct". */
struct config_param {
    char section[16];
    char rule[40];
    char key[40];
    double value;
};

struct almanac_config {
    char time_zone[64];   /* IANA name; periods cut at local midnight */
    char locale[8];       /* "en" or "es": labels in reports */
    char currency[8];     /* ISO 4217 code shown in reports */
    char output_dir[1024];
    char paper[8];        /* "a4" or "letter": PDF page size */
    char font[1024];      /* TrueType font for PDFs (UTF-8 text) */
    char source[1024];    /* libpq conninfo; may hold a password: never print */
    char warehouse[1024]; /* libpq conninfo; may hold a password: never print */
    struct config_band bands[CONFIG_MAX_BANDS];
    int nbands;
    struct config_param params[CONFIG_MAX_PARAMS];
    int nparams;
    long long tiers[CONFIG_MAX_TIERS]; /* spending tiers' lower bounds, credits */
    int ntiers;
    char path[1024]; /* the file read, "" for defaults only */
};

/* Fills cfg with the defaults of KPIS.md. */
void config_defaults(struct almanac_config *cfg);

/* Reads the JSON file at path over the defaults already in cfg. Returns 0,
 * or -1 with err set (code ALMANAC_EX_CONFIG) naming the file and the key. */
int config_load(struct almanac_config *cfg, const char *path, struct almanac_error *err);

/* The band for a metric code, or NULL when it has none. */
const struct config_band *config_band_find(const struct almanac_config *cfg, const char *code);

/* The value of section/rule/key; NAN when there is no such parameter. */
double config_param_get(const struct almanac_config *cfg, const char *section, const char *rule,
                        const char *key);

/* SHA-256 (hex) of the settings that shape KPI values and bands: time
 * zone, benchmarks, thresholds, tiers. */
void config_digest(const struct almanac_config *cfg, char hex[65]);

/* Label of spending tier i ("0", "1-49", "200+") into buf. */
const char *config_tier_label(const struct almanac_config *cfg, int i, char *buf, int size);

#endif
