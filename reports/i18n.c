/* i18n.c: label table and locale number formats. */
#include "reports/i18n.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/pdftext.h"

struct label {
    const char *key, *en, *es;
};

static const struct label labels[] = {
    /* Document and cover */
    {"review.title", "Quarterly review", "Revisión trimestral"},
    {"partner.title", "Partner monthly review", "Revisión mensual del partner"},
    {"weekly.title", "Weekly review", "Revisión semanal"},
    {"period", "Period", "Periodo"},
    {"as_of", "As of", "Fecha de corte"},
    {"kpi_run", "KPI run", "Cálculo de KPIs"},
    {"time_zone", "time zone", "zona horaria"},
    {"freshness", "Data freshness", "Frescura de datos"},
    {"freshness.loaded", "warehouse loaded to", "almacén cargado hasta"},
    {"freshness.etl", "ETL run", "ejecución ETL"},
    {"freshness.none", "no successful ETL run recorded", "ninguna ejecución ETL correcta registrada"},
    {"data_through", "Data through", "Datos hasta"},
    {"pulse", "System pulse", "Pulso del sistema"},
    {"contents", "Contents", "Contenido"},
    {"page", "page", "página"},
    {"of", "of", "de"},
    {"run", "run", "cálculo"},
    {"na", "n/a", "n/d"},
    {"none", "none", "ninguno"},
    {"replaced", "characters the font cannot draw are shown as \xEF\xBF\xBD",
     "los caracteres que la fuente no tiene se muestran como \xEF\xBF\xBD"},
    /* Sections */
    {"sec.scorecard", "KPI scorecard", "Cuadro de KPIs"},
    {"sec.trends", "Trends (24 months)", "Tendencias (24 meses)"},
    {"sec.seasonality", "Seasonality by event type", "Estacionalidad por tipo de evento"},
    {"sec.forecast", "Next-quarter forecast", "Pronóstico del próximo trimestre"},
    {"sec.segments", "Partner segments", "Segmentos de partners"},
    {"sec.top_partners", "Top 10 partners", "Los 10 mejores partners"},
    {"sec.at_risk", "Partners at risk", "Partners en riesgo"},
    {"sec.styles", "Styles", "Estilos"},
    {"sec.alerts", "Alerts of the quarter", "Alertas del trimestre"},
    {"sec.loyalty", "Loyalty program", "Programa de fidelización"},
    {"sec.insights", "Insights", "Conclusiones"},
    {"sec.kpis_month", "KPIs of the month", "KPIs del mes"},
    {"sec.kpis_week", "KPIs of the week", "KPIs de la semana"},
    {"sec.segment", "Segment", "Segmento"},
    {"sec.top_styles", "Top styles", "Estilos más usados"},
    {"sec.inactive_partners", "Inactive partners", "Partners inactivos"},
    {"sec.retire", "Styles to retire", "Estilos a retirar"},
    /* Scorecard */
    {"col.kpi", "KPI", "KPI"},
    {"col.value", "Value", "Valor"},
    {"col.prev_q", "Previous quarter", "Trimestre anterior"},
    {"col.qoq", "QoQ", "Var. trim."},
    {"col.year_ago", "Year ago", "Hace un año"},
    {"col.yoy", "YoY", "Var. anual"},
    {"col.band", "Band", "Banda"},
    {"col.thresholds", "Good / needs impr.", "Bueno / a mejorar"},
    {"col.prev_m", "Previous month", "Mes anterior"},
    {"col.mom", "MoM", "Var. mensual"},
    {"col.prev_w", "Previous week", "Semana anterior"},
    {"col.wow", "WoW", "Var. semanal"},
    {"band.good", "good", "bueno"},
    {"band.watch", "watch", "vigilar"},
    {"band.needs_improvement", "needs improvement", "a mejorar"},
    {"band.legend", "Bands", "Bandas"},
    {"scorecard.note",
     "QoQ compares with the previous quarter; YoY with the same quarter a year earlier. Changes of "
     "percentages are in percentage points (pp).",
     "La variación trimestral compara con el trimestre anterior; la anual, con el mismo trimestre del "
     "año anterior. Las variaciones de porcentajes se dan en puntos porcentuales (pp)."},
    {"status.0", "green", "verde"},
    {"status.1", "amber", "ámbar"},
    {"status.2", "red", "rojo"},
    /* Trends */
    {"trend.revenue", "Revenue per month", "Ingresos por mes"},
    {"trend.mrr", "MRR", "MRR (ingreso mensual recurrente)"},
    {"trend.partners", "Active partners at month end", "Partners Activos a fin de mes"},
    {"trend.generations", "Generations per month", "Generaciones por mes"},
    {"trend.events_by_type", "Events by type", "Eventos por tipo"},
    {"trend.missing", "months without stored KPIs are gaps", "los meses sin KPIs guardados quedan en blanco"},
    {"unit.usd", "USD", "USD"},
    {"unit.count", "count", "cantidad"},
    {"unit.partners", "partners", "partners"},
    {"unit.events", "events", "eventos"},
    {"unit.index", "seasonal index (1 = average month)", "índice estacional (1 = mes promedio)"},
    {"unit.pct", "%", "%"},
    {"unit.rsnc", "RSNC", "RSNC"},
    {"channel.partner", "partners", "partners"},
    {"channel.b2c", "B2C", "B2C"},
    /* Event types */
    {"type.wedding", "wedding", "boda"},
    {"type.corporate", "corporate", "corporativo"},
    {"type.holiday", "holiday", "festivo"},
    {"type.other", "other", "otro"},
    /* Seasonality */
    {"col.type", "Event type", "Tipo de evento"},
    {"col.quality", "History", "Historia"},
    {"quality.full", "full", "completa"},
    {"quality.indicative", "indicative", "indicativa"},
    {"quality.short_history", "short history", "historia corta"},
    {"quality.no_signal", "no signal", "sin señal"},
    {"season.legend.peak", "peak", "pico"},
    {"season.legend.low", "low", "bajo"},
    {"season.note",
     "Index of each calendar month against an average month (1.00), from the monthly events of each "
     "type. 'Indicative': 24 to 35 months of history; 'short history': under 24 (month shares).",
     "Índice de cada mes del año frente a un mes promedio (1,00), a partir de los eventos mensuales de "
     "cada tipo. 'Indicativa': de 24 a 35 meses de historia; 'historia corta': menos de 24 (cuotas "
     "por mes)."},
    {"season.none", "No seasonality stored.", "No hay estacionalidad guardada."},
    {"season.history", "history", "historia"},
    {"season.peaks", "Peaks", "Picos"},
    {"season.lows", "Lows", "Valles"},
    /* Forecast */
    {"col.series", "Series", "Serie"},
    {"col.month", "Month", "Mes"},
    {"col.forecast", "Forecast", "Pronóstico"},
    {"col.lower", "Lower", "Mínimo"},
    {"col.upper", "Upper", "Máximo"},
    {"col.method", "Method", "Método"},
    {"series.events", "Events", "Eventos"},
    {"series.generations", "Generations", "Generaciones"},
    {"series.revenue", "Revenue (USD)", "Ingresos (USD)"},
    {"series.claims", "Perk claims", "Canjes de beneficios"},
    {"method.holt_winters", "Holt-Winters", "Holt-Winters"},
    {"method.seasonal_naive", "seasonal naive", "estacional ingenuo"},
    {"forecast.note", "80 % prediction interval. Platform series; events also by type.",
     "Intervalo de predicción del 80 %. Series de la plataforma; eventos también por tipo."},
    {"forecast.none", "No forecast stored.", "No hay pronóstico guardado."},
    /* Segments */
    {"col.segment", "Segment", "Segmento"},
    {"col.partners", "Partners", "Partners"},
    {"col.share", "Share", "Cuota"},
    {"col.action", "Recommended action", "Acción recomendada"},
    {"seg.power", "power", "power"},
    {"seg.active", "active", "activo"},
    {"seg.occasional", "occasional", "ocasional"},
    {"seg.dormant", "dormant", "inactivo"},
    {"seg.new", "new", "nuevo"},
    {"action.power", "VIP support", "soporte VIP"},
    {"action.active", "upsell", "venta adicional"},
    {"action.occasional", "re-engagement", "reactivación"},
    {"action.dormant", "win-back", "recuperación"},
    {"seg.month", "Segments at the end of", "Segmentos al cierre de"},
    {"seg.movement", "Movement from last month (rows) to this month (columns)",
     "Movimiento desde el mes anterior (filas) a este mes (columnas)"},
    {"seg.from_to", "from \\ to", "de \\ a"},
    {"seg.none", "No segments stored for this month.", "No hay segmentos guardados para este mes."},
    /* Partners */
    {"col.partner", "Partner", "Partner"},
    {"col.revenue", "Revenue (USD)", "Ingresos (USD)"},
    {"col.events", "Events", "Eventos"},
    {"col.generations", "Generations", "Generaciones"},
    {"col.credits_bought", "Credits bought", "Créditos comprados"},
    {"col.credits_used", "Credits used", "Créditos usados"},
    {"col.consumption", "Consumption", "Consumo"},
    {"col.reason", "Why", "Motivo"},
    {"col.change", "Change", "Variación"},
    {"risk.dormant", "dormant: no event in 90 days", "inactivo: ningún evento en 90 días"},
    {"risk.low_credit", "low credit: consumption", "pocos créditos: consumo"},
    {"risk.falling", "falling usage: credits used", "uso en caída: créditos usados"},
    {"risk.none", "No partner at risk.", "Ningún partner en riesgo."},
    {"partners.none", "No partner activity.", "Sin actividad de partners."},
    /* Styles */
    {"col.style", "Style", "Estilo"},
    {"col.category", "Category", "Categoría"},
    {"col.rank", "Rank", "Puesto"},
    {"col.days_unused", "Days since use", "Días sin uso"},
    {"col.deletion", "Deletion rate", "Tasa de borrado"},
    {"col.platform_rate", "Platform rate", "Tasa de la plataforma"},
    {"styles.categories", "Share of generations by category", "Cuota de generaciones por categoría"},
    {"styles.retire", "Retire candidates: unused for 90 days, or under 1 % of generations",
     "Candidatos a retirar: sin uso en 90 días, o menos del 1 % de las generaciones"},
    {"styles.quality", "Quality issues: deletion rate at least twice the platform's",
     "Problemas de calidad: tasa de borrado al menos el doble que la de la plataforma"},
    {"styles.unused", "unused 90 days", "sin uso 90 días"},
    {"styles.none", "none", "ninguno"},
    /* Alerts */
    {"col.alert", "Alert", "Alerta"},
    {"col.critical", "Critical", "Críticas"},
    {"col.warning", "Warning", "Avisos"},
    {"col.info", "Info", "Info"},
    {"col.component", "Component", "Componente"},
    {"col.start", "Start", "Inicio"},
    {"col.end", "End", "Fin"},
    {"col.duration", "Duration", "Duración"},
    {"alerts.outages", "Outage intervals", "Intervalos de caída"},
    {"alerts.none", "No alerts recorded for this quarter (alerts are evaluated by `almanac alerts`).",
     "No hay alertas registradas en este trimestre (las evalúa `almanac alerts`)."},
    {"alerts.no_outage", "No outage in the quarter.", "Ninguna caída en el trimestre."},
    {"alerts.ongoing", "ongoing", "en curso"},
    {"min", "min", "min"},
    /* Loyalty */
    {"loyalty.efficiency", "Capital efficiency", "Eficiencia del capital"},
    {"loyalty.dist_vs_red", "RSNC distributed vs redeemed, by brand",
     "RSNC distribuidos frente a canjeados, por marca"},
    {"loyalty.distributed", "distributed", "distribuidos"},
    {"loyalty.redeemed", "redeemed", "canjeados"},
    {"loyalty.top_perks", "Top perks", "Beneficios más canjeados"},
    {"loyalty.sellout", "Perks near sell-out", "Beneficios por agotarse"},
    {"loyalty.low_rsnc", "Brands low on RSNC", "Marcas con poco saldo RSNC"},
    {"col.brand", "Brand", "Marca"},
    {"col.perk", "Perk", "Beneficio"},
    {"col.claims", "Claims", "Canjes"},
    {"col.remaining", "Supply left", "Existencias"},
    {"col.balance", "RSNC balance", "Saldo RSNC"},
    {"col.days_left", "Days left", "Días restantes"},
    {"loyalty.none", "none", "ninguno"},
    /* Insights */
    {"ins.upsell", "above 90 %: upsell opportunity", "por encima del 90 %: oportunidad de venta adicional"},
    {"ins.training", "below 50 %: partners buy but do not use (training issue?)",
     "por debajo del 50 %: los partners compran pero no usan (¿falta formación?)"},
    {"ins.needs", "needs improvement against the benchmark", "a mejorar frente a la referencia"},
    {"ins.qoq", "on the previous quarter", "frente al trimestre anterior"},
    {"ins.dormant", "Dormant partners", "Partners inactivos"},
    {"ins.quality", "Styles with a quality issue", "Estilos con problemas de calidad"},
    {"ins.adjust_perks", "Brands distributing much RSNC with capital efficiency under 20 %",
     "Marcas que distribuyen mucho RSNC con eficiencia del capital bajo el 20 %"},
    {"ins.adjust_perks2", "adjust perk prices or add perks", "ajustar precios o añadir beneficios"},
    {"ins.outages", "Outages in the quarter", "Caídas en el trimestre"},
    {"ins.forecast", "Events forecast for next quarter", "Eventos pronosticados para el próximo trimestre"},
    {"ins.none", "No rule fired.", "Ninguna regla se activó."},
    /* Partner report */
    {"partner.id", "Partner", "Partner"},
    {"partner.segment_action", "recommended action", "acción recomendada"},
    {"partner.no_segment", "not segmented this month (not active at month end)",
     "sin segmento este mes (no activo al cierre)"},
    {"partner.styles_note", "Generations at this partner's events in the month, by style.",
     "Generaciones en los eventos de este partner en el mes, por estilo."},
    {"partner.events_list", "Events held in the month", "Eventos del mes"},
    {"col.date", "Date", "Fecha"},
    {"col.event", "Event", "Evento"},
    {"col.client", "Client", "Cliente"},
    {"col.allocated", "Credits allocated", "Créditos asignados"},
    {"partner.no_events", "No event held this month.", "Ningún evento este mes."},
    /* Weekly */
    {"weekly.top", "Top partners of the week (by events)", "Mejores partners de la semana (por eventos)"},
    {"weekly.inactive", "Active partners without an event this week",
     "Partners activos sin eventos esta semana"},
    {"weekly.retire", "Styles unused for 90 days", "Estilos sin uso en 90 días"},
};

