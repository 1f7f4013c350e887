import Gateways
import Testing

@Suite struct SMSTextTests {
    // MARK: GSM-7 detection

    @Test func norwegianAndGermanLettersAreGSM7() {
        #expect(GSM7.canEncode("Strømbrudd på Ålesund-kontoret, æøå ÆØÅ"))
        #expect(GSM7.canEncode("Größe überschritten: Äpfel, Öl, Übel"))
        #expect(SMSText.encoding(of: "Prøv igjen") == .gsm7)
    }

    @Test func decomposedAccentsCountAsTheirGSM7Letter() {
        // "é" as e + combining acute, as some APIs send it.
        #expect(GSM7.canEncode("Cafe\u{301} down"))
        #expect(GSM7.septetCount("Cafe\u{301}") == 4)
    }

    @Test func lowerCaseCedillaEmojiAndCyrillicAreNot() {
        #expect(!GSM7.canEncode("ça va"))
        #expect(!GSM7.canEncode("disk full 🔥"))
        #expect(!GSM7.canEncode("Сбой сервера"))
        #expect(SMSText.encoding(of: "ACK 4821 – on it") == .ucs2)
    }

    @Test func extensionCharactersCostTwoSeptets() {
        #expect(GSM7.septetCount("[db]") == 6)
        #expect(GSM7.septetCount("€5 {x} ^|~\\") == 18)
        #expect(GSM7.septetCount("abc") == 3)
        #expect(GSM7.septetCount("a😀") == nil)
    }

    // MARK: Segments

    @Test func gsm7Segments() {
        #expect(SMSText.segments("") == 1)
        #expect(SMSText.segments(String(repeating: "A", count: 160)) == 1)
        #expect(SMSText.segments(String(repeating: "A", count: 161)) == 2)
        #expect(SMSText.segments(String(repeating: "A", count: 306)) == 2)
        #expect(SMSText.segments(String(repeating: "A", count: 307)) == 3)
        #expect(SMSText.segments(String(repeating: "A", count: 459)) == 3)
        #expect(SMSText.segments(String(repeating: "A", count: 460)) == 4)
        #expect(SMSText.segments(String(repeating: "€", count: 80)) == 1)
        #expect(SMSText.segments(String(repeating: "€", count: 81)) == 2)
    }

    @Test func anEscapePairIsNeverSplitBetweenParts() {
        // 152 septets then "€" (2): the pair does not fit in the first part's 153, so it moves on.
        let text = String(repeating: "A", count: 152) + "€" + String(repeating: "A", count: 152)
        // 306 septets would be 2 parts if the pair could straddle; kept whole it needs a third.
        #expect(GSM7.septetCount(text) == 306)
        #expect(SMSText.segments(text) == 3)
    }

    @Test func ucs2Segments() {
        #expect(SMSText.segments(String(repeating: "ж", count: 70)) == 1)
        #expect(SMSText.segments(String(repeating: "ж", count: 71)) == 2)
        #expect(SMSText.segments(String(repeating: "ж", count: 134)) == 2)
        #expect(SMSText.segments(String(repeating: "ж", count: 135)) == 3)
        #expect(SMSText.segments(String(repeating: "😀", count: 35)) == 1)
        #expect(SMSText.segments(String(repeating: "😀", count: 36)) == 2)
    }

    @Test func aSurrogatePairIsNeverSplitBetweenParts() {
        // 66 units then an emoji (2 units): it cannot start at unit 67 of the first part.
        let text = String(repeating: "ж", count: 66) + "😀" + String(repeating: "ж", count: 66)
        #expect(text.utf16.count == 134)
        #expect(SMSText.segments(text) == 3)
    }

    // MARK: Fitting

    static let link = "https://pager.example.eu/a/Hk3mX9qL2vTzR8wNcY5bUe1A"
    static let hint = "Reply 1a ack, 1c close, 1e escalate"

    @Test func shortPageFitsOneSegmentUnchanged() {
        let fitted = SMSText.fit(summary: "SOC Tier 1: Ransomware on FIN-DB-01 [Sev1]", tail: [Self.link, Self.hint])
        #expect(fitted.text == "SOC Tier 1: Ransomware on FIN-DB-01 [Sev1]\n\(Self.link)\n\(Self.hint)")
        #expect(fitted.encoding == .gsm7)
        #expect(fitted.segments == 1)
        #expect(!fitted.truncated)
    }

    @Test func smartQuotesAndDashesAreTransliteratedToStayGSM7() {
        let fitted = SMSText.fit(summary: "SOC Tier 1: “Impossible travel” – user’s sign-in from 2 countries… investigate\u{00A0}now",
                                 tail: [Self.link, Self.hint])
        #expect(fitted.encoding == .gsm7)
        #expect(fitted.text.hasPrefix("SOC Tier 1: \"Impossible travel\" - user's sign-in from 2 countries... investigate now\n"))
        // 172 characters: two GSM-7 segments, where UCS-2 would have needed three.
        #expect(fitted.segments == 2)
    }

