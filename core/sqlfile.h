/* sqlfile.h: the SQL files under schemas/, compiled into the program. */
#ifndef ALMANAC_CORE_SQLFILE_H
#define ALMANAC_CORE_SQLFILE_H

#include <stddef.h>

struct sqlfile {
    const char *name; /* path below schemas/, e.g. "source/001_operational.sql" */
    const char *text; /* NUL-terminated contents */
    size_t length;
};

/* The generated table, ending with an entry whose name is NULL. */
extern const struct sqlfile sqlfile_table[];

/* Returns the file named `name` or NULL. The result is static. */
const struct sqlfile *sqlfile_find(const char *name);

/* The text of the file named `name`. A name missing from the build (a
 * bug) gives a statement that fails with that name in its message, so the
 * caller reports it like any failed query instead of crashing. */
const char *sqlfile_text(const char *name);

/* Calls fn for every file whose name starts with `prefix`, in name order;
 * stops and returns fn's value at the first non-zero one. */
int sqlfile_each(const char *prefix, int (*fn)(const struct sqlfile *f, void *arg), void *arg);

#endif
