/// What protection figures add up beside people by group: people by sex and age where
/// the team could observe it, people counted without that breakdown, unaccompanied or
/// separated children, and vehicles by kind. Counts, never anyone's identity.
public enum ProtectionMeasure: String, Hashable, Sendable, CaseIterable, Codable {
    case femaleChildren
    case femaleAdults
    case femaleElderly
    case maleChildren
    case maleAdults
    case maleElderly
    /// People counted with no breakdown by sex and age.
    case withoutBreakdown
    case unaccompaniedChildren
    case cars
    case buses
    case ambulances
}

/// One measure at one checkpoint in one direction: what a protection rollup keeps.
public struct ProtectionLine: Hashable, Sendable {
    public var checkpointID: Checkpoint.ID
    public var direction: Direction
    public var measure: ProtectionMeasure

    public init(checkpointID: Checkpoint.ID, direction: Direction, measure: ProtectionMeasure) {
        self.checkpointID = checkpointID
        self.direction = direction
        self.measure = measure
    }
}

/// A protection line in one quarter-hour: the cell a rollup keeps.
public struct ProtectionKey: Hashable, Sendable {
    public var line: ProtectionLine
    public var quarter: QuarterHour

    public init(line: ProtectionLine, quarter: QuarterHour) {
        self.line = line
        self.quarter = quarter
    }
}

extension Tally {
    /// What the tally counts of each measure, over all its groups.
    public var protectionCounts: [ProtectionMeasure: Int] {
        var totals: [ProtectionMeasure: Int] = [:]
        for count in counts {
            if let breakdown = count.breakdown {
                totals[.femaleChildren, default: 0] += breakdown.female.children
                totals[.femaleAdults, default: 0] += breakdown.female.adults
                totals[.femaleElderly, default: 0] += breakdown.female.elderly
                totals[.maleChildren, default: 0] += breakdown.male.children
                totals[.maleAdults, default: 0] += breakdown.male.adults
                totals[.maleElderly, default: 0] += breakdown.male.elderly
            } else {
                totals[.withoutBreakdown, default: 0] += count.people
            }
            totals[.unaccompaniedChildren, default: 0] += count.unaccompaniedChildren ?? 0
        }
        totals[.cars, default: 0] += vehicles.cars
        totals[.buses, default: 0] += vehicles.buses
        totals[.ambulances, default: 0] += vehicles.ambulances
        return totals.filter { $0.value > 0 }
    }

    /// Each measure by the quarter-hours the interval covers, spread as `flow` spreads
    /// people, so that a day's protection figures add up with its flow.
    public var protection: [ProtectionKey: Int] {
        var cells: [ProtectionKey: Int] = [:]
        for (measure, amount) in protectionCounts {
            let line = ProtectionLine(checkpointID: checkpointID, direction: direction, measure: measure)
            for (quarter, share) in spread(amount) {
                cells[ProtectionKey(line: line, quarter: quarter), default: 0] += share
            }
        }
        return cells
    }
}
