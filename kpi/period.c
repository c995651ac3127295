/* period.c: calendar arithmetic for KPI periods. */
#include "kpi/period.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Days from civil (Howard Hinnant's algorithm): exact for every Gregorian
 * date, no time zone and no libc locale involved. */
long period_day(int year, int month, int day)
{
    long y = year - (month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil(long z, int *year, int *month, int *day)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (*month <= 2));
}

void period_date_format(long day, char buf[11])
{
    int y, m, d;
    civil(day, &y, &m, &d);
    snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
}

/* Reads exactly `width` digits. */
static int digits(const char *s, int width, int *out)
{
    int v = 0;
    for (int i = 0; i < width; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dm[m - 1];
}

int period_date_parse(const char *s, long *day)
{
    int y, m, d;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) || digits(s + 5, 2, &m) ||
        digits(s + 8, 2, &d) || y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    *day = period_day(y, m, d);
    return 0;
}

/* ISO weekday, 1 = Monday. Day 0 (1970-01-01) was a Thursday. */
static int iso_weekday(long day)
{
    long r = (day + 3) % 7;
    return (int)(r < 0 ? r + 7 : r) + 1;
}

/* Monday of ISO week 1: the week holding 4 January. */
static long iso_week1(int year)
{
    long jan4 = period_day(year, 1, 4);
    return jan4 - (iso_weekday(jan4) - 1);
}

static void set(struct kpi_period *p, const char *grain, long start, long end, const char *label)
{
    snprintf(p->grain, sizeof(p->grain), "%s", grain);
    snprintf(p->label, sizeof(p->label), "%s", label);
    p->start = start;
    p->end = end;
}

static long add_months(long day, int n)
{
    int y, m, d;
    civil(day, &y, &m, &d);
    int idx = y * 12 + (m - 1) + n;
    return period_day(idx / 12, idx % 12 + 1, 1);
}

int period_parse(const char *spec, struct kpi_period *p, struct almanac_error *err)
{
    size_t n = strlen(spec);
    int y, m, w;
    long day;
    if (n == 7 && spec[4] == '-' && !digits(spec, 4, &y) && !digits(spec + 5, 2, &m) && m >= 1 &&
        m <= 12 && y >= 1900) {
        long start = period_day(y, m, 1);
        set(p, "month", start, add_months(start, 1), spec);
        return 0;
    }
    if (n == 6 && spec[4] == 'Q' && !digits(spec, 4, &y) && spec[5] >= '1' && spec[5] <= '4' &&
        y >= 1900) {
        long start = period_day(y, (spec[5] - '1') * 3 + 1, 1);
        set(p, "quarter", start, add_months(start, 3), spec);
        return 0;
    }
    if (n == 8 && spec[4] == '-' && spec[5] == 'W' && !digits(spec, 4, &y) && !digits(spec + 6, 2, &w) &&
        y >= 1900) {
        long w1 = iso_week1(y);
        long weeks = (iso_week1(y + 1) - w1) / 7;
        if (w >= 1 && w <= weeks) {
            long start = w1 + (long)(w - 1) * 7;
            set(p, "week", start, start + 7, spec);
            return 0;
        }
        return error_set(err, ALMANAC_EX_USAGE, "period \"%s\": %d has ISO weeks 1 to %ld", spec, y, weeks);
    }
    if (period_date_parse(spec, &day) == 0) {
        set(p, "day", day, day + 1, spec);
        return 0;
    }
    error_set(err, ALMANAC_EX_USAGE, "period \"%s\" is not a month, quarter, ISO week or day", spec);
    error_hint(err, "write 2026-10, 2026Q3, 2026-W43 or 2026-10-14; or --window 30d --as-of 2026-10-31");
    return -1;
}

int period_window(const char *days, const char *as_of, struct kpi_period *p, struct almanac_error *err)
{
    int n = !strcmp(days, "7d") ? 7 : !strcmp(days, "30d") ? 30 : !strcmp(days, "90d") ? 90 : 0;
    if (!n)
        return error_set(err, ALMANAC_EX_USAGE, "window \"%s\" is not 7d, 30d or 90d", days);
    long day;
    if (period_date_parse(as_of, &day))
        return error_set(err, ALMANAC_EX_USAGE, "--as-of \"%s\" is not a date (YYYY-MM-DD)", as_of);
    char label[16];
    snprintf(label, sizeof(label), "%s:%s", days, as_of);
    set(p, days, day - n + 1, day + 1, label);
    return 0;
}

void period_previous(const struct kpi_period *in, struct kpi_period *prev)
{
    /* prev may be p itself: work from a copy. */
    const struct kpi_period copy = *in, *p = &copy;
    *prev = copy;
    char a[11], label[16];
    if (!strcmp(p->grain, "month") || !strcmp(p->grain, "quarter")) {
        int n = p->grain[0] == 'm' ? 1 : 3;
        prev->start = add_months(p->start, -n);
        prev->end = p->start;
        int y, m, d;
        civil(prev->start, &y, &m, &d);
        if (n == 1)
            snprintf(label, sizeof(label), "%04d-%02d", y, m);
        else
            snprintf(label, sizeof(label), "%04dQ%d", y, (m - 1) / 3 + 1);
    } else {
        long len = p->end - p->start;
        prev->start = p->start - len;
        prev->end = p->start;
        period_date_format(prev->end - 1, a);
        if (!strcmp(p->grain, "day"))
            snprintf(label, sizeof(label), "%s", a);
        else if (!strcmp(p->grain, "week")) {
            /* The ISO year of a week is the year of its Thursday. */
            int y, m, d;
            civil(prev->start + 3, &y, &m, &d);
            snprintf(label, sizeof(label), "%04d-W%02ld", y, (prev->start - iso_week1(y)) / 7 + 1);
        } else
            snprintf(label, sizeof(label), "%s:%s", p->grain, a);
    }
    snprintf(prev->label, sizeof(prev->label), "%s", label);
}

int period_containing(const char *grain, long day, struct kpi_period *p, struct almanac_error *err)
{
    int y, m, d;
    civil(day, &y, &m, &d);
    char spec[16];
    if (!strcmp(grain, "day"))
        period_date_format(day, spec);
    else if (!strcmp(grain, "month"))
        snprintf(spec, sizeof(spec), "%04d-%02d", y, m);
    else if (!strcmp(grain, "quarter"))
        snprintf(spec, sizeof(spec), "%04dQ%d", y, (m - 1) / 3 + 1);
    else if (!strcmp(grain, "week")) {
        /* The ISO year of a week is the year of its Thursday. */
        long monday = day - (iso_weekday(day) - 1);
        int ty, tm, td;
        civil(monday + 3, &ty, &tm, &td);
        snprintf(spec, sizeof(spec), "%04d-W%02ld", ty, (monday - iso_week1(ty)) / 7 + 1);
    } else
        return error_set(err, ALMANAC_EX_USAGE, "grain \"%s\" is not day, week, month or quarter", grain);
    return period_parse(spec, p, err);
}

void period_next(const struct kpi_period *in, struct kpi_period *next)
{
    /* next may be p itself: work from a copy. */
    const struct kpi_period p = *in;
    struct almanac_error ignored;
    /* p.end is the first day of the next period of the same grain. */
    if (period_containing(p.grain, p.end, next, &ignored) != 0)
        *next = p;
}
