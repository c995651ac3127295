/* outfile.c: temporary name, fsync, rename, directory fsync. */
#include "reports/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct outfile {
    FILE *stream;
    char path[PATH_MAX];
    char temp[PATH_MAX];
    char dir[PATH_MAX];
};

static void split(const char *path, char *dir, size_t dsize, const char **base)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, dsize, ".");
        *base = path;
    } else if (slash == path) {
        snprintf(dir, dsize, "/");
        *base = slash + 1;
    } else {
        snprintf(dir, dsize, "%.*s", (int)(slash - path), path);
        *base = slash + 1;
    }
}

struct outfile *outfile_open(const char *path, bool open_stream, struct almanac_error *err)
{
    struct outfile *f = calloc(1, sizeof(*f));
    if (!f) {
        error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
        return NULL;
    }
    const char *base;
    if (strlen(path) >= sizeof(f->path) - 32) {
        error_set(err, ALMANAC_EX_CANTCREAT, "output path too long: %s", path);
        free(f);
        return NULL;
    }
    snprintf(f->path, sizeof(f->path), "%s", path);
    split(path, f->dir, sizeof(f->dir), &base);
    /* A counter keeps two files of one process apart; O_EXCL keeps two
     * processes apart. */
    for (int n = 0; n < 100; n++) {
        snprintf(f->temp, sizeof(f->temp), "%s/.%s.tmp-%ld-%d", f->dir, base, (long)getpid(), n);
        int fd = open(f->temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0 && errno == EEXIST)
            continue;
        if (fd < 0)
            break;
        if (open_stream) {
            f->stream = fdopen(fd, "wb");
            if (!f->stream) {
                close(fd);
                unlink(f->temp);
                break;
            }
        } else
            close(fd);
        return f;
    }
    error_set(err, ALMANAC_EX_CANTCREAT, "cannot create a file in %s: %s", f->dir, strerror(errno));
    free(f);
    return NULL;
}

FILE *outfile_stream(struct outfile *f)
{
    return f->stream;
}

const char *outfile_temp_path(const struct outfile *f)
{
    return f->temp;
}

const char *outfile_path(const struct outfile *f)
{
    return f->path;
}

void outfile_abort(struct outfile *f)
{
    if (!f)
        return;
    if (f->stream)
        fclose(f->stream);
    unlink(f->temp);
    free(f);
}

int outfile_commit(struct outfile *f, long long *bytes, struct almanac_error *err)
{
    int rc = 0;
    if (f->stream) {
        /* fflush and ferror catch a full disk that earlier buffered
         * writes did not report. */
        if (fflush(f->stream) != 0 || ferror(f->stream) || fsync(fileno(f->stream)) != 0)
            rc = -1;
        if (fclose(f->stream) != 0)
            rc = -1;
        f->stream = NULL;
    } else {
        int fd = open(f->temp, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fsync(fd) != 0)
            rc = -1;
        if (fd >= 0)
            close(fd);
    }
    struct stat st;
    if (rc == 0 && bytes) {
        if (stat(f->temp, &st) == 0)
            *bytes = (long long)st.st_size;
        else
            rc = -1;
    }
    if (rc == 0 && rename(f->temp, f->path) != 0)
        rc = -1;
    if (rc != 0) {
        error_set(err, ALMANAC_EX_CANTCREAT, "cannot write %s: %s", f->path, strerror(errno));
        unlink(f->temp);
        free(f);
        return -1;
    }
    int dfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(f);
    return 0;
}
