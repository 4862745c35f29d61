import CouloirDomain
import Foundation
import Testing

@testable import CouloirWeb

@Suite("Geometry as a form reads and shows it")
struct GeometryTextTests {
    @Test func positionsAreReadOneALineWithACommaOrASpace() throws {
        let route = try #require(GeometryText.route("37.16, 36.23\n  37.17 36.25\n\n37.18,36.26 "))
        #expect(
            route.positions == [
                Position(longitude: 37.16, latitude: 36.23), Position(longitude: 37.17, latitude: 36.25),
                Position(longitude: 37.18, latitude: 36.26),
            ])
        #expect(GeometryText.text(route.positions) == "37.16, 36.23\n37.17, 36.25\n37.18, 36.26")
    }

    @Test func anAreaTypedAsLinesIsClosedButGeoJSONIsTakenAsWritten() throws {
        let area = try #require(GeometryText.area("0, 0\n1, 0\n1, 1"))
        #expect(area.exterior.count == 4 && area.exterior.first == area.exterior.last)
        let open = #"{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}"#
        #expect(try #require(GeometryText.area(open)).exterior.count == 3, "left for the domain to refuse")
        let feature =
            #"{"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]}}"#
        #expect(try #require(GeometryText.route(feature)).positions.count == 2)
    }

    @Test(arguments: [
        "north", "37.1", "37.1, 36.2, 5", "37.1; 36.2", #"{"type": "Point", "coordinates": [1, 2]}"#, "{",
        "nan, 36.2\n37.1, 36.3", "37.1, inf\n37.1, 36.3", "-infinity 1\n2 3", "37.1, NaN\n37.2, 36.3",
    ])
    func whatIsNeitherFormIsNotReadAtAll(_ text: String) {
        #expect(GeometryText.route(text) == nil)
        #expect(GeometryText.area(text) == nil)
    }

    @Test func degreesAreWrittenWithoutExponentOrTrailingZeros() {
        #expect(GeometryText.text([Position(longitude: 37.1, latitude: -0.000001)]) == "37.1, -0.000001")
        #expect(GeometryText.text([Position(longitude: 180, latitude: 0)]) == "180, 0")
    }
}
