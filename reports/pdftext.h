/* pdftext.h: the pure text helpers under the PDF layer: UTF-8 decoding,
 * which characters a TrueType font can draw, visible replacement of the
 * others, number formatting, line wrapping and round chart ticks.
 *
 * Nothing here touches libharu, so each piece is tested on its own
 * (tests/reports/test_pdf.c).
 */
#ifndef ALMANAC_REPORTS_PDFTEXT_H
#define ALMANAC_REPORTS_PDFTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/strbuf.h"

/* U+FFFD, drawn in place of a character the font lacks or a byte sequence
 * that is not UTF-8; '?' when the font lacks U+FFFD as well. */
#define PDFTEXT_REPLACEMENT 0xFFFDu

/* The Basic Multilingual Plane characters a font maps to a glyph: one bit
 * per code point (libharu draws only the BMP). */
struct pdftext_glyphs {
    unsigned char bits[65536 / 8];
};

/* Reads the cmap table of the TrueType file at path (format 4 or 12
 * subtable, Unicode). Returns 0, or -1 with err (exit 78: the font is
 * configurable) when the file is missing or has no Unicode cmap. */
int pdftext_glyphs_load(struct pdftext_glyphs *g, const char *path, struct almanac_error *err);

/* True when the font has a glyph for code point cp. */
bool pdftext_glyphs_has(const struct pdftext_glyphs *g, unsigned cp);

/* Decodes the code point at s (NUL-terminated, not at its end): stores it
 * in *cp and returns the bytes used (1-4). A malformed or overlong
 * sequence, a surrogate or a value past U+10FFFF gives PDFTEXT_REPLACEMENT
 * and 1 byte. */
size_t pdftext_utf8_next(const char *s, unsigned *cp);

/* Appends in to out with every character g cannot draw (and every
 * character outside the BMP, every malformed byte) replaced by U+FFFD (or
 * '?'), and control characters turned into spaces, so a missing glyph is
 * visible on the page and in extracted text instead of silently dropped.
 * Returns the number of replacements, or -1 when memory runs out. */
int pdftext_clean(const struct pdftext_glyphs *g, const char *in, struct strbuf *out);

/* Formats v with `decimals` digits, groups of three separated by `group`
 * (0: none) and `decimal` as the decimal mark: 1234567.891, 2, ',', '.' ->
 * "1,234,567.89". -0 prints as 0. */
void pdftext_number(double v, int decimals, char group, char decimal, char *out, size_t size);

/* Like pdftext_number for a decimal written as text (PostgreSQL numeric:
 * "-93.65"), rounded exactly on its digits, half away from zero like
 * PostgreSQL's round(): no binary floating point between the warehouse
 * and the page. Other text falls back to pdftext_number(strtod(text)). */
void pdftext_decimal(const char *text, int decimals, char group, char decimal, char *out, size_t size);

/* Measures a run of UTF-8 text (bytes s .. s+len) in points. */
typedef double (*pdftext_width_fn)(const char *s, size_t len, void *arg);

/* Breaks text into lines no wider than max_width at spaces (and at explicit
 * newlines); a word wider than the line is cut between characters. Calls
 * emit for every line with its bytes (no trailing spaces). Returns the
 * number of lines. */
int pdftext_wrap(const char *text, double max_width, pdftext_width_fn width, void *warg,
                 void (*emit)(const char *s, size_t len, void *arg), void *earg);

/* Round axis ticks by the 1-2-5 rule: a step of 1, 2 or 5 x 10^k giving at
 * most about `target` intervals that cover [lo, hi]. Fills *first and *last
 * (multiples of *step, first <= lo, last >= hi) and returns the number of
 * ticks (last - first) / step + 1. An empty or degenerate range [v, v]
 * gets a range around v (and 0..1 for 0). */
int pdftext_nice_ticks(double lo, double hi, int target, double *first, double *last, double *step);

/* The number of decimals needed to print multiples of step exactly (0 for
 * steps of 1 and more, 1 for 0.5, 2 for 0.25 or 0.05...). */
int pdftext_step_decimals(double step);

#endif
