/// Typed parameter declarations: a node declares `Parameter<Int>`, `Parameter<Mode>`, `Parameter<InputFile>`… once,
/// and reads the checked value back through the same declaration (see `Configuration`), never by a string.

/// A Swift type a node parameter can have: how it is written in a pipeline file and checked by the validator.
public protocol ParameterKind: Sendable {
    /// The type the validator checks a pipeline file's text against.
    static var parameterType: ParameterType { get }
    /// The typed value of a checked parameter value; nil if the value has another type.
    init?(parameterValue: ParameterValue)
    /// How the value is written in descriptors, docs and provenance.
    var parameterValue: ParameterValue { get }
    /// The value of a parameter that was not given, when that is allowed (nil: the parameter is required).
    static var absentValue: ParameterValue? { get }
}

extension ParameterKind {
    public static var absentValue: ParameterValue? { nil }
}

extension Int: ParameterKind {
    public static var parameterType: ParameterType { .int }
    public init?(parameterValue: ParameterValue) {
        guard case .int(let v) = parameterValue else { return nil }
        self = v
    }
    public var parameterValue: ParameterValue { .int(self) }
}

extension Double: ParameterKind {
    public static var parameterType: ParameterType { .float }
    public init?(parameterValue: ParameterValue) {
        guard let v = parameterValue.number else { return nil }
        self = v
    }
    public var parameterValue: ParameterValue { .float(self) }
}

extension Bool: ParameterKind {
    public static var parameterType: ParameterType { .bool }
    public init?(parameterValue: ParameterValue) {
        guard case .bool(let v) = parameterValue else { return nil }
        self = v
    }
    public var parameterValue: ParameterValue { .bool(self) }
}

extension String: ParameterKind {
    public static var parameterType: ParameterType { .string }
    public init?(parameterValue: ParameterValue) {
        guard case .string(let v) = parameterValue else { return nil }
        self = v
    }
    public var parameterValue: ParameterValue { .string(self) }
}

/// A parameter whose value is one of the cases of a string enum: the choices shown in docs and checked by the
/// validator are the enum's raw values, so a node can never receive a word it does not handle.
public protocol ParameterChoice: ParameterKind, CaseIterable, RawRepresentable where RawValue == String {}

extension ParameterChoice {
    public static var parameterType: ParameterType { .choice(allCases.map(\.rawValue)) }
    public init?(parameterValue: ParameterValue) {
        guard case .string(let word) = parameterValue else { return nil }
        self.init(rawValue: word)
    }
    public var parameterValue: ParameterValue { .string(rawValue) }
}

/// A path parameter; `Role` says whether it is read, written, or a folder, which decides what validation checks.
public struct PathParameter<Role: PathRole>: ParameterKind, Equatable {
    public let path: String
    public init(_ path: String) { self.path = path }
    public static var parameterType: ParameterType { Role.parameterType }
    public init?(parameterValue: ParameterValue) {
        guard case .string(let v) = parameterValue, !v.isEmpty else { return nil }
        path = v
    }
    public var parameterValue: ParameterValue { .string(path) }
}

/// What a path parameter names.
public protocol PathRole: Sendable { static var parameterType: ParameterType { get } }
/// A file that must exist when the pipeline is validated.
public enum ReadFile: PathRole { public static var parameterType: ParameterType { .inputFile } }
/// A file the node writes; the nearest existing folder must be writable.
public enum WrittenFile: PathRole { public static var parameterType: ParameterType { .outputFile } }
/// A folder that must exist when the pipeline is validated.
public enum ReadFolder: PathRole { public static var parameterType: ParameterType { .inputFolder } }

public typealias InputFile = PathParameter<ReadFile>
public typealias OutputFile = PathParameter<WrittenFile>
public typealias InputFolder = PathParameter<ReadFolder>

/// An optional parameter: written as an empty string (its default) when not given.
extension Optional: ParameterKind where Wrapped: ParameterKind {
    public static var parameterType: ParameterType { Wrapped.parameterType }
    public init?(parameterValue: ParameterValue) {
        if case .string("") = parameterValue { self = .none; return }
        guard let v = Wrapped(parameterValue: parameterValue) else { return nil }
        self = .some(v)
    }
    public var parameterValue: ParameterValue { self?.parameterValue ?? .string("") }
    public static var absentValue: ParameterValue? { .string("") }
}

/// One declared parameter of a node: its name in pipeline files, type (from `Value`), default, range and doc.
public struct Parameter<Value: ParameterKind>: Sendable {
    public let spec: ParameterSpec

    /// A parameter with a default; without one it is required, unless `Value` is optional (absent means nil).
    public init(_ name: String, default value: Value? = nil, range: ClosedRange<Double>? = nil, doc: String) {
        spec = ParameterSpec(name, Value.parameterType, default: value?.parameterValue ?? Value.absentValue,
                             range: range, doc: doc)
    }

    public var name: String { spec.name }
}

/// Something that lists its parameter declaration (so groups of shared parameters can be declared once).
protocol ParameterDeclaring {
    var spec: ParameterSpec { get }
}
extension Parameter: ParameterDeclaring {}
