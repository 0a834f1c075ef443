/// The Swift side of the schema's bounds (Protocol/README.md, 3.1): a `Limits` namespace in each
/// type with bounded fields, a namespace per bounded alias, and a `saturating(...)` factory that
/// clamps integers and cuts strings, so game code never copies a wire limit as a literal and a
/// value that merely exceeded a bound cannot make encoding throw.
extension SwiftEmitter {
    /// `public enum Limits { ... }` inside a struct, entity or message with bounded fields, then
    /// `saturating(...)` if any of those fields is an integer or a string it can fit.
    func emitLimits(_ fields: [Field], _ out: inout CodeWriter) {
        let limits = Schema.limits(of: fields)
        guard !limits.isEmpty else { return }
        out.line()
        out.line("/// The schema's bounds on these fields (Protocol/README.md, 3.1 \"Generated limits\").")
        out.open("public enum Limits")
        for limit in limits { emitConstant(limit, named: limit.fieldConstantName, &out) }
        out.close()
        emitSaturating(fields, &out)
    }

    /// `type Name = string(15)` becomes `public enum Name { public static let maxLength = 15 }`;
    /// an alias without bounds (`type EntityId = u32`) emits nothing.
    func emitAliasLimits(_ name: String, _ type: FieldType, _ out: inout CodeWriter) {
        let limits = type.limits(at: [])
        guard !limits.isEmpty else { return }
        out.line("/// The bounds of `type \(name) = \(type.canonical)` (Protocol/README.md, 3.1 \"Generated limits\").")
        out.open("public enum \(name)")
        for limit in limits { emitConstant(limit, named: limit.aliasConstantName, &out) }
        out.close()
        out.line()
    }

    private func emitConstant(_ limit: Limit, named name: String, _ out: inout CodeWriter) {
        let field = limit.path.first.map { "`\($0)" + String(repeating: " element", count: limit.path.count - 1) + ": " } ?? "`"
        let declared: String
        switch limit.value {
        case .integers(let min, let max):
            out.line("/// \(field)\(limit.spelling)`: the values the wire carries.")
            declared = "ClosedRange<\(swiftType(limit.type))> = \(min)...\(max)"
        case .reals(let min, let max):
            out.line("/// \(field)\(limit.spelling)`: the values the wire carries; others clamp to the ends.")
            declared = "ClosedRange<Double> = \(lit(min))...\(lit(max))"
        case .resolution(let step):
            out.line("/// \(field)\(limit.spelling)`: the step between two values.")
            declared = "Double = \(lit(step))"
        case .bits(let bits):
            out.line("/// \(field)\(limit.spelling)`: 2^bits steps per turn.")
            declared = "Int = \(bits)"
        case .length(let max):
            out.line("/// \(field)\(limit.spelling)`: at most this many bytes of UTF-8.")
            declared = "Int = \(max)"
        case .count(let max):
            if case .bytes = limit.type { out.line("/// \(field)\(limit.spelling)`: at most this many bytes.") }
            else { out.line("/// \(field)\(limit.spelling)`: at most this many elements.") }
            declared = "Int = \(max)"
        }
        out.line("public static let \(ident(name)): \(declared)")
    }

    /// How `saturating(...)` fits a field, if it does: integers clamp, strings are cut.
    private enum Fit {
        case clamp, clampOptional, cut, cutOptional
    }

    private func fit(_ type: FieldType) -> Fit? {
        switch type {
        case .string: return .cut
        case .optional(.string): return .cutOptional
        case .optional(let inner): return fit(inner) == .clamp ? .clampOptional : nil
        default:
            guard let limit = type.limits(at: []).first, case .integers = limit.value else { return nil }
            return .clamp
        }
    }

    private func emitSaturating(_ fields: [Field], _ out: inout CodeWriter) {
        let fits = fields.map { fit($0.type) }
        guard fits.contains(where: { $0 != nil }) else { return }
        // Defaults as in `init`; a generic parameter's default names its type, or it could not be inferred.
        let parameters = zip(fields, fits).map { field, fit in
            fit == .clamp
                ? "\(ident(field.name)): some BinaryInteger = \(swiftType(field.type))(\(defaultValue(field.type)))"
                : "\(ident(field.name)): \(swiftType(field.type)) = \(defaultValue(field.type))"
        }
        let arguments = zip(fields, fits).map { field, fit -> String in
            let name = ident(field.name), limit = "Limits.\(ident(field.name))"
            return switch fit {
            case .clamp: "\(name): \(limit).clamp(\(name))"
            case .clampOptional: "\(name): \(name).map { \(limit).clamp($0) }"
            case .cut: "\(name): \(name).truncatedToUTF8(maxBytes: \(limit))"
            case .cutOptional: "\(name): \(name).map { $0.truncatedToUTF8(maxBytes: \(limit)) }"
            case nil: "\(name): \(name)"
            }
        }
        out.line()
        out.line("/// `init` for a sender that may exceed a bound: integers clamp into their `Limits` range and strings")
        out.line("/// are cut to their `Limits` length between Unicode scalars, so encoding cannot throw for them.")
        out.line("/// Arrays, sets and byte strings must already fit: the sender cuts them, choosing what to keep.")
        out.open("@inlinable public static func saturating(\(parameters.joined(separator: ", "))) -> Self")
        out.line("Self(\(arguments.joined(separator: ", ")))")
        out.close()
    }
}
