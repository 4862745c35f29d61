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
                // Spaces around each group, so that the form's filter matches whole names.
                let groups = " " + corridor.allowedGroups.sorted().map(\.rawValue).joined(separator: " ") + " "
                return "          <item><name>\(checkpoint.id)</name><label>"
                    + XMLText.escaped("\(corridor.code) · \(checkpoint.name)")
                    + "</label><groups>\(groups)</groups></item>"
            }
        }
        let body = template.replacingOccurrences(of: "{{title}}", with: XMLText.escaped(name))
            .replacingOccurrences(of: "{{formID}}", with: formID)
            .replacingOccurrences(of: "{{checkpoints}}", with: items.joined(separator: "\n"))
        version = SHA256.hash(data: Data(body.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
        xml = Data(body.replacingOccurrences(of: "{{version}}", with: version).utf8)
    }
}
