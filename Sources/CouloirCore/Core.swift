import CouloirDomain
public import CouloirStorage
public import Foundation

/// Every action Couloir offers, once for all its faces (the JSON API, the web pages,
/// the field form, OpenRosa).
///
/// Each action takes the acting principal and domain values, decides access from
/// `Policy.table` and how the records stand to the principal (`OperationAccess`), reads
/// what the decision needs, and calls storage. It throws `CoreError` for what access
/// and versions refuse, `DomainError` for invalid records and `StorageError` for what
/// storage refuses; a face maps each once and decides nothing itself.
public struct Core<Store: Repository>: Sendable {
    /// The repositories, acting for nobody: reads, and the base of `store(for:)`.
    let base: Store
    /// The clock that says when "now" is for statuses, transitions and figures.
    public let now: @Sendable () -> Date

    public init(store: Store, now: @escaping @Sendable () -> Date) {
        base = store
        self.now = now
    }

    /// The repositories writing in `principal`'s name: what it creates belongs to it and
    /// its organisation, and the audit log names it.
    func store(for principal: Principal) -> Store {
        base.acting(as: principal)
    }
}
