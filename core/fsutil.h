/* fsutil.h: small file-system helpers shared by the modules. */
#ifndef ALMANAC_CORE_FSUTIL_H
#define ALMANAC_CORE_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* Deletes a directory tree without following symlinks. A missing path is
 * not an error. Returns 0, or -1 with errno set. */
int fsutil_rmtree(const char *path);

/* Creates a directory and its missing parents with `mode`. 0 or -1/errno. */
int fsutil_mkdirs(const char *path, mode_t mode);

/* Writes `len` bytes to `path` so that a reader sees the old file or the
 * whole new one, never a part: a temporary name in the same directory,
 * fsync, rename, then fsync of the directory. On failure the temporary file
 * is removed and nothing replaces `path`. Returns 0, or -1 with errno. */
int fsutil_write_atomic(const char *path, const void *data, size_t len);

#endif
