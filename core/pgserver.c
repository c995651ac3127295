#include "core/pgserver.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "core/db.h"
#include "core/fsutil.h"

/* The superuser the cluster is created with; trust authentication is safe
 * because the only way in is a socket in a mode-0700 directory. */
#define SUPERUSER "almanac"
#define START_TIMEOUT_S "120"

struct pgserver {
    char dir[PATH_MAX];     /* absolute */
    char pgdir[PATH_MAX];   /* dir/pg: socket directory, owned by the account */
    char datadir[PATH_MAX]; /* dir/pg/data */
    char bindir[PATH_MAX];
    int port;
    bool as_root;           /* we are root: run tools as `uid`/`gid` */
    uid_t uid;
    gid_t gid;
    char account[64];
    bool was_running;
};

static bool is_executable(const char *dir, const char *tool)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, tool);
    return access(path, X_OK) == 0;
}

/* pg_config may belong to a different major version than the server
 * binaries (Debian's /usr/bin/pg_config is the newest libpq's), so a
 * candidate counts only if it really holds initdb and pg_ctl. */
static int find_bindir(const char *wanted, char *out, size_t size, struct almanac_error *err)
{
    if (wanted && *wanted) {
        if (!is_executable(wanted, "initdb") || !is_executable(wanted, "pg_ctl")) {
            error_set(err, ALMANAC_EX_CONFIG, "no initdb and pg_ctl in %s", wanted);
            error_hint(err, "point ALMANAC_PG_BINDIR at PostgreSQL's bin directory");
            return -1;
        }
        snprintf(out, size, "%s", wanted);
        return 0;
    }
    FILE *p = popen("pg_config --bindir 2>/dev/null", "r");
    if (p) {
        char line[PATH_MAX];
        bool got = fgets(line, sizeof line, p) != NULL;
        pclose(p);
        if (got) {
            line[strcspn(line, "\n")] = '\0';
            if (is_executable(line, "initdb") && is_executable(line, "pg_ctl")) {
                snprintf(out, size, "%s", line);
                return 0;
            }
        }
    }
    /* Debian layout: /usr/lib/postgresql/<major>/bin; take the newest. */
    int best = -1;
    DIR *d = opendir("/usr/lib/postgresql");
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            char *end;
            long v = strtol(e->d_name, &end, 10);
            char cand[PATH_MAX];
            if (*end || v <= best || v > 1000)
                continue;
            snprintf(cand, sizeof cand, "/usr/lib/postgresql/%ld/bin", v);
            if (is_executable(cand, "initdb") && is_executable(cand, "pg_ctl"))
                best = (int)v;
        }
        closedir(d);
    }
    if (best < 0) {
        error_set(err, ALMANAC_EX_UNAVAILABLE, "PostgreSQL server binaries (initdb, pg_ctl) not found");
        error_hint(err, "install them with  apt-get install postgresql  or set ALMANAC_PG_BINDIR");
        return -1;
    }
    snprintf(out, size, "/usr/lib/postgresql/%d/bin", best);
    return 0;
}

/* A port derived from the directory: the socket lives in our own directory,
 * so no other server can clash with it, and a stable number per directory
 * keeps `psql -p` lines in docs and messages the same from run to run. */
static int port_for(const char *dir)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)dir; *p; p++)
        h = (h ^ *p) * 16777619u;
    return 40000 + (int)(h % 10000u);
}

