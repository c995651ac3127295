#include "core/sqlfile.h"

#include <string.h>

const struct sqlfile *sqlfile_find(const char *name)
{
    for (const struct sqlfile *f = sqlfile_table; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

int sqlfile_each(const char *prefix, int (*fn)(const struct sqlfile *f, void *arg), void *arg)
{
    size_t n = strlen(prefix);
    /* The table is generated sorted by path, so this visits in name order. */
    for (const struct sqlfile *f = sqlfile_table; f->name; f++) {
        if (strncmp(f->name, prefix, n) != 0)
            continue;
        int rc = fn(f, arg);
        if (rc)
            return rc;
    }
    return 0;
}
