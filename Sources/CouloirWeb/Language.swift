import Foundation

/// A language the pages are written in: each has its catalogue of messages, its
/// direction and the locale its numbers and dates are formatted in.
public enum Language: String, CaseIterable, Sendable {
    case en, fr, ar

    /// The cookie that keeps the language a user chose.
    static let cookie = "couloir_lang"

    /// `rtl` for Arabic: the layout mirrors through CSS logical properties.
    var direction: String { self == .ar ? "rtl" : "ltr" }

    /// The locale of numbers, dates and times; Arabic as written in Syria, where the
    /// demo's operations lie, with Arabic-Indic digits.
    var locale: Locale {
        switch self {
        case .en: Locale(identifier: "en_GB")
        case .fr: Locale(identifier: "fr_FR")
        case .ar: Locale(identifier: "ar_SY")
        }
    }

    /// The language chosen: the cookie's when it names one, else the first of
    /// `Accept-Language` (by quality, RFC 9110) that Couloir speaks, else English.
    static func chosen(cookie: String?, acceptLanguage: String?) -> Language {
        if let cookie, let language = Language(rawValue: cookie) { return language }
        return acceptLanguage.flatMap(negotiate) ?? .en
    }

    static func negotiate(_ header: String) -> Language? {
        let ranges = header.split(separator: ",").prefix(32).enumerated().compactMap {
            (index, part) -> (tag: Substring, quality: Double, index: Int)? in
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = fields.first, !tag.isEmpty else { return nil }
            var quality = 1.0
            for parameter in fields.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            return (Substring(tag.lowercased()), quality, index)
        }
        let ordered = ranges.filter { $0.quality > 0 }.sorted {
            $0.quality != $1.quality ? $0.quality > $1.quality : $0.index < $1.index
        }
        for range in ordered {
            let primary = range.tag.split(separator: "-").first.map(String.init) ?? ""
            if let language = Language(rawValue: primary) { return language }
        }
        return nil
    }
}
