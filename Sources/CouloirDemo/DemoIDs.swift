import CouloirDomain
import Foundation

/// Makes the demo's ids from a seed, so that building the demo twice gives the same
/// records and loading it again into the same database changes nothing.
struct DemoIDs {
    private var generator: SeededGenerator

    init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    mutating func next<T>() -> Identifier<T> {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        let uuid = UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
        return Identifier(uuid)
    }

    mutating func number(in range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &generator)
    }
}

/// SplitMix64: small, fast and the same on every platform, so that a demo, a property
/// test or a benchmark built from a seed is built the same everywhere.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// An instant written as the reports' readers would: RFC 3339 with its offset.
func instant(_ text: String) -> Date {
    guard let date = try? Date(text, strategy: .iso8601) else {
        preconditionFailure("demo instant '\(text)' is not RFC 3339")
    }
    return date
}

func day(_ text: String) -> LocalDate {
    guard let date = LocalDate(text) else { preconditionFailure("demo date '\(text)' is not YYYY-MM-DD") }
    return date
}

func time(_ text: String) -> LocalTime {
    guard let time = LocalTime(text) else { preconditionFailure("demo time '\(text)' is not HH:MM") }
    return time
}

/// A rectangle as a closed ring, for the illustrative sector outlines.
func box(west: Double, south: Double, east: Double, north: Double) -> Polygon {
    Polygon(exterior: [
        Position(longitude: west, latitude: south),
        Position(longitude: east, latitude: south),
        Position(longitude: east, latitude: north),
        Position(longitude: west, latitude: north),
        Position(longitude: west, latitude: south),
    ])
}
