#include "etl/catalog.h"

#include <stdio.h>
#include <string.h>

#include "etl/copytext.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define REQ COL_REQUIRED
#define NN COL_NONNEG
#define KEY (COL_KEY | COL_REQUIRED | COL_POSITIVE)

static const char *const partner_status[] = {"pending", "approved", "rejected", "deactivated", NULL};
static const char *const application_status[] = {"pending", "approved", "rejected", NULL};
static const char *const event_types[] = {"wedding", "corporate", "holiday", "other", NULL};
static const char *const style_categories[] = {"portrait", "artistic", "vintage", "cartoon",
                                               "fantasy",  "seasonal", NULL};
static const char *const generation_status[] = {"completed", "failed", NULL};
static const char *const credit_kinds[] = {"purchase", "allocation",   "consumption", "refund",
                                           "b2c_purchase", "subscription", NULL};
static const char *const plans[] = {"basic", "pro", NULL};
static const char *const components[] = {"api", "database", "image_provider", "storage", NULL};
static const char *const up_down[] = {"up", "down", NULL};
static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", NULL};
static const char *const actor_types[] = {"admin", "partner", "b2c_user", "system", NULL};
static const char *const devices[] = {"web", "ios", "android", NULL};
static const char *const funnel_steps[] = {"upload", "style", "generate", "download", NULL};
static const char *const loyalty_types[] = {"purchase", "distribution", "perk_claim", "sellback",
                                            NULL};

/* Field helpers for the cross-column rules. */
static bool is_null(const struct row_fields *r, int i)
{
    return i < 0 || (size_t)i >= r->n || r->f[i].null;
}

static bool equals(const struct row_fields *r, int i, const char *s)
{
    size_t n = strlen(s);
    return !is_null(r, i) && r->f[i].len == n && memcmp(r->f[i].p, s, n) == 0;
}

