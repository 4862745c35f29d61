import CouloirDomain
import Foundation
import Testing

/// Text and ids as a hostile client sends them: counted as what they hold, refused when
/// they hide what a reader would not see.
@Suite("Hostile text")
struct HostileTextTests {
    @Test func aLetterCarryingManyCombiningMarksIsNotOneCharacter() {
        let name = "a" + String(repeating: "\u{0301}", count: 100_000)
        #expect(name.count == 1, "one grapheme")
        var validator = Validator()
        validator.requireText(name, at: "/name", maxLength: Limits.nameLength)
        #expect(validator.issues.map(\.pointer) == ["/name"])
    }

    @Test(arguments: ["Verified figure\u{0} -- NOT REALLY", "a\u{1B}[2Jb", "bell\u{7}", "c1\u{85}"])
    func textWithAControlCharacterIsRefused(_ text: String) {
        var validator = Validator()
        validator.requireText(text, at: "/summary", maxLength: Limits.textLength)
        #expect(validator.issues.map(\.pointer) == ["/summary"])
    }

    @Test func tabsAndLineBreaksAreText() {
        var validator = Validator()
        validator.requireText("Line one\n\tLine two\r\n", at: "/summary", maxLength: Limits.textLength)
        #expect(validator.issues.isEmpty)
    }

    @Test(arguments: [
        "81a1e60b-caec-4727-b4fc-5ece7f5570d0\u{0}junk", "81a1e60b-caec-4727-b4fc-5ece7f5570d0 ",
        "81a1e60b-caec-4727-b4fc-5ece7f5570d", "",
    ])
    func anIdIsExactlyAUUID(_ text: String) {
        #expect(EvacuationOperation.ID(text) == nil)
    }

    @Test func aUUIDIsAnId() {
        #expect(
            EvacuationOperation.ID("81A1E60B-CAEC-4727-B4FC-5ECE7F5570D0")?.description
                == "81a1e60b-caec-4727-b4fc-5ece7f5570d0")
    }
}
