import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Figures over HTTP: they move with each acknowledged tally and correction, and refuse
/// questions they cannot answer.
@Suite("Figure routes")
struct FigureRoutesTests {
    static let flow = "\(ResourceRoutesTests.operation)/figures/flow"
    static let progress = "\(ResourceRoutesTests.operation)/figures/progress"

    struct FlowReport: Decodable {
        struct Series: Decodable {
            let checkpointId: String?
            let direction: String?
            let total: Int
        }
        struct Basis: Decodable { let received, effective, superseded: Int }
        struct Source: Decodable { let illustrative: Bool? }
        let series: [Series]
        let basis: Basis
        let source: Source
    }

    func outboundAtCheckpoint(_ client: some TestClientProtocol) async throws -> (Int, FlowReport.Basis) {
        let uri =
            "\(Self.flow)?bucket=quarterHour&from=2016-10-20T09:00:00%2B03:00&until=2016-10-20T10:00:00%2B03:00"
            + "&groupBy=checkpoint&groupBy=direction&checkpointId=\(TallyRoutesTests.checkpoint)"
        let response = try await client.json(uri, .get)
        #expect(response.status == .ok)
        let report = try JSONDecoder().decode(FlowReport.self, from: response.body)
        #expect(report.source.illustrative == true)  // the demo's tallies are made up
        let outbound = report.series.filter { $0.direction == "outbound" }
        #expect(outbound.count == 1 && outbound[0].checkpointId == TallyRoutesTests.checkpoint)
        return (outbound.first?.total ?? -1, report.basis)
    }

    @Test func aTallyAndThenItsCorrectionMoveTheFlowByWhatTheyCount() async throws {
        try await withDemo { client in
            let (before, basis) = try await outboundAtCheckpoint(client)
            let original = UUID()
            #expect(
                try await client.json(TallyRoutesTests.tallies, .post, TallyRoutesTests.body(id: original, people: 40))
                    .status == .created)
            #expect(try await outboundAtCheckpoint(client).0 == before + 40)
            let correction = TallyRoutesTests.body(id: UUID(), people: 35, supersedes: original)
            #expect(try await client.json(TallyRoutesTests.tallies, .post, correction).status == .created)
            let (after, newBasis) = try await outboundAtCheckpoint(client)
            #expect(after == before + 35)
            #expect(newBasis.received == basis.received + 2)
            #expect(newBasis.effective == basis.effective + 1)
            #expect(newBasis.superseded == basis.superseded + 1)
            // A replay of the original changes nothing.
            let replay = TallyRoutesTests.body(id: original, people: 40)
            #expect(try await client.json(TallyRoutesTests.tallies, .post, replay).status == .ok)
            #expect(try await outboundAtCheckpoint(client).0 == before + 35)
        }
    }

    struct ProtectionReport: Decodable {
        struct Day: Decodable {
            struct Line: Decodable {
                struct Bands: Decodable { let children, adults, elderly: Int }
                let people: Int
                let female, male: Bands
                let withoutBreakdown: Int
            }
            let date: String
            let corridors: [Line]
        }
        let days: [Day]
    }

    /// The day's protection figures over every corridor: people, girls under 18, men 18 to 59.
    func protection(_ client: some TestClientProtocol) async throws -> (people: Int, girls: Int, men: Int) {
        let response = try await client.json(
            "\(ResourceRoutesTests.operation)/figures/protection?from=2016-10-20&until=2016-10-20T10:00:00%2B03:00",
            .get)
        #expect(response.status == .ok)
        let report = try JSONDecoder().decode(ProtectionReport.self, from: response.body)
        #expect(report.days.map(\.date) == ["2016-10-20"])
        let lines = report.days.flatMap(\.corridors)
        return (
            lines.reduce(0) { $0 + $1.people }, lines.reduce(0) { $0 + $1.female.children },
            lines.reduce(0) { $0 + $1.male.adults }
        )
    }

    @Test func protectionFiguresMoveWithATallyAndItsCorrectionAndRefuseAnImpossibleSpan() async throws {
        try await withDemo { client in
            let before = try await protection(client)
            let original = UUID()
            // 40 people: 10 girls under 18, 10 men 18 to 59.
            #expect(
                try await client.json(TallyRoutesTests.tallies, .post, TallyRoutesTests.body(id: original, people: 40))
                    .status == .created)
            var after = try await protection(client)
            #expect(after == (before.people + 40, before.girls + 10, before.men + 10))
            // Corrected to 35: 5 men, and the rest as before.
            let correction = TallyRoutesTests.body(id: UUID(), people: 35, supersedes: original)
            #expect(try await client.json(TallyRoutesTests.tallies, .post, correction).status == .created)
            after = try await protection(client)
            #expect(after == (before.people + 35, before.girls + 10, before.men + 5))

            let base = "\(ResourceRoutesTests.operation)/figures/protection"
            for query in [
                "from=2016-10-21&until=2016-10-20T10:00:00%2B03:00",
                "from=2016-09-01&until=2016-10-20T10:00:00%2B03:00",
            ] {
                let refused = try await client.json("\(base)?\(query)", .get)
                #expect(refused.status == .unprocessableContent, "\(query)")
                #expect(String(buffer: refused.body).contains(#""pointer":"from""#), "\(query)")
            }
            #expect(try await client.json("\(base)?from=20-10-2016", .get).status.code / 100 == 4)
        }
    }

    @Test func progressAnswersForEverySectorAndRefusesAWindowOfPartQuarters() async throws {
        try await withDemo { client in
            let ok = try await client.json("\(Self.progress)?at=2016-10-21T10:00:00%2B03:00&windowMinutes=120", .get)
            #expect(ok.status == .ok)
            let sectors = try JSONSerialization.jsonObject(with: Data(buffer: ok.body)) as? [String: Any]
            #expect((sectors?["sectors"] as? [Any])?.isEmpty == false)
            for (query, name) in [
                ("windowMinutes=20", "windowMinutes"), ("windowMinutes=0", "windowMinutes"),
                ("sectorId=nope", "sectorId"),
            ] {
                let refused = try await client.json("\(Self.progress)?\(query)", .get)
                #expect([.badRequest, .unprocessableContent].contains(refused.status), "\(query)")
                #expect(String(buffer: refused.body).contains(name), "\(query)")
            }
            let tooLong = try await client.json(
                "\(Self.flow)?bucket=quarterHour&from=2016-01-01T00:00:00Z&until=2016-12-31T00:00:00Z", .get)
            #expect(tooLong.status == .unprocessableContent)
            #expect(String(buffer: tooLong.body).contains("until"))
            let unknown = try await client.json("\(Self.flow)?groupBy=party", .get)
            #expect([.badRequest, .unprocessableContent].contains(unknown.status))
            #expect(String(buffer: unknown.body).contains("groupBy"))
        }
    }
}
