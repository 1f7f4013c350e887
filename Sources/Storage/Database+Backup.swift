import CSQLite
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Database {
    /// Writes a consistent copy of the live database to `destination` with SQLite's online backup
    /// API; writes continue meanwhile (the copy is the snapshot at its start). The copy is built in
    /// a temporary file beside `destination` and moved into place only when complete.
    /// Refuses to replace an existing file.
    public func backup(to destination: String) throws {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw DatabaseError.backupDestinationExists(path: destination)
        }
        try Self.createParentDirectory(of: destination)
        let temporary = destination + ".partial-" + UUID().uuidString
        defer {
            for suffix in ["", "-journal", "-wal", "-shm"] {
                unlink(temporary + suffix)
            }
        }
        let started = ContinuousClock.now
        try readers.withConnection { source in
            try Self.copy(from: source, toNewFileAt: temporary)
        }
        // link() fails if the destination appeared meanwhile, where rename() would replace it.
        guard link(temporary, destination) == 0 else {
            let code = errno
            if code == EEXIST { throw DatabaseError.backupDestinationExists(path: destination) }
            throw DatabaseError.fileSystem(operation: "move the backup into place at", path: destination,
                                           reason: String(cString: strerror(code)))
        }
        Self.syncDirectory(of: destination)
        logger.info("database backed up", metadata: [
            "destination": "\(destination)", "duration": "\(ContinuousClock.now - started)",
        ])
    }

    private static func copy(from source: Connection, toNewFileAt path: String) throws {
        var handle: OpaquePointer?
        let opened = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        defer { sqlite3_close_v2(handle) }
        guard opened == SQLITE_OK, let handle else {
            throw SQLiteError(handle: handle, resultCode: opened, sql: nil)
        }
        guard let backup = sqlite3_backup_init(handle, "main", source.handle, "main") else {
            throw SQLiteError(handle: handle, resultCode: sqlite3_errcode(handle), sql: nil)
        }
        // One step of all pages: the source's read transaction spans the whole copy, so it is one
        // snapshot even while the writer commits (WAL readers do not block writers).
        var stepped = sqlite3_backup_step(backup, -1)
        var retries = 0
        while stepped == SQLITE_OK || ((stepped == SQLITE_BUSY || stepped == SQLITE_LOCKED) && retries < 500) {
            if stepped != SQLITE_OK {
                retries += 1
                sqlite3_sleep(10)
            }
            stepped = sqlite3_backup_step(backup, -1)
        }
        let finished = sqlite3_backup_finish(backup)
        guard stepped == SQLITE_DONE, finished == SQLITE_OK else {
            throw SQLiteError(handle: handle, resultCode: stepped == SQLITE_DONE ? finished : stepped, sql: nil)
        }
    }

    /// Makes the new directory entry durable; best effort (some file systems refuse fsync on directories).
    private static func syncDirectory(of path: String) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard let handle = FileHandle(forReadingAtPath: directory) else { return }
        try? handle.synchronize()
        try? handle.close()
    }
}
