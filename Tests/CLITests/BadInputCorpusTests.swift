import Foundation
import XCTest

/// The bad-input corpus of issue #8: every case is a file made here (or a pipeline text), with the exit code and a
/// message fragment expected from `stain validate` and `stain run`, and the promise that a failed run leaves the
/// folder as it was — no output, no sidecar, no temporary file, no folder it created.
final class BadInputCorpusTests: CLITestCase {
    struct Case {
        let name: String
        /// Makes the case's files in its folder (the output always goes to `new/deeper/…`, a folder the run creates).
        let make: (URL) throws -> Void
        let pipeline: String
        /// Exit code of `stain validate` (0 when only decoding finds the problem).
        let validateStatus: Int32
        let runStatus: Int32
        let fragment: String
    }

    /// `read INPUT → write new/deeper/out.png`, with extra settings on the read node.
    static func copy(_ input: String, read extra: String = "") -> String {
        """
        pipeline: corpus
        nodes:
          x:   {type: read, path: \(input)\(extra)}
          out: {type: write, source: x, path: new/deeper/out.png}
        """
    }

    /// A stored (uncompressed) 8-bit RGB PNG of `width`×`height` noise.
    static func rgbPNG(_ width: Int, _ height: Int) -> Data {
        TestImages.png(width: width, height: height, color: .rgb, samples: TestImages.bytes(width * height * 3, seed: 21))
    }

    /// An F32 safetensors file of (name, shape, values) tensors, in order.
    static func safetensors(_ tensors: [(name: String, shape: [Int], values: [Float])]) -> Data {
        var entries: [String] = []
        var offset = 0
        for t in tensors {
            let shape = t.shape.map(String.init).joined(separator: ",")
            entries.append("\"\(t.name)\":{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + 4 * t.values.count)]}")
            offset += 4 * t.values.count
        }
        var header = "{" + entries.joined(separator: ",") + "}"
        while header.utf8.count % 8 != 0 { header += " " }
        var data = Data()
        var length = UInt64(header.utf8.count).littleEndian
        data.append(Data(bytes: &length, count: 8))
        data.append(Data(header.utf8))
        for v in tensors.flatMap(\.values) {
            var bits = v.bitPattern.littleEndian
            data.append(Data(bytes: &bits, count: 4))
        }
        return data
    }

    /// Weights that fit `student(_:)`'s G (filters 4, 1 block; paper names), all 0.01 but for `value` at `index` of
    /// `tensor`: a header that passes validation, values that only a run reads.
    static func studentWeights(_ tensor: String, index: Int, value: Float) -> Data {
        // (layer, weight shape, bias length); the transposed convolutions model_tail.0/.3 store [in, out, k, k].
        let layers: [(String, [Int], Int)] = [
            ("model_head.1", [4, 4, 7, 7], 4), ("model_head.4", [8, 4, 3, 3], 8), ("model_head.7", [16, 8, 3, 3], 16),
            ("model_body.0.conv_block.1", [16, 16, 3, 3], 16), ("model_body.0.conv_block.5", [16, 16, 3, 3], 16),
            ("model_tail.0", [16, 8, 3, 3], 8), ("model_tail.3", [8, 4, 3, 3], 4), ("model_tail.7", [3, 4, 7, 7], 3),
        ]
        let tensors = layers.flatMap { name, weight, bias in
            [(name + ".weight", weight), (name + ".bias", [bias])]
        }.map { name, shape in
            var values = [Float](repeating: 0.01, count: shape.reduce(1, *))
            if name == tensor { values[index] = value }
            return (name: name, shape: shape, values: values)
        }
        return safetensors(tensors)
    }

    func student(_ weights: String) -> String {
        """
        pipeline: corpus
        nodes:
          x:     {type: read, path: \(sample("darkfield-source.png"))}
          z:     {type: grayscale, source: x}
          g:     {type: student-generator, darkfield: x, enhanced: z, weights: \(weights), filters: 4, blocks: 1}
          out:   {type: write, source: g, path: new/deeper/out.png}
        """
    }

