import CouloirDomain
import Foundation

/// Degrees to a drawing's units: an equirectangular projection about the middle
/// latitude of what is drawn (longitudes shrunk by its cosine, so that a kilometre
/// east looks as long as a kilometre north there), scaled to fit a box with a margin,
/// north up. Over a city or a province the distortion is far below what a screen shows.
struct MapProjection: Equatable {
    let width: Double
    let height: Double
    /// Drawing units per degree of latitude.
    let scale: Double
    let cosine: Double
    let west: Double
    let north: Double
    let offsetX: Double
    let offsetY: Double

    /// Mean radius of the Earth (IUGG), in metres: a degree of latitude is π/180 of it.
    static let metresPerDegree = 6_371_008.8 * Double.pi / 180

    init(fitting positions: [Position], width: Double, height: Double, margin: Double) {
        self.width = width
        self.height = height
        let longitudes = positions.map(\.longitude)
        let latitudes = positions.map(\.latitude)
        let west = longitudes.min() ?? 0
        let east = longitudes.max() ?? 0
        let south = latitudes.min() ?? 0
        let north = latitudes.max() ?? 0
        cosine = cos((south + north) / 2 * Double.pi / 180)
        // A single point (or nothing) still needs an extent: a kilometre about it.
        let spanX = max((east - west) * cosine, 1000 / Self.metresPerDegree)
        let spanY = max(north - south, 1000 / Self.metresPerDegree)
        scale = min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY)
        self.west = west
        self.north = north
        // Centred in the box.
        offsetX = (width - (east - west) * cosine * scale) / 2
        offsetY = (height - (north - south) * scale) / 2
    }

    func point(_ position: Position) -> (x: Double, y: Double) {
        (offsetX + (position.longitude - west) * cosine * scale, offsetY + (north - position.latitude) * scale)
    }

    /// Drawing units per metre on the ground.
    var unitsPerMetre: Double { scale / Self.metresPerDegree }

    /// The longest round distance (1, 2 or 5 times a power of ten, in metres) whose bar
    /// is at most `longest` units.
    func scaleBar(longest: Double) -> (metres: Double, units: Double) {
        let most = longest / unitsPerMetre
        var power = pow(10, floor(log10(max(most, 1))))
        while power > most { power /= 10 }
        let metres = [5, 2, 1].map { $0 * power }.first { $0 <= most } ?? power
        return (metres, metres * unitsPerMetre)
    }
}
