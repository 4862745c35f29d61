public import CouloirCore
import CouloirDomain
import Crypto
public import Foundation

/// The tally form of one operation, for one device: `tally.xform.xml` with the
/// checkpoints it counts at, each with the groups its corridor allows.
public struct TallyForm: Sendable {
    public let formID: String
    public let name: String
    /// Changes whenever the form's bytes do, as Collect expects of a new version.
    public let version: String
    /// The exact bytes served.
    public let xml: Data

    /// `md5:` and the hex MD5 of `xml`, as the Form List API has it.
    public var hash: String {
        "md5:" + Insecure.MD5.hash(data: xml).map { String(format: "%02x", $0) }.joined()
    }

    static let formIDPrefix = "couloir-tally-"

    /// The operation a form id names; `nil` for another form's id.
    static func operationID(inFormID formID: String) -> EvacuationOperation.ID? {
        guard formID.hasPrefix(formIDPrefix) else { return nil }
        return EvacuationOperation.ID(String(formID.dropFirst(formIDPrefix.count)))
    }

    /// `tally.xform.xml`, read once: every form list and download fills it in.
    private static let template: String? = Bundle.module.url(forResource: "tally.xform", withExtension: "xml")
        .flatMap { try? String(contentsOf: $0, encoding: .utf8) }

    public init(places: CountingPlaces) throws {
        guard let template = Self.template else { throw CocoaError(.fileNoSuchFile) }
        formID = Self.formIDPrefix + places.operation.id.description
        name = "Tallies · " + places.operation.name
        let items = places.corridors.flatMap { corridor in
            corridor.checkpoints.map { checkpoint in
                // A space-separated list, as `selected()` in the form's filter reads it.
                let groups = corridor.allowedGroups.sorted().map(\.rawValue).joined(separator: " ")
                return "          <item><name>\(checkpoint.id)</name><label>"
                    + XMLText.escaped("\(corridor.code) · \(checkpoint.name)")
                    + "</label><groups>\(groups)</groups></item>"
            }
        }
        var values = [
            "title": XMLText.escaped(name), "formID": formID, "checkpoints": items.joined(separator: "\n"),
            "version": "",
        ]
        let unversioned = Self.fill(template, with: values)
        version = SHA256.hash(data: Data(unversioned.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
        values["version"] = version
        xml = Data(Self.fill(template, with: values).utf8)
    }

    /// `template` with each `{{name}}` replaced by its value, in one pass: a value that
    /// holds `{{…}}` itself (an operation named so) is written as it is, never filled in.
    static func fill(_ template: String, with values: [String: String]) -> String {
        var filled = ""
        var rest = template[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            filled += rest[..<open.lowerBound]
            let name = String(rest[open.upperBound..<close.lowerBound])
            filled += values[name] ?? String(rest[open.lowerBound..<close.upperBound])
            rest = rest[close.upperBound...]
        }
        return filled + rest
    }
}
