import Foundation
import MetricPlugins
import StainCore
import StainMetrics
import Vips
import XCTest

final class MetricNodeTests: PipelineTestCase {
    func testPairedMetricsThroughAPipelineMatchTheLibrary() throws {
        let pred = path("pred"), ref = path("ref")
        try FileManager.default.createDirectory(atPath: pred, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: ref, withIntermediateDirectories: true)
        for name in ["real", "random", "steps"] {
            try FileManager.default.copyItem(atPath: fixture("\(name)-inverse.png"), toPath: pred + "/\(name)_fake_B.png")
            try FileManager.default.copyItem(atPath: fixture("\(name)-forward.png"), toPath: ref + "/\(name).png")
        }
        let report = path("report.json")
        try run("""
            pipeline: eval
            nodes:
              p:    {type: read-folder, path: \(pred), strip-suffix: _fake_B}
              r:    {type: read-folder, path: \(ref)}
              psnr: {type: psnr, prediction: p, reference: r}
              ssim: {type: ssim, prediction: p, reference: r}
              all:  {type: merge-tables, table1: psnr, table2: ssim}
              out:  {type: write-table, source: all, path: \(report), print: none}
            """)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as! [String: Any]
        let rows = json["rows"] as! [[String: Any]]
        XCTAssertEqual(rows.map { $0["name"] as! String }, ["random", "real", "steps"])
        // The same numbers straight from the library, on gray replicated to RGB.
        func rgb(_ file: String) throws -> MetricImage {
            let gray = try VipsImage(contentsOf: file)
            let values = try gray.pixels(as: UInt8.self).flatMap { [$0, $0, $0] }
            return try MetricImage(width: gray.width, height: gray.height, channels: 3, bytes: values)
        }
        let a = try rgb(pred + "/real_fake_B.png"), b = try rgb(ref + "/real.png")
        XCTAssertEqual(rows[1]["psnr"] as! Double, try PSNR.score(a, b), accuracy: 1e-9)
        XCTAssertEqual(rows[1]["ssim"] as! Double, try SSIM.score(a, b), accuracy: 1e-9)
        XCTAssertNotNil((json["summary"] as! [String: Any])["psnr"])
    }

    func testMergeTablesJoinsByName() {
        let a = Table(columns: ["psnr"], rows: [.init(label: "x", values: [1]), .init(label: "y", values: [2])])
        let b = Table(columns: ["ssim", "s2"], rows: [.init(label: "y", values: [3, 4]), .init(label: "z", values: [5, 6])])
        let merged = MergeTablesNode.merge([a, b])
        XCTAssertEqual(merged.columns, ["psnr", "ssim", "s2"])
        XCTAssertEqual(merged.rows.map(\.label), ["x", "y", "z"])
        XCTAssertEqual(merged.rows[1].values, [2, 3, 4])
        XCTAssertTrue(merged.rows[0].values[1].isNaN)
    }

    func testMergeTablesStacksSameColumns() {
        let a = Table(columns: ["params"], rows: [.init(label: "G", values: [1])])
        let b = Table(columns: ["params"], rows: [.init(label: "F", values: [2])])
        let merged = MergeTablesNode.merge([a, b])
        XCTAssertEqual(merged.columns, ["params"])
        XCTAssertEqual(merged.rows.map(\.values), [[1], [2]])
    }

    func testNetworkCostNodesGiveThePaperNumbers() throws {
        let report = path("cost.csv")
        try run("""
            pipeline: cost
            nodes:
              gp: {type: params, network: student}
              gf: {type: flops, network: student}
              fp: {type: params, network: backward}
              ff: {type: flops, network: backward}
              dp: {type: params, network: discriminator}
              cp: {type: params, network: colorizer}
              rp: {type: params, network: registration}
              a:  {type: merge-tables, table1: gp, table2: gf, table3: fp, table4: ff, table5: dp}
              b:  {type: merge-tables, table1: a, table2: cp, table3: rp}
              out: {type: write-table, source: b, path: \(report), print: none}
            """)
        let lines = try String(contentsOfFile: report, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "name,params,gflops-paper,gflops-true")
        XCTAssertTrue(lines[1].hasPrefix("student@256,11381315.0,114.009571328,99.514"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("backward@256,11378179.0,113.598529536,"), lines[2])
        XCTAssertTrue(lines[3].hasPrefix("discriminator@256,2764737.0,"), lines[3])
        XCTAssertTrue(lines[4].hasPrefix("colorizer@256,34180691.0,"), lines[4])
        XCTAssertTrue(lines[5].hasPrefix("registration@256,2059170.0,"), lines[5])
        XCTAssertThrowsError(try run("""
            pipeline: bad
            nodes:
              c: {type: flops, network: colorizer, size: 100}
              out: {type: write-table, source: c, path: \(report)}
            """)) { XCTAssertTrue("\($0)".contains("node 'c', key 'size'"), "\($0)") }
    }

    func testNIQENodeAndUnpairedFolders() throws {
        let table = path("niqe.csv")
        try run("""
            pipeline: niqe
            nodes:
              p:   {type: read, path: \(fixture("real-reference.png"))}
              n:   {type: niqe, prediction: p}
              out: {type: write-table, source: n, path: \(table), print: none}
            """)
        let csv = try String(contentsOfFile: table, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv[0], "name,niqe")
        XCTAssertGreaterThan(Double(csv[1].split(separator: ",")[1])!, 0)
        let left = ImageSet([("a", try VipsImage(contentsOf: fixture("steps-source.png"))),
                             ("b", try VipsImage(contentsOf: fixture("steps-source.png")))])
        let right = ImageSet([("a", try VipsImage(contentsOf: fixture("steps-source.png"))),
                              ("c", try VipsImage(contentsOf: fixture("steps-source.png")))])
        XCTAssertThrowsError(try Evaluation.pairs(prediction: left, reference: right, allowUnpaired: false)) {
            XCTAssertTrue("\($0)".contains("prediction 'b' has no reference; reference 'c' has no prediction"), "\($0)")
        }
        XCTAssertEqual(try Evaluation.pairs(prediction: left, reference: right, allowUnpaired: true).pairs.map(\.name), ["a"])
    }
}
