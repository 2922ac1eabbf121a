import Foundation

/// Multi-page TIFFs written byte by byte (uncompressed, 8-bit, little-endian), for layouts libvips cannot write:
/// pages of unrelated sizes in one file, and an Aperio-style slide whose tiled pyramid is followed by a stripped
/// page that OpenSlide reads as an associated image.
enum TIFFBuilder {
    struct Page {
        var width: Int
        var height: Int
        /// 1 (gray) or 3 (RGB).
        var samples: Int = 1
        /// Tile side (a multiple of 16), or nil for one strip.
        var tile: Int?
        /// The ImageDescription tag (Aperio's slides keep their properties here).
        var description: String?
        /// Every sample of the page has this value.
        var value: UInt8 = 128
    }

    static func file(_ pages: [Page]) -> Data {
        var file = Data([0x49, 0x49, 42, 0]) + TestImages.littleEndian32(0)
        // Where the "next IFD" offset to fill in lies: the header's first-IFD field, then each IFD's last field.
        var nextField = 4
        for page in pages {
            // Out-of-line data first (description, pixels, arrays), then the IFD that points at it.
            var entries: [(tag: UInt16, type: UInt16, count: Int, inline: Data?, offset: Int?)] = []
            func add(_ tag: UInt16, _ type: UInt16, _ values: [UInt32]) {
                var bytes = Data()
                for value in values {
                    bytes += type == 3 ? TestImages.littleEndian16(UInt16(value)) : TestImages.littleEndian32(value)
                }
                if bytes.count <= 4 {
                    entries.append((tag, type, values.count, bytes + Data(repeating: 0, count: 4 - bytes.count), nil))
                } else {
                    entries.append((tag, type, values.count, nil, file.count))
                    file.append(bytes)
                }
            }
            if let description = page.description {
                let bytes = Data(description.utf8) + Data([0])
                entries.append((270, 2, bytes.count, nil, file.count))
                file.append(bytes)
            }
            add(256, 4, [UInt32(page.width)])
            add(257, 4, [UInt32(page.height)])
            add(258, 3, Array(repeating: 8, count: page.samples))
            add(259, 3, [1])
            add(262, 3, [page.samples == 3 ? 2 : 1])
            add(277, 3, [UInt32(page.samples)])
            add(284, 3, [1])
            if let tile = page.tile {
                let tileBytes = tile * tile * page.samples
                let count = ((page.width + tile - 1) / tile) * ((page.height + tile - 1) / tile)
                var offsets: [UInt32] = []
                for _ in 0..<count {
                    offsets.append(UInt32(file.count))
                    file.append(Data(repeating: page.value, count: tileBytes))
                }
                add(322, 4, [UInt32(tile)])
                add(323, 4, [UInt32(tile)])
                add(324, 4, offsets)
                add(325, 4, Array(repeating: UInt32(tileBytes), count: count))
            } else {
                let bytes = page.width * page.height * page.samples
                let start = file.count
                file.append(Data(repeating: page.value, count: bytes))
                add(273, 4, [UInt32(start)])
                add(278, 4, [UInt32(page.height)])
                add(279, 4, [UInt32(bytes)])
            }
            if file.count % 2 == 1 { file.append(0) }  // IFDs start on a word boundary
            let ifd = file.count
            file.replaceSubrange(nextField..<(nextField + 4), with: TestImages.littleEndian32(UInt32(ifd)))
            entries.sort { $0.tag < $1.tag }
            file.append(TestImages.littleEndian16(UInt16(entries.count)))
            for entry in entries {
                file.append(TestImages.littleEndian16(entry.tag) + TestImages.littleEndian16(entry.type)
                    + TestImages.littleEndian32(UInt32(entry.count)))
                file.append(entry.inline ?? TestImages.littleEndian32(UInt32(entry.offset ?? 0)))
            }
            nextField = file.count
            file.append(TestImages.littleEndian32(0))
        }
        return file
    }
}
