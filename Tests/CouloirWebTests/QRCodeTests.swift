import Testing

@testable import CouloirWeb

/// The QR encoder's choices that a scanner depends on; `.ci/browser_test.py` reads the
/// device-token page's codes back with zbar.
@Suite struct QRCodeTests {
    @Test func theSmallestVersionThatHoldsTheBytesIsChosen() throws {
        // Version 1 at level M holds 14 bytes, version 2 holds 26.
        #expect(try #require(QRCode(bytes: Array(repeating: 0x41, count: 14))).size == 21)
        #expect(try #require(QRCode(bytes: Array(repeating: 0x41, count: 15))).size == 25)
        #expect(try #require(QRCode(bytes: Array(repeating: 0x41, count: 26))).size == 25)
        #expect(QRCode(bytes: Array(repeating: 0x41, count: QRCode.maximumBytes + 1)) == nil)
    }

    @Test func theFinderPatternsAreInTheirCornersWithTheDarkModule() throws {
        let code = try #require(QRCode(text: "https://couloir.example/field/#token=couloir_x"))
        let n = code.size
        for (x, y) in [(0, 0), (n - 7, 0), (0, n - 7)] {
            #expect((0..<7).allSatisfy { code.modules[y][x + $0] && code.modules[y + 6][x + $0] })
            #expect(!code.modules[y + 1][x + 1] && code.modules[y + 3][x + 3])
        }
        #expect(code.modules[n - 8][8], "the dark module beside the lower finder")
    }

    @Test func reedSolomonOfAKnownBlock() {
        // "HELLO WORLD" at version 1-M (ISO/IEC 18004 annex I): its 16 data codewords and 10 of correction.
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        #expect(
            ReedSolomon.remainder(data, divisor: ReedSolomon.divisor(degree: 10))
                == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    @Test func collectSettingsAreAZlibStreamOfTheJSON() {
        let stream = CollectSettings.zlibStored(Array("abc".utf8))
        // Header, one final stored block of 3 bytes, the bytes, Adler-32 of "abc".
        #expect(stream == [0x78, 0x01, 0x01, 0x03, 0x00, 0xFC, 0xFF, 0x61, 0x62, 0x63, 0x02, 0x4D, 0x01, 0x27])
    }
}
