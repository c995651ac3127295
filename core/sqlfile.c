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

const char *sqlfile_text(const char *name)
{
    const struct sqlfile *f = sqlfile_find(name);
    return f ? f->text : "SELECT 'almanac: a built-in SQL file is missing from this build'::int";
}
