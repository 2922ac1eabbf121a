// Values passed to and read from libvips operation arguments, and their conversion to and from GValue, driven by
// the GType of the argument's GParamSpec (ints into enums/flags, doubles into VipsArrayDouble, and so on).
internal import CVips

/// A value for a libvips operation argument. The wrapper converts it to the argument's real GType.
public enum VipsValue: Sendable {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case image(VipsImage)
    case doubles([Double])
    case ints([Int])
    case images([VipsImage])
    /// A member of an enum- or flags-typed argument by its libvips nick, e.g. "mirror", "sequential", "jpeg".
    case enumeration(String)
}

extension VipsValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .int(let v): "\(v)"
        case .double(let v): "\(v)"
        case .bool(let v): "\(v)"
        case .string(let v): "\"\(v)\""
        case .image(let v): "image(\(v.width)x\(v.height)x\(v.bands) \(v.format.nick))"
        case .doubles(let v): "\(v)"
        case .ints(let v): "\(v)"
        case .images(let v): "images(\(v.count))"
        case .enumeration(let v): v
        }
    }
}

/// Conversion between VipsValue and GValue for one named argument.
enum GValueConversion {
    /// Initializes `gvalue` to `type` and stores `value` in it; the caller must `g_value_unset` it.
    static func fill(_ gvalue: inout GValue, type: GType, with value: VipsValue, argument: String) throws {
        func mismatch() -> VipsError {
            VipsError("argument '\(argument)' of type \(typeName(type)) cannot take \(value)")
        }
        let fundamental = g_type_fundamental(type)
        if fundamental == stainkit_type_enum() || fundamental == stainkit_type_flags() {
            let isEnum = fundamental == stainkit_type_enum()
            let code: Int32
            switch value {
            case .int(let v):
                code = Int32(clamping: v)
            case .enumeration(let nick), .string(let nick):
                code = isEnum ? vips_enum_from_nick("StainKit", type, nick)
                    : vips_flags_from_nick("StainKit", type, nick)
                if code < 0 {
                    vips_error_clear()
                    throw VipsError("argument '\(argument)': '\(nick)' is not a member of \(typeName(type))"
                        + (isEnum ? " (allowed: \(enumNicks(type).joined(separator: ", ")))" : ""))
                }
            default:
                throw mismatch()
            }
            g_value_init(&gvalue, type)
            if isEnum { g_value_set_enum(&gvalue, code) } else { g_value_set_flags(&gvalue, UInt32(bitPattern: code)) }
            return
        }
        switch fundamental {
        case stainkit_type_int(), stainkit_type_uint(), stainkit_type_int64(), stainkit_type_uint64():
            let integer: Int
            switch value {
            case .int(let v): integer = v
            case .bool(let v): integer = v ? 1 : 0
            case .double(let v) where v.rounded() == v && abs(v) < 9e15: integer = Int(v)
            default: throw mismatch()
            }
            g_value_init(&gvalue, type)
            switch fundamental {
            case stainkit_type_int(): g_value_set_int(&gvalue, Int32(clamping: integer))
            case stainkit_type_uint(): g_value_set_uint(&gvalue, UInt32(clamping: integer))
            case stainkit_type_int64(): g_value_set_int64(&gvalue, gint64(integer))
            default: g_value_set_uint64(&gvalue, guint64(clamping: integer))
            }
        case stainkit_type_double(), stainkit_type_float():
            let number: Double
            switch value {
            case .double(let v): number = v
            case .int(let v): number = Double(v)
            default: throw mismatch()
            }
            g_value_init(&gvalue, type)
            if fundamental == stainkit_type_double() { g_value_set_double(&gvalue, number) } else {
                g_value_set_float(&gvalue, Float(number))
            }
        case stainkit_type_boolean():
            let flag: Bool
            switch value {
            case .bool(let v): flag = v
            case .int(let v) where v == 0 || v == 1: flag = v == 1
            default: throw mismatch()
            }
            g_value_init(&gvalue, type)
            g_value_set_boolean(&gvalue, flag ? 1 : 0)
        case stainkit_type_string():
            switch value {
            case .string(let v), .enumeration(let v):
                g_value_init(&gvalue, type)
                g_value_set_string(&gvalue, v)
            default: throw mismatch()
            }
        default:
            try fillBoxedOrObject(&gvalue, type: type, with: value, mismatch: mismatch)
        }
    }