static const struct col_spec partners_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"name", COL_TEXT, REQ, NULL},
    {"email", COL_TEXT, REQ, NULL},
    {"status", COL_ENUM, REQ, partner_status},
    {"contract_value_usd", COL_MONEY, NN, NULL},
    {"created_at", COL_TS, 0, NULL},
    {"approved_at", COL_TS, 0, NULL},
    {"deactivated_at", COL_TS, 0, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

static const struct col_spec partner_history_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"partner_id", COL_BIGINT, REQ, NULL},
    {"changed_at", COL_TS, REQ, NULL},
    {"status", COL_ENUM, REQ, partner_status},
    {"contract_value_usd", COL_MONEY, NN, NULL},
    {"name", COL_TEXT, 0, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

static const struct col_spec applications_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"company_name", COL_TEXT, REQ, NULL},
    {"contact_email", COL_TEXT, REQ, NULL},
    {"submitted_at", COL_TS, REQ, NULL},
    {"status", COL_ENUM, REQ, application_status},
    {"decided_at", COL_TS, 0, NULL},
    {"partner_id", COL_BIGINT, 0, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

static const struct col_spec events_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"partner_id", COL_BIGINT, REQ, NULL},
    {"name", COL_TEXT, REQ, NULL},
    {"slug", COL_TEXT, REQ, NULL},
    {"event_type", COL_ENUM, REQ, event_types},
    {"client_name", COL_TEXT, 0, NULL},
    {"event_date", COL_DATE, REQ, NULL},
    {"credits_allocated", COL_BIGINT, NN, NULL},
    {"created_at", COL_TS, 0, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

static const struct col_spec styles_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"name", COL_TEXT, REQ, NULL},
    {"category", COL_ENUM, REQ, style_categories},
    {"active", COL_BOOL, 0, NULL},
    {"created_at", COL_TS, 0, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

static const struct col_spec b2c_users_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"email", COL_TEXT, REQ, NULL},
    {"display_name", COL_TEXT, 0, NULL},
    {"country", COL_TEXT, 0, NULL},
    {"created_at", COL_TS, REQ, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

static const struct col_spec generations_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"event_id", COL_BIGINT, 0, NULL},
    {"b2c_user_id", COL_BIGINT, 0, NULL},
    {"style_id", COL_BIGINT, REQ, NULL},
    {"status", COL_ENUM, REQ, generation_status},
    {"credits", COL_BIGINT, NN, NULL},
    {"latency_ms", COL_INT, NN, NULL},
    {"created_at", COL_TS, REQ, NULL},
    {"deleted_at", COL_TS, 0, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

/* A generation belongs to an event or to a B2C user: exactly one. */
static const char *check_generation(const struct table_spec *t, const struct row_fields *r,
                                    char *why, size_t size)
{
    bool ev = !is_null(r, catalog_column(t, "event_id"));
    bool user = !is_null(r, catalog_column(t, "b2c_user_id"));
    if (ev == user) {
        snprintf(why, size, "needs exactly one of event_id and b2c_user_id (%s)",
                 ev ? "both are set" : "neither is set");
        return "missing_required";
    }
    return NULL;
}

static const struct col_spec credit_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"kind", COL_ENUM, REQ, credit_kinds},
    {"partner_id", COL_BIGINT, 0, NULL},
    {"b2c_user_id", COL_BIGINT, 0, NULL},
    {"event_id", COL_BIGINT, 0, NULL},
    {"credits", COL_BIGINT, NN, NULL},
    {"amount_usd", COL_MONEY, NN, NULL},
    {"pack_size", COL_INT, NN, NULL},
    {"promo_code", COL_TEXT, 0, NULL},
    {"actor", COL_TEXT, 0, NULL},
    {"description", COL_TEXT, 0, NULL},
    {"created_at", COL_TS, REQ, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

/* What each kind of movement must carry (schemas/source/001_operational.sql). */
static const char *check_credit(const struct table_spec *t, const struct row_fields *r, char *why,
                                size_t size)
{
    int kind = catalog_column(t, "kind");
    int partner = catalog_column(t, "partner_id");
    int user = catalog_column(t, "b2c_user_id");
    int event = catalog_column(t, "event_id");
    int credits = catalog_column(t, "credits");
    int amount = catalog_column(t, "amount_usd");
    const char *missing = NULL;
    if (equals(r, kind, "purchase")) {
        missing = is_null(r, partner) ? "partner_id" : is_null(r, credits) ? "credits"
                  : is_null(r, amount)                                     ? "amount_usd"
                                                                           : NULL;
    } else if (equals(r, kind, "allocation")) {
        missing = is_null(r, partner) ? "partner_id" : is_null(r, event) ? "event_id"
                  : is_null(r, credits)                                  ? "credits"
                                                                         : NULL;
    } else if (equals(r, kind, "consumption") || equals(r, kind, "refund")) {
        missing = is_null(r, partner) && is_null(r, user) ? "partner_id or b2c_user_id"
                  : is_null(r, credits)                   ? "credits"
                                                          : NULL;
    } else if (equals(r, kind, "b2c_purchase")) {
        missing = is_null(r, user) ? "b2c_user_id" : is_null(r, credits) ? "credits"
                  : is_null(r, amount)                                   ? "amount_usd"
                                                                         : NULL;
    } else if (equals(r, kind, "subscription")) {
        missing = is_null(r, user) ? "b2c_user_id" : is_null(r, amount) ? "amount_usd" : NULL;
    }
    if (missing) {
        snprintf(why, size, "a %.*s movement needs %s", (int)r->f[kind].len, r->f[kind].p,
                 missing);
        return "missing_required";
    }
    return NULL;
}

static const struct col_spec subscriptions_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"b2c_user_id", COL_BIGINT, REQ, NULL},
    {"plan", COL_ENUM, REQ, plans},
    {"monthly_fee_usd", COL_MONEY, NN, NULL},
    {"started_at", COL_TS, REQ, NULL},
    {"ended_at", COL_TS, 0, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

static const struct col_spec health_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"component", COL_ENUM, REQ, components},
    {"checked_at", COL_TS, REQ, NULL},
    {"status", COL_ENUM, REQ, up_down},
    {"response_ms", COL_INT, NN, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

static const struct col_spec api_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"requested_at", COL_TS, REQ, NULL},
    {"method", COL_ENUM, REQ, methods},
    {"endpoint", COL_TEXT, REQ, NULL},
    {"status_code", COL_INT, REQ, NULL},
    {"duration_ms", COL_INT, NN, NULL},
    {"api_key", COL_TEXT, 0, NULL},
    {"client_ip", COL_TEXT, 0, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

static const char *check_api(const struct table_spec *t, const struct row_fields *r, char *why,
                             size_t size)
{
    int i = catalog_column(t, "status_code");
    if (is_null(r, i))
        return NULL;
    /* Three digits 100..599 (the column is an integer, so digits only). */
    const struct field *f = &r->f[i];
    if (f->len != 3 || f->p[0] < '1' || f->p[0] > '5') {
        snprintf(why, size, "status_code %.*s is not an HTTP status (100..599)", (int)f->len, f->p);
        return "unknown_enum";
    }
    return NULL;
}

static const struct col_spec activity_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"occurred_at", COL_TS, REQ, NULL},
    {"actor", COL_TEXT, REQ, NULL},
    {"actor_type", COL_ENUM, REQ, actor_types},
    {"action", COL_TEXT, REQ, NULL},
    {"ip", COL_TEXT, 0, NULL},
    {"details", COL_JSON, 0, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

static const struct col_spec sessions_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"b2c_user_id", COL_BIGINT, REQ, NULL},
    {"started_at", COL_TS, REQ, NULL},
    {"ended_at", COL_TS, 0, NULL},
    {"device", COL_ENUM, 0, devices},
    {"updated_at", COL_TS, REQ, NULL},
};

