#ifndef WATCHKEEPER_WAL_BATCH_VFS_H
#define WATCHKEEPER_WAL_BATCH_VFS_H

#include <sqlite3.h>

#define WATCHKEEPER_WAL_BATCH_VFS "watchkeeper-wal-batch"

/// Registers the VFS (once; safe from any thread) and returns its name for sqlite3_open_v2, or
/// NULL when the default VFS cannot be wrapped. It never becomes the default VFS.
const char *watchkeeper_wal_batch_vfs_register(void);

#endif
