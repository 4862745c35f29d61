/// Who may use a corridor, and who is counted crossing it.
public enum Group: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
    /// Residents leaving.
    case civilians
    /// People evacuated for medical reasons.
    case sickAndWounded
    /// Members of armed groups leaving under an agreement.
    case fighters
    /// Staff and vehicles of humanitarian organisations.
    case humanitarianConvoy

    public static func < (lhs: Group, rhs: Group) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