struct pgserver *pgserver_new(const struct pgserver_config *cfg, struct almanac_error *err)
{
    if (!cfg || !cfg->dir || !*cfg->dir) {
        error_set(err, ALMANAC_EX_USAGE, "no directory given for the private PostgreSQL server");
        return NULL;
    }
    struct pgserver *srv = calloc(1, sizeof *srv);
    if (!srv) {
        error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
        return NULL;
    }
    if (fsutil_mkdirs(cfg->dir, 0755) != 0) {
        error_set(err, ALMANAC_EX_CANTCREAT, "cannot create directory %s: %s", cfg->dir,
                  strerror(errno));
        goto fail;
    }
    if (!realpath(cfg->dir, srv->dir)) {
        error_set(err, ALMANAC_EX_CANTCREAT, "cannot resolve directory %s: %s", cfg->dir,
                  strerror(errno));
        goto fail;
    }
    snprintf(srv->pgdir, sizeof srv->pgdir, "%s/pg", srv->dir);
    snprintf(srv->datadir, sizeof srv->datadir, "%s/data", srv->pgdir);
    /* The socket path must fit in sun_path, with the ".s.PGSQL.NNNNN" name. */
    struct sockaddr_un sa;
    if (strlen(srv->pgdir) + sizeof "/.s.PGSQL.99999" > sizeof sa.sun_path) {
        error_set(err, ALMANAC_EX_CONFIG, "directory path too long for a Unix socket: %s", srv->pgdir);
        error_hint(err, "choose a directory with a path under %zu characters",
                   sizeof sa.sun_path - sizeof "/pg/.s.PGSQL.99999");
        goto fail;
    }
    if (strchr(srv->dir, '\'') || strchr(srv->dir, '\\')) {
        error_set(err, ALMANAC_EX_CONFIG, "directory path contains a quote or backslash: %s", srv->dir);
        goto fail;
    }
    const char *bindir = cfg->bindir ? cfg->bindir : getenv("ALMANAC_PG_BINDIR");
    if (find_bindir(bindir, srv->bindir, sizeof srv->bindir, err) != 0)
        goto fail;
    srv->port = port_for(srv->dir);

    srv->as_root = geteuid() == 0;
    if (srv->as_root) {
        const char *account = cfg->run_as ? cfg->run_as : getenv("ALMANAC_PG_USER");
        if (!account || !*account)
            account = "postgres";
        struct passwd *pw = getpwnam(account);
        if (!pw) {
            error_set(err, ALMANAC_EX_CONFIG,
                      "running as root, and there is no account \"%s\" to run PostgreSQL as",
                      account);
            error_hint(err, "PostgreSQL refuses to run as root; install the postgresql package "
                            "(it creates \"postgres\") or set ALMANAC_PG_USER");
            goto fail;
        }
        if (pw->pw_uid == 0) {
            error_set(err, ALMANAC_EX_CONFIG, "account \"%s\" is root; PostgreSQL refuses to run as root",
                      account);
            goto fail;
        }
        srv->uid = pw->pw_uid;
        srv->gid = pw->pw_gid;
        snprintf(srv->account, sizeof srv->account, "%s", account);
    }
    return srv;
fail:
    free(srv);
    return NULL;
}

void pgserver_free(struct pgserver *srv)
{
    free(srv);
}

bool pgserver_was_running(const struct pgserver *srv)
{
    return srv->was_running;
}

const char *pgserver_socket_dir(const struct pgserver *srv)
{
    return srv->pgdir;
}

int pgserver_port(const struct pgserver *srv)
{
    return srv->port;
}

const char *pgserver_conninfo(const struct pgserver *srv, const char *dbname, char *buf,
                              size_t size)
{
    /* The directory was checked for quotes and backslashes in _new. */
    snprintf(buf, size, "host='%s' port=%d user=%s dbname='%s' connect_timeout=10", srv->pgdir,
             srv->port, SUPERUSER, dbname);
    return buf;
}

/* Drops to the server account in a forked child; returns -1 on failure. */
static int become_account(const struct pgserver *srv)
{
    if (!srv->as_root)
        return 0;
    if (setgroups(0, NULL) != 0 || setgid(srv->gid) != 0 || setuid(srv->uid) != 0)
        return -1;
    return 0;
}

/* Appends the last lines of tools.log to the error's detail. */
static void attach_log_tail(const struct pgserver *srv, const char *log, struct almanac_error *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", srv->pgdir, log);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char tail[ALMANAC_ERROR_DETAIL - 64] = "";
    if (fseek(f, -(long)(sizeof tail - 1), SEEK_END) != 0)
        rewind(f);
    size_t n = fread(tail, 1, sizeof tail - 1, f);
    tail[n] = '\0';
    fclose(f);
    /* Keep whole lines only. */
    char *start = tail;
    if (n == sizeof tail - 1) {
        char *nl = strchr(tail, '\n');
        if (nl)
            start = nl + 1;
    }
    while (n > 0 && (tail[n - 1] == '\n'))
        tail[--n] = '\0';
    error_detail(err, "%s (end of %s/%s):\n%s", err->detail[0] ? err->detail : "see the log",
                 srv->pgdir, log, start);
}

