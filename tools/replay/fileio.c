/* Input and output files of the tools (see fileio.h). */
#define _POSIX_C_SOURCE 200809L
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_name(mode_t m)
{
    if (S_ISDIR(m))
        return NULL;
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISSOCK(m))
        return "a socket";
    return "not a regular file";
}

FILE *fio_open_input(const char *path, char *why, size_t n)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) {
        snprintf(why, n, "%s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st)) {
        snprintf(why, n, "%s", strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode))
            snprintf(why, n, "is a directory");
        else
            snprintf(why, n, "not a regular file (%s)", kind_name(st.st_mode));
        close(fd);
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        snprintf(why, n, "%s", strerror(errno));
        close(fd);
    }
    return f;
}

int fio_out_open(fio_out_t *o, const char *path, char *why, size_t n)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    struct stat st;
    if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            snprintf(why, n, "is a directory");
            return -1;
        }
        /* /dev/null, a FIFO, a terminal: written in place, never replaced */
        o->f = fopen(path, "wb");
        if (!o->f) {
            snprintf(why, n, "%s", strerror(errno));
            return -1;
        }
        return 0;
    }
    size_t len = strlen(path);
    o->tmp = malloc(len + 16);
    if (!o->tmp) {
        snprintf(why, n, "out of memory");
        return -1;
    }
    memcpy(o->tmp, path, len);
    memcpy(o->tmp + len, ".tmp.XXXXXX", 12);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        snprintf(why, n, "%s", strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    mode_t um = umask(0);
    umask(um);
    (void)fchmod(fd, 0666 & ~um);
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        snprintf(why, n, "%s", strerror(errno));
        close(fd);
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    return 0;
}

int fio_out_commit(fio_out_t *o, char *why, size_t n)
{
    int bad = 0, e = 0;
    if (fflush(o->f) || ferror(o->f)) {
        bad = 1;
        e = errno ? errno : EIO;
    }
    if (fclose(o->f) && !bad) {
        bad = 1;
        e = errno;
    }
    o->f = NULL;
    if (!bad && o->tmp && rename(o->tmp, o->path)) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        snprintf(why, n, "%s", strerror(e));
        if (o->tmp)
            unlink(o->tmp);
    }
    free(o->tmp);
    o->tmp = NULL;
    return bad ? -1 : 0;
}

void fio_out_discard(fio_out_t *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
}

int fio_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) || stat(b, &sb) || !S_ISREG(sa.st_mode))
        return 0; /* /dev/null twice is fine */
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int fio_close_stdout(const char *prog, FILE *err)
{
    errno = 0;
    int bad = fflush(stdout) != 0 || ferror(stdout);
    int e = errno ? errno : EIO;
    if (fclose(stdout) && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        fprintf(err, "%s: error: writing stdout: %s\n", prog, strerror(e));
        return 2;
    }
    return 0;
}
