import FakeAzure
import Foundation
import OutboundHTTP
import Sentinel
import Testing

@Suite struct TokenCacheTests {
    @Test func reusesATokenUntilFiveMinutesBeforeExpiryAndKeepsTenantsApart() throws {
        let cloud = try FakeAzureCloud()
        defer { cloud.shutdown() }
        cloud.entra.register(.init(tenantId: "tenant-a", clientId: "app", clientSecret: "a"))
        cloud.entra.register(.init(tenantId: "tenant-b", clientId: "app", clientSecret: "b"))
        let cache = TokenCache(http: HTTPClient())
        let a = ClientCredentials(authorityURL: cloud.authorityURL, tenantId: "tenant-a", clientId: "app", clientSecret: "a", armURL: cloud.armURL)
        let b = ClientCredentials(authorityURL: cloud.authorityURL, tenantId: "tenant-b", clientId: "app", clientSecret: "b", armURL: cloud.armURL)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let first = try cache.token(for: a, now: start)
        #expect(cloud.entra.tenant(ofToken: first) == "tenant-a")
        #expect(try cache.token(for: a, now: start.addingTimeInterval(3599 - 301)) == first)
        let tokenB = try cache.token(for: b, now: start)
        #expect(cloud.entra.tenant(ofToken: tokenB) == "tenant-b" && cache.fetches == 2)
        let refreshed = try cache.token(for: a, now: start.addingTimeInterval(3599 - 300))
        #expect(refreshed != first && cache.fetches == 3)
        cache.invalidate(a, token: refreshed)
        #expect(try cache.token(for: a, now: start.addingTimeInterval(3599 - 300)) != refreshed)
    }

    @Test func manyThreadsShareOneCache() throws {
        let cloud = try FakeAzureCloud()
        defer { cloud.shutdown() }
        cloud.entra.register(.init(tenantId: "t", clientId: "app", clientSecret: "s"))
        let cache = TokenCache(http: HTTPClient())
        let credentials = ClientCredentials(authorityURL: cloud.authorityURL, tenantId: "t", clientId: "app", clientSecret: "s", armURL: cloud.armURL)
        let now = Date()
        _ = try cache.token(for: credentials, now: now)
        let tokens = Mutex<Set<String>>([])
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            if let token = try? cache.token(for: credentials, now: now) { tokens.withLock { _ = $0.insert(token) } }
        }
        #expect(tokens.withLock { $0.count } == 1 && cache.fetches == 1)
    }
}

import Synchronization
