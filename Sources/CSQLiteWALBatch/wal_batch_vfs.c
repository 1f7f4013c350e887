// A SQLite VFS that wraps the default one and gathers the writes to a WAL file in memory until
// SQLite syncs, reads, sizes, truncates or closes it. SQLite writes each WAL frame as two writes
// (a 24-byte header, then the page), so a commit of 200 pages cost 400 pwrite calls; through this
// VFS it costs one or a few. Durability is unchanged: with `synchronous = FULL` every commit syncs
// the WAL before it publishes the new frames in the wal-index, and the sync writes the gathered
// bytes first. Only the main WAL file is gathered; every other file and call goes straight through.
#include "wal_batch_vfs.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

// Enough for a commit of about 60 pages per write call, small enough not to weigh on idle memory.
#define WAL_BATCH_CAPACITY (256 * 1024)

typedef struct BatchFile {
    sqlite3_file base;
    sqlite3_file *real;        // the wrapped file, allocated right after this struct
    int gathers;               // a WAL file: its writes are gathered
    unsigned char *buffer;     // allocated at the first gathered write
    int used;
    sqlite3_int64 start;       // the file offset of buffer[0]
} BatchFile;

static sqlite3_vfs batch_vfs;
static sqlite3_io_methods batch_methods;

// The unix VFS writes at most 128 KiB - 1 per call (it masks larger sizes), as SQLite itself never
// asks for more than a page; 64 KiB pieces stay within that.
#define WAL_BATCH_PIECE (64 * 1024)

static int flush(BatchFile *file) {
    int used = file->used;
    file->used = 0;
    for (int done = 0; done < used; done += WAL_BATCH_PIECE) {
        int piece = used - done < WAL_BATCH_PIECE ? used - done : WAL_BATCH_PIECE;
        // The wrapped write loops over short writes and reports SQLITE_IOERR_WRITE or SQLITE_FULL.
        int rc = file->real->pMethods->xWrite(file->real, file->buffer + done, piece, file->start + done);
        if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
}

static int batch_close(sqlite3_file *f) {
    BatchFile *file = (BatchFile *)f;
    int flushed = flush(file);
    int closed = file->real->pMethods->xClose(file->real);
    free(file->buffer);
    file->buffer = NULL;
    return flushed != SQLITE_OK ? flushed : closed;
}

static int batch_read(sqlite3_file *f, void *out, int amount, sqlite3_int64 offset) {
    BatchFile *file = (BatchFile *)f;
    int rc = flush(file);
    if (rc != SQLITE_OK) return rc;
    return file->real->pMethods->xRead(file->real, out, amount, offset);
}

static int batch_write(sqlite3_file *f, const void *data, int amount, sqlite3_int64 offset) {
    BatchFile *file = (BatchFile *)f;
    if (!file->gathers) return file->real->pMethods->xWrite(file->real, data, amount, offset);
    if (file->used > 0 && offset == file->start + file->used && file->used + amount <= WAL_BATCH_CAPACITY) {
        memcpy(file->buffer + file->used, data, (size_t)amount);
        file->used += amount;
        return SQLITE_OK;
    }
    // Not the next byte (a frame rewritten in place, a new WAL header) or the buffer is full.
    int rc = flush(file);
    if (rc != SQLITE_OK) return rc;
    if (amount > WAL_BATCH_PIECE) return file->real->pMethods->xWrite(file->real, data, amount, offset);
    if (file->buffer == NULL) {
        file->buffer = malloc(WAL_BATCH_CAPACITY);
        if (file->buffer == NULL) return file->real->pMethods->xWrite(file->real, data, amount, offset);
    }
    memcpy(file->buffer, data, (size_t)amount);
    file->used = amount;
    file->start = offset;
    return SQLITE_OK;
}

static int batch_truncate(sqlite3_file *f, sqlite3_int64 size) {
    BatchFile *file = (BatchFile *)f;
    int rc = flush(file);
    if (rc != SQLITE_OK) return rc;
    return file->real->pMethods->xTruncate(file->real, size);
}

static int batch_sync(sqlite3_file *f, int flags) {
    BatchFile *file = (BatchFile *)f;
    int rc = flush(file);
    if (rc != SQLITE_OK) return rc;
    return file->real->pMethods->xSync(file->real, flags);
}

static int batch_file_size(sqlite3_file *f, sqlite3_int64 *size) {
    BatchFile *file = (BatchFile *)f;
    int rc = flush(file);
    if (rc != SQLITE_OK) return rc;
    return file->real->pMethods->xFileSize(file->real, size);
}

static int batch_lock(sqlite3_file *f, int level) {
    BatchFile *file = (BatchFile *)f;
    return file->real->pMethods->xLock(file->real, level);
}

static int batch_unlock(sqlite3_file *f, int level) {
    BatchFile *file = (BatchFile *)f;
    return file->real->pMethods->xUnlock(file->real, level);
}

static int batch_check_reserved_lock(sqlite3_file *f, int *out) {
    BatchFile *file = (BatchFile *)f;
    return file->real->pMethods->xCheckReservedLock(file->real, out);
}

static int batch_file_control(sqlite3_file *f, int op, void *arg) {
    BatchFile *file = (BatchFile *)f;
    // Some controls look at the file (size hints, chunk sizes): it must hold what was written.
    int rc = flush(file);
    if (rc != SQLITE_OK) return rc;
    return file->real->pMethods->xFileControl(file->real, op, arg);
}

static int batch_sector_size(sqlite3_file *f) {
    BatchFile *file = (BatchFile *)f;
    return file->real->pMethods->xSectorSize(file->real);
}

static int batch_device_characteristics(sqlite3_file *f) {
    BatchFile *file = (BatchFile *)f;
    return file->real->pMethods->xDeviceCharacteristics(file->real);
}

static int batch_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **out) {
    BatchFile *file = (BatchFile *)f;
    return file->real->pMethods->xShmMap(file->real, region, size, extend, out);
}

