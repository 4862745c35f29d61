import CouloirAudit
import Foundation
import Testing

@Suite struct AuditEntryTests {
    static let awkward = [
        "plain", "quote \" and backslash \\", "line\nfeed\ttab\u{01}", "مراقب المعبر ٣", "🚑🏳️", "slash / kept",
    ]

    @Test(arguments: awkward)
    func anEntryReadsBackFromItsOneWrittenForm(_ actor: String) throws {
        let entry = AuditEntry(
            index: 7, at: "2016-10-20T05:00:00.000Z", actor: actor, action: "update", kind: "corridor",
            id: "c-1", operation: nil, before: String(repeating: "a", count: 64), after: nil)
        let text = entry.text
        #expect(AuditEntry(text: text) == entry)
        #expect(!text.contains("\n"))
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(parsed?["actor"] as? String == actor)
    }

    @Test func aTextWrittenAnyOtherWayIsRefused() {
        let text = AuditEntry(
            index: 0, at: "2016-10-20T05:00:00.000Z", actor: "system:demo", action: "create", kind: "party",
            id: "p", operation: "o", before: nil, after: "ab"
        ).text
        #expect(AuditEntry(text: text) != nil)
        for variant in [
            text.replacingOccurrences(of: ",", with: ", "),
            text.replacingOccurrences(of: #""before":null,"#, with: ""),
            text.replacingOccurrences(of: #""index":0,"at""#, with: #""at""#).replacingOccurrences(
                of: "}", with: #","index":0}"#),
            text.replacingOccurrences(of: "system", with: "\\u0073ystem"),
            text + " ",
        ] {
            #expect(AuditEntry(text: variant) == nil, "\(variant)")
        }
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1_476_939_600.123, "2016-10-20T05:00:00.123Z"),
        (1_456_704_000.0, "2016-02-29T00:00:00.000Z"),
        (-1.5, "1969-12-31T23:59:58.500Z"),
        (4_102_444_799.999, "2099-12-31T23:59:59.999Z"),
    ])
    func instantsAreWrittenInUTCToTheMillisecond(_ seconds: Double, _ text: String) {
        #expect(AuditTime.text(Date(timeIntervalSince1970: seconds)) == text)
    }
}