    var cases: [Case] {
        let reference = sample("brightfield-reference.png")
        return [
            Case(name: "zero-byte PNG", make: { try Data().write(to: $0.appendingPathComponent("zero.png")) },
                 pipeline: Self.copy("zero.png"), validateStatus: 3, runStatus: 3,
                 fragment: "corpus.yaml:3:27: node 'x', key 'path': 'zero.png' is empty (0 bytes), not an image"),
            Case(name: "text named .png",
                 make: { try Data("this is not a PNG\n".utf8).write(to: $0.appendingPathComponent("text.png")) },
                 pipeline: Self.copy("text.png"), validateStatus: 3, runStatus: 3,
                 fragment: "key 'path': 'text.png' is not an image StainKit can read"),
            Case(name: "truncated PNG", make: { folder in
                     let full = Self.rgbPNG(64, 64)
                     try full.prefix(full.count / 2).write(to: folder.appendingPathComponent("cut.png"))
                 }, pipeline: Self.copy("cut.png"), validateStatus: 0, runStatus: 3,
                 fragment: "node 'x' (read): 'cut.png' is damaged or truncated"),
            Case(name: "truncated PNG found in a statistics pass", make: { folder in
                     let full = Self.rgbPNG(64, 64)
                     try full.prefix(full.count * 2 / 3).write(to: folder.appendingPathComponent("cut.png"))
                 }, pipeline: """
                    pipeline: corpus
                    nodes:
                      x:   {type: read, path: cut.png}
                      ref: {type: read, path: \(reference)}
                      z:   {type: histogram-matcher, source: x, reference: ref}
                      out: {type: write, source: z, path: new/deeper/out.png}
                    """, validateStatus: 0, runStatus: 3,
                 fragment: "'cut.png' is damaged or truncated"),
            Case(name: "truncated JPEG", make: { folder in
                     let made = try self.stain(["run", self.write(Self.copy(self.sample("darkfield-source.png"))
                        .replacingOccurrences(of: "new/deeper/out.png", with: "\(folder.path)/full.jpg"), to: "jpeg.yaml"),
                                                "--no-provenance"])
                     XCTAssertEqual(made.status, 0, made.stderr)
                     let full = try Data(contentsOf: folder.appendingPathComponent("full.jpg"))
                     try FileManager.default.removeItem(at: folder.appendingPathComponent("full.jpg"))
                     try full.prefix(full.count / 2).write(to: folder.appendingPathComponent("cut.jpg"))
                 }, pipeline: Self.copy("cut.jpg"), validateStatus: 0, runStatus: 3,
                 fragment: "'cut.jpg' is damaged or truncated: VipsJpeg: Premature end of"),
            Case(name: "truncated TIFF", make: { folder in
                     let full = TestImages.tiff(width: 64, height: 64, samplesPerPixel: 3, bitsPerSample: 8,
                                                sampleFormat: 1, photometric: 2, pixels: Data(TestImages.bytes(64 * 64 * 3)))
                     try full.prefix(full.count / 2).write(to: folder.appendingPathComponent("cut.tif"))
                 }, pipeline: Self.copy("cut.tif"), validateStatus: 0, runStatus: 3,
                 fragment: "node 'x' (read): 'cut.tif' is damaged or truncated"),
            Case(name: "decompression bomb header",
                 make: { try TestImages.pngHeaderOnly(width: 100_000, height: 100_000)
                     .write(to: $0.appendingPathComponent("bomb.png")) },
                 pipeline: Self.copy("bomb.png"), validateStatus: 3, runStatus: 3,
                 fragment: "'bomb.png' is 100000×100000 pixels, over the limit of 4000 megapixels"),
            Case(name: "float TIFF", make: { folder in
                     let pixels = Data((0..<16).flatMap { i -> [UInt8] in
                         let bits = Float(i) / 16
                         return withUnsafeBytes(of: bits.bitPattern.littleEndian) { Array($0) }
                     })
                     try TestImages.tiff(width: 4, height: 4, samplesPerPixel: 1, bitsPerSample: 32, sampleFormat: 3,
                                         photometric: 1, pixels: pixels).write(to: folder.appendingPathComponent("float.tif"))
                 }, pipeline: Self.copy("float.tif"), validateStatus: 3, runStatus: 3,
                 fragment: "'float.tif' has 32-bit float pixels (1 band, b-w, 4×4); StainKit computes on 8-bit"),
            Case(name: "CMYK TIFF", make: {
                     try TestImages.tiff(width: 4, height: 4, samplesPerPixel: 4, bitsPerSample: 8, sampleFormat: 1,
                                         photometric: 5, pixels: Data(TestImages.bytes(64)))
                         .write(to: $0.appendingPathComponent("cmyk.tif"))
                 }, pipeline: Self.copy("cmyk.tif"), validateStatus: 3, runStatus: 3,
                 fragment: "'cmyk.tif' is CMYK (4 bands, cmyk, 4×4); StainKit reads gray or RGB(A) images"),
            Case(name: "pyramid level that does not exist", make: {
                     try TestImages.tiff(width: 4, height: 4, samplesPerPixel: 1, bitsPerSample: 8, sampleFormat: 1,
                                         photometric: 1, pixels: Data(TestImages.bytes(16)))
                         .write(to: $0.appendingPathComponent("flat.tif"))
                 }, pipeline: Self.copy("flat.tif", read: ", level: 3"), validateStatus: 2, runStatus: 2,
                 fragment: "node 'x', key 'level': 'flat.tif' has 1 level (0...0); level 3 does not exist"),
            Case(name: "TIFF tile size 17", make: { _ in },
                 pipeline: Self.copy(sample("darkfield-source.png"))
                    .replacingOccurrences(of: "new/deeper/out.png}", with: "new/deeper/out.tif, tile-size: 17}"),
                 validateStatus: 2, runStatus: 2,
                 fragment: "node 'out', key 'tile-size': 17 is not a multiple of 16, which TIFF tiles need"),
            Case(name: "10 KB of nested brackets", make: { _ in },
                 pipeline: "pipeline: corpus\nnodes: " + String(repeating: "[", count: 10_240),
                 validateStatus: 2, runStatus: 2,
                 fragment: "corpus.yaml:2:39: lists and mappings nested 33 deep"),
            Case(name: "10 KB of nested maps", make: { _ in },
                 pipeline: "pipeline: corpus\nnodes: " + String(repeating: "{a: ", count: 2_560),
                 validateStatus: 2, runStatus: 2,
                 fragment: "corpus.yaml:2:"),
            Case(name: "output path equal to an input",
                 make: { try Self.rgbPNG(8, 8).write(to: $0.appendingPathComponent("in.png")) },
                 pipeline: Self.copy("in.png").replacingOccurrences(of: "new/deeper/out.png", with: "./in.png"),
                 validateStatus: 2, runStatus: 2,
                 fragment: "node 'out', key 'path': output './in.png' is the input file of node 'x' (key 'path')"),
            Case(name: "two outputs with one path", make: { _ in }, pipeline: """
                    pipeline: corpus
                    nodes:
                      x:   {type: read, path: \(sample("darkfield-source.png"))}
                      g:   {type: grayscale, source: x}
                      out: {type: write, source: x, path: new/deeper/out.png}
                      dup: {type: write, source: g, path: new/deeper/../deeper/out.png}
                    """, validateStatus: 2, runStatus: 2,
                 fragment: "node 'dup', key 'path': output 'new/deeper/../deeper/out.png' is also written by node 'out'"),
            Case(name: "an output on another output's sidecar", make: { _ in }, pipeline: """
                    pipeline: corpus
                    nodes:
                      x:    {type: read, path: \(sample("darkfield-source.png"))}
                      h:    {type: histogram, source: x}
                      out:  {type: write, source: x, path: new/deeper/out.png}
                      hist: {type: save-histogram, source: h, path: new/deeper/out.png.provenance.json}
                    """, validateStatus: 2, runStatus: 2,
                 fragment: "node 'hist', key 'path': output 'new/deeper/out.png.provenance.json' is the provenance "
                    + "sidecar of node 'out''s output 'new/deeper/out.png'"),
            Case(name: "a CMYK file in a read-folder", make: { folder in
                     let images = folder.appendingPathComponent("images")
                     try FileManager.default.createDirectory(at: images, withIntermediateDirectories: false)
                     try Self.rgbPNG(32, 32).write(to: images.appendingPathComponent("a.png"))
                     try TestImages.tiff(width: 4, height: 4, samplesPerPixel: 4, bitsPerSample: 8, sampleFormat: 1,
                                         photometric: 5, pixels: Data(TestImages.bytes(64)))
                         .write(to: images.appendingPathComponent("b.tif"))
                 }, pipeline: """
                    pipeline: corpus
                    nodes:
                      p:   {type: read-folder, path: images}
                      q:   {type: psnr, prediction: p, reference: p}
                      out: {type: write-table, source: q, path: new/deeper/psnr.json}
                    """, validateStatus: 3, runStatus: 3,
                 fragment: "node 'p', key 'path': 'images/b.tif' is CMYK"),
            Case(name: "a cut histogram JSON",
                 make: { try Data("{\"counts\": [1, 2".utf8).write(to: $0.appendingPathComponent("ref.json")) },
                 pipeline: """
                    pipeline: corpus
                    nodes:
                      x:   {type: read, path: \(sample("darkfield-source.png"))}
                      h:   {type: load-histogram, path: ref.json}
                      z:   {type: histogram-matcher, source: x, reference: h}
                      out: {type: write, source: z, path: new/deeper/out.png}
                    """, validateStatus: 3, runStatus: 3,
                 fragment: "node 'h', key 'path': 'ref.json' is not a histogram file: not valid JSON"),
            Case(name: "corrupt weights file",
                 make: { try Data(TestImages.bytes(500)).write(to: $0.appendingPathComponent("bad.safetensors")) },
                 pipeline: student("bad.safetensors"), validateStatus: 3, runStatus: 3,
                 fragment: "node 'g', key 'weights': 'bad.safetensors' cannot be used"),
            Case(name: "weights of another network", make: {
                     try Self.safetensors([(name: "model.1.weight", shape: [3], values: [0.5, .nan, 1])])
                         .write(to: $0.appendingPathComponent("other.safetensors"))
                 }, pipeline: student("other.safetensors"), validateStatus: 3, runStatus: 3,
                 fragment: "key 'weights': 'other.safetensors' cannot be used: weights: tensor 'model_head.1.weight' "
                    + "has shape [3], expected [4, 4, 7, 7] (filters 4, blocks 1)"),
            // Validation reads only the header: non-finite values stop the run, which reads them.
            Case(name: "NaN weights", make: {
                     try Self.studentWeights("model_head.1.weight", index: 1, value: .nan)
                         .write(to: $0.appendingPathComponent("nan.safetensors"))
                 }, pipeline: student("nan.safetensors"), validateStatus: 0, runStatus: 3,
                 fragment: "node 'g' (student-generator): key 'weights': 'nan.safetensors': tensor 'model_head.1.weight' "
                    + "holds NaN values (first at index 1)"),
            Case(name: "Inf weights", make: {
                     try Self.studentWeights("model_tail.7.bias", index: 2, value: -.infinity)
                         .write(to: $0.appendingPathComponent("inf.safetensors"))
                 }, pipeline: student("inf.safetensors"), validateStatus: 0, runStatus: 3,
                 fragment: "tensor 'model_tail.7.bias' holds infinite values (first at index 2)"),
        ]
    }

