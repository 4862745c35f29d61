public import Foundation

/// Every visible string of the pages in one language, read from `Messages/<lang>.json`:
/// nested objects of strings, addressed as `section.key`. Templates name keys only;
/// a message with a `{name}` placeholder is filled in by `text(_:_:)`.
public struct Catalogue: Sendable {
    public let language: Language
    /// The messages by dotted key.
    public let messages: [String: String]
    /// The same, nested as in the file, for templates to address as `t.section.key`.
    let tree: [String: any Sendable]

    public init(language: Language, json: Data) throws {
        guard let object = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw CatalogueError.notAnObject(language)
        }
        self.language = language
        var flat: [String: String] = [:]
        self.tree = try Self.read(object, prefix: "", into: &flat, language: language)
        self.messages = flat
    }

    private static func read(
        _ object: [String: Any], prefix: String, into flat: inout [String: String], language: Language
    ) throws -> [String: any Sendable] {
        var tree: [String: any Sendable] = [:]
        for (key, value) in object {
            let path = prefix.isEmpty ? key : prefix + "." + key
            if let text = value as? String {
                flat[path] = text
                tree[key] = text
            } else if let nested = value as? [String: Any] {
                tree[key] = try read(nested, prefix: path, into: &flat, language: language)
            } else {
                throw CatalogueError.notText(language, path)
            }
        }
        return tree
    }

    /// The message at `key` with each `{name}` replaced by `values[name]`, isolated
    /// (Unicode FSI … PDI) so that a name in one script inside a sentence in another
    /// keeps its order and the sentence's punctuation its place; a missing key reads as
    /// the key itself, which the catalogue tests make impossible.
    public func text(_ key: String, _ values: [String: String] = [:]) -> String {
        var text = messages[key] ?? key
        for (name, value) in values {
            text = text.replacingOccurrences(of: "{" + name + "}", with: "\u{2068}" + value + "\u{2069}")
        }
        return text
    }

    /// The catalogues shipped with Couloir, one per language.
    public static func bundled() throws -> [Language: Catalogue] {
        var catalogues: [Language: Catalogue] = [:]
        for language in Language.allCases {
            guard
                let url = Bundle.module.url(
                    forResource: language.rawValue, withExtension: "json", subdirectory: "Messages")
            else { throw CatalogueError.missing(language) }
            catalogues[language] = try Catalogue(language: language, json: Data(contentsOf: url))
        }
        return catalogues
    }
}

public enum CatalogueError: Error, CustomStringConvertible {
    case missing(Language)
    case notAnObject(Language)
    case notText(Language, String)

    public var description: String {
        switch self {
        case .missing(let language): "no message catalogue for \(language.rawValue)"
        case .notAnObject(let language): "the \(language.rawValue) catalogue is not a JSON object"
        case .notText(let language, let key): "\(language.rawValue) catalogue: \(key) is neither text nor an object"
        }
    }
}
