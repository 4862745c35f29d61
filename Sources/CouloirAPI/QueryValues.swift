import CouloirCore
import CouloirDomain
import Foundation

/// Query parameters as domain values.
func queryID<T>(_ text: String?, name: String) throws -> Identifier<T>? {
    guard let text else { return nil }
    guard let id = Identifier<T>(text) else { throw BadParameter(name: name, reason: "is not a UUID") }
    return id
}

/// Whether `instant` lies in [from, until), either end open when absent.
func within(_ instant: Date, from: Date?, until: Date?) -> Bool {
    (from.map { instant >= $0 } ?? true) && (until.map { instant < $0 } ?? true)
}
