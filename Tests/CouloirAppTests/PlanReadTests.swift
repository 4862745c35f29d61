import CouloirCore
import CouloirDemoSetup
import CouloirDomain
import CouloirSQLStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CouloirAPI

/// The compact encoder is held to the encoder the generated server writes with, byte
/// for byte.
@Suite("Compact JSON written as the runtime writes it")
struct CompactJSONEncoderTests {
    /// The runtime's encoder, configured as `API.configuration` configures it.
    static let runtime: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try RFC3339Transcoder().encode(date))
        }
        return encoder
    }()

    static func expectSameBytes<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = String(decoding: try runtime.encode(value), as: UTF8.self)
        let written = String(decoding: try CompactJSONEncoder().encode(value), as: UTF8.self)
        #expect(written == expected, sourceLocation: sourceLocation)
    }

    struct Odd: Encodable {
        var text: String
        var number: Double
        var count: Int
        var flag: Bool
        var when: Date
        var absent: String?
        var nested: [String: [Int]]
        var list: [Odd]
    }

    @Test func stringsNumbersAndMembersInTheRuntimesOrder() throws {
        let texts = [
            "", "plain", "quote \" and backslash \\", "slash / stays", "tab\there", "line\nfeed\r",
            "controls \u{0}\u{1}\u{8}\u{b}\u{c}\u{1f} and DEL \u{7f}", "Alep حلب, é, 🚑", "\u{2028}\u{2029}",
        ]
        let numbers: [Double] = [0, -0.0, 5, 36.2, 0.1, 1e-7, 1e21, 123_456_789.123, -3.75, 1 / 3, 40_000_000_000]
        for (index, text) in texts.enumerated() {
            let value = Odd(
                text: text, number: numbers[index % numbers.count], count: index * -7_919, flag: index % 2 == 0,
                when: Date(timeIntervalSince1970: 1_476_946_800.123 + Double(index) * 86_400.5),
                absent: index % 3 == 0 ? nil : text,
                nested: [
                    "b": [1], "a": [], "B": [2, 3], "aa": [4], "a1": [5], "a10": [6], "a9": [7], "_": [8], "é": [9],
                ],
                list: [
                    Odd(text: text, number: 1, count: 0, flag: true, when: Date(), absent: nil, nested: [:], list: [])
                ])
            try Self.expectSameBytes(value)
        }
        for number in numbers { try Self.expectSameBytes([number]) }
        try Self.expectSameBytes([String: String]())
        try Self.expectSameBytes([[Int]]())
    }

    @Test func whatTheRuntimeWritesDifferentlyIsDeclined() {
        #expect(throws: CompactJSONEncoder.Unsupported.self) { try CompactJSONEncoder().encode([Data([1, 2])]) }
        #expect(throws: CompactJSONEncoder.Unsupported.self) { try CompactJSONEncoder().encode([Double.nan]) }
        #expect(throws: CompactJSONEncoder.Unsupported.self) { try CompactJSONEncoder().encode([Float(1.5)]) }
    }

    @Test func everyPlanRecordOfTheDemoIsWrittenAsTheRuntimeWritesIt() async throws {
        try await withDemoServer { _, store in
            let handler = PlanReadTests.handler(store)
            try await RequestPrincipal.$current.withValue(try await PlanReadTests.administrator(store)) {
                let operation = PlanReadTests.operationID
                for at in [nil, Date(timeIntervalSince1970: 1_476_946_800), Date()] {
                    let corridors = try await handler.listCorridors(
                        .init(path: .init(operationId: operation), query: .init(at: at)))
                    try Self.expectSameBytes(try corridors.ok.body.json)
                    let sectors = try await handler.listSectors(
                        .init(path: .init(operationId: operation), query: .init(at: at)))
                    try Self.expectSameBytes(try sectors.ok.body.json)
                }
                try Self.expectSameBytes(
                    try await handler.getOperation(.init(path: .init(operationId: operation))).ok.body.json)
                try Self.expectSameBytes(
                    try await handler.listParties(.init(path: .init(operationId: operation))).ok.body.json)
                try Self.expectSameBytes(
                    try await handler.listPauses(.init(path: .init(operationId: operation))).ok.body.json)
            }
        }
    }
}