static int batch_shm_lock(sqlite3_file *f, int offset, int n, int flags) {
    BatchFile *file = (BatchFile *)f;
    return file->real->pMethods->xShmLock(file->real, offset, n, flags);
}

static void batch_shm_barrier(sqlite3_file *f) {
    BatchFile *file = (BatchFile *)f;
    file->real->pMethods->xShmBarrier(file->real);
}

static int batch_shm_unmap(sqlite3_file *f, int delete_flag) {
    BatchFile *file = (BatchFile *)f;
    return file->real->pMethods->xShmUnmap(file->real, delete_flag);
}

static int batch_fetch(sqlite3_file *f, sqlite3_int64 offset, int amount, void **out) {
    BatchFile *file = (BatchFile *)f;
    int rc = flush(file);
    if (rc != SQLITE_OK) return rc;
    if (file->real->pMethods->iVersion < 3) { *out = NULL; return SQLITE_OK; }
    return file->real->pMethods->xFetch(file->real, offset, amount, out);
}

static int batch_unfetch(sqlite3_file *f, sqlite3_int64 offset, void *page) {
    BatchFile *file = (BatchFile *)f;
    if (file->real->pMethods->iVersion < 3) return SQLITE_OK;
    return file->real->pMethods->xUnfetch(file->real, offset, page);
}

static int batch_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags, int *out_flags) {
    sqlite3_vfs *root = (sqlite3_vfs *)vfs->pAppData;
    BatchFile *file = (BatchFile *)f;
    memset(file, 0, sizeof(BatchFile));
    file->real = (sqlite3_file *)&file[1];
    int rc = root->xOpen(root, name, file->real, flags, out_flags);
    if (rc != SQLITE_OK || file->real->pMethods == NULL) {
        file->base.pMethods = NULL;
        return rc;
    }
    file->gathers = (flags & SQLITE_OPEN_WAL) != 0;
    file->base.pMethods = &batch_methods;
    return SQLITE_OK;
}

static int batch_delete(sqlite3_vfs *vfs, const char *name, int sync_dir) {
    sqlite3_vfs *root = (sqlite3_vfs *)vfs->pAppData;
    return root->xDelete(root, name, sync_dir);
}

static int batch_access(sqlite3_vfs *vfs, const char *name, int flags, int *out) {
    sqlite3_vfs *root = (sqlite3_vfs *)vfs->pAppData;
    return root->xAccess(root, name, flags, out);
}

