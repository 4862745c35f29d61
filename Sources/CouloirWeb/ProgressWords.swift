import CouloirCore
import CouloirDomain
import Foundation

/// Each sector's progress as the dashboard states it, in words as well as figures:
/// who remains (with the estimate's range), the rate over the last hour, the hours
/// needed at that rate and at the corridors' capacity, and whether the active pause's
/// windows suffice.
extension WebFace {
    func progressRows(_ operation: EvacuationOperation, at instant: Date, visit: Visit, formats: Formats)
        async throws -> [[String: Any]]?
    {
        let figures: ProgressFigures
        do {
            figures = try await core.progress(
                in: operation.id, ProgressQuery(at: instant, windowQuarters: 4), as: visit.principal)
        } catch CoreError.forbidden, CoreError.forbiddenAction {
            return nil
        }
        return figures.sectors.map { progress, name in
            var row: [String: Any] = [
                "name": name, "out": formats.number(progress.netOutflow),
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
                "dashboard.pause_left",
                ["hours": hours(pause.hoursLeft), "windows": formats.number(pause.windowsLeft)]))
        if let suffices = pause.atCurrentRate.suffices {
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
