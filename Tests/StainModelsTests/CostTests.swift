import XCTest
@testable import StainModels

/// Parameter and FLOP counts against docs/paper.md ("Networks"), §2.3, §3.2, §4, §5.1.
final class CostTests: XCTestCase {
    func testGeneratorCountsMatchThePaper() throws {
        let g = try ResnetGeneratorConfig.student.cost(height: 256, width: 256)
        XCTAssertEqual(g.parameterCount, 11_381_315)
        XCTAssertEqual(g.multiplyAccumulates(.paper), 57_004_785_664)
        XCTAssertEqual(g.multiplyAccumulates(.trueMultiplies), 49_757_028_352)
        XCTAssertEqual(NetworkCost.giga(g.flops(.paper)), "114.01 G")
        XCTAssertEqual(NetworkCost.giga(g.flops(.trueMultiplies)), "99.51 G")
        XCTAssertEqual(g.layers.count, 24)
        XCTAssertEqual(g.layers.first?.name, "model_head.1")
        XCTAssertEqual(g.layers.last?.name, "model_tail.7")

        let f = try ResnetGeneratorConfig.backward.cost(height: 256, width: 256)
        XCTAssertEqual(f.parameterCount, 11_378_179)
        XCTAssertEqual(f.multiplyAccumulates(.paper), 56_799_264_768)
        XCTAssertEqual(f.multiplyAccumulates(.trueMultiplies), 49_551_507_456)
        XCTAssertEqual(NetworkCost.giga(f.flops(.paper)), "113.60 G")
    }

    func testGeneratorLayerMacsMatchTheTable() throws {
        let g = try ResnetGeneratorConfig.student.cost(height: 256, width: 256)
        let byName = Dictionary(uniqueKeysWithValues: g.layers.map { ($0.name, $0) })
        XCTAssertEqual(byName["model_head.1"]?.multiplyAccumulates(.paper), 822_083_584)
        XCTAssertEqual(byName["model_head.4"]?.multiplyAccumulates(.paper), 1_207_959_552)
        XCTAssertEqual(byName["model_body.3.conv_block.5"]?.multiplyAccumulates(.paper), 2_415_919_104)
        XCTAssertEqual(byName["model_tail.0"]?.multiplyAccumulates(.paper), 4_831_838_208)
        XCTAssertEqual(byName["model_tail.0"]?.multiplyAccumulates(.trueMultiplies), 1_207_959_552)
        XCTAssertEqual(byName["model_tail.3"]?.outputHeight, 256)
        XCTAssertEqual(byName["model_tail.7"]?.parameterCount, 9_411)
    }

    func testDiscriminatorCounts() throws {
        let d = try PatchDiscriminatorConfig.paper.cost(height: 256, width: 256)
        XCTAssertEqual(d.parameterCount, 2_764_737)
        XCTAssertEqual(d.layers.map(\.parameterCount), [3_136, 131_200, 524_544, 2_097_664, 8_193])
        XCTAssertEqual(d.layers.last?.outputHeight, 30)
        XCTAssertEqual(d.multiplyAccumulates(.paper), 3_146_809_344)
        XCTAssertEqual(NetworkCost.giga(d.flops(.paper)), "6.29 G")
    }

    func testColorizerCounts() throws {
        let c = try SIGGRAPHColorizerShape.cost(height: 256, width: 256)
        XCTAssertEqual(c.parameterCount, 34_180_691)
        XCTAssertEqual(c.parameterCount - c.layers.first { $0.name == "model_class.0" }!.parameterCount, 34_044_738)
        XCTAssertEqual(c.layers.count, 31)
        XCTAssertEqual(c.multiplyAccumulates(.paper), 101_482_233_856)
        XCTAssertEqual(c.multiplyAccumulates(.trueMultiplies), 75_712_430_080)
        XCTAssertEqual(NetworkCost.giga(c.flops(.paper)), "202.96 G")
        XCTAssertThrowsError(try SIGGRAPHColorizerShape.cost(height: 100, width: 256))
    }

    func testRegistrationCounts() throws {
        let r = try RegistrationConfig.paper.cost(height: 256, width: 256)
        XCTAssertEqual(r.parameterCount, 2_059_170)
        XCTAssertEqual(r.layers.count, 40)
        XCTAssertEqual(r.multiplyAccumulates(.paper), 8_173_125_632)
        let byName = Dictionary(uniqueKeysWithValues: r.layers.map { ($0.name, $0) })
        XCTAssertEqual(byName["offset_map.up_1.conv2d"]?.parameterCount, 27_680)
        XCTAssertEqual(byName["offset_map.output.conv2d"]?.parameterCount, 578)
        XCTAssertEqual(RegistrationConfig.paper.minimumInputSize, 256)
        XCTAssertThrowsError(try RegistrationConfig.paper.cost(height: 128, width: 256)) { error in
            XCTAssertEqual(error as? ModelError, .inputTooSmall(layer: "offset_map.t", height: 1, width: 2))
        }
    }

    func testFormatting() {
        XCTAssertEqual(NetworkCost.grouped(11_381_315), "11,381,315")
        XCTAssertEqual(NetworkCost.grouped(578), "578")
        XCTAssertEqual(NetworkCost.grouped(-1_000), "-1,000")
    }
}
