import Foundation
import Synchronization
import Testing
@testable import HTTPServer

/// A temporary site: `root/` with files, and `outside/` beside it holding a secret.
final class TemporarySite {
    let base: URL
    var root: URL { base.appendingPathComponent("root") }
    var outside: URL { base.appendingPathComponent("outside") }

    init() throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("static-\(UUID().uuidString)")
        let files = FileManager.default
        try files.createDirectory(at: root.appendingPathComponent("docs/guide"), withIntermediateDirectories: true)
        try files.createDirectory(at: outside, withIntermediateDirectories: true)
        try write("index.html", "<h1>Watchkeeper</h1>")
        try write("app.js", "console.log(1)")
        try write("docs/guide/index.html", "<p>guide</p>")
        try write("docs/notes.txt", "notes")
        try write(".env", "SECRET=1")
        try write("a/b.css", "body{}")
        try Data("SECRET".utf8).write(to: outside.appendingPathComponent("passwd"))
        try files.createSymbolicLink(at: root.appendingPathComponent("escape"), withDestinationURL: outside)
        try files.createSymbolicLink(at: root.appendingPathComponent("secret.txt"), withDestinationURL: outside.appendingPathComponent("passwd"))
        try files.createSymbolicLink(at: root.appendingPathComponent("inner.js"), withDestinationURL: root.appendingPathComponent("app.js"))
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    deinit { try? FileManager.default.removeItem(at: base) }
}

/// Collects a streamed body.
final class CollectingWriter: HTTPBodyWriter {
    let chunks = Mutex<[[UInt8]]>([])
    func write(_ bytes: [UInt8]) throws { chunks.withLock { $0.append(bytes) } }
}

@Suite struct StaticFilesTests {
    let site: TemporarySite
    let router: Router

    init() throws {
        site = try TemporarySite()
        var router = Router()
        router.get("/api/v1/ping") { _, _ in .text("pong") }
        router.fallback(try StaticFiles(root: site.root.path).handler)
        self.router = router
    }

