import CouloirDomain
import Foundation

extension QRCode {
    /// The code as an SVG element, `quietZone` light modules around it, one path for the
    /// dark modules; `label` is what a screen reader says of it.
    func svg(label: String, quietZone: Int = 4) -> String {
        let side = size + 2 * quietZone
        // One rectangle a run of dark modules in a row.
        var path = ""
        for (y, row) in modules.enumerated() {
            var x = 0
            while x < size {
                guard row[x] else {
                    x += 1
                    continue
                }
                let start = x
                while x < size && row[x] { x += 1 }
                path += "M\(start + quietZone) \(y + quietZone)h\(x - start)v1h-\(x - start)z"
            }
        }
        return #"<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(side) \#(side)" "#
            + #"role="img" aria-label="\#(XMLText.escaped(label))" shape-rendering="crispEdges">"#
            + #"<rect width="\#(side)" height="\#(side)" fill="white"/><path fill="black" d="\#(path)"/></svg>"#
    }
}

/// What ODK Collect reads from a settings QR code: the settings as JSON, compressed with
/// zlib and written in base64. The zlib stream here is stored (deflate's uncompressed
/// blocks): valid for every inflater, and settings are small.
enum CollectSettings {
    static func qrText(serverURL: String, project: String) -> String {
        let json =
            #"{"general":{"server_url":"\#(serverURL)","username":"","password":""},"#
            + #""admin":{},"project":{"name":"\#(project)"}}"#
        return Data(zlibStored(Array(json.utf8))).base64EncodedString()
    }

    static func zlibStored(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65_535, bytes.count - offset)
            let final: UInt8 = offset + length == bytes.count ? 1 : 0
            out.append(final)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += bytes[offset..<offset + length]
            offset += length
        } while offset < bytes.count
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        let adler = b << 16 | a
        return out + [UInt8(adler >> 24), UInt8((adler >> 16) & 0xFF), UInt8((adler >> 8) & 0xFF), UInt8(adler & 0xFF)]
    }
}
