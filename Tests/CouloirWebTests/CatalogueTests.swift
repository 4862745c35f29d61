import CouloirDomain
import Foundation
import Testing

@testable import CouloirWeb

/// Every visible string lives in the catalogues, every catalogue has every key, and no
/// template holds text of its own.
@Suite("Message catalogues and templates")
struct CatalogueTests {
    static let catalogues = try! Catalogue.bundled()
    static let templates: [(name: String, text: String)] = {
        let root = try! FileManager.default.contentsOfDirectory(
            at: templateDirectory, includingPropertiesForKeys: nil)
        return root.filter { $0.pathExtension == "mustache" }.sorted { $0.path < $1.path }.map {
            ($0.lastPathComponent, try! String(contentsOf: $0, encoding: .utf8))
        }
    }()
    static var templateDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/CouloirWeb/Templates")
    }

    @Test func everyLanguageHasEveryKeyAndNoOther() throws {
        let english = Set(try #require(Self.catalogues[.en]).messages.keys)
        #expect(english.count > 150)
        for language in Language.allCases {
            let keys = Set(try #require(Self.catalogues[language]).messages.keys)
            #expect(english.subtracting(keys).isEmpty, "\(language) lacks \(english.subtracting(keys).sorted())")
            #expect(keys.subtracting(english).isEmpty, "\(language) has extra \(keys.subtracting(english).sorted())")
        }
    }

    @Test func everyMessageKeepsItsPlaceholders() throws {
        let english = try #require(Self.catalogues[.en]).messages
        for language in Language.allCases {
            for (key, text) in try #require(Self.catalogues[language]).messages {
                #expect(Self.placeholders(text) == Self.placeholders(english[key] ?? ""), "\(language) \(key)")
                #expect(!text.trimmingCharacters(in: .whitespaces).isEmpty, "\(language) \(key) is empty")
            }
        }
    }

    @Test func everyKeyATemplateNamesExists() throws {
        let english = try #require(Self.catalogues[.en]).messages
        #expect(Self.templates.count >= 10)
        for (name, text) in Self.templates {
            for key in Self.matches(of: #"\{\{[#^/]?t\.([a-z_.]+)\}\}"#, in: text) {
                #expect(english[key] != nil, "\(name) names \(key), which no catalogue has")
            }
        }
    }

    @Test func everyValueOfEveryEnumerationShownHasItsLabel() throws {
        let english = try #require(Self.catalogues[.en]).messages
        func labels<T: CaseIterable & RawRepresentable<String>>(_: T.Type, _ section: String) -> [String] {
            T.allCases.map { "\(section).\($0.rawValue)" }
        }
        let keys =
            labels(Incident.Kind.self, "incident_kind") + labels(Incident.Severity.self, "severity")
            + labels(Incident.TimePrecision.self, "time_precision")
            + labels(Incident.PlacePrecision.self, "place_precision")
            + labels(VerificationStatus.self, "verification") + labels(Claim.Kind.self, "claim_kind")
            + labels(PauseState.self, "pause_state") + labels(CorridorStatus.State.self, "corridor_state")
            + labels(StatusOverride.State.self, "corridor_state") + labels(Group.self, "group")
            + labels(PartyKind.self, "party_kind") + labels(SourceKind.self, "source_kind")
            + labels(Role.self, "role") + labels(Guarantee.Stance.self, "stance")
            + labels(Direction.self, "direction")
            + Language.allCases.map { "language.\($0.rawValue)" }
        for key in keys { #expect(english[key] != nil, "no label \(key)") }
    }

    /// Every string literal of the web face's Swift code that names a catalogue section
    /// is a key of it; a refusal's key has its title beside it.
    @Test func everyKeyTheSwiftCodeNamesExists() throws {
        let english = try #require(Self.catalogues[.en]).messages
        let sections = Set(english.keys.map { String($0.split(separator: ".")[0]) })
        let sources = Self.templateDirectory.deletingLastPathComponent()
        let files = try FileManager.default.contentsOfDirectory(at: sources, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "swift" }
        var named = 0
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for key in Self.matches(of: #""([a-z_]+\.[a-z_.]+)""#, in: text)
            where sections.contains(String(key.split(separator: ".")[0])) {
                named += 1
                #expect(english[key] != nil, "\(file.lastPathComponent) names \(key), which no catalogue has")
            }
            for key in Self.matches(of: #"refusal\([^"\n]*"([a-z_.]+)""#, in: text) {
                #expect(english[key + "_title"] != nil, "\(file.lastPathComponent): \(key) has no title")
            }
        }
        #expect(named > 60)
    }

    /// Templates hold markup and catalogue keys only: with the Mustache tags and the
    /// HTML tags taken out, no letter is left; and the attributes people read (labels
    /// for screen readers, titles, placeholders, alternatives) hold a tag, never text.
    @Test func noTemplateHoldsTextOfItsOwn() throws {
        for (name, text) in Self.templates {
            let left = Self.literalText(in: text)
            #expect(left.isEmpty, "\(name) holds text: \(left)")
            for attribute in Self.matches(of: #"(?:aria-label|title|placeholder|alt)="([^"]*)""#, in: text) {
                #expect(
                    attribute.replacing(/\{\{[^}]*\}\}/, with: "").isEmpty,
                    "\(name): an attribute holds text: \(attribute)")
            }
        }
    }

    @Test func theTextCheckCatchesALiteralWord() {
        #expect(Self.literalText(in: "<p>{{t.nav.skip}} Skip</p>") == ["Skip"])
        #expect(Self.literalText(in: #"<a href="{{link}}" lang="ar">{{name}}</a> · {{kind}}"#).isEmpty)
    }

    /// The words of `template` that are neither markup nor a Mustache tag.
    static func literalText(in template: String) -> [Substring] {
        let withoutTags = template.replacing(/\{\{[^}]*\}\}/, with: "").replacing(/<[^>]*>/, with: " ")
        return withoutTags.split(whereSeparator: \.isWhitespace).filter {
            $0.unicodeScalars.contains { $0.properties.isAlphabetic }
        }
    }

    /// Every template the Swift code renders by name is one of the package's.
    @Test func everyTemplateRenderedExists() throws {
        let names = Set(Self.templates.map { String($0.name.dropLast(".mustache".count)) })
        let sources = Self.templateDirectory.deletingLastPathComponent()
        var rendered = 0
        for file in try FileManager.default.contentsOfDirectory(at: sources, includingPropertiesForKeys: nil)
        where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for name in Self.matches(of: #"render\(\s*"([a-z-]+)""#, in: text) {
                rendered += 1
                #expect(names.contains(name), "\(file.lastPathComponent) renders \(name), which no template is")
            }
        }
        #expect(rendered > 20)
    }

    @Test func placeholdersAreFilledAndIsolated() throws {
        let french = try #require(Self.catalogues[.fr])
        #expect(french.text("corridor.edit_title", ["name": "C3"]) == "Modifier \u{2068}C3\u{2069}")
        #expect(french.text("no.such.key") == "no.such.key")
    }

    static func placeholders(_ text: String) -> Set<String> {
        Set(matches(of: #"\{([a-z]+)\}"#, in: text))
    }

    static func matches(of pattern: String, in text: String) -> [String] {
        let expression = try! NSRegularExpression(pattern: pattern)
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
