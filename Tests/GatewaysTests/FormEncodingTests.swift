import Gateways
import Testing

@Suite struct FormEncodingTests {
    @Test func encodesLikeTheProvidersLibraries() {
        #expect(FormEncoding.encode([("To", "+447700900123"), ("Body", "Sev1 – disk full & 100% on db-1/2?")])
            == "To=%2B447700900123&Body=Sev1+%E2%80%93+disk+full+%26+100%25+on+db-1%2F2%3F")
        #expect(FormEncoding.encode("a-b.c_d*e~f") == "a-b.c_d*e%7Ef")
        #expect(FormEncoding.encode([]) == "")
    }
}
