/* Files of the command-line tools (docs/scenario.md, "Files"): inputs must be
 * regular files; outputs go to a temporary file in their directory that is
 * renamed into place only after the last checked write, so a failed run never
 * deletes or truncates anything. An existing output that is not a regular file
 * (/dev/null, a FIFO) is written in place. */
#ifndef SMMU_TOOLS_FILEIO_H
#define SMMU_TOOLS_FILEIO_H

#include <stddef.h>
#include <stdio.h>

/* Open a regular file for reading (O_NONBLOCK open, then fstat, so a FIFO or
 * device is refused at once). Returns NULL with why[] set to the reason
 * ("No such file or directory", "is a directory", "not a regular file (a
 * FIFO)"). */
FILE *fio_open_input(const char *path, char *why, size_t n);

typedef struct fio_out {
    const char *path;
    char *tmp; /* NULL when written in place */
    FILE *f;
} fio_out_t;

/* Create the output: a temporary file next to path. Returns 0, or -1 with
 * why[] set. */
int fio_out_open(fio_out_t *o, const char *path, char *why, size_t n);
/* Flush and close (each checked), then rename into place. Returns 0, or -1
 * with why[] set (the temporary file is removed). */
int fio_out_commit(fio_out_t *o, char *why, size_t n);
/* Close and remove the temporary file; the output is left as it was. */
void fio_out_discard(fio_out_t *o);

/* 1 when a and b name the same existing file (device and inode). */
int fio_same_file(const char *a, const char *b);

/* Flush and close stdout, checked: "prog: error: writing stdout: <strerror>"
 * on err. Returns 0 or 2. */
int fio_close_stdout(const char *prog, FILE *err);

#endif