/* Runs bindir/argv[0] with argv as the server account, output appended to
 * pg/tools.log. Returns the exit status (0..255), or -1 if it could not run. */
static int run_tool(const struct pgserver *srv, char *const argv[])
{
    char tool[PATH_MAX];
    char logpath[PATH_MAX];
    snprintf(tool, sizeof tool, "%s/%s", srv->bindir, argv[0]);
    snprintf(logpath, sizeof logpath, "%s/tools.log", srv->pgdir);
    int logfd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (logfd < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(logfd);
        return -1;
    }
    if (pid == 0) {
        int nullfd = open("/dev/null", O_RDONLY);
        if (nullfd >= 0)
            dup2(nullfd, STDIN_FILENO);
        dup2(logfd, STDOUT_FILENO);
        dup2(logfd, STDERR_FILENO);
        if (become_account(srv) != 0)
            _exit(126);
        /* Run from a directory the account can read, whatever our cwd is. */
        if (chdir(srv->pgdir) != 0)
            _exit(126);
        execv(tool, argv);
        _exit(127);
    }
    close(logfd);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return -1;
}

/* Creates dir/pg owned by the account, mode 0700, and checks that the
 * account can reach it (a parent such as /root may be closed to it). */
static int prepare_pgdir(const struct pgserver *srv, struct almanac_error *err)
{
    if (mkdir(srv->pgdir, 0700) != 0 && errno != EEXIST)
        return error_set(err, ALMANAC_EX_CANTCREAT, "cannot create %s: %s", srv->pgdir,
                         strerror(errno));
    if (!srv->as_root)
        return 0;
    if (chown(srv->pgdir, srv->uid, srv->gid) != 0 || chmod(srv->pgdir, 0700) != 0)
        return error_set(err, ALMANAC_EX_CANTCREAT, "cannot give %s to account %s: %s",
                         srv->pgdir, srv->account, strerror(errno));
    pid_t pid = fork();
    if (pid < 0)
        return error_set(err, ALMANAC_EX_SOFTWARE, "fork: %s", strerror(errno));
    if (pid == 0) {
        if (become_account(srv) != 0)
            _exit(2);
        _exit(access(srv->pgdir, R_OK | W_OK | X_OK) == 0 ? 0 : 1);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        error_set(err, ALMANAC_EX_CONFIG,
                  "account \"%s\" cannot reach %s, so PostgreSQL cannot run there", srv->account,
                  srv->pgdir);
        error_detail(err, "a parent directory is closed to other accounts (often /root, mode 0700)");
        error_hint(err, "choose a directory it can reach, e.g. --dir /var/tmp/almanac-demo");
        return -1;
    }
    return 0;
}

static bool file_exists(const char *dir, const char *name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

static int write_config(const struct pgserver *srv, struct almanac_error *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/postgresql.conf", srv->datadir);
    FILE *f = fopen(path, "a");
    if (!f)
        return error_set(err, ALMANAC_EX_CANTCREAT, "cannot write %s: %s", path, strerror(errno));
    fprintf(f,
            "\n# Written by almanac: a private server reachable only through the\n"
            "# socket in its own directory.\n"
            "listen_addresses = ''\n"
            "port = %d\n"
            "unix_socket_directories = '%s'\n"
            "unix_socket_permissions = 0700\n"
            "max_connections = 40\n"
            "work_mem = 64MB\n"
            "maintenance_work_mem = 256MB\n"
            "max_wal_size = 4GB\n"
            "wal_level = minimal\n"
            "max_wal_senders = 0\n"
            "timezone = 'UTC'\n"
            "log_timezone = 'UTC'\n"
            "lc_messages = 'C'\n",
            srv->port, srv->pgdir);
    if (fclose(f) != 0)
        return error_set(err, ALMANAC_EX_CANTCREAT, "cannot write %s: %s", path, strerror(errno));
    return 0;
}

/* Shared buffers for this machine: an eighth of its memory, between 128 MB
 * and 2 GB. A fixed 256 MB could not hold the indexes a scale 10 load
 * touches (the loyalty tx_hash key alone is 367 MB): one more day's ETL run
 * took 3.1 s instead of 2.6 s re-reading them from the kernel's cache. The
 * memory is used as pages are read, not reserved at start. Given on the
 * command line at every start, so servers made by earlier versions get it
 * too (it overrides postgresql.conf). */
static long shared_buffers_mb(void)
{
    long pages = sysconf(_SC_PHYS_PAGES);
    long page_size = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page_size <= 0)
        return 256;
    long long mb = (long long)pages * page_size / (8LL * 1024 * 1024);
    if (mb < 128)
        mb = 128;
    if (mb > 2048)
        mb = 2048;
    return (long)mb;
}