    func testEveryBadInputGivesItsExitCodeAndMessageAndLeavesNothing() throws {
        for (index, item) in cases.enumerated() {
            let place = folder.appendingPathComponent("case\(index)")
            try FileManager.default.createDirectory(at: place, withIntermediateDirectories: false)
            try item.make(place)
            try item.pipeline.write(to: place.appendingPathComponent("corpus.yaml"), atomically: true, encoding: .utf8)
            let before = try FileManager.default.contentsOfDirectory(atPath: place.path).sorted()

            let validation = try stain(["validate", "corpus.yaml"], in: place)
            XCTAssertEqual(validation.status, item.validateStatus, "\(item.name): validate\n\(validation.stderr)")
            if item.validateStatus != 0 {
                XCTAssertTrue(validation.stderr.contains(item.fragment), "\(item.name): validate\n\(validation.stderr)")
            }
            let run = try stain(["run", "corpus.yaml", "--threads", "1"], in: place)
            XCTAssertEqual(run.status, item.runStatus, "\(item.name): run\n\(run.stderr)")
            XCTAssertTrue(run.stderr.contains(item.fragment), "\(item.name): run\n\(run.stderr)")
            XCTAssertFalse(run.stderr.contains("partial-"), "\(item.name): a temporary name leaked\n\(run.stderr)")
            XCTAssertFalse(run.stderr.contains("Error Domain=") || run.stderr.contains("DecodingError"),
                           "\(item.name): a Foundation dump\n\(run.stderr)")
            XCTAssertFalse(run.stderr.contains("VIPS-WARNING"), "\(item.name): libvips warnings flood\n\(run.stderr)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: place.path).sorted(), before,
                           "\(item.name): nothing written, no temporary file, no created folder")
        }
    }

