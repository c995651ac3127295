#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/fsutil.h"
#include "tests/support/testpg.h"

static int setup(void **state)
{
    static char dir[PATH_MAX];
    if (testpg_mkdtemp(dir, sizeof dir) != 0)
        return -1;
    *state = dir;
    return 0;
}

static int teardown(void **state)
{
    return fsutil_rmtree(*state);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void atomic_write_replaces_whole_file(void **state)
{
    const char *dir = *state;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/out.json", dir);
    assert_int_equal(fsutil_write_atomic(path, "old", 3), 0);
    assert_int_equal(fsutil_write_atomic(path, "new content", 11), 0);
    FILE *f = fopen(path, "r");
    char buf[32] = {0};
    assert_non_null(f);
    assert_int_equal(fread(buf, 1, sizeof buf, f), 11);
    fclose(f);
    assert_string_equal(buf, "new content");
    /* owner file + out.json: no temporary left behind */
    assert_int_equal(count_entries(dir), 2);
}

static void failed_atomic_write_leaves_nothing(void **state)
{
    const char *dir = *state;
    char path[PATH_MAX];
    /* The target is a directory, so the final rename fails after the data
     * were written to the temporary file. */
    snprintf(path, sizeof path, "%s/taken", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    char inside[PATH_MAX];
    snprintf(inside, sizeof inside, "%s/x", path);
    FILE *f = fopen(inside, "w");
    fclose(f);
    int before = count_entries(dir);
    assert_int_equal(fsutil_write_atomic(path, "data", 4), -1);
    assert_int_equal(count_entries(dir), before); /* no temporary left */
    assert_int_equal(fsutil_rmtree(path), 0);
}

static void write_into_missing_directory_fails(void **state)
{
    const char *dir = *state;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/no/such/dir/file", dir);
    errno = 0;
    assert_int_equal(fsutil_write_atomic(path, "x", 1), -1);
    assert_int_equal(errno, ENOENT);
}

static void mkdirs_and_rmtree(void **state)
{
    const char *dir = *state;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/a/b/c", dir);
    assert_int_equal(fsutil_mkdirs(path, 0755), 0);
    assert_int_equal(fsutil_mkdirs(path, 0755), 0); /* exists: fine */
    char top[PATH_MAX];
    snprintf(top, sizeof top, "%s/a", dir);
    assert_int_equal(fsutil_rmtree(top), 0);
    assert_int_equal(access(top, F_OK), -1);
    assert_int_equal(fsutil_rmtree(top), 0); /* missing: fine */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(atomic_write_replaces_whole_file),
        cmocka_unit_test(failed_atomic_write_leaves_nothing),
        cmocka_unit_test(write_into_missing_directory_fails),
        cmocka_unit_test(mkdirs_and_rmtree),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