static int batch_full_pathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
    sqlite3_vfs *root = (sqlite3_vfs *)vfs->pAppData;
    return root->xFullPathname(root, name, size, out);
}

static void *batch_dl_open(sqlite3_vfs *vfs, const char *name) {
    sqlite3_vfs *root = (sqlite3_vfs *)vfs->pAppData;
    return root->xDlOpen(root, name);
}

static void batch_dl_error(sqlite3_vfs *vfs, int size, char *out) {
    sqlite3_vfs *root = (sqlite3_vfs *)vfs->pAppData;
    root->xDlError(root, size, out);
}

static void (*batch_dl_sym(sqlite3_vfs *vfs, void *handle, const char *symbol))(void) {
    sqlite3_vfs *root = (sqlite3_vfs *)vfs->pAppData;
    return root->xDlSym(root, handle, symbol);
}

static void batch_dl_close(sqlite3_vfs *vfs, void *handle) {
    sqlite3_vfs *root = (sqlite3_vfs *)vfs->pAppData;
    root->xDlClose(root, handle);
}

static int batch_randomness(sqlite3_vfs *vfs, int size, char *out) {
    sqlite3_vfs *root = (sqlite3_vfs *)vfs->pAppData;
    return root->xRandomness(root, size, out);
}

static int batch_sleep(sqlite3_vfs *vfs, int microseconds) {
    sqlite3_vfs *root = (sqlite3_vfs *)vfs->pAppData;
    return root->xSleep(root, microseconds);
}

static int batch_current_time(sqlite3_vfs *vfs, double *out) {
    sqlite3_vfs *root = (sqlite3_vfs *)vfs->pAppData;
    return root->xCurrentTime(root, out);
}

static int batch_get_last_error(sqlite3_vfs *vfs, int size, char *out) {
    sqlite3_vfs *root = (sqlite3_vfs *)vfs->pAppData;
    return root->xGetLastError ? root->xGetLastError(root, size, out) : 0;
}

static int batch_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out) {
    sqlite3_vfs *root = (sqlite3_vfs *)vfs->pAppData;
    return root->xCurrentTimeInt64(root, out);
}

static int registered = 0;

// Not under SQLite's main mutex: sqlite3_vfs_find and sqlite3_vfs_register take it themselves.
static void register_once(void) {
    // Memory statistics take a global mutex on every allocation; nothing here reads them.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    // Savepoint sub-journals stay in memory up to 1 MiB, in one allocation: every write job runs
    // in a savepoint that copies each page it first touches, and the default (64 KiB, then a
    // temporary file) made that a write call per page; fully in memory it was four allocations.
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 1 << 20);
    if (sqlite3_initialize() != SQLITE_OK) return;
    sqlite3_vfs *root = sqlite3_vfs_find(NULL);
    // The default unix VFS; its files implement version 3 of the I/O methods (shared memory, mmap).
    if (root == NULL || root->iVersion < 2) return;
    batch_methods = (sqlite3_io_methods){
        3, batch_close, batch_read, batch_write, batch_truncate, batch_sync, batch_file_size,
        batch_lock, batch_unlock, batch_check_reserved_lock, batch_file_control, batch_sector_size,
        batch_device_characteristics, batch_shm_map, batch_shm_lock, batch_shm_barrier, batch_shm_unmap,
        batch_fetch, batch_unfetch,
    };
    batch_vfs = (sqlite3_vfs){
        2, (int)sizeof(BatchFile) + root->szOsFile, root->mxPathname, NULL, WATCHKEEPER_WAL_BATCH_VFS, root,
        batch_open, batch_delete, batch_access, batch_full_pathname, batch_dl_open, batch_dl_error,
        batch_dl_sym, batch_dl_close, batch_randomness, batch_sleep, batch_current_time,
        batch_get_last_error, batch_current_time_int64, NULL, NULL, NULL,
    };
    registered = sqlite3_vfs_register(&batch_vfs, 0) == SQLITE_OK;
}

const char *watchkeeper_wal_batch_vfs_register(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, register_once);
    return registered ? WATCHKEEPER_WAL_BATCH_VFS : NULL;
}
