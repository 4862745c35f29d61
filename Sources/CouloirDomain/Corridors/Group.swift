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

    /// Whether people of this group lived in the sector they leave, and so count against
    /// its population: everyone but humanitarian staff, who came in to help.
    public var isResident: Bool { self != .humanitarianConvoy }

    public static func < (lhs: Group, rhs: Group) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
