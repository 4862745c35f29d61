import CouloirDomain
import Foundation
import Testing

func instant(_ text: String) -> Date {
    try! Date(text, strategy: .iso8601)
}

let testSource = Source(name: "Test monitor", kind: .monitor)

/// An operation with one sector, corridor and checkpoint, for checks that need references.
struct Fixture {
    let operation = EvacuationOperation(
        name: "Test", area: "Test city", timeZoneIdentifier: "Asia/Damascus", languages: ["en"])
    let party: Party
    let origin: Sector
    let destination: Sector
    let corridor: Corridor
    let checkpoint = Checkpoint(name: "Gate", location: Point(longitude: 37.15, latitude: 36.2))

    init() {
        party = Party(operationID: operation.id, name: "Forces", kind: .belligerent)
        let ring = [
            Position(longitude: 37.1, latitude: 36.1), Position(longitude: 37.2, latitude: 36.1),
            Position(longitude: 37.2, latitude: 36.2), Position(longitude: 37.1, latitude: 36.1),
        ]
        origin = Sector(operationID: operation.id, name: "East", boundary: Polygon(exterior: ring))
        destination = Sector(operationID: operation.id, name: "West", boundary: Polygon(exterior: ring))
        corridor = Corridor(
            operationID: operation.id, code: "C1", name: "Road", originSectorID: origin.id,
            destinationSectorID: destination.id,
            route: LineString([Position(longitude: 37.15, latitude: 36.15), Position(longitude: 37.1, latitude: 36.15)]
            ),
            allowedGroups: [.civilians], checkpoints: [checkpoint], source: testSource)
    }

    var index: OperationIndex {
        OperationIndex(
            operationID: operation.id, parties: [party.id], sectors: [origin.id, destination.id],
            corridors: [corridor.id], checkpoints: [checkpoint.id])
    }

    func tally(
        start: String = "2016-10-20T08:00:00+03:00", end: String = "2016-10-20T09:00:00+03:00",
        counts: [GroupCount] = [GroupCount(group: .civilians, people: 10)]
    ) -> Tally {
        Tally(
            operationID: operation.id, checkpointID: checkpoint.id,
            interval: Interval(start: instant(start), end: instant(end)), direction: .outbound, counts: counts,
            source: testSource)
    }

    func pause(windows: [PauseWindow]) -> Pause {
        Pause(
            operationID: operation.id, name: "Pause", windows: windows, corridorIDs: [corridor.id],
            proposedAt: instant("2016-10-01T00:00:00+03:00"), source: testSource)
    }
}

/// The pointers of the issues `body` throws, or none.
func issuePointers(_ body: () throws -> Void) -> [String] {
    do {
        try body()
        return []
    } catch let error as DomainError {
        return error.issues.map(\.pointer)
    } catch {
        return ["unexpected \(error)"]
    }
}
