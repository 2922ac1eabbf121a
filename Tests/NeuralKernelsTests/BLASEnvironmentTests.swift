import NeuralKernels
import XCTest

final class BLASEnvironmentTests: XCTestCase {
    func testRecommendedEnvironmentNeverOverridesWhatIsSet() {
        let environment = ProcessInfo.processInfo.environment
        let changes = BLASInfo.recommendedEnvironment
        if environment["OPENBLAS_THREAD_TIMEOUT"] == nil {
            XCTAssertEqual(changes["OPENBLAS_THREAD_TIMEOUT"], "4")
        } else {
            XCTAssertNil(changes["OPENBLAS_THREAD_TIMEOUT"])
        }
        if environment["OPENBLAS_CORETYPE"] != nil { XCTAssertNil(changes["OPENBLAS_CORETYPE"]) }
        if let core = changes["OPENBLAS_CORETYPE"] { XCTAssertEqual(core, BLASInfo.cpuCoreType) }
    }
}
