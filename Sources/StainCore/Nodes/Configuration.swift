/// The checked parameters of one node instance, read through the node's declaration:
/// `try p.mode` is the `mode` parameter as its declared Swift type (an enum for a choice), `p.tiling` the
/// configuration of an embedded parameter group. The validator has checked every value against the same
/// declaration, so a read can fail only if a caller built the values by hand; it then throws a configuration error.
@dynamicMemberLookup
public struct Configuration<Declaration: Sendable>: Sendable {
    public let declaration: Declaration
    public let values: ParameterValues

    public init(_ declaration: Declaration, _ values: ParameterValues) {
        self.declaration = declaration
        self.values = values
    }

    public subscript<Value>(dynamicMember path: KeyPath<Declaration, Parameter<Value>>) -> Value {
        get throws {
            let spec = declaration[keyPath: path].spec
            guard let value = (values[spec.name] ?? spec.defaultValue).flatMap(Value.init(parameterValue:)) else {
                throw NodeConfigurationError(key: spec.name, "missing or mistyped parameter (\(spec.type))")
            }
            return value
        }
    }

    /// A parameter only some variants of a generic node declare (nil where it is not declared).
    public subscript<Value>(dynamicMember path: KeyPath<Declaration, Parameter<Value>?>) -> Value? {
        get throws {
            guard let spec = declaration[keyPath: path]?.spec else { return nil }
            guard let value = (values[spec.name] ?? spec.defaultValue).flatMap(Value.init(parameterValue:)) else {
                throw NodeConfigurationError(key: spec.name, "missing or mistyped parameter (\(spec.type))")
            }
            return value
        }
    }

    public subscript<Group: ParameterGroup>(dynamicMember path: KeyPath<Declaration, Group>) -> Configuration<Group> {
        Configuration<Group>(declaration[keyPath: path], values)
    }

    /// A configuration error pointing at a declared parameter's line in the pipeline file.
    public func problem<Value>(_ path: KeyPath<Declaration, Parameter<Value>>, _ message: String,
                               kind: Diagnostic.Kind = .pipeline) -> NodeConfigurationError {
        NodeConfigurationError(key: declaration[keyPath: path].name, message, kind: kind)
    }

    /// A warning about a declared parameter's value, shown at its line.
    public func warning<Value>(_ path: KeyPath<Declaration, Parameter<Value>>, _ message: String) -> NodeWarning {
        NodeWarning(key: declaration[keyPath: path].name, message)
    }
}

extension Configuration where Declaration: NodeDeclaration {
    /// A configuration from values given in code (e.g. by the training tools), each checked against its
    /// declaration like a pipeline file's; undeclared parameters keep their defaults.
    public init(_ settings: [ParameterSetting<Declaration>] = []) throws {
        let declaration = Declaration()
        let specs = DeclaredMembers(declaration).parameters
        var values: [String: ParameterValue] = [:]
        for spec in specs { values[spec.name] = spec.defaultValue }
        for setting in settings {
            let (name, value) = setting.resolve(declaration)
            if let spec = specs.first(where: { $0.name == name }), case .failure(let problem) = spec.parse(value.description) {
                throw NodeConfigurationError(key: name, problem.message)
            }
            values[name] = value
        }
        if let missing = specs.first(where: { values[$0.name] == nil }) {
            throw NodeConfigurationError(key: missing.name, "missing required parameter (\(missing.type))")
        }
        self.init(declaration, ParameterValues(values))
    }
}

/// One parameter value given in code: `.set(\.mode, .inverse)`.
public struct ParameterSetting<Declaration: Sendable>: Sendable {
    let resolve: @Sendable (Declaration) -> (String, ParameterValue)

    public static func set<Value>(_ path: KeyPath<Declaration, Parameter<Value>> & Sendable,
                                  _ value: Value) -> ParameterSetting {
        ParameterSetting { declaration in (declaration[keyPath: path].name, value.parameterValue) }
    }
}