/// Which reads the middleware answers itself, and that everything else reaches the
/// generated server, here a route answering 599 in its place.
@Suite("Plan reads past the generated server")
struct PlanReadTests {
    static let operationID = AccessRoutesTests.aleppo.id.description
    static let operation = "/api/v1/operations/\(operationID)"

    static func handler(_ store: SQLRepository) -> APIHandler<SQLRepository> {
        APIHandler(core: Core(store: store, now: { Date() }))
    }

    static func administrator(_ store: SQLRepository) async throws -> Principal {
        let organisation = try await store.findOrAddOrganisation(named: DemoLoader.coordination).organisation
        return Principal(actor: .system("tests"), organisationID: organisation.id, role: .admin)
    }

    struct Acting<Context: RequestContext>: RouterMiddleware {
        let principal: Principal
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
            async throws -> Response
        {
            try await RequestPrincipal.$current.withValue(principal) { try await next(request, context) }
        }
    }

    @Test func plainReadsAreAnsweredHereAndEverythingElseGoesOn() async throws {
        try await withDemoServer { _, store in
            let router = Router()
            router.add(middleware: Acting(principal: try await Self.administrator(store)))
            router.add(middleware: PlanReadMiddleware<BasicRequestContext, _>(handler: Self.handler(store)))
            router.get("**") { _, _ in Response(status: .init(code: 599)) }
            router.post("**") { _, _ in Response(status: .init(code: 599)) }
            let taken = [
                Self.operation, "\(Self.operation)/corridors",
                "\(Self.operation)/corridors?at=2016-10-20T10:00:00%2B03:00",
                "\(Self.operation)/corridors?at=2016-10-20T07:00:00Z", "\(Self.operation)/sectors",
                "\(Self.operation)/sectors?at=2016-10-20T07:00:00Z", "\(Self.operation)/parties",
                "\(Self.operation)/pauses",
            ]
            let left = [
                "\(Self.operation)?limit=5", "\(Self.operation)/corridors?at=2016-10-20T10:00:00+03:00",
                "\(Self.operation)/corridors?at=yesterday", "\(Self.operation)/corridors?limit=2",
                "\(Self.operation)/corridors?at=2016-10-20T07:00:00Z&limit=2", "\(Self.operation)/parties?kind=armed",
                "\(Self.operation)/pauses?status=proposed", "\(Self.operation)/tallies", "\(Self.operation)/claims",
                "/api/v1/operations/\(UUID().uuidString.lowercased())", "/api/v1/operations/not-an-id/corridors",
                "\(Self.operation)/corridors/", "/api/v1/operations",
            ]
            try await Application(router: router).test(.router) { client in
                for uri in taken {
                    let response = try await client.execute(uri: uri, method: .get)
                    #expect(response.status == .ok, "\(uri)")
                    #expect(response.headers[.contentType] == "application/json; charset=utf-8", "\(uri)")
                }
                let operation = try await client.execute(uri: Self.operation, method: .get)
                #expect(operation.headers[.eTag]?.hasPrefix("\"") == true)
                for uri in left {
                    let response = try await client.execute(uri: uri, method: .get)
                    #expect(response.status.code == 599, "\(uri)")
                }
                let posted = try await client.execute(uri: "\(Self.operation)/corridors", method: .post)
                #expect(posted.status.code == 599)
            }
        }
    }

    /// Through the whole server, a read answered here and the same read left to the
    /// generated server (by a query this middleware does not take) answer alike.
    @Test func theServerAnswersAlikeWhicheverPathAReadTakes() async throws {
        try await withDemo { client in
            for (plain, generated) in [
                (Self.operation, "\(Self.operation)?limit=50"),
                (
                    "\(Self.operation)/corridors?at=2016-10-20T07:00:00Z",
                    "\(Self.operation)/corridors?at=2016-10-20T07:00:00Z&limit=50"
                ),
                (
                    "\(Self.operation)/sectors?at=2016-10-20T07:00:00Z",
                    "\(Self.operation)/sectors?at=2016-10-20T07:00:00Z&limit=50"
                ),
                ("\(Self.operation)/parties", "\(Self.operation)/parties?limit=50"),
                ("\(Self.operation)/pauses", "\(Self.operation)/pauses?limit=50"),
            ] {
                let taken = try await client.execute(uri: plain, method: .get)
                let left = try await client.execute(uri: generated, method: .get)
                #expect(taken.status == .ok, "\(plain)")
                #expect(taken.status == left.status, "\(plain)")
                #expect(taken.headers[.contentType] == left.headers[.contentType], "\(plain)")
                #expect(taken.headers[.eTag] == left.headers[.eTag], "\(plain)")
                #expect(
                    String(buffer: taken.body) == String(buffer: left.body), "\(plain)")
            }
        }
    }
}