static int init_cluster(const struct pgserver *srv, struct almanac_error *err)
{
    char marker[PATH_MAX];
    snprintf(marker, sizeof marker, "%s/initialized", srv->pgdir);
    if (access(marker, F_OK) == 0)
        return 0;
    /* No marker: initdb never ran, or was interrupted; start from nothing. */
    if (fsutil_rmtree(srv->datadir) != 0)
        return error_set(err, ALMANAC_EX_CANTCREAT, "cannot clear %s: %s", srv->datadir,
                         strerror(errno));
    char *const argv[] = {"initdb", "-D", (char *)srv->datadir, "-U", SUPERUSER, "-A", "trust",
                          "-E", "UTF8", "--no-locale", "--no-sync", NULL};
    int rc = run_tool(srv, argv);
    if (rc != 0) {
        error_set(err, ALMANAC_EX_UNAVAILABLE, "initdb failed (exit %d) for %s", rc, srv->datadir);
        attach_log_tail(srv, "tools.log", err);
        return -1;
    }
    if (write_config(srv, err) != 0)
        return -1;
    FILE *f = fopen(marker, "w");
    if (!f || fclose(f) != 0)
        return error_set(err, ALMANAC_EX_CANTCREAT, "cannot write %s: %s", marker, strerror(errno));
    return 0;
}

/* Reads the postmaster PID from data/postmaster.pid; 0 if none. */
static pid_t read_pidfile(const struct pgserver *srv)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/postmaster.pid", srv->datadir);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    long pid = 0;
    if (fscanf(f, "%ld", &pid) != 1)
        pid = 0;
    fclose(f);
    return (pid_t)pid;
}

