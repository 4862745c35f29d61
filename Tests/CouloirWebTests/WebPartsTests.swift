import Foundation
import Testing

@testable import CouloirWeb

@Suite("Languages, forms and formats of the pages")
struct WebPartsTests {
    @Test(
        arguments: [
            (nil, nil, Language.en),
            (nil, "ar-SY,ar;q=0.9,en;q=0.5", .ar),
            (nil, "de-DE, fr-CH;q=0.8, en;q=0.7", .fr),
            (nil, "en;q=0.2, fr;q=0.9", .fr),
            (nil, "fr;q=0, ar;q=0.1", .ar),
            (nil, "de, *", .en),
            ("ar", "fr", .ar),
            ("xx", "fr", .fr),
        ] as [(String?, String?, Language)])
    func theLanguageIsTheCookiesElseTheBestAccepted(cookie: String?, header: String?, expected: Language) {
        #expect(Language.chosen(cookie: cookie, acceptLanguage: header) == expected)
    }

    @Test func aFormIsReadAsABrowserSendsIt() throws {
        let form = try #require(FormBody(Array("a=1&b=caf%C3%A9+cr%C3%A8me&b=2&empty=&c=%3Cs%3E&=x".utf8)))
        #expect(form["a"] == "1")
        #expect(form["b"] == "café crème")
        #expect(form.values["b"] == ["café crème", "2"])
        #expect(form["empty"] == nil)
        #expect(form.raw("empty") == "")
        #expect(form["c"] == "<s>")
        #expect(form["missing"] == nil)
    }

    @Test(arguments: ["a=%", "a=%4", "a=%zz", "a=%C3%28", "a=%FF"])
    func aMalformedFormIsRefusedWhole(_ body: String) {
        #expect(FormBody(Array(body.utf8)) == nil)
    }

    @Test func anOversizedFormIsRefused() {
        #expect(FormBody([UInt8](repeating: UInt8(ascii: "a"), count: FormBody.maximumBytes + 1)) == nil)
    }

    @Test func encodingRoundTrips() throws {
        let text = "/operations/x?next=/a b&é=ض"
        let form = try #require(FormBody(Array("v=\(FormBody.encode(text))".utf8)))
        #expect(form["v"] == text)
    }

    @Test func onlyPathsOnThisServerAreFollowed() {
        #expect(Visit.localTarget("/operations?x=1") == "/operations?x=1")
        for hostile in [
            "//evil.example/", "/\\evil.example", "https://evil.example", "operations", "/a\r\nSet-Cookie: x",
        ] {
            #expect(Visit.localTarget(hostile) == nil, "\(hostile)")
        }
    }

    @Test func instantsAreWrittenInTheOperationsZoneWithTheOffset() {
        let damascus = TimeZone(identifier: "Asia/Damascus")!
        let instant = Date(timeIntervalSince1970: 1_476_950_400)  // 2016-10-20T08:00Z, 11:00 in Aleppo
        #expect(Formats(language: .en, timeZone: damascus).instant(instant).contains("11:00"))
        #expect(Formats(language: .en, timeZone: damascus).instant(instant).contains("GMT+3"))
        #expect(Formats(language: .fr, timeZone: damascus).instant(instant).contains("oct."))
        #expect(Formats(language: .ar, timeZone: damascus).instant(instant).contains("٢٠"))
        #expect(Formats(language: .fr, timeZone: damascus).number(275_000) == "275\u{202F}000")
        #expect(Formats(language: .ar, timeZone: damascus).number(275_000) == "٢٧٥٬٠٠٠")
    }

    @Test func aLocalInputReadsInTheOperationsZone() throws {
        let damascus = TimeZone(identifier: "Asia/Damascus")!
        let formats = Formats(language: .en, timeZone: damascus)
        let instant = try #require(formats.parseLocalInput("2016-10-20T11:00"))
        #expect(instant == Date(timeIntervalSince1970: 1_476_950_400))
        #expect(formats.localInput(instant) == "2016-10-20T11:00")
        #expect(formats.parseLocalInput("2016-10-20T11:00:30") == instant.addingTimeInterval(30))
        for bad in [
            "2016-02-30T10:00", "2016-10-20 11:00", "2016-13-01T10:00", "1899-12-31T23:00", "x", "2016-10-20T25:00",
        ] {
            #expect(formats.parseLocalInput(bad) == nil, "\(bad)")
        }
    }
}