static const struct label kpis[] = {
    {"system_pulse", "System pulse", "Pulso del sistema"},
    {"uptime_pct", "Uptime", "Disponibilidad"},
    {"api_requests", "API requests", "Peticiones a la API"},
    {"error_rate_pct", "API error rate", "Tasa de errores de la API"},
    {"avg_response_s", "Mean response time", "Tiempo medio de respuesta"},
    {"p95_response_s", "Response time p95", "Tiempo de respuesta p95"},
    {"partners_total", "Partners (total)", "Partners totales"},
    {"partners_active", "Active partners", "Partners Activos"},
    {"partners_inactive", "Inactive partners", "Partners inactivos"},
    {"partners_approved", "Partners approved", "Partners aprobados"},
    {"partners_deactivated", "Partners deactivated", "Partners desactivados"},
    {"partner_growth_mom_pct", "Partner growth", "Crecimiento de partners"},
    {"partner_churn_mom_pct", "Partner churn", "Bajas de partners"},
    {"active_partner_ratio_pct", "Partners with events", "Partners con eventos"},
    {"events_total", "Network events", "Total Eventos Red"},
    {"events_cumulative", "Events to date", "Eventos acumulados"},
    {"generations_total", "Generations", "Generaciones"},
    {"avg_generations_per_event", "Generations per event", "Generaciones por evento"},
    {"credits_bought", "Credits bought", "Créditos comprados"},
    {"credits_used", "Credits used", "Créditos usados"},
    {"credits_in_channels", "Credits in channels", "Créditos en Canales"},
    {"credits_in_circulation", "Credits in circulation", "Créditos en circulación"},
    {"consumption_ratio_pct", "Consumption ratio", "Ratio de Consumo"},
    {"revenue_usd", "Revenue", "Ingresos"},
    {"revenue_growth_mom_pct", "Revenue growth", "Crecimiento de ingresos"},
    {"mrr_usd", "MRR", "MRR"},
    {"mrr_growth_mom_pct", "MRR growth", "Crecimiento del MRR"},
    {"b2c_users_total", "B2C users", "Usuarios B2C"},
    {"b2c_new_users", "New B2C users", "Nuevos usuarios B2C"},
    {"b2c_active_30d", "Active users (30d)", "Usuarios activos (30d)"},
    {"b2c_activation_pct", "B2C activation", "Activación B2C"},
    {"b2c_revenue_month_usd", "B2C revenue", "Ingresos B2C"},
    {"avg_credits_per_user", "Credits per B2C user", "Créditos por usuario B2C"},
    {"avg_purchase_usd", "Mean B2C purchase", "Compra media B2C"},
    {"repeat_purchase_pct", "Repeat buyers", "Compradores recurrentes"},
    {"session_avg_s", "Mean session", "Sesión media"},
    {"styles_total", "Styles", "Estilos"},
    {"styles_active", "Active styles", "Estilos activos"},
    {"styles_inactive", "Inactive styles", "Estilos inactivos"},
    {"style_deletion_rate_pct", "Generation deletion rate", "Tasa de borrado de generaciones"},
    {"capital_invested_usd", "Capital invested", "Capital invertido"},
    {"points_distributed", "RSNC distributed", "RSNC distribuidos"},
    {"customers_reached", "Customers reached", "Clientes alcanzados"},
    {"rsnc_balance", "RSNC balance", "Saldo RSNC"},
    {"points_redeemed", "RSNC redeemed", "RSNC canjeados"},
    {"capital_efficiency_pct", "Capital efficiency", "Eficiencia del capital"},
    {"active_rewards", "Active rewards", "Recompensas activas"},
    {"revenue_generated_usd", "Revenue from perks", "Ingresos por beneficios"},
    {"engagement_rate_pct", "Engagement rate", "Tasa de participación"},
    {"arpc_usd", "Revenue per customer", "Ingreso por cliente"},
};