/// The corridor list written by hand is held to the runtime's bytes, on random corridors
/// with each optional member present or absent.
@Suite("Corridor list written by hand")
struct CorridorJSONTests {
    @Test func randomCorridorListsAreWrittenAsTheRuntimeWritesThem() throws {
        var random = Xorshift(seed: 1016)
        for round in 0..<200 {
            let corridors = (0..<random.int(0...4)).map { _ in Self.corridor(&random) }
            let list = Components.Schemas.CorridorList(
                at: Self.date(&random), items: corridors, nextCursor: round % 3 == 0 ? Self.text(&random) : nil)
            try CompactJSONEncoderTests.expectSameBytes(list)
        }
    }

    @Test func aNumberThatIsNotFiniteIsLeftToTheRuntime() {
        var random = Xorshift(seed: 7)
        var corridor = Self.corridor(&random)
        corridor.route.coordinates = [[36.2, .infinity], [36.1, 37.1]]
        let list = Components.Schemas.CorridorList(at: Date(), items: [corridor])
        #expect(throws: CompactJSONEncoder.Unsupported.self) { try CompactJSONEncoder().encode(list) }
    }

    static func text(_ random: inout Xorshift) -> String {
        random.pick(["", "C1", "Bustan al-Qasr", "quote \" slash / back \\", "line\nbreak\u{1}", "حلب الشرقية", "é🚑"])
    }

    static func date(_ random: inout Xorshift) -> Date {
        Date(
            timeIntervalSince1970: Double(random.int(1_400_000_000...1_900_000_000)) + Double(random.int(0...999))
                / 1000)
    }

    static func maybe<T>(_ random: inout Xorshift, _ value: T) -> T? { random.int(0...1) == 0 ? nil : value }

    static func source(_ random: inout Xorshift) -> Components.Schemas.Source {
        Components.Schemas.Source(
            name: text(&random), kind: random.pick(Components.Schemas.SourceKind.allCases),
            reference: maybe(&random, text(&random)), illustrative: maybe(&random, random.int(0...1) == 0))
    }

    static func position(_ random: inout Xorshift) -> [Double] {
        [Double(random.int(-180_000...180_000)) / 1000, Double(random.int(-90_000...90_000)) / 997, 0.1 * 3]
    }

    static func corridor(_ random: inout Xorshift) -> Components.Schemas.Corridor {
        let id = UUID().uuidString.lowercased()
        return Components.Schemas.Corridor(
            id: id, code: text(&random), name: text(&random), originSectorId: UUID().uuidString.lowercased(),
            destinationSectorId: maybe(&random, UUID().uuidString.lowercased()),
            destination: maybe(&random, text(&random)),
            allowedGroups: Array(Components.Schemas.Group.allCases.prefix(random.int(1...4))),
            capacityPerHour: maybe(&random, random.int(0...1_000_000)),
            route: .init(_type: .lineString, coordinates: (0..<random.int(2...5)).map { _ in position(&random) }),
            checkpoints: (0..<random.int(0...3)).map { index in
                Components.Schemas.Checkpoint(
                    id: UUID().uuidString.lowercased(), corridorId: id, name: text(&random), position: index,
                    location: .init(_type: .point, coordinates: position(&random)),
                    monitorTeams: (0..<random.int(0...2)).map { _ in text(&random) })
            },
            overrides: (0..<random.int(0...2)).map { _ in
                Components.Schemas.StatusOverride(
                    state: random.pick(Components.Schemas.StatusOverride.StatePayload.allCases), from: date(&random),
                    until: maybe(&random, date(&random)), reason: text(&random), source: source(&random))
            },
            source: source(&random),
            status: Components.Schemas.CorridorStatus(
                state: random.pick(Components.Schemas.CorridorState.allCases), at: date(&random),
                explanation: text(&random), pauseId: maybe(&random, UUID().uuidString.lowercased()),
                windowStart: maybe(&random, date(&random)), windowEnd: maybe(&random, date(&random)),
                overrideReason: maybe(&random, text(&random))))
    }
}
