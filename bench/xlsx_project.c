/* xlsx_project.c: N synthetic Transactions rows through the project's
 * sheet writer (reports/xlsx.c), as `almanac report accounting` writes
 * them. usage: xlsx_project ROWS OUT.xlsx */
#include <stdio.h>
#include <stdlib.h>

#include "bench/xlsx_rows.h"
#include "reports/xlsx.h"

int main(int argc, char **argv)
{
    if (argc != 3)
        return fprintf(stderr, "usage: %s ROWS OUT.xlsx\n", argv[0]), 64;
    long n = atol(argv[1]);
    static const struct xlsx_column cols[BENCH_COLS] = {
        {"Date", XLSX_DATETIME},     {"Actor", XLSX_TEXT},       {"Action Type", XLSX_TEXT},
        {"Amount", XLSX_INT},        {"Description", XLSX_TEXT}, {"Amount (USD)", XLSX_MONEY},
        {"Transaction ID", XLSX_ID}, {"Partner ID", XLSX_ID},    {"Partner", XLSX_TEXT},
        {"B2C user ID", XLSX_ID},    {"Event ID", XLSX_ID},      {"Pack size", XLSX_INT},
        {"Promo code", XLSX_TEXT},
    };
    struct almanac_error err;
    error_clear(&err);
    struct xlsx_props props = {.title = "bench", .currency = "USD", .created = 1793491200};
    struct xlsx_book *b = xlsx_book_new(argv[2], NULL, &props, &err);
    struct xlsx_sheet *s = b ? xlsx_sheet_add(b, "Transactions", cols, BENCH_COLS, 0, &err) : NULL;
    struct bench_row r;
    for (long i = 0; s && i < n; i++) {
        bench_row_make(&r, i);
        if (xlsx_sheet_row(s, r.v, &err))
            s = NULL;
    }
    if (!s || xlsx_book_close(b, &err)) {
        if (!s)
            xlsx_book_free(b);
        fprintf(stderr, "xlsx_project: %s\n", err.message);
        return 1;
    }
    return 0;
}
