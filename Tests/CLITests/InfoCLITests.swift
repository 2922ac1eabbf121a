import Foundation
import Vips
import XCTest

/// `stain info` on the kinds of files users bring: a libvips pyramidal TIFF (levels = pages), slides read through
/// OpenSlide (an Aperio-style SVS and a generic tiled TIFF named .svs), plain images, and broken files.
final class InfoCLITests: CLITestCase {
    /// The bundled 512² sample as a tiled pyramid: pages 512², 256², 128².
    func pyramid(_ name: String, options: [String: VipsValue] = [:], description: String? = nil,
                 pixelsPerMillimetre: Double = 4) throws -> String {
        var image = try VipsImage(contentsOf: sample("darkfield-source.png"))
            .withResolution(x: pixelsPerMillimetre, y: pixelsPerMillimetre)
        if let description { image = try image.withField("image-description", string: description) }
        let path = folder.appendingPathComponent(name).path
        let saved = name.hasSuffix(".tif") ? path : path + ".tif"  // the saver is chosen by extension
        try image.write(to: saved, options: ["tile": .bool(true), "tile_width": .int(128), "tile_height": .int(128),
                                             "pyramid": .bool(true)].merging(options) { $1 })
        if saved != path { try FileManager.default.moveItem(atPath: saved, toPath: path) }
        return path
    }

