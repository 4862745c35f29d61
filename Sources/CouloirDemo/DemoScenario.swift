public import CouloirDomain

/// Everything the demo database holds, as domain values: two operations drawn from two
/// French press reports on Aleppo in 2016 (`shared/scenario/`).
///
/// Quoted statements, their attribution and dates come from the reports. What the
/// reports do not say (polygons, corridor routes and names, checkpoint teams,
/// population splits, counts of people crossing) is made up and carries
/// `illustrative: true` in its source, so that no one can take it for an observation.
public struct DemoScenario: Sendable {
    public var operations: [EvacuationOperation] = []
    public var parties: [Party] = []
    public var sectors: [Sector] = []
    public var corridors: [Corridor] = []
    public var pauses: [Pause] = []
    public var tallies: [Tally] = []
    public var incidents: [Incident] = []
    public var claims: [Claim] = []

    public init() {}

    /// The whole demo: Aleppo in October 2016, and the Palmyra report of December 2016.
    public static func aleppo2016() -> DemoScenario {
        var scenario = DemoScenario()
        var ids = DemoIDs(seed: 2016)
        let aleppo = AleppoOctober2016(ids: &ids)
        aleppo.add(to: &scenario, ids: &ids)
        Palmyra2016.add(to: &scenario, ids: &ids)
        return scenario
    }
}
