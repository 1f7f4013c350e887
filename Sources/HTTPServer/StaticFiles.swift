#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves the files under one directory for GET and HEAD: the web console's HTML, scripts and
/// images. Use `handler` as the router's fallback or as a `/prefix/*` route; it reads the disk,
/// so never mark that route `runsOnEventLoop`.
///
/// Nothing outside the root is reachable. Each path segment is percent-decoded and refused when
/// it is empty, starts with `.` (so `..`, `.` and dotfiles such as `.env`), or holds `/`, `\` or
/// NUL; then the file is opened one component at a time with `openat(O_NOFOLLOW)`, so any
/// symbolic link on the way is refused, without a window for a link swapped in between a check
/// and the open. Only regular files are served. Everything refused is a plain 404, the same as
/// a file that does not exist.
///
/// A directory serves its `index.html`; a directory path without its trailing slash is
/// redirected (301) to the path with one, so relative links in the page resolve. Responses carry
/// a strong `ETag` from size, modification time and inode, answer `If-None-Match` with 304,
/// `Cache-Control: no-cache` for HTML (always revalidate, so a deploy shows at once) and a
/// `max-age` for other files, and `X-Content-Type-Options: nosniff`. Files up to
/// `maxBufferedSize` are read whole; larger ones are streamed in chunks.
public struct StaticFiles: Sendable {
    /// The root directory with symbolic links resolved.
    public let root: String
    /// Where the files are mounted: "" for the site root, or "/assets".
    public let prefix: String
    public let maxBufferedSize: Int
    /// `max-age` in seconds for everything but HTML.
    public let assetMaxAge: Int

    static let chunkSize = 64 << 10

    /// Fails when `root` is not a directory, so a misconfigured deployment stops at startup.
    public init(root: String, prefix: String = "", maxBufferedSize: Int = 8 << 20, assetMaxAge: Int = 3600) throws {
        precondition(prefix.isEmpty || (prefix.hasPrefix("/") && !prefix.hasSuffix("/")),
                     "static files prefix '\(prefix)' must start with '/' and not end with '/'")
        guard let resolved = realpath(root, nil) else { throw StaticFilesReadError(errno: errno) }
        defer { free(resolved) }
        self.root = String(cString: resolved)
        var info = stat()
        guard stat(self.root, &info) == 0 else { throw StaticFilesReadError(errno: errno) }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw StaticFilesReadError(errno: ENOTDIR) }
        self.prefix = prefix
        self.maxBufferedSize = maxBufferedSize
        self.assetMaxAge = assetMaxAge
    }

    public var handler: RouteHandler {
        { request, context in try self.respond(request, context: context) }
    }

    public func respond(_ request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        guard request.method == .get || request.method == .head,
              let names = Self.components(of: request.path, under: prefix),
              var file = StaticFilesDescriptor(fd: open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC))
        else { throw HTTPError(.notFound) }

        for name in names {
            guard let next = file.open(name) else { throw HTTPError(.notFound) }
            file = next
        }
        guard var info = file.status() else { throw HTTPError(.notFound) }
        var fileName = names.last ?? ""
        let isDirectory = info.st_mode & S_IFMT == S_IFDIR
        if isDirectory {
            guard request.path.hasSuffix("/") else {
                let location = request.path + "/" + (request.head.query.map { "?" + $0 } ?? "")
                return HTTPResponse(status: HTTPStatus(code: 301), headers: ["Location": location])
            }
            guard let index = file.open("index.html"), let indexInfo = index.status() else { throw HTTPError(.notFound) }
            (file, info, fileName) = (index, indexInfo, "index.html")
        }
        // A trailing slash names a directory, never a file ("/app.js/").
        guard info.st_mode & S_IFMT == S_IFREG, isDirectory || !request.path.hasSuffix("/") else {
            throw HTTPError(.notFound)
        }

        let mediaType = MediaType.forFileExtension(Self.fileExtension(fileName))
        let etag = Self.etag(info)
        var headers: HTTPHeaders = [
            "ETag": etag.description,
            "Cache-Control": mediaType.subtype == "html" ? "no-cache" : "max-age=\(assetMaxAge)",
            "X-Content-Type-Options": "nosniff",
        ]
        if etag.isMatched(byIfNoneMatch: request.headers.values("If-None-Match")) {
            return HTTPResponse(status: .notModified, headers: headers)
        }
        headers["Content-Type"] = mediaType.description

        let size = Int(info.st_size)
        if size <= maxBufferedSize {
            return HTTPResponse(headers: headers, body: .bytes(try file.read(at: 0, count: size)))
        }
        // Streamed up to the size the ETag describes; a file that shrinks meanwhile ends early.
        return HTTPResponse(headers: headers, body: .stream { [file] writer in
            var offset = 0
            while offset < size {
                let chunk = try file.read(at: offset, count: min(Self.chunkSize, size - offset))
                if chunk.isEmpty { break }
                try writer.write(chunk)
                offset += chunk.count
            }
        })
    }

    /// The decoded path components below the mount point; nil when the path is outside it or
    /// any segment is refused. A trailing slash leaves no component for itself: it names the
    /// directory.
    static func components(of path: String, under prefix: String) -> [String]? {
        guard path.hasPrefix(prefix) else { return nil }
        let rest = path.dropFirst(prefix.count)
        guard rest.hasPrefix("/") else { return nil }
        var segments = rest.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if segments.last?.isEmpty == true { segments.removeLast() }
        var names: [String] = []
        names.reserveCapacity(segments.count)
        for segment in segments {
            guard let name = PercentEncoding.decode(String(segment)), !name.isEmpty, !name.hasPrefix("."),
                  !name.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") || $0 == 0 })
            else { return nil }
            names.append(name)
        }
        return names
    }

    static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: ".") else { return "" }
        return String(name[name.index(after: dot)...])
    }

    /// Strong, because a file's bytes change only with its size, modification time (in
    /// nanoseconds) or inode (an atomic rename during a deploy gives a new inode).
    static func etag(_ info: stat) -> ETag {
        #if canImport(Darwin)
        let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #else
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #endif
        return ETag(String(info.st_size, radix: 16) + "-" + String(modified, radix: 16) + "-" + String(info.st_ino, radix: 16))
    }
}
