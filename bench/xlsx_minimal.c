/* xlsx_minimal.c: the same cells as xlsx_project.c written by calling
 * libxlsxwriter directly, with the least conversion that gives the same
 * cell types and formats (no guard, no widths, no checks): the floor the
 * project's writer is measured against. usage: xlsx_minimal ROWS OUT.xlsx */
#include <stdio.h>
#include <stdlib.h>

#include <xlsxwriter.h>

#include "xlsx_rows.h"

int main(int argc, char **argv)
{
    if (argc != 3)
        return fprintf(stderr, "usage: %s ROWS OUT.xlsx\n", argv[0]), 64;
    long n = atol(argv[1]);
    lxw_workbook_options o = {.constant_memory = 1, .use_zip64 = 1};
    lxw_workbook *wb = workbook_new_opt(argv[2], &o);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Transactions");
    lxw_format *date = workbook_add_format(wb), *text = workbook_add_format(wb),
               *integer = workbook_add_format(wb), *money = workbook_add_format(wb), *id = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd hh:mm:ss");
    format_set_num_format(text, "@");
    format_set_num_format(integer, "#,##0");
    format_set_num_format(money, "#,##0.00 \"USD\"");
    format_set_num_format(id, "0");
    static const char *const head[BENCH_COLS] = {"Date", "Actor", "Action Type", "Amount", "Description",
                                                 "Amount (USD)", "Transaction ID", "Partner ID", "Partner",
                                                 "B2C user ID", "Event ID", "Pack size", "Promo code"};
    for (int c = 0; c < BENCH_COLS; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
    struct bench_row r;
    for (long i = 0; i < n; i++) {
        bench_row_make(&r, i);
        lxw_row_t row = (lxw_row_t)(i + 1);
        lxw_datetime d;
        double sec;
        sscanf(r.v[0], "%d-%hhu-%hhu %hhu:%hhu:%lf", &d.year, &d.month, &d.day, &d.hour, &d.min, &sec);
        d.sec = sec;
        worksheet_write_datetime(ws, row, 0, &d, date);
        worksheet_write_string(ws, row, 1, r.v[1], text);
        worksheet_write_string(ws, row, 2, r.v[2], text);
        worksheet_write_number(ws, row, 3, strtod(r.v[3], NULL), integer);
        worksheet_write_string(ws, row, 4, r.v[4], text);
        if (r.v[5])
            worksheet_write_number(ws, row, 5, strtod(r.v[5], NULL), money);
        worksheet_write_number(ws, row, 6, strtod(r.v[6], NULL), id);
        worksheet_write_number(ws, row, 7, strtod(r.v[7], NULL), id);
        worksheet_write_string(ws, row, 8, r.v[8], text);
        if (r.v[10])
            worksheet_write_number(ws, row, 10, strtod(r.v[10], NULL), id);
        if (r.v[11])
            worksheet_write_number(ws, row, 11, strtod(r.v[11], NULL), integer);
    }
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
