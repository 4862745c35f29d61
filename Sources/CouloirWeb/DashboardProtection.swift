import CouloirCore
import CouloirDomain
import Foundation

/// The dashboard's protection figures, from the rollups as the core adds them up:
/// people counted leaving by sex and age where the team could tell (and how many
/// without), unaccompanied or separated children, the sick and wounded, and vehicles;
/// each day of the charts' span for all corridors, then the instant's day corridor by
/// corridor. Counts only: nobody crossing is named.
extension WebFace {
    func protectionView(
        _ operation: EvacuationOperation, span: ClosedRange<Date>, at instant: Date, visit: Visit, formats: Formats
    ) async throws -> [String: Any]? {
        let clock = ZonedClock(operation.timeZone)
        let until = min(instant, span.upperBound)
        guard span.lowerBound < until else { return nil }
        let figures: ProtectionFigures
        do {
            // A pause longer than a request of protection figures shows its last days.
            let earliest = clock.localDate(of: until).adding(days: 1 - Core<Store>.protectionDays)
            figures = try await core.protection(
                in: operation.id, from: max(earliest, clock.localDate(of: span.lowerBound)), until: until,
                as: visit.principal)
        } catch CoreError.forbidden, CoreError.forbiddenAction {
            return nil
        }
        guard let last = figures.days.last else { return nil }
        func values(_ lines: [ProtectionFigures.Line]) -> [String] {
            let people = lines.reduce(0) { $0 + $1.people }
            let sick = lines.reduce(0) { $0 + $1.sickAndWounded }
            return
                ([people, sick]
                + ProtectionMeasure.allCases.map { measure in lines.reduce(0) { $0 + ($1.measures[measure] ?? 0) } })
                .map(formats.number)
        }
        let dayLabel = { (date: LocalDate) in formats.day(clock.instant(on: date, at: LocalTime(hour: 12)!)) }
        let counted = last.lines.filter { $0.people > 0 || !$0.measures.isEmpty }
        return [
            "explained": visit.text("protection.explained", ["at": formats.instant(figures.countedThrough)]),
            "byDay": [
                "caption": visit.text("protection.by_day"), "rowHeader": visit.text("protection.day"),
                "rows": figures.days.map { ["label": dayLabel($0.date), "values": values($0.lines)] as [String: Any] },
            ] as [String: Any],
            "byCorridor": [
                "caption": visit.text("protection.by_corridor", ["day": dayLabel(last.date)]),
                "rowHeader": visit.text("protection.corridor"),
                "rows": counted.map { ["label": $0.corridor.code, "values": values([$0])] as [String: Any] },
                "empty": counted.isEmpty,
            ] as [String: Any],
            "basis": basisLine(
                figures.basis, checkpoints: figures.countedCheckpoints, visit: visit, formats: formats),
        ]
    }
}
