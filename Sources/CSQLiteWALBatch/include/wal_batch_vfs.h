#ifndef WATCHKEEPER_WAL_BATCH_VFS_H
#define WATCHKEEPER_WAL_BATCH_VFS_H

#include <sqlite3.h>

#define WATCHKEEPER_WAL_BATCH_VFS "watchkeeper-wal-batch"

/// Configures SQLite (no memory statistics) and registers the VFS, once, safe from any thread;
/// call before the first connection opens. Returns the VFS name for sqlite3_open_v2, or NULL when
/// the default VFS cannot be wrapped. It never becomes the default VFS.
const char *watchkeeper_wal_batch_vfs_register(void);

#endif
