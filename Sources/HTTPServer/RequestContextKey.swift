/// Names one value that middleware attaches to a `RequestContext` (the authenticated identity, a
/// request id...). The key type itself is the name, so two modules cannot collide by spelling.
///
///     enum AuthenticatedUser: RequestContextKey { typealias Value = User }
///     context[AuthenticatedUser.self] = user
public protocol RequestContextKey {
    associatedtype Value: Sendable
}
