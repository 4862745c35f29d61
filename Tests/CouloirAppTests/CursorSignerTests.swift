import CouloirCore
import Foundation
import Testing

/// A cursor reads back only exactly as it was handed out: every change of one character,
/// the last one's unused bits included, is refused.
@Suite struct CursorSignerTests {
    let signer = CursorSigner(derivingFrom: Data("a secret for tests".utf8))

    @Test func everyOneCharacterChangeOfACursorIsRefused() throws {
        let payload = Data(#"{"list":"parties","key":["Armed opposition groups","0"]}"#.utf8)
        let cursor = signer.sign(payload)
        #expect(signer.verify(cursor) == payload)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
        var accepted: [String] = []
        for position in cursor.indices {
            for replacement in alphabet where replacement != cursor[position] {
                var changed = cursor
                changed.replaceSubrange(position...position, with: String(replacement))
                if signer.verify(changed) != nil { accepted.append(changed) }
            }
        }
        #expect(accepted.isEmpty, "\(accepted.prefix(3))")
    }

    @Test func anotherKeysCursorAndPaddedOrTruncatedTextsAreRefused() {
        let payload = Data("{}".utf8)
        let cursor = signer.sign(payload)
        #expect(CursorSigner.ephemeral().verify(cursor) == nil)
        #expect(signer.verify(cursor + "=") == nil)
        #expect(signer.verify(String(cursor.dropLast())) == nil)
        #expect(signer.verify(cursor + "." + cursor) == nil)
    }
}
