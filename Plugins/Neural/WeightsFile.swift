import Foundation
import NeuralKernels
import StainCore
import StainModels

/// A network node's weights file. At validation (node construction) only its header is read and checked against
/// the network the parameters describe: `stain validate` constructs every node, and reading all of G's 45 MB (a
/// teacher's 130 MB) there only to check names and shapes made validation several times slower and three times
/// larger. A file that cannot be read, is not safetensors or does not fit the network is an unreadable input
/// (exit 3), reported at the node's `weights` key. The values are read when the node first runs (`DeferredNetwork`).
enum WeightsFile {
    /// The names and shapes of the tensors in `path`, from its header alone.
    static func shapes(_ path: String) throws -> TensorShapes {
        TensorShapes(try Safetensors.header(path: path).map { ($0.name, $0.shape) })
    }

    /// Loads `path` and checks that every value is finite. Non-finite values are refused naming the tensor: they
    /// would otherwise run silently to a constant image.
    static func load(_ path: String) throws -> StateDict {
        let dict = try StateDict.load(path)
        for (name, tensor) in dict.items {
            let bad = tensor.withUnsafeBufferPointer { values in values.firstIndex { !$0.isFinite }.map { ($0, values[$0]) } }
            if let (index, value) = bad {
                throw NodeConfigurationError(key: "weights", "'\(path)': tensor '\(name)' holds "
                    + "\(value.isNaN ? "NaN" : "infinite") values (first at index \(index)); the file is corrupt or "
                    + "comes from a diverged training run", kind: .unreadableInput)
            }
        }
        return dict
    }

    /// The error a node reports for a weights file that failed to load into its network.
    static func problem(_ path: String, _ error: Error, detail: String = "") -> NodeConfigurationError {
        if let configuration = error as? NodeConfigurationError { return configuration }
        return NodeConfigurationError(key: "weights", "'\(path)' cannot be used: \(error)\(detail)", kind: .unreadableInput)
    }
}

/// A network read from its weights file on first use, once: node construction has checked the file's header, and
/// the values (tens of megabytes) are read only by a run that needs them. The nodes are Sendable values whose
/// tiles may run on several threads, so the one load happens under a lock and its outcome, network or error, is
/// kept for every later call.
final class DeferredNetwork<Network: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private let path: String
    private let detail: String
    private let make: @Sendable (StateDict) throws -> Network
    private var outcome: Result<Network, NodeRunError>?

    /// `make` builds the network from the file's tensors (checked finite); `detail` is added to its errors.
    init(path: String, detail: String = "", make: @escaping @Sendable (StateDict) throws -> Network) {
        self.path = path
        self.detail = detail
        self.make = make
    }

    /// The network, loading the file the first time. A file that fails now (values that are NaN or infinite, or a
    /// file changed since validation) is an unreadable input naming the file and the tensor.
    func network() throws -> Network {
        lock.lock()
        defer { lock.unlock() }
        if let outcome { return try outcome.get() }
        let result: Result<Network, NodeRunError>
        do {
            result = .success(try make(WeightsFile.load(path)))
        } catch {
            let problem = WeightsFile.problem(path, error, detail: detail)
            result = .failure(NodeRunError(.unreadableInput, "key '\(problem.key)': \(problem.message)"))
        }
        outcome = result
        return try result.get()
    }
}
