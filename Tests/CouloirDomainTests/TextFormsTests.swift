import CouloirDomain
import Foundation
import Testing

/// Ids and instants are written and read by hand, not through the C library: each must
/// say exactly what the system's own formatters say, and refuse what they refuse.
@Suite("Ids and instants as text")
struct TextFormsTests {
    private struct Thing {}

    @Test func anIdReadsAndWritesAsFoundationsUUID() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let uuid = UUID()
            let id = Identifier<Thing>(uuid)
            #expect(id.description == uuid.uuidString.lowercased())
            #expect(Identifier<Thing>(uuid.uuidString)?.rawValue == uuid)
            #expect(Identifier<Thing>(id.description)?.rawValue == uuid)
            // Mixed case, as some clients send.
            let mixed = String(
                uuid.uuidString.map { Bool.random(using: &generator) ? Character($0.lowercased()) : $0 })
            #expect(Identifier<Thing>(mixed)?.rawValue == uuid)
        }
    }

    @Test(arguments: [
        "", "6f1e1c1e-2d6b-4a57-9a0c-1b2c3d4e5f6", "6f1e1c1e-2d6b-4a57-9a0c-1b2c3d4e5f607",
        "6f1e1c1e2d6b-4a57-9a0c-1b2c3d4e5f607", "6f1e1c1e-2d6b-4a57-9a0c-1b2c3d4e5f6g",
        "6f1e1c1e-2d6b-4a57-9a0c-1b2c3d4e5f6\u{0}", "6f1e1c1e-2d6b-4a57-9a0c-1b2c3d4e5fé",
        "6f1e1c1e 2d6b-4a57-9a0c-1b2c3d4e5f60", "{6f1e1c1e-2d6b-4a57-9a0c-1b2c3d4e5f}",
        "+f1e1c1e-2d6b-4a57-9a0c-1b2c3d4e5f60", "6f1e1c1e-2d6b-4a57-9a0c-1b2c3d4e5f60\n",
    ])
    func whatIsNoUUIDIsNoId(_ text: String) {
        #expect(Identifier<Thing>(text) == nil)
    }

    /// The system's reader takes a digit pair with a sign (`+f`, read by `sscanf`'s
    /// `%x`) as a byte: two texts for one id, which no client has reason to send.
    @Test func aSignedDigitPairIsNoPartOfAnId() {
        let signed = "+f1e1c1e-2d6b-4a57-9a0c-1b2c3d4e5f60"
        #expect(UUID(uuidString: signed) != nil)
        #expect(Identifier<Thing>(signed) == nil)
    }

    /// The system's formatter writes the whole seconds; the milliseconds are the nearest
    /// (a stored 123 ms, held as 0.12299…, is `.123`, where the system's formatter
    /// truncates to `.122`).
    @Test func instantsAreWrittenAsTheISOFormatterWritesThem() {
        let whole = Date.ISO8601FormatStyle()
        var generator = SystemRandomNumberGenerator()
        // 1900 to 2199, the years Couloir records, to the millisecond.
        let range: ClosedRange<Int64> = -2_208_988_800_000...7_258_118_399_999
        for _ in 0..<5_000 {
            let millis = Int64.random(in: range, using: &generator)
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            let (seconds, fraction) = millis.quotientAndRemainder(dividingBy: 1000)
            let (second, milliseconds) = fraction < 0 ? (seconds - 1, fraction + 1000) : (seconds, fraction)
            let written = whole.format(Date(timeIntervalSince1970: Double(second)))
            let digits = String(milliseconds)
            let withFraction = written.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
            #expect(UTCText.of(date, fraction: .always) == withFraction)
            #expect(UTCText.of(date, fraction: .whenAny) == (milliseconds == 0 ? written : withFraction))
            #expect(UTCText.of(Date(timeIntervalSince1970: Double(second)), fraction: .whenAny) == written)
        }
        #expect(UTCText.of(Date(timeIntervalSince1970: 0.1234), fraction: .whenAny) == "1970-01-01T00:00:00.123Z")
        #expect(UTCText.of(Date(timeIntervalSince1970: -0.001), fraction: .whenAny) == "1969-12-31T23:59:59.999Z")
        #expect(UTCText.of(Date(timeIntervalSince1970: 1_476_939_600), fraction: .always) == "2016-10-20T05:00:00.000Z")
    }
}
