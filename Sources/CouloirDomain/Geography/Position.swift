/// A WGS 84 position as GeoJSON writes it: longitude, then latitude, in degrees.
public struct Position: Hashable, Sendable, Codable, CustomStringConvertible {
    public var longitude: Double
    public var latitude: Double

    public init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        longitude = try container.decode(Double.self)
        latitude = try container.decode(Double.self)
        // RFC 7946 allows an altitude as a third member; Couloir does not keep it.
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(longitude)
        try container.encode(latitude)
    }

    public var description: String { "[\(longitude), \(latitude)]" }

    func validate(at pointer: String, into validator: inout Validator) {
        validator.check(
            longitude.isFinite && (-180...180).contains(longitude), pointer + "/0",
            "longitude must lie in [-180, 180]")
        validator.check(
            latitude.isFinite && (-90...90).contains(latitude), pointer + "/1",
            "latitude must lie in [-90, 90]")
    }
}
