#!/usr/bin/env python3
"""The same cells as bench/xlsx_project.c through Python XlsxWriter
(constant_memory), from the same synthetic rows.
usage: xlsx_xlsxwriter.py ROWS OUT.xlsx"""
import sys
from datetime import datetime

import xlsxwriter

KINDS = ["purchase", "allocation", "consumption", "refund"]


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("Transactions")
    date = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    text = wb.add_format({"num_format": "@"})
    integer = wb.add_format({"num_format": "#,##0"})
    money = wb.add_format({"num_format": '#,##0.00 "USD"'})
    ident = wb.add_format({"num_format": "0"})
    ws.write_row(0, 0, ["Date", "Actor", "Action Type", "Amount", "Description", "Amount (USD)",
                        "Transaction ID", "Partner ID", "Partner", "B2C user ID", "Event ID", "Pack size",
                        "Promo code"])
    for i in range(n):
        kind = i % 4
        r = i + 1
        text_date = "2026-10-%02d %02d:%02d:%02d.%06d" % (1 + i % 31, i % 24, i % 60, (i // 7) % 60,
                                                         (i * 7919) % 1000000)
        ws.write_datetime(r, 0, datetime.strptime(text_date, "%Y-%m-%d %H:%M:%S.%f"), date)
        ws.write_string(r, 1, "partner%04d@fotos.example" % (i % 5000), text)
        ws.write_string(r, 2, KINDS[kind], text)
        ws.write_number(r, 3, float(str(1 + i % 500)), integer)
        ws.write_string(r, 4, "Asignación de %d créditos a «Boda %d en Málaga»" % (1 + i % 500, i % 9973), text)
        if kind in (0, 3):
            ws.write_number(r, 5, float("%d.%02d" % (10 + i % 990, i % 100)), money)
        ws.write_number(r, 6, float(str(1000000 + i)), ident)
        ws.write_number(r, 7, float(str(1 + i % 5000)), ident)
        ws.write_string(r, 8, "Estudio Łódź %d" % (i % 5000), text)
        if kind in (1, 2):
            ws.write_number(r, 10, float(str(1 + i % 70000)), ident)
        if kind == 0:
            ws.write_number(r, 11, 100.0, integer)
    wb.close()


if __name__ == "__main__":
    main()