    /// `stain histogram` and `stain eval` read images by the same rules, with the same exit codes.
    func testHistogramAndEvalRefuseTheSameFiles() throws {
        let files: [(String, Data, Int32, String)] = [
            ("zero.png", Data(), 3, "'zero.png' is empty (0 bytes), not an image"),
            ("text.png", Data("this is not a PNG\n".utf8), 3, "'text.png' is not an image StainKit can read"),
            ("cut.png", Self.rgbPNG(64, 64).prefix(6_000), 3, "'cut.png' is damaged or truncated"),
            ("bomb.png", TestImages.pngHeaderOnly(width: 100_000, height: 100_000), 3,
             "'bomb.png' is 100000×100000 pixels, over the limit of 4000 megapixels"),
            ("cmyk.tif", TestImages.tiff(width: 4, height: 4, samplesPerPixel: 4, bitsPerSample: 8, sampleFormat: 1,
                                         photometric: 5, pixels: Data(TestImages.bytes(64))), 3, "'cmyk.tif' is CMYK"),
        ]
        for (name, data, status, fragment) in files {
            try data.write(to: folder.appendingPathComponent(name))
            let r = try stain(["histogram", name, "-o", "h.json"])
            XCTAssertEqual(r.status, status, "\(name)\n\(r.stderr)")
            XCTAssertTrue(r.stderr.contains(fragment), "\(name)\n\(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("h.json").path))
            try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        try Self.rgbPNG(8, 8).write(to: folder.appendingPathComponent("ok.png"))
        let level = try stain(["histogram", "ok.png", "-o", "h.json", "--level", "2"])
        XCTAssertEqual(level.status, 2, level.stderr)
        XCTAssertTrue(level.stderr.contains("level 2 needs a pyramidal TIFF or a slide, 'ok.png' is neither"), level.stderr)

        let pred = folder.appendingPathComponent("pred"), ref = folder.appendingPathComponent("ref")
        try FileManager.default.createDirectory(at: pred, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: ref, withIntermediateDirectories: true)
        try Self.rgbPNG(64, 64).write(to: ref.appendingPathComponent("a.png"))
        try Self.rgbPNG(64, 64).prefix(6_000).write(to: pred.appendingPathComponent("a.png"))
        let eval = try stain(["eval", "--pred", "pred", "--ref", "ref", "--metrics", "psnr", "--json", "r.json"])
        XCTAssertEqual(eval.status, 3, eval.stderr)
        XCTAssertTrue(eval.stderr.contains("'pred/a.png' is damaged or truncated"), eval.stderr)
        XCTAssertFalse(eval.stderr.contains("VIPS-WARNING"), eval.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("r.json").path))
    }
}
