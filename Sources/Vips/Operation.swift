// The generic libvips operation caller over the GObject operation API: vips_operation_new, one
// g_object_set_property per input (converted by the argument's GParamSpec type), vips_cache_operation_buildp,
// g_object_get_property for every output that was set, then vips_object_unref_outputs and g_object_unref.
internal import CVips

extension Vips {
    /// Runs the libvips operation `name` (e.g. "invert", "embed", "tiffsave") with the given inputs and returns
    /// all of its outputs. Argument names may use "_" or "-". Results of identical calls may come from the libvips
    /// operation cache.
    public static func operation(_ name: String, _ arguments: [String: VipsValue] = [:]) throws
        -> VipsOperationResult {
        try OperationRunner.run(name, arguments, cached: true)
    }
}

/// The outputs of one operation call, by argument name.
public struct VipsOperationResult: Sendable {
    public let operation: String
    /// Every output argument that the operation set, keyed by name with "-" as separator (e.g. "out", "x").
    public let outputs: [String: VipsValue]

    public subscript(name: String) -> VipsValue? { outputs[OperationRunner.canonical(name)] }

    private func require(_ name: String) throws -> VipsValue {
        guard let value = self[name] else {
            throw VipsError("\(operation) has no output '\(name)' (outputs: "
                + "\(outputs.keys.sorted().joined(separator: ", ")))")
        }
        return value
    }

    private func mismatch(_ name: String, _ value: VipsValue, _ wanted: String) -> VipsError {
        VipsError("\(operation) output '\(name)' is \(value), not \(wanted)")
    }

    public func image(_ name: String = "out") throws -> VipsImage {
        let value = try require(name)
        guard case .image(let image) = value else { throw mismatch(name, value, "an image") }
        return image
    }

    public func double(_ name: String = "out") throws -> Double {
        switch try require(name) {
        case .double(let v): return v
        case .int(let v): return Double(v)
        case let other: throw mismatch(name, other, "a number")
        }
    }

    public func int(_ name: String = "out") throws -> Int {
        switch try require(name) {
        case .int(let v): return v
        case .double(let v) where v.rounded() == v: return Int(v)
        case let other: throw mismatch(name, other, "an integer")
        }
    }

    public func bool(_ name: String) throws -> Bool {
        let value = try require(name)
        guard case .bool(let v) = value else { throw mismatch(name, value, "a boolean") }
        return v
    }

    public func string(_ name: String) throws -> String {
        switch try require(name) {
        case .string(let v), .enumeration(let v): return v
        case let other: throw mismatch(name, other, "a string")
        }
    }

    public func doubles(_ name: String = "out") throws -> [Double] {
        switch try require(name) {
        case .doubles(let v): return v
        case .double(let v): return [v]
        case .ints(let v): return v.map(Double.init)
        case let other: throw mismatch(name, other, "a number array")
        }
    }

    public func ints(_ name: String) throws -> [Int] {
        switch try require(name) {
        case .ints(let v): return v
        case .int(let v): return [v]
        case let other: throw mismatch(name, other, "an integer array")
        }
    }

    public func images(_ name: String) throws -> [VipsImage] {
        switch try require(name) {
        case .images(let v): return v
        case .image(let v): return [v]
        case let other: throw mismatch(name, other, "an image array")
        }
    }
}

enum OperationRunner {
    static func canonical(_ name: String) -> String { name.replacingOccurrences(of: "_", with: "-") }

    /// Runs one operation. `cached: false` builds it outside the libvips cache (loaders and savers, so that a file
    /// rewritten in place is read again).
    static func run(_ name: String, _ arguments: [String: VipsValue], cached: Bool) throws -> VipsOperationResult {
        try Vips.start()
        var operation = vips_operation_new(name)
        guard let object = stainkit_vips_object(operation) else {
            vips_error_clear()
            throw VipsError("unknown libvips operation '\(name)'")
        }
        do {
            for (key, value) in arguments.sorted(by: { $0.key < $1.key }) {
                try setInput(object, name: name, key: key, value: value)
            }
        } catch {
            vips_object_unref_outputs(object)
            g_object_unref(operation)
            throw error
        }
        let failed = cached ? vips_cache_operation_buildp(&operation) != 0 : vips_object_build(object) != 0
        guard let built = stainkit_vips_object(operation) else {
            // libvips keeps the operation on both paths; without one there is nothing left to release.
            throw failed ? VipsError.fromBuffer(context: name)
                : VipsError("\(name): libvips returned no operation after building it")
        }
        if failed {
            let error = VipsError.fromBuffer(context: name)
            vips_object_unref_outputs(built)
            g_object_unref(operation)
            throw error
        }
        let outputs = readOutputs(built)
        vips_object_unref_outputs(built)
        g_object_unref(operation)
        return VipsOperationResult(operation: name, outputs: outputs)
    }

    private static func setInput(_ object: UnsafeMutablePointer<VipsObject>, name: String, key: String,
                                 value: VipsValue) throws {
        var pspec: UnsafeMutablePointer<GParamSpec>?
        var argumentClass: UnsafeMutablePointer<VipsArgumentClass>?
        var argumentInstance: UnsafeMutablePointer<VipsArgumentInstance>?
        guard vips_object_get_argument(object, key, &pspec, &argumentClass, &argumentInstance) == 0,
              let pspec, let argumentClass else {
            vips_error_clear()
            throw VipsError("\(name) has no argument '\(key)'")
        }
        guard argumentClass.pointee.flags.rawValue & VIPS_ARGUMENT_INPUT.rawValue != 0 else {
            throw VipsError("argument '\(key)' of \(name) is an output, not an input")
        }
        var gvalue = GValue()
        try GValueConversion.fill(&gvalue, type: pspec.pointee.value_type, with: value, argument: "\(name).\(key)")
        // GLib would only warn and ignore an out-of-range value: reject it instead.
        if g_param_value_validate(pspec, &gvalue) != 0 {
            g_value_unset(&gvalue)
            throw VipsError("argument '\(key)' of \(name): \(value) is out of range")
        }
        g_object_set_property(stainkit_gobject(object), key, &gvalue)
        g_value_unset(&gvalue)
    }

    private static func readOutputs(_ object: UnsafeMutablePointer<VipsObject>) -> [String: VipsValue] {
        var names: UnsafeMutablePointer<UnsafePointer<CChar>?>?
        var flags: UnsafeMutablePointer<Int32>?
        var count: Int32 = 0
        guard vips_object_get_args(object, &names, &flags, &count) == 0, let names, let flags else {
            vips_error_clear()
            return [:]
        }
        var outputs: [String: VipsValue] = [:]
        let wanted = VIPS_ARGUMENT_OUTPUT.rawValue
        let deprecated = VIPS_ARGUMENT_DEPRECATED.rawValue
        for index in 0..<Int(count) {
            let flag = UInt32(bitPattern: flags[index])
            guard flag & wanted != 0, flag & deprecated == 0, let argument = names[index],
                  vips_object_argument_isset(object, argument) != 0 else { continue }
            guard let pspec = g_object_class_find_property(stainkit_object_class(object), argument) else { continue }
            var gvalue = GValue()
            g_value_init(&gvalue, pspec.pointee.value_type)
            g_object_get_property(stainkit_gobject(object), argument, &gvalue)
            if let value = GValueConversion.read(&gvalue) {
                outputs[canonical(String(cString: argument))] = value
            }
            g_value_unset(&gvalue)
        }
        return outputs
    }
}
