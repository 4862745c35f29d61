extension QRCode {
    /// Lays out one code: the function patterns, the codewords in their zigzag, then the
    /// mask with the lowest penalty and its format bits.
    struct Builder {
        let version: Int
        let size: Int
        var modules: [[Bool]]
        var isFunction: [[Bool]]

        init(version: Int) {
            self.version = version
            size = version * 4 + 17
            modules = Array(repeating: Array(repeating: false, count: size), count: size)
            isFunction = modules
        }

        private mutating func set(_ x: Int, _ y: Int, _ dark: Bool) {
            modules[y][x] = dark
            isFunction[y][x] = true
        }

        mutating func drawFunctionPatterns() {
            for i in 0..<size {
                set(6, i, i % 2 == 0)
                set(i, 6, i % 2 == 0)
            }
            for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                for dy in -4...4 {
                    for dx in -4...4 where (0..<size).contains(x + dx) && (0..<size).contains(y + dy) {
                        let distance = max(abs(dx), abs(dy))
                        set(x + dx, y + dy, distance != 2 && distance != 4)
                    }
                }
            }
            let positions = alignmentPositions()
            for (i, x) in positions.enumerated() {
                for (j, y) in positions.enumerated() {
                    let corner =
                        (i == 0 && j == 0) || (i == 0 && j == positions.count - 1)
                        || (i == positions.count - 1 && j == 0)
                    if corner { continue }
                    for dy in -2...2 {
                        for dx in -2...2 { set(x + dx, y + dy, max(abs(dx), abs(dy)) != 1) }
                    }
                }
            }
            drawFormatBits(mask: 0)
            drawVersion()
        }

        private func alignmentPositions() -> [Int] {
            guard version > 1 else { return [] }
            let count = version / 7 + 2
            let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
            var result = [6]
            var position = size - 7
            while result.count < count {
                result.insert(position, at: 1)
                position -= step
            }
            return result
        }

        /// Level M (format bits 00) and the mask, with their BCH code, in both copies.
        mutating func drawFormatBits(mask: Int) {
            let data = 0 << 3 | mask
            var remainder = data
            for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
            let bits = (data << 10 | remainder) ^ 0x5412
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
            for i in 0...5 { set(8, i, bit(i)) }
            set(8, 7, bit(6))
            set(8, 8, bit(7))
            set(7, 8, bit(8))
            for i in 9..<15 { set(14 - i, 8, bit(i)) }
            for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
            for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
            set(8, size - 8, true)
        }

        private mutating func drawVersion() {
            guard version >= 7 else { return }
            var remainder = version
            for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
            let bits = version << 12 | remainder
            for i in 0..<18 {
                let dark = (bits >> i) & 1 == 1
                let a = size - 11 + i % 3
                let b = i / 3
                set(a, b, dark)
                set(b, a, dark)
            }
        }

        /// The codewords' bits in the zigzag of two-module columns, right to left.
        mutating func drawCodewords(_ data: [UInt8]) {
            var index = 0
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                for vertical in 0..<size {
                    for j in 0..<2 {
                        let x = right - j
                        let upward = (right + 1) & 2 == 0
                        let y = upward ? size - 1 - vertical : vertical
                        if !isFunction[y][x] && index < data.count * 8 {
                            modules[y][x] = (data[index >> 3] >> UInt8(7 - index & 7)) & 1 == 1
                            index += 1
                        }
                    }
                }
                right -= 2
            }
        }

        private mutating func applyMask(_ mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !isFunction[y][x] {
                    let invert =
                        switch mask {
                        case 0: (x + y) % 2 == 0
                        case 1: y % 2 == 0
                        case 2: x % 3 == 0
                        case 3: (x + y) % 3 == 0
                        case 4: (x / 3 + y / 2) % 2 == 0
                        case 5: x * y % 2 + x * y % 3 == 0
                        case 6: (x * y % 2 + x * y % 3) % 2 == 0
                        default: ((x + y) % 2 + x * y % 3) % 2 == 0
                        }
                    if invert { modules[y][x].toggle() }
                }
            }
        }

        /// Tries the eight masks and keeps the one the standard's penalty rates lowest.
        mutating func chooseMask() {
            var best = (mask: 0, penalty: Int.max)
            for mask in 0..<8 {
                applyMask(mask)
                drawFormatBits(mask: mask)
                let penalty = self.penalty()
                if penalty < best.penalty { best = (mask, penalty) }
                applyMask(mask)  // A mask is its own inverse.
            }
            applyMask(best.mask)
            drawFormatBits(mask: best.mask)
        }

        /// Runs of five or more of a colour, 2×2 blocks, finder-like 1:1:3:1:1 runs with
        /// four light modules beside, and imbalance of dark and light.
        func penalty() -> Int {
            var result = 0
            let lines = modules + (0..<size).map { x in modules.map { $0[x] } }
            let finderLike: [Bool] = [true, false, true, true, true, false, true]
            for line in lines {
                var run = 1
                for i in 1...line.count {
                    if i < line.count && line[i] == line[i - 1] {
                        run += 1
                    } else {
                        if run >= 5 { result += run - 2 }
                        run = 1
                    }
                }
                for start in 0...(line.count - 7) where Array(line[start..<start + 7]) == finderLike {
                    let before = (max(0, start - 4)..<start).allSatisfy { !line[$0] }
                    let after = (start + 7..<min(line.count, start + 11)).allSatisfy { !line[$0] }
                    if before || after { result += 40 }
                }
            }
            for y in 0..<size - 1 {
                for x in 0..<size - 1 {
                    let colour = modules[y][x]
                    if colour == modules[y][x + 1] && colour == modules[y + 1][x] && colour == modules[y + 1][x + 1] {
                        result += 3
                    }
                }
            }
            let dark = modules.reduce(0) { $0 + $1.filter { $0 }.count }
            let total = size * size
            let k = (abs(dark * 20 - total * 10) + total - 1) / total - 1
            result += max(0, k) * 10
            return result
        }
    }
}
