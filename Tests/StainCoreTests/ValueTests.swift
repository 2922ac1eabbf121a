import Foundation
import StainCore
import XCTest

final class ValueTests: XCTestCase {
    func testHistogramCDFAndJSONRoundTrip() throws {
        var counts = [UInt64](repeating: 0, count: 256)
        counts[0] = 1; counts[10] = 2; counts[255] = 1
        let h = try Histogram(counts: counts, source: "test")
        XCTAssertEqual(h.cdf[0], 0.25)
        XCTAssertEqual(h.cdf[9], 0.25)
        XCTAssertEqual(h.cdf[10], 0.75)
        XCTAssertEqual(h.cdf[255], 1)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("h-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try h.write(to: path)
        XCTAssertEqual(try Histogram.load(path: path), h)
    }

    func testBadHistogramsAreErrors() throws {
        XCTAssertThrowsError(try Histogram(counts: [1, 2, 3]))
        XCTAssertThrowsError(try Histogram(counts: [UInt64](repeating: 0, count: 256)))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("h-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "{\"counts\": [1, 2]}".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Histogram.load(path: path)) { XCTAssertTrue("\($0)".contains("256 bins"), "\($0)") }
        try "not json".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Histogram.load(path: path)) { XCTAssertTrue("\($0)".contains("not a histogram file"), "\($0)") }
    }

    func testTableSummaryCSVAndJSON() throws {
        let t = Table(columns: ["psnr", "ssim"], rows: [.init(label: "a.png", values: [20, 0.5]),
                                                         .init(label: "b,c.png", values: [30, .nan])])
        let s = t.summary()
        XCTAssertEqual(s[0].mean, 25)
        XCTAssertEqual(s[0].std, 5)
        XCTAssertEqual(s[1].mean, 0.5)
        XCTAssertEqual(s[1].count, 1)
        XCTAssertEqual(t.csv(), "name,psnr,ssim\na.png,20.0,0.5\n\"b,c.png\",30.0,nan\n")
        let json = try JSONSerialization.jsonObject(with: t.json()) as! [String: Any]
        XCTAssertEqual((json["summary"] as! [String: [String: Any]])["psnr"]!["mean"] as? Double, 25)
    }

    func testSpellingSuggestions() {
        XCTAssertEqual(Spelling.closest(to: "histogram-matchr", in: ["histogram-matcher", "read"]), "histogram-matcher")
        XCTAssertNil(Spelling.closest(to: "xyz", in: ["histogram-matcher"]))
        XCTAssertEqual(Spelling.distance("kitten", "sitting"), 3)
    }

    func testOutputStagingCommitsAndDiscards() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stage-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let staging = OutputStaging()
        let final = folder.appendingPathComponent("a.txt").path
        try "old".write(toFile: final, atomically: true, encoding: .utf8)
        let temp = try staging.stage(final)
        XCTAssertTrue(temp.hasSuffix(".txt"))
        try "new".write(toFile: temp, atomically: true, encoding: .utf8)
        XCTAssertEqual(try String(contentsOfFile: final, encoding: .utf8), "old", "nothing replaced before commit")
        try staging.commit()
        XCTAssertEqual(try String(contentsOfFile: final, encoding: .utf8), "new")
        let other = try staging.stage(folder.appendingPathComponent("b.txt").path)
        try "x".write(toFile: other, atomically: true, encoding: .utf8)
        staging.discard()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["a.txt"])
    }
}

final class ProvenanceTests: XCTestCase {
    func testSHA256KnownVectors() throws {
        XCTAssertEqual(try SHA256.hex(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(try SHA256.hex(Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(try SHA256.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(try SHA256.hex(Data(repeating: 0x61, count: 1000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    func testSHA256OfChunksOfAnySizeEqualsOneUpdate() throws {
        let data = Data((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        for sizes in [[1], [63], [64], [65], [7, 64, 130], [1000]] {
            let hasher = try SHA256()
            var offset = 0, k = 0
            while offset < data.count {
                let n = min(sizes[k % sizes.count], data.count - offset)
                hasher.update(data.subdata(in: offset..<(offset + n)))
                offset += n
                k += 1
            }
            XCTAssertEqual(hasher.finalize().map { String(format: "%02x", $0) }.joined(), try SHA256.hex(data), "\(sizes)")
        }
        // A Data slice (non-zero start index) hashes like a copy.
        XCTAssertEqual(try SHA256.hex(data[100..<900]), try SHA256.hex(Data(data[100..<900])))
        XCTAssertEqual(try SHA256.hex(Data(repeating: 0x61, count: 1000)[1..<1000]),
                       try SHA256.hex(Data(repeating: 0x61, count: 999)))
    }

    func testSidecarDescribesTheRun() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prov-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pipeline = folder.appendingPathComponent("p.yaml").path
        try """
            pipeline: p
            nodes:
              x: {type: source, value: 4}
              w: {type: table-writer, input: x, path: \(folder.path)/out.csv}
            """.write(toFile: pipeline, atomically: true, encoding: .utf8)
        let settings = PipelineSettings(overrides: ["x.value=5"])
        let graph = try Validator(registry: testRegistry).validate(path: pipeline, settings)
        let provenance = Provenance(graph: graph, settings: settings, versions: ["test": "1"])
        let written = try Executor(graph: graph, context: RunContext(threads: 1), provenance: provenance).run()
        XCTAssertEqual(written, [folder.path + "/out.csv"], "sidecars are not listed as outputs")
        let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path + "/out.csv.provenance.json"))) as! [String: Any]
        XCTAssertEqual((sidecar["pipeline"] as! [String: Any])["sha256"] as? String,
                       try SHA256.hex(try Data(contentsOf: URL(fileURLWithPath: pipeline))))
        XCTAssertEqual((sidecar["settings"] as! [String: Any])["set"] as? [String], ["x.value=5"])
        let nodes = sidecar["nodes"] as! [[String: Any]]
        XCTAssertEqual(((nodes.first { $0["id"] as? String == "x" })!["parameters"] as! [String: Any])["value"] as? Double, 5)
    }
}

/// Infinity is a documented value in JSON tables ("inf"), NaN is null.
final class TableJSONTests: XCTestCase {
    func testInfinityIsTheStringInfAndNaNIsNull() throws {
        let table = Table(columns: ["psnr"], rows: [.init(label: "same", values: [.infinity]),
                                                    .init(label: "none", values: [.nan])])
        let object = try JSONSerialization.jsonObject(with: table.json()) as! [String: Any]
        let rows = object["rows"] as! [[String: Any]]
        XCTAssertEqual(rows[0]["psnr"] as? String, "inf")
        XCTAssertTrue(rows[1]["psnr"] is NSNull)
        let summary = (object["summary"] as! [String: Any])["psnr"] as! [String: Any]
        XCTAssertEqual(summary["mean"] as? String, "inf")
        XCTAssertTrue(table.csv().contains("same,inf"), table.csv())
    }
}
