import Foundation
import XCTest
@testable import StainMetrics

final class FIDKIDTests: XCTestCase {
    func features(_ f: FixtureFile, _ key: String) throws -> FeatureMatrix {
        let s = try f.shape(key)
        return try FeatureMatrix(count: s[0], dimension: s[1], values: f.floats(key))
    }

    func testFIDMatchesPytorchFID() throws {
        let f = try FixtureFile("fid_kid.safetensors")
        for name in ["full", "lowrank"] {
            let fid = try FID.distance(features(f, "\(name)_f1"), features(f, "\(name)_f2"))
            let expected = try f.scalar("\(name)_fid")
            XCTAssertEqual(fid, expected, accuracy: 1e-4 * max(1, abs(expected)), name)
        }
    }

    func testGramAndCovarianceRoutesAgree() throws {
        // 30 and 50 vectors in 48-D: distance(features) takes the Gram route, distance(statistics) the d×d one.
        // The Gram route squares singular values, so near-zero ones lose ~1e-8 relative precision.
        let f = try FixtureFile("fid_kid.safetensors")
        let a = try features(f, "lowrank_f1"), b = try features(f, "lowrank_f2")
        let viaStatistics = try FID.distance(FID.statistics(a), FID.statistics(b))
        XCTAssertEqual(try FID.distance(a, b), viaStatistics, accuracy: 1e-6 * max(1, abs(viaStatistics)))
        XCTAssertEqual(viaStatistics, try f.scalar("lowrank_fid"), accuracy: 1e-4 * abs(viaStatistics))
    }

    func testFIDOfASetWithItselfIsZero() throws {
        let f = try FixtureFile("fid_kid.safetensors")
        let a = try features(f, "full_f1")
        XCTAssertEqual(try FID.distance(a, a), 0, accuracy: 1e-9)
    }

    func testLegacyNumpyRandomReproducesSubsets() throws {
        let f = try FixtureFile("fid_kid.safetensors")
        let p = try f.ints("kid_params"), (subsets, size) = (p[0], p[1])
        let n1 = try f.shape("full_f1")[0], n2 = try f.shape("full_f2")[0]
        let idx1 = try f.ints("kid_idx1"), idx2 = try f.ints("kid_idx2")
        var rng = LegacyNumpyRandom(seed: UInt32(p[2]))
        for s in 0..<subsets {
            XCTAssertEqual(rng.choiceWithoutReplacement(n1, size), Array(idx1[(s * size)..<((s + 1) * size)]))
            XCTAssertEqual(rng.choiceWithoutReplacement(n2, size), Array(idx2[(s * size)..<((s + 1) * size)]))
        }
    }

    func testKIDMatchesTorchFidelity() throws {
        let f = try FixtureFile("fid_kid.safetensors")
        let p = try f.ints("kid_params")
        let a = try features(f, "full_f1"), b = try features(f, "full_f2")
        let options = KID.Options(subsets: p[0], subsetSize: p[1], seed: UInt32(p[2]))
        let kid = try KID.score(a, b, options: options)
        XCTAssertEqual(kid.subsetValues.count, p[0])
        // Exact float64 estimator on the same subsets.
        XCTAssertEqual(kid.mean, try f.scalar("kid_mean64"), accuracy: 1e-10)
        XCTAssertEqual(kid.std, try f.scalar("kid_std64"), accuracy: 1e-10)
        // torch-fidelity itself works in float32.
        XCTAssertEqual(kid.mean, try f.scalar("kid_mean_fidelity"), accuracy: 1e-5)
        XCTAssertEqual(kid.std, try f.scalar("kid_std_fidelity"), accuracy: 1e-5)
        // Whole-set estimator: first 70 rows of a against all 70 of b.
        let head = try a.selecting(rows: Array(0..<70))
        XCTAssertEqual(try KID.unbiasedMMD2(head, b), try f.scalar("kid_full_mmd2"), accuracy: 1e-10)
    }

    func testFeatureFileRoundTrip() throws {
        let f = try FixtureFile("fid_kid.safetensors")
        let a = try features(f, "full_f1")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("feat-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try a.save(safetensors: path)
        XCTAssertEqual(try FeatureMatrix.load(safetensors: path, tensor: "features"), a)
        XCTAssertThrowsError(try FeatureMatrix.load(safetensors: path, tensor: "pool3")) {
            XCTAssertTrue("\($0)".contains("no tensor 'pool3'"))
        }
    }

    func testFeatureErrors() throws {
        let a = try FeatureMatrix(count: 3, dimension: 2, values: [1, 2, 3, 4, 5, 7] as [Double])
        let b = try FeatureMatrix(count: 3, dimension: 3, values: [Double](repeating: 1, count: 9))
        XCTAssertThrowsError(try FID.distance(a, b)) { XCTAssertTrue("\($0)".contains("dimensions differ")) }
        XCTAssertThrowsError(try KID.score(a, a, options: KID.Options(subsetSize: 4)))
        XCTAssertThrowsError(try FeatureMatrix(count: 2, dimension: 2, values: [1, 2, 3] as [Double]))
        XCTAssertThrowsError(try FID.statistics(a.selecting(rows: [0])))
    }
}
