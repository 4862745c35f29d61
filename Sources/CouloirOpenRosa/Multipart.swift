public import Foundation

/// The parts of a `multipart/form-data` body (RFC 7578), as ODK Collect sends a
/// submission: the instance in `xml_submission_file`, then any attachments.
public struct Multipart: Sendable {
    public struct Part: Sendable {
        public var name: String?
        public var fileName: String?
        public var body: Data
    }

    public var parts: [Part]

    /// The boundary of a `multipart/form-data` content type; `nil` for any other type.
    public static func boundary(ofContentType contentType: String) -> String? {
        let fields = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let type = fields.first, type.lowercased() == "multipart/form-data" else { return nil }
        for field in fields.dropFirst() {
            let pair = field.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    /// The parts of `body`; `nil` when it is not a well-formed multipart body or holds
    /// more than `maximumParts` (a submission is its instance and a few attachments:
    /// thousands of empty parts only cost the parser).
    public init?(body: Data, boundary: String, maximumParts: Int) {
        let delimiter = Data("--\(boundary)".utf8)
        let lineBreak = Data("\r\n".utf8)
        guard let first = body.range(of: delimiter) else { return nil }
        var parts: [Part] = []
        var cursor = first.upperBound
        while true {
            // After a delimiter: "--" ends the body, a line break starts a part.
            if body[cursor...].starts(with: Data("--".utf8)) { break }
            guard body[cursor...].starts(with: lineBreak) else { return nil }
            cursor += lineBreak.count
            guard let headerEnd = body.range(of: Data("\r\n\r\n".utf8), in: cursor..<body.endIndex),
                let next = body.range(of: lineBreak + delimiter, in: headerEnd.upperBound..<body.endIndex),
                let headers = String(data: body[cursor..<headerEnd.lowerBound], encoding: .utf8)
            else { return nil }
            var part = Part(body: Data(body[headerEnd.upperBound..<next.lowerBound]))
            for line in headers.components(separatedBy: "\r\n")
            where line.lowercased().hasPrefix("content-disposition:") {
                part.name = Self.parameter("name", in: line)
                part.fileName = Self.parameter("filename", in: line)
            }
            parts.append(part)
            guard parts.count <= maximumParts else { return nil }
            cursor = next.upperBound
        }
        self.parts = parts
    }

    /// The first part named `name`.
    public func part(named name: String) -> Part? {
        parts.first { $0.name == name }
    }

    private static func parameter(_ name: String, in line: String) -> String? {
        for field in line.split(separator: ";").dropFirst() {
            let pair = field.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
