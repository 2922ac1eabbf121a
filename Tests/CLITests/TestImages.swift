import Foundation

/// Small image files written byte by byte, so the CLI tests can make exactly the inputs they need — 16-bit,
/// palette, gray+alpha, float, CMYK, a header that claims 100000² pixels — without libvips in the test itself.
enum TestImages {
    enum PNGColor: UInt8 { case gray = 0, rgb = 2, palette = 3, grayAlpha = 4, rgba = 6 }

    /// A PNG with the given raw samples (big-endian for 16-bit, as PNG stores them), stored without compression.
    /// `palette` holds RGB triples for `.palette`.
    static func png(width: Int, height: Int, color: PNGColor, bitDepth: UInt8 = 8, samples: [UInt8],
                    palette: [UInt8] = []) -> Data {
        let channels: Int = [.gray: 1, .rgb: 3, .palette: 1, .grayAlpha: 2, .rgba: 4][color]!
        let rowBytes = width * channels * Int(bitDepth) / 8
        precondition(samples.count == rowBytes * height, "samples do not fill the image")
        var raw = Data()
        for y in 0..<height {
            raw.append(0)  // filter: none
            raw.append(contentsOf: samples[(y * rowBytes)..<((y + 1) * rowBytes)])
        }
        var file = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        file.append(pngHeader(width: width, height: height, bitDepth: bitDepth, color: color.rawValue))
        if color == .palette { file.append(chunk("PLTE", Data(palette))) }
        file.append(chunk("IDAT", zlibStored(raw)))
        file.append(chunk("IEND", Data()))
        return file
    }

    /// Only a header: a PNG that claims `width`×`height` pixels and holds one tiny IDAT (a decompression bomb's
    /// first bytes).
    static func pngHeaderOnly(width: Int, height: Int) -> Data {
        var file = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        file.append(pngHeader(width: width, height: height, bitDepth: 8, color: PNGColor.rgb.rawValue))
        file.append(chunk("IDAT", zlibStored(Data([0, 0, 0, 0]))))
        file.append(chunk("IEND", Data()))
        return file
    }

    static func pngHeader(width: Int, height: Int, bitDepth: UInt8, color: UInt8) -> Data {
        var ihdr = Data()
        ihdr.append(bigEndian32(UInt32(width)))
        ihdr.append(bigEndian32(UInt32(height)))
        ihdr.append(contentsOf: [bitDepth, color, 0, 0, 0])
        return chunk("IHDR", ihdr)
    }

    /// An uncompressed little-endian TIFF, one strip: `sampleFormat` 1 = unsigned integer, 3 = IEEE float;
    /// `photometric` 1 = gray, 2 = RGB, 5 = CMYK.
    static func tiff(width: Int, height: Int, samplesPerPixel: Int, bitsPerSample: Int, sampleFormat: Int,
                     photometric: Int, pixels: Data) -> Data {
        let entries: [(tag: UInt16, type: UInt16, values: [UInt32])] = [
            (256, 4, [UInt32(width)]), (257, 4, [UInt32(height)]),
            (258, 3, Array(repeating: UInt32(bitsPerSample), count: samplesPerPixel)),
            (259, 3, [1]), (262, 3, [UInt32(photometric)]), (273, 4, [0]), (277, 3, [UInt32(samplesPerPixel)]),
            (278, 4, [UInt32(height)]), (279, 4, [UInt32(pixels.count)]), (284, 3, [1]),
            (339, 3, Array(repeating: UInt32(sampleFormat), count: samplesPerPixel)),
        ]
        let ifdSize = 2 + entries.count * 12 + 4
        var extra = Data()  // values that do not fit in 4 bytes
        let extraStart = 8 + ifdSize
        var ifd = Data(littleEndian16(UInt16(entries.count)))
        let pixelStart = extraStart + entries.reduce(0) { $0 + ($1.values.count * size($1.type) > 4 ? $1.values.count * size($1.type) : 0) }
        for entry in entries {
            let values = entry.tag == 273 ? [UInt32(pixelStart)] : entry.values
            ifd.append(littleEndian16(entry.tag))
            ifd.append(littleEndian16(entry.type))
            ifd.append(littleEndian32(UInt32(values.count)))
            var bytes = Data()
            for v in values { bytes.append(entry.type == 3 ? littleEndian16(UInt16(v)) : littleEndian32(v)) }
            if bytes.count <= 4 {
                ifd.append(bytes + Data(repeating: 0, count: 4 - bytes.count))
            } else {
                ifd.append(littleEndian32(UInt32(extraStart + extra.count)))
                extra.append(bytes)
            }
        }
        ifd.append(littleEndian32(0))
        var file = Data([0x49, 0x49, 42, 0]) + littleEndian32(8)
        file.append(ifd)
        file.append(extra)
        file.append(pixels)
        return file
    }

    private static func size(_ type: UInt16) -> Int { type == 3 ? 2 : 4 }

    private static func chunk(_ type: String, _ data: Data) -> Data {
        let body = Data(type.utf8) + data
        return bigEndian32(UInt32(data.count)) + body + bigEndian32(crc32(body))
    }

    /// A zlib stream of stored (uncompressed) deflate blocks.
    private static func zlibStored(_ data: Data) -> Data {
        var out = Data([0x78, 0x01])
        let bytes = [UInt8](data)
        var offset = 0
        repeat {
            let count = min(65535, bytes.count - offset)
            let final: UInt8 = offset + count == bytes.count ? 1 : 0
            out.append(final)
            out.append(littleEndian16(UInt16(count)))
            out.append(littleEndian16(~UInt16(count)))
            out.append(contentsOf: bytes[offset..<(offset + count)])
            offset += count
        } while offset < bytes.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        out.append(bigEndian32(b << 16 | a))
        return out
    }

    private static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func bigEndian32(_ v: UInt32) -> Data { Data([UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]) }
    static func littleEndian32(_ v: UInt32) -> Data { Data([UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]) }
    static func littleEndian16(_ v: UInt16) -> Data { Data([UInt8(v & 0xFF), UInt8(v >> 8)]) }

    /// 8-bit RGB samples, and big-endian 16-bit ones whose round(v / 257) is exactly them (with low-byte noise).
    static func rgbPair(width: Int, height: Int) -> (eight: [UInt8], sixteen: [UInt8]) {
        let eight = bytes(width * height * 3, seed: 7)
        let noise = bytes(eight.count, seed: 99)
        var sixteen: [UInt8] = []
        for (v, n) in zip(eight, noise) {
            let offset = Int(n % 201) - 100  // |offset| ≤ 100 < 128.5: still rounds to v
            let x = UInt16(clamping: Int(v) * 257 + offset)
            sixteen += [UInt8(x >> 8), UInt8(x & 0xFF)]
        }
        return (eight, sixteen)
    }

    /// Deterministic pseudo-random bytes (xorshift).
    static func bytes(_ count: Int, seed: UInt64 = 0x2545_F491_4F6C_DD1D) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }
}
