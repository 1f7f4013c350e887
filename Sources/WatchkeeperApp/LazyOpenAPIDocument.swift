import Synchronization

/// The OpenAPI document, built from the routes' descriptions and encoded only when first asked
/// for (a GET of `/openapi.json`, or a test): its value tree, its bytes and the code that builds
/// them stay out of the idle server's memory.
public final class LazyOpenAPIDocument: Sendable {
    typealias Part = @Sendable (inout OpenAPIDocument) -> Void

    private struct State {
        var document: OpenAPIDocument?
        var bytes: [UInt8]?
    }

    private let version: String
    private let parts: [Part]
    private let state = Mutex(State())

    init(version: String, parts: [Part]) {
        self.version = version
        self.parts = parts
    }

    public var document: OpenAPIDocument {
        state.withLock { Self.document(in: &$0, version: version, parts: parts) }
    }

    /// The JSON served at `/openapi.json`.
    public var encoded: [UInt8] {
        state.withLock { state in
            if let bytes = state.bytes { return bytes }
            let bytes = Self.document(in: &state, version: version, parts: parts).encoded()
            state.bytes = bytes
            return bytes
        }
    }

    private static func document(in state: inout State, version: String, parts: [Part]) -> OpenAPIDocument {
        if let document = state.document { return document }
        var document = OpenAPIDocument(version: version)
        for part in parts { part(&document) }
        state.document = document
        return document
    }
}