    private static func fillBoxedOrObject(_ gvalue: inout GValue, type: GType, with value: VipsValue,
                                          mismatch: () -> VipsError) throws {
        if stainkit_type_is_a(type, stainkit_type_image()) != 0 {
            guard case .image(let image) = value else { throw mismatch() }
            g_value_init(&gvalue, type)
            g_value_set_object(&gvalue, image.pointer)
        } else if type == stainkit_type_array_double() {
            let numbers: [Double]
            switch value {
            case .doubles(let v): numbers = v
            case .double(let v): numbers = [v]
            case .ints(let v): numbers = v.map(Double.init)
            case .int(let v): numbers = [Double(v)]
            default: throw mismatch()
            }
            g_value_init(&gvalue, type)
            numbers.withUnsafeBufferPointer { vips_value_set_array_double(&gvalue, $0.baseAddress, Int32($0.count)) }
        } else if type == stainkit_type_array_int() {
            let numbers: [Int32]
            switch value {
            case .ints(let v): numbers = v.map { Int32(clamping: $0) }
            case .int(let v): numbers = [Int32(clamping: v)]
            default: throw mismatch()
            }
            g_value_init(&gvalue, type)
            numbers.withUnsafeBufferPointer { vips_value_set_array_int(&gvalue, $0.baseAddress, Int32($0.count)) }
        } else if type == stainkit_type_array_image() {
            let images: [VipsImage]
            switch value {
            case .images(let v): images = v
            case .image(let v): images = [v]
            default: throw mismatch()
            }
            g_value_init(&gvalue, type)
            vips_value_set_array_image(&gvalue, Int32(images.count))
            var count: Int32 = 0
            if let slots = vips_value_get_array_image(&gvalue, &count) {
                for (index, image) in images.enumerated() {
                    g_object_ref(image.pointer)
                    slots[index] = image.pointer
                }
            }
        } else if stainkit_type_is_a(type, stainkit_type_interpolate()) != 0 {
            guard case .string(let name) = value else { throw mismatch() }
            guard let interpolate = vips_interpolate_new(name) else {
                throw VipsError.fromBuffer(context: "interpolator '\(name)'")
            }
            g_value_init(&gvalue, type)
            g_value_set_object(&gvalue, interpolate)
            g_object_unref(interpolate)
        } else {
            throw VipsError("arguments of type \(typeName(type)) are not supported")
        }
    }

    /// Reads a GValue into a VipsValue; nil for types this wrapper does not expose (blobs, sources, ...).
    static func read(_ gvalue: inout GValue) -> VipsValue? {
        let type = gvalue.g_type
        let fundamental = g_type_fundamental(type)
        switch fundamental {
        case stainkit_type_enum():
            let code = g_value_get_enum(&gvalue)
            return vips_enum_nick(type, code).map { .enumeration(String(cString: $0)) } ?? .int(Int(code))
        case stainkit_type_flags(): return .int(Int(g_value_get_flags(&gvalue)))
        case stainkit_type_int(): return .int(Int(g_value_get_int(&gvalue)))
        case stainkit_type_uint(): return .int(Int(g_value_get_uint(&gvalue)))
        case stainkit_type_int64(): return .int(Int(g_value_get_int64(&gvalue)))
        case stainkit_type_uint64(): return .int(Int(clamping: g_value_get_uint64(&gvalue)))
        case stainkit_type_double(): return .double(g_value_get_double(&gvalue))
        case stainkit_type_float(): return .double(Double(g_value_get_float(&gvalue)))
        case stainkit_type_boolean(): return .bool(g_value_get_boolean(&gvalue) != 0)
        case stainkit_type_string(): return g_value_get_string(&gvalue).map { .string(String(cString: $0)) }
        default: break
        }
        if stainkit_type_is_a(type, stainkit_type_image()) != 0 {
            guard let object = g_value_get_object(&gvalue) else { return nil }
            return .image(VipsImage(retaining: stainkit_vips_image(object)))
        }
        var count: Int32 = 0
        if type == stainkit_type_array_double() {
            guard let values = vips_value_get_array_double(&gvalue, &count) else { return .doubles([]) }
            return .doubles(Array(UnsafeBufferPointer(start: values, count: Int(count))))
        }
        if type == stainkit_type_array_int() {
            guard let values = vips_value_get_array_int(&gvalue, &count) else { return .ints([]) }
            return .ints(UnsafeBufferPointer(start: values, count: Int(count)).map { Int($0) })
        }
        if type == stainkit_type_array_image() {
            guard let values = vips_value_get_array_image(&gvalue, &count) else { return .images([]) }
            return .images(UnsafeBufferPointer(start: values, count: Int(count)).compactMap { image in
                image.map { VipsImage(retaining: $0) }
            })
        }
        return nil
    }

    static func typeName(_ type: GType) -> String {
        g_type_name(type).map { String(cString: $0) } ?? "GType \(type)"
    }

    /// All nicks of an enum type, for error messages.
    static func enumNicks(_ type: GType) -> [String] {
        guard let typeClass = g_type_class_ref(type) else { return [] }
        defer { g_type_class_unref(typeClass) }
        let enumClass = typeClass.assumingMemoryBound(to: GEnumClass.self)
        return (0..<Int(enumClass.pointee.n_values)).compactMap { index in
            enumClass.pointee.values[index].value_nick.map { String(cString: $0) }
        }.filter { $0 != "last" }
    }
}
