/* outfile.h: a report file that appears under its final name only when it
 * is complete.
 *
 * Writers stream into a temporary name in the destination directory
 * (".NAME.tmp-PID-N"); outfile_commit fsyncs it, renames it over the final
 * name and fsyncs the directory; outfile_abort (or a crash) leaves the final
 * name as it was. Writers that produce the file themselves (libxlsxwriter,
 * libharu) write to outfile_temp_path() and then commit.
 */
#ifndef ALMANAC_REPORTS_OUTFILE_H
#define ALMANAC_REPORTS_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"

struct outfile;

/* Opens a temporary file next to `path`. `open_stream` false: only reserve
 * the temporary name (for a library that writes the file itself). Returns
 * NULL with err set (exit 73) when the directory is not writable. */
struct outfile *outfile_open(const char *path, bool open_stream, struct almanac_error *err);

/* The stream to write to (NULL when opened without one). */
FILE *outfile_stream(struct outfile *f);

/* The temporary path the content is written to. */
const char *outfile_temp_path(const struct outfile *f);

/* The final path. */
const char *outfile_path(const struct outfile *f);

/* Flushes, fsyncs, renames to the final name, fsyncs the directory and
 * frees f. On failure removes the temporary file, frees f and returns -1
 * with err set (exit 73, naming the path and the system's reason). Fills
 * *bytes with the file's size when bytes is not NULL. */
int outfile_commit(struct outfile *f, long long *bytes, struct almanac_error *err);

/* Removes the temporary file and frees f; NULL is a no-op. */
void outfile_abort(struct outfile *f);

#endif
