import CouloirAudit
import CouloirDomain
import CouloirStorage
import Crypto
import Foundation

extension Tally {
    /// The tally's content written one way, line by line: what its audit digest hashes.
    /// Tallies arrive by the thousand, and this costs a fraction of encoding them as
    /// JSON; every other record's digest is its JSON with sorted keys. Free text is
    /// written as its UTF-8 length, a colon and itself, so no text can pass for another.
    ///
    ///     couloir-tally-v1
    ///     <id> / <operation id> / <checkpoint id>        (one a line)
    ///     <start> <end>                                  (milliseconds since 1970, UTC)
    ///     <direction>
    ///     <group> <people> <female children adults elderly> <male …> <unaccompanied>;…
    ///     <cars> <buses> <ambulances>
    ///     <supersedes or ->
    ///     <source kind> <illustrative 0|1> <name> <reference or ->
    var auditText: String {
        func text(_ value: String) -> String { "\(value.utf8.count):\(value)" }
        func number(_ value: Int?) -> String { value.map(String.init) ?? "-" }
        let counts = counts.sorted { $0.group < $1.group }.map { count in
            let bands = [count.breakdown?.female, count.breakdown?.male].map { band in
                band.map { "\($0.children) \($0.adults) \($0.elderly)" } ?? "- - -"
            }
            return
                "\(count.group.rawValue) \(count.people) \(bands[0]) \(bands[1]) \(number(count.unaccompaniedChildren))"
        }
        return [
            "couloir-tally-v1", id.description, operationID.description, checkpointID.description,
            "\(Columns.millis(interval.start)) \(Columns.millis(interval.end))", direction.rawValue,
            counts.joined(separator: ";"), "\(vehicles.cars) \(vehicles.buses) \(vehicles.ambulances)",
            supersedes?.description ?? "-",
            "\(source.kind.rawValue) \(source.illustrative ? 1 : 0) \(text(source.name)) \(source.reference.map(text) ?? "-")",
        ].joined(separator: "\n")
    }

    /// The SHA-256 of `auditText`, in lowercase hex.
    var auditDigest: String {
        Data(SHA256.hash(data: Data(auditText.utf8))).hex
    }
}

extension AuditChange {
    /// A stored tally whose `auditDigest` is `digest`, as the audit log records it.
    init(created tally: Tally, digest: String, actor: Actor) {
        action = "create"
        kind = "tally"
        id = tally.id.description
        operationID = tally.operationID.description
        after = digest
        self.actor = actor
    }
}