    func json(_ result: Result) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
    }

    func testPyramidalTIFFShowsItsLevelsAndMicronsPerPixel() throws {
        _ = try pyramid("pyramid.tif", options: ["compression": .enumeration("deflate")])  // 4 px/mm = 250 µm/px
        let r = try stain(["info", "pyramid.tif"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for line in ["format: TIFF (libvips tiffload)", "size: 512 × 512 px, 3 bands, uchar (8-bit unsigned), srgb",
                     "levels: 3", "  level 0: 512 × 512 px, downsample 1", "  level 1: 256 × 256 px, downsample 2",
                     "  level 2: 128 × 128 px, downsample 4",
                     "resolution: 250 × 250 µm/px (TIFF XResolution/YResolution)",
                     "decoded: yes, every pixel of level 0 (no damage found)"] {
            XCTAssertTrue(r.stdout.contains(line + "\n"), "expected '\(line)' in:\n\(r.stdout)")
        }
        let object = try json(try stain(["info", "pyramid.tif", "--json"]))
        let levels = try XCTUnwrap(object["levels"] as? [[String: Any]])
        XCTAssertEqual(levels.map { $0["width"] as? Int }, [512, 256, 128])
        XCTAssertEqual(levels.map { $0["downsample"] as? Double }, [1, 2, 4])
        let mpp = try XCTUnwrap(object["microns-per-pixel"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(mpp["x"] as? Double), 250, accuracy: 1e-9)
        XCTAssertEqual(object["loader"] as? String, "tiffload")
        XCTAssertTrue(object["openslide-vendor"] is NSNull)
    }

    /// libvips hands a TIFF whose description starts "Aperio" to OpenSlide, which takes mpp and the vendor
    /// properties from that description.
    func testAperioSlideThroughOpenSlide() throws {
        try XCTSkipUnless(Vips.hasOperation("openslideload"), "libvips has no OpenSlide loader")
        _ = try pyramid("slide.svs", options: ["compression": .enumeration("jpeg")], description:
            "Aperio Image Library v12.0.15\r\n512x512 [0,0 512x512] (128x128) JPEG/RGB Q=75|AppMag = 20|MPP = 0.4990")
        let r = try stain(["info", "slide.svs"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for line in ["format: OpenSlide slide, vendor aperio (libvips openslideload)", "levels: 3",
                     "  level 2: 128 × 128 px, downsample 4", "resolution: 0.499 × 0.499 µm/px (openslide.mpp-x/y)",
                     "associated images: none", "  aperio.AppMag: 20", "  openslide.objective-power: 20",
                     "decoded: no (a slide: headers only)"] {
            XCTAssertTrue(r.stdout.contains(line + "\n"), "expected '\(line)' in:\n\(r.stdout)")
        }
        // A thumbnail of a slide (RGBA from OpenSlide) is flattened, so JPEG can hold it.
        let thumb = try stain(["info", "slide.svs", "--thumbnail", "thumbs/slide.jpg", "--thumbnail-size", "64"])
        XCTAssertEqual(thumb.status, 0, thumb.stderr)
        XCTAssertTrue(thumb.stdout.contains("thumbnail: wrote thumbs/slide.jpg (64 × 64 px)"), thumb.stdout)
        let written = try VipsImage(contentsOf: folder.appendingPathComponent("thumbs/slide.jpg").path)
        XCTAssertEqual([written.width, written.height, written.bands], [64, 64, 3])
        // Binary metadata (the EXIF block libvips writes into JPEGs) is listed by size, never as libvips' text for
        // a blob, which holds a memory address.
        let jpeg = try stain(["info", "thumbs/slide.jpg"])
        XCTAssertEqual(jpeg.status, 0, jpeg.stderr)
        XCTAssertNotNil(jpeg.stdout.range(of: #"\n  exif-data: <\d+ bytes>\n"#, options: .regularExpression), jpeg.stdout)
        XCTAssertFalse(jpeg.stdout.contains("VIPS_TYPE_BLOB"), jpeg.stdout)
    }

    /// A generic tiled TIFF named like a slide is read by OpenSlide, as the `read` node decides by extension;
    /// OpenSlide records no mpp for it, so µm/px come from the TIFF tags it passes on.
    func testGenericTiledTIFFNamedAsASlide() throws {
        try XCTSkipUnless(Vips.hasOperation("openslideload"), "libvips has no OpenSlide loader")
        _ = try pyramid("generic.svs", options: ["compression": .enumeration("jpeg")], pixelsPerMillimetre: 2)
        let object = try json(try stain(["info", "generic.svs", "--json"]))
        XCTAssertEqual(object["openslide-vendor"] as? String, "generic-tiff")
        XCTAssertEqual(object["bands"] as? Int, 4)
        let levels = try XCTUnwrap(object["levels"] as? [[String: Any]])
        XCTAssertEqual(levels.map { $0["height"] as? Int }, [512, 256, 128])
        let mpp = try XCTUnwrap(object["microns-per-pixel"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(mpp["y"] as? Double), 500, accuracy: 1e-9)
        XCTAssertEqual(mpp["source"] as? String, "TIFF XResolution/YResolution")
        let properties = try XCTUnwrap(object["properties"] as? [String: String])
        XCTAssertEqual(properties["tiff.ResolutionUnit"], "centimeter")
        XCTAssertNil(properties["openslide.level[0].width"], "levels are reported once, in 'levels'")
    }

    /// Levels are page 0 and the pages that shrink it (any factor, each side rounded by up to 1 px); a page of
    /// another shape is listed apart, and level numbers stay page numbers, as `read`'s `level` takes them.
    func testTIFFPagesThatAreNotLevels() throws {
        try TIFFBuilder.file([.init(width: 300, height: 200), .init(width: 100, height: 67),
                              .init(width: 64, height: 64), .init(width: 25, height: 17)])
            .write(to: folder.appendingPathComponent("pages.tif"))
        let r = try stain(["info", "pages.tif"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for line in ["pages: 4", "levels: 3", "  level 0: 300 × 200 px, downsample 1",
                     "  level 1: 100 × 67 px, downsample 2.99254", "  level 3: 25 × 17 px, downsample 11.8824",
                     "other pages: page 2 64 × 64 px"] {
            XCTAssertTrue(r.stdout.contains(line + "\n"), "expected '\(line)' in:\n\(r.stdout)")
        }
    }

    /// OpenSlide's Aperio reader takes a stripped page after the tiled pyramid for the slide's thumbnail image.
    func testAssociatedImagesOfASlide() throws {
        try XCTSkipUnless(Vips.hasOperation("openslideload"), "libvips has no OpenSlide loader")
        try TIFFBuilder.file([
            .init(width: 64, height: 48, samples: 3, tile: 16,
                  description: "Aperio Image Library v12.0.15\n64x48 [0,0 64x48] (16x16) RAW|AppMag = 40|MPP = 0.25"),
            .init(width: 24, height: 18, samples: 3, description: "Aperio Image Library v12.0.15\n64x48 -> 24x18"),
            .init(width: 32, height: 24, samples: 3, tile: 16, description: "Aperio Image Library v12.0.15\n32x24"),
        ]).write(to: folder.appendingPathComponent("tiny.svs"))
        let r = try stain(["info", "tiny.svs"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for line in ["format: OpenSlide slide, vendor aperio (libvips openslideload)", "levels: 2",
                     "  level 1: 32 × 24 px, downsample 2", "resolution: 0.25 × 0.25 µm/px (openslide.mpp-x/y)",
                     "associated images: thumbnail 24 × 18 px"] {
            XCTAssertTrue(r.stdout.contains(line + "\n"), "expected '\(line)' in:\n\(r.stdout)")
        }
        let object = try json(try stain(["info", "tiny.svs", "--json"]))
        let associated = try XCTUnwrap(object["associated-images"] as? [[String: Any]])
        XCTAssertEqual(associated.first?["name"] as? String, "thumbnail")
        XCTAssertEqual(associated.first?["width"] as? Int, 24)
    }

    func testPlainImageAndThumbnail() throws {
        let r = try stain(["info", sample("he-skin-cmu1-top.png"), "--thumbnail", "t.png", "--thumbnail-size", "100"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("levels: 1\n  level 0: 2220 × 1480 px, downsample 1\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("resolution: 0.499 × 0.499 µm/px (PNG pHYs)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("thumbnail: wrote t.png (100 × 67 px)"), r.stdout)
        let thumbnail = try VipsImage(contentsOf: folder.appendingPathComponent("t.png").path)
        XCTAssertEqual([thumbnail.width, thumbnail.height], [100, 67])
        // No resolution recorded: unknown, not the 72 dpi libvips reports for a PNG without pHYs.
        try TestImages.png(width: 2, height: 2, color: .gray, samples: [0, 1, 2, 3])
            .write(to: folder.appendingPathComponent("plain.png"))
        let plain = try stain(["info", "plain.png"])
        XCTAssertTrue(plain.stdout.contains("resolution: unknown (the file records none, or only the 72 dpi screen default)"), plain.stdout)
        // Nor libvips' 1 px/mm for a TIFF without resolution tags.
        try TestImages.tiff(width: 2, height: 2, samplesPerPixel: 1, bitsPerSample: 8, sampleFormat: 1, photometric: 1,
                            pixels: Data([0, 1, 2, 3])).write(to: folder.appendingPathComponent("plain.tif"))
        let tiff = try stain(["info", "plain.tif"])
        XCTAssertEqual(tiff.status, 0, tiff.stderr)
        XCTAssertTrue(tiff.stdout.contains("resolution: unknown"), tiff.stdout)
    }

    func testMissingDamagedAndNonImageFilesGetTheDocumentedExitCodes() throws {
        let missing = try stain(["info", "nowhere.tif"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "error: no such file 'nowhere.tif'\n")
        try Data().write(to: folder.appendingPathComponent("empty.png"))
        let empty = try stain(["info", "empty.png"])
        XCTAssertEqual(empty.status, 3)
        XCTAssertTrue(empty.stderr.contains("'empty.png' is empty (0 bytes), not an image"), empty.stderr)
        let whole = try Data(contentsOf: URL(fileURLWithPath: sample("darkfield-source.png")))
        try whole.prefix(20_000).write(to: folder.appendingPathComponent("truncated.png"))
        let truncated = try stain(["info", "truncated.png"])
        XCTAssertEqual(truncated.status, 3)
        XCTAssertTrue(truncated.stderr.contains("'truncated.png' is damaged or truncated"), truncated.stderr)
        try Data("hello".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let text = try stain(["info", "notes.txt"])
        XCTAssertEqual(text.status, 3)
        XCTAssertTrue(text.stderr.contains("'notes.txt' is not an image StainKit can read"), text.stderr)
        XCTAssertEqual(try stain(["info", sample("darkfield-source.png"), "--thumbnail-size", "0"]).status, 2)
        let format = try stain(["info", sample("darkfield-source.png"), "--thumbnail", "t.xyz"])
        XCTAssertEqual(format.status, 2)
        XCTAssertTrue(format.stderr.contains("cannot write a thumbnail as 't.xyz'"), format.stderr)
        let input = folder.appendingPathComponent("in.png").path
        try FileManager.default.copyItem(atPath: sample("darkfield-source.png"), toPath: input)
        let replace = try stain(["info", "in.png", "--thumbnail", "./in.png"])
        XCTAssertEqual(replace.status, 2)
        XCTAssertTrue(replace.stderr.contains("would replace the image it describes"), replace.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: input)), try Data(contentsOf: URL(fileURLWithPath: sample("darkfield-source.png"))))
    }
}