    @Test func emojiKeepsUCS2AndTheOriginalCharacters() {
        let fitted = SMSText.fit(summary: "Ops: disk full 🔥 on “db-1”", tail: [Self.hint])
        #expect(fitted.encoding == .ucs2)
        #expect(fitted.text == "Ops: disk full 🔥 on “db-1”\n\(Self.hint)")
        #expect(fitted.segments == 1)
    }

    @Test func longSentinelTitleIsCutToThreeGSM7Segments() {
        let title = "SOC Tier 1: Sentinel incident 48213: Multi-stage attack involving password spray, suspicious inbox "
            + "manipulation rules and mass download of SharePoint files by a compromised account (adm-ola.nordmann@contoso.no) "
            + "followed by an anomalous token issuance from an unfamiliar ASN in a country the organisation has never seen "
            + "sign-ins from, and a subsequent attempt to register a new MFA method on behalf of three privileged users [Sev1]"
        let fitted = SMSText.fit(summary: title, tail: [Self.link, Self.hint])
        #expect(fitted.truncated)
        #expect(fitted.encoding == .gsm7)
        #expect(fitted.segments == 3)
        #expect(fitted.text.hasSuffix("...\n\(Self.link)\n\(Self.hint)"))
        #expect(fitted.text.hasPrefix("SOC Tier 1: Sentinel incident 48213: Multi-stage attack"))
        // As long as it can be: one more character of the title would need a fourth segment.
        #expect(GSM7.septetCount(fitted.text)! > 459 - 12)
    }

    @Test func fitUsesTheFewestSegmentsWithoutCutting() {
        // 200 characters of summary: two segments, not cut.
        let summary = String(repeating: "Lagerplass full på backup-server. ", count: 6)
        let fitted = SMSText.fit(summary: summary, tail: [Self.hint])
        #expect(!fitted.truncated)
        #expect(fitted.segments == 2)
    }

    @Test func longNorwegianTitleWithAnEmojiIsCutInUCS2WithoutSplittingTheEmoji() {
        let title = "Drift 🚨: " + String(repeating: "Strømbrudd i datasenteret på Økern, reservestrøm aktiv. ", count: 10)
        let fitted = SMSText.fit(summary: title, tail: [Self.link, Self.hint])
        #expect(fitted.truncated)
        #expect(fitted.encoding == .ucs2)
        #expect(fitted.segments <= 3)
        #expect(fitted.text.hasPrefix("Drift 🚨: Strømbrudd"))
        #expect(fitted.text.hasSuffix("…\n\(Self.link)\n\(Self.hint)"))
        #expect(fitted.text.utf16.count <= 3 * 67)
    }

    @Test func anEmojiLateInALongTitleIsCutAwaySoTheRestStaysGSM7() {
        let title = String(repeating: "Disk usage above threshold on nas-02. ", count: 14) + "🔥"
        let fitted = SMSText.fit(summary: title, tail: [Self.link, Self.hint])
        #expect(fitted.truncated)
        #expect(fitted.encoding == .gsm7)
        #expect(fitted.segments == 3)
        #expect(!fitted.text.contains("🔥"))
    }

    @Test func bundleSummaryFitsTheSameWay() {
        let items = (1...12).map { "\($0)) Failed sign-ins from 185.220.101.\($0) to vpn-gw-0\($0 % 3)" }
        let fitted = SMSText.fit(summary: "12 new alerts on SOC Tier 1: " + items.joined(separator: "; "),
                                 tail: ["Reply 1a ack one, aa ack all, cc close all"])
        #expect(fitted.truncated)
        #expect(fitted.segments == 3)
        #expect(fitted.text.hasPrefix("12 new alerts on SOC Tier 1: 1) Failed sign-ins"))
        #expect(fitted.text.hasSuffix("...\nReply 1a ack one, aa ack all, cc close all"))
    }

    @Test func whitespaceInTheSummaryIsCollapsed() {
        let fitted = SMSText.fit(summary: "  Ops:\n\n  disk\tfull  ", tail: [])
        #expect(fitted.text == "Ops: disk full")
    }

    @Test func neverMoreThanThreeSegmentsWhateverTheInput() {
        let inputs = [String(repeating: "€", count: 1000), String(repeating: "😀", count: 500), String(repeating: "x ", count: 900),
                      String(repeating: "ж", count: 300) + String(repeating: "a", count: 300)]
        for input in inputs {
            #expect(SMSText.fit(summary: input, tail: [Self.link, Self.hint]).segments <= 3)
        }
        // Even a tail that cannot fit is cut down rather than sent in four segments.
        #expect(SMSText.fit(summary: "x", tail: [String(repeating: "y", count: 600)]).segments <= 3)
    }
}