static const struct col_spec steps_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"session_id", COL_BIGINT, REQ, NULL},
    {"step", COL_ENUM, REQ, funnel_steps},
    {"occurred_at", COL_TS, REQ, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

static const struct col_spec brands_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"name", COL_TEXT, REQ, NULL},
    {"created_at", COL_TS, 0, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

static const struct col_spec rewards_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"brand_id", COL_BIGINT, REQ, NULL},
    {"name", COL_TEXT, REQ, NULL},
    {"rsnc_amount", COL_BIGINT, COL_POSITIVE, NULL},
    {"active", COL_BOOL, 0, NULL},
    {"created_at", COL_TS, 0, NULL},
    {"deactivated_at", COL_TS, 0, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

static const struct col_spec perks_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"brand_id", COL_BIGINT, REQ, NULL},
    {"name", COL_TEXT, REQ, NULL},
    {"price_rsnc", COL_BIGINT, COL_POSITIVE, NULL},
    {"value_usd", COL_MONEY, NN, NULL},
    {"total_supply", COL_BIGINT, COL_POSITIVE, NULL},
    {"active", COL_BOOL, 0, NULL},
    {"created_at", COL_TS, 0, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

static const struct col_spec loyalty_cols[] = {
    {"id", COL_BIGINT, KEY, NULL},
    {"brand_id", COL_BIGINT, REQ, NULL},
    {"type", COL_ENUM, REQ, loyalty_types},
    {"user_ref", COL_TEXT, 0, NULL},
    {"perk_id", COL_BIGINT, 0, NULL},
    {"reward_id", COL_BIGINT, 0, NULL},
    {"usd_amount", COL_MONEY, NN, NULL},
    {"rsnc_amount", COL_BIGINT, REQ | COL_POSITIVE, NULL},
    {"tx_hash", COL_TEXT, REQ, NULL},
    {"metadata", COL_JSON, 0, NULL},
    {"created_at", COL_TS, REQ, NULL},
    {"updated_at", COL_TS, REQ, NULL},
};

static const char *check_loyalty(const struct table_spec *t, const struct row_fields *r,
                                 char *why, size_t size)
{
    int type = catalog_column(t, "type");
    const char *missing = NULL;
    if (equals(r, type, "distribution") && is_null(r, catalog_column(t, "user_ref")))
        missing = "user_ref";
    else if (equals(r, type, "perk_claim"))
        missing = is_null(r, catalog_column(t, "user_ref"))  ? "user_ref"
                  : is_null(r, catalog_column(t, "perk_id")) ? "perk_id"
                                                             : NULL;
    else if (equals(r, type, "purchase") && is_null(r, catalog_column(t, "usd_amount")))
        missing = "usd_amount";
    if (missing) {
        snprintf(why, size, "a %.*s needs %s", (int)r->f[type].len, r->f[type].p, missing);
        return "missing_required";
    }
    const struct field *h = &r->f[catalog_column(t, "tx_hash")];
    bool hex = h->len == 66 && h->p[0] == '0' && h->p[1] == 'x';
    for (size_t i = 2; hex && i < h->len; i++)
        hex = (h->p[i] >= '0' && h->p[i] <= '9') || (h->p[i] >= 'a' && h->p[i] <= 'f');
    if (!hex) {
        snprintf(why, size, "tx_hash is not 0x followed by 64 lowercase hex digits");
        return "bad_type";
    }
    return NULL;
}

#define TABLE(name, cols, check) {name, cols, N(cols), check}

/* Parents first: validate_references.sql looks up parents loaded earlier. */
const struct table_spec catalog_tables[] = {
    TABLE("partners", partners_cols, NULL),
    TABLE("partner_status_history", partner_history_cols, NULL),
    TABLE("partner_applications", applications_cols, NULL),
    TABLE("styles", styles_cols, NULL),
    TABLE("b2c_users", b2c_users_cols, NULL),
    TABLE("events", events_cols, NULL),
    TABLE("generations", generations_cols, check_generation),
    TABLE("credit_transactions", credit_cols, check_credit),
    TABLE("subscriptions", subscriptions_cols, NULL),
    TABLE("health_checks", health_cols, NULL),
    TABLE("api_requests", api_cols, check_api),
    TABLE("activity_log", activity_cols, NULL),
    TABLE("sessions", sessions_cols, NULL),
    TABLE("session_steps", steps_cols, NULL),
    TABLE("loyalty_brands", brands_cols, NULL),
    TABLE("loyalty_rewards", rewards_cols, NULL),
    TABLE("loyalty_perks", perks_cols, NULL),
    TABLE("loyalty_transactions", loyalty_cols, check_loyalty),
};

const size_t catalog_ntables = N(catalog_tables);

const struct table_spec *catalog_find(const char *name)
{
    for (size_t i = 0; i < catalog_ntables; i++)
        if (strcmp(catalog_tables[i].name, name) == 0)
            return &catalog_tables[i];
    return NULL;
}

int catalog_column(const struct table_spec *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return (int)i;
    return -1;
}