/* True when `pid` is a postgres process serving our data directory. */
static bool is_our_postmaster(const struct pgserver *srv, pid_t pid)
{
    if (pid <= 0 || (kill(pid, 0) != 0 && errno == ESRCH))
        return false;
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/cmdline", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return true; /* no /proc: trust kill(), as pg_ctl does */
    char cmd[4096];
    size_t n = fread(cmd, 1, sizeof cmd - 1, f);
    fclose(f);
    cmd[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (cmd[i] == '\0')
            cmd[i] = ' ';
    return strstr(cmd, "postgres") != NULL && strstr(cmd, srv->datadir) != NULL;
}

/* A server killed with SIGKILL (or a machine restart) leaves postmaster.pid
 * behind; if its PID is now someone else's, PostgreSQL refuses to start. */
static void clear_stale_pidfile(const struct pgserver *srv)
{
    pid_t pid = read_pidfile(srv);
    if (pid == 0 || is_our_postmaster(srv, pid))
        return;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/postmaster.pid", srv->datadir);
    unlink(path);
    snprintf(path, sizeof path, "%s/.s.PGSQL.%d.lock", srv->pgdir, srv->port);
    unlink(path);
}

static bool ping(const struct pgserver *srv)
{
    char ci[PATH_MAX + 128];
    pgserver_conninfo(srv, "postgres", ci, sizeof ci);
    return PQping(ci) == PQPING_OK;
}

int pgserver_start(struct pgserver *srv, struct almanac_error *err)
{
    srv->was_running = false;
    if (prepare_pgdir(srv, err) != 0)
        return -1;
    if (init_cluster(srv, err) != 0)
        return -1;
    clear_stale_pidfile(srv);
    if (is_our_postmaster(srv, read_pidfile(srv))) {
        /* Left running by --keep-running or a killed demo; wait for it to
         * accept connections in case it is still starting up. */
        for (int i = 0; i < 600; i++) {
            if (ping(srv)) {
                srv->was_running = true;
                return 0;
            }
            struct timespec ts = {0, 100 * 1000 * 1000};
            nanosleep(&ts, NULL);
            if (!is_our_postmaster(srv, read_pidfile(srv)))
                break;
        }
        clear_stale_pidfile(srv);
    }
    char logpath[PATH_MAX];
    snprintf(logpath, sizeof logpath, "%s/server.log", srv->pgdir);
    char options[64];
    snprintf(options, sizeof options, "-c shared_buffers=%ldMB", shared_buffers_mb());
    char *const argv[] = {"pg_ctl", "start", "-w", "-t", START_TIMEOUT_S, "-D",
                          (char *)srv->datadir, "-l", logpath, "-o", options, NULL};
    int rc = run_tool(srv, argv);
    if (rc != 0) {
        error_set(err, ALMANAC_EX_UNAVAILABLE, "the private PostgreSQL server did not start (pg_ctl exit %d)",
                  rc);
        attach_log_tail(srv, "server.log", err);
        return -1;
    }
    if (!ping(srv)) {
        error_set(err, ALMANAC_EX_UNAVAILABLE, "the private PostgreSQL server started but does not answer on %s",
                  srv->pgdir);
        attach_log_tail(srv, "server.log", err);
        return -1;
    }
    return 0;
}

int pgserver_stop(struct pgserver *srv, struct almanac_error *err)
{
    if (!file_exists(srv->datadir, "postmaster.pid"))
        return 0;
    clear_stale_pidfile(srv);
    if (!file_exists(srv->datadir, "postmaster.pid"))
        return 0;
    char *const argv[] = {"pg_ctl", "stop", "-w", "-t", START_TIMEOUT_S, "-m", "fast", "-D",
                          (char *)srv->datadir, NULL};
    int rc = run_tool(srv, argv);
    if (rc != 0) {
        error_set(err, ALMANAC_EX_UNAVAILABLE, "could not stop the private PostgreSQL server (pg_ctl exit %d)",
                  rc);
        attach_log_tail(srv, "tools.log", err);
        return -1;
    }
    return 0;
}

int pgserver_remove(struct pgserver *srv, struct almanac_error *err)
{
    clear_stale_pidfile(srv);
    if (file_exists(srv->datadir, "postmaster.pid")) {
        char *const argv[] = {"pg_ctl", "stop", "-w", "-t", START_TIMEOUT_S, "-m", "immediate",
                              "-D", (char *)srv->datadir, NULL};
        (void)run_tool(srv, argv);
        pid_t pid = read_pidfile(srv);
        if (is_our_postmaster(srv, pid)) {
            kill(pid, SIGKILL);
            for (int i = 0; i < 100 && kill(pid, 0) == 0; i++) {
                struct timespec ts = {0, 50 * 1000 * 1000};
                nanosleep(&ts, NULL);
            }
        }
    }
    if (fsutil_rmtree(srv->pgdir) != 0)
        return error_set(err, ALMANAC_EX_CANTCREAT, "cannot remove %s: %s", srv->pgdir,
                         strerror(errno));
    return 0;
}

int pgserver_ensure_database(struct pgserver *srv, const char *name, struct almanac_error *err)
{
    char ci[PATH_MAX + 128];
    PGconn *conn = db_connect(pgserver_conninfo(srv, "postgres", ci, sizeof ci), "almanac", err);
    if (!conn)
        return -1;
    int rc = -1;
    const char *params[] = {name};
    PGresult *res = db_query(conn, "SELECT 1 FROM pg_database WHERE datname = $1", 1, params, err);
    if (!res)
        goto done;
    bool exists = PQntuples(res) > 0;
    PQclear(res);
    if (exists) {
        rc = 0;
        goto done;
    }
    char *q = db_quote_ident(conn, name);
    if (!q) {
        error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
        goto done;
    }
    char sql[512];
    /* template0 with C collation: the same bytes sort the same everywhere. */
    snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'", q);
    free(q);
    char what[300];
    snprintf(what, sizeof what, "creating database %s", name);
    rc = db_exec(conn, sql, what, err);
done:
    PQfinish(conn);
    return rc;
}