static const char *const months_en[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const months_es[12] = {"ene", "feb", "mar", "abr", "may", "jun",
                                          "jul", "ago", "sep", "oct", "nov", "dic"};
static const char *const full_en[12] = {"January", "February", "March",     "April",   "May",      "June",
                                        "July",    "August",   "September", "October", "November", "December"};
static const char *const full_es[12] = {"enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
                                        "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};

int i18n_parse(const char *name, enum i18n_locale *loc, struct almanac_error *err)
{
    if (!strcmp(name, "en"))
        *loc = I18N_EN;
    else if (!strcmp(name, "es"))
        *loc = I18N_ES;
    else
        return error_set(err, ALMANAC_EX_USAGE, "locale must be en or es, not \"%s\"", name);
    return 0;
}

static const char *find(const struct label *t, size_t n, enum i18n_locale loc, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i].key, key))
            return loc == I18N_ES ? t[i].es : t[i].en;
    return NULL;
}

const char *i18n_label(enum i18n_locale loc, const char *key)
{
    const char *s = find(labels, sizeof labels / sizeof labels[0], loc, key);
    return s ? s : key;
}

const char *i18n_kpi(enum i18n_locale loc, const char *code)
{
    const char *s = find(kpis, sizeof kpis / sizeof kpis[0], loc, code);
    return s ? s : code;
}

