import CouloirDomain
import CouloirStorage

/// What a write returns that holds the record it changed, as the audit log digests it.
protocol AuditedResult: Sendable {
    associatedtype Record: Identifiable & Encodable where Record.ID: CustomStringConvertible
    var auditedRecord: Record { get }
}

extension Versioned: AuditedResult where Record: Identifiable & Encodable, Record.ID: CustomStringConvertible {
    var auditedRecord: Record { record }
}

extension StoredUser: AuditedResult {
    var auditedRecord: User { user }
}

extension StoredToken: AuditedResult {
    var auditedRecord: AccessToken { token }
}
