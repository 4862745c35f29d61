import Foundation
import Testing

/// `Policy.table` is the one place that says who may do what. These tests read the
/// sources: a role tested by name anywhere but in the domain's access rules is a second
/// place deciding, which sooner or later lets one face show what another hides.
@Suite("Access is decided in one place")
struct AccessDecidedOnceTests {
    /// A role tested by name: compared, switched over, or looked up in a list.
    static var roleTest: Regex<AnyRegexOutput> {
        try! Regex(
            #"role\s*[!=]=|[!=]=\s*\.(admin|coordinator|monitor|partyLiaison|analyst|observer)\b|contains\([^)]*\.?role\)|switch\s+[\w.]*role\b"#
        )
    }

    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    @Test(arguments: [
        ("if principal.role == .monitor {", true),
        ("guard user.role != .admin else {", true),
        ("[.monitor, .partyLiaison].contains(principal.role)", true),
        ("switch principal.role {", true),
        ("let reach = principal.reach(for: .submitTally)", false),
        ("AccessToken(role: role, assignment: assignment)", false),
    ])
    func theScanRecognisesARoleTestedByName(line: String, isTest: Bool) {
        #expect(line.contains(Self.roleTest) == isTest)
    }

    @Test func noModuleButTheDomainTestsARoleByName() throws {
        var found: [String] = []
        let files = FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift", !url.path.contains("/Sources/CouloirDomain/") else { continue }
            let lines = try String(contentsOf: url, encoding: .utf8).split(
                separator: "\n", omittingEmptySubsequences: false)
            for (number, line) in lines.enumerated() where line.contains(Self.roleTest) {
                found.append("\(url.lastPathComponent):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(found.isEmpty, "access decided outside the policy:\n\(found.joined(separator: "\n"))")
    }
}