const char *i18n_month(enum i18n_locale loc, int month, int full)
{
    if (month < 1 || month > 12)
        return "?";
    if (full)
        return loc == I18N_ES ? full_es[month - 1] : full_en[month - 1];
    return loc == I18N_ES ? months_es[month - 1] : months_en[month - 1];
}

char i18n_group(enum i18n_locale loc)
{
    return loc == I18N_ES ? '.' : ',';
}

char i18n_decimal(enum i18n_locale loc)
{
    return loc == I18N_ES ? ',' : '.';
}

void i18n_number(enum i18n_locale loc, double v, int decimals, char *out, size_t size)
{
    pdftext_number(v, decimals, i18n_group(loc), i18n_decimal(loc), out, size);
}

static void dec(enum i18n_locale loc, const char *text, int decimals, char *out, size_t size)
{
    pdftext_decimal(text, decimals, i18n_group(loc), i18n_decimal(loc), out, size);
}

void i18n_value(enum i18n_locale loc, const char *text, const char *unit, char *out, size_t size)
{
    if (!text) {
        snprintf(out, size, "%s", i18n_label(loc, "na"));
        return;
    }
    double v = strtod(text, NULL);
    bool whole = fabs(v - round(v)) < 1e-9;
    char n[64];
    if (!strcmp(unit, "pct")) {
        dec(loc, text, 1, n, sizeof n);
        snprintf(out, size, "%s %%", n);
    } else if (!strcmp(unit, "usd")) {
        dec(loc, text, 2, n, sizeof n);
        snprintf(out, size, "%s USD", n);
    } else if (!strcmp(unit, "seconds")) {
        dec(loc, text, 2, n, sizeof n);
        snprintf(out, size, "%s s", n);
    } else if (!strcmp(unit, "status")) {
        snprintf(out, size, "%s", i18n_label(loc, v == 0 ? "status.0" : v == 1 ? "status.1" : "status.2"));
    } else if (!strcmp(unit, "hour")) {
        snprintf(out, size, "%02d:00", (int)v);
    } else if (!strcmp(unit, "date") && whole && v > 19000101) {
        snprintf(out, size, "%.4s-%.2s-%.2s", text, text + 4, text + 6);
    } else {
        dec(loc, text, whole ? 0 : 1, out, size);
    }
}

