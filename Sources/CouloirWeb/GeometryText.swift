import CouloirDomain
import Foundation

/// Geometry as a form shows and reads it: one position a line, `longitude, latitude`
/// in degrees, or a GeoJSON geometry (or a Feature holding one) pasted from a GIS.
enum GeometryText {
    /// A position as the form's hints and errors show one.
    static let example = "37.15, 36.22"

    static func text(_ positions: [Position]) -> String {
        positions.map { "\(number($0.longitude)), \(number($0.latitude))" }.joined(separator: "\n")
    }

    /// A route from its text, `nil` when the text is neither form.
    static func route(_ text: String) -> LineString? {
        if let geometry: LineString = geoJSON(text) { return geometry }
        return positions(text).map(LineString.init)
    }

    /// An area from its text: lines name the exterior ring, closed here when its last
    /// position does not repeat its first; GeoJSON is taken as written.
    static func area(_ text: String) -> Polygon? {
        if let geometry: Polygon = geoJSON(text) { return geometry }
        guard var ring = positions(text) else { return nil }
        if let first = ring.first, ring.last != first { ring.append(first) }
        return Polygon(exterior: ring)
    }

    private static func positions(_ text: String) -> [Position]? {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !lines.isEmpty else { return nil }
        var positions: [Position] = []
        for line in lines {
            // `nan`, `inf` and their kin read as numbers, and are none: the form says so.
            let numbers = line.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" })
                .map { Double($0).flatMap { $0.isFinite ? $0 : nil } }
            guard numbers.count == 2, let longitude = numbers[0], let latitude = numbers[1] else { return nil }
            positions.append(Position(longitude: longitude, latitude: latitude))
        }
        return positions
    }

    private struct Feature<Geometry: Decodable>: Decodable {
        var geometry: Geometry
    }

    private static func geoJSON<Geometry: Decodable>(_ text: String) -> Geometry? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("{") else { return nil }
        let data = Data(trimmed.utf8)
        return (try? JSONDecoder().decode(Geometry.self, from: data))
            ?? (try? JSONDecoder().decode(Feature<Geometry>.self, from: data))?.geometry
    }

    /// Degrees as written in GeoJSON: no exponent, no trailing zeros.
    private static func number(_ degrees: Double) -> String {
        var text = String(format: "%.6f", degrees)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

extension FormReader {
    /// The route typed in field `name`; `nil`, with the field's error noted, when it
    /// is empty or unreadable.
    mutating func route(_ name: String) -> LineString? {
        parsed(name, unreadable: "error.positions", values: ["example": GeometryText.example]) {
            GeometryText.route($0)
        }
    }

    /// The area typed in field `name`, as ``route(_:)`` reads a route.
    mutating func area(_ name: String) -> Polygon? {
        parsed(name, unreadable: "error.positions", values: ["example": GeometryText.example]) {
            GeometryText.area($0)
        }
    }
}
