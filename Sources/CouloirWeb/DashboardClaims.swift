import CouloirCore
import CouloirDomain
import Foundation

/// The claims made on the day shown, up to the instant, each beside Couloir's own
/// figure for the same thing where it has one: people counted leaving, people
/// remaining by the estimates, corridors open.
extension WebFace {
    func claimsOfTheDay(
        _ operation: EvacuationOperation, at instant: Date, counted: [Checkpoint.ID: Int],
        corridors: [CorridorAtInstant], parties: [Party.ID: String], remaining: Ranged<Int>?, visit: Visit,
        formats: Formats
    ) async throws -> [[String: Any]] {
        let clock = ZonedClock(operation.timeZone)
        let day = clock.localDate(of: instant)
        let base = "/operations/\(operation.id)"
        // A corridor's people are those its first checkpoint counted, as the figures count them.
        let firsts = corridors.compactMap(\.corridor.checkpoints.first?.id)
        let evacuated = firsts.allSatisfy { counted[$0] != nil } ? firsts.compactMap { counted[$0] }.reduce(0, +) : nil
        return try await core.claims(in: operation.id, as: visit.principal)
            .filter { $0.madeAt <= instant && clock.localDate(of: $0.madeAt) == day }
            .sorted { $0.madeAt < $1.madeAt }
            .map { claim in
                var row = claimRow(claim, base: base, parties: parties, formats: formats, visit: visit)
                switch claim.kind {
                case .peopleEvacuated:
                    row["ours"] = evacuated.map {
                        visit.text("dashboard.ours_evacuated", ["n": formats.number($0)])
                    }
                case .peopleRemaining:
                    row["ours"] = remaining.map {
                        visit.text(
                            "dashboard.ours_remaining",
                            ["low": formats.number($0.low), "high": formats.number($0.high)])
                    }
                case .corridorsOpen:
                    row["ours"] = visit.text(
                        "dashboard.ours_open",
                        ["n": formats.number(corridors.filter { $0.status.state == .open }.count)])
                case .controlShare, .statement:
                    break
                }
                if row["ours"] == nil { row["ours"] = visit.text("dashboard.ours_none") }
                return row
            }
    }
}