void i18n_change(enum i18n_locale loc, const char *delta, const char *delta_pct, const char *unit,
                 char *out, size_t size)
{
    char n[64];
    if (!strcmp(unit, "status") || !strcmp(unit, "date") || !strcmp(unit, "rank") || !strcmp(unit, "hour")) {
        snprintf(out, size, "%s", "");
        return;
    }
    bool pp = !strcmp(unit, "pct");
    const char *text = pp ? delta : delta_pct;
    if (!text) {
        snprintf(out, size, "%s", i18n_label(loc, "na"));
        return;
    }
    dec(loc, text, 1, n, sizeof n);
    /* "+0.0" and "-0.0" both read as no change: print "0.0". */
    bool zero = !strcmp(n + (n[0] == '-'), loc == I18N_ES ? "0,0" : "0.0");
    snprintf(out, size, "%s%s %s", zero || n[0] == '-' ? "" : "+", zero && n[0] == '-' ? n + 1 : n,
             pp ? "pp" : "%");
}

void i18n_date(enum i18n_locale loc, const char *iso, char *out, size_t size)
{
    int y, m, d;
    if (!iso || sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3) {
        snprintf(out, size, "%s", iso ? iso : "");
        return;
    }
    snprintf(out, size, "%d %s %d", d, i18n_month(loc, m, 0), y);
}
