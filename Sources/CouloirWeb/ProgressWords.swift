import CouloirCore
import CouloirDomain
import Foundation

/// Each sector's progress as the dashboard states it, in words as well as figures:
/// who remains (with the estimate's range), the rate over the last hour, the hours
/// needed at that rate and at the corridors' capacity, and whether the active pause's
/// windows suffice.
extension WebFace {
    /// The progress section's view, and the people remaining over every estimated
    /// sector (for the claims beside it); nil for a user who may not read figures.
    func progressRows(_ operation: EvacuationOperation, at instant: Date, visit: Visit, formats: Formats)
        async throws -> (view: [String: Any], remaining: Ranged<Int>?)?
    {
        let figures: ProgressFigures
        do {
            figures = try await core.progress(
                in: operation.id, ProgressQuery(at: instant, windowQuarters: 4), as: visit.principal)
        } catch CoreError.forbidden, CoreError.forbiddenAction {
            return nil
        }
        let rows = figures.sectors.map { progress, name in
            var row: [String: Any] = [
                "name": name, "id": progress.sectorID.description, "out": formats.number(progress.netOutflow),
                "rate": formats.number(Int(progress.ratePerHour.rounded())),
            ]
            row["sentences"] = Self.sentences(progress, visit: visit, formats: formats)
            if let remaining = progress.remaining {
                row["remaining"] = visit.text(
                    "sector.population_range",
                    [
                        "value": formats.number(remaining.value), "low": formats.number(remaining.low),
                        "high": formats.number(remaining.high),
                    ])
            } else {
                row["remaining"] = visit.text("dashboard.no_estimate")
            }
            return row
        }
        let estimated = figures.sectors.compactMap(\.progress.remaining)
        let remaining =
            estimated.isEmpty
            ? nil
            : Ranged(
                value: estimated.map(\.value).reduce(0, +), low: estimated.map(\.low).reduce(0, +),
                high: estimated.map(\.high).reduce(0, +))
        return (
            [
                "rows": rows,
                "basis": basisLine(
                    figures.basis, checkpoints: figures.countedCheckpoints, visit: visit, formats: formats),
            ],
            remaining
        )
    }

    /// What a figure rests on, as a details line (rule 3): the tallies that count, the
    /// corrections, the illustrative ones, and when the last arrived.
    func basisLine(_ basis: TallyBasis, checkpoints: Int, visit: Visit, formats: Formats) -> String {
        var line = visit.text(
            "dashboard.basis",
            [
                "effective": formats.number(basis.effective), "checkpoints": formats.number(checkpoints),
                "superseded": formats.number(basis.superseded), "illustrative": formats.number(basis.illustrative),
            ])
        if let last = basis.lastReceivedAt {
            line += " " + visit.text("dashboard.last_received", ["at": formats.instant(last)])
        }
        return line
    }

    /// The sentences of one sector's progress, in the page's language.
    static func sentences(_ progress: SectorProgress, visit: Visit, formats: Formats) -> [String] {
        func hours(_ value: Double) -> String { formats.number(Int(value.rounded(.up))) }
        var sentences: [String] = []
        if progress.estimateExceeded {
            sentences.append(visit.text("dashboard.estimate_exceeded"))
            return sentences
        }
        if let remaining = progress.remaining, remaining.high == 0 {
            sentences.append(visit.text("dashboard.all_out"))
            return sentences
        }
        if progress.ratePerHour <= 0 {
            sentences.append(visit.text("dashboard.nobody_left"))
        } else if let needed = progress.hoursToEvacuate {
            sentences.append(
                visit.text(
                    "dashboard.at_rate",
                    [
                        "rate": formats.number(Int(progress.ratePerHour.rounded())), "low": hours(needed.low),
                        "high": hours(needed.high),
                    ]))
        }
        guard let pause = progress.pause else {
            sentences.append(visit.text("dashboard.no_pause"))
            return sentences
        }
        sentences.append(
            visit.text(
                pause.isSuspended ? "dashboard.pause_suspended" : "dashboard.pause_left",
                ["hours": hours(pause.hoursLeft), "windows": formats.number(pause.windowsLeft)]))
        // Whether a suspended pause's windows would suffice says nothing until it resumes.
        if !pause.isSuspended, let suffices = pause.atCurrentRate.suffices {
            let key =
                suffices.high ? "dashboard.suffices" : suffices.low ? "dashboard.suffices_low" : "dashboard.falls_short"
            sentences.append(visit.text(key))
        }
        if let capacity = pause.atCapacity, capacity.peoplePerHour > 0, let remaining = progress.remaining {
            sentences.append(
                visit.text(
                    "dashboard.at_capacity",
                    [
                        "capacity": formats.number(Int(capacity.peoplePerHour.rounded())),
                        "low": hours(Double(remaining.low) / capacity.peoplePerHour),
                        "high": hours(Double(remaining.high) / capacity.peoplePerHour),
                    ]))
        } else {
            sentences.append(visit.text("dashboard.no_capacity"))
        }
        return sentences
    }
}
