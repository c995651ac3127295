/* xlsx_rows.h: the synthetic Transactions rows of the XLSX benchmark, as
 * PostgreSQL's text output would give them (13 columns, like
 * schemas/reports/accounting/transactions.sql). Shared by the project's
 * writer and the minimal libxlsxwriter program so both write the same
 * cells from the same input. */
#ifndef BENCH_XLSX_ROWS_H
#define BENCH_XLSX_ROWS_H

#include <stdio.h>

#define BENCH_COLS 13

struct bench_row {
    char date[32], actor[48], credits[16], desc[96], usd[16], id[16], partner[16], name[48], event[16],
        pack[16];
    const char *v[BENCH_COLS];
};

static const char *const bench_kinds[4] = {"purchase", "allocation", "consumption", "refund"};

static void bench_row_make(struct bench_row *r, long i)
{
    int kind = (int)(i % 4);
    snprintf(r->date, sizeof(r->date), "2026-10-%02ld %02ld:%02ld:%02ld.%06ld", 1 + i % 31, i % 24, i % 60,
             (i / 7) % 60, (i * 7919) % 1000000);
    snprintf(r->actor, sizeof(r->actor), "partner%04ld@fotos.example", i % 5000);
    snprintf(r->credits, sizeof(r->credits), "%ld", 1 + i % 500);
    snprintf(r->desc, sizeof(r->desc), "Asignación de %ld créditos a «Boda %ld en Málaga»", 1 + i % 500, i % 9973);
    snprintf(r->usd, sizeof(r->usd), "%ld.%02ld", 10 + i % 990, i % 100);
    snprintf(r->id, sizeof(r->id), "%ld", 1000000 + i);
    snprintf(r->partner, sizeof(r->partner), "%ld", 1 + i % 5000);
    snprintf(r->name, sizeof(r->name), "Estudio Łódź %ld", i % 5000);
    snprintf(r->event, sizeof(r->event), "%ld", 1 + i % 70000);
    snprintf(r->pack, sizeof(r->pack), "%d", 100);
    r->v[0] = r->date;
    r->v[1] = r->actor;
    r->v[2] = bench_kinds[kind];
    r->v[3] = r->credits;
    r->v[4] = r->desc;
    r->v[5] = kind == 0 || kind == 3 ? r->usd : NULL;
    r->v[6] = r->id;
    r->v[7] = r->partner;
    r->v[8] = r->name;
    r->v[9] = NULL;
    r->v[10] = kind == 1 || kind == 2 ? r->event : NULL;
    r->v[11] = kind == 0 ? r->pack : NULL;
    r->v[12] = NULL;
}

#endif