    @Test(arguments: [
        ("/index.html", "text/html; charset=utf-8", "no-cache"),
        ("/app.js", "text/javascript; charset=utf-8", "max-age=3600"),
        ("/a/b.css", "text/css; charset=utf-8", "max-age=3600"),
        ("/docs/notes.txt", "text/plain; charset=utf-8", "max-age=3600"),
    ])
    func servesFilesWithTypesAndCaching(_ path: String, _ type: String, _ cacheControl: String) throws {
        let response = try send(router, path)
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == type)
        #expect(response.headers["Cache-Control"] == cacheControl)
        #expect(response.headers["X-Content-Type-Options"] == "nosniff")
        #expect(response.headers["ETag"]?.hasPrefix("\"") == true)
    }

    @Test func mediaTypeTable() {
        let expected = [
            "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
            "mjs": "text/javascript; charset=utf-8", "json": "application/json; charset=utf-8", "svg": "image/svg+xml",
            "png": "image/png", "jpg": "image/jpeg", "ico": "image/x-icon", "webp": "image/webp", "woff2": "font/woff2",
            "txt": "text/plain; charset=utf-8", "xml": "application/xml; charset=utf-8", "ics": "text/calendar; charset=utf-8",
            "map": "application/json; charset=utf-8", "wasm": "application/wasm", "bin": "application/octet-stream",
        ]
        for (fileExtension, type) in expected {
            #expect(MediaType.forFileExtension(fileExtension).description == type, "\(fileExtension)")
        }
    }

    @Test func directoriesServeIndexAndRedirectWithoutSlash() throws {
        let root = try send(router, "/")
        #expect(root.text == "<h1>Watchkeeper</h1>")
        #expect(root.headers["Cache-Control"] == "no-cache")
        #expect(try send(router, "/docs/guide/").text == "<p>guide</p>")
        let redirect = try send(router, "/docs/guide?x=1")
        #expect(redirect.status.code == 301)
        #expect(redirect.headers["Location"] == "/docs/guide/?x=1")
        #expect(try send(router, "/docs/").status == .notFound) // no index.html there
    }

    @Test func headServesTheSameHeadersAndOtherMethodsAre404() throws {
        let get = try send(router, "/app.js")
        let head = try send(router, "/app.js", method: .head)
        #expect(head.status == .ok)
        #expect(head.headers["ETag"] == get.headers["ETag"])
        #expect(head.headers["Content-Type"] == get.headers["Content-Type"])
        #expect(try send(router, "/app.js", method: .post).status == .notFound)
        #expect(try send(router, "/api/v1/ping").text == "pong")
    }

    @Test func ifNoneMatchGives304() throws {
        let etag = try #require(try send(router, "/app.js").headers["ETag"])
        let weak = "W/" + etag
        for value in [etag, weak, "\"nope\", \(etag)", "*", "\"a,b\", \(weak)"] {
            let response = try send(router, "/app.js", headers: ["If-None-Match": value])
            #expect(response.status == .notModified, "\(value)")
            #expect(response.headers["ETag"] == etag)
            #expect(response.text.isEmpty)
        }
        for value in ["\"nope\"", "W/\"other\"", etag.replacingOccurrences(of: "\"", with: ""), "\(etag) \(etag)"] {
            #expect(try send(router, "/app.js", headers: ["If-None-Match": value]).status == .ok, "\(value)")
        }
        var headers = HTTPHeaders()
        headers.add("If-None-Match", "\"x\"")
        headers.add("If-None-Match", etag)
        #expect(try send(router, "/app.js", headers: headers).status == .notModified)
    }

    @Test func etagChangesWhenTheFileChanges() throws {
        let before = try send(router, "/docs/notes.txt").headers["ETag"]
        try site.write("docs/notes.txt", "notes, longer now")
        let after = try send(router, "/docs/notes.txt")
        #expect(after.headers["ETag"] != before)
        #expect(after.text == "notes, longer now")
        #expect(try send(router, "/docs/notes.txt", headers: ["If-None-Match": before ?? ""]).status == .ok)
    }

    @Test(arguments: [
        "/../etc/passwd", "/../outside/passwd", "/%2e%2e/outside/passwd", "/%2E%2E/%2e%2E/etc/passwd",
        "/docs/%2e%2e/%2e%2e/outside/passwd", "/a/%2F..", "/a/%2F%2E%2E%2Foutside", "/..%5c..%5coutside%5cpasswd",
        "/docs%5c..%5cindex.html", "/index.html%00", "/index.html%00.png", "/%00", "/.env", "/%2eenv", "/./index.html",
        "//etc/passwd", "/docs//notes.txt", "/escape/passwd", "/secret.txt", "/inner.js", "/escape", "/%zz",
        "/app.js/", "/index.html/", "/missing.html", "/index.html/..",
    ])
    func refusesEverythingOutsideTheRootAs404(_ path: String) throws {
        let response = try send(router, path)
        #expect(response.status == .notFound, "\(path)")
        #expect(!response.text.contains("SECRET"))
    }

    @Test func largeFilesAreStreamedInChunks() throws {
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: site.root.appendingPathComponent("big.wasm"))
        var router = Router()
        router.fallback(try StaticFiles(root: site.root.path, maxBufferedSize: 100_000).handler)
        let response = try send(router, "/big.wasm")
        #expect(response.headers["Content-Type"] == "application/wasm")
        guard case .stream(let produce) = response.body else {
            Issue.record("expected a streamed body")
            return
        }
        let writer = CollectingWriter()
        try produce(writer)
        let chunks = writer.chunks.withLock { $0 }
        #expect(chunks.count == 4)
        #expect(chunks.allSatisfy { $0.count <= StaticFiles.chunkSize })
        #expect(chunks.flatMap { $0 } == bytes)
        // At the limit it is still one buffered body.
        let small = try StaticFiles(root: site.root.path, maxBufferedSize: 200_000)
        let buffered = try small.respond(HTTPRequest(head: HTTPRequestHead(method: .get, target: "/big.wasm")), context: RequestContext())
        guard case .bytes(let body) = buffered.body else {
            Issue.record("expected a buffered body")
            return
        }
        #expect(body == bytes)
    }

    @Test func mountedUnderAPrefix() throws {
        var router = Router()
        let files = try StaticFiles(root: site.root.path, prefix: "/assets")
        router.get("/assets/*", files.handler)
        #expect(try send(router, "/assets/app.js").text == "console.log(1)")
        #expect(try send(router, "/assets/docs/guide/").text == "<p>guide</p>")
        #expect(try send(router, "/assets/../assets/app.js").status == .notFound)
        #expect(try send(router, "/app.js").status == .notFound)
        #expect(router.route(HTTPRequestHead(method: .get, target: "/assets/app.js")).runsOnEventLoop == false)
    }

    @Test func rootMustBeADirectory() throws {
        #expect(throws: (any Error).self) { try StaticFiles(root: site.root.appendingPathComponent("app.js").path) }
        #expect(throws: (any Error).self) { try StaticFiles(root: site.base.appendingPathComponent("nope").path) }
        // The root itself may be reached through a link; it is resolved once at startup.
        let link = site.base.appendingPathComponent("rootlink")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: site.root)
        let files = try StaticFiles(root: link.path)
        #expect(files.root == site.root.resolvingSymlinksInPath().path)
    }
}

@Suite struct StaticFilesETagTests {
    @Test func parsesListsWithCommasInsideTags() {
        #expect(ETag.parseList(#""a", W/"b,c" ,"d""#) == [ETag("a"), ETag("b,c", isWeak: true), ETag("d")])
        #expect(ETag.parseList("") == [])
        #expect(ETag.parseList("a") == nil)
        #expect(ETag.parseList(#""a"#) == nil)
        #expect(ETag.parseList(#""a""b""#) == nil)
        #expect(ETag.parseList(#"w/"a""#) == nil)
        #expect(ETag.parseList("\"a b\"") == nil)
    }

    @Test func comparisons() {
        let strong = ETag("x")
        let weak = ETag("x", isWeak: true)
        #expect(strong.weaklyMatches(weak) && weak.weaklyMatches(weak))
        #expect(!strong.stronglyMatches(weak) && strong.stronglyMatches(ETag("x")))
        #expect(weak.description == #"W/"x""#)
        #expect(!strong.isMatched(byIfNoneMatch: []))
        #expect(strong.isMatched(byIfNoneMatch: [" * "]))
    }
}
