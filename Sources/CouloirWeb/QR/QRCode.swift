/// A QR Code (ISO/IEC 18004) of bytes, at error correction level M, in the smallest
/// version that holds them: what a phone scans from the device-token page. Drawn by the
/// server, as the map is: no script, no other host. Follows Project Nayuki's reference
/// implementation (MIT), byte mode only.
struct QRCode: Sendable {
    /// Modules per side.
    let size: Int
    /// Dark modules, row by row.
    let modules: [[Bool]]

    /// The most bytes a code holds here: version 40 at level M.
    static let maximumBytes = 2331

    init?(bytes: [UInt8]) {
        guard let version = (1...40).first(where: { Self.dataCodewords($0) * 8 >= Self.bitsNeeded(bytes.count, $0) })
        else { return nil }
        var builder = Builder(version: version)
        builder.drawFunctionPatterns()
        builder.drawCodewords(Self.codewords(bytes, version: version))
        builder.chooseMask()
        size = builder.size
        modules = builder.modules
    }

    init?(text: String) { self.init(bytes: Array(text.utf8)) }

    // MARK: Data

    private static func countBits(_ version: Int) -> Int { version <= 9 ? 8 : 16 }

    private static func bitsNeeded(_ count: Int, _ version: Int) -> Int {
        count < (1 << countBits(version)) ? 4 + countBits(version) + 8 * count : Int.max
    }

    /// Error correction codewords per block, and blocks, at level M by version.
    private static let eccPerBlock = [
        -1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28,
        28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ]
    private static let blocks = [
        -1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29,
        31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ]

    static func rawModules(_ version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    static func dataCodewords(_ version: Int) -> Int {
        rawModules(version) / 8 - eccPerBlock[version] * blocks[version]
    }

    /// The bytes in byte mode, padded, split into blocks with their error correction and
    /// interleaved.
    static func codewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) {
            for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
        }
        append(0b0100, 4)
        append(bytes.count, countBits(version))
        for byte in bytes { append(Int(byte), 8) }
        let capacity = dataCodewords(version) * 8
        append(0, min(4, capacity - bits.count))
        append(0, (8 - bits.count % 8) % 8)
        var padding: UInt8 = 0xEC
        var data = stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
        while data.count < capacity / 8 {
            data.append(padding)
            padding ^= 0xEC ^ 0x11
        }

        let blockCount = blocks[version]
        let eccLength = eccPerBlock[version]
        let raw = rawModules(version) / 8
        let shortBlocks = blockCount - raw % blockCount
        let shortLength = raw / blockCount
        let divisor = ReedSolomon.divisor(degree: eccLength)
        var split: [[UInt8]] = []
        var offset = 0
        for index in 0..<blockCount {
            let length = shortLength - eccLength + (index < shortBlocks ? 0 : 1)
            let part = Array(data[offset..<offset + length])
            offset += length
            var block = part
            if index < shortBlocks { block.append(0) }
            block += ReedSolomon.remainder(part, divisor: divisor)
            split.append(block)
        }
        var result: [UInt8] = []
        for i in 0..<split[0].count {
            for (j, block) in split.enumerated() where i != shortLength - eccLength || j >= shortBlocks {
                result.append(block[i])
            }
        }
        return result
    }
}

/// Arithmetic over GF(2⁸) with the QR Code's polynomial, and its Reed–Solomon codes.
enum ReedSolomon {
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= Int((y >> UInt8(i)) & 1) * Int(x)
        }
        return UInt8(z & 0xFF)
    }

    static func divisor(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree - 1) + [1]
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for i in result.indices { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }
}
