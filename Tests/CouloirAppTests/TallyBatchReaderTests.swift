import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CouloirAPI

/// The batch reader is held to the generated decoder: on every batch it reads, it reads
/// what the generated types read; on a batch the generated decoder refuses, it declines.
@Suite("Tally batches read once")
struct TallyBatchReaderTests {
    /// The decoder the generated server uses, as the runtime configures it.
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            try RFC3339Transcoder().decode(try decoder.singleValueContainer().decode(String.self))
        }
        return decoder
    }()

    static func generated(_ bytes: [UInt8]) -> Components.Schemas.TallyBatch? {
        try? decoder.decode(Components.Schemas.TallyBatch.self, from: Data(bytes))
    }

    static func read(_ bytes: [UInt8]) -> Components.Schemas.TallyBatch? {
        guard let document = try? StrictJSON.parse(bytes) else { return nil }
        return TallyBatchReader.batch(in: document)
    }

    @Test func everyValidBatchReadsAsTheGeneratedTypesReadIt() throws {
        var random = Xorshift(seed: 2016)
        for _ in 0..<300 {
            let batch = Self.batch(&random)
            let bytes = Array(try JSONSerialization.data(withJSONObject: batch))
            let generated = try #require(Self.generated(bytes), "\(String(decoding: bytes, as: UTF8.self))")
            #expect(Self.read(bytes) == generated, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    /// Mangled batches: the reader never reads one the generated decoder refuses, and
    /// never reads one differently.
    @Test func aMangledBatchIsDeclinedOrReadAsTheGeneratedTypesReadIt() throws {
        var random = Xorshift(seed: 1020)
        var read = 0
        var declined = 0
        for _ in 0..<3_000 {
            var batch = Self.batch(&random)
            Self.mangle(&batch, &random)
            let bytes = Array(try JSONSerialization.data(withJSONObject: batch))
            let generated = Self.generated(bytes)
            let fast = Self.read(bytes)
            let text = String(decoding: bytes, as: UTF8.self)
            if generated == nil { #expect(fast == nil, "read what the generated decoder refuses: \(text)") }
            if let fast {
                #expect(fast == generated, "read differently: \(text)")
                read += 1
            } else {
                declined += 1
            }
        }
        // Both kinds happen, or the test proves nothing.
        #expect(read > 100)
        #expect(declined > 100)
    }

    @Test(arguments: [
        #"{"items":[]}"#, #"{"items":null}"#, #"{"items":[],"more":1}"#, #"[]"#, #"{"items":[1]}"#,
        #"{"items":[{"id":"a"}]}"#,
    ])
    func whatIsNoBatchOfTalliesIsDeclinedUnlessTheGeneratedTypesReadIt(_ text: String) {
        let bytes = Array(text.utf8)
        #expect(Self.read(bytes) == Self.generated(bytes))
    }

    // MARK: - Batches made up

    static func batch(_ random: inout Xorshift) -> [String: Any] {
        ["items": (0..<random.int(1...4)).map { _ in tally(&random) }]
    }

    static func tally(_ random: inout Xorshift) -> [String: Any] {
        var tally: [String: Any] = [
            "id": uuid(&random), "checkpointId": uuid(&random),
            "interval": ["start": instant(&random), "end": instant(&random)],
            "direction": random.pick(["outbound", "inbound"]),
            "counts": (0..<random.int(1...3)).map { _ in count(&random) },
            "source": source(&random),
        ]
        switch random.int(0...2) {
        case 0: tally["vehicles"] = ["cars": random.int(0...9), "buses": random.int(0...9), "ambulances": 0]
        case 1: tally["vehicles"] = NSNull()
        default: break
        }
        switch random.int(0...2) {
        case 0: tally["supersedes"] = uuid(&random)
        case 1: tally["supersedes"] = NSNull()
        default: break
        }
        return tally
    }

    static func count(_ random: inout Xorshift) -> [String: Any] {
        var count: [String: Any] = [
            "group": random.pick(["civilians", "sickAndWounded", "fighters", "humanitarianConvoy"]),
            "people": random.int(0...500),
        ]
        if random.int(0...1) == 0 {
            let bands = { (random: inout Xorshift) -> [String: Any] in
                ["children": random.int(0...9), "adults": random.int(0...9), "elderly": random.int(0...9)]
            }
            count["breakdown"] = ["female": bands(&random), "male": bands(&random)]
        }
        if random.int(0...2) == 0 { count["unaccompaniedChildren"] = random.int(0...3) }
        return count
    }

    static func source(_ random: inout Xorshift) -> [String: Any] {
        var source: [String: Any] = [
            "name": random.pick([
                "Monitor team 1", "Équipe \"SARC\" \\ Alep", "الهلال الأحمر", "a/b\tc\nd", "😀 team",
            ]),
            "kind": random.pick(["party", "agency", "monitor", "press", "coordinator"]),
        ]
        if random.int(0...1) == 0 { source["reference"] = random.pick(["Report 3", "https://example.org/r/1"]) }
        if random.int(0...2) == 0 { source["illustrative"] = random.int(0...1) == 0 }
        return source
    }

    static func uuid(_ random: inout Xorshift) -> String {
        let text = UUID().uuidString
        return random.int(0...1) == 0 ? text.lowercased() : text
    }

    static func instant(_ random: inout Xorshift) -> String {
        random.pick([
            "2016-10-20T09:00:00+03:00", "2016-10-20T06:15:00Z", "2016-10-20T06:15:00.123z",
            "2016-10-20t06:15:00-00:30", "2016-10-20T23:59:60Z",
        ])
    }

    // MARK: - Mangling

    /// Changes one thing somewhere in the batch: a member dropped, added, retyped or
    /// given a value no schema allows.
    static func mangle(_ batch: inout [String: Any], _ random: inout Xorshift) {
        var value: Any = batch
        mangle(&value, &random, depth: 0)
        batch = value as? [String: Any] ?? ["items": value]
    }

    static var strangers: [Any] {
        [
            NSNull(), 1, -1, 1.5, 1e2, 9_223_372_036_854_775_807, "text", "", true, [Any](), [String: Any](),
            "2016-13-01T00:00:00Z", "not-a-date", "CIVILIANS", "monitor ", Double(Int64.max) * 4,
        ]
    }

    static func mangle(_ value: inout Any, _ random: inout Xorshift, depth: Int) {
        if var object = value as? [String: Any], !object.isEmpty {
            let keys = object.keys.sorted()
            let key = random.pick(keys)
            switch random.int(0...9) {
            case 0: object[key] = nil
            case 1: object["unknown\(random.int(0...9))"] = random.pick(strangers)
            case 2: object[key] = random.pick(strangers)
            default:
                var inner = object[key]!
                mangle(&inner, &random, depth: depth + 1)
                object[key] = inner
            }
            value = object
        } else if var array = value as? [Any], !array.isEmpty {
            let index = random.int(0...(array.count - 1))
            if random.int(0...3) == 0 {
                array[index] = random.pick(strangers)
            } else {
                mangle(&array[index], &random, depth: depth + 1)
            }
            value = array
        } else {
            value = random.pick(strangers)
        }
    }
}

/// A small seeded generator, so that a failure can be replayed.
struct Xorshift {
    var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func pick<T>(_ options: [T]) -> T { options[int(0...(options.count - 1))] }
}

/// A batch the reader takes is answered as the generated server answers it: the same
/// status, type and bytes, on two servers given the same requests.
@Suite("Tally batches answered as before")
struct TallyBatchAnswerTests {
    /// `application/json` goes through the reader; with a charset, the reader leaves the
    /// body to the generated server.
    static let taken: HTTPFields = [.contentType: "application/json"]
    static let left: HTTPFields = [.contentType: "application/json; charset=utf-8"]

    @Test func theSameRequestsGetTheSameAnswersWhicheverPathTheyTake() async throws {
        let stored = UUID()
        let fresh = UUID()
        let items = [
            TallyRoutesTests.body(id: fresh), TallyRoutesTests.body(id: stored),
            TallyRoutesTests.body(id: stored, people: 45),
            TallyRoutesTests.body(id: UUID(), checkpoint: UUID().uuidString.lowercased()),
            TallyRoutesTests.body(id: UUID(), people: -3), TallyRoutesTests.body(id: fresh),
        ]
        let batches = [
            #"{"items":[\#(items.joined(separator: ","))]}"#,
            #"{"items":[\#(items[0])]}"#,
            // Not a batch the generated types read: each path answers it the same way.
            #"{"items":[{"id":"x"}]}"#, #"{"items":[]}"#, #"{"items":[\#(items[1])],"extra":true}"#,
        ]
        let first = try await answers(to: batches, headers: Self.taken, storing: stored)
        let second = try await answers(to: batches, headers: Self.left, storing: stored)
        #expect(first.count == batches.count)
        for (taken, left) in zip(first, second) {
            #expect(taken.status == left.status)
            #expect(taken.type == left.type)
            #expect(taken.body == left.body, "\(String(decoding: taken.body, as: UTF8.self))")
        }
        #expect(first[0].status == .ok)
    }

    @Test func singleTalliesGetTheSameAnswersWhicheverPathTheyTake() async throws {
        let stored = UUID()
        let fresh = UUID()
        let bodies = [
            TallyRoutesTests.body(id: fresh), TallyRoutesTests.body(id: fresh), TallyRoutesTests.body(id: stored),
            TallyRoutesTests.body(id: stored, people: 45),
            TallyRoutesTests.body(id: UUID(), checkpoint: UUID().uuidString.lowercased()),
            TallyRoutesTests.body(id: UUID(), people: -3), #"{"id":"x"}"#, "[]",
            TallyRoutesTests.body(id: UUID(), supersedes: stored),
        ]
        let first = try await singleAnswers(to: bodies, headers: Self.taken, storing: stored)
        let second = try await singleAnswers(to: bodies, headers: Self.left, storing: stored)
        #expect(first.map(\.status.code) == [201, 200, 200, 409, 422, 422, 422, 400, 201])
        for (taken, left) in zip(first, second) {
            #expect(taken.status == left.status)
            #expect(taken.type == left.type)
            #expect(taken.body == left.body, "\(String(decoding: taken.body, as: UTF8.self))")
        }
    }

    /// What a fresh demo server answers to each single tally of `bodies`, once `stored` is stored.
    private func singleAnswers(
        to bodies: [String], headers: HTTPFields, storing stored: UUID
    ) async throws -> [Answer] {
        let collected = Collected()
        try await withDemo { client in
            _ = try await client.json(TallyRoutesTests.tallies, .post, TallyRoutesTests.body(id: stored))
            for body in bodies {
                let response = try await client.json(TallyRoutesTests.tallies, .post, body, headers: headers)
                await collected.add(
                    Answer(
                        status: response.status, type: response.headers[.contentType],
                        body: Data(response.body.readableBytesView)))
            }
        }
        return await collected.answers
    }

    private struct Answer {
        let status: HTTPResponse.Status
        let type: String?
        let body: Data
    }

    /// What a fresh demo server answers to `batches`, once `stored` is stored.
    private func answers(to batches: [String], headers: HTTPFields, storing stored: UUID) async throws -> [Answer] {
        let collected = Collected()
        try await withDemo { client in
            _ = try await client.json(TallyRoutesTests.tallies, .post, TallyRoutesTests.body(id: stored))
            for batch in batches {
                let response = try await client.json(
                    "\(TallyRoutesTests.tallies)/batch", .post, batch, headers: headers)
                await collected.add(
                    Answer(
                        status: response.status, type: response.headers[.contentType],
                        body: Data(response.body.readableBytesView)))
            }
        }
        return await collected.answers
    }

    private actor Collected {
        var answers: [Answer] = []
        func add(_ answer: Answer) { answers.append(answer) }
    }
}
