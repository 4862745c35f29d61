/// GeoJSON geometries (RFC 7946) of the kinds Couloir stores.
public struct Point: Hashable, Sendable, CustomStringConvertible {
    public var position: Position

    public init(_ position: Position) {
        self.position = position
    }

    public init(longitude: Double, latitude: Double) {
        self.position = Position(longitude: longitude, latitude: latitude)
    }

    public var description: String { "Point\(position)" }

    public func validate(at pointer: String, into validator: inout Validator) {
        position.validate(at: pointer + "/coordinates", into: &validator)
    }
}

/// A route: two or more positions.
public struct LineString: Hashable, Sendable {
    public var positions: [Position]

    public init(_ positions: [Position]) {
        self.positions = positions
    }

    public func validate(at pointer: String, into validator: inout Validator) {
        validator.check(positions.count >= 2, pointer + "/coordinates", "a LineString needs at least two positions")
        validator.check(
            positions.count <= Limits.positions, pointer + "/coordinates",
            "at most \(Limits.positions) positions")
        for (i, position) in positions.prefix(Limits.positions).enumerated() {
            position.validate(at: pointer + "/coordinates/\(i)", into: &validator)
        }
    }
}

/// An area: an exterior ring, then any holes. Each ring is closed (its last position
/// repeats its first) and has at least four positions, three of them distinct.
public struct Polygon: Hashable, Sendable {
    public var rings: [[Position]]

    public init(rings: [[Position]]) {
        self.rings = rings
    }

    public init(exterior: [Position]) {
        self.rings = [exterior]
    }

    public var exterior: [Position] { rings.first ?? [] }

    public func validate(at pointer: String, into validator: inout Validator) {
        validator.check(!rings.isEmpty, pointer + "/coordinates", "a Polygon needs an exterior ring")
        validator.check(
            rings.reduce(0) { $0 + $1.count } <= Limits.positions, pointer + "/coordinates",
            "at most \(Limits.positions) positions")
        for (r, ring) in rings.prefix(Limits.positions).enumerated() {
            let ringPointer = pointer + "/coordinates/\(r)"
            for (i, position) in ring.prefix(Limits.positions).enumerated() {
                position.validate(at: ringPointer + "/\(i)", into: &validator)
            }
            if ring.count < 4 {
                validator.fail(ringPointer, "a linear ring needs at least four positions")
            } else if ring.first != ring.last {
                validator.fail(ringPointer, "a linear ring must be closed: its last position must equal its first")
            } else if Set(ring).count < 3 {
                validator.fail(ringPointer, "a linear ring needs at least three distinct positions")
            }
        }
    }
}

extension Point: Codable {
    private enum CodingKeys: String, CodingKey { case type, coordinates }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try GeoJSONType.expect("Point", in: container, key: .type)
        position = try container.decode(Position.self, forKey: .coordinates)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("Point", forKey: .type)
        try container.encode(position, forKey: .coordinates)
    }
}

extension LineString: Codable {
    private enum CodingKeys: String, CodingKey { case type, coordinates }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try GeoJSONType.expect("LineString", in: container, key: .type)
        positions = try container.decode([Position].self, forKey: .coordinates)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("LineString", forKey: .type)
        try container.encode(positions, forKey: .coordinates)
    }
}

extension Polygon: Codable {
    private enum CodingKeys: String, CodingKey { case type, coordinates }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try GeoJSONType.expect("Polygon", in: container, key: .type)
        rings = try container.decode([[Position]].self, forKey: .coordinates)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("Polygon", forKey: .type)
        try container.encode(rings, forKey: .coordinates)
    }
}

private enum GeoJSONType {
    static func expect<K: CodingKey>(_ expected: String, in container: KeyedDecodingContainer<K>, key: K) throws {
        let type = try container.decode(String.self, forKey: key)
        guard type == expected else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "expected a GeoJSON \(expected), found \(type)")
        }
    }
}
